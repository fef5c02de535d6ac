"""RemoteStore: writes by Graph Store Protocol and by SPARQL Update, scope, errors and retries.

The contract queries and the Store behaviour shared with the embedded
backends run on a real Oxigraph server through the ``remote`` backend of
``conftest.py``; this file covers what only a remote store has. Error
handling is checked against a scripted local HTTP server.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from sparql_servers import SparqlServer, free_port
from store_backends import FIXTURE, make_store

from lgkg.graph.remote import RemoteStore, StoreAuthError, update_requests
from lgkg.graph.store import StoreError, load_dataset, open_store

DOC_A = "https://w3id.org/lgkg/id/doc/884f1ee6ffaf41b4"
DOC_C = "https://w3id.org/lgkg/id/doc/fdcdbe1afae66707"
HASH = "https://w3id.org/lgkg/ns#contentHash"
WRITE_MODES = ["remote", "remote-update"]
ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()


def fixture_graph(name: str) -> Graph:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    graph = Graph()
    for triple in ds.graph(URIRef(name)):
        graph.add(triple)
    return graph


@pytest.fixture(params=WRITE_MODES)
def remote_store(request: pytest.FixtureRequest, tmp_path: Path) -> RemoteStore:
    store = make_store(request.param, tmp_path, request)
    assert isinstance(store, RemoteStore)
    return store


# --------------------------------------------------------------------------- writes


def test_remote_replace_is_idempotent(remote_store: RemoteStore) -> None:
    doc = fixture_graph(DOC_C)
    remote_store.replace_graph(DOC_C, doc)
    remote_store.replace_graph(DOC_C, doc)
    assert remote_store.count() == len(doc)
    assert remote_store.graphs() == [DOC_C]


def test_remote_replace_swaps_the_content(remote_store: RemoteStore) -> None:
    remote_store.replace_graph(DOC_C, fixture_graph(DOC_C))
    smaller = Graph()
    smaller.add((URIRef(DOC_C), URIRef(HASH), Literal("x")))
    remote_store.replace_graph(DOC_C, smaller)
    assert remote_store.count() == 1
    assert remote_store.graph_value(DOC_C, HASH) == "x"


def test_remote_replace_with_nothing_removes_the_graph(remote_store: RemoteStore) -> None:
    remote_store.replace_graphs([(DOC_A, fixture_graph(DOC_A)), (DOC_C, fixture_graph(DOC_C))])
    remote_store.replace_graphs([(DOC_A, Graph())])
    assert remote_store.graphs() == [DOC_C]


def test_remote_drop_removes_exactly_that_graph(remote_store: RemoteStore) -> None:
    load_dataset(remote_store, FIXTURE.read_bytes())
    before = remote_store.count()
    assert remote_store.drop_graph(DOC_A) is True
    assert remote_store.count() == before - len(fixture_graph(DOC_A))
    assert DOC_A not in remote_store.graphs() and DOC_C in remote_store.graphs()
    assert remote_store.drop_graph(DOC_A) is False


def test_remote_blank_nodes_of_documents_stay_apart(remote_store: RemoteStore) -> None:
    shared = BNode("same")
    for doc in (DOC_A, DOC_C):
        graph = Graph()
        graph.add((URIRef(doc), URIRef("https://w3id.org/lgkg/ns#note"), shared))
        graph.add((shared, URIRef(HASH), Literal(doc)))
        remote_store.replace_graph(doc, graph)
    _, rows = remote_store.select(
        "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { GRAPH ?g { ?d lgkg:note ?b } }"
    )
    assert int(rows[0][0]) == 2


@pytest.mark.parametrize("chunk", [1, 7, 2000])
def test_remote_update_in_chunks_keeps_blank_nodes_whole(
    sparql_server: SparqlServer, chunk: int
) -> None:
    """A graph bigger than one request arrives whole, blank-node structures included."""
    store = RemoteStore(sparql_server.query, sparql_server.update, update_chunk=chunk)
    doc = fixture_graph(DOC_A)
    assert any(isinstance(o, BNode) for o in doc.objects())
    requests = update_requests({DOC_A: doc}, max_triples=chunk, max_template=chunk)
    assert (len(requests) > 1) == (chunk < len(doc))
    store.replace_graph(DOC_A, doc)
    stored = store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DOC_A}> {{ ?s ?p ?o }} }}")
    assert isomorphic(stored, doc)


def test_remote_view_is_limited_to_lgkg_graphs(
    remote_store: RemoteStore, sparql_server: SparqlServer
) -> None:
    sparql_server.update_request(
        "INSERT DATA { GRAPH <https://other.example/g> { <https://other.example/s> "
        "<https://other.example/p> 1 } }"
    )
    remote_store.replace_graph(DOC_C, fixture_graph(DOC_C))
    assert remote_store.graphs() == [DOC_C]
    assert remote_store.count() == len(fixture_graph(DOC_C))
    assert b"other.example" not in remote_store.dump("nquads")
    assert remote_store.ask("ASK { GRAPH <https://other.example/g> { ?s ?p ?o } }")


def test_remote_read_only_refuses_writes(sparql_server: SparqlServer) -> None:
    store = RemoteStore(sparql_server.query, sparql_server.update, read_only=True)
    with pytest.raises(StoreError, match="read-only"):
        store.replace_graph(DOC_C, fixture_graph(DOC_C))
    with pytest.raises(StoreError, match="read-only"):
        store.drop_graph(DOC_C)


def test_remote_update_to_the_query_endpoint_says_so(sparql_server: SparqlServer) -> None:
    store = RemoteStore(sparql_server.query)  # Oxigraph takes updates at /update only
    with pytest.raises(StoreError, match="--update-endpoint"):
        store.replace_graph(DOC_C, fixture_graph(DOC_C))


# --------------------------------------------------------------------------- queries


def test_remote_bound_variable_must_be_projected(sparql_server: SparqlServer) -> None:
    """As on the embedded Oxigraph store, so named queries behave alike everywhere."""
    store = RemoteStore(sparql_server.query)
    with pytest.raises(ValueError, match="does not project"):
        store.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"s": URIRef(DOC_A)})


@pytest.mark.parametrize(
    ("method", "query", "message"),
    [
        ("select", "ASK { ?s ?p ?o }", "needs a SELECT"),
        ("ask", "SELECT * { ?s ?p ?o }", "needs an ASK"),
        ("construct", "SELECT * { ?s ?p ?o }", "needs a CONSTRUCT"),
        ("select", "SELECT WHERE {", "invalid SPARQL"),
        ("select", "DROP ALL", "invalid SPARQL"),
    ],
)
def test_remote_query_kind_errors(
    sparql_server: SparqlServer, method: str, query: str, message: str
) -> None:
    store = RemoteStore(sparql_server.query, sparql_server.update)
    with pytest.raises(ValueError, match=message):
        getattr(store, method)(query)
    assert store.count() == 0


def test_remote_raw_results_match_the_embedded_store(
    sparql_server: SparqlServer, tmp_path: Path
) -> None:
    remote_store = RemoteStore(sparql_server.query, sparql_server.update, sparql_server.store)
    load_dataset(remote_store, FIXTURE.read_bytes())
    query = "SELECT ?c ?n WHERE { GRAPH ?g { ?c lgkg:shortName ?n } } ORDER BY ?n"
    with open_store(tmp_path / "local") as local:
        load_dataset(local, FIXTURE.read_bytes())
        for fmt in ("csv", "tsv", "json", "xml"):
            assert remote_store.query_raw(query, fmt) == local.query_raw(query, fmt)


# --------------------------------------------------------------------------- errors


class Scripted(BaseHTTPRequestHandler):
    """Answers each request with the next (status, body) of the server's script."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.seen.append(dict(self.headers))  # type: ignore[attr-defined]
        status, body = self.server.script.pop(0)  # type: ignore[attr-defined]
        if status == "hang":
            self.server.release.wait(10)  # type: ignore[attr-defined]
            return
        if status == "drop":  # close the connection without an answer
            self.close_connection = True
            return
        self.send_response(status)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def scripted() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    server.script, server.seen, server.release = [], [], threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()


