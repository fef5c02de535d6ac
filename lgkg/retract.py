"""Naming a document to retract: its IRI, its 16-hex id, its URL or its file.

A file is read and cleaned exactly as ingest reads it (front matter
included, no NLP) so it names the same graph; a URL names the graph of the
document ingested from that URL, without fetching it.

>>> doc_graph("0123456789ABCDEF")
'https://w3id.org/lgkg/id/doc/0123456789abcdef'
>>> doc_graph("https://w3id.org/lgkg/id/doc/0123456789abcdef")
'https://w3id.org/lgkg/id/doc/0123456789abcdef'
>>> doc_graph("https://example.org/news/1") == doc_graph("https://example.org/news/1")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Graph

from lgkg.extract.sources import SourceDoc, is_url, read_source
from lgkg.graph.identity import Resolver
from lgkg.graph.store import Store
from lgkg.graph.vocab import doc_iri
from lgkg.ingest import source_meta

_DOC_ID = re.compile(r"[0-9a-fA-F]{16}")


def doc_graph(ref: str) -> str:
    """The graph IRI of the document ``ref`` names.

    Raises :class:`~lgkg.extract.errors.BadInput` when ``ref`` is a file that
    cannot be read.
    """
    base = str(doc_iri("0" * 16))[:-16]
    if ref.startswith(base) and _DOC_ID.fullmatch(ref[len(base) :]):
        return ref
    if _DOC_ID.fullmatch(ref):
        return str(doc_iri(ref.lower()))
    if is_url(ref):
        return str(doc_iri(source_meta(SourceDoc(name=ref, raw="", url=ref)).doc_id))
    return str(doc_iri(source_meta(read_source(ref)).doc_id))


def retract(store: Store, graph_iri: str, also: Iterable[str] = ()) -> bool:
    """Drop document graph ``graph_iri`` (and the graphs ``also`` names) and re-resolve the
    partnerships it described (:mod:`lgkg.graph.identity`), in one transaction.

    False, and nothing dropped, if the store has no such graph.
    """
    if not store.has_graph(graph_iri):
        return False
    changes = Resolver(store).changes(dropped_docs=[graph_iri])
    drops = [(iri, Graph()) for iri in (graph_iri, *also)]
    store.replace_graphs([*drops, *changes])
    return True
