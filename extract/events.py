"""Partnership events: who formed, joined, left or ended what, when, with what status.

Each sentence's triggers (:mod:`lgkg.extract.triggers`) are tied to the
bodies the parse makes their agents: the subject of the trigger verb (or of
the verb it hangs from), the members named inside a partnership noun
("a merger between A and B"), the possessor ("A's withdrawal"), and, for
``formed``, the partners joined by "with". Candidates are then merged per
(body, action) across the document (one event per body, action and
partnership: docs/contract.md, "How texts are annotated").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Span, Token

from lgkg.extract.dates import compare, event_date, partnership_dates
from lgkg.extract.lexicon import load
from lgkg.extract.mentions import Mention, can_be_member
from lgkg.extract.partnerships import generated_label, is_partnership_reference
from lgkg.extract.records import Body, Event, Evidence
from lgkg.extract.service import service_area_of_text
from lgkg.extract.status import (
    agreed_lemmas,
    described_as_running,
    is_future,
    is_past,
    run_by_someone,
    status_of,
)
from lgkg.extract.tokens import features, is_passive, text_of
from lgkg.extract.triggers import (
    Trigger,
    admitted,
    find_triggers,
    founding_verbs,
    post_holders,
    source_phrases,
)
from lgkg.extract.vocabulary import (
    AGREED,
    DONE,
    ENDED,
    FORMED,
    JOINED,
    LEFT,
    MEMBER_ACTIONS,
    PROPOSED,
    PROVIDES,
    status_rank,
)

_UP_DEPS = {
    "xcomp",
    "acomp",  # "X is keen to share": keen -> is
    "ccomp",
    "advcl",
    "conj",
    "acl",
    "relcl",
    "pcomp",
    "prep",
    "pobj",
    "dobj",
    "attr",
    "amod",
    "compound",
    "nsubj",
    "appos",
    "oprd",
    "nmod",
    "npadvmod",
    "dep",
}


@dataclass(frozen=True)
class Candidate:
    event: Event
    sent_start: int  # token index of the sentence, to keep document order
    named_area: str | None = None  # the service area named at the trigger, if any
    earlier: bool = False  # of a partnership before the one the text is about
    status_told: bool = True  # does its sentence tell its status (not a bare noun's default)?


def _in(tok_i: int, m: Mention) -> bool:
    return m.start <= tok_i < m.end


def _mentions_in(tokens, mentions: list[Mention]) -> list[Mention]:
    if not mentions:
        return []
    idx = {t.i for t in tokens}
    return [m for m in mentions if any(i in idx for i in range(m.start, m.end))]


def _subject_mentions(
    trigger: Token, mentions: list[Mention], *, reported: bool = True
) -> list[Mention]:
    """Mentions in the subject of the trigger, or of the verbs and nouns it hangs from
    (``reported``: across a clause of speech too, "X said that *Y* would join")."""
    cur = trigger
    for _ in range(6):
        subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass", "poss")]
        passive = is_passive(cur)
        # "X was asked by Y to join": the one asked joins, not the one asking
        by_agent = cur is trigger or not passive
        agents = [
            g
            for c in cur.children
            if by_agent and (c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by"))
            for g in c.children
            if g.dep_ == "pobj"
        ]
        found = _mentions_in([t for s in subj + agents for t in s.subtree], mentions)
        if found:
            return found
        if cur.dep_ == "relcl":
            found = _mentions_in(cur.head.subtree, mentions)
            found = [m for m in found if not any(_in(t.i, m) for t in cur.subtree)]
            if found:
                return found
        if cur.dep_ not in _UP_DEPS or cur.head is cur or (cur.dep_ == "ccomp" and not reported):
            break
        cur = cur.head
    return []


def _object_tokens(trigger: Token) -> set[int]:
    """Tokens in what the trigger acts on (the partnership joined or left).

    A clause after the verb counts too: the model parses "join the A-B shared
    service" as "join [A-B shared service]" with "shared" as a verb. A passive verb's
    subject is what it acts on ("X's payroll *is provided* by Y").
    """
    out: set[int] = set()
    passive = is_passive(trigger)
    for c in trigger.children:
        if c.dep_ in ("dobj", "pobj", "attr", "oprd", "ccomp") or (
            passive and c.dep_ == "nsubjpass"
        ):
            out |= {t.i for t in c.subtree}
        if c.dep_ in ("prep", "prt"):
            out |= {t.i for g in c.children if g.dep_ in ("pobj", "pcomp") for t in g.subtree}
    return out


_LABEL_ENDS = (":", "-", "\u2013", "\u2014")  # "RESOLVED:", "Decision \u2013 ..."


def resolution_agent(sent: Span, publisher: Body | None) -> Mention | None:
    """The council that publishes a decision notice as the one acting in a resolution:
    of no subject ("2. *To* approve the proposal to join the hub", "RESOLVED: *to* join",
    "*Agreed* to join", "*It* was resolved to join"), or decided by its own members
    ("That *Cabinet* agrees to join", "The Cabinet *Member* for Resources agreed ..."). A
    mention of ``publisher`` over the word that stands for it, else None.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("To join the hub.")
    >>> doc[0].dep_, doc[0].head = "aux", doc[1]
    >>> doc[1].pos_ = "VERB"
    >>> resolution_agent(doc[:], Body("Brent", "E09000005")).start
    0
    """
    if publisher is None:
        return None
    words = [t for t in sent if t.is_alpha or t.text in _LABEL_ENDS]
    label = next((i for i, t in enumerate(words[:4]) if t.text in _LABEL_ENDS), -1)
    words = [t for t in words[label + 1 :] if t.lower_ not in ("the", "that")][:1]
    if not words:
        return None  # (after "RESOLVED:", "Decision -", "That ...", "the")
    first = words[0]
    if first.dep_ == "compound" and first.head.dep_ in ("nsubj", "nsubjpass"):
        first = first.head  # "The *Cabinet* Member for Resources agreed ..."
    if first.dep_ in ("nsubj", "nsubjpass"):
        own = {first.lower_} | {c.lower_ for c in first.children if c.dep_ == "compound"}
        decided = first.lower_ == "it" and first.head.lemma_ in agreed_lemmas()
        if own & _deciders() or decided:  # "Cabinet agreed ...", "It was resolved to ..."
            return Mention(first.i, first.i + 1, publisher, "reference")
        return None
    if first.lower_ == "to" and first.dep_ == "aux":
        verb = first.head  # "To approve ..."
    elif first.pos_ == "VERB" and first.dep_ == "ROOT":
        verb = first  # "Agreed to join ..."
    else:
        return None
    if verb.pos_ != "VERB" or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    return Mention(first.i, first.i + 1, publisher, "reference")


@cache
def _deciders() -> frozenset[str]:
    return frozenset(load("references")["deciders"])


def _resolution_clause(stand_in: Token) -> Token:
    """The verb of the resolution whose agent ``stand_in`` stands for."""
    return stand_in.head if stand_in.dep_ in ("aux", "nsubj", "nsubjpass") else stand_in


def _resolved(
    trigger: Token, resolution: Mention | None, mentions: list[Mention], subject: list[Mention]
) -> bool:
    """Does the resolution's publisher act at ``trigger``: the trigger lies in the
    resolution's clause, no body is named before it ("To enable *X* to join": X) or is
    the subject of a clause in it ("agreed that *X* should join"), and the subject the
    parse gives lies outside that clause ("To approve the proposal to join the hub
    through the contract let *by Y*")?"""
    if resolution is None:
        return False
    doc = trigger.doc
    verb = _resolution_clause(doc[resolution.start])
    clause = range(verb.left_edge.i, verb.right_edge.i + 1)
    return (
        trigger.i in clause
        and not any(m.start < trigger.i for m in mentions)
        and not any(
            m.start in clause and doc[m.start : m.end].root.dep_ in ("nsubj", "nsubjpass")
            for m in mentions
        )
        and not any(m.start in clause for m in subject)
    )


def _agents(
    trig: Trigger, sent: Span, mentions: list[Mention], resolution: Mention | None = None
) -> tuple[list[Mention], float]:
    tok = trig.token
    # a council where someone works is no agent, unless that someone acts: "Cllr Jane Roe,
    # leader of X, announced plans to share ..." (not what they say: "..., said Y will join")
    people = [m for m in mentions if _describes_someone(sent.doc[m.start])]
    mentions = [m for m in mentions if m not in people]
    if trig.kind == "converse":  # "X buys its legal service from Y": Y provides it
        found = _mentions_in([t for p in source_phrases(tok) for t in p.subtree], mentions)
        return found, 0.85 if found else 0.0
    if trig.kind == "admits":  # "the partnership expanded to include X": X joins
        found = _mentions_in(admitted(tok), mentions)
        return found, 0.8 if found else 0.0
    if trig.kind == "post":  # "chief executive of X and Y": they share the post
        found = _mentions_in(post_holders(tok), mentions + people)
        return found, 0.8 if found else 0.0
    subject = _subject_mentions(tok, mentions) or _subject_mentions(tok, people, reported=False)
    if _resolved(tok, resolution, mentions, subject):
        subject = [resolution]
    if trig.action in (JOINED, LEFT, PROVIDES):
        obj = _object_tokens(tok)
        subject = [m for m in subject if m.start not in obj]
        if subject:
            return subject, 0.85
        if trig.action == PROVIDES:
            return [], 0.0
        before = [m for m in mentions if m.end <= tok.i and m.start not in obj]
        return (before[-1:], 0.55) if before else ([], 0.0)
    inside = [
        m
        for m in _mentions_in(tok.subtree, mentions)
        if m not in subject and not _in_own_clause(sent.doc[m.start], tok)
    ]
    if trig.kind == "noun":
        inside = [m for m in inside if m.start not in _object_tokens(tok) or trig.action != JOINED]
    partners = [m for m in _partners_along(tok, mentions) if m not in subject + inside]
    found = subject + inside + partners
    if trig.kind == "noun" and found and _one_side(tok, found):
        found += _other_side(tok, mentions)
    if found:
        return found, 0.8 if subject else 0.7
    return list(mentions), 0.5


def _one_side(noun: Token, found: list[Mention]) -> bool:
    """Do all of ``found`` stand after the partnership noun's own "with" ("the partnership
    *with Y*"), which names one side of it, the other left to the clause around it?"""
    sides = {
        t.i for c in noun.children if c.dep_ == "prep" and c.lower_ == "with" for t in c.subtree
    }
    return all(m.start in sides for m in found)


def _other_side(noun: Token, mentions: list[Mention]) -> list[Mention]:
    """The other side of "a partnership with Y": the mentions in the subject of the nearest
    verb above the noun that has one outside it ("Leaders at X said the partnership with Y
    would save money", "X said its partnership with Y ...")."""
    own = {t.i for t in noun.subtree}
    for head in noun.ancestors:
        subjects = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in own]
        found = _mentions_in([t for s in subjects for t in s.subtree], mentions)
        if found:
            return found
    return []


