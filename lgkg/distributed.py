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
document fails alone, never its batch. Each answer is loaded into the
store in one transaction (:meth:`~lgkg.graph.store.Store.load_quads`).

Run ``dask scheduler`` on one machine and ``dask worker tcp://HOST:8786
--nthreads 1`` on each machine with lgkg installed (``--nworkers N`` for
N processes, each with its own pipeline, ~0.5 GB), then::

    lgkg ingest corpus/ --dask tcp://HOST:8786
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from lgkg.extract.model import ModelNotInstalled
from lgkg.extract.records import Extraction
from lgkg.extract.sources import SourceDoc
from lgkg.graph.store import Store
from lgkg.ingest import (
    CHECK_CHUNK,
    FAILED,
    INGESTED,
    DocResult,
    IngestSummary,
    cannot_write,
    display_name,
    extract_stream,
    ingested,
    to_extract,
    write_batch,
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
    paths: Sequence[str],
    store: Store,
    client: Client,
    *,
    batch_size: int = 16,
    force: bool = False,
    on_result: Callable[[DocResult], None] = lambda r: None,
    **read_kw: str | None,
) -> IngestSummary:
    """Ingest the documents ``paths`` names into ``store``, extracting them on ``client``'s cluster.

    The same results as :func:`lgkg.ingest.ingest`: ``batch_size``
    documents per task and per store transaction; unchanged documents are
    skipped unless ``force``; ``on_result`` sees each result as it
    finishes (in the order tasks finish, not the order of ``paths``).
    The workers are checked (:func:`check_workers`) only when a document
    needs extracting. DaskError if the cluster fails as a whole.
    """
    from distributed import as_completed

    summary = IngestSummary(on_result=on_result)
    chunk = max(batch_size, CHECK_CHUNK)
    todo = to_extract(paths, store, summary, force=force, chunk=chunk, **read_kw)
    tasks = iter_chunks(todo, batch_size)
    first = next(tasks, None)
    if first is None:
        return summary
    check_workers(client)
    running = as_completed(loop=client.loop)
    inputs: dict[Any, list[SourceDoc]] = {}

    def submit(sources: list[SourceDoc]) -> None:
        future = client.submit(extract_task, sources, batch_size, pure=False)
        inputs[future] = sources
        running.add(future)

    def refill() -> None:  # workers may join or leave during the run: ask each time
        limit = max(2, TASKS_PER_THREAD * _threads(client))
        while running.count() < limit:
            sources = next(tasks, None)
            if sources is None:
                return
            submit(sources)

    def load(data: list[bytes]) -> None:
        store.load_quads(b"".join(data))

    submit(first)
    try:
        refill()
        for future in running:
            sources = inputs.pop(future)
            try:
                answers: list[Answer] = future.result()
            except Exception as err:
                if client.status != "running":
                    raise _lost(client, err) from err
                for result in _task_failed(err, sources, submit):
                    summary.add(result)
                continue
            finally:
                future.release()
            done = [(result, data) for result, data in answers if result.outcome == INGESTED]
            for result, _ in answers:
                if result.outcome != INGESTED:
                    summary.add(result)
            for result in write_batch(done, load):
                summary.add(result)
            refill()
    finally:
        if inputs:
            client.cancel(list(inputs))
    return summary


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
    err: Exception, sources: list[SourceDoc], submit: Callable[[list[SourceDoc]], None]
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
    yield DocResult(display_name(sources[0]), FAILED, reason=reason)


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


def extract_task(sources: list[SourceDoc], batch_size: int) -> list[Answer]:
    """Run on a worker: each document's result, and its graph as N-Quads (``b""`` if it failed).

    The documents go through one ``nlp.pipe`` (:func:`lgkg.ingest.extract_stream`,
    so a document that breaks the pipeline fails alone); their graphs are
    serialised outside the lock, so a worker with several threads overlaps them.
    """
    with _LOCK:
        extracted = list(extract_stream(worker_extractor(), iter(sources), batch_size, 1))
    answers: list[Answer] = []
    for source, x, reason in extracted:
        if x is None:
            answers.append((DocResult(display_name(source), FAILED, reason=reason), b""))
            continue
        try:
            answers.append(_answer(source, x))
        except Exception as err:  # a graph that cannot be built
            answers.append((DocResult(display_name(source), FAILED, reason=cannot_write(err)), b""))
    return answers


def _answer(source: SourceDoc, x: Extraction) -> Answer:
    from lgkg.graph.emit import doc_graph_iri
    from lgkg.scaleout import document_nquads

    return ingested(source, str(doc_graph_iri(x)), x), document_nquads(x)
