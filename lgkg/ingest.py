"""The ingest flow: list, read, clean, skip the unchanged, extract, resolve, write.

Each step runs once per document, whoever calls it (``lgkg ingest``,
``lgkg.open(...).ingest``, the Dask path of :mod:`lgkg.distributed`):
:func:`plan` lists the documents (folders expanded), :func:`to_extract`
reads and cleans each one and skips those stored unchanged, the cleaned
texts stream through one ``nlp.pipe`` (optionally over several processes)
and are written a batch at a time, one store transaction per batch
(``Store.replace_graphs``); the store's reference graph (councils, service
areas) is written first if it is missing. After each batch, the partnerships its
documents describe are resolved with those of the store (:mod:`lgkg.graph.identity`)
and the entity graphs that change are written, so a partnership keeps one IRI
across documents, whatever order they come in. A document that cannot be read or
extracted is reported and skipped; if a batch cannot be written, its
documents are written one at a time, so a failure never leaves half a
document behind and never ends the run. A document whose stored graph has
the same content hash and extractor version is skipped as unchanged unless
``force`` is set, so a run that was interrupted picks up where it stopped.

>>> plural(1, "saving"), plural(3, "quote"), plural(0, "event")
('1 saving', '3 quotes', '0 events')
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeVar

from rdflib import Graph

from lgkg.extract.clean import CleanText, clean
from lgkg.extract.errors import BadInput
from lgkg.extract.model import ModelNotInstalled
from lgkg.extract.records import DocumentMeta, Extraction
from lgkg.extract.sources import FetchPolicy, SourceDoc, expand_paths, read_documents
from lgkg.graph.identity import Resolver
from lgkg.graph.store import Store, StoreError, StoreUnavailable
from lgkg.graph.vocab import LGKG, doc_iri
from lgkg.output import printable

if TYPE_CHECKING:
    from lgkg.extract.pipeline import Extractor

INGESTED, UNCHANGED, FAILED = "ingested", "unchanged", "failed"
#: Documents read ahead and checked against the store in one query.
CHECK_CHUNK = 256
T = TypeVar("T")


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
    notes: tuple[str, ...] = ()  # re-ingested: its corrections re-applied, those now lost

    def line(self) -> str:
        """The line printed for this document (control characters escaped: one line), and
        an indented line for each of its ``notes``.

        >>> DocResult("a.txt", INGESTED, "g", 4, 1, 3).line()
        'ingested a.txt: 4 events, 1 saving, 3 quotes (g)'
        >>> DocResult("b.pdf", FAILED, reason="binary file (PDF), not text").line()
        'failed b.pdf: binary file (PDF), not text'
        """
        if self.outcome == FAILED:
            return printable(f"failed {self.name}: {self.reason}")
        counts = ", ".join(
            (
                plural(self.events, "event"),
                plural(self.savings, "saving"),
                plural(self.quotes, "quote"),
            )
        )
        if self.outcome == UNCHANGED:
            return printable(f"unchanged {self.name} ({self.graph})")
        line = printable(f"ingested {self.name}: {counts} ({self.graph})")
        return "\n".join([line, *(printable(f"  {note}") for note in self.notes)])


@dataclass
class IngestSummary:
    """Every document's result, in the order they finished; ``add`` also tells ``on_result``.

    ``warnings`` holds ``(document, message)`` for what a document said but
    could not be used (a ``published`` value that is no date, say); ``warn``
    also tells ``on_warning``.
    """

    results: list[DocResult] = field(default_factory=list)
    on_result: Callable[[DocResult], None] = field(default=lambda r: None, repr=False)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    on_warning: Callable[[str, str], None] = field(default=lambda d, m: None, repr=False)

    def add(self, result: DocResult) -> None:
        """Record one document's result."""
        self.results.append(result)
        self.on_result(result)

    def warn(self, document: str, message: str) -> None:
        """Record a warning about one document."""
        self.warnings.append((document, message))
        self.on_warning(document, message)

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
        return "\n".join([head, *(printable(f"  {r.name}: {r.reason}") for r in self.failures)])


