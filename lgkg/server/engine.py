"""Running queries and updates for the server: worker threads, a deadline and a row cap.

pyoxigraph cannot interrupt a query once it runs, so every operation runs in
a :class:`Runner` worker thread while the request waits for it at most
``timeout`` seconds. When the deadline passes, the client gets 503 at once
and the worker is told to stop: it checks between result rows (and before it
starts, if it was still queued), so a query that streams many rows ends soon
after; a query that computes for long before its first row (a big sort or
aggregate) keeps its thread until pyoxigraph returns, then its result is
thrown away. The pool has a fixed number of threads, so at most that many
such queries run at once; requests queued behind them time out in turn. An
update that times out may still be applied when its thread finishes.

A result is cut at ``max_rows`` rows (SELECT) or triples (CONSTRUCT,
DESCRIBE); :class:`Answer.truncated` says so and the server adds an
``X-SPARQL-MaxRows`` header.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import pyoxigraph as ox

from lgkg.graph.sparql_scan import add_using, keywords, update_has_dataset
from lgkg.graph.store import PREFIXES
from lgkg.graph.terms import to_ox
from lgkg.server.protocol import Operation
from lgkg.server.results import (
    GRAPH,
    TABULAR,
    boolean_bytes,
    negotiate,
    solutions_bytes,
    triples_bytes,
)

T = TypeVar("T")


class Cancelled(Exception):
    """The request's deadline passed; the worker stopped early."""


class OperationTimeout(Exception):
    """The operation did not finish within the server's timeout."""


class BadOperation(ValueError):
    """A query or update the server refuses or cannot parse (HTTP 400)."""


@dataclass(frozen=True)
class Answer:
    """A response body and its media type."""

    body: bytes
    media_type: str
    truncated: bool = False
    status: int = 200


class Runner:
    """A fixed pool of worker threads; :meth:`run` waits for a job at most ``timeout`` seconds."""

    def __init__(self, workers: int = 4, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lgkg-query")

    async def run(self, job: Callable[[threading.Event], T]) -> T:
        """Run ``job(cancel)`` in a worker; at the deadline, set ``cancel`` and time out."""
        cancel = threading.Event()
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._pool, _started(job), cancel)
        future.add_done_callback(_consume)
        try:
            return await asyncio.wait_for(asyncio.shield(future), self.timeout)
        except TimeoutError:
            cancel.set()
            raise OperationTimeout(f"the operation took longer than {self.timeout:g} s") from None

    def close(self) -> None:
        """Stop taking jobs (running ones finish on their own)."""
        self._pool.shutdown(wait=False, cancel_futures=True)


def _started(job: Callable[[threading.Event], T]) -> Callable[[threading.Event], T]:
    def run(cancel: threading.Event) -> T:
        if cancel.is_set():  # its deadline passed while it waited for a thread
            raise Cancelled
        try:
            return job(cancel)
        except BaseException as err:
            _drop_frames(err)
            raise

    return run


def _drop_frames(err: BaseException | None) -> None:
    """Free the frames of an exception's tracebacks in this thread.

    pyoxigraph result iterators must be dropped in the thread that made
    them; a traceback's frames would otherwise keep one alive until the
    exception is dropped in the event loop's thread.
    """
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        err.__traceback__ = None
        err = err.__cause__ or err.__context__


def _consume(future: asyncio.Future) -> None:
    """Retrieve an abandoned job's outcome so asyncio does not log it as never retrieved."""
    if not future.cancelled():
        future.exception()


# --------------------------------------------------------------------------- queries


FORBIDDEN_IN_QUERY = {"SERVICE": "SERVICE (federated query) is not allowed on this endpoint"}
FORBIDDEN_IN_UPDATE = {
    "SERVICE": "SERVICE (federated query) is not allowed on this endpoint",
    "LOAD": "LOAD (fetching remote data) is not allowed on this endpoint",
}


def check_allowed(text: str, forbidden: Mapping[str, str]) -> None:
    """BadOperation if ``text`` uses one of the ``forbidden`` keywords."""
    for word in sorted(keywords(text, forbidden)):
        raise BadOperation(forbidden[word])


