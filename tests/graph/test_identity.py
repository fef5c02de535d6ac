"""Partnerships as entities across documents (lgkg.graph.identity), on hand-built extractions.

Documents are :class:`Extraction` records written here (no spaCy); each batch is
written as ``lgkg ingest`` writes it (:func:`lgkg.ingest.write_resolved`): the
document graphs, then the entity graphs their partnerships change.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS, SKOS

from lgkg.evaluation import resolved_partnerships
from lgkg.extract.clean import CleanText, document_meta
from lgkg.extract.evaluate import Gold, identity_counts
from lgkg.extract.pipeline import extractor_version
from lgkg.extract.records import Body, DocumentMeta, Event, Evidence, Extraction, Partnership
from lgkg.graph.emit import doc_graph_iri, extraction_graph
from lgkg.graph.identity import (
    PartnershipIndex,
    Resolver,
    areas_agree,
    describe,
    descriptions_in,
    name_groups,
    resolve,
    resolve_store,
)
from lgkg.graph.store import MemoryStore, OxigraphStore, Store
from lgkg.graph.vocab import ID, description_iri
from lgkg.ingest import INGESTED, ingest, ingested, write_resolved
from lgkg.queries.named import cell_text, run_query
from lgkg.retract import retract
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


def named(label: str, area: str, *aliases: str) -> Partnership:
    """A partnership the text names ``label`` (and ``aliases``)."""
    return Partnership(label, area, (), aliases, named=True)


def formed(label: str, area: str, *bodies: Body, date: str = "2016-04") -> list[tuple]:
    return [(b, "formed", label, area, date, "done") for b in bodies]


def write(store: Store, *xs: Extraction, resolver: Resolver | None = None) -> None:
    """Write the documents as one ingest batch (one :class:`Resolver` per call)."""
    resolver = resolver or Resolver(store)
    items = [
        (
            ingested(x.doc.doc_id, str(doc_graph_iri(x)), x),
            (str(doc_graph_iri(x)), extraction_graph(x)),
        )
        for x in xs
    ]
    extractions = {str(doc_graph_iri(x)): x for x in xs}
    results = list(write_resolved(items, store, resolver, extractions))
    assert all(r.outcome == INGESTED for r in results)


def entities_of(store: Store) -> dict[str, set[str]]:
    """Each partnership entity of the store and the documents it was resolved from."""
    rows = store.select(
        "SELECT ?e ?d WHERE { GRAPH ?e { ?e a org:OrganizationalCollaboration ; "
        "prov:wasDerivedFrom ?d } }"
    )[1]
    found: dict[str, set[str]] = {}
    for e, d in rows:
        found.setdefault(str(e), set()).add(str(d))
    return found


def entity(label: str) -> str:
    return str(ID[f"partnership/{label}"])


def query(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    columns, rows = run_query(store, name, params)
    return [dict(zip(columns, map(cell_text, row), strict=True)) for row in rows]


def docs_of(*xs: Extraction) -> set[str]:
    return {str(doc_graph_iri(x)) for x in xs}


# --------------------------------------------------------------------------- evidence


def test_identity_areas_agree_only_when_one_covers_the_other() -> None:
    assert areas_agree("ict", "ict") and areas_agree("other", "management")
    assert not areas_agree("other", "waste")  # "other" is an area of its own
    assert areas_agree("back-office", "legal") and areas_agree("management", "finance")
    assert not areas_agree("legal", "audit") and not areas_agree("back-office", "waste")


def test_identity_name_groups_count_forms_of_one_name_once() -> None:
    assert name_groups(["Dorset Waste Partnership", "DWP"]) == 1
    assert name_groups(["Xentrall", "Xentrall Shared Services"]) == 1
    assert name_groups(["Shared Services", "Joint Committee"]) == 0  # generic words only
    assert name_groups(["LGSS", "Welland Partnership"]) == 2


def test_identity_records_and_their_graph_describe_alike() -> None:
    """What resolution reads of a document is the same from its records and from its graph."""
    x = doc(
        1,
        [
            *formed(STS, "ict", BRENT, LEWISHAM, date="2016-04"),
            (SOUTHWARK, "left", STS, "ict", "", "done"),
            (Body("Gwent Police"), "formed", "X", "ict", "", "agreed"),
        ],
        [named(STS, "ict", "STS")],
    )
    assert describe(x) == descriptions_in(extraction_graph(x), str(doc_graph_iri(x)))
    [sts, other] = describe(x)
    assert sts.iri == str(description_iri(x.doc.doc_id, 1))
    assert sts.names == ("STS", STS) and sts.founded == (2016,)
    assert [name for _, name in sts.members] == ["Brent", "Lewisham", "Southwark"]
    assert other.member_iris == {str(ID["org/gwent-police"])}


# --------------------------------------------------------------------------- names


def test_identity_same_name_across_documents_is_one_entity() -> None:
    first = doc(1, formed(STS, "ict", BRENT, LEWISHAM), [named(STS, "ict", BLS)])
    # another name, one the first document gave as an alias ("the", case aside); no member in common
    second = doc(
        2,
        [(SOUTHWARK, "joined", f"the {BLS.upper()}", "ict", "", "proposed")],
        [named(f"the {BLS.upper()}", "ict")],
    )
    with MemoryStore() as store:
        write(store, first, second)
        # labelled by the name most documents give
        iri = entity("brent-lewisham-shared-it-service")
        assert entities_of(store) == {iri: docs_of(first, second)}
        events = query(store, "events")
        assert {r["partnership"] for r in events} == {BLS}
        assert {r["partnership_iri"] for r in events} == {iri}


def test_identity_an_acronym_and_its_expansion_are_one_name() -> None:
    first = doc(
        1,
        formed("Local Government Shared Services", "back-office", BRENT, LEWISHAM),
        [named("Local Government Shared Services", "back-office")],
    )
    second = doc(
        2, [(HART, "left", "LGSS", "back-office", "", "done")], [named("LGSS", "back-office")]
    )
    third = doc(3, [(RUSHMOOR, "joined", "LGSS", "ict", "", "done")], [named("LGSS", "ict")])
    with MemoryStore() as store:
        write(store, first, second, third)
        [(iri, docs)] = entities_of(store).items()
        assert docs == docs_of(first, second, third)
        assert iri == entity("lgss")  # the name most documents give


def test_identity_two_distinct_names_are_two_partnerships_whatever_the_members() -> None:
    first = doc(1, formed("Orbis", "back-office", BRENT, LEWISHAM), [named("Orbis", "back-office")])
    second = doc(
        2,
        formed("Orbis Public Law", "legal", BRENT, LEWISHAM),
        [named("Orbis Public Law", "legal")],
    )
    with MemoryStore() as store:
        write(store, first, second)
        assert len(entities_of(store)) == 2


def test_identity_a_text_naming_two_partnerships_needs_a_member_to_link() -> None:
    """A text about LGSS managing the Welland consortium names both: its events alone say
    which; its names link it only where members agree."""
    lgss = doc(1, formed("LGSS", "back-office", BRENT, LEWISHAM), [named("LGSS", "back-office")])
    welland = doc(
        2,
        formed("LGSS", "audit", HART, RUSHMOOR),
        [named("LGSS", "audit", "Welland Partnership", "WIAC")],
    )
    with MemoryStore() as store:
        write(store, lgss, welland)
        assert len(entities_of(store)) == 2


# --------------------------------------------------------------------------- members


def test_identity_same_members_and_area_is_one_entity_named_by_the_text() -> None:
    unnamed = doc(1, formed("Brent and Lewisham shared ICT service", "ict", BRENT, LEWISHAM))
    named_later = doc(
        2,
        [*formed(STS, "ict", BRENT, LEWISHAM), (SOUTHWARK, "joined", STS, "ict", "", "proposed")],
        [named(STS, "ict")],
    )
    with MemoryStore() as store:
        write(store, unnamed, named_later)
        iri = entity("shared-technology-services")
        assert entities_of(store) == {iri: docs_of(unnamed, named_later)}
        graph = store.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        )
        assert set(graph.objects(URIRef(iri), RDFS.label)) == {Literal(STS)}
        assert set(graph.objects(URIRef(iri), SKOS.altLabel)) == {
            Literal("Brent and Lewisham shared ICT service")
        }
        descriptions = set(graph.subjects(PROV.specializationOf, URIRef(iri)))
        assert descriptions == {
            description_iri(unnamed.doc.doc_id, 1),
            description_iri(named_later.doc.doc_id, 1),
        }
        members = query(store, "partnership_members", partnership=STS)
        assert sorted(r["member_code"] for r in members) == [
            "E09000005",
            "E09000005",
            "E09000023",
            "E09000023",
            "E09000028",
        ]
        # the first document's own label finds the partnership too
        by_label = query(
            store, "partnership_members", partnership="Brent and Lewisham shared ICT service"
        )
        assert len(by_label) == len(members)


def test_identity_a_single_member_joins_the_one_partnership_of_its_body_and_area() -> None:
    first = doc(1, formed("Hart and Rushmoor shared planning service", "planning", HART, RUSHMOOR))
    leaver = doc(2, [(RUSHMOOR, "left", "Rushmoor planning service", "planning", "", "done")])
    with MemoryStore() as store:
        write(store, first, leaver)
        assert list(entities_of(store).values()) == [docs_of(first, leaver)]


def test_identity_same_members_other_area_are_two_partnerships() -> None:
    legal = doc(1, formed("Brent and Lewisham shared legal service", "legal", BRENT, LEWISHAM))
    ict = doc(2, formed(BLS, "ict", BRENT, LEWISHAM))
    with MemoryStore() as store:
        write(store, legal, ict)
        assert len(entities_of(store)) == 2


def test_identity_areas_read_apart_do_not_split_the_same_members() -> None:
    """Service areas are what extraction reads worst: one article's shared management of
    Hart and Rushmoor, read as ``legal`` in a second and ``audit`` in a third, stays one
    partnership while the member lists are the same (one within the other); another audit
    partnership with only one of its members in common is not drawn in."""
    management = doc(1, formed("A", "management", HART, RUSHMOOR))
    legal = doc(2, formed("B", "legal", HART, RUSHMOOR))
    audit = doc(3, formed("C", "audit", HART, RUSHMOOR, BRENT))
    other = doc(4, formed("D", "audit", HART, LEWISHAM, SOUTHWARK))
    groups = resolve(describe(management) + describe(legal) + describe(audit) + describe(other))
    assert sorted(sorted(d.doc for d in g) for g in groups) == sorted(
        [sorted(docs_of(management, legal, audit)), sorted(docs_of(other))]
    )


def test_identity_founding_years_apart_are_two_partnerships() -> None:
    """The partnership set up in 2010 is not the one set up in 2021 by the same councils."""
    old = doc(1, formed("A", "management", HART, RUSHMOOR, date="2010"))
    new = doc(2, formed("B", "management", HART, RUSHMOOR, date="2021-08"))
    later = doc(3, formed("C", "management", HART, RUSHMOOR, date="2010"), published="2021-02")
    with MemoryStore() as store:
        write(store, old, new, later)
        assert sorted(map(sorted, entities_of(store).values())) == sorted(
            [sorted(docs_of(old, later)), sorted(docs_of(new))]
        )


def test_identity_a_generated_label_is_readable() -> None:
    x = doc(1, formed("Hart and Rushmoor shared services", "other", HART, RUSHMOOR))
    y = doc(2, formed("Rushmoor and Hart shared services", "other", HART, RUSHMOOR))
    [group] = resolve(describe(x) + describe(y))
    assert len(group) == 2
    with MemoryStore() as store:
        write(store, x, y)
        assert list(entities_of(store)) == [entity("hart-and-rushmoor-shared-services")]
        assert {r["partnership"] for r in query(store, "events")} == {
            "Hart and Rushmoor shared services"
        }


# --------------------------------------------------------------------------- order


def corpus() -> list[Extraction]:
    """Six documents: two partnerships told in several documents each, and a bystander."""
    return [
        doc(1, formed("Brent and Lewisham shared ICT service", "ict", BRENT, LEWISHAM)),
        doc(2, [(SOUTHWARK, "joined", STS, "ict", "", "proposed")], [named(STS, "ict", "STS")]),
        doc(
            3,
            [
                *formed("STS", "ict", BRENT, LEWISHAM),
                (SOUTHWARK, "left", "STS", "ict", "2025", "agreed"),
            ],
            [named("STS", "ict")],
            published="2025-11",
        ),
        doc(
            4,
            formed(
                "Hart and Rushmoor shared planning service", "planning", HART, RUSHMOOR, date="2015"
            ),
        ),
        doc(
            5,
            [
                (b, "ended", "Hart-Rushmoor planning partnership", "planning", "2020", "done")
                for b in (HART, RUSHMOOR)
            ],
            published="2020-06",
        ),
        doc(6, formed("Brent and Lewisham shared legal service", "legal", BRENT, LEWISHAM)),
    ]


GOLD_IDS = {1: "sts", 2: "sts", 3: "sts", 4: "hr", 5: "hr", 6: "legal"}


def gold_of(x: Extraction) -> Gold:
    return Gold(
        x.doc.doc_id,
        None,
        [{"council": e.body.code, "action": e.action} for e in x.events],
    )


def figure(xs: list[Extraction]) -> tuple[int, int, int]:
    """Pairwise identity counts of ``xs`` against :data:`GOLD_IDS`, resolved in this order."""
    found = resolved_partnerships(xs)
    counts = identity_counts(
        (gold_of(x), [GOLD_IDS[int(x.doc.doc_id, 16)]] * len(x.events), f)
        for x, f in zip(xs, found, strict=True)
    )
    return counts.tp, counts.fp, counts.fn


@pytest.mark.parametrize("order", [(0, 1, 2, 3, 4, 5), (5, 3, 1, 4, 0, 2), (2, 4, 0, 5, 1, 3)])
def test_identity_does_not_depend_on_ingest_order(order: tuple[int, ...]) -> None:
    """Three ingest orders, one document a batch: the same entities, triple for triple, and the
    same identity figure as ``lgkg evaluate`` computes it."""
    xs = corpus()
    with MemoryStore() as reference:
        write(reference, *xs)
        expected = reference.dump()
        entities = entities_of(reference)
    assert sorted(map(sorted, entities.values())) == sorted(
        [sorted(docs_of(*xs[:3])), sorted(docs_of(*xs[3:5])), sorted(docs_of(xs[5]))]
    )
    with MemoryStore() as store:
        for i in order:
            write(store, xs[i])  # a run per document: the index is loaded from the store each time
        assert store.dump() == expected
    assert figure([xs[i] for i in order]) == figure(xs) == (15, 0, 0)


def test_identity_updates_give_what_resolving_everything_gives() -> None:
    """Any sequence of ingests and retractions leaves the entities a full re-resolve makes."""
    xs = corpus()
    for first, second in itertools.permutations(range(len(xs)), 2):
        with MemoryStore() as store:
            resolver = Resolver(store)
            write(store, *(x for i, x in enumerate(xs) if i != first), resolver=resolver)
            store.replace_graphs([(str(doc_graph_iri(xs[second])), Graph())])
            store.replace_graphs(resolver.changes(dropped_docs=[str(doc_graph_iri(xs[second]))]))
            write(store, xs[first], resolver=resolver)
            incremental = store.dump()
            resolve_store(store)
            assert store.dump() == incremental, (first, second)


def test_identity_two_new_descriptions_before_the_first_of_a_name_reach_it() -> None:
    """A name's descriptions are linked through the first of them (in IRI order): two new
    ones that both come before the first one already indexed must still reach it."""

    def named_doc(n: int, *bodies: Body) -> Extraction:
        return doc(
            n, formed("Tamar Partnership", "ict", *bodies), [named("Tamar Partnership", "ict")]
        )

    old = named_doc(9, BRENT, LEWISHAM)
    new = [named_doc(1, SOUTHWARK), named_doc(2, HART)]
    index = PartnershipIndex()
    index.update(describe(old))
    index.update([d for x in new for d in describe(x)])
    together = resolve([d for x in [old, *new] for d in describe(x)])
    assert [[d.iri for d in g] for g in together] == [
        sorted(e.descriptions) for e in index.entities()
    ]
    assert len(together) == 1


def test_identity_a_block_that_grows_past_its_limits_resolves_as_a_batch_does() -> None:
    """Documents of one member pair arrive one or three at a time: their block is compared
    whole, then in windows (past ``FULL_BLOCK``), then not at all (past ``max_block``); after
    every update the entities are those resolving everything at once gives."""
    xs = [doc(n, formed(f"P{n}", "legal", BRENT, LEWISHAM)) for n in range(1, 36)]
    for step in (1, 3):
        index = PartnershipIndex()
        for start in range(0, len(xs), step):
            index.update([d for x in xs[start : start + step] for d in describe(x)])
            together = resolve([d for x in xs[: start + step] for d in describe(x)])
            assert sorted(sorted(e.descriptions) for e in index.entities()) == sorted(
                [d.iri for d in g] for g in together
            ), (step, start)
    assert len(together) == len(xs)  # past the limit, a pair of members tells nothing


def test_identity_updates_inside_a_windowed_block_resolve_as_a_batch_does() -> None:
    """One member pair's unnamed partnerships founded a year apart each fill a block past
    ``FULL_BLOCK``, where only neighbours in founding order are compared (and link, within
    ``founded_years_apart``). Documents arrive out of order, two are retracted and one comes
    back founded in another year: after every update the entities are a batch's."""
    years = [2003, 2011, 2000, 2007, 2020, 2001, 2009, 2018, 2005, 2019, 2002, 2010, 2006]
    xs = {n: doc(n, formed("", "legal", BRENT, LEWISHAM, date=str(y))) for n, y in enumerate(years)}
    steps: list[tuple[list[Extraction], list[int]]] = [
        ([xs[n] for n in range(0, 7)], []),
        ([xs[n] for n in range(7, 13)], []),
        ([], [1, 8]),
        ([doc(4, formed("", "legal", BRENT, LEWISHAM, date="2004"))], []),
        ([xs[1]], []),
    ]
    index, now = PartnershipIndex(), {}
    for added, dropped in steps:
        for n in dropped:
            now.pop(n)
        for x in added:
            now[int(x.doc.doc_id, 16)] = x
        index.update(
            [d for x in added for d in describe(x)],
            dropped_docs=[str(doc_graph_iri(xs[n])) for n in dropped],
        )
        together = resolve([d for x in now.values() for d in describe(x)])
        assert sorted(sorted(e.descriptions) for e in index.entities()) == sorted(
            [d.iri for d in g] for g in together
        ), (added, dropped)
    assert 1 < len(together) < len(now)  # neighbours linked, years apart not


