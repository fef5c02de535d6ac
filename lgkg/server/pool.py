"""The worker processes behind ``lgkg serve``, and which job each takes next.

Every query, update and Graph Store request runs in a worker process
(:mod:`lgkg.server.worker`), so the server can stop it: at the deadline the
worker is killed, a warm spare takes its place, and a new spare starts. A
query that computes for minutes costs its client a 503 and the server one
process start, nothing more; a worker that dies (a stack overflow, the
memory cap) costs the same, and no other request notices.

Lanes. ``workers`` general workers take any job. ``fast_lanes`` more take
only jobs expected to be short, and give each ``fast_seconds`` at most: a
job still running then is stopped, its shape is marked as slow and it
queues again for a general worker (its deadline unchanged). However many
slow queries arrive, the fast lane frees itself within ``fast_seconds``.

Order. Jobs wait in one queue ordered by the time their shape took before
(:class:`CostBook`: an average per shape, the query text without comments,
literals or spacing), then by arrival: a cheap ``ASK`` overtakes fifty
queued copies of ``SELECT * { ?s ?p ?o }`` that took a second each, so one
client's heavy traffic cannot starve everyone else's. A shape seen for the
first time counts as cheap. The queue holds at most ``max_queue`` jobs;
more are refused with 503 at once.

A server that takes updates has one worker, which owns the store (Oxigraph
lets one process write a store folder, and no other read it meanwhile): its
operations run one at a time, an update stopped at the deadline is not
applied (Oxigraph commits an update whole or not at all), and no fast lane.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import re
import subprocess
import sys
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lgkg.server import defaults
from lgkg.server.worker import Failure, WorkerSpec, read_frame, write_frame

log = logging.getLogger("lgkg.server")

GENERAL = "general"
FAST = "fast"


class OperationTimeout(Exception):
    """The operation did not finish within the server's timeout."""


class Busy(Exception):
    """The queue is full: the server refuses more work for now (HTTP 503)."""


class WorkerDied(Exception):
    """The worker running the operation died (it ran out of memory or crashed)."""


class WorkerStartError(Exception):
    """A worker process could not start (its message says why)."""


class Worker:
    """A worker process and the pipes to it; it runs one job at a time."""

    def __init__(self, spec: WorkerSpec, lane: str = GENERAL) -> None:
        self.lane = lane
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lgkg.server.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        try:
            write_frame(self.proc.stdin, spec)
            hello = read_frame(self.proc.stdout)
        except (EOFError, OSError) as err:
            self.kill()
            raise WorkerStartError(f"a worker process died while starting ({err})") from None
        if isinstance(hello, Failure):
            self.kill()
            raise WorkerStartError(hello.message)

    def call(self, payload: tuple) -> Any:
        """Send a job and wait for its reply (EOFError if the process dies or is killed)."""
        try:
            write_frame(self.proc.stdin, payload)
        except (BrokenPipeError, OSError) as err:
            raise EOFError(f"the worker has gone ({err})") from None
        return read_frame(self.proc.stdout)

    def kill(self) -> None:
        """Kill the process at once and reap it."""
        with contextlib.suppress(OSError):
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                stream.close()

    def stop(self) -> None:
        """Ask the process to end (it finishes when its pipe closes), killing it if it lingers."""
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        self.kill()


_SHAPE_NOISE = re.compile(
    r"""(?P<comment>\#[^\n\r]*)|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|<[^<>"{}|^`\\\x00-\x20]*>|\d+(?:\.\d+)?"""
)
_SPACES = re.compile(r"\s+")


def shape_key(kind: str, text: str) -> str:
    """A query's shape: its text with literals, IRIs and numbers as ``_``, no comments or spaces.

    >>> shape_key("query", "SELECT * { ?s ?p 'x' } LIMIT 5  # five")
    'query:SELECT*{?s?p_}LIMIT_'
    >>> shape_key("query", "SELECT *{?s ?p 'y'} LIMIT 9")
    'query:SELECT*{?s?p_}LIMIT_'
    """
    bones = _SPACES.sub("", _SHAPE_NOISE.sub(lambda m: "" if m["comment"] else "_", text))
    return f"{kind}:{bones[:2000]}"


