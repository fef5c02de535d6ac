"""Analysts' corrections of the graph, for the CLI, the server and scripts (``lgkg.corrections``).

An analyst reviews a document (:func:`review`: its facts, numbered, with their
evidence sentences and what analysts did to each), then confirms, rejects,
changes or adds facts (:func:`correct`, :func:`add_fact`). Each correction
goes to the document's corrections graph (:mod:`lgkg.graph.corrections`,
``id:doc/{h}/corrections``); the document's own graph is never edited, and the
named queries show the facts as corrected. Re-ingesting a document re-applies
its corrections to the new extraction (:func:`reapply`, called by
:mod:`lgkg.ingest`). The corrected documents become gold files
(:func:`export_gold`) that ``lgkg train`` reads, and :func:`evaluate_corrections`
scores the extractor against them.

>>> from importlib.resources import files
>>> from lgkg.graph.store import MemoryStore, load_dataset
>>> example = files("lgkg.ontology") / "examples" / "valid-document.ttl"
>>> store = MemoryStore()
>>> doc = "https://w3id.org/lgkg/id/doc/a56ab77fcd2abfc7"
>>> from rdflib import Graph
>>> store.replace_graph(doc, Graph().parse(data=example.read_text(), format="turtle"))
>>> before = review(store, doc)
>>> [(f.number, f.kind, f.state) for f in before.facts][:2]
[(1, 'event', 'extracted'), (2, 'event', 'extracted')]
>>> after, made = correct(store, REJECT, "1", doc=doc, reason="not in the text", analyst="Jo",
...                       at="2026-01-01T00:00:00Z")
>>> made.describe()[:30], after.facts[0].state
('correction 1 (Jo): reject even', 'rejected')
"""

from __future__ import annotations

import getpass
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS

from lgkg.graph.base import PREFIXES, Store
from lgkg.graph.corrections import (
    ADD,
    CONFIRM,
    FIELDS,
    REJECT,
    SET,
    VERBS,
    Applied,
    Correction,
    CorrectionError,
    FactState,
    apply_corrections,
    article,
    check_content,
    gold_document,
    kind_of,
    normalise_value,
    read_corrections,
    summary,
)
from lgkg.graph.vocab import ID, LGKG, SCHEMA, corrections_graph_iri, doc_iri

if TYPE_CHECKING:
    from lgkg.extract.sources import SourceDoc

__all__ = [
    "ADD",
    "CONFIRM",
    "REJECT",
    "SET",
    "VERBS",
    "CorrectionError",
    "DocumentReview",
    "NoSuchDocument",
    "add_fact",
    "correct",
    "corrected_documents",
    "evaluate_corrections",
    "export_gold",
    "reapply",
    "review",
]

_DOC_PREFIX = str(ID["doc/"])
_GRAPH = re.compile(re.escape(_DOC_PREFIX) + r"[0-9a-f]{16}(/corrections)?")
_FACT_TAIL = re.compile(r"([0-9a-f]{16})-([ar]?)([0-9]+)$")
_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):(.*)")
_CORRECTED_GRAPHS = "SELECT DISTINCT ?doc WHERE { GRAPH ?g { ?g lgkg:correctsDocument ?doc } }"


class NoSuchDocument(CorrectionError):
    """The store holds no such document."""