def _dataset_options(op: Operation) -> dict[str, Any]:
    """pyoxigraph query options for the request's dataset.

    A dataset from the protocol replaces the query's own; else a query with
    FROM or FROM NAMED keeps its own; else the default graph is the union of
    all graphs, so ``SELECT * { ?s ?p ?o }`` sees every document.
    """
    if op.has_dataset:
        return {
            "default_graph": [ox.NamedNode(g) for g in op.default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in op.named_graphs],
        }
    if keywords(op.text, {"FROM"}):
        return {}
    return {"use_default_graph_as_union": True}


def evaluate_query(
    store: ox.Store,
    op: Operation,
    *,
    accept: str | None,
    fmt: str | None,
    max_rows: int,
    base_iri: str | None,
    cancel: threading.Event,
) -> Answer:
    """Run a query and write its result in the negotiated format (see the module docstring)."""
    check_allowed(op.text, FORBIDDEN_IN_QUERY)
    try:
        result = store.query(op.text, base_iri=base_iri, prefixes=PREFIXES, **_dataset_options(op))
    except SyntaxError as err:
        raise BadOperation(f"invalid SPARQL query: {err}") from err
    if isinstance(result, ox.QueryBoolean):
        media, name = negotiate(accept, TABULAR, fmt)
        return Answer(boolean_bytes(name, bool(result)), media)
    if isinstance(result, ox.QuerySolutions):
        media, name = negotiate(accept, TABULAR, fmt)
        variables = [v.value for v in result.variables]
        rows, truncated = _take(result, max_rows, cancel, lambda s: [s[i] for i in range(len(s))])
        return Answer(solutions_bytes(name, variables, rows), media, truncated)
    media, name = negotiate(accept, GRAPH, fmt)
    triples, truncated = _take(result, max_rows, cancel, lambda t: t)
    return Answer(triples_bytes(name, triples, PREFIXES), media, truncated)


def _take(items: Any, limit: int, cancel: threading.Event, conv: Callable) -> tuple[list, bool]:
    """At most ``limit`` converted items, and whether there were more; stops when cancelled."""
    taken = []
    try:
        for item in items:
            if cancel.is_set():
                raise Cancelled
            if len(taken) >= limit:
                return taken, True
            taken.append(conv(item))
    except (OSError, RuntimeError) as err:  # an evaluation error raised while iterating
        raise BadOperation(f"the query failed: {err}") from err
    return taken, False


def evaluate_update(
    store: ox.Store, op: Operation, *, base_iri: str | None, cancel: threading.Event
) -> Answer:
    """Apply an update (with the protocol's ``using-graph-uri`` as USING clauses)."""
    check_allowed(op.text, FORBIDDEN_IN_UPDATE)
    text = op.text
    if op.has_dataset:
        if update_has_dataset(text):
            raise BadOperation(
                "give the update's dataset by using-graph-uri/using-named-graph-uri "
                "or by USING/WITH clauses, not both"
            )
        text = add_using(text, op.default_graphs, op.named_graphs)
    if cancel.is_set():
        raise Cancelled
    try:
        store.update(text, base_iri=base_iri, prefixes=PREFIXES)
    except SyntaxError as err:
        raise BadOperation(f"invalid SPARQL update: {err}") from err
    except (OSError, RuntimeError) as err:
        raise BadOperation(f"the update failed: {err}") from err
    return Answer(b"", "text/plain", status=204)


def evaluate_named(
    store: Any,
    name: str,
    params: Mapping[str, str],
    *,
    accept: str | None,
    fmt: str | None,
    max_rows: int,
    cancel: threading.Event,
) -> Answer:
    """Run a named query with its parameters bound (``run_query``), as SPARQL results."""
    from lgkg.queries.named import QueryError, run_query

    media, fmt_name = negotiate(accept, TABULAR, fmt)
    try:
        columns, rows = run_query(store, name, params)
    except QueryError as err:
        raise BadOperation(str(err)) from err
    if cancel.is_set():
        raise Cancelled
    truncated = len(rows) > max_rows
    cells = [[None if t is None else to_ox(t) for t in row] for row in rows[:max_rows]]
    return Answer(solutions_bytes(fmt_name, columns, cells), media, truncated)
