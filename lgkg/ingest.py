"""The ingest loop: read documents, extract them in batches, write one graph per document.

A document that cannot be read or extracted is reported and skipped; the
store is written one document graph at a time (``Store.replace_graph``, one
transaction each), so a failure never leaves half a document behind and
never ends the batch. A document whose stored graph has the same content
hash and extractor version is skipped as unchanged unless ``force`` is set.

>>> plural(1, "saving"), plural(3, "quote"), plural(0, "event")
('1 saving', '3 quotes', '0 events')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lgkg.extract.clean import clean, document_meta
from lgkg.extract.errors import BadInput
from lgkg.extract.model import ModelNotInstalled
from lgkg.extract.records import DocumentMeta, Extraction
from lgkg.extract.sources import SourceDoc, expand_paths, iter_sources
from lgkg.graph.store import Store
from lgkg.graph.vocab import LGKG, doc_iri

if TYPE_CHECKING:
    from lgkg.extract.pipeline import Extractor

INGESTED, UNCHANGED, FAILED = "ingested", "unchanged", "failed"


@dataclass(frozen=True)
class DocResult:
    """What happened to one document."""

    name: str  # the file name or URL, for messages
    outcome: str  # INGESTED, UNCHANGED or FAILED
    graph: str | None = None
    events: int = 0
    savings: int = 0
    quotes: int = 0
    reason: str = ""

    def line(self) -> str:
        """The line printed for this document.

        >>> DocResult("a.txt", INGESTED, "g", 4, 1, 3).line()
        'ingested a.txt: 4 events, 1 saving, 3 quotes (g)'
        >>> DocResult("b.pdf", FAILED, reason="binary file (PDF), not text").line()
        'failed b.pdf: binary file (PDF), not text'
        """
        if self.outcome == FAILED:
            return f"failed {self.name}: {self.reason}"
        counts = ", ".join(
            (
                plural(self.events, "event"),
                plural(self.savings, "saving"),
                plural(self.quotes, "quote"),
            )
        )
        if self.outcome == UNCHANGED:
            return f"unchanged {self.name} ({self.graph})"
        return f"ingested {self.name}: {counts} ({self.graph})"


@dataclass
class IngestSummary:
    """Every document's result, in the order they finished."""

    results: list[DocResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def failures(self) -> list[DocResult]:
        return [r for r in self.results if r.outcome == FAILED]

    def text(self) -> str:
        """The closing summary, listing each failure.

        >>> s = IngestSummary([DocResult("a.txt", INGESTED, "g"),
        ...                    DocResult("b", FAILED, reason="empty document")])
        >>> print(s.text())
        2 documents: 1 ingested, 0 unchanged, 1 failed
          b: empty document
        """
        head = (
            f"{plural(len(self.results), 'document')}: {self.count(INGESTED)} ingested, "
            f"{self.count(UNCHANGED)} unchanged, {self.count(FAILED)} failed"
        )
        return "\n".join([head, *(f"  {r.name}: {r.reason}" for r in self.failures)])


def plural(n: int, noun: str) -> str:
    """``n`` and the noun, with an "s" unless ``n`` is 1."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def source_meta(source: SourceDoc) -> DocumentMeta:
    """A document's identity (doc id, content hash) as ingest computes it, without NLP."""
    return document_meta(clean(source))


def display_name(source: SourceDoc) -> str:
    """The name a message uses: the file name, else the URL or path as given."""
    return source.file_name or source.name


def plan(paths: Iterable[str]) -> list[str]:
    """The documents ``paths`` names, folders expanded (to size a progress bar)."""
    return list(expand_paths(paths))


def _unchanged(store: Store, meta: DocumentMeta, version: str) -> bool:
    graph = doc_iri(meta.doc_id)
    return store.graph_value(graph, str(LGKG.contentHash)) == meta.content_hash and (
        store.graph_value(graph, str(LGKG.extractorVersion)) == version
    )


def _extract(
    extractor: Extractor, batch: Sequence[SourceDoc], batch_size: int
) -> Iterator[tuple[SourceDoc, Extraction | None, str]]:
    """Extract a batch; if it fails, each document alone, so one bad document fails alone."""
    try:
        done = list(extractor.extract_many(batch, batch_size=batch_size))
    except ModelNotInstalled:
        raise
    except Exception:
        for source in batch:
            try:
                yield source, extractor.extract(source), ""
            except ModelNotInstalled:
                raise
            except Exception as err:  # the extractor's bug must not end the batch
                yield source, None, f"extraction failed: {type(err).__name__}: {err}"
        return
    yield from ((s, x, "") for s, x in zip(batch, done, strict=True))


def _write(store: Store, source: SourceDoc, x: Extraction) -> DocResult:
    from lgkg.graph.emit import doc_graph_iri, extraction_graph

    graph_iri = str(doc_graph_iri(x))
    store.replace_graph(graph_iri, extraction_graph(x))
    return DocResult(
        display_name(source), INGESTED, graph_iri, len(x.events), len(x.savings), len(x.quotes)
    )


def ingest(
    paths: Sequence[str],
    store: Store,
    extractor: Callable[[], Extractor],
    *,
    batch_size: int = 16,
    force: bool = False,
    on_result: Callable[[DocResult], None] = lambda r: None,
    **read_kw: str | None,
) -> IngestSummary:
    """Ingest the documents ``paths`` names into ``store``.

    ``extractor`` is called once, when the first document needs extracting
    (an unchanged corpus never loads the model). ``read_kw`` (``url``,
    ``title``, ``published``) goes to :func:`~lgkg.extract.sources.read_source`.
    ``on_result`` sees each document's result as it finishes.
    """
    from lgkg.extract.pipeline import extractor_version

    summary = IngestSummary()
    version = extractor_version()
    loaded: list[Extractor] = []

    def report(result: DocResult) -> None:
        summary.results.append(result)
        on_result(result)

    def flush(batch: list[SourceDoc]) -> None:
        if not batch:
            return
        if not loaded:
            loaded.append(extractor())
        for source, x, reason in _extract(loaded[0], batch, batch_size):
            if x is None:
                report(DocResult(display_name(source), FAILED, reason=reason))
                continue
            try:
                report(_write(store, source, x))
            except Exception as err:  # a graph that cannot be built or written
                reason = f"cannot write: {type(err).__name__}: {err}"
                report(DocResult(display_name(source), FAILED, reason=reason))
        batch.clear()

    batch: list[SourceDoc] = []
    kw = {k: v for k, v in read_kw.items() if v is not None}
    for item in iter_sources(paths, **kw):
        if isinstance(item, BadInput):
            report(DocResult(item.document, FAILED, reason=item.reason))
            continue
        meta = source_meta(item)
        if not force and _unchanged(store, meta, version):
            report(DocResult(display_name(item), UNCHANGED, doc_iri(meta.doc_id)))
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            flush(batch)
    flush(batch)
    return summary
