"""The extractor: a cleaned document through spaCy to extraction records.

>>> from lgkg.extract.pipeline import Extractor
>>> from lgkg.extract.sources import source_from_text
>>> x = Extractor().extract(source_from_text(
...     "Brent Council and Lewisham Council formed a shared IT service in April 2016.",
...     name="example"))
>>> sorted((e.body.name, e.action, e.date) for e in x.events)
[('Brent', 'formed', '2016-04'), ('Lewisham', 'formed', '2016-04')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib.metadata import version

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from lgkg.extract.clean import CleanText, clean, unwrapped
from lgkg.extract.dates import decision_date
from lgkg.extract.decisions import BodyCase, Decisions, body_cases, shipped
from lgkg.extract.errors import BadInput
from lgkg.extract.events import Candidate, merge, sentence_events
from lgkg.extract.gazetteer import Gazetteer
from lgkg.extract.lemmas import LEMMA_FIXES
from lgkg.extract.mentions import COUNCIL_LABEL, Mention, all_mentions
from lgkg.extract.model import load_model, model_version
from lgkg.extract.partnerships import name_partnerships, partnership_label
from lgkg.extract.quotes import QuoteFinder, merge_quotes
from lgkg.extract.records import Body, Event, Evidence, Extraction, Partnership, Quote, Saving
from lgkg.extract.roles import find_roles
from lgkg.extract.ruler import add_phrase_patterns
from lgkg.extract.savings import sentence_savings
from lgkg.extract.service import area_counts, decide, dominant, service_area_of_text
from lgkg.extract.sources import SourceDoc
from lgkg.extract.surnames import DEFER, SETTLE
from lgkg.extract.tokens import features, release, share_sentences, text_of
from lgkg.extract.vocabulary import AGREED, DONE, ENDED, FORMED, LEFT, MEMBER_ACTIONS


@Language.component("line_sentences")
def line_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break, so headlines and list items stand alone,
    and never inside a council's name."""
    # A token's trailing whitespace_ is one space at most: line breaks are in the words.
    # Read the words as ids, and the text of each distinct one once.
    orths = doc.to_array(ORTH).tolist()
    breaks = {orth for orth in set(orths) if "\n" in doc.vocab.strings[orth]}
    for i, orth in enumerate(orths[:-1]):
        if orth in breaks:
            doc[i + 1].is_sent_start = True
    for ent in doc.ents:
        for tok in ent[1:]:
            tok.is_sent_start = False
    return doc


def build_nlp(gazetteer: Gazetteer) -> Language:
    """The English model with the council ruler (before NER), line-based sentence starts,
    council names that are surnames left to NER (:mod:`lgkg.extract.surnames`), and the
    lemmas of a few verb forms corrected (:mod:`lgkg.extract.lemmas`)."""
    nlp = load_model()
    ruler = nlp.add_pipe(
        "entity_ruler",
        name="council_ruler",
        before="parser",
        config={"phrase_matcher_attr": "ORTH", "validate": True},
    )
    add_phrase_patterns(nlp, ruler, gazetteer.ruler_patterns())  # tokenized once, cached
    nlp.add_pipe(DEFER, after="council_ruler")  # one-word names that may be surnames
    nlp.add_pipe("line_sentences", after=DEFER)
    nlp.add_pipe(SETTLE, after="ner")
    nlp.add_pipe(LEMMA_FIXES, after="lemmatizer")  # verb forms the model lemmatizes wrong
    return nlp


def extractor_version() -> str:
    """What produced a graph: lgkg's version and the model's."""
    return f"lgkg-{version('lgkg')}+{model_version()}"


