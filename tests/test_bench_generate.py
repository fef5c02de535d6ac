"""Smoke test of the benchmark's press-release generator (bench/generate.py), a few documents."""

from __future__ import annotations

import doctest
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from lgkg.extract.gazetteer import Gazetteer
from lgkg.extract.sources import read_source

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def generate():
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_bench_generate_doctests(generate) -> None:
    assert doctest.testmod(generate).failed == 0


@pytest.mark.parametrize("seed", [0, 11])
def test_bench_generate_releases_are_seeded_and_sized(generate, seed: int) -> None:
    docs = generate.releases(6, seed=seed)
    assert docs == generate.releases(6, seed=seed)
    assert docs != generate.releases(6, seed=seed + 1)
    for _name, text in docs:
        assert generate.MIN_WORDS <= len(text.split()) <= generate.MAX_WORDS + 60
        assert "{" not in text and "}" not in text  # every placeholder filled


def test_bench_generate_files_read_as_documents(generate, tmp_path: Path) -> None:
    paths = generate.write_releases(4, 3, tmp_path)
    gazetteer = Gazetteer.load()
    for path in paths:
        doc = read_source(str(path))
        assert doc.url and doc.url.startswith("https://news.example.gov.uk/")
        assert doc.title and re.fullmatch(r"\d{4}-\d\d-\d\d", doc.published or "")
        named = [c for c in gazetteer.councils() if c.official_name in doc.raw]
        assert named  # councils from the gazetteer


def test_bench_generate_covers_every_action_and_a_saving(generate) -> None:
    docs = generate.releases(60, seed=1)
    actions = {name.split("-")[1] for name, _ in docs}
    assert actions == set(generate.ACTIONS)
    assert sum("£" in text for _, text in docs) > 20
    assert all("said" in text or "added" in text for _, text in docs)
