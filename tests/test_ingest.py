"""Bulk ingest: batches, one transaction per batch, resumable runs, failures that stay local.

Most tests use :class:`HeadlineExtractor`, a light extractor with the real
one's interface that records only the document (no spaCy), so batching and
recovery are tested quickly; tests marked slow run the real pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from lgkg.extract.clean import CleanText, clean, document_meta
from lgkg.extract.errors import BadInput
from lgkg.extract.pipeline import extractor_version
from lgkg.extract.records import Extraction
from lgkg.extract.sources import iter_sources
from lgkg.graph.store import MemoryStore, StoreError, StoreUnavailable
from lgkg.graph.vocab import REFERENCE_GRAPH
from lgkg.ingest import FAILED, INGESTED, UNCHANGED, ingest, stored_versions
from lgkg.scaleout import Shard, in_shard, shard_of

BOOM = "BOOM"  # a document containing this word breaks HeadlineExtractor's pipeline


class HeadlineExtractor:
    """The Extractor interface without NLP: each document yields its metadata only.

    ``extract_cleaned`` fails for a document containing :data:`BOOM`, as a
    pipeline bug would; ``calls`` records the documents each call received.
    """

    def __init__(self) -> None:
        self.version = extractor_version()
        self.calls: list[list[str]] = []

    def _one(self, ct: CleanText) -> Extraction:
        if BOOM in ct.source.raw:
            raise RuntimeError("the pipeline broke")
        return Extraction(document_meta(ct), ct.text, extractor_version=self.version)

    def extract_cleaned(
        self, cleaned: Iterable[CleanText], batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Extraction]:
        seen: list[str] = []
        self.calls.append(seen)
        for ct in cleaned:
            seen.append(ct.source.name)
            yield self._one(ct)


def documents(store: MemoryStore) -> list[str]:
    """The document graphs of ``store`` (ingest also writes the reference graph)."""
    return [g for g in store.graphs() if g != str(REFERENCE_GRAPH)]


class CountingStore(MemoryStore):
    """A MemoryStore that counts transactions and can refuse graphs of chosen documents."""

    def __init__(self, refuse: str | None = None, unavailable: bool = False) -> None:
        super().__init__()
        self.transactions: list[int] = []
        self.refuse = refuse
        self.unavailable = unavailable

    def replace_graphs(self, items: Iterable[tuple[str, Graph]]) -> None:
        items = list(items)
        if self.unavailable:
            raise StoreUnavailable("cannot reach the store")
        if self.refuse and any(self.refuse in g.serialize(format="nt") for _, g in items):
            raise StoreError("the server refused a literal")
        if any(iri != str(REFERENCE_GRAPH) for iri, _ in items):  # documents, not the reference
            self.transactions.append(len(items))
        super().replace_graphs(items)


def write_docs(folder: Path, n: int, start: int = 0, extra: dict[int, str] | None = None) -> None:
    folder.mkdir(exist_ok=True)
    for i in range(start, start + n):
        body = f"Press release number {i}.\n\nTwo councils agreed to share services.\n"
        body += (extra or {}).get(i, "")
        (folder / f"doc{i:03d}.txt").write_text(
            f"---\ntitle: Release {i}\n---\n{body}", encoding="utf-8"
        )


def outcomes(summary) -> dict[str, str]:
    """Each document's outcome by its file name (results name documents by path)."""
    return {Path(r.name).name: r.outcome for r in summary.results}


@pytest.mark.parametrize(("docs", "batch", "expected"), [(10, 4, [4, 4, 2]), (3, 16, [3])])
def test_ingest_one_transaction_per_batch(
    tmp_path: Path, docs: int, batch: int, expected: list[int]
) -> None:
    write_docs(tmp_path / "in", docs)
    store = CountingStore()
    summary = ingest([str(tmp_path / "in")], store, HeadlineExtractor, batch_size=batch)
    assert summary.count(INGESTED) == docs
    assert store.transactions == expected
    assert len(documents(store)) == docs


