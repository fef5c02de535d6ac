"""Analysts' corrections of a document's facts: their RDF, and the facts they leave.

An analyst confirms a fact, rejects it (saying why), changes one of its
fields, or adds a fact the extractor missed, citing its sentence. The
document's own graph (``id:doc/{h}``, written by extraction) is never edited:
the corrections of a document live in the named graph
``id:doc/{h}/corrections`` (ontology/MODEL.md, "Correction graph"), which holds

- each correction (``id:correction/{h}-{n}``, an ``lgkg:Correction``: who,
  when, why, which fact, and the fact's content when it was corrected);
- the facts as the corrections leave them: an extracted fact a correction
  removes or replaces is ``prov:wasInvalidatedBy`` it, and the graph states
  the changed fact again (``id:event/{h}-r{n}`` for event ``n``,
  ``prov:wasRevisionOf`` it) and every added one (``id:event/{h}-a{k}`` for
  correction ``k``), with the memberships that follow from the events;
- what those facts need to be read like extracted ones: the partnerships,
  bodies and people they name, and the document's URL, file name and date.

The named queries read every graph and leave out invalidated facts, so they
show the corrected facts. Nothing here opens a store: :func:`apply_corrections`
takes the document graph and the corrections (:func:`read_corrections`) and
gives the corrections graph anew, so re-ingesting a document re-applies its
corrections to the new extraction by matching each one's fact content
(:data:`MATCH_TIERS`); those that match nothing are reported and kept.

Fact contents are dicts of text in the form of the gold annotations
(docs/contract.md): ``council`` is a GSS code or a body's name, ``action`` a
code, ``date`` an ISO date, and so on.

>>> from rdflib import RDFS
>>> event, shared_it = ID["event/0123456789abcdef-1"], ID["partnership/shared-it"]
>>> x = Graph()
>>> for p, o in [(RDF.type, LGKG.PartnershipEvent), (LGKG.actor, ID["council/E09000005"]),
...              (LGKG.action, LGKG.Formed), (LGKG.status, LGKG.Agreed),
...              (LGKG.partnership, shared_it), (LGKG.evidence, Literal("Brent formed it."))]:
...     _ = x.add((event, p, o))
>>> _ = x.add((shared_it, RDFS.label, Literal("Shared IT")))
>>> fix = Correction(1, SET, "Jo", "2026-01-01T00:00:00Z", fact=str(event),
...                  content=fact_content(x, event), field="status", value="done")
>>> applied = apply_corrections("0123456789abcdef", x, [fix])
>>> [(f.number, f.state, f.effective["status"], str(f.iri)[-5:]) for f in applied.facts]
[(1, 'corrected', 'done', 'ef-r1')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, TIME, XSD
from rdflib.term import Node

from lgkg.extract.records import Body, Event, Evidence
from lgkg.extract.sources import normalise_date
from lgkg.extract.vocabulary import (
    ACTIONS,
    GSS_CODE,
    MEMBER_ACTIONS,
    PROVIDES,
    SERVICE_AREAS,
    STATUSES,
)
from lgkg.graph.emit import (
    confidence_literal,
    decimal_literal,
    membership_end,
    membership_interval,
)
from lgkg.graph.terms import date_literal
from lgkg.graph.vocab import (
    ACTION_CONCEPTS,
    ID,
    LGKG,
    SCHEMA,
    STATUS_CONCEPTS,
    analyst_iri,
    corrected_fact_iri,
    correction_iri,
    corrections_graph_iri,
    council_iri,
    doc_iri,
    org_iri,
    partnership_iri,
    person_iri,
    service_area_iri,
    slug,
)

#: What an analyst does to a fact.
VERBS = CONFIRM, REJECT, SET, ADD = ("confirm", "reject", "set", "add")
#: The class of each kind of correction.
CORRECTION_CLASSES: dict[str, URIRef] = {
    CONFIRM: LGKG.Confirmation,
    REJECT: LGKG.Rejection,
    SET: LGKG.Change,
    ADD: LGKG.Addition,
}
#: The kinds of fact an analyst corrects (memberships follow from the events).
FACT_TYPES: dict[str, URIRef] = {
    "event": LGKG.PartnershipEvent,
    "saving": LGKG.Saving,
    "quote": SCHEMA.Quotation,
}
#: The fields of each kind of fact, named as the gold files name them, and their predicates.
FIELDS: dict[str, dict[str, URIRef]] = {
    "event": {
        "council": LGKG.actor,
        "action": LGKG.action,
        "service_area": LGKG.serviceArea,
        "partnership": LGKG.partnership,
        "date": LGKG.date,
        "status": LGKG.status,
        "client": LGKG.client,
    },
    "saving": {
        "who": LGKG.savedBy,
        "amount": SCHEMA.value,
        "currency": SCHEMA.currency,
        "period": LGKG.period,
        "partnership": LGKG.partnership,
        "speaker": LGKG.saidBy,
    },
    "quote": {
        "speaker": LGKG.speaker,
        "role": LGKG.role,
        "organisation": LGKG.onBehalfOf,
        "text": SCHEMA.text,
    },
}
#: The fields a fact cannot be without (an added fact must give them).
REQUIRED: dict[str, tuple[str, ...]] = {
    "event": ("council", "action", "service_area", "partnership", "status"),
    "saving": ("amount", "currency"),
    "quote": ("speaker", "text"),
}
#: Fields naming a body: a GSS code for a UK council, else the body's name.
BODY_FIELDS = frozenset({"council", "client", "who", "organisation"})
#: Fields naming a person.
PERSON_FIELDS = frozenset({"speaker"})
#: The extraction rule and confidence of a fact an analyst added.
ANALYST_RULE = "analyst"
#: What says which fact a fact is, whatever else a new extraction changes in it: its body and
#: what it did, the sum saved, the speaker (with the sentence).
CORE: dict[str, tuple[str, ...]] = {
    "event": ("council", "action"),
    "saving": ("who", "amount", "currency"),
    "quote": ("speaker",),
}
#: How a correction finds its fact in a (new) extraction, strictest first: every field and
#: the sentence; every field; the fact's core (:data:`CORE`) and the sentence.
MATCH_TIERS: tuple[Callable[[Mapping[str, str]], tuple], ...] = (
    lambda c: tuple(sorted((k, _norm(k, v)) for k, v in c.items())),
    lambda c: tuple(sorted((k, _norm(k, v)) for k, v in c.items() if k != "evidence")),
    lambda c: tuple(
        _norm(k, c.get(k, "")) for k in ("kind", *CORE.get(c.get("kind", ""), ()), "evidence")
    ),
)
#: Provenance statements an extracted fact keeps when the correction graph states it again.
_KEPT = (
    RDF.type,
    PROV.wasDerivedFrom,
    LGKG.evidence,
    LGKG.evidenceStart,
    LGKG.evidenceEnd,
    LGKG.confidence,
    LGKG.extractionRule,
)
_TAIL_NUMBER = re.compile(r"-([0-9]+)$")
_DURATION = re.compile(r"P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?")
_CURRENCY = re.compile(r"[A-Z]{3}")
_DATE_POSITIONS = (TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear)
_CONCEPT_CODES = {iri: code for code, iri in (*ACTION_CONCEPTS.items(), *STATUS_CONCEPTS.items())}


class CorrectionError(ValueError):
    """A correction that cannot be made: an unknown field, a bad value, no such fact."""


def article(kind: str) -> str:
    """``kind`` with its indefinite article: ``an event``, ``a saving``."""
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


def _norm(key: str, value: str) -> str:
    """A field's value as matching compares it (labels by their slug, text by its words)."""
    if key == "partnership":
        return slug(value)
    return " ".join(str(value).split())


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Correction:
    """One correction as stored: its number in the document, what was done, by whom, when,
    why, to which fact (its IRI when last applied; "" for none) and that fact's content."""

    number: int
    verb: str  # one of VERBS
    analyst: str
    at: str  # xsd:dateTime, UTC
    reason: str = ""
    fact: str = ""
    content: Mapping[str, str] = field(default_factory=dict)
    field: str = ""  # SET: the field changed
    value: str = ""  # SET: its new value ("" clears it)

    @property
    def kind(self) -> str:
        """The kind of fact (``event``, ``saving``, ``quote``) it applies to."""
        return self.content.get("kind", "")

    def describe(self) -> str:
        """One line saying what the correction does.

        >>> Correction(2, SET, "jo", "t", content={"kind": "event"}, field="status",
        ...            value="done").describe()
        'correction 2 (jo): set event status to done'
        """
        what = f"{self.verb} {self.kind}"
        if self.verb == SET:
            what += f" {self.field} to {self.value or '(nothing)'}"
        else:
            what += ": " + summary(self.content)
        return f"correction {self.number} ({self.analyst}): {what}"


