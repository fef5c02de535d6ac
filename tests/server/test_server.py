"""``lgkg serve``: the SPARQL endpoint, Graph Store Protocol, page API, limits, CORS and auth.

Clients are real ones: SPARQLWrapper, rdflib's SPARQLStore, lgkg's own remote
store, and plain HTTP for the protocol details.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from served_app import FIXTURE, TOKEN, ServedApp
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

import lgkg
from lgkg.cli import cli
from lgkg.graph.store import OxigraphStore, load_dataset
from lgkg.server import ServerConfig
from lgkg.server.engine import Cancelled, evaluate_query
from lgkg.server.protocol import Operation

SD = "http://www.w3.org/ns/sparql-service-description#"
NAMES = "SELECT ?n WHERE { GRAPH ?g { ?c lgkg:shortName ?n } } ORDER BY ?n"
D1 = "http://kasei.us/2009/09/sparql/data/data1.rdf"
D3 = "http://kasei.us/2009/09/sparql/data/data3.rdf"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y . ?c ?p ?z }"


def request(
    url: str,
    method: str = "GET",
    path: str = "/sparql",
    *,
    params: dict | None = None,
    body: bytes | str | None = None,
    headers: dict | None = None,
) -> tuple[int, dict[str, str], bytes]:
    parts = urllib.parse.urlsplit(url)
    target = path + ("?" + urllib.parse.urlencode(params) if params else "")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        data = body.encode("utf-8") if isinstance(body, str) else body
        conn.request(method, target, body=data, headers=headers or {})
        response = conn.getresponse()
        head = {k.lower(): v for k, v in response.getheaders()}
        return response.status, head, response.read()
    finally:
        conn.close()


def query(url: str, text: str, accept: str | None = None, **params: str):
    headers = {"Accept": accept} if accept else {}
    return request(url, params={"query": text, **params}, headers=headers)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def tiny() -> Iterator[ServedApp]:
    """A server with a 2-row cap and a 0.3 s timeout over a store big enough to be slow."""
    store = OxigraphStore(None)
    p = ox.NamedNode("http://x.org/p")
    store.native.extend(
        ox.Quad(ox.NamedNode(f"http://x.org/{i}"), p, ox.Literal(str(i)), ox.NamedNode("http://g"))
        for i in range(300)
    )
    app = ServedApp(ServerConfig(store, max_rows=2, timeout=0.3, workers=2))
    yield app
    app.stop()


# --------------------------------------------------------------------------- clients


@pytest.mark.parametrize("fmt", [JSON, XML, CSV])
def test_server_sparqlwrapper_select(served: ServedApp, fmt: str) -> None:
    client = SPARQLWrapper(served.endpoint)
    client.setQuery(NAMES)
    client.setReturnFormat(fmt)
    result = client.query().convert()
    if fmt == JSON:
        names = [b["n"]["value"] for b in result["results"]["bindings"]]
    elif fmt == XML:
        names = [n.firstChild.data for n in result.getElementsByTagName("literal")]
    else:
        names = result.decode().splitlines()[1:]
    assert names == ["Babergh", "Brent", "Lewisham", "Mid Suffolk", "Southwark"]


def test_server_sparqlwrapper_ask_post_and_construct(served: ServedApp) -> None:
    client = SPARQLWrapper(served.endpoint)
    client.setMethod(POST)
    client.setQuery("ASK { GRAPH ?g { ?e a lgkg:PartnershipEvent } }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True
    client.setQuery("CONSTRUCT { ?c a lgkg:Council } WHERE { GRAPH ?g { ?c a lgkg:Council } }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 5


def test_server_rdflib_sparqlstore(served: ServedApp) -> None:
    store = SPARQLStore(served.endpoint)
    rows = list(
        store.query(
            NAMES.replace("lgkg:", "<https://w3id.org/lgkg/ns#>").replace(
                "<https://w3id.org/lgkg/ns#>shortName", "<https://w3id.org/lgkg/ns#shortName>"
            )
        )
    )
    assert [str(r[0]) for r in rows][:2] == ["Babergh", "Brent"]
    graph = Graph(store=store)
    council = URIRef("https://w3id.org/lgkg/id/council/E09000005")
    assert (council, None, None) in graph  # the default graph is the union of all graphs
    described = store.query(f"DESCRIBE <{council}>")
    assert len(described.graph) > 3


def test_server_lgkg_open_endpoint(served: ServedApp) -> None:
    with lgkg.open(served.endpoint) as g:
        rows = g.query("partners", council="Southwark", as_frame=False)
        assert [r["partner"] for r in rows] == ["Brent", "Lewisham"]
        assert g.network().number_of_edges() == 4


def test_server_sparqlwrapper_update_with_token(served_rw: ServedApp) -> None:
    client = SPARQLWrapper(served_rw.endpoint, updateEndpoint=served_rw.endpoint)
    client.setMethod(POST)
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.setQuery(
        "INSERT DATA { GRAPH <http://x.org/w> { <http://x.org/s> <http://x.org/p> 1 } }"
    )
    client.query()
    status, _, body = query(served_rw.url, "ASK { GRAPH <http://x.org/w> { ?s ?p 1 } }")
    assert status == 200 and json.loads(body)["boolean"] is True


# --------------------------------------------------------------------------- protocol details


@pytest.mark.parametrize(
    ("text", "accept", "media"),
    [
        (NAMES, None, "application/sparql-results+json"),
        (NAMES, "application/sparql-results+xml", "application/sparql-results+xml"),
        (NAMES, "text/csv", "text/csv"),
        (NAMES, "text/tab-separated-values", "text/tab-separated-values"),
        (NAMES, "application/json", "application/sparql-results+json"),
        (NAMES, "text/html,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
        ("ASK {}", "application/sparql-results+xml", "application/sparql-results+xml"),
        ("CONSTRUCT { <s:a> <s:b> 1 } WHERE {}", None, "text/turtle"),
        ("CONSTRUCT { <s:a> <s:b> 1 } WHERE {}", "application/n-triples", "application/n-triples"),
        ("CONSTRUCT { <s:a> <s:b> 1 } WHERE {}", "application/ld+json", "application/ld+json"),
        ("CONSTRUCT { <s:a> <s:b> 1 } WHERE {}", "application/rdf+xml", "application/rdf+xml"),
        ("DESCRIBE <s:a>", "text/plain", "application/n-triples"),
    ],
)
def test_server_content_negotiation(served: ServedApp, text: str, accept, media: str) -> None:
    status, head, body = query(served.url, text, accept)
    assert status == 200, body
    assert head["content-type"].split(";")[0] == media
    assert "Accept" in head["vary"]


@pytest.mark.parametrize(
    ("fmt", "start"), [("csv", b"n\r\nBabergh"), ("tsv", b'?n\n"Babergh"'), ("xml", b"<?xml")]
)
def test_server_format_parameter(served: ServedApp, fmt: str, start: bytes) -> None:
    status, _, body = query(served.url, NAMES, "application/sparql-results+json", format=fmt)
    assert status == 200 and body.startswith(start)


def test_server_results_keep_term_types(served: ServedApp) -> None:
    text = "SELECT ?i ?l ?b WHERE { BIND(1 AS ?i) BIND('x'@en AS ?l) BIND(BNODE() AS ?b) }"
    _, _, body = query(served.url, text)
    cell = json.loads(body)["results"]["bindings"][0]
    assert cell["i"] == {
        "type": "literal",
        "value": "1",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert cell["l"] == {"type": "literal", "value": "x", "xml:lang": "en"}
    assert cell["b"]["type"] == "bnode"
    _, _, xml = query(served.url, text, "application/sparql-results+xml")
    assert b'<literal xml:lang="en">x</literal>' in xml


@pytest.mark.parametrize(
    ("text", "accept", "status"),
    [
        (NAMES, "image/png", 406),
        ("ASK {}", "text/turtle", 406),
        ("ASK {", None, 400),
        ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", None, 400),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?s = <http://x.org/service>) } LIMIT 1", None, 200),
    ],
)
def test_server_query_errors(served: ServedApp, text: str, accept, status: int) -> None:
    assert query(served.url, text, accept)[0] == status


def test_server_default_graph_is_the_union_unless_from(served: ServedApp) -> None:
    ask = f"ASK {{ <{D3}> a ?t }}"
    assert json.loads(query(served.url, ask)[2])["boolean"] is True
    from_d1 = f"ASK FROM <{D1}> {{ <{D3}> a ?t }}"
    assert json.loads(query(served.url, from_d1)[2])["boolean"] is False
    status, _, body = query(served.url, ask, None, **{"default-graph-uri": D1})
    assert json.loads(body)["boolean"] is False
    status, _, body = query(served.url, "ASK {}", None, **{"default-graph-uri": "not an iri"})
    assert status == 400


def test_server_service_description(served: ServedApp, served_rw: ServedApp) -> None:
    status, head, body = request(served.url)
    assert status == 200 and head["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    service = URIRef(served.endpoint)
    languages = set(graph.objects(service, URIRef(SD + "supportedLanguage")))
    assert languages == {URIRef(SD + "SPARQL11Query")}
    rw = Graph().parse(data=request(served_rw.url)[2], format="turtle")
    assert URIRef(SD + "SPARQL11Update") in set(rw.objects(None, URIRef(SD + "supportedLanguage")))
    status, head, _ = request(served.url, headers={"Accept": "application/ld+json"})
    assert head["content-type"].startswith("application/ld+json")


def test_server_cors(served: ServedApp) -> None:
    status, head, _ = query(served.url, "ASK {}")
    _, head, _ = request(
        served.url, params={"query": "ASK {}"}, headers={"Origin": "https://example.org"}
    )
    assert head["access-control-allow-origin"] == "*"
    status, head, _ = request(
        served.url,
        "OPTIONS",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert status == 200
    assert "POST" in head["access-control-allow-methods"]
    assert "authorization" in head["access-control-allow-headers"].lower()


# --------------------------------------------------------------------------- limits


def test_server_caps_rows(tiny: ServedApp) -> None:
    status, head, body = query(tiny.url, "SELECT ?s WHERE { ?s ?p ?o }")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 2
    assert head["x-sparql-maxrows"] == "2"
    _, head, body = query(tiny.url, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    assert len(body.splitlines()) == 2 and head["x-sparql-maxrows"] == "2"
    _, head, _ = query(tiny.url, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2")
    assert "x-sparql-maxrows" not in head


def test_server_times_out_and_keeps_serving(tiny: ServedApp) -> None:
    started = time.monotonic()
    status, _, body = query(tiny.url, SLOW)
    assert status == 503 and b"longer than 0.3 s" in body
    assert time.monotonic() - started < 3
    assert query(tiny.url, "ASK {}")[0] == 200


def test_server_cancelled_query_stops_between_rows(served: ServedApp) -> None:
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        evaluate_query(
            served.config.store.native,
            Operation("query", "SELECT ?s WHERE { ?s ?p ?o }"),
            accept=None,
            fmt=None,
            max_rows=10,
            base_iri=None,
            cancel=cancel,
        )


# --------------------------------------------------------------------------- updates, auth


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        (auth("wrong"), 401),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
        (auth(), 204),
    ],
)
def test_server_update_needs_the_token(served_rw: ServedApp, headers: dict, status: int) -> None:
    result = request(
        served_rw.url,
        "POST",
        body="INSERT DATA { GRAPH <http://x.org/t> { <http://x.org/s> <http://x.org/p> 2 } }",
        headers={"Content-Type": "application/sparql-update", **headers},
    )
    assert result[0] == status
    if status == 401:
        assert result[1]["www-authenticate"].startswith("Bearer")


def test_server_read_only_refuses_writes(served: ServedApp) -> None:
    update = request(
        served.url,
        "POST",
        body="update=CLEAR+ALL",
        headers={"Content-Type": "application/x-www-form-urlencoded", **auth()},
    )
    assert update[0] == 403
    assert request(served.url, path="/store", params={"default": ""}, headers=auth())[0] == 403
    assert json.loads(query(served.url, "ASK { ?s ?p ?o }")[2])["boolean"] is True


@pytest.mark.parametrize(
    "update",
    [
        "LOAD <http://127.0.0.1:9/data.ttl>",
        "LOAD SILENT <http://127.0.0.1:9/x> INTO GRAPH <http://x.org/g>",
    ],
)
def test_server_refuses_load(served_rw: ServedApp, update: str) -> None:
    status, _, body = request(
        served_rw.url,
        "POST",
        body=update,
        headers={"Content-Type": "application/sparql-update", **auth()},
    )
    assert status == 400 and b"LOAD" in body


def test_server_graph_store_protocol(served_rw: ServedApp) -> None:
    url, g = served_rw.url, {"graph": "http://x.org/gsp"}
    ttl = {"Content-Type": "text/turtle", **auth()}

    def store(method: str, params: dict, body: str | None = None, headers: dict | None = None):
        sent = auth() if headers is None else headers
        return request(url, method, "/store", params=params, body=body, headers=sent)

    store("DELETE", g)
    assert store("PUT", g, "<http://x.org/a> <http://x.org/p> 1 .", ttl)[0] == 201
    assert store("PUT", g, "<http://x.org/a> <http://x.org/p> 2 .", ttl)[0] == 204
    assert store("POST", g, "<http://x.org/a> <http://x.org/p> 3 .", ttl)[0] == 204
    status, head, body = store("GET", g, headers={"Accept": "application/n-triples", **auth()})
    assert status == 200 and head["content-type"].startswith("application/n-triples")
    assert sorted(body.decode().split("\n"))[1:] == [
        '<http://x.org/a> <http://x.org/p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .',
        '<http://x.org/a> <http://x.org/p> "3"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    ]
    assert store("PUT", g, "<http://x.org/a> <http://x.org/p> .", ttl)[0] == 400
    assert store("PUT", g, "x", {"Content-Type": "image/png", **auth()})[0] == 415
    assert store("GET", g, headers={})[0] == 401
    assert store("DELETE", g)[0] == 204
    assert store("GET", g)[0] == 404
    trig = "<http://x.org/b> <http://x.org/p> 1 . GRAPH <http://x.org/gsp2> { <http://x.org/c> <http://x.org/p> 1 }"
    assert store("POST", {}, trig, {"Content-Type": "application/trig", **auth()})[0] == 204
    status, _, body = store("GET", {}, headers={"Accept": "application/n-quads", **auth()})
    assert b"<http://x.org/gsp2>" in body and b"<http://x.org/b>" in body
    assert store("GET", {"default": ""})[0] == 200


# --------------------------------------------------------------------------- the page's API


def test_server_api_queries(served: ServedApp) -> None:
    status, _, body = request(served.url, path="/api/queries")
    assert status == 200
    queries = {q["name"]: q for q in json.loads(body)}
    assert {"events", "partners", "council_evidence", "memberships"} <= set(queries)
    partners = queries["partners"]
    assert partners["params"][0]["name"] == "council" and partners["params"][0]["example"]
    assert partners["columns"][0] == "partner_code" and "SELECT" in partners["text"]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/query/partners", {"council": "Southwark"}, 200),
        ("/api/query/partners", {"council": "Nowhereshire"}, 400),
        ("/api/query/partners", {}, 400),
        ("/api/query/events", {"council": "Brent"}, 400),
        ("/api/query/nope", {}, 404),
    ],
)
def test_server_api_named_query(served: ServedApp, path: str, params: dict, status: int) -> None:
    assert request(served.url, path=path, params=params)[0] == status


def test_server_api_named_query_results(served: ServedApp) -> None:
    _, _, body = request(served.url, path="/api/query/partners", params={"council": "Southwark"})
    result = json.loads(body)
    assert result["head"]["vars"] == [
        "partner_code",
        "partner",
        "partnership",
        "service_area",
        "status",
    ]
    assert [b["partner"]["value"] for b in result["results"]["bindings"]] == ["Brent", "Lewisham"]
    params = {"council": "Brent", "format": "csv"}
    _, head, body = request(served.url, path="/api/query/council_timeline", params=params)
    assert head["content-type"].startswith("text/csv") and body.startswith(b"date,action")


@pytest.mark.parametrize(
    ("key", "code"),
    [("E09000028", "E09000028"), ("Southwark", "E09000028"), ("Brent Council", "E09000005")],
)
def test_server_api_council(served: ServedApp, key: str, code: str) -> None:
    status, _, body = request(served.url, path=f"/api/council/{urllib.parse.quote(key)}")
    assert status == 200 and json.loads(body)["code"] == code


def test_server_api_council_unknown(served: ServedApp) -> None:
    assert request(served.url, path="/api/council/Nowhereshire")[0] == 404


@pytest.mark.parametrize(
    ("path", "media", "marker"),
    [
        ("/", "text/html", b"<textarea"),
        ("/council/E09000005", "text/html", b"council.js"),
        ("/static/app.js", "text/javascript", b"fetch("),
        ("/static/council.js", "text/javascript", b"council_evidence"),
        ("/static/common.js", "text/javascript", b"/api/query/"),
        ("/static/style.css", "text/css", b"table"),
    ],
)
def test_server_pages(served: ServedApp, path: str, media: str, marker: bytes) -> None:
    status, head, body = request(served.url, path=path)
    assert status == 200 and head["content-type"].startswith(media) and marker in body


# --------------------------------------------------------------------------- the command


def run(*args: str, **kw):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kw)


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list:
    """Replace the blocking server loop with a recorder of what it was given."""
    calls: list = []
    monkeypatch.setattr(
        "lgkg.server.serve", lambda config, host, port: calls.append((config, host, port))
    )
    return calls


def test_server_cli_read_only_defaults(captured: list, tmp_path: Path) -> None:
    path = tmp_path / "store"
    with OxigraphStore(path) as store:
        load_dataset(store, FIXTURE.read_bytes())
    result = run("serve", "--store", str(path), "--token", "x")
    assert result.exit_code == 0, result.output
    config, host, port = captured[0]
    assert (host, port, config.enable_update, config.token) == ("127.0.0.1", 7878, False, None)
    assert config.store.read_only and (config.timeout, config.max_rows) == (30.0, 10_000)
    assert "has no effect" in result.stderr


def test_server_cli_update_mode(captured: list, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("serve", "--store", ":memory:", "--enable-update").exit_code == 2
    monkeypatch.setenv("LGKG_TOKEN", "t0k")
    args = ["--store", ":memory:", "--enable-update", "--port", "9000", "--max-rows", "5"]
    result = run("serve", *args, "--timeout", "2")
    assert result.exit_code == 0, result.output
    config, _, port = captured[0]
    assert (port, config.enable_update, config.token, config.max_rows) == (9000, True, "t0k", 5)


def test_server_cli_missing_store(captured: list, tmp_path: Path) -> None:
    result = run("serve", "--store", str(tmp_path / "none"))
    assert result.exit_code == 1 and "no store at" in result.output and not captured


@pytest.mark.slow
def test_server_cli_serves_for_real(tmp_path: Path) -> None:
    """``lgkg serve`` in its own process: answers a query, then stops on SIGINT."""
    from served_app import free_port

    port = free_port()
    env = {**os.environ, "LGKG_TOKEN": "t"}
    lgkg_bin = Path(sys.executable).parent / "lgkg"
    proc = subprocess.Popen(
        [str(lgkg_bin), "serve", "--store", ":memory:", "--port", str(port), "--enable-update"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, body = query(url, "ASK {}")
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
                time.sleep(0.1)
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)
    assert b"serving :memory: (read-write" in proc.stderr.read()


def test_server_network_command_reads_the_endpoint(served: ServedApp) -> None:
    result = run("network", "--endpoint", served.endpoint, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("E09000005,Brent,")
    assert "5 councils, 4 links" in result.stderr


def test_server_in_memory_copy_serves_the_folder_read_only(tmp_path: Path) -> None:
    from lgkg.graph.store import StoreError
    from lgkg.server import open_served_store

    folder = tmp_path / "store"
    with OxigraphStore(folder) as disk:
        load_dataset(disk, FIXTURE.read_bytes())
        triples = disk.count()
    copy = open_served_store(str(folder), writable=False, in_memory=True)
    with copy:
        assert copy.path is None and copy.read_only and copy.count() == triples
        columns, rows = copy.select(NAMES)
        assert columns == ["n"] and rows
        with pytest.raises(StoreError):
            copy.drop_graph("https://w3id.org/lgkg/id/doc/0000000000000000")
        # the folder is closed again: a writer (lgkg ingest) may open it meanwhile
        with OxigraphStore(folder) as writer:
            assert writer.count() == triples
    with pytest.raises(StoreError):
        open_served_store(str(folder), writable=True, in_memory=True)


def test_server_cli_in_memory_refuses_updates(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "--in-memory", "--enable-update", "--token", "t", "--store", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "--in-memory serves a read-only copy" in result.output