class CostBook:
    """Seconds a job of each shape took, averaged (recent runs weigh most); bounded in size.

    >>> book = CostBook(size=2)
    >>> book.record("a", 1.0); book.record("a", 3.0); book.estimate("a"), book.estimate("new")
    (1.5, 0.0)
    """

    def __init__(self, size: int = 10_000, weight: float = 0.25) -> None:
        self.size = size
        self.weight = weight
        self._seconds: OrderedDict[str, float] = OrderedDict()

    def estimate(self, key: str) -> float:
        return self._seconds.get(key, 0.0)

    def record(self, key: str, seconds: float) -> None:
        old = self._seconds.get(key)
        self._put(key, seconds if old is None else old + self.weight * (seconds - old))

    def at_least(self, key: str, seconds: float) -> None:
        """Mark a shape as taking at least ``seconds`` (it was stopped then)."""
        self._put(key, max(seconds, self.estimate(key)))

    def _put(self, key: str, seconds: float) -> None:
        self._seconds.pop(key, None)
        self._seconds[key] = seconds
        while len(self._seconds) > self.size:
            self._seconds.popitem(last=False)


@dataclass(eq=False)
class Job:
    payload: tuple
    key: str
    deadline: float
    future: asyncio.Future
    seq: int
    cost: float = 0.0
    fast_ok: bool = True
    worker: Worker | None = field(default=None, repr=False)


