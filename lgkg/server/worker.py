"""One worker process of ``lgkg serve``: it opens the store and evaluates one job at a time.

pyoxigraph cannot interrupt a query once it runs, so the server evaluates
every query, update and Graph Store request in a worker process that it can
kill at the deadline (:mod:`lgkg.server.pool`). The worker reads jobs from
its standard input and writes replies to the standard output it had at
start; anything else that writes to standard output goes to standard error,
so nothing can corrupt the channel.

Frames on both pipes are a 4-byte big-endian length and a pickle. Only the
server that started the worker writes to it, so the pickles are trusted.

Once its store is open, a worker caps its address space at what it then
uses plus ``memory_mb``: a query that needs more (a string doubled thirty
times) makes an allocation fail and the process abort, which the server
reports as a failed request before it puts another worker in its place.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
import threading
from dataclasses import dataclass
from typing import IO, Any

from lgkg.server import defaults

_LENGTH = struct.Struct(">I")


@dataclass(frozen=True)
class WorkerSpec:
    """How a worker opens the store and what it may return.

    ``path`` is an Oxigraph store folder; ``writable`` opens it for reading
    and writing (one worker only: Oxigraph locks the folder), else read-only;
    ``in_memory`` copies the read-only store into memory first.
    """

    path: str
    writable: bool = False
    in_memory: bool = False
    max_rows: int = defaults.MAX_ROWS
    max_result_bytes: int = defaults.MAX_RESULT_BYTES
    memory_mb: int = 0  # what a job may allocate on top of the open store; 0: no cap


@dataclass(frozen=True)
class Failure:
    """A job that failed the way a client can be told: an HTTP status and a message."""

    status: int
    message: str


def write_frame(stream: IO[bytes], value: Any) -> None:
    """Write one length-prefixed pickle and flush."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """Read one frame; EOFError when the other side has gone."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError("the pipe was closed")
    (size,) = _LENGTH.unpack(head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("the pipe was closed mid-frame")
    return pickle.loads(data)


def _cap_memory(megabytes: int) -> None:
    """Cap this process's address space at its present size plus ``megabytes`` (Linux)."""
    if megabytes <= 0:
        return
    import resource

    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            in_use = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # no /proc: no cap
    limit = in_use + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def open_store(spec: WorkerSpec) -> Any:
    """The lgkg store the spec names (an :class:`~lgkg.graph.store.OxigraphStore`)."""
    from lgkg.graph.store import OxigraphStore

    if spec.writable:
        return OxigraphStore(spec.path)
    store = OxigraphStore(spec.path, read_only=True)
    if not spec.in_memory:
        return store
    with store:
        return store.in_memory_copy()


def run_job(store: Any, spec: WorkerSpec, job: tuple) -> Any:
    """Evaluate one job; a :class:`Failure` for what the client got wrong."""
    from lgkg.server import engine, gsp
    from lgkg.server.results import NotAcceptable

    kind, kwargs = job
    cancel = threading.Event()  # never set: the server kills the process instead
    try:
        if kind == "query":
            return engine.evaluate_query(
                store.native,
                max_rows=spec.max_rows,
                max_bytes=spec.max_result_bytes,
                cancel=cancel,
                **kwargs,
            )
        if kind == "update":
            return engine.evaluate_update(store.native, cancel=cancel, **kwargs)
        if kind == "named":
            return engine.evaluate_named(
                store,
                max_rows=spec.max_rows,
                max_bytes=spec.max_result_bytes,
                cancel=cancel,
                **kwargs,
            )
        if kind == "gsp":
            return gsp.handle(store.native, **kwargs)
        if kind in ("review", "correct"):
            return engine.evaluate_review(store, **kwargs)
        raise ValueError(f"unknown job kind {kind!r}")
    except engine.NotFound as err:
        return Failure(404, str(err))
    except (engine.BadOperation, engine.ResultTooLarge) as err:
        return Failure(400, str(err))
    except NotAcceptable as err:
        return Failure(406, str(err))
    except gsp.GraphStoreError as err:
        return Failure(err.status, str(err))
    except MemoryError:
        return Failure(503, "the operation needed more memory than a worker may use")


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the server dies (elsewhere: it ends at EOF)."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def main() -> None:
    """The worker's loop: read the spec, open the store, answer jobs until the pipe closes."""
    _die_with_parent()
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # stray prints go to stderr
    jobs = sys.stdin.buffer
    spec: WorkerSpec = read_frame(jobs)
    try:
        store = open_store(spec)
    except Exception as err:  # the server reports why no worker could start
        write_frame(channel, Failure(500, f"the worker cannot open the store: {err}"))
        return
    _cap_memory(spec.memory_mb)
    write_frame(channel, "ready")
    while True:
        try:
            job = read_frame(jobs)
        except EOFError:
            break
        write_frame(channel, run_job(store, spec, job))
    store.close()


if __name__ == "__main__":  # run as lgkg.server.worker, so replies pickle under that name
    from lgkg.server.worker import main as worker_main

    worker_main()
