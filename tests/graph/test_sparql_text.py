"""Query text for remote servers: bound values, prefixes, the operation a text starts with."""

from __future__ import annotations

import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from lgkg.graph.sparql_scan import operation
from lgkg.graph.sparql_text import bind_values, term_text, values_block, with_prefixes

EX = "https://example.org/"
DATA = f"""
<{EX}g1> {{ <{EX}a> <{EX}name> "A" . <{EX}b> <{EX}name> "B" . <{EX}a> <{EX}knows> <{EX}b> . }}
<{EX}g2> {{ <{EX}c> <{EX}name> "C {{ # }}" . }}
"""


def dataset() -> Dataset:
    ds = Dataset()
    ds.parse(data=DATA, format="trig")
    return ds


@pytest.mark.parametrize(
    ("query", "bindings"),
    [
        ("SELECT ?n ?s WHERE { GRAPH ?g { ?s <https://example.org/name> ?n } }", {"s": "a"}),
        ("select ?n ?s { GRAPH ?g { ?s <https://example.org/name> ?n } }", {"s": "b"}),
        (
            "# a comment with { braces } and WHERE\n"
            "SELECT ?n ?s WHERE { GRAPH ?g { ?s <https://example.org/name> ?n "
            'FILTER(?n != "}{ WHERE") } } ORDER BY ?n',
            {"s": "a"},
        ),
        (
            "SELECT ?where ?s WHERE { GRAPH ?g { ?s <https://example.org/name> ?where } }",
            {"s": "c"},
        ),
        (
            "SELECT ?s (COUNT(?o) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?s",
            {"s": "a"},
        ),
        (
            "SELECT ?s ?n WHERE { SELECT ?s ?n WHERE { GRAPH ?g { ?s <https://example.org/name> ?n } } }",
            {"s": "b"},
        ),
        ("ASK { GRAPH ?g { ?s <https://example.org/knows> ?o } }", {"s": "a"}),
        ("ASK WHERE { GRAPH ?g { ?s <https://example.org/knows> ?o } }", {"s": "b"}),
    ],
)
def test_sparql_text_bind_values_matches_init_bindings(query: str, bindings: dict) -> None:
    """A VALUES-bound query answers as rdflib's initBindings does."""
    ds = dataset()
    terms = {k: URIRef(EX + v) for k, v in bindings.items()}
    expected = ds.query(query, initBindings=terms)
    got = ds.query(bind_values(query, terms))
    if expected.type == "ASK":
        assert got.askAnswer == expected.askAnswer
    else:
        assert sorted(map(tuple, got)) == sorted(map(tuple, expected))
        assert len(got) > 0


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", "top"),
        ("DESCRIBE ?s WHERE { GRAPH ?g { ?s ?p ?o } }", "top"),
        ("DESCRIBE ?s", "trailing"),
    ],
)
def test_sparql_text_bind_values_placement(query: str, where: str) -> None:
    bound = bind_values(query, {"s": URIRef(EX + "a")})
    block = f"VALUES (?s) {{ (<{EX}a>) }}"
    if where == "trailing":
        assert bound.rstrip().endswith(block)
    else:
        assert bound.index(block) > bound.upper().index("WHERE")
    prepareQuery(bound)


@pytest.mark.parametrize(
    "value",
    [
        Literal('" } UNION { ?s ?p ?o } #'),
        Literal("line\nbreak\\ and '''quotes'''"),
        Literal("Ynys Môn", lang="cy"),
        Literal("2016-04", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")),
    ],
)
def test_sparql_text_values_cannot_change_the_query(value: Literal) -> None:
    query = "SELECT ?s ?n WHERE { GRAPH ?g { ?s <https://example.org/name> ?n } }"
    bound = bind_values(query, {"n": value})
    parsed = prepareQuery(bound)
    assert len(dataset().query(parsed)) == 0
    assert term_text(value) in bound


@pytest.mark.parametrize(
    ("bindings", "message"),
    [
        ({"s": BNode()}, "blank node"),
        ({"s": URIRef("not an iri")}, "IRI"),
        ({"bad name": URIRef(EX)}, "variable name"),
    ],
)
def test_sparql_text_bad_bindings_are_refused(bindings: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bind_values("SELECT ?s WHERE { ?s ?p ?o }", bindings)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX ask: <x:>\nselect * WHERE { ?s ?p ?o }", "SELECT"),
        ("# MOVE and DROP in a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ('BASE <x:> ASK { ?s ?p "SELECT" }', "ASK"),
        ("DROP SILENT GRAPH <x:g> ; INSERT DATA { }", "DROP"),
        ("not sparql", None),
    ],
)
def test_sparql_text_operation(query: str, form: str | None) -> None:
    assert operation(query) == form


def test_sparql_text_with_prefixes_keeps_own_declarations() -> None:
    text = with_prefixes("PREFIX ex: <https://other.org/> SELECT ?s { ?s ex:p ?o }", {"ex": EX})
    assert text.count("PREFIX ex:") == 1
    assert "\n" not in text.split("SELECT")[0]


def test_sparql_text_values_block_undef() -> None:
    assert values_block(["a", "b"], [[URIRef(EX), None]]) == (
        f"VALUES (?a ?b) {{ (<{EX}> UNDEF) }}"
    )
