"""Extraction records to RDF (lgkg.graph.emit) against a hand-written expected graph."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import ORG, TIME, XSD

from lgkg.extract.records import (
    Body,
    DocumentMeta,
    Event,
    Evidence,
    Extraction,
    Partnership,
    Quote,
    Saving,
)
from lgkg.graph.emit import (
    confidence_literal,
    date_literal,
    decimal_literal,
    doc_graph_iri,
    extraction_graph,
    membership_end,
)
from lgkg.graph.vocab import LGKG

EXPECTED = Path(__file__).resolve().parent.parent / "expected"
TEXT = (
    "Kent councils share legal services\n\n"
    "Ashford and Dover will form the Kent legal partnership in April 2020. "
    "Kent Police joined it in 2021. Dover left on 31 March 2022. "
    "The partnership is to end in 2023. "
    "Ashford provides legal work to Kent Fire and Rescue Service. "
    "Ashford will save £100,000 a year, said Pat Green. "
    'Pat Green, leader of Ashford, said: "Good news."'
)
ASHFORD = Body("Ashford", "E07000105")
DOVER = Body("Dover", "E07000108")
POLICE = Body("Kent Police")
LABEL = "Kent legal partnership"


def ev(sentence: str) -> Evidence:
    start = TEXT.index(sentence)
    return Evidence(sentence, start, start + len(sentence))


FORM = ev("Ashford and Dover will form the Kent legal partnership in April 2020.")


def event(body: Body, action: str, date: str, status: str = "done", **kw) -> Event:
    defaults = {"evidence": FORM, "confidence": 0.9, "rule": "event.formed", "client": None}
    defaults.update(kw)
    return Event(body, action, LABEL, "legal", date, status, **defaults)


def kent_extraction() -> Extraction:
    return Extraction(
        doc=DocumentMeta(
            doc_id="0a1b2c3d4e5f6071",
            url=None,
            title="Kent councils share legal services",
            published="2020-02",
            file_name="kent-legal.txt",
            content_hash="e816cc06b5ff38db81005b82a9fbfeaebdd56c9b71edd51bd86ed1dd017017d7",
        ),
        text=TEXT,
        events=(
            event(ASHFORD, "formed", "2020-04"),
            event(DOVER, "formed", "2020-04"),
            event(
                POLICE,
                "joined",
                "2021",
                evidence=ev("Kent Police joined it in 2021."),
                confidence=0.8,
                rule="event.join",
            ),
            event(
                DOVER,
                "left",
                "2022-03-31",
                evidence=ev("Dover left on 31 March 2022."),
                confidence=0.8,
                rule="event.left",
            ),
            event(
                ASHFORD,
                "ended",
                "2023",
                "agreed",
                evidence=ev("The partnership is to end in 2023."),
                confidence=0.7,
                rule="event.ended",
            ),
            event(
                ASHFORD,
                "provides",
                "",
                client=Body("Kent Fire and Rescue Service"),
                evidence=ev("Ashford provides legal work to Kent Fire and Rescue Service."),
                confidence=0.6,
                rule="event.provides",
            ),
        ),
        savings=(
            Saving(
                ASHFORD,
                Decimal("1E+5"),
                "GBP",
                "P1Y",
                LABEL,
                "Pat Green",
                ev("Ashford will save £100,000 a year, said Pat Green."),
                0.75,
                "saving.said",
            ),
        ),
        quotes=(
            Quote(
                "Pat Green",
                "leader",
                ASHFORD,
                "Good news.",
                ev('Pat Green, leader of Ashford, said: "Good news."'),
                0.85,
                "quote.said",
            ),
        ),
        partnerships=(Partnership(LABEL, "legal", (ASHFORD, DOVER), ("the legal hub",)),),
        extractor_version="0.1.0",
        extracted_at="2026-11-25T18:00:00Z",
    )


def test_emit_matches_expected_graph() -> None:
    got = extraction_graph(kent_extraction())
    expected = Graph().parse(EXPECTED / "emit-kent-legal.ttl", format="turtle")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        pytest.fail(
            "emitted graph differs\n--- only emitted:\n"
            + only_got.serialize(format="nt")
            + "\n--- only expected:\n"
            + only_expected.serialize(format="nt")
        )


def test_emit_is_deterministic() -> None:
    """Same extraction, same triples, blank-node labels included."""
    a = sorted(extraction_graph(kent_extraction()).serialize(format="nt").splitlines())
    b = sorted(extraction_graph(kent_extraction()).serialize(format="nt").splitlines())
    assert a == b


def test_emit_doc_graph_iri() -> None:
    assert doc_graph_iri(kent_extraction()) == URIRef(
        "https://w3id.org/lgkg/id/doc/0a1b2c3d4e5f6071"
    )


@pytest.mark.parametrize(
    ("body", "end"),
    [(ASHFORD, "2023"), (DOVER, "2022-03-31"), (POLICE, "2023")],
)
def test_emit_membership_end(body: Body, end: str) -> None:
    events = kent_extraction().events
    start = next(e for e in events if e.body == body and e.action in ("formed", "joined"))
    assert membership_end(start, events) == end


def test_emit_membership_without_dates_has_bare_interval() -> None:
    x = kent_extraction()
    bare = Extraction(x.doc, x.text, events=(event(DOVER, "joined", "", "proposed"),))
    g = extraction_graph(bare)
    (membership,) = g.subjects(ORG.member, URIRef("https://w3id.org/lgkg/id/council/E07000108"))
    (interval,) = g.objects(membership, ORG.memberDuring)
    assert set(g.predicates(interval)) == {
        URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    }


def test_emit_one_membership_per_formed_or_joined_and_one_per_client() -> None:
    g = extraction_graph(kent_extraction())
    memberships = set(g.subjects(ORG.organization, None))
    assert len(memberships) == 4  # three members, and the body Ashford provides legal work to
    clients = set(g.subjects(ORG.role, LGKG.Client))
    assert len(clients) == 1 and clients < memberships
    [client] = clients
    assert g.value(client, ORG.member) == URIRef(
        "https://w3id.org/lgkg/id/org/kent-fire-and-rescue-service"
    )


def test_emit_instants_typed_by_precision() -> None:
    g = extraction_graph(kent_extraction())
    positions = {
        (p, o.datatype)
        for p in (TIME.inXSDgYear, TIME.inXSDgYearMonth, TIME.inXSDDate)
        for o in g.objects(None, p)
    }
    assert positions == {
        (TIME.inXSDgYear, XSD.gYear),
        (TIME.inXSDgYearMonth, XSD.gYearMonth),
        (TIME.inXSDDate, XSD.date),
    }


@pytest.mark.parametrize(
    ("value", "datatype"),
    [
        ("2016", XSD.gYear),
        ("2016-04", XSD.gYearMonth),
        ("2016-04-01", XSD.date),
        ("", None),
        (None, None),
        ("2016-13", None),
        ("April 2016", None),
        ("2016-04-01T10:00", None),
    ],
)
def test_emit_date_literal(value: str | None, datatype: URIRef | None) -> None:
    literal = date_literal(value)
    assert (literal.datatype if literal is not None else None) == datatype


@pytest.mark.parametrize(
    ("value", "lexical"),
    [
        (Decimal("1E+6"), "1000000"),
        (Decimal("2500000.00"), "2500000"),
        (Decimal("0.5"), "0.5"),
        (1000, "1000"),
    ],
)
def test_emit_decimal_literal_is_plain(value: Decimal | int, lexical: str) -> None:
    assert decimal_literal(value) == Literal(lexical, datatype=XSD.decimal)


@pytest.mark.parametrize(
    ("value", "lexical"),
    [(0.85, "0.85"), (1.0, "1"), (1.7, "1"), (-0.2, "0"), (0.123456, "0.1235")],
)
def test_emit_confidence_literal(value: float, lexical: str) -> None:
    assert str(confidence_literal(value)) == lexical


@pytest.fixture(scope="module")
def reference() -> Graph:
    from lgkg.graph.reference import reference_graph

    return reference_graph()


def _conforms(data: Graph, reference: Graph) -> tuple[bool, str]:
    import pyshacl

    from lgkg.graph.vocab import shapes_graph

    union = Graph()
    for graph in (data, reference):
        for triple in graph:
            union.add(triple)
    conforms, _, text = pyshacl.validate(
        union, shacl_graph=shapes_graph(), inference="none", allow_warnings=True
    )
    return conforms, text


def test_emit_conforms_to_shapes(reference: Graph) -> None:
    conforms, text = _conforms(extraction_graph(kent_extraction()), reference)
    assert conforms, text


def test_emit_fixture_conforms_to_shapes(reference: Graph) -> None:
    """tests/fixtures/mini.trig follows the same model as the emitter."""
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(Path(__file__).resolve().parent.parent / "fixtures" / "mini.trig", format="trig")
    docs = Graph()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g is not None and "/id/doc/" in str(g):
            docs.add((s, p, o))
    conforms, text = _conforms(docs, reference)
    assert conforms, text


@pytest.mark.parametrize(
    ("later", "end"),
    [
        (("left", "", "done"), ""),  # ended, date unknown: a bare end instant
        (("left", "2022", "agreed"), "2022"),
        (("left", "2022", "proposed"), None),  # only proposed: still a member
        (("ended", "2023", "done"), "2023"),
    ],
)
def test_emit_membership_end_rules(later: tuple[str, str, str], end: str | None) -> None:
    action, date, status = later
    events = (event(DOVER, "joined", "2020"), event(DOVER, action, date, status))
    assert membership_end(events[0], events) == end


def test_emit_undated_end_is_a_bare_instant() -> None:
    x = kent_extraction()
    events = (event(DOVER, "joined", "2020"), event(DOVER, "left", "", "done"))
    g = extraction_graph(Extraction(x.doc, x.text, events=events))
    (interval,) = g.objects(None, ORG.memberDuring)
    (instant,) = g.objects(interval, TIME.hasEnd)
    assert set(g.predicate_objects(instant)) == {
        (URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), TIME.Instant)
    }


def test_emit_undated_end_reads_as_unknown(empty_store) -> None:
    """Through the store and the partnership_members query, on both backends."""
    from lgkg.queries.named import run_query

    x = kent_extraction()
    events = (event(DOVER, "joined", "2020"), event(DOVER, "left", "", "done"))
    doc = Extraction(x.doc, x.text, events=events)
    empty_store.replace_graph(str(doc_graph_iri(doc)), extraction_graph(doc))
    _, rows = run_query(empty_store, "partnership_members", {"partnership": LABEL})
    assert [[str(c) for c in row] for row in rows] == [
        ["E07000108", "E07000108", "done", "2020", "unknown", "kent-legal.txt"]
    ]
