"""Any SPARQL 1.1 server as the store, over the W3C protocols.

:class:`RemoteStore` implements :class:`~lgkg.graph.store.Store` over HTTP:

- queries go to the query endpoint with SPARQLWrapper (SPARQL 1.1 Protocol,
  POST, content negotiation only); results come back as rdflib terms, and
  raw results are re-serialised locally so every store writes the same bytes;
- bindings become a ``VALUES`` block built from typed terms
  (:func:`~lgkg.graph.sparql_text.bind_values`), and, as on Oxigraph, a
  bound variable must be projected by a SELECT;
- each document's named graph is written, replaced and deleted with the Graph
  Store HTTP Protocol (``PUT``/``DELETE`` on ``?graph=IRI``, N-Triples body)
  when ``graph_store`` is given, else with SPARQL Update (``DROP SILENT
  GRAPH`` + ``INSERT DATA``, and ``INSERT {...} WHERE {}`` for triples with
  blank nodes, which some servers refuse in ``INSERT DATA``) sent to
  ``update_endpoint`` (default: the query endpoint), a batch per request up
  to ``update_chunk`` triples (:func:`update_requests`). Every write is
  idempotent, so a retried write is safe.
- 502, 503, 504 and dropped connections are retried ``retries`` times with
  exponential backoff; 401/403, 404, refused connections and timeouts raise
  :class:`~lgkg.graph.store.StoreUnavailable` naming the URL and the cause
  (a refused request names the server's reason: :class:`StoreError`).

A server may hold other data: the store's own view (``graphs``, ``count``,
``dump``) is limited to graphs under ``https://w3id.org/lgkg/id/``, where
lgkg names every graph it writes. Queries see the whole dataset; named
queries use ``GRAPH`` patterns, so they never rely on a union default graph.

>>> RemoteStore("http://localhost:7878/query", "http://localhost:7878/update")
RemoteStore('http://localhost:7878/query')
"""

from __future__ import annotations

import base64
import http.client
import importlib.metadata
import json
import math
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TypeVar

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from lgkg.graph.base import (
    PREFIXES,
    Rows,
    StoreError,
    StoreUnavailable,
    _BaseStore,
    _dedupe,
    _ox_union,
    _sorted_lines,
    column_indexes,
)
from lgkg.graph.formats import DUMP_FORMATS, RESULT_FORMATS, graph_format
from lgkg.graph.sparql_scan import QUERY_FORMS, operation
from lgkg.graph.sparql_text import bind_values, term_text, with_prefixes
from lgkg.graph.terms import bnode_label, ntriples_body, rdflib_rows, to_ox_quads
from lgkg.graph.vocab import ID

#: lgkg writes every graph under this base; the store's own view is limited to it.
GRAPH_BASE = str(ID)
#: HTTP statuses retried with backoff.
TRANSIENT_STATUSES = frozenset({502, 503, 504})
USER_AGENT = f"lgkg/{importlib.metadata.version('lgkg')} (SPARQL client; +https://w3id.org/lgkg)"

_WRAPPER_STATUS: dict[type[SPARQLWrapperException], int] = {
    QueryBadFormed: 400,
    Unauthorized: 401,
    EndPointNotFound: 404,
    URITooLong: 414,
    EndPointInternalError: 500,
}
T = TypeVar("T")


class StoreAuthError(StoreUnavailable):
    """The server refused the credentials (HTTP 401 or 403)."""


class _Response:
    """A response body and its media type."""

    def __init__(self, body: bytes, media_type: str) -> None:
        self.body = body
        self.media_type = media_type.split(";")[0].strip().lower()


def _status_and_detail(err: BaseException) -> tuple[int | None, str]:
    """The HTTP status of an error (None if there was no response) and the server's words."""
    if isinstance(err, urllib.error.HTTPError):
        try:
            body = err.read().decode("utf-8", "replace")
        except Exception:  # the body may already be consumed or the socket gone
            body = ""
        return err.code, (body or str(err.reason)).strip()
    for kind, status in _WRAPPER_STATUS.items():
        if isinstance(err, kind):
            text = str(err)
            _, _, response = text.partition("Response:\n")
            return status, _bytes_repr_text(response) or text
    return None, str(err)


