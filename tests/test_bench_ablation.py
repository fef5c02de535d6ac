"""The rule-family ablation (bench/ablation.py): every family names code that exists, is put
back after the run, and a run on the small training corpus prints a row per family."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "fixtures" / "train_corpus"


@pytest.fixture(scope="module")
def ablation():
    spec = importlib.util.spec_from_file_location("bench_ablation", ROOT / "bench" / "ablation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_every_family_switches_off_code_that_exists_and_puts_it_back(ablation) -> None:
    for family in ablation.FAMILIES:
        before = [getattr(module, name) for module, name, _ in family.patches]
        with ablation.switched_off(family):
            assert all(
                getattr(module, name) is stand_in for module, name, stand_in in family.patches
            )
        assert [getattr(module, name) for module, name, _ in family.patches] == before


@pytest.mark.slow
def test_ablation_prints_a_row_per_family(ablation, capsys) -> None:
    assert ablation.main([str(CORPUS), "--only", "status-vote,initialisms"]) == 0
    out = capsys.readouterr().out
    assert "train_corpus (8 documents)" in out
    assert "all on" in out and "- status-vote" in out and "- initialisms" in out
    assert "- references-plural" not in out