def test_identity_retracting_the_linking_document_splits_and_reingest_restores() -> None:
    """Document 2 alone names STS and holds Southwark; without it, its neighbours still link
    by members, but re-ingesting it gives back every triple."""
    xs = corpus()
    with MemoryStore() as store:
        write(store, *xs)
        before = store.dump()
        assert retract(store, str(doc_graph_iri(xs[0])))
        assert entity("sts") in entities_of(store)
        assert retract(store, str(doc_graph_iri(xs[2])))
        sts = [e for e, docs in entities_of(store).items() if str(doc_graph_iri(xs[1])) in docs]
        assert sts == [entity("shared-technology-services")]
        assert not retract(store, str(doc_graph_iri(xs[2])))  # gone already
        write(store, xs[2])
        write(store, xs[0])
        assert store.dump() == before


def test_identity_reingest_is_idempotent() -> None:
    xs = corpus()
    with MemoryStore() as store:
        write(store, *xs)
        dump = store.dump()
        write(store, xs[4])
        write(store, *xs[:2])
        assert store.dump() == dump


# --------------------------------------------------------------------------- the store


def test_identity_index_loads_the_same_from_every_backend(empty_store: Store) -> None:
    xs = corpus()
    write(empty_store, *xs)
    index = PartnershipIndex.load(empty_store)
    memory = PartnershipIndex()
    memory.update([d for x in xs for d in describe(x)])
    assert index.entities() == memory.entities()
    assert not index.pending  # the store holds what it resolves to
    assert {e.iri for e in index.entities()} == set(entities_of(empty_store))


