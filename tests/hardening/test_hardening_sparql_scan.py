"""The scanner behind the endpoint's refusals: no spacing trick hides a SERVICE or LOAD
keyword, and the limits measure nesting, chains and VALUES without false alarms."""

from __future__ import annotations

import pytest

from lgkg.graph.sparql_scan import (
    QueryLimits,
    QueryShape,
    QueryTooComplex,
    check_limits,
    keywords,
    query_shape,
)
from lgkg.graph.store import MemoryStore, OxigraphStore

U = "<http://127.0.0.1:1/x>"


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * {{ ?s ?p ?o.SERVICE {U} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p ?o .SERVICE {U} {{ ?s ?p ?o }} }}",
        f"SELECT * {{ BIND(1 AS ?x).SERVICE {U} {{}} }}",
        f"SELECT * {{ ?s ?p 1.SERVICE {U} {{}} }}",
        f"SELECT * {{ ?s ?p 1SERVICE {U} {{}} }}",
        f"SELECT * {{ ?s ?p 1.5e3SERVICE {U} {{}} }}",
        f"SELECT * {{ ?s ?p true}}SERVICE{U}{{}}",
        f'SELECT * {{ ?s ?p "a"@en1SERVICE {U} {{}} }}',
        f"PREFIX ex: <urn:x:> SELECT * {{ ?s ?p ex:.SERVICE {U} {{}} }}",
        f"SELECT * {{ ?s ?p ?o # x\nSERVICE {U} {{}} }}",
        f"select * {{ sErViCe {U} {{}} }}",
    ],
)
def test_hardening_scan_finds_service_without_spaces(text: str) -> None:
    assert keywords(text, {"SERVICE"}) == {"SERVICE"}


@pytest.mark.parametrize(
    "text",
    [
        "CLEAR ALL;LOAD <http://127.0.0.1:1/x>",
        "INSERT DATA { <urn:a> <urn:b> 1 } ;\nload <http://127.0.0.1:1/x>",
    ],
)
def test_hardening_scan_finds_load(text: str) -> None:
    assert keywords(text, {"LOAD"}) == {"LOAD"}


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX ex: <urn:x:> SELECT * { ?s ex:a.service ?o ; ex:load-x ?y ; ex:service 1 }",
        "SELECT * { ?v1service ?p ?o . ?service ?q $load }",
        'SELECT * { ?s ?p "x"@en-SERVICE, "y"@service }',
        "SELECT * { _:b1.SERVICE ?p 'SERVICE' } # SERVICE",
        "SELECT * { ?s <http://x.org/service> ?o }",
    ],
)
def test_hardening_scan_names_are_no_keywords(text: str) -> None:
    assert keywords(text, {"SERVICE", "LOAD"}) == set()


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize(
    ("text", "depth", "chain", "values"),
    [
        # names, tags, datatypes, signs and exponents are no operators
        ("SELECT ?s { ?s ex:a-b ex:c.d ; ex:e 'x-y'@en-GB , '1'^^xsd:int , 1e-5 }", 1, 0, 0),
        ("SELECT ?a { } VALUES (?a ?b) { (-1 'x') (UNDEF <urn:a>) }", 2, 0, 4),
        ("SELECT * { ?s ^ex:p/ex:q|!(ex:r|^ex:s) ?o }", 2, 4, 0),
        ("SELECT * { {?a ?b ?c} UNION {?a ?b ?d} UNION {?a ?b ?e} }", 2, 2, 0),
        # brackets inside strings, IRIs and comments do not nest
        ("SELECT ?s { ?s ?p '{{{((' , <urn:x(> } # }}}(((", 1, 0, 0),
        ('SELECT ?s { ?s ?p """a "{" b""" }', 1, 0, 0),
    ],
)
def test_hardening_query_shape(text: str, depth: int, chain: int, values: int) -> None:
    assert query_shape(text) == QueryShape(depth, chain, values)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ASK " + "{" * 65 + "}" * 65, "nests 65 levels deep; at most 64"),
        ("ASK { FILTER(" + "!" * 300 + "true) }", "chains 300 operators at one level"),
        ("ASK {} VALUES ?x {" + " 1" * 10_001 + " }", "has 10,001 values; at most 10,000"),
        ("ASK { ?s ?p '" + "x" * 1_048_576 + "' }", "bytes long; at most 1,048,576"),
    ],
)
def test_hardening_check_limits_names_the_limit(text: str, message: str) -> None:
    with pytest.raises(QueryTooComplex, match=message):
        check_limits(text)


def test_hardening_check_limits_are_configurable() -> None:
    deep = "ASK " + "{" * 100 + "}" * 100
    check_limits(deep, QueryLimits(max_depth=100))
    with pytest.raises(QueryTooComplex):
        check_limits("ASK { ?s ?p ?o }", QueryLimits(max_bytes=10))


def test_hardening_stores_refuse_what_the_engine_cannot_survive() -> None:
    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    for store in (OxigraphStore(None), MemoryStore()):
        with pytest.raises(ValueError, match="3000 levels deep"):
            store.select(deep)
