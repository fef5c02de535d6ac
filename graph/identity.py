"""One IRI per partnership across documents (``lgkg.graph.identity``).

A document graph names each partnership after the label the document gives
it (``id/partnership/{slug}``, :mod:`lgkg.graph.emit`), so documents calling
one partnership "Shared Technology Services" and "the Brent-Lewisham shared
IT service" would give it two IRIs. Before a document graph is written,
:class:`PartnershipIndex` resolves each of its partnerships against the
partnerships the store already holds:

1. **same name**: a label or alias of it, compared by :func:`~lgkg.graph.vocab.slug`
   (case, accents and punctuation aside), is a label or alias of a known
   partnership, or its IRI is a known partnership's IRI;
2. else **same service area and members**: the two share a service area
   (``other`` is not one) and at least two members, or, when either has a
   single member, every member of the new one is a member of the known one;
3. else it keeps its own IRI (a new partnership).

A partnership's members are the bodies acting in its events (forming,
joining, leaving, ending it or providing through it; a client served is not
one) and the members of its memberships. Among several candidates the one
with the most members in common wins, then the first IRI in sort order; a
name match beats a member match, and one known partnership is claimed by at
most one partnership of a document (the extractor tells a document's
partnerships apart already).

A matched partnership takes the known IRI throughout the graph and the known
partnership's label as its ``rdfs:label``, so every document names it alike
in query results; the names the document gave it become ``skos:altLabel``.
The resolved graph then joins the index (:meth:`PartnershipIndex.add`), so
documents later in the same run resolve to it too.

Resolution is incremental and never rewrites a stored graph: the first
document to describe a partnership names it, and what a later document says
(that it ended, who joined) lands on the same IRI. The IRI therefore depends
on the order documents are written: ``lgkg ingest`` writes them in the order
of its paths, on a Dask cluster too. Re-ingesting a document first forgets
what its own stored graph said (:meth:`PartnershipIndex.discard`), so it
resolves as before; retracting one document leaves a partnership to the
others that describe it.

Only the store's writers (:func:`lgkg.ingest.ingest`, ``lgkg ingest --dask``)
resolve. ``lgkg extract --format nquads`` has no store: its export holds
each document's graph as extracted, every partnership under its own label's
IRI, and a bulk loader (or ``lgkg.open(...).load``) writes such files as they are.

>>> name_key("The Brent–Lewisham Shared IT Service.")
'brent-lewisham-shared-it-service'
>>> PartnershipIndex().label(ID["partnership/anything"]) is None
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import ORG, SKOS
from rdflib.term import Node

from lgkg.graph.terms import to_rdflib
from lgkg.graph.vocab import ID, LGKG, service_area_iri, slug

if TYPE_CHECKING:
    from lgkg.graph.store import Store

PARTNERSHIP_BASE = str(ID["partnership/"])
DOC_BASE = str(ID["doc/"])
#: The catch-all service area: sharing it says nothing about being one partnership.
NO_AREA = service_area_iri("other")
#: Members in common that make two partnerships of one service area the same.
SHARED_MEMBERS = 2
_ARTICLE = "the-"

#: What every document graph says about its partnerships, one row per fact.
INDEX_QUERY = f"""
PREFIX lgkg: <{LGKG._NS}>
PREFIX org:  <{ORG}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
SELECT ?g ?p ?kind ?value WHERE {{
  GRAPH ?g {{
    ?p a org:OrganizationalCollaboration .
    {{ ?p rdfs:label ?value . BIND("label" AS ?kind) }}
    UNION {{ ?p skos:altLabel ?value . BIND("alias" AS ?kind) }}
    UNION {{ ?p lgkg:serviceArea ?value . BIND("area" AS ?kind) }}
    UNION {{
      ?e a lgkg:PartnershipEvent ; lgkg:partnership ?p ; lgkg:actor ?value .
      BIND("member" AS ?kind)
    }}
    UNION {{ ?m org:organization ?p ; org:member ?value . BIND("member" AS ?kind) }}
  }}
  FILTER(STRSTARTS(STR(?g), "{DOC_BASE}"))
}}
"""


def name_key(name: str) -> str:
    """What two names of a partnership must share to be the same name: the slug, no "the".

    >>> name_key("the shared service") == name_key("Shared Service")
    True
    """
    key = slug(name)
    return key[len(_ARTICLE) :] if key.startswith(_ARTICLE) else key


@dataclass
class Said:
    """What one document graph says about one partnership."""

    labels: set[str] = field(default_factory=set)
    aliases: set[str] = field(default_factory=set)
    areas: set[URIRef] = field(default_factory=set)
    members: set[URIRef] = field(default_factory=set)

    def names(self) -> set[str]:
        """Its labels and aliases as :func:`name_key` keys (empty keys left out)."""
        return {k for k in map(name_key, self.labels | self.aliases) if k}

    def merge(self, other: Said) -> None:
        """Add what ``other`` says."""
        self.labels |= other.labels
        self.aliases |= other.aliases
        self.areas |= other.areas
        self.members |= other.members


def partnerships_in(graph: Graph) -> dict[URIRef, Said]:
    """The partnerships a document graph describes, and what it says of each.

    Members are the actors of the partnership's events and the members of its
    memberships (see the module docstring).
    """
    found: dict[URIRef, Said] = {}
    for p in graph.subjects(RDF.type, ORG.OrganizationalCollaboration):
        if not isinstance(p, URIRef):
            continue
        said = found.setdefault(p, Said())
        said.labels |= {str(v) for v in graph.objects(p, RDFS.label)}
        said.aliases |= {str(v) for v in graph.objects(p, SKOS.altLabel)}
        said.areas |= {v for v in graph.objects(p, LGKG.serviceArea) if isinstance(v, URIRef)}
        for e in graph.subjects(LGKG.partnership, p):
            if (e, RDF.type, LGKG.PartnershipEvent) in graph:
                said.members |= {v for v in graph.objects(e, LGKG.actor) if isinstance(v, URIRef)}
        for m in graph.subjects(ORG.organization, p):
            said.members |= {v for v in graph.objects(m, ORG.member) if isinstance(v, URIRef)}
    return found


def document_of(graph: Graph) -> str:
    """The IRI of the document a document graph describes (which names the graph).

    ValueError unless the graph describes exactly one ``lgkg:SourceDocument``.
    """
    docs = {str(d) for d in graph.subjects(RDF.type, LGKG.SourceDocument)}
    if len(docs) != 1:
        raise ValueError(f"a document graph describes one document, not {len(docs)}")
    return docs.pop()


def members_match(new: set[URIRef], known: set[URIRef]) -> int:
    """How many members ``new`` shares with ``known`` when that makes them one; else 0.

    >>> a, b, c = (URIRef(f"https://x.org/{n}") for n in "abc")
    >>> members_match({a, b}, {a, b, c}), members_match({a}, {a, b}), members_match({a, c}, {a})
    (2, 1, 0)
    """
    shared = len(new & known)
    if shared >= SHARED_MEMBERS:
        return shared
    single = min(len(new), len(known)) == 1
    return shared if single and new and new <= known else 0


@dataclass(frozen=True, order=True)
class _Choice:
    """A candidate known partnership for one of a document's partnerships; the least wins."""

    by_members: bool  # a name match (False) beats a member match
    not_itself: bool  # the document's own IRI for it first
    fewer_shared: int  # minus the members in common
    target: str
    source: str