def test_identity_resolve_store_rebuilds_entities_and_drops_stale_ones() -> None:
    xs = corpus()
    with MemoryStore() as store:
        for x in xs:  # written as a bulk load writes them: no entities
            store.replace_graph(str(doc_graph_iri(x)), extraction_graph(x))
        stale = Graph()
        stale.add((URIRef(entity("old")), RDFS.label, Literal("old")))
        store.replace_graph(entity("old"), stale)
        assert {r["partnership_iri"] for r in query(store, "events")} >= {
            str(description_iri(xs[0].doc.doc_id, 1))
        }  # unresolved: each document's own description
        assert resolve_store(store) == (6, 3)
        assert entity("old") not in store.graphs()
        resolved = store.dump()
        assert resolve_store(store) == (6, 3) and store.dump() == resolved
        with MemoryStore() as fresh:
            write(fresh, *xs)
            assert fresh.dump() == resolved


def test_identity_load_notices_entity_graphs_the_store_lacks() -> None:
    """A store whose entity graphs are missing gets them with the next change."""
    xs = corpus()
    with MemoryStore() as store:
        for x in xs[:5]:
            store.replace_graph(str(doc_graph_iri(x)), extraction_graph(x))
        write(store, xs[5])
        with MemoryStore() as fresh:
            write(fresh, *xs)
            assert store.dump() == fresh.dump()


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
        "a.txt": formed("Brent and Lewisham shared ICT service", "ict", BRENT, LEWISHAM),
        "b.txt": formed(BLS, "ict", BRENT, LEWISHAM),
        "c.txt": [
            (SOUTHWARK, "joined", BLS, "ict", "", "proposed"),
            *formed(BLS, "ict", BRENT, LEWISHAM),
        ],
    }
    for name in plan:
        (tmp_path / name).write_text(f"Release {name}.\n", encoding="utf-8")
    paths = [str(tmp_path / n) for n in plan]
    with MemoryStore() as store, MemoryStore() as once:
        summary = ingest(paths[:2], store, lambda: PlannedExtractor(plan), batch_size=batch)
        assert summary.count(INGESTED) == 2
        summary = ingest(paths, store, lambda: PlannedExtractor(plan), batch_size=batch)
        assert summary.count(INGESTED) == 1  # c.txt, in a later run
        assert len(entities_of(store)) == 1
        ingest(paths[::-1], once, lambda: PlannedExtractor(plan), batch_size=batch)
        assert entity_quads(store) == entity_quads(once) != set()


