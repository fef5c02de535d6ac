"""The lgkg vocabulary, instance IRIs and the ontology files (``lgkg.graph.vocab``).

``LGKG`` lists every term of ``ontology/lgkg.ttl`` (a test keeps the two in
step); the helpers mint the instance IRIs that ``ontology/MODEL.md`` fixes.

>>> LGKG.Council
rdflib.term.URIRef('https://w3id.org/lgkg/ns#Council')
>>> council_iri("E09000028")
rdflib.term.URIRef('https://w3id.org/lgkg/id/council/E09000028')
>>> partnership_iri("Brent-Lewisham shared IT service")
rdflib.term.URIRef('https://w3id.org/lgkg/id/partnership/brent-lewisham-shared-it-service')
"""

from __future__ import annotations

import re
import unicodedata
from importlib.resources import files

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD, DefinedNamespace

from lgkg.extract.vocabulary import ACTIONS, GSS_CODE, STATUSES

ID = Namespace("https://w3id.org/lgkg/id/")
"""Instances: councils, bodies, partnerships, documents, facts, people."""

SCHEMA = Namespace("https://schema.org/")
"""schema.org, with the https IRIs the model uses."""

REFERENCE_GRAPH = URIRef("https://w3id.org/lgkg/id/graph/reference")
"""The named graph holding councils, service areas and the ontology."""

SERVICE_AREA_SCHEME = URIRef("https://w3id.org/lgkg/id/service-area")
"""The SKOS concept scheme of service areas."""

FACT_KINDS = ("event", "saving", "quote", "membership")
"""The kinds of fact node, the first path segment of a fact IRI."""

_DOC_ID = re.compile(r"[0-9a-f]{16}")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


class LGKG(DefinedNamespace):
    """The lgkg ontology, ``https://w3id.org/lgkg/ns#`` (``ontology/lgkg.ttl``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/lgkg/ns#")

    # Classes
    Council: URIRef  # a UK local authority (sub-class of org:FormalOrganization)
    PartnershipEvent: URIRef  # a body forming, joining, leaving, ending or providing
    SourceDocument: URIRef  # a document facts were extracted from (prov:Entity)
    Saving: URIRef  # money saved (schema:MonetaryAmount)
    Action: URIRef  # class of the action concepts (skos:Concept)
    Status: URIRef  # class of the status concepts (skos:Concept)

    # Concept schemes and their concepts
    ActionScheme: URIRef  # the five actions
    StatusScheme: URIRef  # the three statuses
    RoleScheme: URIRef  # the roles on a membership (org:role)
    Host: URIRef  # the member hosting or leading the partnership
    Client: URIRef  # a body buying the partnership's service, not a member
    Formed: URIRef  # action "formed": founding member of a new partnership
    Joined: URIRef  # action "joined": entered an existing partnership
    Left: URIRef  # action "left": withdrew or gave notice
    Ended: URIRef  # action "ended": the partnership was dissolved
    Provides: URIRef  # action "provides": serves a client body under contract
    Proposed: URIRef  # status "proposed": planned, not yet approved
    Agreed: URIRef  # status "agreed": approved, not yet in effect
    Done: URIRef  # status "done": in effect or completed

    # Councils (reference graph)
    shortName: URIRef  # the short name queries print ("Southwark")
    gssCode: URIRef  # current GSS code
    formerGssCode: URIRef  # superseded GSS code
    councilType: URIRef  # mySociety type code (LBO, NMD, ...)

    # Source documents
    fileName: URIRef  # base name of the file read
    contentHash: URIRef  # sha256 hex of the normalised text
    extractedAt: URIRef  # xsd:dateTime of extraction
    extractorVersion: URIRef  # lgkg version that extracted it

    # Fact provenance
    evidence: URIRef  # the evidence sentence
    evidenceStart: URIRef  # offset of its first character
    evidenceEnd: URIRef  # offset just past its last character
    confidence: URIRef  # xsd:decimal in [0, 1]
    extractionRule: URIRef  # id of the rule that produced the fact

    # Events
    action: URIRef  # event -> lgkg:Action
    actor: URIRef  # event -> council or other body
    partnership: URIRef  # event or saving -> org:OrganizationalCollaboration
    serviceArea: URIRef  # event or partnership -> service-area concept
    status: URIRef  # event or membership -> lgkg:Status
    date: URIRef  # when the event takes or took effect
    client: URIRef  # provides event -> the body served

    # Savings
    period: URIRef  # xsd:duration of the saving
    savedBy: URIRef  # saving -> the body that saves
    saidBy: URIRef  # saving -> the person who stated it

    # Quotations
    speaker: URIRef  # quotation -> schema:Person
    role: URIRef  # the speaker's post as given
    onBehalfOf: URIRef  # quotation -> the body spoken for

    # Analysts' corrections (graph/corrections.py)
    CorrectionGraph: URIRef  # the named graph of one document's corrections
    Correction: URIRef  # an analyst checking one fact (prov:Activity)
    Confirmation: URIRef  # the fact is right
    Rejection: URIRef  # the fact is wrong
    Change: URIRef  # one field of the fact gets a new value
    Addition: URIRef  # a fact the extractor missed
    correctsDocument: URIRef  # correction graph -> the document it corrects
    correctedFact: URIRef  # correction -> the fact it applies to
    factContent: URIRef  # the fact's fields as JSON when corrected (to match it again)
    correctedField: URIRef  # a change's field ("status", "council", ...)
    newValue: URIRef  # a change's new value, as gold files write it
    reason: URIRef  # why the analyst made the correction


#: The concept of each action and of each status: ``"formed"`` -> ``lgkg:Formed``, ...
ACTION_CONCEPTS: dict[str, URIRef] = {a: LGKG[a.capitalize()] for a in ACTIONS}
STATUS_CONCEPTS: dict[str, URIRef] = {s: LGKG[s.capitalize()] for s in STATUSES}

#: Prefixes every query may use without declaring them, and dumps use.
PREFIXES: dict[str, str] = {
    prefix: str(namespace)
    for prefix, namespace in (
        ("lgkg", LGKG._NS),
        ("id", ID),
        ("org", ORG),
        ("prov", PROV),
        ("time", TIME),
        ("skos", SKOS),
        ("schema", SCHEMA),
        ("dcterms", DCTERMS),
        ("owl", OWL),
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("xsd", XSD),
    )
}


def slug(text: str) -> str:
    """``text`` lower-cased and ASCII-folded, runs of other characters as ``-``.

    Accents are dropped (``â`` -> ``a``); any other character that is not an
    ASCII letter or digit, dashes and quotes included, separates words.

    >>> slug("Brent–Lewisham Shared IT (ICT) Service")
    'brent-lewisham-shared-it-ict-service'
    >>> slug("  Ynys Môn  ")
    'ynys-mon'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub("-", folded.lower()).strip("-")


