"""The Python API (``lgkg.open``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph as RDFGraph

import lgkg
import lgkg.api
from lgkg.graph.store import MemoryStore, OxigraphStore, StoreLockedError
from lgkg.queries.named import QueryError

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
TEXT = (
    "---\nurl: https://example.org/news/api-test\npublished: 2017-05-02\n---\n"
    "Two councils share a legal team\n\n"
    "Brent Council and Lewisham Council formed a shared legal service in May 2017.\n"
)


@pytest.fixture
def graph():
    with lgkg.open(":memory:") as g:
        g.load(FIXTURE.read_bytes(), "trig")
        yield g


def test_api_open_memory_is_empty_and_closes() -> None:
    with lgkg.open(":memory:") as g:
        assert isinstance(g.store, MemoryStore)
        assert g.sparql("SELECT ?s WHERE { ?s ?p ?o }", as_frame=False) == []


def test_api_query_rows_as_dicts(graph: lgkg.Graph) -> None:
    rows = graph.query("partners", council="Southwark", as_frame=False)
    assert [(r["partner"], r["status"]) for r in rows] == [
        ("Brent", "proposed"),
        ("Lewisham", "proposed"),
    ]
    assert list(rows[0]) == ["partner_code", "partner", "partnership", "service_area", "status"]


def test_api_query_as_frame(graph: lgkg.Graph) -> None:
    pandas = pytest.importorskip("pandas")
    frame = graph.query("events")
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns)[:3] == ["council_code", "council", "action"]
    assert len(frame) == len(graph.query("events", as_frame=False))


def test_api_as_frame_without_pandas(graph: lgkg.Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lgkg.api, "_pandas", lambda: None)
    assert isinstance(graph.query("events"), list)
    with pytest.raises(ImportError, match="pandas"):
        graph.query("events", as_frame=True)


def test_api_query_errors(graph: lgkg.Graph) -> None:
    with pytest.raises(KeyError, match="no query named"):
        graph.query("nope")
    with pytest.raises(QueryError, match="needs --param council"):
        graph.query("partners")
    with pytest.raises(QueryError, match="no parameter"):
        graph.query("events", council="Brent")


def test_api_sparql_forms(graph: lgkg.Graph) -> None:
    rows = graph.sparql(
        "SELECT ?name WHERE { GRAPH ?g { ?c lgkg:shortName ?name } } ORDER BY ?name LIMIT 2",
        as_frame=False,
    )
    assert rows == [{"name": "Babergh"}, {"name": "Brent"}]
    assert graph.sparql("ASK { GRAPH ?g { ?e a lgkg:PartnershipEvent } }") is True
    built = graph.sparql("CONSTRUCT { ?c a lgkg:Council } WHERE { GRAPH ?g { ?c a lgkg:Council } }")
    assert isinstance(built, RDFGraph) and len(built) == 5
    with pytest.raises(ValueError, match="not a SPARQL query"):
        graph.sparql("DROP ALL")


def test_api_network(graph: lgkg.Graph) -> None:
    net = graph.network()
    assert net.number_of_nodes() == 5 and net.number_of_edges() == 4
    assert "betweenness" in net.nodes["E09000005"]
    assert graph.network(as_of="2019").number_of_edges() == 1
    assert "degree" not in graph.network(metrics=False).nodes["E09000005"]


def test_api_queries_lists_named_queries(graph: lgkg.Graph) -> None:
    names = [q["name"] for q in graph.queries(as_frame=False)]
    assert {"events", "partners", "memberships", "council_evidence"} <= set(names)


def test_api_load_graph_format_needs_graph(tmp_path: Path) -> None:
    ttl = "<https://x.org/s> <https://x.org/p> 'o' ."
    with lgkg.open(":memory:") as g:
        assert g.load(ttl, "turtle", graph="https://x.org/g") == ["https://x.org/g"]
        assert g.store.graphs() == ["https://x.org/g"]
        path = tmp_path / "d.trig"
        path.write_bytes(FIXTURE.read_bytes())
        assert "https://w3id.org/lgkg/id/graph/reference" in g.load(path)
        assert len(g.dataset()) > 100


def test_api_open_folder_locks_and_reopens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with lgkg.open(path) as g:
        g.load(FIXTURE.read_bytes())
        assert isinstance(g.store, OxigraphStore)
        with pytest.raises(StoreLockedError):
            lgkg.open(path)
    with lgkg.open(str(path), read_only=True) as g:
        assert len(g.query("events", as_frame=False)) == 12


def test_api_open_default_uses_lgkg_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LGKG_ENDPOINT", raising=False)
    monkeypatch.setenv("LGKG_STORE", str(tmp_path / "env-store"))
    with lgkg.open() as g:
        assert g.store.path == tmp_path / "env-store"


def test_api_wraps_a_store_and_leaves_it_open() -> None:
    store = OxigraphStore(None)
    with lgkg.open(store) as g:
        assert g.store is store
    assert store.count() == 0  # still usable


def test_api_ingest_rejects_a_missing_file() -> None:
    with lgkg.open(":memory:") as g, pytest.raises(FileNotFoundError, match="no such file"):
        g.ingest("no-such-file.txt")


def test_api_ingest_refuses_private_urls_unless_allowed() -> None:
    url = "http://127.0.0.1:9/news"
    with lgkg.open(":memory:") as g:
        refused = g.ingest(url)
        allowed = g.ingest(url, allow_private=True)
    assert refused.failures[0].reason.startswith("refused: 127.0.0.1 is a loopback address")
    assert allowed.failures[0].reason.startswith("cannot fetch")


@pytest.mark.slow
def test_api_ingest_text_and_files(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text(
        "Two councils share waste\n\n"
        "Adur District Council and Worthing Borough Council formed a shared waste service "
        "in June 2019.\n",
        encoding="utf-8",
    )
    seen = []
    with lgkg.open(":memory:") as g:
        summary = g.ingest(TEXT, note, on_result=seen.append)
        assert summary.count("ingested") == 2 and len(seen) == 2
        events = g.query("events", as_frame=False)
        assert {(e["council"], e["service_area"]) for e in events} >= {
            ("Brent", "legal"),
            ("Lewisham", "legal"),
            ("Adur", "waste"),
            ("Worthing", "waste"),
        }
        assert {e["source"] for e in events} == {"https://example.org/news/api-test", "note.txt"}
        assert g.ingest(TEXT).count("unchanged") == 1
        assert g.network().has_edge("E09000005", "E09000023")
