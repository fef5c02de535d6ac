"""The ASGI application behind ``lgkg serve`` (Starlette, served by uvicorn).

Routes:

- ``/sparql``: the SPARQL 1.1 Protocol endpoint (GET, POST); a GET with no
  query returns the service description. Updates only with ``enable_update``
  and ``Authorization: Bearer TOKEN``.
- ``/store``: the Graph Store HTTP Protocol, only with ``enable_update`` and the token.
- ``/``: the query page; ``/council/{code or name}``: one council's page;
  ``/doc/{id}``: one document's facts, with what analysts did to them.
- ``/api/queries``: the named queries (JSON); ``/api/query/{name}?param=value``:
  one named query run with its parameters bound, as SPARQL results;
  ``/api/council/{code or name}``: a council from the gazetteer (JSON);
  ``/api/doc/{id}``: a document's review (JSON, :mod:`lgkg.corrections`);
  ``POST /api/doc/{id}/corrections``: one correction (JSON), only with
  ``enable_update`` and the token.

Every response carries CORS headers for browser clients.

Operations run in worker processes (:mod:`lgkg.server.pool`) that are
killed at the deadline. Before an operation is queued, its text is checked
against :class:`~lgkg.graph.sparql_scan.QueryLimits` (size, nesting, operator
chains, VALUES) and a request body larger than ``max_body_bytes`` is refused
(413) as it arrives; a result larger than ``max_result_bytes`` is refused
(400) while it is written.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import re
import tempfile
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from lgkg.graph.formats import FORMATS
from lgkg.graph.sparql_scan import QueryLimits, QueryTooComplex, check_limits
from lgkg.graph.store import OxigraphStore
from lgkg.server import defaults, gsp
from lgkg.server.description import service_description
from lgkg.server.engine import Answer
from lgkg.server.pool import Busy, OperationTimeout, Pool, WorkerDied, shape_key
from lgkg.server.protocol import ProtocolError, parse_request
from lgkg.server.results import GRAPH, NotAcceptable, negotiate
from lgkg.server.worker import Failure, WorkerSpec

log = logging.getLogger("lgkg.server")

STATIC = Path(str(files("lgkg.server") / "static"))
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"
_DOC_ID = re.compile(r"[0-9a-f]{16}")


@dataclass
class ServerConfig:
    """What ``lgkg serve`` was asked for."""

    store: OxigraphStore
    enable_update: bool = False
    token: str | None = None
    timeout: float = defaults.TIMEOUT
    max_rows: int = defaults.MAX_ROWS
    workers: int = defaults.WORKERS
    limits: QueryLimits = field(default_factory=QueryLimits)
    max_body_bytes: int = defaults.MAX_BODY_BYTES
    max_result_bytes: int = defaults.MAX_RESULT_BYTES
    fast_lanes: int = defaults.FAST_LANES
    fast_seconds: float = defaults.FAST_SECONDS
    max_queue: int = defaults.MAX_QUEUE
    worker_memory_mb: int = defaults.WORKER_MEMORY_MB

    def __post_init__(self) -> None:
        if self.enable_update and not self.token:
            raise ValueError("updates need a token (--token or LGKG_TOKEN)")


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


def _answer(answer: Answer, max_rows: int) -> Response:
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers[MAX_ROWS_HEADER] = str(max_rows)
    if answer.status == 204:
        return Response(status_code=204, headers=headers)
    media = answer.media_type
    if media.startswith("text/") or media.endswith(("json", "xml")):
        media += "; charset=utf-8"
    return Response(answer.body, status_code=answer.status, headers=headers, media_type=media)


def _endpoint_url(request: Request) -> str:
    return str(request.url.replace(query="", fragment=""))


class BodyTooLarge(Exception):
    """A request body over the server's ``max_body_bytes`` (HTTP 413)."""


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, read as it arrives; BodyTooLarge as soon as it passes ``limit``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(f"the request body is {int(declared):,} bytes; at most {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the request body is over {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _snapshot(store: OxigraphStore, folder: Path) -> str:
    """Copy an in-memory store into an on-disk store in ``folder`` that workers can open."""
    path = folder / "store"
    copy = ox.Store(str(path))
    copy.bulk_extend(store.native.quads_for_pattern(None, None, None, None))
    copy.flush()
    del copy
    return str(path)


class Server:
    """The request handlers, sharing one configuration and one pool of worker processes."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.pool: Pool | None = None
        self._snapshot_dir: tempfile.TemporaryDirectory | None = None

    def worker_spec(self) -> WorkerSpec:
        """How workers open the store: the served folder, or a snapshot of an in-memory store
        (kept in memory by each worker when it was an in-memory copy)."""
        store, config = self.config.store, self.config
        in_memory = False
        if store.path is None:
            self._snapshot_dir = tempfile.TemporaryDirectory(prefix="lgkg-serve-")
            path = _snapshot(store, Path(self._snapshot_dir.name))
            in_memory = store.read_only and not config.enable_update
            if in_memory:  # a served in-memory copy: each worker holds its own now
                store.close()
        else:
            path = str(store.path)
            if config.enable_update:
                store.close()  # the one worker opens it for writing: release the lock
        return WorkerSpec(
            path,
            writable=config.enable_update,
            in_memory=in_memory,
            max_rows=config.max_rows,
            max_result_bytes=config.max_result_bytes,
            memory_mb=config.worker_memory_mb,
        )

    async def start(self) -> None:
        config = self.config
        self.pool = Pool(
            self.worker_spec(),
            workers=config.workers,
            fast_lanes=config.fast_lanes,
            fast_seconds=config.fast_seconds,
            timeout=config.timeout,
            max_queue=config.max_queue,
        )
        await self.pool.start()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self._snapshot_dir is not None:
            self._snapshot_dir.cleanup()

    def _authorised(self, request: Request) -> bool:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        token = (self.config.token or "").encode("utf-8")
        return (
            bool(token)
            and scheme.lower() == "bearer"
            and hmac.compare_digest(value.strip().encode("utf-8"), token)
        )

    def _refuse_writes(self, request: Request, what: str) -> Response | None:
        if not self.config.enable_update:
            return _text(403, f"{what} is not available: this endpoint is read-only")
        if not self._authorised(request):
            return _text(
                401,
                f"{what} needs Authorization: Bearer TOKEN",
                {"WWW-Authenticate": 'Bearer realm="lgkg"'},
            )
        return None

    async def _reply(self, payload: tuple, key: str) -> Answer | gsp.Reply | Response:
        """A worker's reply to ``payload``, or the error response to send instead."""
        assert self.pool is not None, "the server has not started"
        try:
            reply = await self.pool.run(payload, key)
        except OperationTimeout as err:
            return _text(503, f"{err}; narrow the query or add a LIMIT")
        except Busy as err:
            return _text(503, str(err), {"Retry-After": "1"})
        except WorkerDied as err:
            return _text(503, str(err))
        if isinstance(reply, Failure):
            return _text(reply.status, reply.message)
        return reply

    async def _run(self, payload: tuple, key: str) -> Response:
        reply = await self._reply(payload, key)
        if isinstance(reply, Response):
            return reply
        return _answer(reply, self.config.max_rows)

    async def _body(self, request: Request) -> bytes | Response:
        try:
            return await read_body(request, self.config.max_body_bytes)
        except BodyTooLarge as err:
            return _text(413, str(err), {"Connection": "close"})
        except ClientDisconnect:
            log.info("a client disconnected before sending its whole request")
            return _text(400, "the client disconnected")

    # -- SPARQL protocol ----------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        body = await self._body(request)
        if isinstance(body, Response):
            return body
        try:
            op = parse_request(
                request.method, request.url.query, request.headers.get("content-type"), body
            )
        except ProtocolError as err:
            return _text(err.status, err.message)
        endpoint = _endpoint_url(request)
        accept = request.headers.get("accept")
        fmt = request.query_params.get("format")
        if op is None:
            return self._description(endpoint, accept, fmt)
        if op.kind == "update":
            refused = self._refuse_writes(request, "SPARQL Update")
            if refused is not None:
                return refused
        try:
            check_limits(op.text, self.config.limits)
        except QueryTooComplex as err:
            return _text(400, f"{err} (this endpoint's limit; see lgkg serve --help)")
        if op.kind == "update":
            job = {"op": op, "base_iri": endpoint}
        else:
            job = {"op": op, "accept": accept, "fmt": fmt, "base_iri": endpoint}
        return await self._run((op.kind, job), shape_key(op.kind, op.text))

    def _description(self, endpoint: str, accept: str | None, fmt: str | None) -> Response:
        try:
            media, name = negotiate(accept, GRAPH, fmt)
        except NotAcceptable as err:
            return _text(406, str(err))
        graph = service_description(endpoint, update=self.config.enable_update)
        data = graph.serialize(format=FORMATS[name].rdflib, encoding="utf-8")
        return Response(data, media_type=media, headers={"Vary": "Accept"})

    # -- Graph Store Protocol -----------------------------------------------------------

    async def store(self, request: Request) -> Response:
        refused = self._refuse_writes(request, "The Graph Store Protocol")
        if refused is not None:
            return refused
        body = await self._body(request)
        if isinstance(body, Response):
            return body
        pairs = urllib.parse.parse_qsl(request.url.query, keep_blank_values=True)
        job = {
            "method": request.method,
            "pairs": pairs,
            "content_type": request.headers.get("content-type"),
            "body": body,
            "accept": request.headers.get("accept"),
            "base_iri": _endpoint_url(request),
        }
        reply = await self._reply(("gsp", job), f"gsp:{request.method}")
        if isinstance(reply, Response):
            return reply
        if reply.status in (201, 204):
            return Response(status_code=reply.status)
        return Response(reply.body, status_code=reply.status, media_type=reply.media_type)

    # -- the web page's API ---------------------------------------------------------------

    async def queries(self, request: Request) -> Response:
        from lgkg.queries.named import list_queries

        return JSONResponse(
            [
                {
                    "name": q.name,
                    "title": q.title,
                    "description": q.description,
                    "params": [
                        {
                            "name": p.name,
                            "kind": p.kind,
                            "description": p.description,
                            "example": p.example,
                            "required": p.required,
                        }
                        for p in q.params
                    ],
                    "columns": q.columns,
                    "text": q.text,
                }
                for q in list_queries()
            ]
        )

    async def named_query(self, request: Request) -> Response:
        from lgkg.queries.named import get_query

        name = request.path_params["name"]
        try:
            get_query(name)
        except KeyError as err:
            return _text(404, str(err.args[0]))
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        job = {
            "name": name,
            "params": params,
            "accept": request.headers.get("accept"),
            "fmt": request.query_params.get("format"),
        }
        return await self._run(("named", job), f"named:{name}:{sorted(params)}")

    async def council(self, request: Request) -> Response:
        from lgkg.extract.gazetteer import Gazetteer

        key = request.path_params["key"]
        gazetteer = Gazetteer.load()
        found = gazetteer.by_code(key) or gazetteer.lookup(key)
        if found is None:
            return _text(404, f"no council is known as {key!r}")
        return JSONResponse(
            {
                "code": found.code,
                "name": found.short_name,
                "official_name": found.official_name,
                "type": found.type,
                "start_date": found.start_date,
                "end_date": found.end_date,
                "wikidata": found.wikidata,
                "iri": f"https://w3id.org/lgkg/id/council/{found.code}",
            }
        )

    async def document(self, request: Request) -> Response:
        """A document's facts with what analysts did to them (JSON for the document page)."""
        doc = request.path_params["doc"]
        if not _DOC_ID.fullmatch(doc):
            return _text(404, f"not a document id (16 hexadecimal digits): {doc!r}")
        job = {"doc": doc, "editable": self.config.enable_update}
        return await self._run(("review", job), "review")

    async def correct(self, request: Request) -> Response:
        """Make one correction the document page sent (JSON), with the token; the review after."""
        refused = self._refuse_writes(request, "Correcting facts")
        if refused is not None:
            return refused
        doc = request.path_params["doc"]
        if not _DOC_ID.fullmatch(doc):
            return _text(404, f"not a document id (16 hexadecimal digits): {doc!r}")
        body = await self._body(request)
        if isinstance(body, Response):
            return body
        try:
            data = json.loads(body or b"null")
        except ValueError as err:
            return _text(400, f"the correction is not JSON: {err}")
        if not isinstance(data, dict):
            return _text(400, "send the correction as a JSON object")
        job = {"doc": doc, "correction": data, "editable": True}
        return await self._run(("correct", job), "correct")

    async def page(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html")

    async def document_page(self, request: Request) -> Response:
        return FileResponse(STATIC / "document.html")

    async def council_page(self, request: Request) -> Response:
        return FileResponse(STATIC / "council.html")


def create_app(config: ServerConfig) -> Starlette:
    """The Starlette application serving ``config.store``."""
    server = Server(config)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        await server.start()
        try:
            yield
        finally:
            server.close()

    routes = [
        Route("/sparql", server.sparql, methods=["GET", "POST"]),
        Route("/sparql/", server.sparql, methods=["GET", "POST"]),
        Route("/store", server.store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/api/queries", server.queries, methods=["GET"]),
        Route("/api/query/{name}", server.named_query, methods=["GET"]),
        Route("/api/council/{key}", server.council, methods=["GET"]),
        Route("/", server.page, methods=["GET"]),
        Route("/council/{key}", server.council_page, methods=["GET"]),
        Route("/api/doc/{doc}", server.document, methods=["GET"]),
        Route("/api/doc/{doc}/corrections", server.correct, methods=["POST"]),
        Route("/doc/{doc}", server.document_page, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS"],
            allow_headers=["Accept", "Authorization", "Content-Type"],
            expose_headers=[MAX_ROWS_HEADER],
        )
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.server = server
    return app