def _slug_required(text: str, what: str) -> str:
    value = slug(text)
    if not value:
        raise ValueError(f"cannot make a {what} IRI from {text!r}: no letters or digits")
    return value


def council_iri(code: str) -> URIRef:
    """The IRI of the council with GSS code ``code``.

    >>> council_iri("W06000001")
    rdflib.term.URIRef('https://w3id.org/lgkg/id/council/W06000001')
    """
    if not GSS_CODE.fullmatch(code):
        raise ValueError(f"not a GSS code: {code!r}")
    return ID[f"council/{code}"]


def org_iri(name: str) -> URIRef:
    """The IRI of a body that is not a UK council.

    >>> org_iri("Local Government Association")
    rdflib.term.URIRef('https://w3id.org/lgkg/id/org/local-government-association')
    """
    return ID[f"org/{_slug_required(name, 'organisation')}"]


def person_iri(name: str) -> URIRef:
    """The IRI of a person, from their name without titles.

    >>> person_iri("Fiona Colley")
    rdflib.term.URIRef('https://w3id.org/lgkg/id/person/fiona-colley')
    """
    return ID[f"person/{_slug_required(name, 'person')}"]


def partnership_iri(label: str) -> URIRef:
    """The IRI of the partnership labelled ``label``."""
    return ID[f"partnership/{_slug_required(label, 'partnership')}"]


def service_area_iri(code: str) -> URIRef:
    """The IRI of a service-area concept (``code`` as in docs/contract.md, "Service areas").

    >>> service_area_iri("revenues-benefits")
    rdflib.term.URIRef('https://w3id.org/lgkg/id/service-area/revenues-benefits')
    """
    if not code or slug(code) != code:
        raise ValueError(f"not a service-area code: {code!r}")
    return ID[f"service-area/{code}"]