def summary(content: Mapping[str, str]) -> str:
    """A fact's content in a few words.

    >>> summary({"kind": "event", "council": "E09000005", "action": "formed",
    ...          "service_area": "ict", "partnership": "Shared IT", "status": "done", "date": ""})
    'E09000005 formed ict: Shared IT, done'
    """
    kind = content.get("kind")
    if kind == "event":
        text = (
            f"{content.get('council')} {content.get('action')} "
            f"{content.get('service_area')}: {content.get('partnership')}"
        )
        if content.get("client"):
            text += f" for {content['client']}"
        return (
            text
            + ", "
            + " ".join(v for v in (content.get("status", ""), content.get("date", "")) if v)
        )
    if kind == "saving":
        parts = [content.get("amount", ""), content.get("currency", ""), content.get("period", "")]
        text = " ".join(p for p in parts if p)
        if content.get("who"):
            text += f" by {content['who']}"
        return text
    if kind == "quote":
        who = content.get("speaker", "")
        return who + (f" for {content['organisation']}" if content.get("organisation") else "")
    return json.dumps(dict(content), sort_keys=True)


def utc_text(value: str) -> str:
    """An ``xsd:dateTime`` in UTC as lgkg writes it (``Z``, not ``+00:00``).

    >>> utc_text("2026-01-02T03:04:05+00:00")
    '2026-01-02T03:04:05Z'
    """
    return re.sub(r"[+-]00:00$", "Z", value)


