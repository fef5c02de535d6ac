"""The Store interface on both backends: replace, drop, values, dumps, reference, locking."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL

from lgkg.graph.store import (
    DUMP_FORMATS,
    MemoryStore,
    OxigraphStore,
    Store,
    StoreError,
    StoreLockedError,
    load_dataset,
    open_store,
)

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mini.trig"
DOC_A = "https://w3id.org/lgkg/id/doc/884f1ee6ffaf41b4"
DOC_C = "https://w3id.org/lgkg/id/doc/fdcdbe1afae66707"
REFERENCE = "https://w3id.org/lgkg/id/graph/reference"


def fixture_graph(name: str) -> Graph:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    graph = Graph()
    for triple in ds.graph(URIRef(name)):
        graph.add(triple)
    return graph


def test_store_is_a_store(empty_store: Store) -> None:
    assert isinstance(empty_store, Store)


def test_store_replace_is_idempotent(empty_store: Store) -> None:
    doc = fixture_graph(DOC_C)
    empty_store.replace_graph(DOC_C, doc)
    first = empty_store.count()
    empty_store.replace_graph(DOC_C, doc)
    assert empty_store.count() == first == len(doc)
    assert empty_store.graphs() == [DOC_C]


def test_store_replace_swaps_the_content(empty_store: Store) -> None:
    empty_store.replace_graph(DOC_C, fixture_graph(DOC_C))
    smaller = Graph()
    smaller.add((URIRef(DOC_C), URIRef("https://w3id.org/lgkg/ns#contentHash"), Literal("x")))
    empty_store.replace_graph(DOC_C, smaller)
    assert empty_store.count() == 1
    assert empty_store.graph_value(DOC_C, "https://w3id.org/lgkg/ns#contentHash") == "x"


def test_store_drop_removes_exactly_that_graph(mini_store: Store) -> None:
    before = mini_store.count()
    doc_a = len(fixture_graph(DOC_A))
    assert mini_store.drop_graph(DOC_A) is True
    assert not mini_store.has_graph(DOC_A)
    assert mini_store.count() == before - doc_a
    assert DOC_A not in mini_store.graphs()
    assert DOC_C in mini_store.graphs()
    assert mini_store.drop_graph(DOC_A) is False


def test_store_replace_graphs_in_one_call(empty_store: Store) -> None:
    empty_store.replace_graphs([(DOC_A, fixture_graph(DOC_A)), (DOC_C, fixture_graph(DOC_C))])
    assert empty_store.graphs() == sorted([DOC_A, DOC_C])


def test_store_blank_nodes_stay_apart_across_graphs(empty_store: Store) -> None:
    """Each graph's blank nodes are its own, even when two graphs share labels."""
    load_dataset(empty_store, FIXTURE.read_bytes())
    _, rows = empty_store.select(
        "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { GRAPH ?g { ?m <http://www.w3.org/ns/org#memberDuring> ?i } }"
    )
    assert int(rows[0][0]) == 8


@pytest.mark.parametrize(
    ("graph", "predicate", "expected"),
    [
        (
            DOC_A,
            "https://w3id.org/lgkg/ns#contentHash",
            "6262c9be1ce7b7959e2b99916131f96b958b3f977c1dd0bbf1a0bbc0bbf2ed43",
        ),
        (DOC_A, "https://w3id.org/lgkg/ns#fileName", None),
        (
            "https://w3id.org/lgkg/id/doc/0000000000000000",
            "https://w3id.org/lgkg/ns#contentHash",
            None,
        ),
    ],
)
def test_store_graph_value(
    mini_store: Store, graph: str, predicate: str, expected: str | None
) -> None:
    assert mini_store.graph_value(graph, predicate) == expected


def test_store_select_with_bindings(mini_store: Store) -> None:
    columns, rows = mini_store.select(
        "SELECT ?name ?c WHERE { GRAPH ?g { ?c lgkg:shortName ?name } }",
        {"c": URIRef("https://w3id.org/lgkg/id/council/E09000028")},
    )
    assert columns == ["name", "c"]
    assert rows == [[Literal("Southwark"), URIRef("https://w3id.org/lgkg/id/council/E09000028")]]