_CLAUSES = ("relcl", "advcl", "ccomp", "parataxis")


def _in_own_clause(word: Token, trigger: Token) -> bool:
    """Is ``word`` (under a verb trigger) in a clause of its own, with agents of its own
    ("the notice period ends in March, *after which X will run its services*")? Under a
    noun, a clause describes the partnership ("a partnership *which X and Y set up*")."""
    if trigger.pos_ not in ("VERB", "AUX"):
        return False
    for t in (word, *word.ancestors):
        if t.i == trigger.i:
            return False
        if t.dep_ in _CLAUSES:
            return True
    return False


def _describes_someone(tok: Token) -> bool:
    """Is the word inside a clause about a person ("Jane Smith, who is also director of
    finance at Hart Council, said")? Such a council is where someone works."""
    return any(
        a.dep_ in ("relcl", "appos") and a.head.ent_type_ == "PERSON" for a in (tok, *tok.ancestors)
    )


def _partners_along(trigger: Token, mentions: list[Mention]) -> list[Mention]:
    """Mentions in "with X" / "along with X" phrases of the verbs above the trigger."""
    out: list[Mention] = []
    for verb in [trigger, *trigger.ancestors][:4]:
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("with", "alongside"):
                out += _mentions_in(prep.subtree, mentions)
            if prep.dep_ == "prep" and prep.lower_ == "along":
                out += [m for c in prep.children for m in _mentions_in(c.subtree, mentions)]
    return out


