"""Fixtures every test folder shares: real SPARQL servers for the remote store.

``sparql_server`` is an Oxigraph server (PyPI ``oxigraph``, in the dev extra);
``virtuoso_server`` is Debian's Virtuoso 7, for tests marked ``virtuoso``,
which run only with ``LGKG_TEST_VIRTUOSO=1``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sparql_servers import SparqlServer, oxigraph_binary, start_oxigraph, start_virtuoso


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``virtuoso`` run only with ``LGKG_TEST_VIRTUOSO=1`` (else deselected)."""
    if os.environ.get("LGKG_TEST_VIRTUOSO") == "1":
        return
    deselected = [item for item in items if "virtuoso" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if "virtuoso" not in item.keywords]


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """One ``oxigraph serve`` per session on a free loopback port, stopped at the end."""
    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[dev]')")
    server = start_oxigraph(binary, tmp_path_factory.mktemp("oxigraph") / "data")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sparql_server(oxigraph_server: SparqlServer) -> SparqlServer:
    """The session's Oxigraph server, emptied for this test."""
    oxigraph_server.clear()
    return oxigraph_server


@pytest.fixture(scope="session")
def virtuoso_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparqlServer]:
    """One Virtuoso 7 per session (only tests marked ``virtuoso`` ask for it)."""
    try:
        server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    except RuntimeError as err:
        pytest.fail(f"LGKG_TEST_VIRTUOSO=1 but Virtuoso did not start: {err}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def virtuoso_server(virtuoso_session: SparqlServer) -> SparqlServer:
    """The session's Virtuoso, cleared of the graphs tests write."""
    virtuoso_session.clear()
    return virtuoso_session
