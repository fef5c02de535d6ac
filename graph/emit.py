"""Extraction records to RDF: the triples of one document graph (ontology/MODEL.md).

The only place that knows how records become triples. IRIs are
deterministic (same extraction, same graph), and so are the labels of the
blank nodes of membership intervals, so two runs serialise identically.

>>> from lgkg.extract.records import DocumentMeta, Extraction
>>> x = Extraction(DocumentMeta("0123456789abcdef", None, "T", "2016-04", "a.txt", "ff"), "")
>>> str(doc_graph_iri(x))
'https://w3id.org/lgkg/id/doc/0123456789abcdef'
>>> date_literal("2016-04").datatype == XSD.gYearMonth
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS, TIME, XSD
from rdflib.term import Node

from lgkg.extract.records import Body, Event, Evidence, Extraction, Quote, Saving
from lgkg.extract.vocabulary import AGREED, DONE, ENDED, LEFT, MEMBER_ACTIONS, PROVIDES
from lgkg.graph.terms import date_form, date_literal
from lgkg.graph.vocab import (
    ACTION_CONCEPTS,
    LGKG,
    SCHEMA,
    STATUS_CONCEPTS,
    council_iri,
    description_iri,
    doc_iri,
    fact_iri,
    org_iri,
    person_iri,
    service_area_iri,
)


def decimal_literal(value: Decimal | float | int) -> Literal:
    """A plain ``xsd:decimal`` (never exponent notation).

    >>> decimal_literal(Decimal("1E+6")).n3()
    '"1000000"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    text = format(Decimal(str(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".") or "0"
    return Literal(text, datatype=XSD.decimal)


def confidence_literal(value: float) -> Literal:
    """A confidence in [0, 1] as an ``xsd:decimal`` with at most 4 decimal places."""
    clamped = min(max(float(value), 0.0), 1.0)
    return decimal_literal(Decimal(f"{clamped:.4f}"))


def doc_graph_iri(x: Extraction) -> URIRef:
    """The IRI of the document, which also names its graph."""
    return URIRef(doc_iri(x.doc.doc_id))


