"""The named-query loader and typed parameter binding (lgkg.queries.named)."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from lgkg.extract.gazetteer import Gazetteer
from lgkg.graph.store import Store
from lgkg.queries.named import (
    NamedQuery,
    Param,
    QueryError,
    bind_params,
    get_query,
    list_queries,
    parse_query,
    run_query,
)

SOUTHWARK = URIRef("https://w3id.org/lgkg/id/council/E09000028")
HOSTILE = [
    'Southwark" } UNION { ?s ?p ?o } #',
    "Southwark> } UNION { GRAPH ?g { ?s ?p ?o } } #",
    "x\n} UNION { ?s ?p ?o }\n#",
    "{ ?s ?p ?o }",
    "# comment",
    "<https://w3id.org/lgkg/id/council/E09000028> } UNION {",
    "https://w3id.org/lgkg/id/council/E09000028> . ?s ?p ?o . #",
]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def test_named_list_queries_sorted_and_unique() -> None:
    names = [q.name for q in list_queries()]
    assert names == sorted(set(names))
    assert {"events", "savings", "quotes", "partners", "provenance"} <= set(names)


def test_named_get_query_unknown_lists_names() -> None:
    with pytest.raises(KeyError, match=r"known queries: .*events"):
        get_query("no-such-query")


def test_named_parse_query_header() -> None:
    q = parse_query(
        "# name: demo\n# title: A demo\n# description: first line\n#   second line\n"
        "# param: council | council | the council | Southwark\n"
        "# param: since | date | from when | 2016 | optional\n"
        "# columns: a b\n# cq: CQ9\nSELECT ?a ?b ?council WHERE { GRAPH ?g { ?a ?b ?council } }\n"
    )
    assert q == NamedQuery(
        name="demo",
        title="A demo",
        description="first line second line",
        params=[
            Param("council", "council", "the council", "Southwark"),
            Param("since", "date", "from when", "2016", required=False),
        ],
        columns=["a", "b"],
        cq="CQ9",
        text=q.text,
    )


@pytest.mark.parametrize(
    "header",
    [
        "# title: t\n# columns: a\nSELECT * {}",
        "# name: x\n# title: t\n# columns: a\n# param: p | nokind | d | e\nSELECT * {}",
        "# name: x\n# title: t\n# columns: a\n# param: p | iri\nSELECT * {}",
        "# name: x\n# title: t\n# columns: a\n# stray line\nSELECT * {}",
    ],
)
def test_named_parse_query_rejects_bad_headers(header: str) -> None:
    with pytest.raises(QueryError):
        parse_query(header)


@pytest.mark.parametrize(
    "value",
    [
        "Southwark",
        "southwark council",
        "London Borough of Southwark",
        "E09000028",
        "e09000028",
        "https://w3id.org/lgkg/id/council/E09000028",
        "<https://w3id.org/lgkg/id/council/E09000028>",
    ],
)
def test_named_bind_council_forms(value: str, gazetteer: Gazetteer) -> None:
    assert bind_params(get_query("partners"), {"council": value}, gazetteer) == {
        "council": SOUTHWARK
    }


def test_named_bind_council_former_code_resolves(gazetteer: Gazetteer) -> None:
    council = next(c for c in gazetteer.councils() if c.former_codes)
    bound = bind_params(get_query("partners"), {"council": council.former_codes[0]}, gazetteer)
    assert bound["council"] == URIRef(f"https://w3id.org/lgkg/id/council/{council.code}")


def test_named_bind_unknown_council_suggests(gazetteer: Gazetteer) -> None:
    with pytest.raises(QueryError, match=r"did you mean: .*Southwark"):
        bind_params(get_query("partners"), {"council": "Southwork"}, gazetteer)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "id:event/0123456789abcdef-1",
            URIRef("https://w3id.org/lgkg/id/event/0123456789abcdef-1"),
        ),
        ("<https://example.org/x>", URIRef("https://example.org/x")),
        ("urn:isbn:123", URIRef("urn:isbn:123")),
        ("lgkg:Joined", URIRef("https://w3id.org/lgkg/ns#Joined")),
    ],
)
def test_named_bind_iri(value: str, expected: URIRef) -> None:
    assert bind_params(get_query("provenance"), {"subject": value}) == {"subject": expected}


@pytest.mark.parametrize(
    ("query", "params", "message"),
    [
        ("partners", {}, "needs --param council"),
        ("events", {"council": "Brent"}, "has no parameter council"),
        ("provenance", {"subject": "not an iri"}, "not an IRI"),
        ("provenance", {"subject": ""}, "not an IRI"),
    ],
)
def test_named_bind_errors(query: str, params: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        bind_params(get_query(query), params)


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("date", "2016-04", Literal("2016-04", datatype=XSD.gYearMonth)),
        ("integer", " 42 ", Literal(42)),
        ("decimal", "0.50", Literal("0.50", datatype=XSD.decimal)),
        ("string", 'a" } #', Literal('a" } #')),
        ("service_area", "ict", URIRef("https://w3id.org/lgkg/id/service-area/ict")),
        ("action", "Joined", URIRef("https://w3id.org/lgkg/ns#Joined")),
        ("status", "proposed", URIRef("https://w3id.org/lgkg/ns#Proposed")),
        (
            "partnership",
            "Brent-Lewisham shared IT service",
            URIRef("https://w3id.org/lgkg/id/partnership/brent-lewisham-shared-it-service"),
        ),
    ],
)
def test_named_bind_kinds(kind: str, value: str, expected: object) -> None:
    q = NamedQuery("t", "t", "", [Param("x", kind, "d", "e")], ["x"])
    assert bind_params(q, {"x": value}) == {"x": expected}


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("date", "April"),
        ("integer", "4.5"),
        ("decimal", "NaN"),
        ("service_area", "IT } #"),
        ("action", "merged"),
        ("status", "done } UNION {"),
    ],
)
def test_named_bind_kinds_reject(kind: str, value: str) -> None:
    q = NamedQuery("t", "t", "", [Param("x", kind, "d", "e")], ["x"])
    with pytest.raises(QueryError):
        bind_params(q, {"x": value})


@pytest.mark.parametrize("value", HOSTILE)
def test_named_injection_council_rejected(value: str, gazetteer: Gazetteer) -> None:
    """A hostile council name is refused: it names no council and is never pasted anywhere."""
    with pytest.raises(QueryError):
        bind_params(get_query("partners"), {"council": value}, gazetteer)


@pytest.mark.parametrize("value", HOSTILE)
def test_named_injection_iri_rejected(value: str) -> None:
    with pytest.raises(QueryError):
        bind_params(get_query("provenance"), {"subject": value})


@pytest.mark.parametrize("value", HOSTILE)
def test_named_injection_partnership_cannot_change_query(mini_store: Store, value: str) -> None:
    """A hostile partnership label becomes one IRI (or is refused): no rows, no error."""
    try:
        columns, rows = run_query(mini_store, "partnership_members", {"partnership": value})
    except QueryError:
        return
    assert columns == get_query("partnership_members").columns
    assert rows == []


@pytest.mark.parametrize("value", HOSTILE)
def test_named_injection_string_binding_is_a_literal(mini_store: Store, value: str) -> None:
    """A string parameter bound on both backends matches only that exact literal."""
    text = (
        "SELECT ?name ?label WHERE { GRAPH ?g { ?c <https://w3id.org/lgkg/ns#shortName> ?label } "
        "BIND(STR(?label) AS ?name) }"
    )
    _, all_rows = mini_store.select(text)
    _, rows = mini_store.select(text, {"label": Literal(value)})
    assert len(all_rows) == 5
    assert rows == []