def entity_quads(store: Store) -> set[str]:
    """The quads of the store's partnership entity graphs."""
    graphs = {f"<{g}> ." for g in store.graphs() if g.startswith(entity(""))}
    return {line for line in store.dump().decode().splitlines() if line.endswith(tuple(graphs))}


def test_identity_graphs_resolve_as_records_do() -> None:
    """The Dask client has only each document's N-Quads: resolved from the graphs, the
    store is the same as from the records."""
    from lgkg.graph.identity import nquads_graphs

    xs = corpus()
    with MemoryStore() as local, MemoryStore() as remote:
        write(local, *xs)
        items = []
        for x in xs:
            [(name, graph)] = nquads_graphs(document_nquads(x))
            items.append((ingested(x.doc.doc_id, name, x), (name, graph)))
        assert all(r.outcome == INGESTED for r in write_resolved(items, remote, Resolver(remote)))
        assert named_triples(local) == named_triples(remote)


def named_triples(store: Store) -> set[str]:
    """The store's quads but those with blank nodes (which N-Quads parsing names afresh)."""
    return {line for line in store.dump().decode().splitlines() if "_:" not in line}


@pytest.mark.parametrize("resolved", [True, False])
def test_identity_named_queries_give_one_row_per_fact_when_documents_share_a_partnership(
    empty_store: Store, resolved: bool
) -> None:
    """Two documents, one partnership: one row per event or membership, labelled alike once
    resolved; unresolved (a bulk load), each document's own description and label."""
    label, other = STS, "shared technology services."
    a = doc(1, formed(label, "ict", BRENT, LEWISHAM), [named(label, "ict")])
    b = doc(
        2,
        [*formed(other, "ict", BRENT, LEWISHAM), (SOUTHWARK, "joined", other, "ict", "", "done")],
        [named(other, "ict")],
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
        "council_timeline": ({"council": "E09000005"}, 2),
        # unresolved, Lewisham is Brent's partner in two descriptions
        "partners": ({"council": "E09000005"}, 2 if resolved else 3),
        "partnership_history": ({"partnership": label}, 5 if resolved else 2),
    }
    labels: set[str] = set()
    for name, (params, n) in counts.items():
        rows = query(empty_store, name, **params)
        assert len(rows) == n, name
        labels |= {r["partnership"] for r in rows if "partnership" in r}
    assert labels == ({label} if resolved else {label, other})


