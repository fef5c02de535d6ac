"""Fixtures for the server tests: ``lgkg serve``'s app on free loopback ports, in threads.

``served`` is read-only over the mini fixture plus the W3C protocol test data
(each data file in the named graph its manifest names); ``served_rw`` has
updates enabled (token ``TOKEN``) over an empty in-memory store; ``served_review``
has updates enabled over the mini fixture, one per test module (its tests correct it).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from served_app import FIXTURE, TOKEN, ServedApp, load_w3c_data

from lgkg.graph.store import OxigraphStore, load_dataset
from lgkg.server import ServerConfig


@pytest.fixture(scope="session")
def served() -> Iterator[ServedApp]:
    store = OxigraphStore(None)
    load_dataset(store, FIXTURE.read_bytes())
    load_w3c_data(store)
    app = ServedApp(ServerConfig(store, max_rows=1000, timeout=10))
    try:
        yield app
    finally:
        app.stop()
        store.close()


@pytest.fixture(scope="session")
def served_rw() -> Iterator[ServedApp]:
    store = OxigraphStore(None)
    app = ServedApp(ServerConfig(store, enable_update=True, token=TOKEN, timeout=10))
    try:
        yield app
    finally:
        app.stop()
        store.close()


@pytest.fixture(scope="module")
def served_review() -> Iterator[ServedApp]:
    store = OxigraphStore(None)
    load_dataset(store, FIXTURE.read_bytes())
    app = ServedApp(ServerConfig(store, enable_update=True, token=TOKEN, timeout=20))
    try:
        yield app
    finally:
        app.stop()
        store.close()