def test_store_ask_and_construct(mini_store: Store) -> None:
    assert mini_store.ask("ASK { GRAPH ?g { ?e a lgkg:PartnershipEvent } }")
    graph = mini_store.construct(
        "CONSTRUCT { ?c lgkg:shortName ?n } WHERE { GRAPH ?g { ?c lgkg:shortName ?n } }"
    )
    assert len(graph) == 5


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_store_query_raw_select(mini_store: Store, fmt: str) -> None:
    data = mini_store.query_raw(
        "SELECT ?n WHERE { GRAPH ?g { ?c lgkg:shortName ?n } } ORDER BY ?n", fmt
    )
    assert b"Babergh" in data and b"Southwark" in data


@pytest.mark.parametrize("fmt", ["turtle", "ntriples"])
def test_store_query_raw_construct(mini_store: Store, fmt: str) -> None:
    data = mini_store.query_raw(
        "CONSTRUCT { ?c lgkg:shortName ?n } WHERE { GRAPH ?g { ?c lgkg:shortName ?n } }", fmt
    )
    graph = Graph().parse(data=data, format=fmt)
    assert len(graph) == 5


@pytest.mark.parametrize("fmt", DUMP_FORMATS)
def test_store_dump_round_trips(mini_store: Store, fmt: str) -> None:
    data = mini_store.dump(fmt)
    if fmt == "turtle":
        assert len(Graph().parse(data=data, format="turtle")) > 0
        return
    ds = Dataset()
    ds.parse(data=data, format={"jsonld": "json-ld"}.get(fmt, fmt))
    assert sum(1 for _ in ds.quads((None, None, None, None))) == mini_store.count()


def test_store_dump_nquads_is_stable(mini_store: Store) -> None:
    assert mini_store.dump("nquads") == mini_store.dump("nquads")


def test_store_unknown_formats_are_refused(mini_store: Store) -> None:
    with pytest.raises(ValueError, match="unknown"):
        mini_store.dump("rdfa")
    with pytest.raises(ValueError, match="unknown"):
        mini_store.query_raw("SELECT * WHERE { ?s ?p ?o } LIMIT 1", "yaml")


def test_store_bad_sparql_is_a_value_error(mini_store: Store) -> None:
    with pytest.raises(ValueError, match="invalid SPARQL"):
        mini_store.select("SELECT WHERE {")


def _reference_quads(version: str) -> bytes:
    return f'<{REFERENCE}> <{OWL.versionInfo}> "{version}" <{REFERENCE}> .\n'.encode()


