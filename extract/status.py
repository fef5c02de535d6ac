"""An event's status as of publication: ``proposed``, ``agreed`` or ``done``.

Read from the modality and tense around the trigger word and from the
event's date against the publication date (docs/contract.md, "Statuses").
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from lgkg.extract.dates import compare
from lgkg.extract.lexicon import load
from lgkg.extract.tokens import features, is_infinitive, is_passive
from lgkg.extract.vocabulary import AGREED, DONE, PROPOSED


@cache
def _cues() -> dict[str, frozenset]:
    d = load("status")
    return {
        "strong": frozenset(d["proposed_lemmas"]),
        "weak": frozenset(d["proposed_weak_lemmas"]),
        "agreed": frozenset(d["agreed_lemmas"]),
        "strong_phrases": frozenset(tuple(p) for p in d["proposed_phrases"]),
        "agreed_phrases": frozenset(tuple(p) for p in d["agreed_phrases"]),
        "done_phrases": frozenset(tuple(p) for p in d["done_phrases"]),
        "pending_heads": frozenset(d["pending_heads"]),
        "continuing": frozenset(d["continuing_lemmas"]),
        "future_heads": frozenset(d["future_heads"]),
        "future_aux": frozenset(d["future_auxiliaries"]),
        "running": frozenset(d["done_lemmas"]) | frozenset(d["running_participles"]),
    }


def agreed_lemmas() -> frozenset[str]:
    """The lemmas of deciding ("agree", "approve", "resolve"): ``status.json``'s agreed cues."""
    return _cues()["agreed"]


def _has_phrase(lemmas: list[str], phrases: frozenset) -> bool:
    present = set(lemmas)
    for p in phrases:
        if p[0] not in present:
            continue
        n = len(p)
        for i in range(len(lemmas) - n + 1):
            if tuple(lemmas[i : i + n]) == p:
                return True
    return False


def _lemmas(tokens) -> list[str]:
    return [t.lemma_.lower() if t.lemma_ else t.lower_ for t in tokens]


def _without_time_preps(sent: Span) -> list[Token]:
    """The sentence less the prepositions that head a date or time ("voted *on* Tuesday"):
    they are no part of a verb's phrase ("will vote on the plan")."""
    f = features(sent.doc)  # the words' dependencies, read once per document
    span = slice(sent.start, sent.end)
    return [
        t
        for t, dep in zip(f.tokens[span], f.dep[span], strict=True)
        if not (dep == "prep" and any(c.ent_type_ in ("DATE", "TIME") for c in t.children))
    ]


def _headline_infinitive(tok: Token) -> bool:
    """A headline's future: an infinitive no finite verb governs, hanging from a verbless
    noun phrase ("Councils *to share* legal team", "Agency *to be formed* by X and Y") or
    standing alone ("X and Y *to share* legal team")."""
    if not is_infinitive(tok):
        return False
    if tok.tag_ != "VB" and not (tok.tag_ == "VBN" and is_passive(tok)):
        return False
    return tok.dep_ == "ROOT" or (
        tok.dep_ in ("acl", "relcl", "xcomp")
        and tok.head.dep_ == "ROOT"
        and tok.head.pos_ in ("NOUN", "PROPN")
    )


def is_future(trigger: Token) -> bool:
    """Does the trigger speak of what is still to come ("will join", "is to merge",
    "Councils *to share* legal team", "have been told to collaborate")?"""
    cues = _cues()
    for tok in (trigger, trigger.head):
        if _headline_infinitive(tok):
            return True
        for child in tok.children:
            if child.dep_ == "aux" and child.lower_ in cues["future_aux"]:
                return True
        if tok.dep_ == "xcomp" and tok.head.lemma_ in cues["future_heads"]:
            return True
    return False


def _is_progressive(trigger: Token) -> bool:
    """Present progressive: "X is joining", "the councils are merging" (under way, not done),
    also for an infinitive under one ("are joining forces *to share*")."""
    for tok in (trigger, trigger.head) if is_infinitive(trigger) else (trigger,):
        if tok.tag_ == "VBG" and any(
            c.dep_ == "aux" and c.lower_ in ("is", "are", "'s", "'re", "am") for c in tok.children
        ):
            return True
    return False