def _event_date(
    sent: Span, trigger: Token, published: str | None, action: str, triggers: list[Trigger]
) -> str:
    """The date the sentence gives for the trigger's event (:func:`event_date`; a date
    that hangs from a trigger of another action in the sentence is that one's, unless it
    only says who provides the service: "will be hosted by X and start in April"), else
    the date the document gives for the partnership's own start or end
    (:func:`partnership_dates`: "It was set up in 2007") unless the sentence tells of one
    at work already and that date is still to come, else "".
    """
    found = _sentence_date(sent, trigger, published, action, triggers)
    if found or action not in (FORMED, ENDED):
        return found
    cache = sent.doc.user_data
    if _OWN_DATES not in cache:
        cache[_OWN_DATES] = partnership_dates(sent.doc, published)
    own = cache[_OWN_DATES].get(action, "")
    if own and published and compare(own, published) > 0:
        told = status_of(sent, trigger, None, published)
        if told.status == DONE and told.told:
            return ""  # "already share a legal team": not the new service's start to come
    return own


def _sentence_date(
    sent: Span,
    trigger: Token,
    published: str | None,
    action: str,
    triggers: list[Trigger],
    decided_by: int | None = None,
) -> str:
    """:func:`event_date` in ``sent``, the sentence's other triggers (those of another
    action, but ``decided_by``, and those heading a clause of their own) keeping theirs."""
    others = {
        t.token.i
        for t in triggers
        if (t.action not in (action, PROVIDES) and t.token.i != decided_by)
        or (t.token.i != trigger.i and t.token.dep_ in _OWN_CLAUSES)
    }
    return _ahead(
        event_date(sent, trigger, published, action, others=others), sent, trigger, published
    )


def _decision_date(
    sent: Span, trigger: Token, published: str | None, action: str, triggers: list[Trigger]
) -> str:
    """The date of the decision to act, for an event whose sentence tells no date of its
    own: one that hangs from the verb of deciding the trigger is the infinitive of, when
    that verb is itself read as a trigger ("X *agreed on 12 March* to join"; SPEC: the
    decision's date when the text gives no other). Not the event's date for its status:
    a decision taken before publication is no action done."""
    head = trigger.head
    if trigger.dep_ != "xcomp" or not any(t.token.i == head.i for t in triggers):
        return ""
    return _sentence_date(sent, trigger, published, action, triggers, decided_by=head.i)


#: A trigger heading one of these clauses dates its own event, whatever its action: "X and Y,
#: who have shared a chief executive *since 2016*, will merge their IT teams".
_OWN_CLAUSES = frozenset({"relcl", "acl", "advcl"})
_OWN_DATES = "lgkg.partnership_dates"  # Doc.user_data key: partnership_dates(doc), once


def _ahead(date: str, sent: Span, trigger: Token, published: str | None) -> str:
    """A month written without its year is read in the publication year; when that falls
    before publication in a sentence about what is to come ("will merge from April",
    published in June), it is the next year's April, and when it falls after publication
    in one about what has happened ("since April they have shared a team", published in
    March), the last year's."""
    if not (date and published and len(date) >= 7) or date[5:] == "02-29":
        return date
    if date[:4] != published[:4] or date[:4] in text_of(sent):
        return date
    order = compare(date, published)
    if order < 0 and is_future(trigger):
        return f"{int(date[:4]) + 1}{date[4:]}"
    if order > 0 and is_past(trigger):
        return f"{int(date[:4]) - 1}{date[4:]}"
    return date


