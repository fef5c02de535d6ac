"""What ``lgkg ingest`` and ``lgkg extract`` do once their options are read.

Both take a :func:`~lgkg.ingest.plan` of documents (folders expanded once)
through the same flow as the library (:mod:`lgkg.ingest`): read, clean,
extract; ingest also skips the unchanged and writes. Here is only what a
terminal needs on top: a line per document on stderr (a progress bar for
long runs), the closing summary, the output of ``extract`` in its format,
and exit code 1 when a document failed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import click

from lgkg.output import printable

#: More documents than this get a progress bar and a closing rate.
PROGRESS_THRESHOLD = 20


def warning_line(document: str, message: str) -> str:
    """The line printed for a warning about a document."""
    return printable(f"warning: {document}: {message}")


@dataclass(frozen=True)
class Batch:
    """The documents of one command and what is known of them before reading."""

    paths: Sequence[str]  # as given
    documents: list[Any]  # lgkg.ingest.plan: file paths, URLs
    meta: dict[str, str | None]  # --url, --title, --published

    @classmethod
    def plan(cls, paths: Sequence[str], **meta: str | None) -> Batch:
        """List the documents (folders expanded); a usage error if ``meta`` is given for more
        than one."""
        from lgkg.ingest import plan

        documents = plan(paths)
        given = [f"--{k}" for k, v in meta.items() if v is not None]
        if given and len(documents) != 1:
            raise click.UsageError(f"{', '.join(given)} apply to a single document only")
        return cls(paths, documents, meta)


class Lines:
    """Per-document lines on stderr, above a progress bar when there are many documents."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar = None
        if total > PROGRESS_THRESHOLD:
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=sys.stderr, unit="doc", leave=False, smoothing=0.1)

    def say(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def done(self, line: str) -> None:
        self.say(line)
        if self.bar is not None:
            self.bar.update(1)

    def warn(self, document: str, message: str) -> None:
        self.say(warning_line(document, message))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_ingest(
    batch: Batch,
    open_store: Callable[[], AbstractContextManager],
    load_extractor: Callable[[], Any],
    *,
    batch_size: int,
    n_process: int,
    force: bool,
    allow_private: bool,
    dask_client: Any = None,
) -> None:
    """Ingest ``batch`` into the store ``open_store`` opens; exit 1 if a document failed."""
    from lgkg.distributed import DaskError
    from lgkg.graph.store import StoreError
    from lgkg.ingest import ingest, plural

    if not batch.documents:
        where = " ".join(batch.paths)
        raise click.ClickException(printable(f"no documents (.txt, .md, .html) found in {where}"))
    lines = Lines(len(batch.documents))
    finished = []

    def report(result: Any) -> None:
        finished.append(result)
        lines.done(result.line())

    kw = {
        "batch_size": batch_size,
        "force": force,
        "on_result": report,
        "on_warning": lines.warn,
        "allow_private": allow_private,
        **batch.meta,
    }
    started = time.perf_counter()
    try:
        with open_store() as store:
            if dask_client is None:
                summary = ingest(batch.documents, store, load_extractor, n_process=n_process, **kw)
            else:
                from lgkg.distributed import ingest_on_dask

                summary = ingest_on_dask(batch.documents, store, dask_client, **kw)
    except (StoreError, DaskError) as err:
        raise click.ClickException(
            f"ingest stopped after {plural(len(finished), 'document')} (run it again to"
            f" resume): {err}"
        ) from err
    finally:
        lines.close()
        if dask_client is not None:
            dask_client.close()
    click.echo(summary.text(), err=True)
    if lines.total > PROGRESS_THRESHOLD:
        seconds = time.perf_counter() - started
        rate = len(summary.results) / seconds if seconds else 0.0
        click.echo(
            f"{plural(len(summary.results), 'document')} in {seconds:.1f} s"
            f" ({rate:.1f} documents/s)",
            err=True,
        )
    if summary.failures:
        sys.exit(1)


class Extractions:
    """The extraction of each document of a batch (in ``shard``, if given), in order, as it
    is iterated; each failure is said on stderr. ``seen`` counts the documents of the shard,
    ``failed`` names those that failed."""

    def __init__(
        self,
        batch: Batch,
        load_extractor: Callable[[], Any],
        *,
        shard: Any,
        allow_private: bool,
        batch_size: int,
        n_process: int,
    ) -> None:
        self.batch = batch
        self.load_extractor = load_extractor
        self.shard = shard
        self.allow_private = allow_private
        self.batch_size = batch_size
        self.n_process = n_process
        self.seen = 0
        self.failed: list[str] = []

    def _cleaned(self) -> Iterator[Any]:
        from lgkg.extract.clean import clean
        from lgkg.extract.errors import BadInput
        from lgkg.extract.sources import FetchPolicy, read_documents
        from lgkg.scaleout import in_shard

        kw = {k: v for k, v in self.batch.meta.items() if v}
        policy = FetchPolicy(allow_private=self.allow_private)
        items = read_documents(self.batch.documents, policy=policy, **kw)
        read = (i if isinstance(i, BadInput) else clean(i) for i in items)
        for item in in_shard(read, self.shard):
            self.seen += 1
            if isinstance(item, BadInput):
                click.echo(printable(f"failed {item}"), err=True)
                self.failed.append(item.document)
                continue
            for message in item.source.warnings:  # only the shard's own documents
                click.echo(warning_line(item.source.name, message), err=True)
            yield item

    def __iter__(self) -> Iterator[Any]:
        from itertools import chain

        from lgkg.ingest import extract_stream

        todo = self._cleaned()
        first = next(todo, None)
        if first is None:
            return
        extractor = self.load_extractor()
        stream = extract_stream(extractor, chain([first], todo), self.batch_size, self.n_process)
        for ct, x, reason in stream:
            if x is None:
                click.echo(printable(f"failed {ct.source.name}: {reason}"), err=True)
                self.failed.append(ct.source.name)
            else:
                yield x
