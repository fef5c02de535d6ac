"""Fixtures for the graph-layer tests: both store backends loaded from mini.trig."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lgkg.graph.store import MemoryStore, OxigraphStore, Store, load_dataset

TESTS = Path(__file__).resolve().parent.parent
FIXTURE = TESTS / "fixtures" / "mini.trig"
EXPECTED = TESTS / "expected"


def make_store(kind: str, tmp_path: Path) -> Store:
    """An empty store of the given backend ("rdflib" or "oxigraph", on disk under tmp_path)."""
    if kind == "rdflib":
        return MemoryStore()
    return OxigraphStore(tmp_path / "store")


@pytest.fixture(params=["rdflib", "oxigraph"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_store(backend: str, tmp_path: Path) -> Iterator[Store]:
    with make_store(backend, tmp_path) as store:
        yield store


@pytest.fixture
def mini_store(empty_store: Store) -> Store:
    load_dataset(empty_store, FIXTURE.read_bytes(), "trig")
    return empty_store