def _client(
    trigger: Token, sent: Span, mentions: list[Mention], providers: list[Mention]
) -> Body | None:
    """The body a service is provided to ("provide IT services to the LGA", "take over
    Hart's payroll service", "provide the LGA with IT services"), or None."""
    objects = _object_words(trigger)
    given = [
        t
        for v in _verb_phrase(trigger)
        for c in v.children
        if c.dep_ == "prep" and c.lower_ == "with"
        for g in c.children
        for t in g.subtree
    ]
    if _names_service(given):  # "provide X with IT services": X is served
        for m in _mentions_in(objects, mentions):
            if m not in providers and m.kind != "reference":
                return m.body
    if not _names_service(objects):
        return None
    owners = [t for t in objects if t.dep_ == "poss"]  # whose service it was
    for m in _mentions_in([t for o in owners for t in o.subtree], mentions):
        if m not in providers and m.kind != "reference":
            return m.body
    providing = {m.body for m in providers}
    for c in _recipient_phrases(trigger):
        named = _mentions_in(c.subtree, mentions)
        if any(m.body in providing for m in named):
            return None  # "for X and Y", provided by Y: a service Y shares, no client's
        for m in named:
            if m not in providers and m.kind != "reference":
                return m.body
        ents = [
            e
            for e in sent.ents
            if e.label_ in ("ORG", "GPE", "NORP") and e.start >= c.i and e.end <= c.right_edge.i + 1
        ]
        if ents:
            name = ents[0].text
            return Body(name[4:] if name.lower().startswith("the ") else name)
    return None


def _buyer(trigger: Token, mentions: list[Mention], providers: list[Mention]) -> Body | None:
    """Who buys the service a converse verb names ("X will buy its legal service from Y"):
    its subject, when what is bought is a service."""
    if not _names_service(_object_words(trigger)):
        return None
    buyers = [m for m in _subject_mentions(trigger, mentions) if m not in providers]
    return buyers[0].body if buyers else None


def _verb_phrase(trigger: Token) -> list[Token]:
    """The trigger and a participle the parse hangs from it in place of its object's first
    word ("deliver *building* control services": "building" as a verb)."""
    return [trigger, *(c for c in trigger.children if c.dep_ == "xcomp" and c.tag_ == "VBG")]


def _objects_of(trigger: Token) -> list[Token]:
    """The direct objects of the trigger's verb phrase (:func:`_verb_phrase`), or a passive
    verb's subject ("payroll services for X *are provided* by Y")."""
    return [
        c
        for v in _verb_phrase(trigger)
        for c in v.children
        if c.dep_ == "dobj" or (c.dep_ == "nsubjpass" and is_passive(v))
    ]


def _object_words(trigger: Token) -> list[Token]:
    """The words of the direct objects of the trigger's verb phrase (what is provided)."""
    return [t for o in _objects_of(trigger) for t in o.subtree]


def _names_service(tokens: list[Token]) -> bool:
    """Do ``tokens`` name a service: a service area's words, or "service" or "support"?"""
    return bool(tokens) and bool(
        service_area_of_text(" ".join(t.text for t in tokens))
        or any(t.lemma_ in ("service", "support") for t in tokens)
    )


def _recipient_phrases(trigger: Token) -> list[Token]:
    """The phrases that name whom a service is for: "to X" or "for X" hanging from the
    verb or from its object ("provide a payroll service *to X*"), and "on behalf of X".
    A shared service's recipients are its members, not its clients ("provide a *shared*
    service for X and Y"): such an object's phrases are left out."""
    shared = set(load("actions")["formed"]["weak_noun_modifiers"])
    objects = [o for o in _objects_of(trigger) if not any(t.lower_ in shared for t in o.lefts)]
    children = [c for v in _verb_phrase(trigger) for c in v.children]
    return [
        c
        for c in [*children, *(g for o in objects for g in o.children)]
        if (c.dep_ in ("dative", "prep") and c.lower_ in ("to", "for"))
        or (c.lower_ == "on" and any(g.lower_ == "behalf" for g in c.children))
    ]


def _local_area(trigger: Token) -> str | None:
    """The service area named at the trigger: "a shared *legal* service", "share *IT*"."""
    aside = set(load("service_areas")["circumstance_preps"])
    tokens = (
        list(trigger.subtree)
        if trigger.pos_ in ("NOUN", "PROPN")
        else [
            t
            for c in trigger.children
            if c.dep_ in ("dobj", "attr", "prep", "prt", "xcomp", "ccomp") and c.lower_ not in aside
            for t in c.subtree
        ]
    )
    if trigger.dep_ in ("dobj", "pobj", "compound") and trigger.pos_ in ("NOUN", "PROPN"):
        tokens += [trigger.head]
    return service_area_of_text(" ".join(t.text for t in tokens)) if tokens else None


def _in_proper_name(trigger: Token, m: Mention) -> bool:
    """The council is named inside a title-case name that ends in the trigger, whatever
    the parse: "The Hart, Rushmoor and Surrey Heath *Building Control Partnership*"."""
    if not trigger.is_title or m.end > trigger.i:
        return False
    between = trigger.doc[m.end : trigger.i]
    return all(t.is_title or t.is_upper or t.lower_ in ("and", "&", ",") for t in between)


def _prospective(sent: Span, mentions: list[Mention]) -> list[Mention]:
    """Bodies named as ones that may join: "with X and Y *as possible partners*"."""
    spec = load("actions")["prospective"]
    doc, out = sent.doc, []
    lower = features(doc).lower
    for i in range(max(sent.start, 2), sent.end):
        if lower[i] not in spec["nouns"]:
            continue
        if lower[i - 1] not in spec["modifiers"] or lower[i - 2] != "as":
            continue
        listed = [m for m in mentions if m.end <= i - 2]
        j = i - 2  # walk back over the list just before "as"
        for m in reversed(listed):
            gap = doc[m.end : j]
            if any(t.lower_ not in ("and", ",", "&", "or") for t in gap):
                break
            out.append(m)
            j = m.start
    return out


