"""The ASGI application behind ``lgkg serve`` (Starlette, served by uvicorn).

Routes:

- ``/sparql``: the SPARQL 1.1 Protocol endpoint (GET, POST); a GET with no
  query returns the service description. Updates only with ``enable_update``
  and ``Authorization: Bearer TOKEN``.
- ``/store``: the Graph Store HTTP Protocol, only with ``enable_update`` and the token.
- ``/``: the query page; ``/council/{code or name}``: one council's page.
- ``/api/queries``: the named queries (JSON); ``/api/query/{name}?param=value``:
  one named query run with its parameters bound, as SPARQL results;
  ``/api/council/{code or name}``: a council from the gazetteer (JSON).

Every response carries CORS headers for browser clients.
"""

from __future__ import annotations

import contextlib
import hmac
import urllib.parse
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from lgkg.graph.store import OxigraphStore
from lgkg.server import gsp
from lgkg.server.description import service_description
from lgkg.server.engine import (
    Answer,
    BadOperation,
    Cancelled,
    OperationTimeout,
    Runner,
    evaluate_named,
    evaluate_query,
    evaluate_update,
)
from lgkg.server.protocol import ProtocolError, parse_request
from lgkg.server.results import GRAPH, NotAcceptable, negotiate

STATIC = Path(str(files("lgkg.server") / "static"))
MAX_ROWS_HEADER = "X-SPARQL-MaxRows"


@dataclass
class ServerConfig:
    """What ``lgkg serve`` was asked for."""

    store: OxigraphStore
    enable_update: bool = False
    token: str | None = None
    timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = 4
    runner: Runner | None = field(default=None, repr=False)

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


class Server:
    """The request handlers, sharing one store, runner and configuration."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        self.native = config.store.native
        self.runner = config.runner or Runner(config.workers, config.timeout)

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

    async def _run(self, job: Callable[[Any], Answer]) -> Response:
        try:
            answer = await self.runner.run(job)
        except BadOperation as err:
            return _text(400, str(err))
        except NotAcceptable as err:
            return _text(406, str(err))
        except (OperationTimeout, Cancelled) as err:
            return _text(503, f"{err or 'timed out'}; narrow the query or add a LIMIT")
        return _answer(answer, self.config.max_rows)

    # -- SPARQL protocol ----------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        body = await request.body()
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
            return await self._run(
                lambda cancel: evaluate_update(self.native, op, base_iri=endpoint, cancel=cancel)
            )
        return await self._run(
            lambda cancel: evaluate_query(
                self.native,
                op,
                accept=accept,
                fmt=fmt,
                max_rows=self.config.max_rows,
                base_iri=endpoint,
                cancel=cancel,
            )
        )

    def _description(self, endpoint: str, accept: str | None, fmt: str | None) -> Response:
        try:
            media, name = negotiate(accept, GRAPH, fmt)
        except NotAcceptable as err:
            return _text(406, str(err))
        graph = service_description(endpoint, update=self.config.enable_update)
        rdflib_name = {"ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}.get(name, name)
        data = graph.serialize(format=rdflib_name, encoding="utf-8")
        return Response(data, media_type=media, headers={"Vary": "Accept"})

    # -- Graph Store Protocol -----------------------------------------------------------

    async def store(self, request: Request) -> Response:
        refused = self._refuse_writes(request, "The Graph Store Protocol")
        if refused is not None:
            return refused
        body = await request.body()
        pairs = urllib.parse.parse_qsl(request.url.query, keep_blank_values=True)

        def job(_cancel: Any) -> gsp.Reply:
            return gsp.handle(
                self.native,
                request.method,
                pairs,
                content_type=request.headers.get("content-type"),
                body=body,
                accept=request.headers.get("accept"),
                base_iri=_endpoint_url(request),
            )

        try:
            reply = await self.runner.run(job)
        except gsp.GraphStoreError as err:
            return _text(err.status, str(err))
        except NotAcceptable as err:
            return _text(406, str(err))
        except (OperationTimeout, Cancelled) as err:
            return _text(503, str(err) or "timed out")
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
        return await self._run(
            lambda cancel: evaluate_named(
                self.config.store,
                name,
                params,
                accept=request.headers.get("accept"),
                fmt=request.query_params.get("format"),
                max_rows=self.config.max_rows,
                cancel=cancel,
            )
        )

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

    async def page(self, request: Request) -> Response:
        return FileResponse(STATIC / "index.html")

    async def council_page(self, request: Request) -> Response:
        return FileResponse(STATIC / "council.html")


def create_app(config: ServerConfig) -> Starlette:
    """The Starlette application serving ``config.store``."""
    server = Server(config)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        server.runner.close()

    routes = [
        Route("/sparql", server.sparql, methods=["GET", "POST"]),
        Route("/sparql/", server.sparql, methods=["GET", "POST"]),
        Route("/store", server.store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/api/queries", server.queries, methods=["GET"]),
        Route("/api/query/{name}", server.named_query, methods=["GET"]),
        Route("/api/council/{key}", server.council, methods=["GET"]),
        Route("/", server.page, methods=["GET"]),
        Route("/council/{key}", server.council_page, methods=["GET"]),
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