def _pending(tok: Token) -> bool:
    """A decision still to come: "are *set to agree*", "will *vote*", "expected to *approve*"."""
    if tok.tag_ != "VB":
        return False
    if any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in tok.children):
        return True
    return tok.dep_ == "xcomp" and (tok.head.lemma_ or "").lower() in _cues()["pending_heads"]


def _conditional(trigger: Token) -> bool:
    """Hangs on a condition: "*if* both councils agree, a team will be set up"."""
    heads = _condition_heads(trigger.doc)
    return trigger.i in heads or any(tok.i in heads for tok in trigger.ancestors)


def _condition_heads(doc: Doc) -> frozenset[int]:
    """The words a clause of condition hangs from ("*if* both councils agree" as an
    ``advcl`` with its ``mark``); found once per document."""
    memo = features(doc).memo
    if "status.condition_heads" not in memo:
        conditions = _cues()["strong"]
        f = features(doc)
        memo["status.condition_heads"] = frozenset(
            clause.head.i
            for clause, dep in zip(f.tokens, f.dep, strict=True)
            if dep == "advcl"
            and clause.head.i != clause.i
            and any(m.dep_ == "mark" and m.lower_ in conditions for m in clause.children)
        )
    return memo["status.condition_heads"]


def is_past(trigger: Token) -> bool:
    """Does the trigger tell of what has happened ("joined", "have shared")?"""
    if trigger.tag_ == "VBD":
        return True
    if trigger.tag_ == "VBN" and any(
        c.dep_ == "aux" and c.lemma_ == "have" for c in trigger.children
    ):
        return True
    return trigger.tag_ in ("VBN",) and trigger.dep_ in ("ROOT", "conj")


def _participle_clause(tok: Token) -> bool:
    """A past participle describing a noun ("the service *run* by X", "the team *set* up
    in 2012"), not one still to come ("to be hosted by X")."""
    return (
        tok.dep_ == "acl"
        and tok.tag_ == "VBN"
        and not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
    )


def described_as_running(noun: Token) -> bool:
    """Is the noun described as a partnership already at work ("the joint service *run*
    by X and Y", "the team *set up* in 2012")? Then what its sentence says of it (is
    retendered, will be expanded) is no news of its founding."""
    running = _cues()["running"]
    return any(
        _participle_clause(c) and (c.lemma_ or c.lower_).lower() in running for c in noun.children
    )


def run_by_someone(noun: Token) -> bool:
    """Does a participle with an agent describe the noun ("the service *hosted by* Y")?"""
    return any(
        _participle_clause(c) and any(g.dep_ == "agent" for g in c.children) for c in noun.children
    )


def _clause(trigger: Token) -> list[Token]:
    """The trigger, the words it hangs from up to the root, and their direct dependents
    (with the words a compound makes of them);
    a trigger heading a relative or participle clause ("the partnership, which *began*
    in 2011, is expected to ...", "the team *set up* in 2012 will grow") is a clause of
    its own."""
    own = trigger.dep_ == "relcl" or _participle_clause(trigger)
    chain = [trigger] if own else [trigger, *trigger.ancestors]
    out = {t.i: t for t in chain}
    for t in chain:
        for c in t.children:
            out.setdefault(c.i, c)
            for word in c.children:  # a dependent's own words: "the *go-ahead*"
                if word.dep_ == "compound" or (word.dep_ == "punct" and word.text == "-"):
                    out.setdefault(word.i, word)
    return [out[i] for i in sorted(out)]


def _continuing(trigger: Token) -> bool:
    """Does the trigger tell of an arrangement that goes on ("will *remain* in place",
    "will *continue* to share"), not one said not to ("will not continue": an ending)?"""
    continuing = _cues()["continuing"]
    return any(lem in continuing for lem in _lemmas([trigger, *trigger.ancestors])) and not any(
        c.dep_ == "neg" for c in trigger.children
    )