def plural(n: int, noun: str) -> str:
    """``n`` and the noun, with an "s" unless ``n`` is 1."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def source_meta(source: SourceDoc) -> DocumentMeta:
    """A document's identity (doc id, content hash) as ingest computes it, without NLP."""
    return clean(source).meta


class Plan(list):
    """Documents listed once, folders expanded: file paths, URLs and :class:`SourceDoc`
    texts, in order. The rest of the flow takes it as it is."""


def plan(paths: Iterable[str | SourceDoc]) -> Plan:
    """The documents ``paths`` names, folders expanded (a :class:`Plan` passes as it is); a
    :class:`SourceDoc` (a text given as such) is one document.

    >>> plan(["https://x.org/a", SourceDoc(name="t", raw="A text.")])[0]
    'https://x.org/a'
    """
    if isinstance(paths, Plan):
        return paths
    found = Plan()
    for item in paths:
        given = isinstance(item, SourceDoc | BadInput)
        found.extend([item] if given else expand_paths([item]))
    return found


def stored_versions(store: Store, graphs: Sequence[str]) -> dict[str, set[tuple[str, str]]]:
    """``(content hash, extractor version)`` pairs the store holds for each of ``graphs``.

    One query for the lot (a ``VALUES`` block of the graph IRIs), so checking
    a batch costs one round trip on a remote store.
    """
    if not graphs:
        return {}
    from rdflib import URIRef

    from lgkg.graph.sparql_text import values_block

    block = values_block(["g"], [[URIRef(g)] for g in dict.fromkeys(graphs)])
    query = (
        f"SELECT ?g ?hash ?version WHERE {{ {block} GRAPH ?g {{ "
        f"?g <{LGKG.contentHash}> ?hash ; <{LGKG.extractorVersion}> ?version }} }}"
    )
    found: dict[str, set[tuple[str, str]]] = {}
    for g, content_hash, version in store.select(query)[1]:
        found.setdefault(str(g), set()).add((str(content_hash), str(version)))
    return found


def extract_stream(
    extractor: Extractor, todo: Iterator[CleanText], batch_size: int, n_process: int
) -> Iterator[tuple[CleanText, Extraction | None, str]]:
    """Extract a stream of cleaned documents with one ``nlp.pipe`` (so ``n_process``
    workers start once).

    If the pipeline fails, the documents of the batch in flight are extracted
    one at a time (so one bad document fails alone) and the stream goes on.
    """
    pending: deque[CleanText] = deque()
    input_errors: list[Exception] = []

    def feed(sources: Iterator[CleanText]) -> Iterator[CleanText]:
        while True:
            try:
                source = next(sources)
            except StopIteration:
                return
            except Exception as err:  # reading or checking documents failed: not the pipeline
                input_errors.append(err)
                raise
            pending.append(source)
            yield source

    while True:
        stream = extractor.extract_cleaned(feed(todo), batch_size=batch_size, n_process=n_process)
        try:
            for x in stream:
                yield pending.popleft(), x, ""
            return
        except ModelNotInstalled:
            raise
        except Exception:
            if input_errors:
                raise input_errors[0] from None
            if not pending:
                raise
        suspects = [pending.popleft() for _ in range(min(batch_size, len(pending)))]
        for source in suspects:
            try:
                yield source, next(extractor.extract_cleaned([source])), ""
            except ModelNotInstalled:
                raise
            except BadInput as err:  # a document the extractor cannot read, and why
                yield source, None, err.reason
            except Exception as err:  # the extractor's bug must not end the batch
                yield source, None, f"extraction failed: {type(err).__name__}: {err}"
        todo = chain(list(pending), todo)
        pending.clear()


def ingested(name: str, graph_iri: str, x: Extraction) -> DocResult:
    """The result of document ``name`` extracted as ``x`` and written to ``graph_iri``."""
    return DocResult(name, INGESTED, graph_iri, len(x.events), len(x.savings), len(x.quotes))


