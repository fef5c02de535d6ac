"""The keyword scan behind the SERVICE/LOAD refusal: no spacing trick hides a keyword."""

from __future__ import annotations

import pytest

from lgkg.graph.sparql_scan import keywords

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