class Pool:
    """Worker processes in lanes, and a queue of jobs ordered by expected cost."""

    def __init__(
        self,
        spec: WorkerSpec,
        *,
        workers: int = defaults.WORKERS,
        fast_lanes: int = defaults.FAST_LANES,
        fast_seconds: float = defaults.FAST_SECONDS,
        timeout: float = defaults.TIMEOUT,
        max_queue: int = defaults.MAX_QUEUE,
    ) -> None:
        self.spec = spec
        self.timeout = timeout
        self.max_queue = max_queue
        self.fast_seconds = fast_seconds
        self.writable = spec.writable
        self.lanes = [GENERAL] * (1 if spec.writable else max(1, workers))
        if not spec.writable and fast_seconds > 0:
            self.lanes += [FAST] * max(0, fast_lanes)
        self.costs = CostBook()
        self._threads = ThreadPoolExecutor(
            max_workers=2 * len(self.lanes) + 4, thread_name_prefix="lgkg-pool"
        )
        self._idle: list[Worker] = []
        self._busy: set[Worker] = set()
        self._spares: list[Worker] = []
        self._queue: list[Job] = []
        self._seq = itertools.count()
        self._closed = False
        self._tasks: set[asyncio.Future] = set()

    # -- processes ------------------------------------------------------------------------

    async def start(self) -> None:
        """Start every worker (and a spare when reading only); WorkerStartError if one cannot."""
        loop = asyncio.get_running_loop()
        made = await asyncio.gather(
            *(loop.run_in_executor(self._threads, Worker, self.spec, lane) for lane in self.lanes),
            return_exceptions=True,
        )
        failed = [m for m in made if isinstance(m, BaseException)]
        self._idle = [m for m in made if isinstance(m, Worker)]
        if failed:
            self.close()
            raise failed[0]
        self._top_up_spares()

    def _top_up_spares(self) -> None:
        if self.writable or self._closed or self._spares:
            return
        self._spawn(spare=True)

    def _spawn(self, lane: str = GENERAL, *, spare: bool = False, delay: float = 0.0) -> None:
        loop = asyncio.get_running_loop()

        async def start() -> None:
            await asyncio.sleep(delay)
            try:
                worker = await loop.run_in_executor(self._threads, Worker, self.spec, lane)
            except WorkerStartError as err:
                log.error("lgkg serve: %s; trying again", err)
                if not self._closed:
                    self._spawn(lane, spare=spare, delay=min(max(1.0, 2 * delay), 30.0))
                return
            if self._closed:
                await loop.run_in_executor(self._threads, worker.stop)
            elif spare:
                self._spares.append(worker)
            else:
                self._idle.append(worker)
                self._dispatch()

        self._track(asyncio.ensure_future(start()))

    def _track(self, task: asyncio.Future) -> None:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _replace(self, worker: Worker) -> None:
        """Kill ``worker`` and put a spare (or a new process) in its lane."""
        self._busy.discard(worker)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, worker.kill)
        if self._closed:
            return
        if self._spares:
            spare = self._spares.pop()
            spare.lane = worker.lane
            self._idle.append(spare)
            self._top_up_spares()
            self._dispatch()
        else:
            self._spawn(worker.lane)

    def close(self) -> None:
        """Stop every worker (running jobs end with the processes)."""
        self._closed = True
        for job in self._queue:
            if not job.future.done():
                job.future.set_exception(OperationTimeout("the server is shutting down"))
        self._queue.clear()
        for worker in [*self._idle, *self._busy, *self._spares]:
            worker.kill()
        self._idle, self._spares = [], []
        self._busy.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    @property
    def worker_pids(self) -> list[int]:
        """The process ids of the workers (spares included), for tests and monitoring."""
        return [w.proc.pid for w in (*self._idle, *self._busy, *self._spares)]

    # -- jobs -----------------------------------------------------------------------------

    async def run(self, payload: tuple, key: str) -> Any:
        """Run a job in a worker and return its reply.

        OperationTimeout at the deadline (the worker is killed if it had
        started); Busy when the queue is full; WorkerDied if the worker died.
        """
        if self._closed:
            raise Busy("the server is shutting down")
        if len(self._queue) >= self.max_queue:
            raise Busy(f"the server has {self.max_queue} operations waiting; try again shortly")
        loop = asyncio.get_running_loop()
        job = Job(
            payload,
            key,
            deadline=time.monotonic() + self.timeout,
            future=loop.create_future(),
            seq=next(self._seq),
        )
        self._queue.append(job)
        self._dispatch()
        try:
            return await asyncio.wait_for(asyncio.shield(job.future), self.timeout)
        except TimeoutError:
            self._abandon(job)
            raise OperationTimeout(f"the operation took longer than {self.timeout:g} s") from None
        except asyncio.CancelledError:  # the client went away
            self._abandon(job)
            raise

    def _abandon(self, job: Job) -> None:
        if job in self._queue:
            self._queue.remove(job)
        if not job.future.done():
            job.future.cancel()
        if job.worker is not None:  # still running: nobody wants its answer
            job.worker.proc.kill()

    def _dispatch(self) -> None:
        """Give idle workers the queued jobs: general workers the cheapest first, the fast
        lane the cheapest that is expected to be short."""
        if not self._queue or not self._idle:
            return
        for job in self._queue:  # what was learned since they queued counts
            job.cost = self.costs.estimate(job.key)
        self._queue.sort(key=lambda j: (j.cost, j.seq))
        for worker in sorted(self._idle, key=lambda w: w.lane == FAST):
            job = next((j for j in self._queue if self._fits(j, worker)), None)
            if job is None:
                continue
            self._queue.remove(job)
            self._idle.remove(worker)
            self._busy.add(worker)
            job.worker = worker
            self._track(asyncio.ensure_future(self._execute(worker, job)))

    def _fits(self, job: Job, worker: Worker) -> bool:
        return worker.lane == GENERAL or (job.fast_ok and job.cost < self.fast_seconds)

    async def _execute(self, worker: Worker, job: Job) -> None:
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        limit = job.deadline
        if worker.lane == FAST:
            limit = min(limit, started + self.fast_seconds)
        call = loop.run_in_executor(self._threads, worker.call, job.payload)
        try:
            reply = await asyncio.wait_for(asyncio.shield(call), max(0.0, limit - started))
        except TimeoutError:
            worker.proc.kill()
            with contextlib.suppress(BaseException):
                await call
            job.worker = None
            self.costs.at_least(job.key, time.monotonic() - started)
            await self._replace(worker)
            if worker.lane == FAST and not job.future.done() and time.monotonic() < job.deadline:
                job.fast_ok = False
                self._queue.append(job)
            elif not job.future.done():
                job.future.set_exception(OperationTimeout("timed out"))
            self._dispatch()
            return
        except EOFError:
            job.worker = None
            await self._replace(worker)
            if not job.future.done():
                job.future.set_exception(
                    WorkerDied(
                        "the worker evaluating the operation died (it may have needed more "
                        "memory than a worker may use)"
                    )
                )
            return
        job.worker = None
        self.costs.record(job.key, time.monotonic() - started)
        self._busy.discard(worker)
        self._idle.append(worker)
        if not job.future.done():
            job.future.set_result(reply)
        self._dispatch()