def read_corrections(graph: Graph) -> list[Correction]:
    """The corrections a corrections graph records, in the order they were made."""
    found = []
    for node in set(graph.subjects(RDF.type, LGKG.Correction)):
        types = set(graph.objects(node, RDF.type))
        verbs = [v for v, cls in CORRECTION_CLASSES.items() if cls in types]
        number = _TAIL_NUMBER.search(str(node))
        if len(verbs) != 1 or number is None:
            raise CorrectionError(f"{node} is not a correction of one kind")
        agent = graph.value(node, PROV.wasAssociatedWith)
        text = graph.value(node, LGKG.factContent)
        found.append(
            Correction(
                number=int(number.group(1)),
                verb=verbs[0],
                analyst=str(graph.value(agent, RDFS.label) or "") if agent is not None else "",
                at=utc_text(str(graph.value(node, PROV.endedAtTime) or "")),
                reason=str(graph.value(node, LGKG.reason) or ""),
                fact=str(graph.value(node, LGKG.correctedFact) or ""),
                content=json.loads(str(text)) if text is not None else {},
                field=str(graph.value(node, LGKG.correctedField) or ""),
                value=str(graph.value(node, LGKG.newValue) or ""),
            )
        )
    return sorted(found, key=lambda c: c.number)


# --------------------------------------------------------------------------- facts


def kind_of(iri: str) -> str:
    """The kind of a fact IRI (``event``, ``saving``, ``quote``, ``membership``) or ""."""
    rest = str(iri)[len(str(ID)) :] if str(iri).startswith(str(ID)) else ""
    return rest.split("/", 1)[0] if "/" in rest else ""


def fact_number(iri: str) -> int | None:
    """The number of an extracted fact (``…/event/{h}-3`` -> 3); None for another IRI."""
    found = _TAIL_NUMBER.search(str(iri))
    return int(found.group(1)) if found else None


