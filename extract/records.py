"""Extraction records: what the extractor finds in one document.

Every record is a frozen dataclass and carries its :class:`Evidence` (the
sentence it came from, with character offsets into the document's original
text), a confidence in [0, 1] and the id of the rule that produced it. They
are the audit trail between a press release and the triples in the graph;
``lgkg.graph.emit`` turns them into RDF and nothing else knows about RDF.

>>> ev = Evidence("Brent joined.", 0, 13)
>>> Event(Body("Brent", "E09000005"), "joined", "Shared IT", "ict", "", "done",
...       None, ev, 0.8, "event.join").action
'joined'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from lgkg.extract.vocabulary import ACTIONS as ACTIONS
from lgkg.extract.vocabulary import STATUSES as STATUSES


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from, as offsets into the original text."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Body:
    """A council (``code`` is its GSS code) or another body (``code`` is None)."""

    name: str
    code: str | None = None

    @property
    def is_council(self) -> bool:
        return self.code is not None


@dataclass(frozen=True)
class Event:
    """A body forming, joining, leaving or ending a partnership, or one providing a service."""

    body: Body
    action: str  # one of ACTIONS
    partnership: str  # the partnership's label as the document names it
    service_area: str  # a service-area code (docs/contract.md)
    date: str  # ISO 8601 at the precision given ("2016", "2016-04", "2016-04-01") or ""
    status: str  # one of STATUSES
    client: Body | None  # the body served, for action "provides"
    evidence: Evidence
    confidence: float
    rule: str


@dataclass(frozen=True)
class Saving:
    """Money saved: amount in whole units, ISO 4217 currency, ISO 8601 period or ""."""

    who: Body | None  # None: the partnership as a whole
    amount: Decimal
    currency: str
    period: str
    partnership: str | None
    speaker: str | None
    evidence: Evidence
    confidence: float
    rule: str


@dataclass(frozen=True)
class Quote:
    """A person quoted directly or in reported speech."""

    speaker: str  # the name without titles ("Fiona Colley")
    role: str  # "cabinet member for Finance" or ""
    organisation: Body | None
    text: str  # what they said (may be shortened to the first sentence)
    evidence: Evidence
    confidence: float
    rule: str


@dataclass(frozen=True)
class Role:
    """A part a body plays in a partnership beyond membership: ``role`` "host" (it hosts
    or leads it, employs its staff)."""

    body: Body
    role: str
    partnership: str  # the partnership's label, as the document's events give it
    evidence: Evidence
    confidence: float
    rule: str


@dataclass(frozen=True)
class Partnership:
    """A partnership named or implied by the document.

    ``label`` is the name the text gives it when ``named``, else one made of its
    members and service area; ``aliases`` are the other names the text gives it.
    """

    label: str
    service_area: str
    members: tuple[Body, ...] = ()
    aliases: tuple[str, ...] = ()
    named: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the text gives it: the label first when it is one, then the aliases."""
        return ((self.label,) if self.named else ()) + self.aliases


@dataclass(frozen=True)
class DocumentMeta:
    """What is known about a source document.

    ``doc_id`` is the first 16 hex digits of the sha256 of the URL when there
    is one, else of the normalised text (docs/contract.md, "Identifiers").
    """

    doc_id: str
    url: str | None
    title: str | None
    published: str | None  # "YYYY-MM-DD", "YYYY-MM", "YYYY" or None when unknown
    file_name: str | None
    content_hash: str  # sha256 of the normalised text, to skip unchanged re-ingests


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    doc: DocumentMeta
    text: str  # the original text the evidence offsets point into
    events: tuple[Event, ...] = ()
    savings: tuple[Saving, ...] = ()
    quotes: tuple[Quote, ...] = ()
    partnerships: tuple[Partnership, ...] = ()
    roles: tuple[Role, ...] = ()
    extractor_version: str = ""
    extracted_at: str = ""  # xsd:dateTime, UTC
    warnings: tuple[str, ...] = field(default=())