def test_store_reference_written_once(empty_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from lgkg.graph import reference

    calls = []

    def fake_reference_nquads() -> bytes:
        calls.append(1)
        return _reference_quads(reference.REFERENCE_VERSION)

    monkeypatch.setattr(reference, "reference_nquads", fake_reference_nquads)
    empty_store.ensure_reference()
    empty_store.ensure_reference()
    assert calls == [1]
    assert empty_store.graph_value(REFERENCE, str(OWL.versionInfo)) == reference.REFERENCE_VERSION


def test_store_reference_rewritten_when_version_changes(
    empty_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lgkg.graph import reference

    old = Graph()
    old.add((URIRef(REFERENCE), OWL.versionInfo, Literal("older")))
    empty_store.replace_graph(REFERENCE, old)
    fresh = _reference_quads(reference.REFERENCE_VERSION)
    monkeypatch.setattr(reference, "reference_nquads", lambda: fresh)
    empty_store.ensure_reference()
    assert empty_store.graph_value(REFERENCE, str(OWL.versionInfo)) == reference.REFERENCE_VERSION


def test_store_reference_bytes_are_kept_in_the_cache_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lgkg.graph import reference

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    built = []
    monkeypatch.setattr(reference, "_build_nquads", lambda: built.append(1) or b"quads\n")
    assert reference.reference_nquads() == b"quads\n"
    assert reference.reference_nquads() == b"quads\n"
    assert built == [1]
    (kept,) = (tmp_path / "cache").rglob("reference-*.nq")
    assert kept.name == f"reference-{reference.REFERENCE_VERSION}.nq"
    (tmp_path / "a-file").write_text("not a folder")  # no cache folder can be made under it
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a-file" / "cache"))
    assert reference.reference_nquads() == b"quads\n"  # built again, no error
    assert built == [1, 1]


def test_store_oxigraph_persists(tmp_path: Path) -> None:
    with OxigraphStore(tmp_path / "s") as store:
        store.replace_graph(DOC_C, fixture_graph(DOC_C))
        count = store.count()
    with OxigraphStore(tmp_path / "s", read_only=True) as store:
        assert store.count() == count
        with pytest.raises(StoreError, match="read-only"):
            store.drop_graph(DOC_C)


def test_store_read_only_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store"):
        OxigraphStore(tmp_path / "missing", read_only=True)


def test_store_locked_in_this_process(tmp_path: Path) -> None:
    locked = pytest.raises(StoreLockedError, match=r"store .* is in use by another lgkg process")
    with OxigraphStore(tmp_path / "s"), locked:
        OxigraphStore(tmp_path / "s")


def test_store_locked_by_another_process(tmp_path: Path) -> None:
    path = tmp_path / "s"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, pyoxigraph
                store = pyoxigraph.Store({str(path)!r})
                print("ready", flush=True)
                sys.stdin.readline()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError) as err:
            OxigraphStore(path)
        assert str(err.value) == f"store {path} is in use by another lgkg process"
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


@pytest.mark.parametrize(
    ("arg", "env", "expected"),
    [
        (":memory:", None, MemoryStore),
        (None, ":memory:", MemoryStore),
    ],
)
def test_store_open_store_choice(
    monkeypatch: pytest.MonkeyPatch, arg: str | None, env: str | None, expected: type
) -> None:
    if env is None:
        monkeypatch.delenv("LGKG_STORE", raising=False)
    else:
        monkeypatch.setenv("LGKG_STORE", env)
    with open_store(arg) as store:
        assert isinstance(store, expected)


def test_store_open_store_env_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LGKG_STORE", str(tmp_path / "envstore"))
    with open_store() as store:
        assert isinstance(store, OxigraphStore)
        assert store.path == tmp_path / "envstore"


@pytest.mark.parametrize(
    "literal",
    [
        Literal('quote " and \\ backslash'),
        Literal("line\nbreak\r\ttab } UNION { ?s ?p ?o } #"),
        Literal("Ynys Môn – ‘smart’ £1m 🚀"),
        Literal("Southwark Council", lang="en"),
        Literal("0.85", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")),
        Literal("P1Y", datatype=URIRef("http://www.w3.org/2001/XMLSchema#duration")),
    ],
)
def test_store_replace_keeps_literals_exactly(empty_store: Store, literal: Literal) -> None:
    graph = Graph()
    subject = URIRef("https://w3id.org/lgkg/id/org/caf%C3%A9-ü")
    graph.add((subject, URIRef("https://w3id.org/lgkg/ns#evidence"), literal))
    empty_store.replace_graph(DOC_C, graph)
    _, rows = empty_store.select(f"SELECT ?s ?o WHERE {{ GRAPH <{DOC_C}> {{ ?s ?p ?o }} }}")
    assert rows == [[subject, literal]]


def test_store_select_rows_keep_unbound_cells_in_their_columns(mini_store: Store) -> None:
    columns, rows = mini_store.select(
        "SELECT ?s ?missing ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        "OPTIONAL { ?s <https://example.org/none> ?missing } } LIMIT 3"
    )
    assert columns == ["s", "missing", "o"]
    assert rows and all(len(r) == 3 and r[1] is None and r[0] is not None for r in rows)


def test_store_select_unmarks_the_columns_named(mini_store: Store) -> None:
    """Query plans mark texts with "~" (lgkg.queries.plan); every store drops the mark."""
    query = (
        'SELECT ?kind ?marked ?missing WHERE { GRAPH ?g { ?s a ?kind } BIND(CONCAT("~", '
        "STR(?kind)) AS ?marked) OPTIONAL { ?s <https://example.org/none> ?missing } }"
    )
    columns, plain = mini_store.select(query)
    _, rows = mini_store.select(query, unmark=["marked", "missing"])
    assert columns == ["kind", "marked", "missing"]
    assert len(rows) == len(plain) > 0
    assert all(row[1] == Literal(str(row[0])) and row[2] is None for row in rows)
    assert all(str(row[1]).startswith("~") for row in plain)


def test_store_select_refuses_to_unmark_what_is_not_marked(mini_store: Store) -> None:
    query = "SELECT ?s WHERE { GRAPH ?g { ?s a ?kind } } LIMIT 1"
    with pytest.raises(ValueError, match="should be a text starting with '~'"):
        mini_store.select(query, unmark=["s"])
    with pytest.raises(ValueError, match="no column 'nothing'"):
        mini_store.select(query, unmark=["nothing"])
