"""Fixtures for the graph-layer tests: every store backend (store_backends.py) from mini.trig."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_backends import BACKENDS, FIXTURE, VIRTUOSO_KNOWN_FAILURES, make_store

from lgkg.graph.store import Store, load_dataset


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Known Virtuoso faults are expected failures (strict: a fix shows up as XPASS)."""
    for item in items:
        reason = VIRTUOSO_KNOWN_FAILURES.get(item.nodeid.split("::")[-1])
        if reason:
            item.add_marker(pytest.mark.xfail(reason=reason, strict=True))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def empty_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    with make_store(backend, tmp_path, request) as store:
        yield store


@pytest.fixture
def mini_store(empty_store: Store) -> Store:
    load_dataset(empty_store, FIXTURE.read_bytes(), "trig")
    return empty_store