def test_identity_history_and_members_on_follow_the_partnership_across_documents() -> None:
    """One document forms it, another ends it: the later one closes what the first opened."""
    formed_doc = doc(
        1,
        formed(
            "Hart and Rushmoor shared planning service", "planning", HART, RUSHMOOR, date="2015"
        ),
    )
    ended_doc = doc(
        2,
        [
            (b, "ended", "Hart-Rushmoor planning partnership", "planning", "2020", "done")
            for b in (HART, RUSHMOOR)
        ],
        published="2020-06",
    )
    with MemoryStore() as store:
        write(store, formed_doc, ended_doc)
        label = "Hart and Rushmoor shared planning service"
        history = query(store, "partnership_history", partnership=label)
        assert [(r["date"], r["member_code"], r["stage"]) for r in history] == [
            ("2015", HART.code, "started"),
            ("2015", RUSHMOOR.code, "started"),
            ("2020", HART.code, "ended"),
            ("2020", RUSHMOOR.code, "ended"),
        ]
        assert {r["source"] for r in history} == {
            "https://example.org/news/1",
            "https://example.org/news/2",
        }
        on = query(store, "members_on", partnership=label, date="2016")
        assert [r["member_code"] for r in on] == [HART.code, RUSHMOOR.code]
        assert query(store, "members_on", partnership=label, date="2020-03") == []
        assert [r["partnership"] for r in query(store, "active_on", date="2019")] == [label, label]
        assert query(store, "active_on", date="2021") == []