def analyst_name(given: str | None = None) -> str:
    """Who is correcting: ``given``, else ``LGKG_ANALYST``, else the login name."""
    name = (given or os.environ.get("LGKG_ANALYST") or "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except (OSError, KeyError):  # no login name (a container, say)
            name = "analyst"
    return name


def now() -> str:
    """The time now, as an ``xsd:dateTime`` in UTC to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def expand_iri(text: str) -> str:
    """An IRI given in full, as ``<IRI>`` or as a CURIE with a known prefix (``id:event/…``).

    >>> expand_iri("id:event/0123456789abcdef-2")
    'https://w3id.org/lgkg/id/event/0123456789abcdef-2'
    """
    raw = text.strip()
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1].strip()
    curie = _CURIE.fullmatch(raw)
    if curie and curie.group(1) in PREFIXES and not curie.group(2).startswith("//"):
        raw = PREFIXES[curie.group(1)] + curie.group(2)
    return raw


def document_of(ref: str) -> str:
    """The graph IRI of the document ``ref`` names: its IRI or id, the URL or file it was
    ingested from (:func:`lgkg.retract.doc_graph`), or the IRI of one of its facts."""
    from lgkg.retract import doc_graph

    raw = expand_iri(ref)
    if raw.startswith(str(ID)) and kind_of(raw) in ("event", "saving", "quote", "membership"):
        found = _FACT_TAIL.search(raw)
        if found is None:
            raise CorrectionError(f"{ref}: not the IRI of a fact")
        return str(doc_iri(found.group(1)))
    if raw.startswith(_DOC_PREFIX) and raw.endswith("/corrections"):
        raw = raw.removesuffix("/corrections")
    from lgkg.extract.errors import BadInput

    try:
        return doc_graph(raw)
    except (BadInput, OSError, ValueError) as err:  # a file that cannot be read
        raise CorrectionError(str(err)) from err


def _graph(store: Store, iri: str) -> Graph:
    """The triples of named graph ``iri``."""
    if not _GRAPH.fullmatch(iri):  # so the IRI is safe in the query text
        raise CorrectionError(f"not a document graph: {iri}")
    return store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")


def _doc_id(graph_iri: str) -> str:
    return graph_iri[len(_DOC_PREFIX) :][:16]


# --------------------------------------------------------------------------- reviews


@dataclass
class DocumentReview:
    """A document's facts with what analysts did to them (:func:`review`)."""

    graph: str  # the document's IRI, which names its graph
    meta: dict[str, str]  # name, url, file_name, title, published, extracted_at, version
    applied: Applied
    names: dict[str, str] = field(default_factory=dict)  # GSS code -> short name

    @property
    def doc_id(self) -> str:
        return _doc_id(self.graph)

    @property
    def facts(self) -> list[FactState]:
        return self.applied.facts

    @property
    def corrections(self) -> list[Correction]:
        return self.applied.corrections

    @property
    def unmatched(self) -> list[Correction]:
        return self.applied.unmatched

    def find(self, ref: str | int) -> FactState:
        """The fact ``ref`` names: its number in the review, or its IRI (as extracted, as
        corrected, or as added)."""
        text = str(ref).strip()
        if text.isdigit():
            number = int(text)
            for fact in self.facts:
                if fact.number == number:
                    return fact
            raise CorrectionError(f"{self.meta['name']} has no fact {number}")
        raw = expand_iri(text)
        for fact in self.facts:
            if raw in (str(fact.origin), str(fact.iri or "")):
                return fact
        if kind_of(raw) == "membership":
            raise CorrectionError(
                f"{ref}: memberships follow from their events; correct the event instead"
            )
        found = _FACT_TAIL.search(raw)
        if found and found.group(2) == "r":  # a revision's IRI names the extracted fact
            return self.find(raw[: found.start(2)] + found.group(3))
        raise CorrectionError(f"{ref}: no such fact in {self.meta['name']} ({self.graph})")

    def show(self, value: str) -> str:
        """A body's value for people: ``Brent (E09000005)`` for a GSS code."""
        name = self.names.get(value)
        return f"{name} ({value})" if name else value

    def line(self, content: Mapping[str, str]) -> str:
        """A fact's content in one line, councils by name."""
        shown = {k: self.show(v) if k in _BODY_KEYS else v for k, v in content.items()}
        return summary(shown)

    def table(self) -> str:
        """The review as text: each fact numbered, with its state and its evidence sentence."""
        from lgkg.output import printable

        counts = {kind: sum(f.kind == kind for f in self.facts) for kind in FIELDS}
        checked = sum(f.state != "extracted" for f in self.facts if f.added_by is None)
        added = sum(f.added_by is not None for f in self.facts)
        lines = [
            printable(f"{self.meta['name']}  {self.graph}"),
            printable(
                f"  published: {self.meta.get('published') or 'unknown'}  "
                + ", ".join(f"{n} {k}{'' if n == 1 else 's'}" for k, n in counts.items())
                + f"  ({checked} checked, {added} added; {_plural(len(self.corrections))})"
            ),
        ]
        for fact in self.facts:
            content = fact.effective or fact.content
            state = fact.state
            if fact.rejected_by is not None:
                state += f": {fact.rejected_by.reason}" if fact.rejected_by.reason else ""
            if fact.changed:
                state += (
                    " ("
                    + ", ".join(
                        f"{k} {fact.content.get(k) or '-'} -> {v or '-'}"
                        for k, v in sorted(fact.changes.items())
                        if fact.content.get(k, "") != v
                    )
                    + ")"
                )
            lines.append(
                printable(f"  {fact.number:>3}  {fact.kind:<6}  {self.line(content)}  [{state}]")
            )
            lines.append(printable("         > " + " ".join(content["evidence"].split())))
        for c in self.unmatched:
            lines.append(printable(f"  no longer matches a fact: {c.describe()}"))
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The review as JSON-ready data (the server's ``/api/doc/{id}``)."""

        def correction(c: Correction) -> dict[str, Any]:
            return {
                "number": c.number,
                "verb": c.verb,
                "analyst": c.analyst,
                "at": c.at,
                "reason": c.reason,
                "fact": c.fact,
                "field": c.field,
                "value": c.value,
                "description": c.describe(),
            }

        return {
            "document": self.graph,
            "corrections_graph": str(corrections_graph_iri(self.doc_id)),
            **self.meta,
            "fields": {kind: list(names) for kind, names in FIELDS.items()},
            "facts": [
                {
                    "number": f.number,
                    "kind": f.kind,
                    "iri": str(f.iri or ""),
                    "origin": str(f.origin),
                    "state": f.state,
                    "summary": self.line(f.effective or f.content),
                    "extracted": dict(f.content) if f.added_by is None else None,
                    "content": f.effective or f.content,
                    "names": {
                        k: self.names[v]
                        for k, v in (f.effective or f.content).items()
                        if k in _BODY_KEYS and v in self.names
                    },
                    "evidence": (f.effective or f.content)["evidence"],
                    "corrections": [
                        correction(c) for c in ([f.added_by] if f.added_by else []) + f.corrections
                    ],
                }
                for f in self.facts
            ],
            "unmatched": [correction(c) for c in self.unmatched],
        }


_BODY_KEYS = frozenset({"council", "client", "who", "organisation"})


def _plural(n: int, noun: str = "correction") -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _meta(graph_iri: str, x: Graph) -> dict[str, str]:
    doc = URIRef(graph_iri)
    values = {
        "url": x.value(doc, SCHEMA.url),
        "file_name": x.value(doc, LGKG.fileName),
        "title": x.value(doc, DCTERMS.title),
        "published": x.value(doc, DCTERMS.issued),
        "extracted_at": x.value(doc, LGKG.extractedAt),
        "extractor_version": x.value(doc, LGKG.extractorVersion),
        "content_hash": x.value(doc, LGKG.contentHash),
    }
    meta = {k: "" if v is None else str(v) for k, v in values.items()}
    meta["name"] = meta["file_name"] or meta["url"] or graph_iri
    return meta


def _short_names(store: Store, facts: Iterable[FactState]) -> dict[str, str]:
    """The short names of the councils the facts name, from the store's reference graph."""
    from lgkg.extract.vocabulary import GSS_CODE
    from lgkg.graph.sparql_text import values_block
    from lgkg.graph.vocab import council_iri

    codes = sorted(
        {
            v
            for f in facts
            for content in (f.content, f.effective or {})
            for k, v in content.items()
            if k in _BODY_KEYS and GSS_CODE.fullmatch(v)
        }
    )
    if not codes:
        return {}
    block = values_block(["c"], [[council_iri(code)] for code in codes])
    query = f"SELECT ?c ?name WHERE {{ {block} GRAPH ?r {{ ?c lgkg:shortName ?name }} }}"
    return {str(c).rsplit("/", 1)[-1]: str(name) for c, name in store.select(query)[1]}


def _resolver(store: Store, graph_iri: str) -> Callable[[str], tuple[URIRef, bool]]:
    """The partnership a label names (:meth:`Store.lookup_partnership`), and whether a graph
    other than the document's corrections graph describes it already."""
    own = corrections_graph_iri(_doc_id(graph_iri))

    def resolve(label: str) -> tuple[URIRef, bool]:
        iri = store.lookup_partnership(label)
        if iri is None:
            raise CorrectionError(f"partnership {label!r} has no letters or digits")
        # both IRIs are lgkg's own (a slug, a document id): safe in the query text
        query = f"ASK {{ GRAPH ?g {{ {iri.n3()} rdfs:label ?l }} FILTER(?g != {own.n3()}) }}"
        return iri, store.ask(query)

    return resolve


def _apply(store: Store, graph_iri: str, x: Graph, corrections: Sequence[Correction]) -> Applied:
    return apply_corrections(_doc_id(graph_iri), x, corrections, _resolver(store, graph_iri))


def review(store: Store, doc: str) -> DocumentReview:
    """The facts of document ``doc`` (any reference :func:`document_of` takes), numbered, with
    their evidence and what analysts did to them. CorrectionError if it is not stored."""
    graph_iri = document_of(doc)
    x = _graph(store, graph_iri)
    if not len(x):
        raise NoSuchDocument(f"{doc}: no such document in the store ({graph_iri})")
    stored = _graph(store, str(corrections_graph_iri(_doc_id(graph_iri))))
    applied = _apply(store, graph_iri, x, read_corrections(stored))
    return DocumentReview(
        graph_iri, _meta(graph_iri, x), applied, _short_names(store, applied.facts)
    )


def _record(
    store: Store, before: DocumentReview, made: Correction
) -> tuple[DocumentReview, Correction]:
    """Apply the corrections so far and ``made``, and write the corrections graph."""
    x = _graph(store, before.graph)
    applied = _apply(store, before.graph, x, [*before.corrections, made])
    store.replace_graph(str(corrections_graph_iri(before.doc_id)), applied.graph)
    after = DocumentReview(before.graph, before.meta, applied, _short_names(store, applied.facts))
    stored = next(c for c in applied.corrections if c.number == made.number)
    return after, stored


def _next_number(r: DocumentReview) -> int:
    return max((c.number for c in r.corrections), default=0) + 1


def _lookup(store: Store) -> Callable[[str], str | None]:
    def code(text: str) -> str | None:
        iri = store.lookup_council(text)
        return None if iri is None else str(iri).rsplit("/", 1)[-1]

    return code


def correct(
    store: Store,
    verb: str,
    fact: str | int,
    *,
    doc: str | None = None,
    field: str = "",
    value: str = "",
    reason: str = "",
    analyst: str | None = None,
    at: str | None = None,
) -> tuple[DocumentReview, Correction]:
    """Confirm, reject or change (``verb``: ``confirm``, ``reject``, ``set``) one fact.

    ``fact`` is the fact's IRI, or its number in :func:`review` of ``doc``. A
    rejection needs a ``reason``; a change names the ``field`` and its new ``value``
    (as gold files write it: a GSS code or any council name, a code, an ISO date; ""
    clears an optional field). Returns the document's review afterwards and the
    correction as stored. CorrectionError for a bad reference, field or value.
    """
    if verb not in (CONFIRM, REJECT, SET):
        raise CorrectionError(f"unknown correction {verb!r}; use confirm, reject or set")
    if doc is None:
        if str(fact).strip().isdigit():
            raise CorrectionError("a fact given by its number needs its document (--doc)")
        doc = str(fact)
    before = review(store, doc)
    target = before.find(fact)
    if verb == REJECT and not reason.strip():
        raise CorrectionError("say why the fact is wrong (a reason)")
    new_value = ""
    if verb == SET:
        new_value = normalise_value(target.kind, field, value, _lookup(store))
        after = {**(target.effective or target.content), field: new_value}
        check_content(after)
    made = Correction(
        number=_next_number(before),
        verb=verb,
        analyst=analyst_name(analyst),
        at=at or now(),
        reason=reason.strip(),
        fact=str(target.origin),
        content=dict(target.content),
        field=field if verb == SET else "",
        value=new_value,
    )
    return _record(store, before, made)


def add_fact(
    store: Store,
    doc: str,
    kind: str,
    fields: Mapping[str, str],
    evidence: str,
    *,
    reason: str = "",
    analyst: str | None = None,
    at: str | None = None,
) -> tuple[DocumentReview, Correction]:
    """Add a fact of ``kind`` (``event``, ``saving``, ``quote``) the extractor missed in
    document ``doc``, citing its sentence: ``evidence`` is the sentence's text, or the
    number of a fact in :func:`review` whose sentence states it too."""
    before = review(store, doc)
    if kind not in FIELDS:
        raise CorrectionError(f"no kind of fact {kind!r}; use one of {', '.join(FIELDS)}")
    sentence = evidence.strip()
    if sentence.isdigit():
        cited = before.find(sentence)
        sentence = (cited.effective or cited.content)["evidence"]
    defaults = {"currency": "GBP"} if kind == "saving" else {}
    if kind == "quote" and not fields.get("text"):
        defaults["text"] = sentence
    given = {**defaults, **{k: v for k, v in fields.items() if v is not None}}
    unknown = sorted(set(given) - set(FIELDS[kind]))
    if unknown:
        raise CorrectionError(
            f"{article(kind)} has no field {unknown[0]!r}; its fields are {', '.join(FIELDS[kind])}"
        )
    lookup = _lookup(store)
    content = {"kind": kind}
    for name in FIELDS[kind]:
        content[name] = normalise_value(kind, name, given.get(name, ""), lookup)
    content["evidence"] = " ".join(sentence.split())
    check_content(content)
    made = Correction(
        number=_next_number(before),
        verb=ADD,
        analyst=analyst_name(analyst),
        at=at or now(),
        reason=reason.strip(),
        content=content,
    )
    return _record(store, before, made)


# --------------------------------------------------------------------------- the store


def corrected_documents(store: Store) -> list[str]:
    """The documents (graph IRIs) that have a corrections graph, sorted."""
    return sorted(str(row[0]) for row in store.select(_CORRECTED_GRAPHS)[1])


def has_corrections(store: Store, graph_iri: str) -> bool:
    """Does the document ``graph_iri`` have a corrections graph?"""
    return store.has_graph(str(corrections_graph_iri(_doc_id(graph_iri))))


def drop_corrections(store: Store, graph_iri: str) -> bool:
    """Remove the corrections of document ``graph_iri``; True if it had some."""
    return store.drop_graph(str(corrections_graph_iri(_doc_id(graph_iri))))


@dataclass(frozen=True)
class Reapplied:
    """A re-ingested document's corrections: the new corrections graph, how many apply,
    and those that match no fact any more."""

    graph_iri: str  # the corrections graph
    graph: Graph
    applied: int
    unmatched: tuple[Correction, ...]

    def notes(self) -> list[str]:
        """What to tell the analyst: one line for the lot, one per correction lost."""
        lines = [
            f"{self.applied} correction{'' if self.applied == 1 else 's'} re-applied"
            + (f", {len(self.unmatched)} no longer match" if self.unmatched else "")
        ]
        lines += [f"  no longer matches a fact: {c.describe()}" for c in self.unmatched]
        return lines


def with_corrections(store: Store, graphs: Iterable[str]) -> set[str]:
    """Which of the documents ``graphs`` (graph IRIs) have corrections: one query for all."""
    from lgkg.graph.sparql_text import values_block

    names = {str(corrections_graph_iri(_doc_id(iri))): iri for iri in graphs}
    if not names:
        return set()
    block = values_block(["g"], [[URIRef(g)] for g in names])
    query = f"SELECT DISTINCT ?g WHERE {{ {block} GRAPH ?g {{ ?g lgkg:correctsDocument ?d }} }}"
    return {names[str(row[0])] for row in store.select(query)[1]}


def reapply_document(store: Store, graph_iri: str, graph: Graph) -> Reapplied:
    """The stored corrections of document ``graph_iri`` applied to ``graph``, its new
    extraction (the corrections graph to write with it, and what no longer matches)."""
    name = str(corrections_graph_iri(_doc_id(graph_iri)))
    applied = _apply(store, graph_iri, graph, read_corrections(_graph(store, name)))
    count = len(applied.corrections) - len(applied.unmatched)
    return Reapplied(name, applied.graph, count, tuple(applied.unmatched))


def reapply(store: Store, items: Sequence[tuple[str, Graph]]) -> dict[str, Reapplied]:
    """For the documents of ``items`` (graph IRI, new document graph) that have corrections,
    their corrections applied to the new graphs."""
    found = with_corrections(store, [iri for iri, _ in items])
    return {iri: reapply_document(store, iri, graph) for iri, graph in items if iri in found}


# --------------------------------------------------------------------------- teaching


def gold_of(r: DocumentReview, doc: str, *, as_extracted: bool = False) -> dict[str, object]:
    """A document's facts as a gold file's data: as corrected, or ``as_extracted``."""
    if as_extracted:
        contents = [f.content for f in r.facts if f.added_by is None]
    else:
        contents = [f.effective for f in r.facts if f.effective is not None]
    return gold_document(doc, r.meta.get("published") or None, contents)


@dataclass
class GoldExport:
    """What :func:`export_gold` wrote (gold file paths) and what it could not, and why."""

    written: list[Path] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # (document, reason)


def _front_matter(meta: Mapping[str, str]) -> str:
    lines = ["---"]
    for key in ("url", "title", "published"):
        value = " ".join(meta.get(key, "").split())
        if value:
            lines.append(f"{key}: {value}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def _text_name(r: DocumentReview, taken: set[str]) -> str:
    from lgkg.graph.vocab import slug

    stem = Path(r.meta.get("file_name") or "").stem or slug(r.meta.get("title", ""))[:60]
    stem = stem or r.doc_id
    name = f"{stem}.txt"
    if name in taken:
        name = f"{stem}-{r.doc_id}.txt"
    taken.add(name)
    return name


def find_text(
    r: DocumentReview, texts: Sequence[str], *, fetch: bool = False, policy: Any = None
) -> SourceDoc:
    """The document's text as ingest read it (a SourceDoc whose content hash is the stored
    one), from the files under ``texts`` with its file name, else (``fetch``) from its URL;
    a CorrectionError says why when neither gives it."""
    from lgkg.extract.clean import clean
    from lgkg.extract.errors import BadInput
    from lgkg.extract.sources import FetchPolicy, expand_paths, read_source

    wanted = r.meta.get("file_name")
    tried = []
    if wanted:
        for path in expand_paths(texts):
            if Path(path).name != wanted:
                continue
            try:
                source = read_source(path)
            except BadInput as err:
                tried.append(f"{path}: {err.reason}")
                continue
            if clean(source).meta.content_hash == r.meta["content_hash"]:
                return source
            tried.append(f"{path} has other text than the document ingested")
    if fetch and r.meta.get("url"):
        try:
            source = read_source(r.meta["url"], policy=policy or FetchPolicy())
        except BadInput as err:
            raise CorrectionError(f"cannot fetch {r.meta['url']}: {err.reason}") from err
        if clean(source).meta.content_hash == r.meta["content_hash"]:
            return source
        tried.append(f"{r.meta['url']} has changed since it was ingested")
    where = "; ".join(tried) or (
        f"no file named {wanted!r} under the --texts folders" if wanted else "no file name known"
    )
    hint = "" if fetch or not r.meta.get("url") else " (or --fetch its URL)"
    raise CorrectionError(f"its text was not found: {where}{hint}")


def export_gold(
    store: Store,
    out_dir: str | os.PathLike[str],
    texts: Sequence[str] = (),
    *,
    fetch: bool = False,
    policy: Any = None,
) -> GoldExport:
    """Write every corrected document as a gold file and its text beside it (the corpus
    format, docs/contract.md "Gold annotations"): ``NAME.txt`` (a front-matter block, then
    the text as ingest read it) and ``NAME.gold.json`` (its facts as corrected).

    The texts are found under ``texts`` (files and folders) by file name and checked
    against the stored content hash, or fetched again from their URLs with ``fetch``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    result = GoldExport()
    taken: set[str] = set()
    for graph_iri in corrected_documents(store):
        r = review(store, graph_iri)
        try:
            source = find_text(r, texts, fetch=fetch, policy=policy)
        except CorrectionError as err:
            result.missing.append((r.meta["name"], str(err)))
            continue
        name = _text_name(r, taken)
        (out / name).write_text(_front_matter(r.meta) + source.raw, encoding="utf-8")
        gold = gold_of(r, name)
        path = out / (name.removesuffix(".txt") + ".gold.json")
        path.write_text(json.dumps(gold, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        result.written.append(path)
    return result


def evaluate_corrections(store: Store) -> Any:
    """The extraction of each corrected document scored against its facts as corrected
    (an :class:`~lgkg.extract.evaluate.Report`; empty without corrected documents)."""
    from lgkg.extract.evaluate import Gold, score

    pairs = []
    for graph_iri in corrected_documents(store):
        r = review(store, graph_iri)
        name = r.meta["name"]
        gold, predicted = (gold_of(r, name, as_extracted=flag) for flag in (False, True))
        pairs.append(
            tuple(
                Gold(name, r.meta.get("published") or None, g["events"], g["savings"], g["quotes"])
                for g in (gold, predicted)
            )
        )
    return score(pairs)


def correction_for_page(store: Store, doc: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """Make the correction a web page sent (JSON: ``verb``, ``fact``, ``field``, ``value``,
    ``reason``, ``analyst``; for ``add``: ``kind``, ``fields``, ``evidence``) and return the
    review afterwards (:meth:`DocumentReview.to_dict`)."""
    verb = str(data.get("verb", ""))
    analyst = str(data.get("analyst") or "") or None
    reason = str(data.get("reason") or "")
    if verb == ADD:
        fields = data.get("fields") or {}
        if not isinstance(fields, Mapping):
            raise CorrectionError("fields must be an object")
        r, _ = add_fact(
            store,
            doc,
            str(data.get("kind", "")),
            {str(k): str(v) for k, v in fields.items()},
            str(data.get("evidence", "")),
            reason=reason,
            analyst=analyst,
        )
    else:
        r, _ = correct(
            store,
            verb,
            str(data.get("fact", "")),
            doc=doc,
            field=str(data.get("field") or ""),
            value=str(data.get("value") or ""),
            reason=reason,
            analyst=analyst,
        )
    return r.to_dict()
