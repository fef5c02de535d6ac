"""One IRI per partnership across documents (lgkg.graph.identity), on hand-built extractions.

Documents are :class:`Extraction` records written here (no spaCy); each is
emitted, resolved against the store and written as ``lgkg ingest`` does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, SKOS

from lgkg.extract.clean import CleanText, document_meta
from lgkg.extract.pipeline import extractor_version
from lgkg.extract.records import Body, DocumentMeta, Event, Evidence, Extraction, Partnership
from lgkg.graph.emit import doc_graph_iri, extraction_graph
from lgkg.graph.identity import PartnershipIndex, Resolver, members_match, nquads_graphs
from lgkg.graph.store import MemoryStore, Store
from lgkg.graph.vocab import LGKG, partnership_iri, service_area_iri
from lgkg.ingest import INGESTED, ingest
from lgkg.queries.named import cell_text, run_query
from lgkg.scaleout import document_nquads

BRENT = Body("Brent", "E09000005")
LEWISHAM = Body("Lewisham", "E09000023")
SOUTHWARK = Body("Southwark", "E09000028")
HART = Body("Hart", "E07000089")
RUSHMOOR = Body("Rushmoor", "E07000092")
STS = "Shared Technology Services"
BLS = "Brent-Lewisham shared IT service"


def doc(
    n: int,
    events: Iterable[tuple[Body, str, str, str, str, str]],
    partnerships: Iterable[Partnership] = (),
    published: str = "2016-04",
) -> Extraction:
    """Document ``n``: events as (body, action, partnership, area, date, status)."""
    text = f"Press release {n}."
    evidence = Evidence(text, 0, len(text))
    return Extraction(
        doc=DocumentMeta(
            doc_id=f"{n:016x}",
            url=f"https://example.org/news/{n}",
            title=f"Release {n}",
            published=published,
            file_name=None,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
        ),
        text=text,
        events=tuple(
            Event(body, action, label, area, date, status, None, evidence, 0.9, "test")
            for body, action, label, area, date, status in events
        ),
        partnerships=tuple(partnerships),
        extractor_version="test",
    )


def formed(label: str, area: str, *bodies: Body, date: str = "2016-04") -> list[tuple]:
    return [(b, "formed", label, area, date, "done") for b in bodies]


def write(store: Store, *xs: Extraction, resolver: Resolver | None = None) -> list[Graph]:
    """Resolve and write each document in order, as one ingest run; the graphs written."""
    resolver = resolver or Resolver(store)
    written = []
    for x in xs:
        iri = str(doc_graph_iri(x))
        graph = resolver.resolve(extraction_graph(x), iri)
        store.replace_graph(iri, graph)
        written.append(graph)
    return written


def partnerships_of(store: Store) -> dict[str, set[str]]:
    """Each partnership IRI in the store and the documents describing it."""
    rows = store.select(
        "SELECT ?p ?g WHERE { GRAPH ?g { ?p a <http://www.w3.org/ns/org#OrganizationalCollaboration> } }"
    )[1]
    found: dict[str, set[str]] = {}
    for p, g in rows:
        found.setdefault(str(p), set()).add(str(g))
    return found


def query(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    columns, rows = run_query(store, name, params)
    return [dict(zip(columns, map(cell_text, row), strict=True)) for row in rows]


def test_identity_members_match_rules() -> None:
    a, b, c, d = (URIRef(f"https://x.org/{n}") for n in "abcd")
    assert members_match({a, b, c}, {a, b, d}) == 2  # two in common
    assert members_match({a}, {a, b}) == 1  # a single new member inside the known ones
    assert members_match({a, b}, {a}) == 0  # the new has more than the single known
    assert members_match({a, c}, {a, b}) == 0  # one in common of two
    assert members_match(set(), {a}) == 0  # nothing to go on


# --------------------------------------------------------------------------- name


def test_identity_same_name_across_documents_is_one_iri() -> None:
    first = doc(1, formed(STS, "ict", BRENT, LEWISHAM), [Partnership(STS, "ict", (), (BLS,))])
    # another name, but one the first document gave as an alias; "the" and case aside
    second = doc(2, [(SOUTHWARK, "joined", f"the {BLS.upper()}", "ict", "", "proposed")])
    with MemoryStore() as store:
        write(store, first, second)
        assert partnerships_of(store) == {
            str(partnership_iri(STS)): {str(doc_graph_iri(first)), str(doc_graph_iri(second))}
        }
        events = query(store, "events")
        assert {r["partnership"] for r in events} == {STS}
        assert {r["council_code"] for r in events} == {"E09000005", "E09000023", "E09000028"}


def test_identity_name_beats_members_and_one_target_per_document() -> None:
    a = doc(1, formed("Legal partnership A", "legal", BRENT, LEWISHAM))
    b = doc(2, formed("Legal partnership B", "legal", SOUTHWARK, LEWISHAM))
    # names B, but has A's members; a second partnership of the same document has A's too
    c = doc(
        3,
        formed("legal partnership b", "legal", BRENT, LEWISHAM)
        + formed("Another legal service", "legal", BRENT, LEWISHAM),
    )
    with MemoryStore() as store:
        graph = write(store, a, b, c)[-1]
    targets = {str(p) for p in graph.subjects(RDFS.label, None) if "partnership/" in str(p)}
    # b by name; the other goes to a by members (b is taken)
    assert targets == {
        str(partnership_iri("Legal partnership B")),
        str(partnership_iri("Legal partnership A")),
    }
    assert (
        partnership_iri("Legal partnership A"),
        SKOS.altLabel,
        Literal("Another legal service"),
    ) in graph


# --------------------------------------------------------------------------- members


def test_identity_same_area_and_two_members_is_one_iri_with_the_later_name_an_alias() -> None:
    first = doc(1, formed(STS, "ict", BRENT, LEWISHAM))
    second = doc(
        2,
        [*formed(BLS, "ict", BRENT, LEWISHAM), (SOUTHWARK, "joined", BLS, "ict", "", "proposed")],
    )
    with MemoryStore() as store:
        _, graph = write(store, first, second)
        sts = partnership_iri(STS)
        assert set(partnerships_of(store)) == {str(sts)}
        assert set(graph.objects(sts, RDFS.label)) == {Literal(STS)}
        assert set(graph.objects(sts, SKOS.altLabel)) == {Literal(BLS)}
        assert not list(graph.triples((partnership_iri(BLS), None, None)))
        rows = query(store, "partnerships")
        assert {r["partnership"] for r in rows} == {STS}
        assert len(rows) == 5  # Brent and Lewisham twice, Southwark once: no label doubles rows
        members = query(store, "partnership_members", partnership=STS)
        assert sorted(r["member_code"] for r in members) == [
            "E09000005",
            "E09000005",
            "E09000023",
            "E09000023",
            "E09000028",
        ]
        # the later document's name finds the partnership too
        by_alias = query(store, "partnership_members", partnership=BLS.upper())
        assert sorted(r["member_code"] for r in by_alias) == sorted(
            r["member_code"] for r in members
        )


def test_identity_single_member_inside_a_known_partnership_is_it() -> None:
    first = doc(1, formed("Hart-Rushmoor shared planning service", "planning", HART, RUSHMOOR))
    second = doc(2, [(RUSHMOOR, "left", "Rushmoor planning service", "planning", "", "done")])
    with MemoryStore() as store:
        write(store, first, second)
        assert set(partnerships_of(store)) == {
            str(partnership_iri("Hart-Rushmoor shared planning service"))
        }


def test_identity_same_members_other_area_are_two_iris() -> None:
    first = doc(1, formed("Brent-Lewisham shared legal service", "legal", BRENT, LEWISHAM))
    second = doc(2, formed(BLS, "ict", BRENT, LEWISHAM))
    other = doc(3, formed("Brent-Lewisham joint working", "other", BRENT, LEWISHAM))
    more = doc(4, formed("Brent-Lewisham arrangement", "other", BRENT, LEWISHAM))
    with MemoryStore() as store:
        write(store, first, second, other, more)
        assert len(partnerships_of(store)) == 4  # "other" is no service area to share
        assert len({r["partnership"] for r in query(store, "events")}) == 4


# --------------------------------------------------------------------------- over time


def hart_rushmoor() -> tuple[Extraction, Extraction]:
    first = doc(
        1, formed("Hart-Rushmoor shared planning team", "planning", HART, RUSHMOOR, date="2015")
    )
    label = "Hart-Rushmoor planning partnership"
    second = doc(
        2,
        formed(label, "planning", HART, RUSHMOOR, date="2015")
        + [(b, "ended", label, "planning", "2020", "agreed") for b in (HART, RUSHMOOR)],
        published="2019-06-10",
    )
    return first, second


def test_identity_a_later_document_ends_what_an_earlier_one_formed() -> None:
    first, second = hart_rushmoor()
    label = "Hart-Rushmoor shared planning team"
    iri = partnership_iri(label)
    with MemoryStore() as store:
        write(store, first, second)
        assert partnerships_of(store) == {
            str(iri): {str(doc_graph_iri(first)), str(doc_graph_iri(second))}
        }
        actions = store.select(
            "SELECT ?action ?g WHERE { GRAPH ?g { ?e lgkg:partnership ?p ; lgkg:action ?action } }",
            {"p": iri},
        )[1]
        assert {str(a).rsplit("#", 1)[1] for a, _ in actions} == {"Formed", "Ended"}
        events = query(store, "events")
        assert {r["partnership"] for r in events} == {label}
        assert sorted((r["council"], r["action"], r["date"]) for r in events) == [
            ("E07000089", "ended", "2020"),
            ("E07000089", "formed", "2015"),
            ("E07000089", "formed", "2015"),
            ("E07000092", "ended", "2020"),
            ("E07000092", "formed", "2015"),
            ("E07000092", "formed", "2015"),
        ]
        members = query(store, "partnership_members", partnership=label)
        spans = sorted((r["member_code"], r["begin"], r["end"], r["source"]) for r in members)
        assert spans == [
            ("E07000089", "2015", "", "https://example.org/news/1"),
            ("E07000089", "2015", "2020", "https://example.org/news/2"),
            ("E07000092", "2015", "", "https://example.org/news/1"),
            ("E07000092", "2015", "2020", "https://example.org/news/2"),
        ]


def test_identity_reingest_is_idempotent() -> None:
    first, second = hart_rushmoor()
    with MemoryStore() as store:
        write(store, first, second)
        before, dump = store.count(), store.dump()
        write(store, second)  # a new run re-ingests the later document...
        write(store, first)  # ...and the one that named the partnership
        write(store, first, second)
        assert store.count() == before
        assert store.dump() == dump


def test_identity_retracting_one_document_keeps_the_partnership_of_the_other() -> None:
    first, second = hart_rushmoor()
    label = "Hart-Rushmoor shared planning team"
    with MemoryStore() as store:
        write(store, first, second)
        assert store.drop_graph(str(doc_graph_iri(first)))
        assert partnerships_of(store) == {str(partnership_iri(label)): {str(doc_graph_iri(second))}}
        assert {r["partnership"] for r in query(store, "events")} == {label}
        rows = query(store, "partnership_members", partnership=label)
        assert {r["source"] for r in rows} == {"https://example.org/news/2"}


def test_identity_index_loads_the_same_from_every_backend(empty_store: Store) -> None:
    first = doc(1, formed(STS, "ict", BRENT, LEWISHAM), [Partnership(STS, "ict", (), (BLS,))])
    second = doc(2, formed("Hart-Rushmoor shared planning team", "planning", HART, RUSHMOOR))
    write(empty_store, first, second)
    index = PartnershipIndex.load(empty_store)
    sts = partnership_iri(STS)
    assert index.iris() == sorted([sts, partnership_iri("Hart-Rushmoor shared planning team")])
    said = index.said(sts)
    assert (said.labels, said.aliases) == ({STS}, {BLS})
    assert said.areas == {URIRef(service_area_iri("ict"))}
    assert {str(m).rsplit("/", 1)[1] for m in said.members} == {"E09000005", "E09000023"}
    assert index.label(sts) == STS
    # a new document resolves against the loaded index as it would in the same run
    third = doc(3, [(SOUTHWARK, "joined", BLS, "ict", "", "proposed")])
    resolved = index.resolve(extraction_graph(third))
    assert set(resolved.subjects(LGKG.partnership, sts))


def test_identity_a_document_only_its_old_graph_named_is_not_a_match() -> None:
    """Re-ingesting a changed document: its old graph's partnerships do not capture it."""
    old = doc(1, formed(STS, "ict", BRENT, LEWISHAM))
    new = doc(1, formed(BLS, "ict", BRENT, LEWISHAM))  # same document, re-extracted
    with MemoryStore() as store:
        write(store, old)
        write(store, new)
        assert set(partnerships_of(store)) == {str(partnership_iri(BLS))}