def _decision_word(tok: Token) -> bool:
    """Is a word with an agreed cue's lemma a verb or a noun of deciding ("councillors
    *backed* it", "the *decision*"), not a particle or a modifier with that spelling
    ("brought *back* in house", "share *back* office services", "*sign*-off")?"""
    if tok.pos_ in ("VERB", "AUX"):
        return True
    return tok.pos_ in ("NOUN", "PROPN") and tok.dep_ != "compound"


def _sentence_cues(sent: Span) -> tuple[bool, bool]:
    """Whether ``sent`` has a phrase of what is only proposed (its date and time
    prepositions left out) and one of what is done; worked out once per sentence."""
    memo = features(sent.doc).memo
    key = ("status.sentence", sent.start, sent.end)
    if key not in memo:
        cues = _cues()
        f = features(sent.doc)
        untimed = [t.i for t in _without_time_preps(sent)]
        memo[key] = (
            _has_phrase([f.lemma[i] for i in untimed], cues["strong_phrases"])
            or _has_phrase([f.lower[i] for i in untimed], cues["strong_phrases"]),
            _has_phrase(f.lemma[sent.start : sent.end], cues["done_phrases"]),
        )
    return memo[key]


class StatusReading(NamedTuple):
    """An event's status, how sure the reading is, and whether any word or date told it
    (``told`` is False for a noun with no cue around it: "the shared service" is done by
    default, for want of a tense)."""

    status: str
    confidence: float
    told: bool = True


def status_of(
    sent: Span, trigger: Token, date: str | None = None, published: str | None = None
) -> StatusReading:
    """The status of the event that ``trigger`` names in ``sent``, a confidence, and
    whether the sentence tells it (:class:`StatusReading`).

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("The councils will share a legal team, subject to approval.")
    >>> doc[3], status_of(doc[:], doc[3])[:2]  # a cue phrase: not decided yet
    (share, ('proposed', 0.75))
    >>> doc = nlp("The councils shared a legal team.")
    >>> status_of(doc[:], doc[2])[0]
    'done'
    """
    cues = _cues()
    strong_phrase, done_now = _sentence_cues(sent)
    clause = _clause(trigger)
    clause_lemmas = _lemmas(clause)
    strong = (
        _conditional(trigger)
        or any(lem in cues["strong"] for lem in clause_lemmas)
        or strong_phrase
    )
    weak = any(lem in cues["weak"] for lem in clause_lemmas)
    agreed_tokens = [
        t for t in clause if (t.lemma_ or t.lower_).lower() in cues["agreed"] and _decision_word(t)
    ]
    agreed_past = any(t.tag_ in ("VBD", "VBN") for t in agreed_tokens) or any(
        t.pos_ == "NOUN" for t in agreed_tokens
    )
    agreed = bool(agreed_tokens) or _has_phrase(clause_lemmas, cues["agreed_phrases"])
    future = is_future(trigger)
    told = True
    if trigger.pos_ in ("NOUN", "PROPN") and described_as_running(trigger):
        status, conf = DONE, 0.7  # "the joint service run by X will be retendered"
    elif strong:
        status, conf = PROPOSED, 0.75
    elif weak and not agreed_past:
        status, conf = PROPOSED, 0.65
    elif _continuing(trigger):
        status, conf = DONE, 0.65  # "will remain in place", "will continue to share"
    elif agreed_tokens and all(_pending(t) for t in agreed_tokens):
        status, conf = PROPOSED, 0.7  # "are set to agree", "will vote on": not decided yet
    elif agreed or future or (_is_progressive(trigger) and not done_now):
        status, conf = AGREED, 0.65
    else:
        past = is_past(trigger)
        status, conf = DONE, 0.7 if past else 0.6
        told = past or trigger.pos_ not in ("NOUN", "PROPN")
    if date and published and compare(date, published) > 0 and status == DONE:
        status, conf, told = AGREED, 0.7, True
    if status == AGREED and date and published and compare(date, published) < 0 and not future:
        status, conf = DONE, 0.6
    return StatusReading(status, conf, told)
