"""Extraction split across machines: shards of a collection and per-document N-Quads.

``lgkg extract DIR --format nquads --shard i/n`` runs on n machines, each
taking the documents whose id falls in its shard (a stable hash of the
document id, so every machine agrees without talking to the others), and
writes each document's graph as N-Quads in its named graph. Any store's
bulk loader takes the files; blank nodes get fresh labels per document, so
files from different shards never share one.

>>> Shard.parse("2/3")
Shard(index=2, count=3)
>>> shard_of("0123456789abcdef", 3) in (1, 2, 3)
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from lgkg.extract.clean import CleanText
from lgkg.extract.errors import BadInput
from lgkg.extract.records import Extraction

_SHARD = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


def shard_of(key: str, count: int) -> int:
    """The shard (1 to ``count``) of a document id: the sha256 of the id, modulo ``count``."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based: ``1/4`` to ``4/4``)."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"i/n"`` with 1 ≤ i ≤ n; ValueError otherwise.

        >>> Shard.parse("0/4")
        Traceback (most recent call last):
        ...
        ValueError: shard '0/4': need i/n with 1 <= i <= n (e.g. 1/4)
        """
        m = _SHARD.fullmatch(text)
        if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
            raise ValueError(f"shard {text!r}: need i/n with 1 <= i <= n (e.g. 1/4)")
        return cls(int(m.group(1)), int(m.group(2)))

    def holds(self, doc_id: str) -> bool:
        """True if the document ``doc_id`` belongs to this shard."""
        return shard_of(doc_id, self.count) == self.index


def in_shard(
    items: Iterable[CleanText | BadInput], shard: Shard | None
) -> Iterator[CleanText | BadInput]:
    """The cleaned documents of ``shard`` (all when None), by document id (no NLP needed).

    A document that cannot be read has no id: the shard of its name reports it.
    """
    for item in items:
        if shard is None:
            yield item
        elif isinstance(item, BadInput):
            if shard.holds(item.document):
                yield item
        elif shard.holds(item.meta.doc_id):
            yield item


def document_nquads(x: Extraction) -> bytes:
    """One document's graph as N-Quads in its named graph, with fresh blank-node labels."""
    from lgkg.graph.emit import doc_graph_iri, extraction_graph
    from lgkg.graph.terms import to_ox_quads

    quads = to_ox_quads(str(doc_graph_iri(x)), extraction_graph(x))
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