class Extractor:
    """Turns :class:`SourceDoc` objects into :class:`Extraction` records."""

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        nlp: Language | None = None,
        decisions: Decisions | bool | None = True,
    ):
        self.gazetteer = gazetteer or Gazetteer.load()
        self.nlp = nlp or build_nlp(self.gazetteer)
        self.decisions = shipped() if decisions is True else decisions or None
        self.version = extractor_version()

    def extract(self, source: SourceDoc) -> Extraction:
        """Everything extracted from one document."""
        return next(self.extract_many([source]))

    def extract_many(
        self, sources: Iterable[SourceDoc], batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Extraction]:
        """Extract a stream of documents with ``nlp.pipe`` (in order)."""
        cleaned = (clean(s) for s in sources)
        return self.extract_cleaned(cleaned, batch_size=batch_size, n_process=n_process)

    def extract_cleaned(
        self, cleaned: Iterable[CleanText], batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Extraction]:
        """Extract a stream of cleaned documents (:func:`~lgkg.extract.clean.clean`), in order."""
        for reading in self.read_cleaned(cleaned, batch_size=batch_size, n_process=n_process):
            x = self.finish(reading)
            release(reading.doc)  # the document is done with: free it now
            yield x

    def read_many(
        self, sources: Iterable[SourceDoc], batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Reading]:
        """What the rules read in a stream of documents (:meth:`read`), in order."""
        cleaned = (clean(s) for s in sources)
        return self.read_cleaned(cleaned, batch_size=batch_size, n_process=n_process)

    def read_cleaned(
        self, cleaned: Iterable[CleanText], batch_size: int = 16, n_process: int = 1
    ) -> Iterator[Reading]:
        """What the rules read in a stream of cleaned documents, through one ``nlp.pipe``."""
        texts = ((unwrapped(ct.text), ct) for ct in (self._fits(ct) for ct in cleaned))
        for doc, ct in self.nlp.pipe(
            texts, as_tuples=True, batch_size=batch_size, n_process=n_process
        ):
            yield self.read(doc, ct)

    def _fits(self, ct: CleanText) -> CleanText:
        """The cleaned text, or :class:`BadInput` when it is longer than the model reads at once."""
        if len(ct.text) > self.nlp.max_length:
            raise BadInput(
                ct.source.name,
                f"{len(ct.text):,} characters of text is more than the {self.nlp.max_length:,} "
                "the extractor reads at once: split the document",
            )
        return ct

    def from_doc(self, doc: Doc, ct: CleanText) -> Extraction:
        """Read the facts of a parsed document."""
        return self.finish(self.read(doc, ct))

    def read(self, doc: Doc, ct: CleanText) -> Reading:
        """What the rules find in a parsed document, before the learned decisions."""
        share_sentences(doc)  # every rule asks for sentences: list them once
        source = ct.source
        published = source.published
        site = self.gazetteer.publisher(source.url, published)
        publisher = Body(site.short_name, site.code) if site is not None else None
        mentions = all_mentions(doc, self.gazetteer, published, publisher)
        by_sent: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sent.setdefault(doc[m.start].sent.start, []).append(m)
        title_area = decide(area_counts(source.title or ""))
        text_area = dominant(area_counts(features(doc).text))
        doc_area = title_area or text_area or "other"
        named = name_partnerships(doc, mentions)
        default_label = named[0] if named else ""

        def evidence(sent: Span) -> Evidence:
            start, end = ct.to_original(sent.start_char, sent.end_char)
            return Evidence(source.raw[start:end].strip(), start, end)

        candidates: list[Candidate] = []
        quotes: list[Quote] = []
        speakers: dict[int, tuple[str, Body | None]] = {}
        evidences: dict[int, Evidence] = {}
        finder = QuoteFinder(doc, mentions, publisher)
        top = True  # before the first sentence that ends in a full stop: headline, standfirst
        for sent in doc.sents:
            top = top and not text_of(sent).rstrip().endswith((".", '."', ".”"))
            sent_mentions = by_sent.get(sent.start, [])
            ev = evidences[sent.start] = evidence(sent)
            found, speaker = finder.sentence(sent, ev)
            finder.remember(sent)
            quotes.extend(found)
            if speaker is not None:
                speakers[sent.start] = (speaker.name, speaker.organisation)
            candidates.extend(
                sentence_events(
                    sent,
                    sent_mentions,
                    published=published,
                    context_area=title_area,
                    doc_area=doc_area,
                    partnership=default_label,
                    evidence=ev,
                    weight=_sentence_weight(sent, source.title, top),
                    publisher=publisher,
                )
            )
        events = _unique(
            [_council_then(self.gazetteer, e) for e in merge(candidates, published=published)]
        )
        cases = body_cases(
            doc,
            mentions,
            events,
            evidences,
            title=source.title,
            published=published,
            title_area=title_area,
            text_area=text_area,
        )
        return Reading(
            doc, ct, by_sent, events, cases, named, doc_area, quotes, speakers, evidences
        )

    def finish(self, reading: Reading, decisions: Decisions | bool | None = True) -> Extraction:
        """The extraction of a document the rules have read: the learned decisions over its
        bodies (``decisions``: the shipped models when True, the rules alone when None),
        then labels, savings and partnerships."""
        if decisions is True:
            decisions = self.decisions
        doc, ct = reading.doc, reading.ct
        events = list(reading.rule_events)
        if decisions:
            events = _unique(decisions.events(reading.cases))
        decided = decision_date(ct.text, ct.source.published)  # "Date of decision: ..."
        if decided:
            events = [
                replace(e, date=decided) if e.status == AGREED and not e.date else e for e in events
            ]
        named = reading.named
        events, label = _labelled(events, named[0] if named else "", reading.doc_area)
        events = _ended_for_all(events)
        members = list(
            dict.fromkeys(
                e.body for e in events if e.action in MEMBER_ACTIONS and e.body.is_council
            )
        )
        savings: list[Saving] = []
        for sent in doc.sents:
            speaker, org = reading.speakers.get(sent.start, (None, None))
            savings.extend(
                sentence_savings(
                    sent,
                    reading.by_sent.get(sent.start, []),
                    members=members,
                    speaker=speaker,
                    speaker_org=org if org is not None and org.is_council else None,
                    partnership=label or None,
                    evidence=reading.evidences[sent.start],
                )
            )
        partnerships = _partnerships(events, named)
        if label and savings and all(p.label != label for p in partnerships):
            partnerships.append(Partnership(label, reading.doc_area, (), (), named=label in named))
        return Extraction(
            doc=ct.meta,
            text=ct.source.raw,
            events=tuple(events),
            savings=tuple(_dedupe_savings(savings)),
            quotes=tuple(merge_quotes(reading.quotes)),
            partnerships=tuple(partnerships),
            roles=tuple(find_roles(doc, reading.by_sent, reading.evidences, events, label)),
            extractor_version=self.version,
            extracted_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )


