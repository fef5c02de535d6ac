"""Convert RDF terms between rdflib and pyoxigraph.

The store layer speaks rdflib to the rest of lgkg; only ``OxigraphStore``
needs pyoxigraph terms. Blank nodes keep their labels both ways (callers that
need fresh blank nodes relabel them, see :func:`to_ox_quads`).

>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import XSD
>>> to_rdflib(to_ox(Literal("2016-04", datatype=XSD.gYearMonth)))
rdflib.term.Literal('2016-04', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#gYearMonth'))
>>> to_ox(URIRef("https://w3id.org/lgkg/id/council/E09000028")).value
'https://w3id.org/lgkg/id/council/E09000028'
"""

from __future__ import annotations

import gc
import re
from collections.abc import Collection, Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import TIME, XSD
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_ox(term: Node) -> OxTerm:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(bnode_label(str(term)))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r} to a pyoxigraph term")


def to_rdflib(term: OxTerm | ox.DefaultGraph | None) -> Node | None:
    """A pyoxigraph term as an rdflib term (``None`` for unbound or the default graph)."""
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (XSD_STRING, RDF_LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"cannot convert {term!r} to an rdflib term")


MARK = "~"
"""Marks a text a query plan returns for lgkg to unmark (:mod:`lgkg.queries.plan`)."""


def unmarked(term: Node | None) -> Node | None:
    """A text marked with :data:`MARK` as the text itself (``None`` stays ``None``).

    >>> unmarked(Literal("~Kent"))
    rdflib.term.Literal('Kent')
    """
    if term is None:
        return None
    if not (isinstance(term, Literal) and term.startswith(MARK)):
        raise ValueError(f"a marked cell should be a text starting with {MARK!r}: {term!r}")
    return Literal(str.__str__(term)[len(MARK) :])


class _Converted(dict):
    """pyoxigraph term -> rdflib term, each converted once (``None`` -> ``None``)."""

    def __missing__(self, term: OxTerm) -> Node | None:
        value = self[term] = to_rdflib(term)
        return value


class _Unmarked(dict):
    """Like :class:`_Converted`, for the cells of a marked column."""

    def __missing__(self, term: OxTerm) -> Node | None:
        value = self[term] = unmarked(to_rdflib(term))
        return value


def rdflib_rows(
    solutions: Iterable[Iterable[OxTerm | None]], unmark: Collection[int] = ()
) -> list[list[Node | None]]:
    """Rows of pyoxigraph terms as rows of rdflib terms, each distinct term converted once;
    the cells of the columns at ``unmark`` are marked texts, returned :func:`unmarked`.

    Results repeat terms (a council, a status, a document's URL on each of its
    rows) and building an rdflib ``Literal`` costs a microsecond or more; rdflib
    terms are immutable, so rows share them. The garbage collector pauses while
    the rows are built: they hold no cycles, and its passes over a growing list of
    new objects would cost more than the conversion itself.

    >>> a = ox.Literal("x")
    >>> rows = rdflib_rows([(a, None), (a, ox.NamedNode("https://x.org/y"))])
    >>> rows[1]
    [rdflib.term.Literal('x'), rdflib.term.URIRef('https://x.org/y')]
    >>> rows[0][0] is rows[1][0], rows[0][1]
    (True, None)
    >>> rdflib_rows([(a, ox.Literal("~x"))], unmark={1})
    [[rdflib.term.Literal('x'), rdflib.term.Literal('x')]]
    """
    converted, marked = _Converted({None: None}), _Unmarked({None: None})
    memos: list[dict] = []
    rows: list[list[Node | None]] = []
    collecting = gc.isenabled()
    gc.disable()
    try:
        for solution in solutions:
            values = tuple(solution)
            if len(memos) != len(values):
                memos = [marked if i in unmark else converted for i in range(len(values))]
            rows.append(list(map(dict.__getitem__, memos, values)))
    finally:
        if collecting:
            gc.enable()
    return rows


def bnode_label(label: str) -> str:
    """A blank-node label pyoxigraph accepts (letters, digits, ``_``, ``-``, not leading ``-``)."""
    cleaned = "".join(c if c.isalnum() or c in "_-" else "_" for c in label)
    return cleaned if cleaned and cleaned[0] not in "-" else f"b{cleaned}"


def to_ox_quads(graph_iri: str, triples: Graph) -> Iterator[ox.Quad]:
    """The triples of ``triples`` as quads in graph ``graph_iri``, with fresh blank nodes.

    Each blank node gets a new store-wide unique label, so blank nodes of
    different documents never merge.
    """
    name = ox.NamedNode(graph_iri)
    fresh: dict[BNode, ox.BlankNode] = {}

    def conv(term: Node) -> OxTerm:
        if isinstance(term, BNode):
            if term not in fresh:
                fresh[term] = ox.BlankNode()
            return fresh[term]
        return to_ox(term)

    for s, p, o in triples:
        yield ox.Quad(conv(s), conv(p), conv(o), name)


def ntriples_body(quads: Iterable[ox.Quad]) -> str:
    """The triples of ``quads`` as lines for a SPARQL ``INSERT DATA`` block.

    pyoxigraph writes terms in N-Triples syntax, which SPARQL accepts as is.
    """
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


#: An ISO date at each precision: (pattern, XSD datatype, OWL-Time position property).
DATE_FORMS = (
    (re.compile(r"\d{4}"), XSD.gYear, TIME.inXSDgYear),
    (re.compile(r"\d{4}-(0[1-9]|1[0-2])"), XSD.gYearMonth, TIME.inXSDgYearMonth),
    (re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"), XSD.date, TIME.inXSDDate),
)


def date_form(value: str | None) -> tuple[URIRef, URIRef] | None:
    """(XSD datatype, OWL-Time position property) of an ISO date; None if not one."""
    for pattern, datatype, position in DATE_FORMS:
        if value and pattern.fullmatch(value):
            return datatype, position
    return None


def date_literal(value: str | None) -> Literal | None:
    """An ISO date at its precision as ``xsd:gYear``/``gYearMonth``/``date``; None if not one.

    >>> date_literal("2016").n3()
    '"2016"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    >>> date_literal("next April") is None
    True
    """
    form = date_form(value)
    return None if form is None else Literal(value, datatype=form[0])
