"""Evaluating queries and updates for the server, inside a worker process.

These functions run in the worker processes of :mod:`lgkg.server.pool`,
which the server kills at the deadline, so they need not watch the clock;
``cancel`` lets a caller in the same process stop a result being read
between rows (the tests use it).

A result is cut at ``max_rows`` rows (SELECT) or triples (CONSTRUCT,
DESCRIBE); :class:`Answer.truncated` says so and the server adds an
``X-SPARQL-MaxRows`` header. A result that would take more than
``max_bytes`` is refused (:class:`ResultTooLarge`) as soon as the rows read
so far reach it, so a query that makes huge strings cannot make the worker
hold more than about that much.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from lgkg.graph.sparql_scan import add_using, keywords, update_has_dataset
from lgkg.graph.store import PREFIXES
from lgkg.graph.terms import to_ox
from lgkg.server import defaults
from lgkg.server.protocol import Operation
from lgkg.server.results import (
    GRAPH,
    TABULAR,
    boolean_bytes,
    negotiate,
    solutions_bytes,
    triples_bytes,
)


class Cancelled(Exception):
    """The caller set ``cancel``; reading the result stopped early."""


class BadOperation(ValueError):
    """A query or update the server refuses or cannot parse (HTTP 400)."""


class NotFound(ValueError):
    """The store has no such document (HTTP 404)."""


class ResultTooLarge(ValueError):
    """The result would be larger than the server sends (HTTP 400: narrow the query)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            f"the result is larger than this endpoint sends ({max_bytes:,} bytes); "
            "add a LIMIT or select fewer or shorter values"
        )


@dataclass(frozen=True)
class Answer:
    """A response body and its media type."""

    body: bytes
    media_type: str
    truncated: bool = False
    status: int = 200


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
    max_bytes: int = defaults.MAX_RESULT_BYTES,
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
        rows, truncated = _take(result, max_rows, max_bytes, cancel, _solution_terms)
        return Answer(_capped(solutions_bytes(name, variables, rows), max_bytes), media, truncated)
    media, name = negotiate(accept, GRAPH, fmt)
    triples, truncated = _take(result, max_rows, max_bytes, cancel, _triple_terms)
    return Answer(_capped(triples_bytes(name, triples, PREFIXES), max_bytes), media, truncated)


def _solution_terms(solution: ox.QuerySolution) -> list:
    return [solution[i] for i in range(len(solution))]


def _triple_terms(triple: ox.Triple) -> list:
    return [triple.subject, triple.predicate, triple.object]


def _size(terms: list) -> int:
    """About how many bytes the terms take written out (their N-Triples form)."""
    return sum(len(str(t)) for t in terms if t is not None)


def _capped(body: bytes, max_bytes: int) -> bytes:
    if len(body) > max_bytes:
        raise ResultTooLarge(max_bytes)
    return body


def _take(
    items: Any, limit: int, max_bytes: int, cancel: threading.Event, terms: Callable
) -> tuple[list, bool]:
    """At most ``limit`` items, and whether there were more; ResultTooLarge once the items
    read take more than ``max_bytes``; Cancelled when ``cancel`` is set."""
    taken: list = []
    size = 0
    try:
        for item in items:
            if cancel.is_set():
                raise Cancelled
            if len(taken) >= limit:
                return taken, True
            values = terms(item)
            size += _size(values)
            if size > max_bytes:
                raise ResultTooLarge(max_bytes)
            taken.append(item if isinstance(item, ox.Triple) else values)
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
    max_bytes: int = defaults.MAX_RESULT_BYTES,
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
    return Answer(_capped(solutions_bytes(fmt_name, columns, cells), max_bytes), media, truncated)


def evaluate_review(
    store: Any, doc: str, correction: Mapping[str, Any] | None = None, editable: bool = False
) -> Answer:
    """A document's review (:func:`lgkg.corrections.review`) as JSON, after making
    ``correction`` (what the page sent) when one is given; ``editable`` says whether the
    page may offer corrections."""
    import json

    from lgkg.corrections import CorrectionError, NoSuchDocument, correction_for_page, review

    try:
        if correction is None:
            data = review(store, doc).to_dict()
        else:
            data = correction_for_page(store, doc, correction)
    except NoSuchDocument as err:
        raise NotFound(str(err)) from err
    except CorrectionError as err:
        raise BadOperation(str(err)) from err
    data["editable"] = editable
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Answer(body, "application/json")