def _write_batch(
    store: Store, done: list[tuple[CleanText, Extraction]], resolver: Resolver
) -> Iterator[DocResult]:
    """Write a batch in one transaction; if that fails, each document alone."""
    from lgkg.graph.emit import doc_graph_iri, extraction_graph

    built: list[tuple[DocResult, tuple[str, Graph]]] = []
    extractions: dict[str, Extraction] = {}
    for ct, x in done:
        try:
            iri = str(doc_graph_iri(x))
            built.append((ingested(ct.source.name, iri, x), (iri, extraction_graph(x))))
            extractions[iri] = x
        except Exception as err:  # a graph that cannot be built
            yield DocResult(ct.source.name, FAILED, reason=cannot_write(err))
    yield from write_resolved(built, store, resolver, extractions)


def write_resolved(
    items: Sequence[tuple[DocResult, tuple[str, Graph]]],
    store: Store,
    resolver: Resolver,
    extractions: Mapping[str, Extraction] | None = None,
) -> Iterator[DocResult]:
    """Write document graphs (:func:`write_with_corrections`), then the partnership
    entities the written ones change (:mod:`lgkg.graph.identity`), in a second transaction.

    The documents' partnerships are read from ``extractions`` (by graph IRI) where
    given, else from their graphs. A store that cannot be read (the resolver's index
    is loaded on the first call) ends the run.
    """
    resolver.prepare()  # what the store resolved to before these documents
    written: list[str] = []
    for result in write_with_corrections(items, store):
        if result.outcome == INGESTED and result.graph:
            written.append(result.graph)
        yield result
    if not written:
        return
    if extractions is not None and all(iri in extractions for iri in written):
        changes = resolver.changes([extractions[iri] for iri in written])
    else:
        graphs = {iri: graph for _, (iri, graph) in items}
        changes = resolver.changes_for_graphs([(iri, graphs[iri]) for iri in written])
    if changes:
        store.replace_graphs(changes)


def write_with_corrections(
    items: Sequence[tuple[DocResult, tuple[str, Graph]]], store: Store
) -> Iterator[DocResult]:
    """:func:`write_batch` the document graphs, those analysts corrected with their
    corrections re-applied to the new graph in the same transaction
    (:func:`lgkg.corrections.reapply_document`); such a result's notes say how many
    corrections apply and which no longer match a fact. One query finds the corrected.
    """
    from lgkg.corrections import reapply_document, with_corrections

    corrected = with_corrections(store, [iri for _, (iri, _) in items])
    groups: list[tuple[DocResult, list[tuple[str, Graph]]]] = []
    for result, (iri, graph) in items:
        if iri not in corrected:
            groups.append((result, [(iri, graph)]))
            continue
        try:
            again = reapply_document(store, iri, graph)
        except StoreError:
            raise
        except Exception as err:  # corrections that cannot be read or applied
            yield DocResult(result.name, FAILED, reason=f"cannot re-apply its corrections: {err}")
            continue
        noted = replace(result, notes=tuple(again.notes()))
        groups.append((noted, [(iri, graph), (again.graph_iri, again.graph)]))
    yield from write_batch(groups, lambda batch: store.replace_graphs(chain.from_iterable(batch)))


def write_batch(
    items: Sequence[tuple[DocResult, T]], write: Callable[[list[T]], None]
) -> Iterator[DocResult]:
    """``write`` the payloads of ``items`` in one call (one transaction); each result as it lands.

    If that call fails, each document is written alone, so a document the
    store refuses fails alone; :class:`StoreUnavailable` ends the run.
    """
    if not items:
        return
    try:
        write([payload for _, payload in items])
    except StoreUnavailable:  # no document could be written: end the run
        raise
    except Exception:
        for result, payload in items:
            try:
                write([payload])
            except StoreUnavailable:
                raise
            except Exception as err:  # this document cannot be written
                yield DocResult(result.name, FAILED, reason=cannot_write(err))
            else:
                yield result
        return
    for result, _ in items:
        yield result


def cannot_write(err: Exception) -> str:
    """Why a document's graph could not be built or written."""
    return f"cannot write: {type(err).__name__}: {err}"