def _first(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    values = sorted(graph.objects(subject, predicate), key=str)
    return values[0] if values else None


def _body_text(graph: Graph, body: Node | None) -> str:
    if body is None:
        return ""
    text = str(body)
    council = str(ID["council/"])
    if text.startswith(council):
        return text[len(council) :]
    label = _first(graph, body, RDFS.label)
    return str(label) if label is not None else text.rsplit("/", 1)[-1]


def _value_text(graph: Graph, name: str, value: Node | None) -> str:
    """A field's value in the form of the gold files."""
    if value is None:
        return ""
    if name in BODY_FIELDS:
        return _body_text(graph, value)
    if name in PERSON_FIELDS:
        return str(_first(graph, value, SCHEMA.name) or "")
    if name in ("action", "status"):
        return _CONCEPT_CODES.get(value, str(value).rsplit("#", 1)[-1].lower())
    if name == "service_area":
        return str(value).rsplit("/service-area/", 1)[-1]
    if name == "partnership":
        return str(_first(graph, value, RDFS.label) or "")
    return str(value)


def fact_content(graph: Graph, fact: URIRef) -> dict[str, str]:
    """The content of ``fact`` as ``graph`` states it: its kind, fields and evidence sentence."""
    kind = kind_of(fact)
    if kind not in FIELDS:
        raise CorrectionError(f"{fact} is not an event, a saving or a quote")
    content = {"kind": kind}
    for name, predicate in FIELDS[kind].items():
        content[name] = _value_text(graph, name, _first(graph, fact, predicate))
    content["evidence"] = str(graph.value(fact, LGKG.evidence) or "")
    return content


def extracted_facts(graph: Graph) -> list[URIRef]:
    """The events, savings and quotes of a document graph, each kind in number order."""
    facts: list[URIRef] = []
    for kind, cls in FACT_TYPES.items():
        found = [s for s in set(graph.subjects(RDF.type, cls)) if isinstance(s, URIRef)]
        found = [s for s in found if kind_of(s) == kind]
        facts += sorted(found, key=lambda s: (fact_number(s) or 0, str(s)))
    return facts


@dataclass
class FactState:
    """A fact of a document with what the analysts did to it.

    ``number`` counts the extracted facts (events, then savings, then quotes) from 1, and
    the added ones after them; ``origin`` is the fact as extracted or added; ``iri`` is
    where the graph states it now; ``effective`` its content now (None once rejected).
    """

    number: int
    origin: URIRef
    content: dict[str, str]
    added_by: Correction | None = None
    corrections: list[Correction] = field(default_factory=list)
    changes: dict[str, str] = field(default_factory=dict)
    rejected_by: Correction | None = None
    iri: URIRef | None = None

    @property
    def kind(self) -> str:
        return self.content["kind"]

    @property
    def effective(self) -> dict[str, str] | None:
        """The content as corrected, or None when the fact is rejected."""
        if self.rejected_by is not None:
            return None
        merged = {**self.content, **self.changes}
        if self.kind == "event" and merged.get("action") != PROVIDES:
            merged["client"] = ""
        return merged

    @property
    def changed(self) -> bool:
        """Is the fact, as corrected, different from the fact as extracted (or added)?"""
        return self.effective is not None and self.effective != self.content

    @property
    def state(self) -> str:
        """``rejected``, ``corrected``, ``added``, ``confirmed`` or ``extracted`` (unchecked)."""
        if self.rejected_by is not None:
            return "rejected"
        if self.changed:
            return "corrected"
        if self.added_by is not None:
            return "added"
        return "confirmed" if self.corrections else "extracted"


@dataclass
class Applied:
    """The corrections applied to one extraction of a document.

    ``graph`` is the document's corrections graph (empty without corrections);
    ``corrections`` are all the corrections, each with the IRI of the fact it applies to
    now ("" for an addition that states a fact, or for one that matches no fact);
    ``unmatched`` those that match no fact of this extraction.
    """

    graph: Graph
    facts: list[FactState]
    corrections: list[Correction]
    unmatched: list[Correction]


# --------------------------------------------------------------------------- values


def normalise_value(
    kind: str,
    name: str,
    raw: str,
    lookup_council: Callable[[str], str | None] = lambda text: None,
) -> str:
    """``raw`` as the value of field ``name`` of a fact of ``kind``, in the gold files' form.

    ``lookup_council`` gives the GSS code a council's name or code stands for (None for
    a body that is not a UK council). CorrectionError when the value cannot be one.

    >>> normalise_value("event", "status", " Done ")
    'done'
    >>> normalise_value("saving", "amount", "2,000,000.00")
    '2000000'
    >>> normalise_value("event", "date", "1 April 2016")
    '2016-04-01'
    """
    if kind not in FIELDS:
        raise CorrectionError(f"no kind of fact {kind!r}; use one of {', '.join(FIELDS)}")
    if name not in FIELDS[kind]:
        raise CorrectionError(
            f"{article(kind)} has no field {name!r}; its fields are {', '.join(FIELDS[kind])}"
        )
    value = " ".join(str(raw).split())
    if not value:
        if name in REQUIRED[kind]:
            raise CorrectionError(f"{article(kind)} cannot be without its {name}")
        return ""
    if name in BODY_FIELDS:
        code = value.upper() if GSS_CODE.fullmatch(value.upper()) else lookup_council(value)
        return code or value
    choices = {"action": ACTIONS, "status": STATUSES, "service_area": SERVICE_AREAS}.get(name)
    if choices is not None:
        if value.lower() not in choices:
            raise CorrectionError(f"{name} {value!r} is not one of {', '.join(choices)}")
        return value.lower()
    if name == "date":
        date = normalise_date(value)
        if not date:
            raise CorrectionError(f"date {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return date
    if name == "amount":
        try:
            amount = Decimal(value.replace(",", "").lstrip("£$€"))
        except InvalidOperation:
            raise CorrectionError(f"amount {value!r} is not a number") from None
        if not amount.is_finite() or amount <= 0:
            raise CorrectionError(f"amount {value!r} must be more than 0")
        return str(decimal_literal(amount))
    if name == "currency" and not _CURRENCY.fullmatch(value.upper()):
        raise CorrectionError(f"currency {value!r} is not an ISO 4217 code such as GBP")
    if name == "currency":
        return value.upper()
    if name == "period" and not _DURATION.fullmatch(value.upper()):
        raise CorrectionError(f"period {value!r} is not an ISO 8601 duration such as P1Y")
    if name == "period":
        return value.upper()
    if (name in PERSON_FIELDS or name == "partnership") and not slug(value):
        raise CorrectionError(f"{name} {value!r} has no letters or digits")
    return value


def check_content(content: Mapping[str, str]) -> None:
    """CorrectionError if a fact with this content could not be stated."""
    kind = content.get("kind", "")
    missing = [name for name in REQUIRED.get(kind, ()) if not content.get(name)]
    if missing:
        raise CorrectionError(f"{article(kind)} needs its {', '.join(missing)}")
    if kind == "event" and content.get("client") and content.get("action") != PROVIDES:
        raise CorrectionError(f"only a {PROVIDES} event has a client")
    if not content.get("evidence", "").strip():
        raise CorrectionError("a fact needs the sentence it comes from (its evidence)")


# --------------------------------------------------------------------------- applying


def _matches(content: Mapping[str, str], other: Mapping[str, str], tier: int) -> bool:
    key = MATCH_TIERS[tier]
    return content.get("kind") == other.get("kind") and key(content) == key(other)


class _Matcher:
    """Finds each correction's fact among a document's facts, one fact per corrected IRI."""

    def __init__(self, facts: Sequence[FactState]) -> None:
        self.facts = list(facts)
        self.claimed: dict[str, FactState] = {}  # the IRI a correction names -> its fact now

    def add(self, fact: FactState) -> None:
        self.facts.append(fact)

    def find(self, correction: Correction) -> FactState | None:
        if correction.fact in self.claimed:
            return self.claimed[correction.fact]
        taken = {id(f) for key, f in self.claimed.items() if key != correction.fact}
        free = [f for f in self.facts if id(f) not in taken]
        same_iri = [f for f in free if str(f.origin) == correction.fact]
        for tier in range(len(MATCH_TIERS)):
            for candidate in (*same_iri, *free):
                if _matches(correction.content, candidate.content, tier):
                    if correction.fact:
                        self.claimed[correction.fact] = candidate
                    return candidate
        return None


def _new_partnership(label: str) -> tuple[URIRef, bool]:
    return partnership_iri(label), False


def apply_corrections(
    doc_id: str,
    graph: Graph,
    corrections: Iterable[Correction],
    resolve_partnership: Callable[[str], tuple[URIRef, bool]] = _new_partnership,
) -> Applied:
    """Apply ``corrections`` (in number order) to the document graph ``graph``.

    Each correction finds its fact by the IRI it names when that fact's content
    still matches, else by content (:data:`MATCH_TIERS`); an addition whose fact the
    extraction already holds confirms that fact. The latest verdict on a fact wins: a
    rejection removes it, a later change or confirmation brings it back.
    ``resolve_partnership`` gives the IRI of a partnership an analyst names, and whether
    the store describes it already (else the corrections graph describes it).
    """
    facts = [
        FactState(n, iri, fact_content(graph, iri))
        for n, iri in enumerate(extracted_facts(graph), 1)
    ]
    extracted = len(facts)
    matcher = _Matcher(facts)
    applied: list[Correction] = []
    unmatched: list[Correction] = []
    for c in sorted(corrections, key=lambda c: c.number):
        if c.verb == ADD:
            existing = next(
                (
                    f
                    for f in facts[:extracted]
                    for tier in (0, 1)
                    if _matches(c.content, f.content, tier)
                ),
                None,
            )
            if existing is not None:
                existing.corrections.append(c)
                existing.rejected_by = None
                applied.append(replace(c, fact=str(existing.origin)))
                continue
            origin = corrected_fact_iri(c.kind, doc_id, "a", c.number)
            fact = FactState(len(facts) + 1, origin, dict(c.content), added_by=c)
            facts.append(fact)
            matcher.add(fact)
            applied.append(replace(c, fact=""))
            continue
        target = matcher.find(c)
        if target is None:
            unmatched.append(c)
            applied.append(replace(c, fact=""))
            continue
        applied.append(replace(c, fact=str(target.origin)))
        target.corrections.append(c)
        target.rejected_by = c if c.verb == REJECT else None
        if c.verb == SET:
            target.changes[c.field] = c.value
    out = _Writer(doc_id, graph, resolve_partnership)
    out.write(facts, applied)
    return Applied(out.g if applied else Graph(), facts, applied, unmatched)


class _Writer:
    """Builds a document's corrections graph."""

    def __init__(
        self,
        doc_id: str,
        source: Graph,
        resolve_partnership: Callable[[str], tuple[URIRef, bool]],
    ) -> None:
        self.doc_id = doc_id
        self.doc = doc_iri(doc_id)
        self.source = source
        self.resolve_partnership = resolve_partnership
        self.g = Graph()
        self.described: set[Node] = set()

    def add(self, s: Node, p: URIRef, o: Node) -> None:
        self.g.add((s, p, o))

    # -- the graph, the corrections --------------------------------------------------

    def write(self, facts: Sequence[FactState], corrections: Sequence[Correction]) -> None:
        if not corrections:
            return
        name = corrections_graph_iri(self.doc_id)
        self.add(name, RDF.type, LGKG.CorrectionGraph)
        self.add(name, LGKG.correctsDocument, self.doc)
        for predicate in (SCHEMA.url, LGKG.fileName, DCTERMS.issued):
            for value in self.source.objects(self.doc, predicate):
                self.add(name, predicate, value)
        for c in corrections:
            self.correction(c)
        for fact in facts:
            self.fact(fact)
        self.memberships(facts)

    def correction(self, c: Correction) -> None:
        node = correction_iri(self.doc_id, c.number)
        agent = analyst_iri(c.analyst)
        self.add(node, RDF.type, LGKG.Correction)
        self.add(node, RDF.type, CORRECTION_CLASSES[c.verb])
        self.add(node, PROV.wasAssociatedWith, agent)
        self.add(agent, RDF.type, PROV.Agent)
        self.add(agent, RDF.type, PROV.Person)
        self.add(agent, RDFS.label, Literal(c.analyst))
        self.add(node, PROV.endedAtTime, Literal(utc_text(c.at), datatype=XSD.dateTime))
        if c.reason:
            self.add(node, LGKG.reason, Literal(c.reason))
        if c.fact:
            self.add(node, LGKG.correctedFact, URIRef(c.fact))
        self.add(node, LGKG.factContent, Literal(json.dumps(dict(c.content), sort_keys=True)))
        if c.verb == SET:
            self.add(node, LGKG.correctedField, Literal(c.field))
            self.add(node, LGKG.newValue, Literal(c.value))

    # -- facts -----------------------------------------------------------------------

    def fact(self, fact: FactState) -> None:
        effective = fact.effective
        changes = [c for c in fact.corrections if c.verb == SET]
        if fact.added_by is None:
            if effective is None or fact.changed:
                cause = fact.rejected_by or changes[-1]
                self.add(fact.origin, PROV.wasInvalidatedBy, self.node(cause))
            if effective is None or not fact.changed:
                fact.iri = None if effective is None else fact.origin
                return
            number = fact_number(fact.origin) or fact.number
            fact.iri = corrected_fact_iri(fact.kind, self.doc_id, "r", number)
            self.add(fact.iri, PROV.wasRevisionOf, fact.origin)
            for predicate in _KEPT:
                for value in self.source.objects(fact.origin, predicate):
                    self.add(fact.iri, predicate, value)
        else:
            if effective is None:
                fact.iri = None
                return
            fact.iri = fact.origin
            self.added_fact(fact.iri, effective)
        for c in changes if fact.added_by is None else [fact.added_by, *changes]:
            self.add(fact.iri, PROV.wasGeneratedBy, self.node(c))
        self.fields(fact, effective)

    def node(self, c: Correction) -> URIRef:
        """The IRI of correction ``c``."""
        return correction_iri(self.doc_id, c.number)

    def added_fact(self, iri: URIRef, content: Mapping[str, str]) -> None:
        self.add(iri, RDF.type, FACT_TYPES[content["kind"]])
        if content["kind"] == "saving":
            self.add(iri, RDF.type, SCHEMA.MonetaryAmount)
        self.add(iri, PROV.wasDerivedFrom, self.doc)
        sentence = content.get("evidence", "")
        self.add(iri, LGKG.evidence, Literal(sentence))
        for other in self.source.subjects(LGKG.evidence, Literal(sentence)):
            for predicate in (LGKG.evidenceStart, LGKG.evidenceEnd):
                self.add(iri, predicate, self.source.value(other, predicate))
            break
        self.add(iri, LGKG.confidence, confidence_literal(1.0))
        self.add(iri, LGKG.extractionRule, Literal(ANALYST_RULE))

    def fields(self, fact: FactState, effective: Mapping[str, str]) -> None:
        """The statements of each field: those of the extraction where the value is kept."""
        base = fact.content if fact.added_by is None else None
        for name, predicate in FIELDS[fact.kind].items():
            value = effective.get(name, "")
            if base is not None and base.get(name, "") == value:
                for old in self.source.objects(fact.origin, predicate):
                    self.add(fact.iri, predicate, old)
                    self.describe(old)
                continue
            term = self.term(name, value)
            if term is not None:
                self.add(fact.iri, predicate, term)
        partnership = self.g.value(fact.iri, LGKG.partnership)
        area = self.g.value(fact.iri, LGKG.serviceArea)
        new = (partnership, RDF.type, ORG.OrganizationalCollaboration) in self.g
        if new and area is not None and not any(self.g.objects(partnership, LGKG.serviceArea)):
            self.add(partnership, LGKG.serviceArea, area)  # a partnership the analyst named

    def term(self, name: str, value: str) -> Node | None:
        """The RDF term of a field's value (its node described in the graph)."""
        if not value:
            return None
        if name in BODY_FIELDS:
            if GSS_CODE.fullmatch(value):
                return council_iri(value)
            node = org_iri(value)
            self.add(node, RDF.type, ORG.Organization)
            self.add(node, RDFS.label, Literal(value))
            return node
        if name in PERSON_FIELDS:
            node = person_iri(value)
            self.add(node, RDF.type, SCHEMA.Person)
            self.add(node, RDF.type, PROV.Agent)
            self.add(node, SCHEMA.name, Literal(value))
            return node
        if name == "action":
            return ACTION_CONCEPTS[value]
        if name == "status":
            return STATUS_CONCEPTS[value]
        if name == "service_area":
            return service_area_iri(value)
        if name == "partnership":
            node, known = self.resolve_partnership(value)
            if not known:
                self.add(node, RDF.type, ORG.OrganizationalCollaboration)
                self.add(node, RDFS.label, Literal(value))
                self.add(node, PROV.wasDerivedFrom, self.doc)
            return node
        if name == "date":
            return date_literal(value)
        if name == "amount":
            return decimal_literal(Decimal(value))
        if name == "period":
            return Literal(value, datatype=XSD.duration)
        return Literal(value)

    def describe(self, node: Node) -> None:
        """Copy what the document graph says about a body or person a fact names (the
        queries read their names in the fact's graph; a partnership's, in any graph)."""
        if not isinstance(node, URIRef) or node in self.described:
            return
        self.described.add(node)
        if kind_of(node) in ("org", "person"):
            for predicate, value in self.source.predicate_objects(node):
                self.add(node, predicate, value)

    # -- memberships -----------------------------------------------------------------

    def memberships(self, facts: Sequence[FactState]) -> None:
        """The memberships the events make once corrected, where they differ from the
        extraction's (a document's memberships follow from its events, graph/emit.py: one
        per ``formed`` or ``joined`` event, one of role lgkg:Client per client served)."""
        events = [f for f in facts if f.kind == "event"]
        if not any(f.changed or f.rejected_by or f.added_by for f in events):
            return
        extracted = [f for f in events if f.added_by is None]
        linked = _link_memberships(
            self.source, [(id(f), _event_record(self.source, f.origin)) for f in extracted]
        )
        records = {id(f): _event_record(self.about(f.iri), f.iri) for f in events if f.iri}
        final = [records[id(f)] for f in events if id(f) in records]
        event_causes = [c for f in events for c in f.corrections if c.verb != CONFIRM]
        event_causes += [f.added_by for f in events if f.added_by is not None]
        latest = max(event_causes, key=lambda c: c.number)
        for f in events:
            old = linked.get(id(f))
            record = records.get(id(f))
            new = None if record is None else _membership_content(record, final)
            if old is not None and new == old[1]:
                continue
            causes = [c for c in f.corrections if c.verb != CONFIRM]
            cause = max(causes, key=lambda c: c.number) if causes else latest
            if old is not None:
                self.add(old[0], PROV.wasInvalidatedBy, self.node(cause))
            if new is None or f.iri is None:
                continue
            if f.added_by is not None:
                iri = corrected_fact_iri("membership", self.doc_id, "a", f.added_by.number)
                made_by = [f.added_by, *causes]
            else:
                number = fact_number(f.origin) or f.number
                iri = corrected_fact_iri("membership", self.doc_id, "r", number)
                made_by = causes or [cause]
            roles = {LGKG.Client} if new[0] == "client" else set()
            if old is not None and old[1][0] == new[0]:
                roles |= old[2]  # a host stays the host
            self.membership(iri, f.iri, new, roles)
            if old is not None:
                self.add(iri, PROV.wasRevisionOf, old[0])
            for c in made_by:
                self.add(iri, PROV.wasGeneratedBy, self.node(c))

    def about(self, iri: URIRef) -> Graph:
        """The graph stating fact ``iri``: this one for a fact it states, else the document's."""
        return self.g if (iri, LGKG.evidence, None) in self.g else self.source

    def membership(self, iri: URIRef, event: URIRef, content: tuple, roles: set[Node]) -> None:
        kind, member, organization, status, *dates = content
        self.add(iri, RDF.type, ORG.Membership)
        self.add(iri, ORG.member, member)
        self.add(iri, ORG.organization, organization)
        self.add(iri, LGKG.status, status)
        for role in roles:
            self.add(iri, ORG.role, role)
        for predicate in _KEPT[1:]:
            for value in self.about(event).objects(event, predicate):
                self.add(iri, predicate, value)
        self.describe(organization)
        self.describe(member)
        if kind != "member":
            return
        begin, end = dates
        interval = BNode(f"{self.doc_id}-{str(iri).rsplit('-', 1)[-1]}-during")
        membership_interval(self.add, iri, interval, begin, end)


def _instant(graph: Graph, instant: Node | None) -> str | None:
    """The ISO date an OWL-Time instant is placed at (None when it has none)."""
    if instant is None:
        return None
    for position in _DATE_POSITIONS:
        value = graph.value(instant, position)
        if value is not None:
            return str(value)
    return None


def _membership_content(event: Event, events: Sequence[Event]) -> tuple | None:
    """The membership an event makes (graph/emit.py), as :func:`_link_memberships` reads
    one: ``("member", member, partnership, status, begin, end)`` for a ``formed`` or
    ``joined`` event, ``("client", client, partnership, status)`` for the client a
    ``provides`` event serves; None for another event."""
    partnership, status = URIRef(event.partnership), STATUS_CONCEPTS[event.status]
    if event.action in MEMBER_ACTIONS:
        end = membership_end(event, events)
        return ("member", URIRef(event.body.name), partnership, status, event.date, end)
    if event.action == PROVIDES and event.client is not None:
        return ("client", URIRef(event.client.name), partnership, status)
    return None


def _link_memberships(
    graph: Graph, events: Sequence[tuple[int, Event]]
) -> dict[int, tuple[URIRef, tuple, set[Node]]]:
    """Each extracted event's membership in the document graph: its IRI, its content (as
    :func:`_membership_content` gives it, with the end the graph states) and its roles.
    A membership belongs to the first event, in order, that makes one like it."""
    linked: dict[int, tuple[URIRef, tuple, set[Node]]] = {}
    found = [
        m
        for m in set(graph.subjects(RDF.type, ORG.Membership))
        if isinstance(m, URIRef) and kind_of(m) == "membership" and fact_number(m) is not None
    ]
    for m in sorted(found, key=lambda m: fact_number(m) or 0):
        roles = set(graph.objects(m, ORG.role))
        head = (graph.value(m, ORG.member), graph.value(m, ORG.organization))
        status = graph.value(m, LGKG.status)
        if LGKG.Client in roles:
            content: tuple = ("client", *head, status)
        else:
            interval = graph.value(m, ORG.memberDuring)
            begin = _instant(graph, graph.value(interval, TIME.hasBeginning)) if interval else None
            end_node = graph.value(interval, TIME.hasEnd) if interval else None
            end = None if end_node is None else (_instant(graph, end_node) or "")
            content = ("member", *head, status, begin or "", end)
        for key, event in events:
            made = _membership_content(event, [])
            if key in linked or made is None or made[:4] != content[:4]:
                continue
            if made[0] == "client" or made[4] == content[4]:  # a member: from its date on
                linked[key] = (m, content, roles - {LGKG.Client})
                break
    return linked


def _event_record(graph: Graph, iri: URIRef) -> Event:
    """An event as :func:`~lgkg.graph.emit.membership_end` reads it: the IRIs of the actor,
    the client and the partnership stand for the bodies and the partnership."""
    client = graph.value(iri, LGKG.client)
    return Event(
        body=Body(str(graph.value(iri, LGKG.actor))),
        action=_CONCEPT_CODES.get(graph.value(iri, LGKG.action), ""),
        partnership=str(graph.value(iri, LGKG.partnership)),
        service_area="",
        date=str(graph.value(iri, LGKG.date) or ""),
        status=_CONCEPT_CODES.get(graph.value(iri, LGKG.status), ""),
        client=None if client is None else Body(str(client)),
        evidence=Evidence("", 0, 0),
        confidence=0.0,
        rule="",
    )


# --------------------------------------------------------------------------- gold


def gold_entry(content: Mapping[str, str]) -> dict[str, object]:
    """A fact's content as an entry of a gold file (docs/contract.md, "Gold annotations").

    >>> gold_entry({"kind": "saving", "who": "", "amount": "250000", "currency": "GBP",
    ...             "period": "P1Y", "partnership": "", "speaker": "", "evidence": "x"})
    {'who': '', 'amount': 250000, 'currency': 'GBP', 'period': 'P1Y', 'speaker': ''}
    """
    kind = content["kind"]
    if kind == "event":
        entry: dict[str, object] = {
            name: content.get(name, "")
            for name in ("council", "action", "service_area", "partnership", "date", "status")
        }
        if content.get("action") == PROVIDES and content.get("client"):
            entry["client"] = content["client"]
        return entry
    if kind == "saving":
        amount = Decimal(content["amount"])
        number: int | float = int(amount) if amount == amount.to_integral_value() else float(amount)
        return {
            "who": content.get("who", ""),
            "amount": number,
            "currency": content.get("currency", ""),
            "period": content.get("period", ""),
            "speaker": content.get("speaker", ""),
        }
    return {"speaker": content.get("speaker", ""), "organisation": content.get("organisation", "")}


def gold_document(
    doc: str, published: str | None, contents: Iterable[Mapping[str, str]]
) -> dict[str, object]:
    """A gold file's data: the text file's name, its publication date and its facts."""
    gold: dict[str, object] = {"doc": doc, "published": published or "unknown"}
    for kind, key in (("event", "events"), ("saving", "savings"), ("quote", "quotes")):
        entries = [gold_entry(c) for c in contents if c["kind"] == kind]
        gold[key] = [e for i, e in enumerate(entries) if e not in entries[:i]]
    return gold