def doc_iri(doc_id: str) -> URIRef:
    """The IRI of a source document, which also names its graph.

    >>> doc_iri("0123456789abcdef")
    rdflib.term.URIRef('https://w3id.org/lgkg/id/doc/0123456789abcdef')
    """
    if not _DOC_ID.fullmatch(doc_id):
        raise ValueError(f"not a document id (16 lower-case hex digits): {doc_id!r}")
    return ID[f"doc/{doc_id}"]


def description_iri(doc_id: str, n: int) -> URIRef:
    """The IRI of the ``n``-th (1-based) partnership document ``doc_id`` describes: that
    partnership as the document tells it (:mod:`lgkg.graph.identity` resolves it).

    >>> description_iri("0123456789abcdef", 1)
    rdflib.term.URIRef('https://w3id.org/lgkg/id/description/0123456789abcdef-1')
    """
    if not _DOC_ID.fullmatch(doc_id):
        raise ValueError(f"not a document id (16 lower-case hex digits): {doc_id!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"description number must be a positive integer, not {n!r}")
    return ID[f"description/{doc_id}-{n}"]


def fact_iri(kind: str, doc_id: str, n: int) -> URIRef:
    """The IRI of the ``n``-th (1-based) fact of ``kind`` in document ``doc_id``.

    >>> fact_iri("event", "0123456789abcdef", 2)
    rdflib.term.URIRef('https://w3id.org/lgkg/id/event/0123456789abcdef-2')
    """
    if kind not in FACT_KINDS:
        raise ValueError(f"unknown fact kind {kind!r}; expected one of {FACT_KINDS}")
    if not _DOC_ID.fullmatch(doc_id):
        raise ValueError(f"not a document id (16 lower-case hex digits): {doc_id!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"fact number must be a positive integer, not {n!r}")
    return ID[f"{kind}/{doc_id}-{n}"]


def corrections_graph_iri(doc_id: str) -> URIRef:
    """The IRI of the graph holding the analysts' corrections of document ``doc_id``.

    >>> corrections_graph_iri("0123456789abcdef")
    rdflib.term.URIRef('https://w3id.org/lgkg/id/doc/0123456789abcdef/corrections')
    """
    return URIRef(f"{doc_iri(doc_id)}/corrections")


def correction_iri(doc_id: str, n: int) -> URIRef:
    """The IRI of the ``n``-th (1-based) correction of document ``doc_id``.

    >>> correction_iri("0123456789abcdef", 2)
    rdflib.term.URIRef('https://w3id.org/lgkg/id/correction/0123456789abcdef-2')
    """
    if not _DOC_ID.fullmatch(doc_id):
        raise ValueError(f"not a document id (16 lower-case hex digits): {doc_id!r}")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"correction number must be a positive integer, not {n!r}")
    return ID[f"correction/{doc_id}-{n}"]


def analyst_iri(name: str) -> URIRef:
    """The IRI of the person who made corrections, from their name.

    >>> analyst_iri("Jo Smith")
    rdflib.term.URIRef('https://w3id.org/lgkg/id/analyst/jo-smith')
    """
    return ID[f"analyst/{_slug_required(name, 'analyst')}"]


def corrected_fact_iri(kind: str, doc_id: str, tag: str, n: int) -> URIRef:
    """The IRI of a fact a correction states: ``tag`` ``"r"`` for fact ``n`` of the
    extraction as corrected, ``"a"`` for the fact correction ``n`` added.

    >>> corrected_fact_iri("event", "0123456789abcdef", "r", 3)
    rdflib.term.URIRef('https://w3id.org/lgkg/id/event/0123456789abcdef-r3')
    """
    if tag not in ("r", "a"):
        raise ValueError(f"tag must be 'r' (revised) or 'a' (added), not {tag!r}")
    return URIRef(f"{fact_iri(kind, doc_id, n)[: -len(str(n))]}{tag}{n}")


def _ontology_file(name: str) -> str:
    return (files("lgkg.ontology") / name).read_text(encoding="utf-8")


def ontology_graph() -> Graph:
    """A new graph holding the ontology (lgkg.ttl) and the service-area scheme."""
    graph = Graph()
    for name in ("lgkg.ttl", "service-areas.ttl"):
        graph.parse(data=_ontology_file(name), format="turtle")
    return graph


def shapes_graph() -> Graph:
    """A new graph holding the SHACL shapes (shapes.ttl)."""
    return Graph().parse(data=_ontology_file("shapes.ttl"), format="turtle")