@dataclass
class Reading:
    """What the rules read in one parsed document: the input of the learned decisions."""

    doc: Doc
    ct: CleanText
    by_sent: dict[int, list[Mention]]  # a sentence's first token -> its mentions
    rule_events: list[Event]
    cases: list[BodyCase]
    named: list[str]  # the partnership names the text gives
    doc_area: str
    quotes: list[Quote]
    speakers: dict[int, tuple[str, Body | None]]
    evidences: dict[int, Evidence]


_HEADLINE_WEIGHT = 0.7  # headlines use the present tense for anything
_QUOTED_WEIGHT = 0.75  # people quoted speak loosely about what is done or planned


def _sentence_weight(sent: Span, title: str | None, top: bool = False) -> float:
    """How much a sentence counts as evidence of an event's status. ``top``: it comes
    before the first sentence with a full stop (a headline or standfirst if it has none)."""
    text = " ".join(text_of(sent).split())
    if title and text.rstrip(".") == " ".join(title.split()).rstrip("."):
        return _HEADLINE_WEIGHT
    if top and text and text[-1].isalnum():
        return _HEADLINE_WEIGHT  # "Three boroughs take a step towards sharing services"
    if '"' in text:
        return _QUOTED_WEIGHT
    return 1.0


def _council_then(gazetteer: Gazetteer, event: Event) -> Event:
    """The council that existed at the event's date, for a name two councils have had.

    "Dorset" in an undated article about 2011 is the county council, not the
    unitary council of 2019.
    """
    council = gazetteer.by_code(event.body.code or "")
    if council is None or not event.date or council.active_on(event.date):
        return event
    for name in (council.short_name, event.body.name):
        then = next((c for c in gazetteer.candidates(name) if c.active_on(event.date)), None)
        if then is not None:
            return replace(event, body=Body(then.short_name, then.code))
    return event