def _bytes_repr_text(text: str) -> str:
    """SPARQLWrapper's ``repr(bytes)`` of a response body, as text."""
    import ast

    text = text.strip()
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value.decode("utf-8", "replace").strip() if isinstance(value, bytes) else str(value)


def _is_timeout(err: BaseException) -> bool:
    reason = getattr(err, "reason", None)
    return isinstance(err, TimeoutError) or isinstance(reason, TimeoutError)


def _is_connection_error(err: BaseException) -> bool:
    """A connection refused, reset or dropped before an HTTP answer."""
    if isinstance(err, urllib.error.HTTPError):
        return False
    reason = getattr(err, "reason", err)
    return isinstance(reason, ConnectionError | http.client.HTTPException) or (
        isinstance(err, urllib.error.URLError) and not _is_timeout(err)
    )


def _clean_bnode_labels(body: bytes) -> bytes:
    """SPARQL JSON results with blank-node labels Oxigraph accepts (Virtuoso sends ``nodeID://b1``)."""
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for cell in row.values():
            if cell.get("type") == "bnode":
                cell["value"] = bnode_label(cell["value"])
    return json.dumps(data).encode("utf-8")


def _bnode_components(quads: list[ox.Quad]) -> list[list[ox.Quad]]:
    """The quads grouped so that every blank node's quads stay in one group.

    A blank node in an ``INSERT`` template is fresh per operation, so the
    quads that share one must be sent together.
    """
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def root(node: ox.BlankNode) -> ox.BlankNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for q in quads:
        nodes = [t for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)]
        if len(nodes) == 2:
            parent[root(nodes[0])] = root(nodes[1])
        elif nodes:
            root(nodes[0])
    groups: dict[object, list[ox.Quad]] = {}
    for i, q in enumerate(quads):
        node = next((t for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)), None)
        groups.setdefault(root(node) if node is not None else i, []).append(q)
    return list(groups.values())


def update_requests(
    graphs: Mapping[str, Graph], max_triples: int = 2000, max_template: int = 500
) -> list[str]:
    """SPARQL Update requests that replace ``graphs``: drops first, inserts after.

    Each request holds at most ``max_triples`` triples, so a batch within the
    limit is one request and one transaction. Triples without blank nodes go
    in ``INSERT DATA``; those with blank nodes in ``INSERT {...} WHERE {}``
    operations of at most ``max_template`` triples, never splitting the
    triples that share a blank node (servers such as Virtuoso refuse blank
    nodes in ``INSERT DATA`` and long templates).

    >>> from rdflib import Literal, URIRef
    >>> g = Graph()
    >>> for i in range(3):
    ...     _ = g.add((URIRef("https://x.org/s"), URIRef("https://x.org/p"), Literal(i)))
    >>> requests = update_requests({"https://x.org/g": g}, max_triples=2)
    >>> len(requests), requests[0].startswith("DROP SILENT GRAPH <https://x.org/g> ;")
    (2, True)
    """
    units: list[tuple[str, list[ox.Quad]]] = []
    for graph_iri, triples in graphs.items():
        quads = list(to_ox_quads(graph_iri, triples))
        units.extend((graph_iri, group) for group in _bnode_components(quads))
    chunks: list[list[tuple[str, list[ox.Quad]]]] = [[]]
    size = 0
    for unit in units:
        if chunks[-1] and size + len(unit[1]) > max_triples:
            chunks.append([])
            size = 0
        chunks[-1].append(unit)
        size += len(unit[1])
    requests = [_insert_operations(chunk, max_template) for chunk in chunks]
    drops = [f"DROP SILENT GRAPH {ox.NamedNode(g)}" for g in graphs]
    requests[0] = [*drops, *requests[0]]
    return [" ;\n".join(ops) for ops in requests if ops]


def _insert_operations(units: list[tuple[str, list[ox.Quad]]], max_template: int) -> list[str]:
    """``INSERT DATA`` for quads without blank nodes, template inserts for the rest."""

    def blocks(quads: list[ox.Quad]) -> str:
        by_graph: dict[str, list[ox.Quad]] = {}
        for q in quads:
            by_graph.setdefault(q.graph_name.value, []).append(q)
        return "\n".join(
            f"GRAPH {ox.NamedNode(g)} {{\n{ntriples_body(qs)}\n}}" for g, qs in by_graph.items()
        )

    plain = [q for _, group in units if not _has_bnode(group[0]) for q in group]
    operations = [f"INSERT DATA {{\n{blocks(plain)}\n}}"] if plain else []
    template: list[ox.Quad] = []
    for _, group in units:
        if not _has_bnode(group[0]):
            continue
        if template and len(template) + len(group) > max_template:
            operations.append(f"INSERT {{\n{blocks(template)}\n}} WHERE {{}}")
            template = []
        template.extend(group)
    if template:
        operations.append(f"INSERT {{\n{blocks(template)}\n}} WHERE {{}}")
    return operations