# --------------------------------------------------------------------------- write paths


class PlannedExtractor:
    """The Extractor interface without NLP: each file's events come from ``plan``."""

    def __init__(self, plan: dict[str, list[tuple]]) -> None:
        self.plan = plan

    def _one(self, text: CleanText) -> Extraction:
        base = doc(0, self.plan[Path(text.source.name).name])
        return Extraction(
            document_meta(text), text.text, base.events, extractor_version=extractor_version()
        )

    def extract_cleaned(
        self, cleaned: Iterable[CleanText], batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Extraction]:
        return map(self._one, cleaned)


@pytest.mark.parametrize("batch", [1, 16])
def test_identity_ingest_resolves_within_and_across_batches(tmp_path: Path, batch: int) -> None:
    plan = {
        "a.txt": formed(STS, "ict", BRENT, LEWISHAM),
        "b.txt": formed(BLS, "ict", BRENT, LEWISHAM),
        "c.txt": [(SOUTHWARK, "joined", BLS, "ict", "", "proposed")],
    }
    for name in plan:
        (tmp_path / name).write_text(f"Release {name}.\n", encoding="utf-8")
    with MemoryStore() as store:
        paths = [str(tmp_path / n) for n in plan]
        summary = ingest(paths[:2], store, lambda: PlannedExtractor(plan), batch_size=batch)
        assert summary.count(INGESTED) == 2
        summary = ingest(paths, store, lambda: PlannedExtractor(plan), batch_size=batch)
        assert summary.count(INGESTED) == 1  # c.txt, in a later run
        assert set(partnerships_of(store)) == {str(partnership_iri(STS))}
        before = store.dump()
        ingest(paths, store, lambda: PlannedExtractor(plan), batch_size=batch, force=True)
        assert store.dump() == before