def to_extract(
    documents: Sequence[str | SourceDoc],
    store: Store,
    summary: IngestSummary,
    *,
    force: bool = False,
    chunk: int = CHECK_CHUNK,
    allow_private: bool = False,
    **read_kw: str | None,
) -> Iterator[CleanText]:
    """The documents that need extracting, read, cleaned and checked ``chunk`` at a time.

    ``documents``: paths, URLs and texts, or their :func:`plan`. Documents
    that cannot be read, and those stored with the same content hash and
    extractor version (unless ``force``), go to ``summary`` on the way, and
    so do the warnings of those read. ``read_kw`` (``url``, ``title``, ``published``) goes to
    :func:`~lgkg.extract.sources.read_source`. URLs are fetched from public
    addresses only unless ``allow_private`` (see
    :class:`~lgkg.extract.sources.FetchPolicy`).
    """
    from lgkg.extract.pipeline import extractor_version

    version = extractor_version()
    kw = {k: v for k, v in read_kw.items() if v is not None}
    policy = FetchPolicy(allow_private=allow_private)
    items = read_documents(plan(documents), policy=policy, **kw)
    while True:
        block = list(islice(items, chunk))
        if not block:
            return
        read: list[CleanText] = []
        for item in block:
            if isinstance(item, BadInput):
                summary.add(DocResult(item.document, FAILED, reason=item.reason))
                continue
            for message in item.warnings:
                summary.warn(item.name, message)
            read.append(clean(item))
        graphs = [str(doc_iri(ct.meta.doc_id)) for ct in read]
        stored = {} if force else stored_versions(store, graphs)
        for ct, graph in zip(read, graphs, strict=True):
            if (ct.meta.content_hash, version) in stored.get(graph, ()):
                summary.add(DocResult(ct.source.name, UNCHANGED, graph))
            else:
                yield ct


def ingest(
    documents: Sequence[str | SourceDoc],
    store: Store,
    extractor: Callable[[], Extractor],
    *,
    batch_size: int = 16,
    n_process: int = 1,
    force: bool = False,
    on_result: Callable[[DocResult], None] = lambda r: None,
    on_warning: Callable[[str, str], None] = lambda d, m: None,
    allow_private: bool = False,
    **read_kw: str | None,
) -> IngestSummary:
    """Ingest ``documents`` (files, folders, URLs, :class:`SourceDoc` texts, or their
    :func:`plan`) into ``store``.

    Documents go through one ``nlp.pipe`` stream (``batch_size`` at a time,
    over ``n_process`` processes) and are written ``batch_size`` documents
    per store transaction. Documents stored with the same content hash and
    extractor version are skipped unless ``force``, so an interrupted run
    resumes where it stopped. ``extractor`` is called once, when the first
    document needs extracting (an unchanged corpus never loads the model).
    ``read_kw`` (``url``, ``title``, ``published``) goes to
    :func:`~lgkg.extract.sources.read_source`. ``on_result`` sees each
    document's result as it finishes, ``on_warning`` each warning (document,
    message) as the document is read. URLs and their redirects are fetched
    over http(s) from public addresses only, unless ``allow_private``.
    """
    summary = IngestSummary(on_result=on_result, on_warning=on_warning)
    chunk = max(batch_size, CHECK_CHUNK)
    store.ensure_reference()
    todo = to_extract(
        documents, store, summary, force=force, chunk=chunk, allow_private=allow_private, **read_kw
    )
    first = next(todo, None)
    if first is None:
        return summary
    stream = extract_stream(extractor(), chain([first], todo), batch_size, n_process)
    resolver = Resolver(store)
    done: list[tuple[CleanText, Extraction]] = []
    for ct, x, reason in stream:
        if x is None:
            summary.add(DocResult(ct.source.name, FAILED, reason=reason))
            continue
        done.append((ct, x))
        if len(done) >= batch_size:
            for result in _write_batch(store, done, resolver):
                summary.add(result)
            done = []
    for result in _write_batch(store, done, resolver):
        summary.add(result)
    return summary