def _rule(trig: Trigger, m: Mention, existing: bool) -> str:
    """The rule id, telling apart members named inside a partnership's name
    ("the *Brent*-*Lewisham* shared IT service") and in a joined partnership."""
    if existing:
        return "event.formed.existing"
    if trig.action == FORMED and trig.kind == "noun":
        root = m.tokens(trig.token.doc).root
        if root.dep_ in ("compound", "nmod", "amod", "poss") and root.head.i in {
            t.i for t in trig.token.subtree
        }:
            return "event.formed.name"
        if _in_proper_name(trig.token, m):
            return "event.formed.name"
    return trig.rule


def sentence_events(
    sent: Span,
    mentions: list[Mention],
    *,
    published: str | None,
    context_area: str | None,
    doc_area: str,
    partnership: str,
    evidence: Evidence,
    weight: float = 1.0,
    publisher: Body | None = None,
) -> list[Candidate]:
    """Event candidates in one sentence (``mentions`` are this sentence's; ``publisher``:
    the council whose website the document is on, which acts in its resolutions).

    The service area is the one named at the trigger, else ``context_area``
    (the title's), else the sentence's, else ``doc_area``. ``weight`` scales
    the confidence of sentences that are weaker evidence (a headline, words
    inside a quotation).
    """
    out: list[Candidate] = []
    sentence_area = service_area_of_text(text_of(sent))
    triggers = find_triggers(sent)
    provided = {  # the bodies served ("provides IT to X"), not the whole clause
        t.i
        for tr in triggers
        if tr.action == PROVIDES
        for c in tr.token.children
        if c.dep_ in ("dobj", "dative") or (c.dep_ == "prep" and c.lower_ in ("to", "for"))
        for t in c.subtree
    }
    providing = {tr.token.i for tr in triggers if tr.action == PROVIDES}
    joined_objects = {
        i for tr in triggers if tr.action in (JOINED, LEFT) for i in _object_tokens(tr.token)
    }
    coming = _prospective(sent, mentions)
    for m in coming:
        status = PROPOSED
        event = Event(
            m.body,
            JOINED,
            partnership,
            context_area or sentence_area or doc_area,
            "",
            status,
            None,
            evidence,
            round(0.7 * weight, 3),
            "event.joined.prospective",
        )
        out.append(Candidate(event, sent.start))
    mentions = [m for m in mentions if m not in coming]
    earlier_triggers = [  # "its previous partnership with X", "the existing alliance of X"
        t
        for t in triggers
        if t.action == FORMED
        and t.kind == "noun"
        and t.token.i not in joined_objects
        and (_former(t.token) or _modified_by(t.token, "standing_modifiers"))
    ]
    inside_earlier = {x.i for t in earlier_triggers for x in t.token.subtree}
    resolution = resolution_agent(sent, publisher)
    for trig in triggers:
        agents, conf = _agents(trig, sent, mentions, resolution)
        named_area = _local_area(trig.token)
        area = named_area or context_area or sentence_area or doc_area
        fallback = conf <= 0.5  # no agent on the parse, only the sentence's mentions
        if trig.action == ENDED and (fallback or not any(m.body.is_council for m in agents)):
            if is_partnership_reference(trig.token):
                date = _event_date(sent, trig.token, published, trig.action, triggers)
                status, sconf, _ = status_of(sent, trig.token, date or None, published)
                out.append(
                    Candidate(
                        Event(
                            ALL_MEMBERS,
                            ENDED,
                            partnership,
                            area,
                            date,
                            status,
                            None,
                            evidence,
                            round(sconf, 3),
                            trig.rule,
                        ),
                        sent.start,
                    )
                )
            continue
        if trig.action == PROVIDES and not agents and is_partnership_reference(trig.token):
            # "The unit also provides services for X": every member provides them
            client = _client(trig.token, sent, mentions, [])
            if client is not None:
                date = _event_date(sent, trig.token, published, trig.action, triggers)
                status, sconf, _ = status_of(sent, trig.token, date or None, published)
                event = Event(
                    ALL_MEMBERS,
                    PROVIDES,
                    partnership,
                    area,
                    date,
                    status,
                    client,
                    evidence,
                    round(sconf, 3),
                    trig.rule,
                )
                out.append(Candidate(event, sent.start, named_area))
            continue
        if trig.action == FORMED:
            agents = [m for m in agents if m.start not in provided]
            if trig.kind == "noun" and _terms_of(trig.token, providing):
                continue  # "X will provide IT to Y under a new agreement": the contract
            taking_part = _taking_part(trig.token, mentions)
            if taking_part:  # "X will take part in the partnership run by Y": X joins it
                verb, agents = taking_part
                trig = Trigger(verb, JOINED, "verb")
        if trig.action == JOINED and agents:
            partners = _new_partnership_with(trig.token, mentions)
            if partners:  # "X will join a partnership with Y": both found it
                agents = agents + [m for m in partners if m not in agents]
        if trig.action != PROVIDES:
            agents = [m for m in agents if can_be_member(m.body)]
        if (  # (a partnership that takes councils in was there before them)
            trig.action == JOINED
            and trig.kind != "admits"
            and len({m.body for m in agents if m.body.is_council}) >= 2
            and not _joins_one_known(trig.token, [m for m in mentions if m not in agents])
        ):
            trig = Trigger(trig.token, FORMED, trig.kind)  # founders signing up together
        if not agents:
            continue
        existing = (
            trig.action == FORMED
            and trig.token.i in joined_objects
            and not _tells_founding(trig.token)
        )
        client = None
        if trig.action == PROVIDES:
            if trig.kind == "converse":
                client = _buyer(trig.token, mentions, agents)
            else:
                client = _client(trig.token, sent, mentions, agents)
            if client is None:
                continue
        scope = sent  # where its date is told; a running partnership's, in its own phrase
        if trig.kind == "noun" and described_as_running(trig.token):
            scope = sent.doc[trig.token.left_edge.i : trig.token.right_edge.i + 1]
        date = _event_date(scope, trig.token, published, trig.action, triggers)
        status, sconf, status_told = status_of(sent, trig.token, date or None, published)
        date = date or _decision_date(sent, trig.token, published, trig.action, triggers)
        if existing:  # "X will join the A-B shared service": A and B formed it already
            date, status, sconf, conf = "", DONE, 0.5, 0.5
        former = trig.action == FORMED and trig.kind == "noun" and _former(trig.token)
        earlier = trig in earlier_triggers
        if earlier:  # "its previous partnership with X": formed (and ended) before
            status, sconf = DONE, 0.7
            named_area = area = named_area or sentence_area or "other"
        else:  # a council named only in an earlier partnership is not in this one
            agents = [m for m in agents if m.start not in inside_earlier]
        # an earlier partnership is one of its own, named by its members ("the existing
        # alliance between X and Y", "Z's previous partnership with W": two, not one)
        label = generated_label([m.body.name for m in agents], area) if earlier else partnership
        seen: set[Body] = set()
        for m in agents:
            if m.body in seen or (client is not None and m.body == client):
                continue
            seen.add(m.body)
            body_weight = 0.9 if m.kind == "name" else 0.75
            event = Event(
                body=m.body,
                action=trig.action,
                partnership=label,
                service_area=area,
                date=date,
                status=status,
                client=client,
                evidence=evidence,
                confidence=round(min(conf, sconf + 0.2) * body_weight * weight, 3),
                rule=_rule(trig, m, existing),
            )
            out.append(Candidate(event, sent.start, named_area, earlier, status_told))
            if former:
                ended = replace(event, action=ENDED, date="", rule="event.ended.former")
                out.append(Candidate(ended, sent.start, named_area, earlier))
    return out


