"""Endpoint security against a real ``lgkg serve`` (a subprocess on loopback).

Injection through named-query parameters (CLI ``--param`` and HTTP) cannot
change a query; SERVICE, LOAD and FROM reach no other server (a loopback
server counts every request); updates need the token; a runaway cross
product ends at ``--timeout`` while other queries are answered; JSON-LD and
RDF/XML uploads fetch no remote context and expand no external entity.
"""

from __future__ import annotations

import concurrent.futures
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from badinput_server import MisbehavingServer
from click.testing import CliRunner
from hardening_helpers import TOKEN, Served, mini_store

from lgkg.cli import cli
from lgkg.graph.vocab import partnership_iri

pytestmark = pytest.mark.slow

BULK_TRIPLES = 300_000
TIMEOUT = 1.0
PARTNERSHIP = "Brent-Lewisham shared IT service"

PAYLOADS = [
    '" } UNION { ?s ?p ?o } #',
    "' } UNION { GRAPH ?g { ?s ?p ?o } } #",
    "x> } UNION { ?s ?p ?o }\n#",
    f'{PARTNERSHIP}" . ?s ?p ?o }} UNION {{ ?s ?p ?o',
    f"{PARTNERSHIP}\n}} UNION {{ ?a ?b ?c }}\n# rest",
    "{ } } } { {",
    "# just a comment",
    "Nowhere shared service",
]


