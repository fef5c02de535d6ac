"""The store interface and what every backend shares.

:class:`Store` is what lgkg needs from a quad store; the backends of
:mod:`lgkg.graph.store` and :mod:`lgkg.graph.remote` implement it on
:class:`_BaseStore`. Both modules build on this one and ``remote`` never
imports ``store`` (only :func:`~lgkg.graph.store.open_store` picks a
backend). Everything here is also importable from :mod:`lgkg.graph.store`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from lgkg.graph.lookup import Lookup, NameLookup
from lgkg.graph.terms import to_rdflib
from lgkg.graph.vocab import PREFIXES as PREFIXES
from lgkg.graph.vocab import slug

Rows = list[list[Node | None]]

#: The predicate on the reference graph's own IRI that records its version.
REFERENCE_VERSION_PREDICATE = str(OWL.versionInfo)


class StoreError(Exception):
    """A store could not be opened, read or written."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or refuses the client; trying each document again won't help."""


@runtime_checkable
class Store(Lookup, Protocol):
    """What lgkg needs from a quad store. Graph IRIs are plain strings.

    A store also looks up the names a named query's parameters give
    (:class:`~lgkg.graph.lookup.Lookup`).
    """

    def replace_graph(self, graph_iri: str, triples: Graph) -> None:
        """Drop ``graph_iri`` and insert ``triples`` into it, in one transaction."""

    def replace_graphs(self, items: Iterable[tuple[str, Graph]]) -> None:
        """Replace many graphs in one transaction (the last item wins for a repeated IRI)."""

    def load_quads(self, data: bytes) -> list[str]:
        """Replace the named graphs of N-Quads ``data`` in one transaction; their IRIs, sorted.

        Each named graph in ``data`` replaces the store's graph of that name
        (as :meth:`replace_graphs`, blank nodes fresh); default-graph triples are ignored.
        """

    def drop_graph(self, graph_iri: str) -> bool:
        """Remove a graph; True if it held triples."""

    def has_graph(self, graph_iri: str) -> bool:
        """True if the graph holds at least one triple."""

    def graph_value(self, graph_iri: str, predicate: str) -> str | None:
        """The value of ``<graph_iri> <predicate> ?v`` inside that graph (the least if several)."""

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        unmark: Collection[str] = (),
    ) -> tuple[list[str], Rows]:
        """Run a SELECT; columns in order, rows of rdflib terms (``None`` when unbound).

        ``bindings`` fix variables to terms before evaluation (rdflib
        ``initBindings``, Oxigraph ``substitutions``). Bind only variables that
        occur in triple patterns and are projected (Oxigraph requires the latter).
        The cells of the columns named in ``unmark`` are texts marked with
        :data:`~lgkg.graph.terms.MARK` (query plans, :mod:`lgkg.queries.plan`) and
        come back without the mark.
        """

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        """Run an ASK."""

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        """Run a CONSTRUCT or DESCRIBE."""

    def query_raw(self, query: str, result_format: str) -> bytes:
        """Run any query and serialise its result (the names of :mod:`lgkg.graph.formats`'s
        ``RESULT_FORMATS`` and ``GRAPH_FORMATS``)."""

    def dump(self, fmt: str = "nquads") -> bytes:
        """The whole store as nquads, trig, turtle (the union of all graphs) or jsonld."""

    def count(self) -> int:
        """The number of quads."""

    def graphs(self) -> list[str]:
        """The named graphs holding triples, sorted."""

    def ensure_reference(self) -> None:
        """Write the reference graph if it is missing or of another version."""

    def close(self) -> None:
        """Release the store."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


_NAMES = NameLookup()
# org: and skos: are among the PREFIXES every store declares for its queries
_IS_PARTNERSHIP = "ASK { GRAPH ?g { ?p a org:OrganizationalCollaboration } }"
# a document's own label or name for a partnership names the entity it resolves to
_ALIASES = """SELECT DISTINCT ?p ?alias WHERE {
  GRAPH ?g { ?d a org:OrganizationalCollaboration ; rdfs:label|skos:altLabel ?alias }
  OPTIONAL { GRAPH ?r { ?d prov:specializationOf ?e } }
  BIND(COALESCE(?e, ?d) AS ?p)
} ORDER BY ?p"""


class _BaseStore:
    """Behaviour both backends share."""

    read_only = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the store."""

    def replace_graph(self, graph_iri: str, triples: Graph) -> None:
        self.replace_graphs([(graph_iri, triples)])

    def replace_graphs(self, items: Iterable[tuple[str, Graph]]) -> None:
        raise NotImplementedError

    def load_quads(self, data: bytes) -> list[str]:
        """Parse to rdflib graphs and replace them (:func:`load_dataset`)."""
        return load_dataset(self, data, "nquads")

    def graph_value(self, graph_iri: str, predicate: str) -> str | None:
        raise NotImplementedError

    def ensure_reference(self) -> None:
        """Write the reference graph when its stored version differs from ``REFERENCE_VERSION``."""
        from lgkg.graph.reference import REFERENCE_VERSION, reference_nquads
        from lgkg.graph.vocab import REFERENCE_GRAPH

        graph_iri = str(REFERENCE_GRAPH)
        if self.graph_value(graph_iri, REFERENCE_VERSION_PREDICATE) == REFERENCE_VERSION:
            return
        if self.read_only:
            return
        self.load_quads(reference_nquads())

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError("the store is open read-only")

    # -- looking names up (:class:`~lgkg.graph.lookup.Lookup`) -------------

    def lookup_council(self, text: str) -> URIRef | None:
        """The council a GSS code or a name names, by the gazetteer (as :class:`NameLookup`)."""
        return _NAMES.lookup_council(text)

    def council_names(self) -> list[str]:
        return _NAMES.council_names()

    def lookup_partnership(self, name: str) -> URIRef | None:
        """The partnership ``name`` names here: the IRI of that label when it is a stored
        partnership's, else the partnership a document calls ``name`` (by its label or
        one of its names; the entity it resolves to, :mod:`lgkg.graph.identity`),
        else the IRI of that label."""
        iri = _NAMES.lookup_partnership(name)
        if iri is None or self.ask(_IS_PARTNERSHIP, {"p": iri}):
            return iri
        key = slug(name)
        for partnership, alias in self.select(_ALIASES)[1]:
            if slug(str(alias)) == key:
                return partnership
        return iri