def _taking_part(noun: Token, mentions: list[Mention]) -> tuple[Token, list[Mention]] | None:
    """The verb and the bodies of taking part in a partnership already at work (one a
    participle says someone runs, hosts or leads: "the partnership *run by Y*"): the subject
    of the verb the noun is the object of, or of whose preposition ("X will take part *in*
    the partnership hosted by Y", "X will be part *of* ..."), when not inside it."""
    if not (described_as_running(noun) or run_by_someone(noun)):
        return None
    verb = noun.head
    if noun.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head.head if verb.head.pos_ in ("NOUN", "PROPN") else verb.head
    elif noun.dep_ not in ("dobj", "attr"):
        return None
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    own = {t.i for t in noun.subtree}
    joiners = [m for m in _subject_mentions(verb, mentions, reported=False) if m.start not in own]
    return (verb, joiners) if joiners else None


def _terms_of(noun: Token, providing: Collection[int]) -> bool:
    """Is the partnership noun the terms a body provides a service on ("X will provide IT
    to Y *under a new agreement*"): in a prepositional phrase of the providing verb
    (``providing``: the sentence's), not its subject ("the partnership between A and B
    provides ...")?"""
    tok = noun
    while tok.dep_ in ("pobj", "prep") and tok.head is not tok:
        tok = tok.head
        if tok.i in providing:
            return True
    return False


def _new_partnership_with(trigger: Token, mentions: list[Mention]) -> list[Mention]:
    """The bodies a joining verb's object names as partners in a partnership it introduces
    ("will join *a* partnership *with Y*": a new one, which both found), or the bodies it
    joins in founding one ("will join *Y and Z* to create an agency", "joined *Y* in
    setting up a shared service"), else none."""
    out: list[Mention] = []
    for obj in (c for c in trigger.children if c.dep_ == "dobj"):
        if any(_in(obj.i, m) for m in mentions) and _founding_clause(trigger):
            out += _mentions_in(obj.subtree, mentions)
            continue
        if not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in obj.children):
            continue
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ == "with":
                out += _mentions_in(prep.subtree, mentions)
    return out


def _founding_clause(verb: Token) -> bool:
    """Does a clause of founding hang from ``verb`` ("... *to create* an agency", "... *in
    setting up* a shared service")?"""
    founding = founding_verbs()
    clauses = [c for c in verb.children if c.dep_ in ("advcl", "xcomp")]
    clauses += [
        g
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ == "in"
        for g in c.children
        if g.dep_ == "pcomp"
    ]
    return any(c.pos_ == "VERB" and c.lemma_.lower() in founding for c in clauses)


def _tells_founding(trigger: Token) -> bool:
    """Is the trigger the verb of a clause of its own that says who founded what is joined
    ("the partnership *that X and Y set up* in 2012", "*which was formed by* X and Y")?
    Those are founders the text states, not members named only in its name."""
    return trigger.dep_ in ("relcl", "acl") and any(
        c.dep_ in ("nsubj", "nsubjpass", "agent") for c in trigger.children
    )