def _labelled(events: list[Event], named: str, doc_area: str) -> tuple[list[Event], str]:
    """Events with their partnership's label, and the document's main label: ``named``
    (the name the text gives), else one made of the founders and the service area.

    A partnership a body sets up or joins after leaving or ending one (:func:`_starts_anew`)
    is another, with a label of its own; the name the text gives goes to the one whose
    sentences name it (the one left or ended when both or neither do).
    """
    # the name every sentence's events were given by default is decided here anew
    events = [replace(e, partnership="") if named and e.partnership == named else e for e in events]
    new = _starts_anew(events)
    if not new:
        return _labelled_alike(events, named, doc_area)
    old = [e for i, e in enumerate(events) if i not in new]
    fresh = [e for i, e in enumerate(events) if i in new]
    in_fresh = bool(named) and any(named in e.evidence.sentence for e in fresh)
    in_old = bool(named) and any(named in e.evidence.sentence for e in old)
    fresh_named = in_fresh and not in_old
    old, label = _labelled_alike(old, "" if fresh_named else named, _area_of(old, doc_area))
    fresh, fresh_label = _labelled_alike(
        fresh, named if fresh_named else "", _area_of(fresh, doc_area)
    )
    labelled = iter(old), iter(fresh)
    out = [next(labelled[i in new]) for i in range(len(events))]
    return out, fresh_label if fresh_named else label


def _area_of(events: list[Event], default: str) -> str:
    """The service area most of ``events`` name (the first on a tie), else ``default``."""
    counts = Counter(e.service_area for e in events if e.service_area)
    return counts.most_common(1)[0][0] if counts else default


def _starts_anew(events: list[Event]) -> set[int]:
    """The events (by index) that set up or join another partnership than the one their
    body leaves or ends in the text: its ``formed`` or ``joined`` that is not yet done, or
    is dated after the leaving or ending ("will leave ERW to form a new partnership"); and
    the other bodies' ``formed`` or ``joined`` of that status, if not done.

    >>> from lgkg.extract.records import Evidence
    >>> ev, a, b = Evidence("", 0, 0), Body("A", "E1"), Body("B", "E2")
    >>> def event(body, action, status, date=""):
    ...     return Event(body, action, "", "other", date, status, None, ev, 0.9, "test")
    >>> sorted(_starts_anew([event(a, "left", "agreed"), event(a, "formed", "proposed"),
    ...                      event(b, "formed", "proposed"), event(b, "joined", "done")]))
    [1, 2]
    >>> _starts_anew([event(a, "formed", "done", "2010"), event(a, "ended", "done", "2020")])
    set()
    """
    ends: dict[Body, list[str]] = {}
    for e in events:
        if e.action in (LEFT, ENDED):
            ends.setdefault(e.body, []).append(e.date)

    def later(e: Event) -> bool:
        return bool(e.date) and all(d and e.date[:4] > d[:4] for d in ends[e.body])

    new = {
        i
        for i, e in enumerate(events)
        if e.action in MEMBER_ACTIONS and e.body in ends and (e.status != DONE or later(e))
    }
    statuses = {events[i].status for i in new} - {DONE}
    new |= {
        i
        for i, e in enumerate(events)
        if e.action in MEMBER_ACTIONS and e.body not in ends and e.status in statuses
    }
    return new


