"""The benchmark's graph generator (bench/graphgen.py), the query benchmark's helpers
(bench/queries.py) and the log–log fit (bench/fit.py), on small graphs."""

from __future__ import annotations

import doctest
import importlib.util
import io
import math
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from pyshacl import validate
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.namespace import ORG

from lgkg.extract.gazetteer import Gazetteer
from lgkg.graph.reference import reference_graph
from lgkg.graph.store import OxigraphStore
from lgkg.graph.vocab import REFERENCE_GRAPH, ontology_graph, shapes_graph
from lgkg.queries.named import bind_params, get_query, run_query

BENCH = Path(__file__).resolve().parents[1] / "bench"
EXAMPLE = Path(__file__).resolve().parents[1] / "ontology" / "examples" / "valid-document.ttl"
SMALL = 20_000


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> Iterator[dict[str, ModuleType]]:
    modules = {name: _load(name) for name in ("graphgen", "fit", "queries", "growth")}
    yield modules
    for name in modules:
        del sys.modules[f"bench_{name}"]


@pytest.fixture(scope="module")
def small(bench) -> Iterator[tuple[OxigraphStore, object]]:
    """A generated graph of about 20k triples in an in-memory store, and its GraphInfo."""
    with OxigraphStore() as store:
        info = bench["graphgen"].load_generated(store, SMALL, seed=0)
        yield store, info


def _nquads(bench, triples: int, seed: int) -> tuple[bytes, object]:
    out = io.BytesIO()
    info = bench["graphgen"].write_nquads(out, triples, seed)
    return out.getvalue(), info


@pytest.mark.parametrize("name", ["graphgen", "fit", "queries", "growth"])
def test_bench_doctests(bench, name: str) -> None:
    result = doctest.testmod(bench[name])
    assert result.attempted > 0 and result.failed == 0


def test_graphgen_is_deterministic_for_a_seed(bench) -> None:
    first, info = _nquads(bench, 15_000, seed=4)
    again, _ = _nquads(bench, 15_000, seed=4)
    other, _ = _nquads(bench, 15_000, seed=5)
    assert first == again
    assert first != other
    assert info.documents > 20


def test_graphgen_smaller_graph_is_a_prefix_of_a_larger_one(bench) -> None:
    smaller, _ = _nquads(bench, 12_000, seed=2)
    larger, _ = _nquads(bench, 18_000, seed=2)
    assert larger.startswith(smaller)


@pytest.mark.parametrize("target", [10_000, 23_456, 40_000])
def test_graphgen_hits_the_requested_size(bench, target: int) -> None:
    data, info = _nquads(bench, target, seed=1)
    assert abs(info.triples - target) <= 150  # within half of a large document
    assert data.count(b"\n") == info.triples
    with OxigraphStore() as store:
        store.native.bulk_load(data, format=ox.RdfFormat.N_QUADS)
        assert store.count() == info.triples  # no two documents share a quad
        assert len(store.graphs()) == info.documents + 1  # one graph each, and the reference


def test_graphgen_resolves_partnerships_as_ingest_does(bench) -> None:
    """With ``resolve``, the documents' descriptions of one invented partnership become one
    entity, in a graph of its own after the documents."""
    graphgen = bench["graphgen"]
    plain = graphgen.write_nquads(io.BytesIO(), 60_000, 0)
    out, again = io.BytesIO(), io.BytesIO()
    resolved = graphgen.write_nquads(out, 60_000, 0, resolve=True)
    graphgen.write_nquads(again, 60_000, 0, resolve=True)
    assert out.getvalue() == again.getvalue()
    assert resolved.documents == plain.documents
    assert 0 < resolved.partnerships < plain.partnerships  # descriptions, when not resolved
    kind = (ox.NamedNode(str(RDF.type)), ox.NamedNode(str(ORG.OrganizationalCollaboration)))
    base = "https://w3id.org/lgkg/id/partnership/"
    entities = {
        q.subject
        for q in ox.parse(out.getvalue(), format=ox.RdfFormat.N_QUADS)
        if (q.predicate, q.object) == kind and q.subject.value.startswith(base)
    }
    assert len(entities) == resolved.partnerships


def test_graphgen_refuses_a_size_below_the_reference_graph(bench) -> None:
    with pytest.raises(ValueError, match="reference graph"):
        bench["graphgen"].write_nquads(io.BytesIO(), 1_000, seed=0)


@pytest.mark.parametrize("resolve", [False, True], ids=["emitted", "resolved"])
def test_graphgen_document_graphs_conform_to_the_shapes(bench, resolve: bool) -> None:
    out = io.BytesIO()
    info = bench["graphgen"].write_nquads(out, 15_000, 3, resolve=resolve)
    data = out.getvalue()
    dataset = Dataset()
    dataset.parse(data=data, format="nquads")
    union = ontology_graph()  # with the SKOS concepts the shapes look up (MODEL.md)
    documents = entities = 0
    for graph in dataset.graphs():
        if graph.identifier in (REFERENCE_GRAPH, dataset.default_graph.identifier):
            continue
        if str(graph.identifier).startswith("https://w3id.org/lgkg/id/partnership/"):
            entities += 1  # a partnership entity (resolve), not a document
        else:
            documents += 1
        for triple in graph:
            union.add(triple)
    assert documents == info.documents
    assert entities == (info.partnerships if resolve else 0)
    reference = reference_graph()  # the councils the documents name, as the store holds them
    councils = {o for o in union.objects() if isinstance(o, URIRef) and "/id/council/" in o}
    assert councils
    for council in councils:
        for p, o in reference.predicate_objects(council):
            union.add((council, p, o))
    conforms, report, text = validate(union, shacl_graph=shapes_graph(), inference="none")
    assert isinstance(report, Graph), text
    assert conforms, text


