"""Sending generated queries to a running ``lgkg serve`` and judging each answer.

Shared by ``test_hardening_fuzz_endpoint.py`` (a short run in the suite) and
``bench/fuzz.py`` (the long run). :class:`FuzzServer` is ``lgkg serve`` in a
subprocess on a loopback port, over a store holding ``tests/fixtures/mini.trig``,
with its stderr in a file (to show why it died) and its memory capped
(``MEMORY_LIMIT``: a string-doubling query must not take the machine's RAM
with it). :meth:`FuzzServer.send` sends one query by GET, by POST as a form
or by POST as ``application/sparql-query``; an answer is acceptable when it
has an HTTP status below 500, or 503 (the timeout).
"""

from __future__ import annotations

import http.client
import resource
import socket
import subprocess
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from hardening_helpers import LGKG, Served
from sparql_grammar import FuzzQuery, shorten

TRANSPORTS = ("GET", "POST-form", "POST-query")
#: A GET whose URL would be longer goes as a POST form (h11 refuses request heads past 16 KiB).
LONG_URL = 8_000
#: A body at least this long may be refused (413) before it is all sent: a reset then is no fault.
BIG_BODY = 64 * 1024
#: Accept headers, mostly ones every query form can meet (a 406 skips the evaluation).
ACCEPTS = (
    *[None] * 6,
    *["*/*"] * 3,
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "*/*",
    "text/html",
    "application/x-nonsense;q=0.9, */*;q=0.1",
)
MEMORY_LIMIT = 4 * 1024**3  # bytes of data segment (RLIMIT_DATA) for the server process


def acceptable(status: int | None) -> bool:
    """An answer the endpoint may give: any status below 500, or 503 (timeout, overload)."""
    return status is not None and (status < 500 or status == 503)


@dataclass(frozen=True)
class Outcome:
    """What one request got: a status (None: no answer), how long it took, what went wrong."""

    status: int | None
    seconds: float
    transport: str
    error: str = ""  # the exception when no status came back
    refused_while_sending: bool = False  # a big body cut off by the server (no status)

    @property
    def ok(self) -> bool:
        return acceptable(self.status) or self.refused_while_sending


class FuzzServer(Served):
    """``lgkg serve`` over ``store`` on a free loopback port, stderr kept in ``log``."""

    def __init__(
        self,
        store: Path,
        log: Path,
        *,
        timeout: float = 2.0,
        workers: int = 4,
        memory: int | None = MEMORY_LIMIT,
        extra: tuple[str, ...] = (),
    ) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.log = log
        args = ["--store", str(store), "--timeout", str(timeout), "--workers", str(workers)]
        with log.open("ab") as err:
            self.proc = subprocess.Popen(
                [*LGKG, "serve", "--host", "127.0.0.1", "--port", str(self.port), *args, *extra],
                stdout=subprocess.DEVNULL,
                stderr=err,
                preexec_fn=(lambda: _limit_memory(memory)) if memory else None,
            )
        deadline = time.monotonic() + 60
        while not self.answers_ask(timeout=5):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError(f"lgkg serve did not start: {self.stderr_tail()}")
            time.sleep(0.2)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stderr_tail(self, limit: int = 1500) -> str:
        try:
            text = self.log.read_bytes()[-limit:].decode("utf-8", "replace")
        except OSError:
            return ""
        return text.strip()

    def answers_ask(self, timeout: float = 10) -> bool:
        try:
            return self.get("/sparql", {"query": "ASK {}"}, timeout=timeout)[0] == 200
        except (OSError, http.client.HTTPException):
            return False

    def healthy(self, wait: float = 30) -> bool:
        """Alive and answering ``ASK {}`` with 200 (waiting up to ``wait`` s while it is busy)."""
        deadline = time.monotonic() + wait
        while self.alive():
            if self.answers_ask(timeout=max(1.0, deadline - time.monotonic())):
                return True
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return False

    def send(
        self, query: FuzzQuery, transport: str, accept: str | None = None, timeout: float = 60
    ) -> Outcome:
        """Send ``query`` by ``transport`` (see ``TRANSPORTS``); never raises for network errors."""
        text = query.text
        raw = text if isinstance(text, bytes) else text.encode("utf-8")
        headers = {"Accept": accept} if accept else {}
        target, body = "/sparql", None
        if transport == "GET":
            encoded = urllib.parse.urlencode({"query": raw})
            if len(encoded) <= LONG_URL:
                target += "?" + encoded
            else:
                transport = "POST-form"
        if transport == "POST-form":
            body = urllib.parse.urlencode({"query": raw}).encode("ascii")
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif transport == "POST-query":
            body = raw
            headers["Content-Type"] = "application/sparql-query"
        method = "GET" if body is None else "POST"
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        sent = False
        try:
            conn.request(method, target, body=body, headers=headers)
            sent = True
            response = conn.getresponse()
            response.read()
            return Outcome(response.status, time.monotonic() - started, transport)
        except (OSError, http.client.HTTPException) as err:
            error = f"{type(err).__name__}: {err}"
            if not sent:  # the server may have answered before reading the whole body
                try:
                    response = conn.getresponse()
                    response.read()
                    return Outcome(response.status, time.monotonic() - started, transport)
                except (OSError, http.client.HTTPException):
                    pass
            big = not sent and body is not None and len(body) >= BIG_BODY
            return Outcome(None, time.monotonic() - started, transport, error, big)
        finally:
            conn.close()


def _limit_memory(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


class History:
    """The last few queries sent and what they got.

    A query answered 503 at its deadline may go on running (the server
    cannot always stop it), so what kills the server is not always the last
    query sent: a death report lists the ones before it too.
    """

    def __init__(self, size: int = 4) -> None:
        self._items: deque[tuple[FuzzQuery, Outcome]] = deque(maxlen=size)

    def add(self, query: FuzzQuery, outcome: Outcome) -> None:
        self._items.append((query, outcome))

    def describe(self, skip_last: bool = False) -> str:
        items = list(self._items)[:-1] if skip_last else list(self._items)
        if not items:
            return ""
        lines = ["queries before it (latest last):"]
        for query, outcome in items:
            lines.append(
                f"  {query.kind} by {outcome.transport}: status {outcome.status} "
                f"in {outcome.seconds:.2f} s: {shorten(query.text, 150)!r}"
            )
        return "\n".join(lines)


def describe_death(
    server: FuzzServer, query: FuzzQuery | None, outcome: Outcome | None, history: History
) -> str:
    """Why a fuzz run failed, for an assertion message: the query (cut), the status, stderr."""
    code = server.proc.poll()
    state = "alive but not answering ASK {}" if code is None else f"exited with {code}"
    if query is None or outcome is None:
        head = f"lgkg serve {state} before the next query was sent"
    else:
        head = (
            f"lgkg serve {state} after a {query.kind} query ({len(query.text):,} chars) sent by "
            f"{outcome.transport}: status {outcome.status} {outcome.error}\n"
            f"query: {shorten(query.text)!r}"
        )
    earlier = history.describe(skip_last=query is not None)
    return f"{head}\n{earlier}\nserver stderr (end): {server.stderr_tail(400)}"