class _Emitter:
    """Builds one document graph; keeps track of the bodies and partnerships it has described."""

    def __init__(self, x: Extraction) -> None:
        self.x = x
        self.doc = doc_graph_iri(x)
        self.g = Graph()
        self._partnerships: dict[URIRef, str | None] = {}
        self._numbers = description_numbers(x)

    def add(self, s: URIRef | BNode, p: URIRef, o: URIRef | BNode | Literal) -> None:
        self.g.add((s, p, o))

    # -- nodes -------------------------------------------------------------

    def body(self, body: Body) -> URIRef:
        """A council's IRI (described in the reference graph) or an org, described here."""
        if body.code:
            return URIRef(council_iri(body.code))
        iri = URIRef(org_iri(body.name))
        self.add(iri, RDF.type, ORG.Organization)
        self.add(iri, RDFS.label, Literal(body.name))
        return iri

    def person(self, name: str) -> URIRef:
        iri = URIRef(person_iri(name))
        self.add(iri, RDF.type, SCHEMA.Person)
        self.add(iri, RDF.type, PROV.Agent)
        self.add(iri, SCHEMA.name, Literal(name))
        return iri

    def partnership(self, label: str, service_area: str = "", names: Iterable[str] = ()) -> URIRef:
        """The document's description of the partnership it calls ``label`` (MODEL.md):
        ``rdfs:label`` that label, ``skos:altLabel`` each name the text gives it."""
        iri = URIRef(description_iri(self.x.doc.doc_id, self._numbers[label]))
        if iri not in self._partnerships:
            self._partnerships[iri] = label
            self.add(iri, RDF.type, ORG.OrganizationalCollaboration)
            self.add(iri, RDFS.label, Literal(label))
            self.add(iri, PROV.wasDerivedFrom, self.doc)
        for name in names:
            if name:
                self.add(iri, SKOS.altLabel, Literal(name))
        if service_area and not any(self.g.objects(iri, LGKG.serviceArea)):
            self.add(iri, LGKG.serviceArea, URIRef(service_area_iri(service_area)))
        return iri

    def fact(self, kind: str, n: int, evidence: Evidence, confidence: float, rule: str) -> URIRef:
        iri = URIRef(fact_iri(kind, self.x.doc.doc_id, n))
        self.add(iri, PROV.wasDerivedFrom, self.doc)
        self.add(iri, LGKG.evidence, Literal(evidence.sentence))
        self.add(iri, LGKG.evidenceStart, Literal(int(evidence.start)))
        self.add(iri, LGKG.evidenceEnd, Literal(int(evidence.end)))
        self.add(iri, LGKG.confidence, confidence_literal(confidence))
        self.add(iri, LGKG.extractionRule, Literal(rule))
        return iri

    # -- records -----------------------------------------------------------

    def document(self) -> None:
        meta, doc = self.x.doc, self.doc
        self.add(doc, RDF.type, LGKG.SourceDocument)
        if meta.url:
            self.add(doc, SCHEMA.url, URIRef(meta.url))
        if meta.file_name:
            self.add(doc, LGKG.fileName, Literal(meta.file_name))
        if meta.title:
            self.add(doc, DCTERMS.title, Literal(meta.title))
        issued = date_literal(meta.published)
        if issued is not None:
            self.add(doc, DCTERMS.issued, issued)
        self.add(doc, LGKG.contentHash, Literal(meta.content_hash))
        if self.x.extracted_at:
            self.add(doc, LGKG.extractedAt, Literal(self.x.extracted_at, datatype=XSD.dateTime))
        if self.x.extractor_version:
            self.add(doc, LGKG.extractorVersion, Literal(self.x.extractor_version))

    def event(self, n: int, e: Event) -> None:
        iri = self.fact("event", n, e.evidence, e.confidence, e.rule)
        self.add(iri, RDF.type, LGKG.PartnershipEvent)
        self.add(iri, LGKG.action, ACTION_CONCEPTS[e.action])
        self.add(iri, LGKG.actor, self.body(e.body))
        self.add(iri, LGKG.partnership, self.partnership(e.partnership, e.service_area))
        if e.service_area:
            self.add(iri, LGKG.serviceArea, URIRef(service_area_iri(e.service_area)))
        self.add(iri, LGKG.status, STATUS_CONCEPTS[e.status])
        when = date_literal(e.date)
        if when is not None:
            self.add(iri, LGKG.date, when)
        if e.action == PROVIDES and e.client is not None:
            self.add(iri, LGKG.client, self.body(e.client))

    def membership(self, n: int, e: Event, end: str | None, host: bool = False) -> None:
        iri = self.fact("membership", n, e.evidence, e.confidence, e.rule)
        self.add(iri, RDF.type, ORG.Membership)
        self.add(iri, ORG.member, self.body(e.body))
        self.add(iri, ORG.organization, self.partnership(e.partnership, e.service_area))
        self.add(iri, LGKG.status, STATUS_CONCEPTS[e.status])
        if host:
            self.add(iri, ORG.role, LGKG.Host)
        interval = BNode(f"{self.x.doc.doc_id}-membership-{n}-during")
        membership_interval(self.add, iri, interval, e.date, end)

    def client(self, n: int, e: Event) -> None:
        """The client a ``provides`` event serves, on a membership of role lgkg:Client."""
        assert e.client is not None
        iri = self.fact("membership", n, e.evidence, e.confidence, e.rule)
        self.add(iri, RDF.type, ORG.Membership)
        self.add(iri, ORG.member, self.body(e.client))
        self.add(iri, ORG.organization, self.partnership(e.partnership, e.service_area))
        self.add(iri, LGKG.status, STATUS_CONCEPTS[e.status])
        self.add(iri, ORG.role, LGKG.Client)

    def saving(self, n: int, s: Saving) -> None:
        iri = self.fact("saving", n, s.evidence, s.confidence, s.rule)
        self.add(iri, RDF.type, LGKG.Saving)
        self.add(iri, RDF.type, SCHEMA.MonetaryAmount)
        self.add(iri, SCHEMA.value, decimal_literal(s.amount))
        self.add(iri, SCHEMA.currency, Literal(s.currency))
        if s.period:
            self.add(iri, LGKG.period, Literal(s.period, datatype=XSD.duration))
        if s.who is not None:
            self.add(iri, LGKG.savedBy, self.body(s.who))
        if s.partnership:
            self.add(iri, LGKG.partnership, self.partnership(s.partnership))
        if s.speaker:
            self.add(iri, LGKG.saidBy, self.person(s.speaker))

    def quote(self, n: int, q: Quote) -> None:
        iri = self.fact("quote", n, q.evidence, q.confidence, q.rule)
        self.add(iri, RDF.type, SCHEMA.Quotation)
        self.add(iri, LGKG.speaker, self.person(q.speaker))
        if q.role:
            self.add(iri, LGKG.role, Literal(q.role))
        if q.organisation is not None:
            self.add(iri, LGKG.onBehalfOf, self.body(q.organisation))
        self.add(iri, SCHEMA.text, Literal(q.text))