def _joins_one_known(trigger: Token, others: list[Mention]) -> bool:
    """Does the joining verb take a partnership that is there already: a pronoun for one the
    text told of before ("are looking to join *it*"), one a body other than the joiners
    (``others``) owns or names as a member ("join *Harborough's* shared service", "the
    partnership *between Harborough and Blaby*"; not "a partnership *with Y*" that Y founds
    with them) or one said to exist ("the *existing* partnership")? Then several councils
    joining it are not its founders."""
    for c in trigger.children:
        objects = [c] if c.dep_ == "dobj" else []
        if c.dep_ == "prep":
            objects = [g for g in c.children if g.dep_ == "pobj"]
        for o in objects:
            if (
                o.pos_ == "PRON"
                or _modified_by(o, "standing_modifiers")
                or _mentions_in(list(o.subtree), others)
            ):
                return True
    return False


def _modified_by(trigger: Token, key: str) -> bool:
    """Does a word of the ``actions.json`` list ``key`` modify the partnership noun, or
    the noun it describes ("our *existing* sharing arrangements")?"""
    modifiers = set(load("actions")[key])
    nouns = [trigger, trigger.head] if trigger.dep_ in ("compound", "amod") else [trigger]
    return any(
        c.dep_ in ("amod", "compound") and c.lower_ in modifiers
        for noun in nouns
        for c in noun.children
    )


def _former(trigger: Token) -> bool:
    """A partnership noun that names one of the past: "its *previous* partnership"."""
    return _modified_by(trigger, "former_modifiers")


ALL_MEMBERS = Body("*every member*")  # an "ended" whose agent is the partnership itself

_KIND_RANK = {"verb": 3, "particle": 3, "phrase": 2, "noun": 1}


def _rank(e: Event) -> tuple[float, int]:
    return (e.confidence, _KIND_RANK.get(e.rule.rsplit(".", 1)[-1], 0))


def _vote(tally: dict[str, float], default: str) -> str:
    """The most advanced status any of a fact's sentences supports.

    A press release mentions a done deal in many tenses; the plans and
    approvals it recalls come before it.
    """
    if not tally:
        return default
    return max(tally, key=lambda s: (status_rank(s), round(tally[s], 6)))


def _groups(candidates: list[Candidate], min_confidence: float) -> dict[int, str]:
    """Which partnership of its (body, action) each candidate speaks of, by position.

    A body that forms (or joins...) two partnerships in one document names a
    different service area at each trigger ("a shared legal service", "a
    joint waste team"); candidates of such a (body, action) are grouped by
    that area. The others (no area at the trigger) make a group of their own,
    whose date a named group without one takes.
    """
    named: dict[tuple[Body, str], list[str]] = {}
    for cand in candidates:
        e = cand.event
        if cand.named_area and e.confidence >= min_confidence and not cand.earlier:
            areas = named.setdefault((e.body, e.action), [])
            if cand.named_area not in areas:
                areas.append(cand.named_area)
    split: dict[str, set[str]] = {}  # per action, the areas told apart for some body
    for (_, action), areas in named.items():
        if len(areas) >= 2:
            split.setdefault(action, set()).update(areas)
    out: dict[int, str] = {}
    for i, cand in enumerate(candidates):
        areas = named.get((cand.event.body, cand.event.action), [])
        told_apart = len(areas) >= 2 or cand.named_area in split.get(cand.event.action, ())
        out[i] = cand.named_area or "" if told_apart else ""
        if cand.earlier:  # "the existing alliance of X and Y" is a partnership of its own
            out[i] = f"earlier {cand.named_area} {cand.event.partnership}"
    # a trigger naming no area speaks of the partnership its sentence names for that body
    in_sentence = {
        (c.event.body, c.event.action, c.sent_start): out[i]
        for i, c in enumerate(candidates)
        if out[i] and not c.earlier
    }
    for i, cand in enumerate(candidates):
        if not cand.named_area:
            key = (cand.event.body, cand.event.action, cand.sent_start)
            out[i] = in_sentence.get(key, out[i])
    return out


_SECOND_GROUP_MIN = 0.6  # a second partnership of one body needs firmer evidence
_MEMBER_MIN = 0.5  # a founder of what others join or leave needs more than a passing mention


def _strongest(best: dict, body: Body, action: str) -> Event:
    return max((e for (b, a, _), e in best.items() if (b, a) == (body, action)), key=_rank)


