"""The store backends the graph tests run on, and how to make an empty one.

``remote`` is an Oxigraph server reached over HTTP (:class:`RemoteStore`,
writing with the Graph Store Protocol); ``remote-update`` writes with SPARQL
Update instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lgkg.graph.remote import RemoteStore
from lgkg.graph.store import MemoryStore, OxigraphStore, Store

TESTS = Path(__file__).resolve().parent.parent
FIXTURE = TESTS / "fixtures" / "mini.trig"
EXPECTED = TESTS / "expected"
BACKENDS = ["rdflib", "oxigraph", "remote", pytest.param("virtuoso", marks=pytest.mark.virtuoso)]

_SQ156 = "Virtuoso's SQL compiler fails on partners.rq (SQ156 'Bad dfe in sqlo_place_exp')"
_DURATION = "Virtuoso stores xsd:duration 'P1Y' as '12' (months), so period columns differ"
#: What Virtuoso 7.2.5 (Debian bookworm) gets wrong, by test id: expected failures.
VIRTUOSO_KNOWN_FAILURES = {
    "test_named_queries_match_expected[virtuoso-partners]": _SQ156,
    "test_named_queries_match_expected[virtuoso-partners-brent]": _SQ156,
    "test_named_queries_match_expected[virtuoso-partners-mid-suffolk]": _SQ156,
    "test_named_queries_project_params_after_columns[virtuoso-partners]": _SQ156,
    "test_named_queries_match_expected[virtuoso-savings]": _DURATION,
    "test_named_queries_match_expected[virtuoso-council_evidence-brent]": _DURATION,
    "test_store_replace_keeps_literals_exactly[virtuoso-P1Y]": _DURATION,
}


def make_store(kind: str, tmp_path: Path, request: pytest.FixtureRequest | None = None) -> Store:
    """An empty store of a backend: rdflib, oxigraph, remote, remote-update or virtuoso.

    ``remote`` is an Oxigraph server over HTTP writing with the Graph Store
    Protocol, ``remote-update`` the same writing with SPARQL Update, and
    ``virtuoso`` Debian's Virtuoso 7 (opt-in) with its Graph Store endpoint.
    """
    if kind == "rdflib":
        return MemoryStore()
    if kind == "oxigraph":
        return OxigraphStore(tmp_path / "store")
    assert request is not None, "a remote store needs a server fixture"
    if kind == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        return RemoteStore(server.query, graph_store=server.store)
    server = request.getfixturevalue("sparql_server")
    graph_store = server.store if kind == "remote" else None
    return RemoteStore(server.query, server.update, graph_store)