class PartnershipIndex:
    """The partnerships of a store's document graphs, by graph, name and member.

    Fill it with :meth:`load` (one SPARQL query, any backend), keep it in step
    with what is written with :meth:`resolve` (or :meth:`discard` and
    :meth:`add`), and ask :meth:`label`, :meth:`said` and :meth:`names`.
    """

    def __init__(self) -> None:
        self._by_graph: dict[str, dict[URIRef, Said]] = {}
        self._graphs_of: dict[URIRef, set[str]] = {}
        self._whole: dict[URIRef, Said] = {}  # said() by partnership, until a graph changes
        # lookups for candidates: may name partnerships no longer known (checked on use)
        self._by_name: dict[str, set[URIRef]] = {}
        self._by_member: dict[URIRef, set[URIRef]] = {}

    # -- filling ---------------------------------------------------------------

    @classmethod
    def load(cls, store: Store) -> PartnershipIndex:
        """The partnerships of every document graph in ``store``, in one SELECT."""
        index = cls()
        graphs: dict[str, dict[URIRef, Said]] = {}
        for g, p, kind, value in store.select(INDEX_QUERY)[1]:
            if not isinstance(p, URIRef) or g is None or value is None:
                continue
            said = graphs.setdefault(str(g), {}).setdefault(p, Said())
            if kind is not None and str(kind) in ("label", "alias"):
                (said.labels if str(kind) == "label" else said.aliases).add(str(value))
            elif isinstance(value, URIRef):
                (said.areas if str(kind) == "area" else said.members).add(value)
        for graph_iri, found in graphs.items():
            index._put(graph_iri, found)
        return index

    def add(self, graph: Graph, graph_iri: str | None = None) -> None:
        """Record the partnerships of a document graph (replacing what that graph said before).

        ``graph_iri`` defaults to the graph's document (:func:`document_of`).
        """
        graph_iri = document_of(graph) if graph_iri is None else graph_iri
        self.discard(graph_iri)
        self._put(graph_iri, partnerships_in(graph))

    def discard(self, graph_iri: str) -> None:
        """Forget what the document graph ``graph_iri`` said (it is replaced or retracted)."""
        for p in self._by_graph.pop(str(graph_iri), {}):
            self._whole.pop(p, None)
            graphs = self._graphs_of.get(p, set())
            graphs.discard(str(graph_iri))
            if not graphs:
                self._graphs_of.pop(p, None)

    def _put(self, graph_iri: str, found: Mapping[URIRef, Said]) -> None:
        if not found:
            return
        self._by_graph[graph_iri] = dict(found)
        for p, said in found.items():
            self._whole.pop(p, None)
            self._graphs_of.setdefault(p, set()).add(graph_iri)
            for key in (said.names() | {_iri_key(p)}) - {""}:
                self._by_name.setdefault(key, set()).add(p)
            for member in said.members:
                self._by_member.setdefault(member, set()).add(p)

    # -- reading ---------------------------------------------------------------

    def __len__(self) -> int:
        """The number of partnerships known."""
        return len(self._graphs_of)

    def __contains__(self, iri: object) -> bool:
        return iri in self._graphs_of

    def iris(self) -> list[URIRef]:
        """The partnerships known, sorted."""
        return sorted(self._graphs_of)

    def said(self, iri: URIRef) -> Said:
        """All the document graphs say about the partnership ``iri`` (empty if unknown).

        Shared with the index: do not change it.
        """
        whole = self._whole.get(iri)
        if whole is None:
            whole = Said()
            for graph_iri in self._graphs_of.get(iri, ()):
                whole.merge(self._by_graph[graph_iri][iri])
            if iri in self:
                self._whole[iri] = whole
        return whole

    def names(self, iri: URIRef) -> set[str]:
        """The :func:`name_key` keys a partnership answers to: its names and its IRI's."""
        return (self.said(iri).names() | {_iri_key(iri)}) - {""} if iri in self else set()

    def label(self, iri: URIRef) -> str | None:
        """The label a partnership goes by: the one its IRI was made from, else the least.

        None for a partnership not known.
        """
        said = self.said(iri)
        labels = sorted(said.labels) or sorted(said.aliases)
        if not labels:
            return None
        own = [label for label in labels if PARTNERSHIP_BASE + slug(label) == str(iri)]
        return (own or labels)[0]

    # -- resolving -------------------------------------------------------------

    def candidates(self, iri: URIRef, said: Said) -> Iterator[_Choice]:
        """The known partnerships a document's partnership ``iri`` could be, best first."""
        choices: list[_Choice] = []
        keys = (said.names() | {_iri_key(iri)}) - {""}
        near = {p for key in keys for p in self._by_name.get(key, ()) if p in self}
        named = {p for p in near if keys & self.names(p)}
        for p in named:
            shared = len(said.members & self.said(p).members)
            choices.append(_Choice(False, p != iri, -shared, str(p), str(iri)))
        areas = said.areas - {NO_AREA}
        if areas and said.members:
            near = {p for m in said.members for p in self._by_member.get(m, ()) if p in self}
            for p in sorted(near - named):
                known = self.said(p)
                shared = members_match(said.members, known.members)
                if shared and areas & known.areas:
                    choices.append(_Choice(True, p != iri, -shared, str(p), str(iri)))
        return iter(sorted(choices))

    def matches(self, graph: Graph) -> dict[URIRef, URIRef]:
        """Each partnership of ``graph`` that is a known one, and the known IRI it is.

        Name matches first, then member matches, best first; a known
        partnership goes to one partnership of the graph at most.
        """
        choices = sorted(
            choice
            for iri, said in sorted(partnerships_in(graph).items())
            for choice in self.candidates(iri, said)
        )
        chosen: dict[URIRef, URIRef] = {}
        taken: set[str] = set()
        for choice in choices:
            source = URIRef(choice.source)
            if source in chosen or choice.target in taken:
                continue
            chosen[source] = URIRef(choice.target)
            taken.add(choice.target)
        return chosen

    def rewrite(self, graph: Graph, chosen: Mapping[URIRef, URIRef]) -> Graph:
        """``graph`` with each partnership of ``chosen`` under its known IRI and label.

        The document's own names for it, when they differ from that label,
        become ``skos:altLabel``. Returns ``graph`` itself when nothing changes.
        """
        relabel: dict[URIRef, tuple[str, set[str]]] = {}
        unchanged = True
        for source, target in chosen.items():
            labels = {str(v) for v in graph.objects(source, RDFS.label)}
            names = labels | {str(v) for v in graph.objects(source, SKOS.altLabel)}
            label = self.label(target) or min(names)
            relabel[target] = (label, names)
            unchanged = unchanged and source == target and labels == {label}
        if unchanged:
            return graph
        out = Graph(namespace_manager=graph.namespace_manager)
        for s, p, o in graph:
            if s in chosen and p in (RDFS.label, SKOS.altLabel):
                continue
            out.add((chosen.get(s, s), p, _swap(o, chosen)))
        for target, (label, names) in relabel.items():
            out.add((target, RDFS.label, Literal(label)))
            for name in sorted(names - {label}):
                out.add((target, SKOS.altLabel, Literal(name)))
        return out

    def resolve(self, graph: Graph, graph_iri: str | None = None) -> Graph:
        """``graph`` with its partnerships resolved against the index, which then holds it.

        What the stored graph ``graph_iri`` (the graph's document by default)
        said before is forgotten first, so re-ingesting a document resolves it
        as before and never to partnerships only its old graph described.
        """
        graph_iri = document_of(graph) if graph_iri is None else graph_iri
        self.discard(graph_iri)
        resolved = self.rewrite(graph, self.matches(graph))
        self._put(graph_iri, partnerships_in(resolved))
        return resolved