def _labelled_alike(events: list[Event], named: str, doc_area: str) -> tuple[list[Event], str]:
    """:func:`_labelled` for events of one partnership, or of several with a body that has
    two events of one action (two partnerships in one text): then the events of each
    service area get their own label, and the name the text gives goes to the area of
    the first event."""
    if not events:
        return [], ""
    per_body = Counter((e.body, e.action) for e in events)
    split = any(n > 1 for n in per_body.values())
    areas = list(dict.fromkeys(e.service_area for e in events)) if split else [None]
    labels: dict[str | None, str] = {}
    for i, area in enumerate(areas):
        group = [e for e in events if area is None or e.service_area == area]
        members = [e.body for e in group if e.action in MEMBER_ACTIONS and e.body.is_council]
        founders = [e.body for e in group if e.action == FORMED and e.body.is_council]
        founders = list(dict.fromkeys(founders)) or list(dict.fromkeys(members))
        made = partnership_label(founders, group, area or doc_area)
        labels[area] = (named or made) if i == 0 else made
    labelled = [
        e if e.partnership else _with_label(e, labels[e.service_area if split else None])
        for e in events
    ]
    return labelled, labels[areas[0]]


def _ended_for_all(events: list[Event]) -> list[Event]:
    """A partnership that ends, ends for all its members (docs/contract.md, "ended"): each
    member the document names (formed or joined) with no ``ended`` event of its own gets
    the first one's status and date."""
    ends: dict[str, Event] = {}
    for e in events:
        if e.action == ENDED:
            ends.setdefault(e.partnership, e)
    if not ends:
        return events
    ended = {(e.body, e.partnership) for e in events if e.action == ENDED}
    out = list(events)
    for e in events:
        end = ends.get(e.partnership)
        if end is None or e.action not in MEMBER_ACTIONS or (e.body, e.partnership) in ended:
            continue
        ended.add((e.body, e.partnership))
        out.append(replace(end, body=e.body, rule=f"{end.rule}.member"))
    return out


def _with_label(event: Event, label: str) -> Event:
    return replace(event, partnership=label)


def _unique(events: list[Event]) -> list[Event]:
    """One event per (body, action, service area), the first."""
    seen: dict[tuple[Body, str, str], Event] = {}
    for e in events:
        seen.setdefault((e.body, e.action, e.service_area), e)
    return list(seen.values())


def _dedupe_savings(savings: list[Saving]) -> list[Saving]:
    """One saving per (who, amount, currency, period).

    A figure stated once with its period and once without (a headline) is
    the same saving.
    """
    seen: dict[tuple, Saving] = {}
    for s in savings:
        key = (s.who, s.amount, s.currency, s.period)
        if key not in seen or s.confidence > seen[key].confidence:
            seen[key] = s
    with_period = {(s.who, s.amount, s.currency) for s in seen.values() if s.period}
    return [
        s for s in seen.values() if s.period or (s.who, s.amount, s.currency) not in with_period
    ]


def _partnerships(events, named: list[str]) -> list[Partnership]:
    """One partnership per label of ``events``. The text's names (``named``) go to the
    one labelled with the first of them; a label made from members has none."""
    by_label: dict[str, list] = {}
    for e in events:
        by_label.setdefault(e.partnership, []).append(e)
    out = []
    for label, evs in by_label.items():
        area = Counter(e.service_area for e in evs).most_common(1)[0][0]
        members = tuple(dict.fromkeys(e.body for e in evs if e.action in MEMBER_ACTIONS))
        main = bool(named) and label == named[0]
        aliases = tuple(n for n in named if n != label) if main else ()
        out.append(Partnership(label, area, members, aliases, named=label in named))
    return out


__all__ = ["COUNCIL_LABEL", "Extractor", "build_nlp", "extractor_version", "service_area_of_text"]