def test_identity_two_partnerships_of_one_label_are_told_apart_in_any_order() -> None:
    """Hart and Rushmoor formed one planning partnership in 2005 and another in 2020: one
    label, two IRIs (a hash of each one's first description), however they arrive."""
    old = doc(
        1,
        formed(
            "Hart and Rushmoor shared planning service", "planning", HART, RUSHMOOR, date="2005"
        ),
    )
    new = doc(
        2,
        formed(
            "Hart and Rushmoor shared planning service", "planning", HART, RUSHMOOR, date="2020"
        ),
    )
    alone = doc(
        3,
        formed(
            "Hart and Rushmoor shared planning service", "planning", HART, RUSHMOOR, date="2005"
        ),
    )
    with OxigraphStore() as together:
        write(together, old, new, alone)
        expected = named_triples(together)  # Oxigraph names blank nodes afresh
        iris = sorted(entities_of(together))
    assert len(iris) == 2 and all(
        i.startswith(entity("hart-and-rushmoor-shared-planning-service-")) for i in iris
    )
    for order in ((old, new, alone), (new, alone, old), (alone, old, new)):
        with OxigraphStore() as store:  # strict about IRIs
            write(store, order[0])
            assert list(entities_of(store)) == [entity("hart-and-rushmoor-shared-planning-service")]
            for x in order[1:]:
                write(store, x)
            assert named_triples(store) == expected
            assert retract(store, str(doc_graph_iri(new)))  # one left: its plain IRI again
            assert list(entities_of(store)) == [entity("hart-and-rushmoor-shared-planning-service")]