def merge(
    candidates: list[Candidate], min_confidence: float = 0.45, published: str | None = None
) -> list[Event]:
    """One event per (body, action, partnership): the most confident, with a date where
    any candidate has one.

    ``formed`` is dropped for a body that the same document says joined, or
    left unless another sentence tells of its founding, and ``ended`` with
    no named agent spreads to every member.
    """
    Key = tuple[Body, str, str]
    best: dict[Key, Event] = {}
    dated: dict[Key, str] = {}
    dated_rank: dict[Key, tuple[float, int]] = {}
    votes: dict[Key, dict[str, float]] = {}
    untold: dict[Key, dict[str, float]] = {}  # the votes of bare nouns' default statuses
    groups = _groups(candidates, min_confidence)
    sents: dict[Body, set[int]] = defaultdict(set)  # where each body forms something
    sents_left: dict[Body, set[int]] = defaultdict(set)  # where it leaves
    for c in candidates:
        if c.event.confidence >= min_confidence and c.event.action in (FORMED, LEFT):
            (sents if c.event.action == FORMED else sents_left)[c.event.body].add(c.sent_start)
    told = {
        (c.event.body, c.event.action, groups[i])
        for i, c in enumerate(candidates)
        if c.event.confidence >= min_confidence and not c.event.rule.endswith(".existing")
    }
    # a body served under contract is no member of what serves it (its own sentence says so)
    served = {
        (c.event.client, c.sent_start)
        for c in candidates
        if c.event.action == PROVIDES and c.event.client is not None
    }
    for i, cand in enumerate(candidates):
        e = cand.event
        if e.confidence < min_confidence:
            continue
        if e.action in MEMBER_ACTIONS and (e.body, cand.sent_start) in served:
            continue
        key = (e.body, e.action, groups[i])
        if e.date and (key not in dated or _rank(e) > dated_rank[key]):
            dated[key], dated_rank[key] = e.date, _rank(e)
        tally = (votes if cand.status_told else untold).setdefault(key, {})
        # "X joins the A-B service" says nothing of where A and B's own partnership stands
        if not e.rule.endswith(".existing") or key not in told:
            tally[e.status] = tally.get(e.status, 0.0) + e.confidence
        if key not in best or _rank(e) > _rank(best[key]):
            best[key] = e
    members = [
        b
        for (b, a, _), e in best.items()
        if a in MEMBER_ACTIONS and b.is_council and not e.rule.endswith(".prospective")
    ]
    for spread_action in (ENDED, PROVIDES):  # the partnership's own act is its members'
        spread_key = (ALL_MEMBERS, spread_action, "")
        spread = best.pop(spread_key, None)
        if spread is not None and not spread.date and spread_key in dated:
            spread = replace(spread, date=dated[spread_key])
        if spread is None:
            continue
        for body in dict.fromkeys(members):
            key = (body, spread_action, "")
            tally = votes.setdefault(key, {})
            for status, weight in votes.get(spread_key, {}).items():
                tally[status] = tally.get(status, 0.0) + weight
            if key not in best:
                best[key] = replace(spread, body=body)
            elif not best[key].date and spread.date:
                dated.setdefault(key, spread.date)
    actions_of: dict[Body, set[str]] = {}
    for body, action, _ in best:
        actions_of.setdefault(body, set()).add(action)
    # Members named only in a partnership's name ("the A-B shared service") while another
    # council joins or leaves it are existing members: no event of theirs is reported.
    movers = any(a in (JOINED, LEFT) for _, a, _ in best)
    named_only = {
        key
        for key, e in best.items()
        if movers and key[1] == FORMED and e.rule.endswith((".name", ".existing"))
    }
    joined_areas, left_areas = (  # a mover's (body, area), and (body, "") for any
        {(b, area) for (b, a, _), e in best.items() if a == mover for area in ("", e.service_area)}
        for mover in (JOINED, LEFT)
    )
    moved_areas = {area for b, area in joined_areas | left_areas if area}
    ended_areas = {(b, e.service_area) for (b, a, _), e in best.items() if a == ENDED}
    founders: dict[str, set[Body]] = {}
    for body, action, group in best:
        if action == FORMED:
            founders.setdefault(group, set()).add(body)
    out: list[tuple[str, Event]] = []  # each event with its group
    for key, e in best.items():
        body, action, group = key
        if group and e is not _strongest(best, body, action):
            alone = action == FORMED and len(founders.get(group, ())) < 2
            if alone or e.confidence < _SECOND_GROUP_MIN:
                continue
        area_key = e.service_area if group else ""
        if action == FORMED and (body, area_key) in joined_areas:
            continue  # a joiner founded nothing, unless another partnership by its area
        if action == FORMED and LEFT in actions_of[body] and not sents[body] - sents_left[body]:
            continue  # a leaver is a founder only where another sentence says so
        if key in named_only:
            continue
        date = dated.get(key)
        same_area = (  # the dates of this body's groups that are the same partnership
            dated[k]
            for k, other in best.items()
            if k[:2] == key[:2]
            and k != key
            and k in dated
            and other.service_area == e.service_area
            and (not group or not k[2])
        )
        date = date or next(same_area, None)
        if not e.date and date:
            e = replace(e, date=date)
        # a sentence that tells the status outvotes a bare noun's default ("the partnership")
        status = _vote(votes.get(key) or untold.get(key, {}), e.status)
        if status == DONE and e.date and published and compare(e.date, published) > 0:
            status = AGREED  # takes effect after publication
        if (
            action == FORMED
            and e.service_area in moved_areas
            and (status == PROPOSED or e.confidence < _MEMBER_MIN)
        ):
            continue  # others join or leave it: it is formed already, whoever founded it
        if action == FORMED and (body, e.service_area) in ended_areas:
            status = DONE  # what is being ended was formed before
        if status != e.status:
            e = replace(e, status=status)
        out.append((group, e))
    return _founding_dates_shared(out)


def _founding_dates_shared(grouped: list[tuple[str, Event]]) -> list[Event]:
    """A partnership is founded once: founders of one group with the same status and no
    date of their own take the date of the most confident dated founder ("X and Y agreed
    to merge their teams. The new team, hosted by X, starts on 1 April.")."""
    dates: dict[tuple[str, str], str] = {}
    for group, e in sorted(grouped, key=lambda p: -p[1].confidence):
        if e.action == FORMED and e.date:
            dates.setdefault((group, e.status), e.date)
    return [
        replace(e, date=dates[group, e.status])
        if e.action == FORMED and not e.date and (group, e.status) in dates
        else e
        for group, e in grouped
    ]