class Resolver:
    """A store's :class:`PartnershipIndex`, loaded when the first graph is resolved.

    One per ingest run: every document graph written in the run goes
    through :meth:`resolve`, in the order it is written.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: PartnershipIndex | None = None

    @property
    def index(self) -> PartnershipIndex:
        """The index (loaded from the store on first use)."""
        if self._index is None:
            self._index = PartnershipIndex.load(self.store)
        return self._index

    def resolve(self, graph: Graph, graph_iri: str | None = None) -> Graph:
        """:meth:`PartnershipIndex.resolve` on the store's index."""
        return self.index.resolve(graph, graph_iri)


def nquads_graphs(data: bytes) -> list[tuple[str, Graph]]:
    """The named graphs of N-Quads ``data`` as rdflib graphs (fresh blank nodes), by name.

    ValueError if ``data`` is not N-Quads; default-graph quads are left out.
    """
    from lgkg.graph.store import named_graph_quads

    graphs: list[tuple[str, Graph]] = []
    for name, quads in sorted(named_graph_quads(data).items()):
        graph = Graph()
        for q in quads:
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        graphs.append((name, graph))
    return graphs


def _iri_key(iri: URIRef) -> str:
    text = str(iri)
    return name_key(text[len(PARTNERSHIP_BASE) :]) if text.startswith(PARTNERSHIP_BASE) else ""


def _swap(term: Node, chosen: Mapping[URIRef, URIRef]) -> Node:
    return chosen.get(term, term) if isinstance(term, URIRef) else term