def column_indexes(columns: Sequence[str], names: Collection[str]) -> set[int]:
    """Where the columns ``names`` are among a result's ``columns``.

    >>> sorted(column_indexes(["a", "b", "c"], ["c", "a"]))
    [0, 2]
    """
    missing = [name for name in names if name not in columns]
    if missing:
        raise ValueError(f"the result has no column {missing[0]!r}; it has {' '.join(columns)}")
    return {columns.index(name) for name in names}


def _dedupe(items: Iterable[tuple[str, Graph]]) -> dict[str, Graph]:
    merged: dict[str, Graph] = {}
    for graph_iri, triples in items:
        merged[str(graph_iri)] = triples
    return merged


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(line for line in data.decode("utf-8").splitlines() if line.strip())
    return "".join(line + "\n" for line in lines).encode("utf-8")


def _ox_union(triples: Iterable[ox.Triple]) -> Graph:
    graph = Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


def load_dataset(store: Store, data: bytes | str, fmt: str = "trig") -> list[str]:
    """Load the named graphs of an RDF dataset (TriG or N-Quads) into ``store``.

    Each named graph replaces the store's graph of that name, all in one
    transaction; triples in the default graph are ignored. Returns the graph IRIs.
    """
    ds = Dataset()
    ds.parse(data=data, format=fmt)
    items = [
        (str(g.identifier), g)
        for g in ds.graphs()
        if g.identifier != ds.default_graph.identifier and len(g)
    ]
    store.replace_graphs(items)
    return sorted(name for name, _ in items)