def url_of(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/sparql"


@pytest.mark.parametrize("status", [502, 503, 504])
def test_remote_transient_errors_are_retried(scripted: ThreadingHTTPServer, status: int) -> None:
    scripted.script[:] = [(status, b"busy"), (status, b"busy"), (200, ASK_TRUE)]  # type: ignore[attr-defined]
    store = RemoteStore(url_of(scripted), retries=3, backoff=0.01)
    assert store.ask("ASK { ?s ?p ?o }") is True
    assert len(scripted.seen) == 3  # type: ignore[attr-defined]


def test_remote_dropped_connection_is_retried(scripted: ThreadingHTTPServer) -> None:
    scripted.script[:] = [("drop", b""), (200, ASK_TRUE)]  # type: ignore[attr-defined]
    store = RemoteStore(url_of(scripted), retries=1, backoff=0.01)
    assert store.ask("ASK { ?s ?p ?o }") is True
    assert len(scripted.seen) == 2  # type: ignore[attr-defined]


def test_remote_retries_run_out(scripted: ThreadingHTTPServer) -> None:
    scripted.script[:] = [(503, b"down for maintenance")] * 3  # type: ignore[attr-defined]
    store = RemoteStore(url_of(scripted), retries=2, backoff=0.01)
    with pytest.raises(StoreError, match=r"unavailable \(HTTP 503\) after 3 attempts"):
        store.ask("ASK { ?s ?p ?o }")


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (401, StoreAuthError, "credentials refused by {url}"),
        (403, StoreAuthError, "credentials refused by {url}"),
        (404, StoreError, r"{url} not found \(HTTP 404\)"),
        (500, StoreError, r"refused the query \(HTTP 500\): boom"),
        (400, ValueError, "invalid SPARQL: boom"),
    ],
)
def test_remote_refusals_are_clear_and_not_retried(
    scripted: ThreadingHTTPServer, status: int, error: type, message: str
) -> None:
    scripted.script[:] = [(status, b"boom")]  # type: ignore[attr-defined]
    store = RemoteStore(url_of(scripted), retries=3, backoff=0.01)
    with pytest.raises(error, match=message.format(url=url_of(scripted))):
        store.ask("ASK { ?s ?p ?o }")
    assert len(scripted.seen) == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kwargs", "header"),
    [
        ({"user": "ana", "password": "s3cret"}, "Basic YW5hOnMzY3JldA=="),
        ({"token": "t0ken"}, "Bearer t0ken"),
    ],
)
def test_remote_sends_credentials(scripted: ThreadingHTTPServer, kwargs: dict, header: str) -> None:
    scripted.script[:] = [(200, ASK_TRUE), (204, b"")]  # type: ignore[attr-defined]
    store = RemoteStore(url_of(scripted), graph_store=url_of(scripted), **kwargs)
    store.ask("ASK {}")
    store.replace_graph(DOC_C, fixture_graph(DOC_C))
    assert [seen["Authorization"] for seen in scripted.seen] == [header, header]  # type: ignore[attr-defined]