def test_ingest_resumes_where_it_stopped(tmp_path: Path) -> None:
    write_docs(tmp_path / "in", 6)
    store = CountingStore()
    ingest([str(tmp_path / "in")], store, HeadlineExtractor, batch_size=4)
    write_docs(tmp_path / "in", 4, start=6)
    extractor = HeadlineExtractor()
    summary = ingest([str(tmp_path / "in")], store, lambda: extractor, batch_size=4)
    assert summary.count(UNCHANGED) == 6 and summary.count(INGESTED) == 4
    assert sorted(n for call in extractor.calls for n in call) == [
        str(tmp_path / "in" / f"doc{i:03d}.txt") for i in range(6, 10)
    ]


def test_ingest_unchanged_corpus_never_loads_the_extractor(tmp_path: Path) -> None:
    write_docs(tmp_path / "in", 3)
    store = CountingStore()
    ingest([str(tmp_path / "in")], store, HeadlineExtractor)

    def must_not_load() -> HeadlineExtractor:
        raise AssertionError("the extractor was loaded")

    summary = ingest([str(tmp_path / "in")], store, must_not_load)
    assert summary.count(UNCHANGED) == 3


def test_ingest_changed_or_forced_documents_are_extracted_again(tmp_path: Path) -> None:
    write_docs(tmp_path / "in", 3)
    store = CountingStore()
    ingest([str(tmp_path / "in")], store, HeadlineExtractor)
    (tmp_path / "in" / "doc001.txt").write_text("A new text for this one.\n", encoding="utf-8")
    changed = ingest([str(tmp_path / "in")], store, HeadlineExtractor)
    assert changed.count(INGESTED) == 1 and changed.count(UNCHANGED) == 2
    forced = ingest([str(tmp_path / "in")], store, HeadlineExtractor, force=True)
    assert forced.count(INGESTED) == 3


def test_ingest_a_document_that_breaks_the_pipeline_fails_alone(tmp_path: Path) -> None:
    write_docs(tmp_path / "in", 9, extra={4: f"It said {BOOM}.\n"})
    store = CountingStore()
    summary = ingest([str(tmp_path / "in")], store, HeadlineExtractor, batch_size=3)
    result = outcomes(summary)
    assert result.pop("doc004.txt") == FAILED
    assert set(result.values()) == {INGESTED} and len(result) == 8
    assert "the pipeline broke" in summary.failures[0].reason
    assert len(documents(store)) == 8


def test_ingest_a_document_the_store_refuses_fails_alone(tmp_path: Path) -> None:
    write_docs(tmp_path / "in", 5)
    store = CountingStore(refuse='"Release 2"')  # the title of doc002
    summary = ingest([str(tmp_path / "in")], store, HeadlineExtractor, batch_size=5)
    assert summary.count(FAILED) == 1 and summary.count(INGESTED) == 4
    assert "the server refused a literal" in summary.failures[0].reason
    assert store.transactions == [1, 1, 1, 1]  # the failed batch, then one document at a time


def test_ingest_an_unreachable_store_ends_the_run(tmp_path: Path) -> None:
    write_docs(tmp_path / "in", 3)
    with pytest.raises(StoreUnavailable):
        ingest([str(tmp_path / "in")], CountingStore(unavailable=True), HeadlineExtractor)