def _has_bnode(quad: ox.Quad) -> bool:
    return isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)


def _shorten(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RemoteStore(_BaseStore):
    """A SPARQL 1.1 server (query, update and Graph Store endpoints) as a :class:`Store`.

    ``user``/``password`` send HTTP Basic credentials, ``token`` a Bearer
    token. ``timeout`` (seconds) bounds each request; ``retries`` transient
    failures are retried after ``backoff``, ``2 * backoff``, ... seconds.
    ``update_chunk`` caps the triples of one SPARQL Update request (servers
    such as Virtuoso refuse very long ones).
    """

    def __init__(
        self,
        query_endpoint: str,
        update_endpoint: str | None = None,
        graph_store: str | None = None,
        *,
        timeout: float = 30,
        retries: int = 3,
        user: str | None = None,
        password: str | None = None,
        token: str | None = None,
        read_only: bool = False,
        backoff: float = 0.5,
        update_chunk: int = 2000,
    ) -> None:
        for url in (query_endpoint, update_endpoint, graph_store):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"not an http(s) URL: {url!r}")
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint or query_endpoint
        self.graph_store = graph_store
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.read_only = read_only
        self.update_chunk = update_chunk
        self._user, self._password, self._token = user, password, token

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_endpoint!r})"

    # -- HTTP --------------------------------------------------------------

    def _auth_headers(self) -> dict[str, str]:
        if self._token:
            return {"Authorization": f"Bearer {self._token}"}
        if self._user is not None:
            pair = f"{self._user}:{self._password or ''}".encode()
            return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
        return {}

    def _call(self, url: str, action: str, send: Callable[[], T]) -> T:
        """Run ``send``, retrying transient failures; other failures become clear errors."""
        delay = self.backoff
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return send()
            except (
                urllib.error.URLError,
                SPARQLWrapperException,
                http.client.HTTPException,
                OSError,
            ) as err:
                status, detail = _status_and_detail(err)
                transient = status in TRANSIENT_STATUSES or (
                    status is None and _is_connection_error(err)
                )
                if transient and attempt < attempts:
                    time.sleep(delay)
                    delay *= 2
                    continue
                raise self._error(url, action, err, status, detail, attempt) from err
        raise AssertionError("unreachable")

    def _error(
        self,
        url: str,
        action: str,
        err: BaseException,
        status: int | None,
        detail: str,
        attempts: int,
    ) -> Exception:
        detail = _shorten(detail)
        if status in (401, 403):
            return StoreAuthError(f"credentials refused by {url} (HTTP {status})")
        if status == 404:
            return StoreUnavailable(f"{url} not found (HTTP 404): check the endpoint URL")
        if status == 400 and action == "query":
            return ValueError(f"invalid SPARQL: {detail}")
        if status in TRANSIENT_STATUSES:
            return StoreUnavailable(
                f"{url} is unavailable (HTTP {status}) after {attempts} attempts: {detail}"
            )
        if status is not None:
            hint = ""
            if action == "update" and status in (400, 405, 415):
                hint = " (is it the update endpoint? see --update-endpoint)"
            kind = StoreUnavailable if status in (405, 415) else StoreError  # misconfigured
            return kind(f"{url} refused the {action} (HTTP {status}){hint}: {detail}")
        if _is_timeout(err):
            return StoreUnavailable(f"{url} did not answer within {self.timeout:g} s")
        reason = getattr(err, "reason", err)
        return StoreUnavailable(f"cannot reach {url} after {attempts} attempts: {reason}")

    def _wrapper(self, text: str, form: str) -> SPARQLWrapper:
        """A SPARQLWrapper for one request; ``form`` (our own reading) picks the endpoint."""
        wrapper = SPARQLWrapper(
            self.query_endpoint, updateEndpoint=self.update_endpoint, agent=USER_AGENT
        )
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(max(1, math.ceil(self.timeout)))
        for name, value in self._auth_headers().items():
            wrapper.addCustomHttpHeader(name, value)
        wrapper.setQuery(text)
        wrapper.queryType = form  # its own guess reads keywords inside comments
        return wrapper

    def _request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        content_type: str | None = None,
        allow: tuple[int, ...] = (),
    ) -> int:
        """One plain HTTP request (Graph Store Protocol); its status.

        An error status in ``allow`` is returned instead of raised.
        """
        request = urllib.request.Request(url, data=body, method=method)
        request.add_header("User-Agent", USER_AGENT)
        if content_type:
            request.add_header("Content-Type", content_type)
        for name, value in self._auth_headers().items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as err:
            if err.code in allow:
                return err.code
            raise

    def _graph_url(self, graph_iri: str) -> str:
        assert self.graph_store is not None
        sep = "&" if urllib.parse.urlsplit(self.graph_store).query else "?"
        return f"{self.graph_store}{sep}graph={urllib.parse.quote(graph_iri, safe='')}"

    # -- queries -----------------------------------------------------------

    def _query(
        self, query: str, bindings: Mapping[str, Node] | None, kinds: tuple[str, ...]
    ) -> tuple[str, _Response]:
        """Send a query of one of ``kinds`` (SELECT, ASK, CONSTRUCT, DESCRIBE)."""
        kind = operation(query)
        if kind not in kinds:
            if kind in QUERY_FORMS:
                raise ValueError(f"needs a {' or '.join(kinds)} query, not {kind}")
            raise ValueError("invalid SPARQL: not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
        text = with_prefixes(bind_values(query, dict(bindings or {})), PREFIXES)
        wrapper = self._wrapper(text, kind)
        wrapper.setReturnFormat(JSON if kind in ("SELECT", "ASK") else TURTLE)

        def send() -> _Response:
            result = wrapper.query()
            media = result.response.headers.get("Content-Type", "")
            return _Response(result.response.read(), media)

        return kind, self._call(self.query_endpoint, "query", send)

    @staticmethod
    def _results(response: _Response) -> ox.QuerySolutions | ox.QueryBoolean:
        fmt = ox.QueryResultsFormat.from_media_type(response.media_type)
        fmt = fmt or ox.QueryResultsFormat.JSON
        body = response.body
        if fmt == ox.QueryResultsFormat.JSON and b'"bnode"' in body:
            body = _clean_bnode_labels(body)
        try:
            return ox.parse_query_results(body, format=fmt)
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"unreadable query results ({response.media_type}): {err}") from err

    @staticmethod
    def _triples(response: _Response) -> list[ox.Triple]:
        fmt = ox.RdfFormat.from_media_type(response.media_type) or ox.RdfFormat.TURTLE
        try:
            return [q.triple for q in ox.parse(response.body, format=fmt)]
        except (SyntaxError, ValueError) as err:
            raise StoreError(f"unreadable RDF ({response.media_type}): {err}") from err

    def _solutions(
        self, query: str, bindings: Mapping[str, Node] | None = None
    ) -> ox.QuerySolutions:
        try:
            _, response = self._query(query, bindings, ("SELECT",))
        except ValueError as err:
            if str(err).startswith("needs a"):
                raise ValueError("select() needs a SELECT query") from err
            raise
        result = self._results(response)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError(f"{self.query_endpoint} answered a SELECT with a boolean")
        return result

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        unmark: Collection[str] = (),
    ) -> tuple[list[str], Rows]:
        result = self._solutions(query, bindings)
        columns = [v.value for v in result.variables]
        missing = [name for name in bindings or {} if name not in columns]
        if missing:
            raise ValueError(
                f"cannot run the query: it does not project the bound variable ?{missing[0]}"
            )
        # a solution iterates its values in column order
        return columns, rdflib_rows(result, column_indexes(columns, unmark))

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        try:
            _, response = self._query(query, bindings, ("ASK",))
        except ValueError as err:
            if str(err).startswith("needs a"):
                raise ValueError("ask() needs an ASK query") from err
            raise
        result = self._results(response)
        if not isinstance(result, ox.QueryBoolean):
            raise StoreError(f"{self.query_endpoint} answered an ASK with solutions")
        return bool(result)

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        try:
            _, response = self._query(query, bindings, ("CONSTRUCT", "DESCRIBE"))
        except ValueError as err:
            if str(err).startswith("needs a"):
                raise ValueError("construct() needs a CONSTRUCT or DESCRIBE query") from err
            raise
        return _ox_union(self._triples(response))

    def query_raw(self, query: str, result_format: str) -> bytes:
        kind, response = self._query(query, None, ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"))
        if kind in ("CONSTRUCT", "DESCRIBE"):
            fmt = graph_format(result_format)
            return ox.serialize(self._triples(response), format=fmt, prefixes=PREFIXES)
        if result_format not in RESULT_FORMATS:
            raise ValueError(
                f"unknown result format {result_format!r}; use one of {', '.join(RESULT_FORMATS)}"
            )
        return self._results(response).serialize(format=RESULT_FORMATS[result_format])

    # -- reading the store's own graphs --------------------------------------

    def has_graph(self, graph_iri: str) -> bool:
        name = term_text(URIRef(graph_iri))
        return self.ask(f"ASK {{ GRAPH {name} {{ ?s ?p ?o }} }}")

    def graph_value(self, graph_iri: str, predicate: str) -> str | None:
        name, pred = term_text(URIRef(graph_iri)), term_text(URIRef(predicate))
        result = self._solutions(f"SELECT ?v WHERE {{ GRAPH {name} {{ {name} {pred} ?v }} }}")
        values = [s["v"].value for s in result if s["v"] is not None]
        return min(values) if values else None

    def _own_quads(self) -> list[ox.Quad]:
        result = self._solutions(
            "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}")) }}'
        )
        return [ox.Quad(s["s"], s["p"], s["o"], s["g"]) for s in result]

    def count(self) -> int:
        result = self._solutions(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}")) }}'
        )
        return next(int(s["n"].value) for s in result)

    def graphs(self) -> list[str]:
        result = self._solutions(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{GRAPH_BASE}")) }}'
        )
        return sorted(s["g"].value for s in result)

    def dump(self, fmt: str = "nquads") -> bytes:
        if fmt not in DUMP_FORMATS:
            raise ValueError(f"unknown dump format {fmt!r}; use one of {', '.join(DUMP_FORMATS)}")
        quads = self._own_quads()
        if fmt == "nquads":
            return _sorted_lines(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
        if fmt == "turtle":
            triples = {q.triple for q in quads}
            return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        if fmt == "trig":
            return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
        return ox.serialize(quads, format=ox.RdfFormat.JSON_LD)

    # -- writing -----------------------------------------------------------

    def replace_graphs(self, items: Iterable[tuple[str, Graph]]) -> None:
        """Replace graphs: a Graph Store ``PUT`` each (atomic per graph), else SPARQL Update.

        With SPARQL Update a batch of up to ``update_chunk`` triples is one
        request, which servers apply as one transaction (see :func:`update_requests`).
        """
        self._check_writable()
        merged = _dedupe(items)
        if not merged:
            return
        if self.graph_store is None:
            for update in update_requests(merged, self.update_chunk):
                self._update(update)
            return
        for graph_iri, triples in merged.items():
            if not len(triples):
                self._delete_graph(graph_iri)
                continue
            body = ox.serialize(
                (q.triple for q in to_ox_quads(graph_iri, triples)),
                format=ox.RdfFormat.N_TRIPLES,
            )
            url = self._graph_url(graph_iri)
            self._call(
                url,
                "write",
                lambda url=url, body=body: self._request(
                    "PUT", url, body, content_type="application/n-triples"
                ),
            )

    def drop_graph(self, graph_iri: str) -> bool:
        self._check_writable()
        existed = self.has_graph(graph_iri)
        if self.graph_store is None:
            self._update(f"DROP SILENT GRAPH {term_text(URIRef(graph_iri))}")
        else:
            self._delete_graph(graph_iri)
        return existed

    def _delete_graph(self, graph_iri: str) -> None:
        url = self._graph_url(graph_iri)  # 404: no such graph, nothing to delete
        self._call(url, "delete", lambda: self._request("DELETE", url, allow=(404,)))

    def _update(self, update: str) -> None:
        wrapper = self._wrapper(update, operation(update) or "INSERT")
        self._call(self.update_endpoint, "update", lambda: wrapper.query().response.read())