def test_remote_connection_refused(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    store = RemoteStore(url, retries=1, backoff=0.01)
    with pytest.raises(StoreError, match=f"cannot reach {url} after 2 attempts"):
        store.count()


def test_remote_timeout(scripted: ThreadingHTTPServer) -> None:
    scripted.script[:] = [("hang", b"")]  # type: ignore[attr-defined]
    store = RemoteStore(url_of(scripted), timeout=0.3, retries=0)
    with pytest.raises(StoreError, match=r"did not answer within 0.3 s"):
        store.ask("ASK {}")


# --------------------------------------------------------------------------- choosing it


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("LGKG_STORE", "LGKG_ENDPOINT", "LGKG_UPDATE_ENDPOINT", "LGKG_GRAPH_STORE"):
        monkeypatch.delenv(name, raising=False)
    for name in ("LGKG_ENDPOINT_USER", "LGKG_ENDPOINT_PASSWORD", "LGKG_ENDPOINT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_remote_open_store_from_arguments(clean_env: pytest.MonkeyPatch) -> None:
    store = open_store(
        endpoint="http://h/q", update_endpoint="http://h/u", graph_store="http://h/s"
    )
    assert isinstance(store, RemoteStore)
    assert (store.query_endpoint, store.update_endpoint, store.graph_store) == (
        "http://h/q",
        "http://h/u",
        "http://h/s",
    )


def test_remote_open_store_from_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("LGKG_ENDPOINT", "http://h/sparql")
    clean_env.setenv("LGKG_GRAPH_STORE", "http://h/store")
    clean_env.setenv("LGKG_ENDPOINT_TOKEN", "tok")
    store = open_store(read_only=True)
    assert isinstance(store, RemoteStore) and store.read_only
    assert store.update_endpoint == "http://h/sparql" and store.graph_store == "http://h/store"
    assert store._auth_headers() == {"Authorization": "Bearer tok"}


def test_remote_open_store_argument_beats_environment(
    clean_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean_env.setenv("LGKG_ENDPOINT", "http://h/sparql")
    with open_store(tmp_path / "s") as store:
        assert not isinstance(store, RemoteStore)
    clean_env.delenv("LGKG_ENDPOINT")
    clean_env.setenv("LGKG_STORE", str(tmp_path / "s"))
    assert isinstance(open_store(endpoint="http://h/sparql"), RemoteStore)


@pytest.mark.parametrize(
    ("kwargs", "env", "message"),
    [
        ({"path": "x", "endpoint": "http://h/q"}, {}, "not both"),
        ({"update_endpoint": "http://h/u"}, {}, r"needs a query endpoint \(--endpoint\)"),
        ({}, {"LGKG_STORE": "x", "LGKG_ENDPOINT": "http://h/q"}, "unset one"),
        ({"endpoint": "ftp://h/q"}, {}, "not an http"),
    ],
)
def test_remote_open_store_conflicts(
    clean_env: pytest.MonkeyPatch, kwargs: dict, env: dict, message: str
) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    with pytest.raises(StoreError, match=message):
        open_store(**kwargs)