def test_identity_nquads_answers_resolve_as_graphs_do() -> None:
    """The Dask client reads each answer's N-Quads back and resolves it like a local graph."""
    first = doc(1, formed(STS, "ict", BRENT, LEWISHAM))
    second = doc(2, formed(BLS, "ict", BRENT, LEWISHAM))
    with MemoryStore() as local, MemoryStore() as remote:
        write(local, first, second)
        resolver = Resolver(remote)
        for x in (first, second):
            [(name, graph)] = nquads_graphs(document_nquads(x))
            remote.replace_graph(name, resolver.resolve(graph, name))
        for name in local.graphs():
            query_ = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
            assert isomorphic(local.construct(query_), remote.construct(query_)), name


@pytest.mark.parametrize("resolved", [True, False])
def test_identity_named_queries_give_one_row_per_fact_when_documents_share_a_partnership(
    empty_store: Store, resolved: bool
) -> None:
    """Two documents, one IRI: one row per event or membership, whatever labels the graphs hold.

    Unresolved, the two graphs label the IRI differently (the same slug), as
    stores written before resolution, or loaded from exports, do.
    """
    label, other = "Shared Technology Services", "shared technology services."
    a = doc(1, formed(label, "ict", BRENT, LEWISHAM))
    b = doc(
        2, [*formed(other, "ict", BRENT, LEWISHAM), (SOUTHWARK, "joined", other, "ict", "", "done")]
    )
    if resolved:
        write(empty_store, a, b)
    else:
        for x in (a, b):
            empty_store.replace_graph(str(doc_graph_iri(x)), extraction_graph(x))
    counts = {
        "events": ({}, 5),
        "partnerships": ({}, 5),
        "memberships": ({}, 5),
        "partnership_members": ({"partnership": label}, 5),
        "council_timeline": ({"council": "E09000005"}, 2),
        "partners": ({"council": "E09000005"}, 2),
    }
    labels: set[str] = set()
    for name, (params, n) in counts.items():
        rows = query(empty_store, name, **params)
        assert len(rows) == n, name
        labels |= {
            r["partnership"] for r in rows if "partnership" in r and name != "partnership_members"
        }
    assert labels == ({label} if resolved else {label, other})