def description_numbers(x: Extraction) -> dict[str, int]:
    """The number of each partnership label of a document (its description's IRI,
    :func:`~lgkg.graph.vocab.description_iri`): its partnerships in order, then any
    other label its events or savings give, as they come.

    >>> from lgkg.extract.records import DocumentMeta, Partnership
    >>> meta = DocumentMeta("0123456789abcdef", None, None, None, None, "ff")
    >>> description_numbers(Extraction(meta, "", partnerships=(Partnership("A", "ict"),)))
    {'A': 1}
    """
    numbers: dict[str, int] = {}
    labels = [p.label for p in x.partnerships] + [e.partnership for e in x.events]
    for label in labels + [s.partnership for s in x.savings if s.partnership]:
        numbers.setdefault(label, len(numbers) + 1)
    return numbers


def membership_end(event: Event, events: Iterable[Event]) -> str | None:
    """When the membership begun by ``event`` ends, per the same document (MODEL.md).

    An ``agreed`` or ``done`` ``left`` event of the same body and partnership
    ends it; else such an ``ended`` event of the partnership (the same body's
    first, else any member's); dated events first. Returns that event's date,
    ``""`` when it has none (ended, date unknown), or ``None`` when nothing ends it.
    """
    final = [e for e in events if e.partnership == event.partnership and e.status in (AGREED, DONE)]
    left = [e for e in final if e.action == LEFT and e.body == event.body]
    ended = [e for e in final if e.action == ENDED]
    for candidates in (left, [e for e in ended if e.body == event.body], ended):
        if candidates:
            return sorted(candidates, key=lambda e: not e.date)[0].date
    return None


def extraction_graph(x: Extraction) -> Graph:
    """The triples of one document graph (ontology/MODEL.md, "Document graph").

    Facts are numbered from 1 per kind in record order; one membership per
    ``formed`` or ``joined`` event, ended by :func:`membership_end` (``org:role``
    lgkg:Host where the document says the body hosts the partnership), then one of
    role lgkg:Client for the body each ``provides`` event serves.
    """
    em = _Emitter(x)
    em.document()
    for p in x.partnerships:
        em.partnership(p.label, p.service_area, p.names)
    for n, e in enumerate(x.events, 1):
        em.event(n, e)
    members = [e for e in x.events if e.action in MEMBER_ACTIONS]
    hosts = {(r.body, r.partnership) for r in x.roles if r.role == "host"}
    for n, e in enumerate(members, 1):
        em.membership(n, e, membership_end(e, x.events), (e.body, e.partnership) in hosts)
    served = [e for e in x.events if e.action == PROVIDES and e.client is not None]
    for n, e in enumerate(served, len(members) + 1):
        em.client(n, e)
    for n, s in enumerate(x.savings, 1):
        em.saving(n, s)
    for n, q in enumerate(x.quotes, 1):
        em.quote(n, q)
    return em.g


def membership_interval(
    add: Callable[[Node, Node, Node], None],
    membership: URIRef,
    interval: BNode,
    begin: str,
    end: str | None,
) -> None:
    """State ``membership``'s OWL-Time interval through ``add``: an instant at ``begin``
    and one at ``end`` when they are dates; an end known to have happened (``end`` given
    but no date) keeps a bare instant."""
    add(membership, ORG.memberDuring, interval)
    add(interval, RDF.type, TIME.Interval)
    for link, value in ((TIME.hasBeginning, begin), (TIME.hasEnd, end)):
        form = date_form(value)
        if form is None and (link == TIME.hasBeginning or end is None):
            continue
        instant = BNode(f"{interval}-{'begin' if link == TIME.hasBeginning else 'end'}")
        add(interval, link, instant)
        add(instant, RDF.type, TIME.Instant)
        if form is not None:
            add(instant, form[1], Literal(value, datatype=form[0]))