def rows(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture plus BULK_TRIPLES triples in a graph of their own (for the runaway)."""
    return mini_store(tmp_path_factory.mktemp("endpoint") / "store", bulk=BULK_TRIPLES)


@pytest.fixture(scope="module")
def web() -> Iterator[MisbehavingServer]:
    server = MisbehavingServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def served(store_path: Path) -> Iterator[Served]:
    server = Served("--store", str(store_path), "--timeout", str(TIMEOUT), "--workers", "4")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def served_rw() -> Iterator[Served]:
    server = Served("--store", ":memory:", "--enable-update", "--token", TOKEN)
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- injection


def cli_rows(store: Path, name: str, param: str) -> tuple[int, list[dict] | str]:
    result = CliRunner().invoke(
        cli, ["query", name, "--param", param, "--format", "json", "--store", str(store)]
    )
    if result.exit_code:
        return result.exit_code, result.stderr
    return 0, json.loads(result.stdout)


@pytest.fixture(scope="module", name="mini_store")
def mini_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mini_store(tmp_path_factory.mktemp("mini") / "store")


def test_hardening_cli_param_injection_partnership(mini_store: Path) -> None:
    code, honest = cli_rows(mini_store, "partnership_members", f"partnership={PARTNERSHIP}")
    assert code == 0 and len(honest) >= 2  # the fixture's partnership has members
    for payload in PAYLOADS:
        code, found = cli_rows(mini_store, "partnership_members", f"partnership={payload}")
        if code:  # a value with no letters names no partnership: a usage error
            assert code == 2 and "not a partnership name" in found
            continue
        # the value is one IRI: the same rows as asking for that IRI, and no extra rows
        iri = partnership_iri(payload)
        assert found == cli_rows(mini_store, "partnership_members", f"partnership=<{iri}>")[1]
        assert found in ([], honest), payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hardening_cli_param_injection_refused(mini_store: Path, payload: str) -> None:
    code, found = cli_rows(mini_store, "partners", f"council=Brent{payload}")
    honest = cli_rows(mini_store, "partners", "council=Brent")[1]
    # refused, or read as Brent by the gazetteer's lenient name matching: never more rows
    assert (code == 2 and "unknown council" in found) or (code == 0 and found == honest)
    code, found = cli_rows(mini_store, "provenance", f"subject=id:event/x{payload}")
    assert (code == 2 and "not an IRI" in found) or (code == 0 and found == [])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hardening_http_param_injection(served: Served, payload: str) -> None:
    status, body = served.get("/api/query/partnership_members", {"partnership": payload})
    honest = rows(served.get("/api/query/partnership_members", {"partnership": PARTNERSHIP})[1])
    assert status == 400 or (status == 200 and rows(body) in ([], honest))
    status, body = served.get("/api/query/provenance", {"subject": "id:event/x" + payload})
    assert status == 400 or (status == 200 and rows(body) == [])
    status, body = served.get("/api/query/partners", {"council": "Brent" + payload})
    honest = rows(served.get("/api/query/partners", {"council": "Brent"})[1])
    assert status == 400 or (status == 200 and rows(body) == honest)


# --------------------------------------------------------------------------- no SSRF

SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{u}/a> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{u}/b> {{ ?s ?p ?x }} }} }}",
    "SELECT * WHERE {{ {{}}SERVICE<{u}/c>{{?s ?p ?o}} }}",
    "select * where {{ sErViCe <{u}/d> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(1 AS ?x) .SERVICE <{u}/e> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }}.SERVICE <{u}/f> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o.SERVICE <{u}/g> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 1.SERVICE <{u}/h> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 1SERVICE <{u}/i> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER(true)SERVICE <{u}/j> {{ ?s ?p ?o }} }}",
    "PREFIX ex: <urn:x:> SELECT * WHERE {{ ?s ?p ex:.SERVICE <{u}/k> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o # comment\nSERVICE <{u}/l> {{ ?s ?p ?o }} }}",
]


def test_hardening_service_reaches_nobody(served: Served, web: MisbehavingServer) -> None:
    for template in SERVICE_QUERIES:
        status, body = served.query(template.format(u=web.url))
        assert status == 400, (template, status, body[:200])
    assert sum(web.hits.values()) == 0, web.hits


def test_hardening_from_remote_fetches_nothing(served: Served, web: MisbehavingServer) -> None:
    for source in (f"{web.url}/from", "file:///etc/passwd"):
        status, body = served.query(f"SELECT * FROM <{source}> WHERE {{ ?s ?p ?o }}")
        assert status == 200 and rows(body) == []
        status, body = served.get(
            "/sparql",
            {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": source},
            headers={"Accept": "application/json"},
        )
        assert status == 200 and rows(body) == []
    assert sum(web.hits.values()) == 0, web.hits


def test_hardening_load_refused(served_rw: Served, web: MisbehavingServer) -> None:
    for update in (
        f"LOAD <{web.url}/load>",
        f"LOAD SILENT <{web.url}/load> INTO GRAPH <urn:g>",
        f"CLEAR SILENT GRAPH <urn:x> ;LOAD <{web.url}/load>",
        f"INSERT DATA {{ <urn:a> <urn:b> <urn:c> }} ;\nload <{web.url}/load>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ BIND(1 AS ?x) .SERVICE <{web.url}/svc> {{ ?s ?p ?o }} }}",
        "LOAD <file:///etc/passwd>",
    ):
        status, body = served_rw.update(update)
        assert status == 400, (update, status, body[:200])
    assert sum(web.hits.values()) == 0, web.hits
    status, body = served_rw.query("SELECT * WHERE { ?s ?p ?o }")
    assert status == 200 and rows(body) == []


@pytest.mark.parametrize(("token", "statuses"), [(None, (401,)), ("wrong", (401, 403))])
def test_hardening_update_needs_token(served_rw: Served, token: str | None, statuses) -> None:
    status, _ = served_rw.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }", token=token)
    assert status in statuses
    status, _ = served_rw.request(
        "PUT",
        "/store",
        {"graph": "urn:g"},
        b"<urn:a> <urn:b> <urn:c> .",
        {"Content-Type": "application/n-triples"}
        | ({"Authorization": f"Bearer {token}"} if token else {}),
    )
    assert status in statuses
    assert rows(served_rw.query("SELECT * WHERE { ?s ?p ?o }")[1]) == []


def test_hardening_read_only_server_refuses_update(served: Served) -> None:
    assert served.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")[0] == 403


def test_hardening_uploads_fetch_and_expand_nothing(
    served_rw: Served, web: MisbehavingServer
) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    jsonld = json.dumps(
        {"@context": f"{web.url}/context.jsonld", "@id": "urn:a", "name": "x"}
    ).encode()
    status, _ = served_rw.request(
        "PUT",
        "/store",
        {"graph": "urn:jsonld"},
        jsonld,
        {"Content-Type": "application/ld+json"} | auth,
    )
    jsonld_status = status
    rdfxml = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd">'
        b' <!ENTITY remote SYSTEM "' + web.url.encode() + b'/entity"> ]>\n'
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        b' xmlns:ex="urn:ex:"><rdf:Description rdf:about="urn:a">'
        b"<ex:p>&secret;&remote;</ex:p></rdf:Description></rdf:RDF>"
    )
    rdfxml_status, _ = served_rw.request(
        "PUT",
        "/store",
        {"graph": "urn:rdfxml"},
        rdfxml,
        {"Content-Type": "application/rdf+xml"} | auth,
    )
    assert (jsonld_status, rdfxml_status) == (400, 400)  # refused, not fetched or expanded
    assert sum(web.hits.values()) == 0, web.hits
    status, body = served_rw.query("SELECT ?o WHERE { ?s ?p ?o }")
    assert status == 200 and rows(body) == []
    inline = json.dumps({"@context": {"name": "urn:ex:name"}, "@id": "urn:a", "name": "x"})
    status, _ = served_rw.request(
        "PUT",
        "/store",
        {"graph": "urn:jsonld"},
        inline.encode(),
        {"Content-Type": "application/ld+json"} | auth,
    )
    assert status in (200, 201, 204)  # JSON-LD itself is accepted: only the remote context is not
    assert [r["o"]["value"] for r in rows(served_rw.query("SELECT ?o { ?s ?p ?o }")[1])] == ["x"]
    assert served_rw.update("CLEAR ALL")[0] in (200, 204)


# --------------------------------------------------------------------------- runaway query

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z }"


def test_hardening_runaway_query_times_out_others_answered(served: Served) -> None:
    assert rows(served.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[1])[0]["n"][
        "value"
    ] == str(
        BULK_TRIPLES
        + len(
            rows(
                served.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } FILTER(?g != <urn:bulk>) }")[1]
            )
        )
    )
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        started = time.monotonic()
        runaway = pool.submit(served.query, RUNAWAY)
        time.sleep(0.2)
        quick_started = time.monotonic()
        status, body = served.query("ASK { ?s ?p ?o }")
        quick = time.monotonic() - quick_started
        assert status == 200 and json.loads(body)["boolean"] is True
        assert not runaway.done() or quick < TIMEOUT
        status, body = runaway.result(timeout=30)
        elapsed = time.monotonic() - started
    assert status == 503 and b"longer than" in body
    assert elapsed < TIMEOUT + 5
    assert served.query("ASK {}")[0] == 200
