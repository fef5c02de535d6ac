"""Extraction on a Dask cluster: ``lgkg ingest PATHS --dask tcp://HOST:8786``.

This machine reads the documents and checks them against the store as
:func:`lgkg.ingest.ingest` does (bad input reported, unchanged documents
skipped unless ``force``), then sends the others to the cluster,
``batch_size`` documents per task and a bounded number of tasks in flight,
so memory stays flat however large the collection. The text travels with
the task: workers need lgkg and the spaCy model installed, not the files.

Each worker process loads the pipeline once, on its first task, and keeps
it (:func:`worker_extractor`). A task answers each of its documents with
the document's result and its graph as N-Quads
(:func:`lgkg.scaleout.document_nquads`), or with why it failed; one bad
document fails alone, never its batch. The answers are written in the
order of the input, whichever task finishes first, one transaction per
task, each document's partnerships resolved as a local ingest resolves
them (:mod:`lgkg.graph.identity`), so both build the same store.

Run ``dask scheduler`` on one machine and ``dask worker tcp://HOST:8786
--nthreads 1`` on each machine with lgkg installed (``--nworkers N`` for
N processes, each with its own pipeline, ~0.5 GB), then::

    lgkg ingest corpus/ --dask tcp://HOST:8786
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from itertools import count, islice
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import Graph

from lgkg.extract.clean import CleanText
from lgkg.extract.model import ModelNotInstalled
from lgkg.extract.records import Extraction
from lgkg.extract.sources import SourceDoc
from lgkg.graph.identity import Resolver, nquads_graphs
from lgkg.graph.store import Store
from lgkg.ingest import (
    CHECK_CHUNK,
    FAILED,
    INGESTED,
    DocResult,
    IngestSummary,
    cannot_write,
    extract_stream,
    ingested,
    to_extract,
    write_resolved,
)

if TYPE_CHECKING:
    from distributed import Client

    from lgkg.extract.pipeline import Extractor

INSTALL_HINT = "pip install 'lgkg[dask]'"
#: Seconds to wait for the scheduler to answer, and for a first worker to join it.
CONNECT_TIMEOUT = 10.0
#: Tasks in flight per worker thread: enough to keep every worker busy, few enough
#: that the documents and answers held at once stay bounded.
TASKS_PER_THREAD = 2
#: An answer: a document's result and, when it was extracted, its graph as N-Quads.
Answer = tuple[DocResult, bytes]
T = TypeVar("T")


class DaskError(Exception):
    """The cluster cannot be used: no dask.distributed, no scheduler, or workers unlike this one."""


# -- this machine ---------------------------------------------------------------


def connect(address: str, timeout: float = CONNECT_TIMEOUT) -> Client:
    """A client of the scheduler at ``address`` (e.g. ``tcp://10.0.0.5:8786``) with a worker.

    DaskError when dask.distributed is not installed, the scheduler does not
    answer within ``timeout`` seconds, or no worker joins it in that time.
    """
    try:
        from distributed import Client
    except ImportError as err:
        raise DaskError(f"extraction on Dask needs dask.distributed: {INSTALL_HINT}") from err
    try:
        client = Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        raise DaskError(
            f"cannot reach the Dask scheduler at {address} within {timeout:g} s: {err}"
        ) from err
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError as err:
        client.close()
        raise DaskError(
            f"no Dask worker joined the scheduler at {address} within {timeout:g} s"
        ) from err
    return client


def check_workers(client: Client) -> None:
    """DaskError unless every worker runs this machine's extractor (lgkg and model versions).

    A graph records the version that made it and unchanged documents are
    found by it, so workers unlike this machine would re-extract every run.
    """
    from lgkg.extract.pipeline import extractor_version

    local = extractor_version()
    try:
        versions: dict[str, str] = client.run(extractor_version)
    except Exception as err:  # no lgkg, or no model, on a worker
        raise DaskError(f"the Dask workers cannot run lgkg: {type(err).__name__}: {err}") from err
    for address, version in sorted(versions.items()):
        if version != local:
            raise DaskError(
                f"the Dask worker {address} runs {version} and this machine {local}:"
                " install the same lgkg and model on both"
            )


def iter_chunks(items: Iterator[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter), read as they are needed.

    >>> list(iter_chunks(iter("abcde"), 2))
    [['a', 'b'], ['c', 'd'], ['e']]
    """
    return iter(lambda: list(islice(items, size)), [])


def ingest_on_dask(
    documents: Sequence[str | SourceDoc],
    store: Store,
    client: Client,
    *,
    batch_size: int = 16,
    force: bool = False,
    on_result: Callable[[DocResult], None] = lambda r: None,
    on_warning: Callable[[str, str], None] = lambda d, m: None,
    allow_private: bool = False,
    **read_kw: str | None,
) -> IngestSummary:
    """Ingest ``documents`` (a :func:`lgkg.ingest.plan`) into ``store``, extracting them on
    ``client``'s cluster.

    The same results as :func:`lgkg.ingest.ingest`: ``batch_size``
    documents per task and per store transaction; unchanged documents are
    skipped unless ``force``; ``on_result`` sees each result as it
    finishes (documents written in the order of ``documents``, failures as
    their tasks finish) and ``on_warning`` each warning as its document is
    read. Documents are read (URLs fetched) and cleaned here, once, and the
    workers take the cleaned texts: public addresses only unless
    ``allow_private``.
    The workers are checked (:func:`check_workers`) only when a document
    needs extracting. DaskError if the cluster fails as a whole.
    """
    from distributed import as_completed

    summary = IngestSummary(on_result=on_result, on_warning=on_warning)
    chunk = max(batch_size, CHECK_CHUNK)
    store.ensure_reference()
    todo = to_extract(
        documents, store, summary, force=force, chunk=chunk, allow_private=allow_private, **read_kw
    )
    tasks = iter_chunks(todo, batch_size)
    first = next(tasks, None)
    if first is None:
        return summary
    check_workers(client)
    running = as_completed(loop=client.loop)
    inputs: dict[Any, tuple[Key, list[CleanText]]] = {}
    queue = InOrder()
    resolver = Resolver(store)
    numbers = count()

    def submit(sources: list[CleanText], key: Key | None = None) -> None:
        future = client.submit(extract_task, sources, batch_size, pure=False)
        key = (next(numbers),) if key is None else key
        inputs[future] = (key, sources)
        queue.expect(key)
        running.add(future)

    def refill() -> None:  # workers may join or leave during the run: ask each time
        limit = max(2, TASKS_PER_THREAD * _threads(client))
        while running.count() < limit and len(queue) < BUFFERED_TASKS * limit:
            sources = next(tasks, None)
            if sources is None:
                return
            submit(sources)

    submit(first)
    try:
        refill()
        for future in running:
            key, sources = inputs.pop(future)
            try:
                answers: list[Answer] = future.result()
            except Exception as err:
                if client.status != "running":
                    raise _lost(client, err) from err
                for result in _task_failed(err, sources, split_submit(submit, key)):
                    summary.add(result)
                queue.drop(key)
                answers = []
            finally:
                future.release()
            for result, _ in answers:
                if result.outcome != INGESTED:
                    summary.add(result)
            queue.done(key, [(r, data) for r, data in answers if r.outcome == INGESTED])
            for ready in queue.ready():
                for result in _write(ready, store, resolver):
                    summary.add(result)
            refill()
    finally:
        if inputs:
            client.cancel(list(inputs))
    return summary


#: The position of a task in the input: ``(n,)``, and ``(n, i)`` for the i-th
#: document of task n sent again alone after the task failed.
Key = tuple[int, ...]
#: Tasks answered but waiting for an earlier one, per task in flight, at most.
BUFFERED_TASKS = 2


class InOrder:
    """Answers of tasks, released in the order the tasks were submitted (by :data:`Key`).

    Documents are written in the order of the input whichever task finishes
    first, so a Dask ingest resolves partnerships exactly as a local one
    (:mod:`lgkg.graph.identity`: the first document to describe a partnership
    names it).

    >>> q = InOrder()
    >>> for key in ((0,), (1,), (2,)):
    ...     q.expect(key)
    >>> q.done((1,), ["b"]); list(q.ready())
    []
    >>> q.drop((0,)); q.expect((0, 0)); q.done((0, 0), ["a"]); list(q.ready())
    [['a'], ['b']]
    >>> len(q)
    1
    """

    def __init__(self) -> None:
        self._waiting: dict[Key, list[Any] | None] = {}

    def __len__(self) -> int:
        """Tasks in flight or answered and waiting."""
        return len(self._waiting)

    def expect(self, key: Key) -> None:
        """A task was submitted."""
        self._waiting[key] = None

    def done(self, key: Key, items: list[Any]) -> None:
        """Task ``key`` answered ``items`` (ignored if it was dropped)."""
        if key in self._waiting:
            self._waiting[key] = items

    def drop(self, key: Key) -> None:
        """Task ``key`` has nothing to write (it failed; any retries have their own keys)."""
        self._waiting.pop(key, None)

    def ready(self) -> Iterator[list[Any]]:
        """The answers that no earlier task's answer is waited for, in order; released."""
        for key in sorted(self._waiting):
            items = self._waiting[key]
            if items is None:
                return
            del self._waiting[key]
            yield items


def split_submit(
    submit: Callable[[list[CleanText], Key], None], key: Key
) -> Callable[[list[CleanText]], None]:
    """``submit`` for the documents of failed task ``key`` sent again one per task, in order."""
    parts = count()
    return lambda sources: submit(sources, (*key, next(parts)))


def _write(answers: list[Answer], store: Store, resolver: Resolver) -> Iterator[DocResult]:
    """Write one task's extracted documents in one transaction, partnerships resolved.

    Each answer's N-Quads hold its document's graph; it is read back into a
    graph and written as a local ingest writes (:func:`lgkg.ingest.write_resolved`).
    """
    items: list[tuple[DocResult, tuple[str, Graph]]] = []
    for result, data in answers:
        try:
            graphs = nquads_graphs(data)
        except ValueError as err:
            yield DocResult(result.name, FAILED, reason=cannot_write(err))
            continue
        items.extend((result, graph) for graph in graphs)
    yield from write_resolved(items, store, resolver)


def _threads(client: Client) -> int:
    """The worker threads the cluster has now."""
    try:
        return sum(client.nthreads().values())
    except OSError as err:  # the scheduler is gone
        raise _lost(client, err) from err


def _lost(client: Client, err: Exception) -> DaskError:
    address = client.scheduler.address if client.scheduler else "?"
    return DaskError(f"lost the Dask scheduler at {address}: {type(err).__name__}: {err}")


def _task_failed(
    err: Exception, sources: list[CleanText], submit: Callable[[list[CleanText]], None]
) -> Iterator[DocResult]:
    """A task that failed as a whole: its documents again one per task, or this one failed.

    A worker that dies on a document (out of memory, say) fails the task:
    sending each document alone finds the one to blame. A missing model or
    a lost scheduler fails every task, so it ends the run.
    """
    from distributed.utils import CancelledError

    if isinstance(err, ModelNotInstalled):
        raise DaskError(f"on a Dask worker: {err}") from err
    if isinstance(err, CancelledError):
        raise DaskError(f"the Dask cluster dropped the work: {err}") from err
    if len(sources) > 1:
        for source in sources:
            submit([source])
        return
    reason = f"failed on the Dask cluster: {type(err).__name__}: {err}"
    yield DocResult(sources[0].source.name, FAILED, reason=reason)


# -- the workers ------------------------------------------------------------------

_LOCK = threading.Lock()  # one pipeline per process, used by one task at a time
_EXTRACTOR: Extractor | None = None
_LOADS = 0


def worker_extractor() -> Extractor:
    """This process's extractor, loaded on first use and kept (call with ``_LOCK`` held)."""
    global _EXTRACTOR, _LOADS
    if _EXTRACTOR is None:
        from lgkg.extract.pipeline import Extractor

        _EXTRACTOR = Extractor()
        _LOADS += 1
    return _EXTRACTOR


def pipeline_loads() -> int:
    """How many times this process loaded the pipeline: 1 on a worker that has extracted.

    Ask every worker with ``client.run(pipeline_loads)``.
    """
    return _LOADS


def extract_task(sources: list[CleanText], batch_size: int) -> list[Answer]:
    """Run on a worker: each document's result, and its graph as N-Quads (``b""`` if it failed).

    The documents go through one ``nlp.pipe`` (:func:`lgkg.ingest.extract_stream`,
    so a document that breaks the pipeline fails alone); their graphs are
    serialised outside the lock, so a worker with several threads overlaps them.
    """
    with _LOCK:
        extracted = list(extract_stream(worker_extractor(), iter(sources), batch_size, 1))
    answers: list[Answer] = []
    for ct, x, reason in extracted:
        name = ct.source.name
        if x is None:
            answers.append((DocResult(name, FAILED, reason=reason), b""))
            continue
        try:
            answers.append(_answer(name, x))
        except Exception as err:  # a graph that cannot be built
            answers.append((DocResult(name, FAILED, reason=cannot_write(err)), b""))
    return answers


def _answer(name: str, x: Extraction) -> Answer:
    from lgkg.graph.emit import doc_graph_iri
    from lgkg.scaleout import document_nquads

    return ingested(name, str(doc_graph_iri(x)), x), document_nquads(x)