def test_graphgen_uses_every_term_of_the_example_document(bench) -> None:
    """Events with clients, memberships with intervals, savings, quotes: the whole model."""
    data, _ = _nquads(bench, SMALL, seed=0)
    dataset = Dataset()
    dataset.parse(data=data, format="nquads")
    documents = [
        g for g in dataset.graphs() if str(g.identifier).startswith("https://w3id.org/lgkg/id/doc/")
    ]
    predicates = {p for g in documents for p in g.predicates()}
    classes = {o for g in documents for o in g.objects(None, RDF.type)}
    example = Graph().parse(EXAMPLE)
    councils = set(example.subjects(RDF.type, URIRef("https://w3id.org/lgkg/ns#Council")))
    doc_triples = [(s, p, o) for s, p, o in example if s not in councils]
    assert {p for _, p, _ in doc_triples} <= predicates
    assert {o for _, p, o in doc_triples if p == RDF.type} <= classes


def test_graphgen_partnerships_link_documents(bench, small) -> None:
    store, info = small
    # several documents describe one partnership: they give it one name
    names = store.select(
        "SELECT (COUNT(DISTINCT ?name) AS ?n) WHERE { GRAPH ?g { ?d skos:altLabel ?name }"
        ' FILTER(STRSTARTS(STR(?d), "https://w3id.org/lgkg/id/description/")) }'
    )[1][0][0]
    assert int(names) < info.documents
    assert len(info.council_events) > 30  # councils from across the gazetteer
    assert info.council_events[info.busiest_council()] > info.council_events[info.typical_council()]


def test_every_contract_query_returns_rows_on_a_small_graph(bench, small) -> None:
    store, info = small
    cases = bench["queries"].cases(info, Gazetteer.load())
    assert {c.name for c in cases} == {"events", "savings", "quotes", "partners", "provenance"}
    for case in cases:
        columns, rows = run_query(store, case.name, case.params)
        assert rows, case
        assert all(len(row) == len(columns) for row in rows)


def test_bench_paths_agree_on_rows(bench, small) -> None:
    store, info = small
    queries = bench["queries"]
    for case in queries.cases(info, Gazetteer.load()):
        timing = queries.time_case(store, case, repeat=1, budget=0.0)
        assert timing.rows > 0
        assert len(timing.lgkg) == len(timing.oxigraph) == 1


def test_council_param_is_what_a_user_types(bench) -> None:
    gazetteer = Gazetteer.load()
    assert bench["queries"].council_param("E09000028", gazetteer) == "Southwark"


def test_loglog_fit_recovers_a_power_law(bench) -> None:
    fit = bench["fit"]
    sizes = [1e5, 1e6, 1e7]
    a, b = fit.loglog_fit(sizes, [2e-6 * s**1.3 for s in sizes])
    assert math.isclose(b, 1.3, rel_tol=1e-9)
    assert math.isclose(a, 2e-6, rel_tol=1e-6)
    assert fit.exponent([100, 200, 400], [1.0, 4.0, 16.0]) == "2.00"
    with pytest.raises(ValueError):
        fit.loglog_fit([100, 200], [1.0, 0.0])


def test_alternative_query_text_runs_for_the_same_cases(bench, small) -> None:
    """``--alt partners=FILE`` times FILE's text on the partners cases (here the same text)."""
    store, info = small
    q = get_query("partners")
    text = q.text
    cases = bench["queries"].cases(info, Gazetteer.load(), {"partners": text})
    alternatives = [c for c in cases if c.text is not None]
    assert len(alternatives) == 2
    for case in alternatives:
        bindings = bind_params(q, case.params)
        expected = store.select(q.text, bindings)
        assert expected[1]
        assert store.select(case.text, bindings) == expected


@pytest.mark.parametrize("seed", [0, 1])
def test_resolving_in_any_batches_and_order_gives_what_resolving_all_gives(bench, seed) -> None:
    """Generated releases, ingested in shuffled batches with some documents retracted and
    ingested again, resolve to the entities one resolution of them all makes."""
    import random
    from itertools import islice

    from lgkg.graph.identity import PartnershipIndex, describe

    xs = list(islice(bench["graphgen"].extractions(seed), 400))
    by_doc: dict[str, list] = {}
    for x in xs:
        for d in describe(x):
            by_doc.setdefault(d.doc, []).append(d)
    whole = PartnershipIndex()
    whole.update([d for ds in by_doc.values() for d in ds])
    assert len(whole) < len(by_doc)  # several releases tell of one partnership
    rng = random.Random(seed)
    order = sorted(by_doc)
    rng.shuffle(order)
    index = PartnershipIndex()
    while order:
        batch = order[: rng.randint(1, 30)]
        order = order[len(batch) :]
        index.update([d for doc in batch for d in by_doc[doc]])
        if rng.random() < 0.3:
            again = rng.choice(batch)
            index.update(dropped_docs=[again])
            index.update(by_doc[again])
    assert index.entities() == whole.entities()