def test_ingest_store_failing_mid_run_is_not_a_pipeline_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store that stops answering while documents are checked ends the run; none is lost."""
    import lgkg.ingest

    class FailsOnSecondCheck(CountingStore):
        checks = 0

        def select(self, query, bindings=None):
            self.checks += 1
            if self.checks == 2:
                raise StoreUnavailable("the store went away")
            return super().select(query, bindings)

    monkeypatch.setattr(lgkg.ingest, "CHECK_CHUNK", 2)
    write_docs(tmp_path / "in", 6)
    with pytest.raises(StoreUnavailable, match="went away"):
        ingest([str(tmp_path / "in")], FailsOnSecondCheck(), HeadlineExtractor, batch_size=2)


def test_ingest_stored_versions_in_one_query(tmp_path: Path) -> None:
    write_docs(tmp_path / "in", 4)
    store = CountingStore()
    ingest([str(tmp_path / "in")], store, HeadlineExtractor)
    graphs = documents(store)
    found = stored_versions(store, [*graphs, "https://w3id.org/lgkg/id/doc/0000000000000000"])
    assert sorted(found) == graphs
    assert all(version == extractor_version() for pairs in found.values() for _, version in pairs)


def test_ingest_into_a_remote_store(tmp_path: Path, sparql_server) -> None:
    from lgkg.graph.remote import RemoteStore

    write_docs(tmp_path / "in", 5)
    store = RemoteStore(sparql_server.query, sparql_server.update, sparql_server.store)
    first = ingest([str(tmp_path / "in")], store, HeadlineExtractor, batch_size=2)
    again = ingest([str(tmp_path / "in")], store, HeadlineExtractor, batch_size=2)
    assert first.count(INGESTED) == 5 and again.count(UNCHANGED) == 5
    assert len(documents(store)) == 5


def test_ingest_warns_of_a_published_value_that_is_no_date(tmp_path: Path) -> None:
    """The document is ingested; the warning names it, on the way and in the summary."""
    doc = tmp_path / "doc.txt"
    doc.write_text("---\npublished: 2099-13-45\n---\nTwo councils agreed.\n", encoding="utf-8")
    heard: list[tuple[str, str]] = []
    store = CountingStore()
    summary = ingest(
        [str(doc)], store, HeadlineExtractor, on_warning=lambda d, m: heard.append((d, m))
    )
    message = (
        "published '2099-13-45' is not a date (YYYY, YYYY-MM or YYYY-MM-DD);"
        " the publication date is unknown"
    )
    assert summary.count(INGESTED) == 1
    assert summary.warnings == heard == [(str(doc), message)]
    again = ingest([str(doc)], store, HeadlineExtractor)  # unchanged: still said
    assert again.count(UNCHANGED) == 1 and again.warnings == heard


def test_ingest_allow_private_reaches_the_fetch() -> None:
    """A loopback URL is refused unless allow_private; then it is fetched (nothing listens)."""
    url = "http://127.0.0.1:9/news"
    refused = ingest([url], CountingStore(), HeadlineExtractor)
    assert [r.reason for r in refused.failures] == [
        "refused: 127.0.0.1 is a loopback address; pass --allow-private to fetch it"
    ]
    tried = ingest([url], CountingStore(), HeadlineExtractor, allow_private=True)
    assert [r.reason.split(":")[0] for r in tried.failures] == ["cannot fetch"]


# --------------------------------------------------------------------------- shards


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_ingest_shards_partition_the_documents(tmp_path: Path, count: int) -> None:
    write_docs(tmp_path / "in", 20)
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    everything = [
        item if isinstance(item, BadInput) else clean(item)
        for item in iter_sources([str(tmp_path / "in")])
    ]

    def name(item: CleanText | BadInput) -> str:
        return item.document if isinstance(item, BadInput) else item.source.name

    names = sorted(name(item) for item in everything)
    parts = [[name(i) for i in in_shard(everything, Shard(k, count))] for k in range(1, count + 1)]
    assert sorted(n for part in parts for n in part) == names  # each document exactly once
    if count > 1:
        assert sum(1 for part in parts if part) > 1  # the hash spreads them


def test_ingest_shard_of_is_stable() -> None:
    assert [shard_of(f"{i:016x}", 4) for i in range(8)] == [
        shard_of(f"{i:016x}", 4) for i in range(8)
    ]
    assert {shard_of(f"{i:016x}", 4) for i in range(200)} == {1, 2, 3, 4}


@pytest.mark.parametrize("text", ["0/3", "4/3", "a/b", "3", "1/0"])
def test_ingest_bad_shard_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="need i/n"):
        Shard.parse(text)
