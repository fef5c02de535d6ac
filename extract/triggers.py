"""Words that name a partnership action, found on the parse (docs/contract.md, "Actions").

A :class:`Trigger` is a token with the action it signals: a verb ("join",
"pull out", "wound up"), a noun ("merger", "withdrawal", "a shared legal
service") or a fixed phrase ("serve notice", "stop sharing"). The word lists
are ``extract/patterns/actions.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

from spacy.tokens import Span, Token

from lgkg.extract.gazetteer import COUNCIL_LABEL
from lgkg.extract.lexicon import load
from lgkg.extract.mentions import partnership_heads
from lgkg.extract.tokens import features, is_passive
from lgkg.extract.vocabulary import ENDED, FORMED, LEFT


@dataclass(frozen=True)
class Trigger:
    token: Token
    action: str
    # "verb", "particle", "noun", "phrase", "converse" ("buy from": the source acts),
    # "admits" ("expanded to include X": what it takes in acts)
    kind: str
    length: int = 1  # tokens a phrase covers ("stop sharing": 2)

    @property
    def rule(self) -> str:
        return f"event.{self.action}.{self.kind}"


@cache
def _table() -> dict[str, Any]:
    return load("actions")


def _lemma(tok: Token) -> str:
    return (tok.lemma_ or tok.text).lower()


def _particles(tok: Token) -> set[str]:
    out = {
        c.lower_ for c in tok.children if c.dep_ in ("prt", "advmod", "prep", "dobj", "npadvmod")
    }
    # "bring it to an end": the object of "to" counts as the particle
    out.update(g.lower_ for c in tok.children if c.lower_ == "to" for g in c.children)
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None:
        out.add(nxt.lower_)
        if nxt.text == "-" and not nxt.whitespace_ and tok.i + 2 < len(doc):
            out.add(doc[tok.i + 2].lower_)  # hyphenated: "break-up", "pull-out"
    return out


@cache
def _phrases_by_first(action: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """An action's phrases by their first word, so each token tries only its own."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in _table()[action].get("phrases", ()):
        out.setdefault(phrase[0], []).append(tuple(phrase))
    return {first: tuple(phrases) for first, phrases in out.items()}


def _phrase_at(sent: Span, i: int, phrase: tuple[str, ...]) -> int:
    """How many words ``phrase`` covers from word ``i`` of ``sent`` (0 if it is not there);
    a possessive the phrase leaves out may stand inside it ("go *their* separate ways")."""
    f, at = features(sent.doc), i  # (the words' cached forms: no token made anew)
    for k, word in enumerate(phrase):
        while k and at < sent.end and f.tag[at] == "PRP$" and f.lower[at] != word:
            at += 1
        if at >= sent.end or not (f.lemma[at] == word or f.lower[at] == word):
            return 0
        at += 1
    return at - i


def _has_object(tok: Token) -> bool:
    """Something left: "left the partnership", "withdraw from it"; not "Jane, left, with Joe"."""
    for c in tok.children:
        if c.dep_ in ("dobj", "xcomp", "ccomp"):
            return True
        if c.dep_ == "prep" and c.lower_ in ("from", "of"):
            return True
    return False


def _council_subject(verb: Token) -> bool:
    """Is the subject of the verb (or of the verb it is coordinated with) a council ("the
    council gave notice and *will leave* in April"), which leaves a partnership, not a
    room?"""
    nouns = set(load("references")["council_nouns"])
    for v in (verb, verb.head) if verb.dep_ == "conj" else (verb,):
        for c in v.children:
            if c.dep_ == "nsubj" and (c.ent_type_ == COUNCIL_LABEL or c.lower_ in nouns):
                return True
    return False


def _in_house(verb: Token) -> bool:
    """Does the verb take something in-house ("bring the service back *in-house*", "take
    payroll *in house*"): "in" then "house" (hyphenated or not) in what hangs from it?"""
    words = [t.lower_ for t in verb.subtree if t.i > verb.i and t.lower_ != "-"]
    return "in-house" in words or any(pair == ("in", "house") for pair in pairwise(words))


def _into_a_council(verb: Token, particles: list[str]) -> bool:
    """Does the verb's particle lead into a council, not a partnership ("staff will
    *transfer to* Tewkesbury": the host employs them; nobody joins anything)?"""
    return any(
        g.ent_type_ == COUNCIL_LABEL
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ in particles
        for g in c.children
        if g.dep_ == "pobj"
    )


def source_phrases(verb: Token) -> list[Token]:
    """What a "from" phrase of the verb or of its object names: whom something is bought
    from ("buy its legal service *from X*")."""
    heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
    return [
        g
        for h in heads
        for c in h.children
        if c.dep_ == "prep" and c.lower_ == "from"
        for g in c.children
        if g.dep_ == "pobj"
    ]


def _object_fits(verb: Token, spec: dict) -> bool:
    """For an action with ``object_words``: does what the verb acts on (its direct object,
    or that of the infinitive after it: "cease to run X"; the subject of a passive: "the
    savings will be split") name a partnership, by one of those words, a proper name or
    a pronoun, not described by ``not_shared_modifiers``? A verb with no object fits
    ("the councils will split")."""
    words = spec.get("object_words")
    if not words:
        return True
    heads = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]
    objects = [c for h in heads for c in h.children if c.dep_ in ("dobj", "nsubjpass")]
    if not objects:
        return True
    unshared = set(spec.get("not_shared_modifiers", ()))
    return any(
        not any(c.lower_ in unshared for c in o.children)
        and (
            o.pos_ == "PRON"  # "scrapped it"
            or any(
                t.lower_ in words or (t.pos_ == "PROPN" and t.ent_type_ != COUNCIL_LABEL)
                for t in o.subtree  # a council's name is not the partnership's
            )
        )
        for o in objects
    )


def post_holders(noun: Token) -> list[Token]:
    """The words naming the councils a post is held for, when it names two or more ("chief
    executive *of X and Y*", "chief executive *for both X and Y*"), else none."""
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("of", "for")):
        words = [t for t in prep.subtree if t.i != prep.i]
        names = [t for t in words if t.ent_type_ == COUNCIL_LABEL and t.ent_iob_ == "B"]
        if len(names) >= 2:  # (the first word of each council's name)
            return words
    return []


def _anothers(verb: Token) -> bool:
    """Is what the verb acts on another body's, named in a possessive ("will run *Y's*
    payroll"; not "its own payroll")?"""
    return any(
        t.ent_type_ in (COUNCIL_LABEL, "ORG")
        for c in verb.children
        if c.dep_ == "dobj"
        for p in c.children
        if p.dep_ == "poss"
        for t in p.subtree
    )


def _refused(verb: Token, spec: dict) -> bool:
    """Is a partnership said not to go on: the verb negated ("will *not renew* the
    agreement", "the partnership will *not continue*", "will *not continue* to share its
    legal service"), and its object or subject, or its infinitive's object, one of
    ``object_words``?"""
    if not _negated(verb):
        return False
    words = spec["object_words"]
    heads = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]
    return any(
        t.lower_ in words
        for h in heads
        for c in h.children
        if c.dep_ in ("dobj", "nsubj", "nsubjpass")
        for t in c.subtree
        if t.ent_type_ != COUNCIL_LABEL
    )


def _new_member_of_partnership(noun: Token, spec: dict) -> bool:
    """A new member of a partnership: the noun with one of ``member_modifiers`` ("the
    *newest* member", "its *fifth* partner"), and a partnership word in its "of" phrase or
    its possessor ("of the procurement partnership", "the partnership's")?"""
    children = list(noun.children)
    if not {c.lower_ for c in children} & set(spec["member_modifiers"]):
        return False
    heads = partnership_heads()
    owners = [
        t
        for c in children
        if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of")
        for t in c.subtree
    ]
    return any(t.lower_ in heads for t in owners)


def _own_place_ended(verb: Token) -> bool:
    """Is what an ending verb ends one body's own place in a partnership ("has ended *its
    involvement* in", "severed *ties* with", "will cease to be *a member* of")?"""
    nouns = set(_table()[LEFT]["membership_nouns"])
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [
        g for c in verb.children if c.dep_ == "xcomp" for g in c.children if g.dep_ == "attr"
    ]
    return any(_lemma(o) in nouns for o in objects)


def _of_their_own(verb: Token) -> bool:
    """Is what the verb makes its subjects' own ("establish *their own* management teams")?"""
    possessives = set(load("references")["plural_possessives"])
    return any(
        c.dep_ == "dobj"
        and any(g.lower_ == "own" for g in c.children)
        and any(g.dep_ == "poss" and g.lower_ in possessives for g in c.children)
        for c in verb.children
    )


def _admits(verb: Token, rule: dict) -> bool:
    """Does an admitting verb take its object in ("expanded to *include* X" under one of the
    rule's ``heads``, "*welcomed* X into the partnership" with one of its ``preps``)?"""
    if verb.dep_ in ("xcomp", "advcl") and _lemma(verb.head) in rule.get("heads", ()):
        return True
    return any(c.dep_ == "prep" and c.lower_ in rule.get("preps", ()) for c in verb.children)


def admitted(trigger: Token) -> list[Token]:
    """The words of what an admitting verb or noun takes in: a passive verb's subject, an
    active one's object, a noun's "of" object ("the *addition* of X"); their own words, not
    their phrases' ("welcomed the offer *from X* into the plan")."""
    if trigger.pos_ in ("NOUN", "PROPN"):
        objects = [g for c in trigger.children if c.lower_ == "of" for g in c.children]
    else:
        dep = "nsubjpass" if is_passive(trigger) else "dobj"
        objects = [c for c in trigger.children if c.dep_ == dep]
    out = []
    for o in objects:
        aside = {t.i for c in o.children if c.dep_ in ("prep", "relcl", "acl") for t in c.subtree}
        out += [t for t in o.subtree if t.i not in aside]
    return out


def _noun_object_ok(tok: Token) -> bool:
    """For ambiguous nouns ("end", "split"): is it the end *of a partnership*?"""
    share_words = set(_table()[ENDED]["object_words"])
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            words = {t.lower_ for t in child.subtree}
            if words & share_words and not any(t.ent_type_ == "DATE" for t in child.subtree):
                return True
    return False


@cache
def _trigger_words() -> frozenset[str]:
    """Every word (lemma or lower-case form) that can start a trigger of any action.

    A token whose lemma and form are both outside this set matches nothing,
    so :func:`find_triggers` skips it without trying each action and stage.
    """
    return frozenset().union(
        *(_stage_words(action, stage) for action in _table()["precedence"] for stage in _STAGES)
    )


_STAGES = ("particle", "phrase", "word")
_WORD_KEYS = (  # an action's single words
    "verbs",
    "converse_verbs",
    "negated_verbs",
    "member_nouns",
    "admitting_verbs",
    "owner_verbs",
    "admitting_nouns",
    "post_nouns",
    "nouns",
    "weak_nouns",
)


@cache
@cache
def founding_verbs() -> frozenset[str]:
    """The verbs that found a partnership (``formed``'s verbs and verbs with particles:
    "create", "set up")."""
    spec = _table()[FORMED]
    return frozenset(spec["verbs"]) | frozenset(spec.get("verb_particles", {}))


def _stage_words(action: str, stage: str) -> frozenset[str]:
    """The words (lemma or lower-case form) that can start a trigger of ``action`` at
    ``stage``: for any other word, :func:`_match` finds none."""
    spec = _table()[action]
    if stage == "particle":
        particles = ("verb_particles", "in_house_verbs", "own_verbs")
        return frozenset(w for key in particles for w in spec.get(key, ()))
    if stage == "phrase":
        return frozenset(_phrases_by_first(action))
    return frozenset(w for key in _WORD_KEYS for w in spec.get(key, ()))


def _may_match(action: str, stage: str, lower: str, lemma: str) -> bool:
    words = _stage_words(action, stage)
    return lemma in words or lower in words


def _match(tok: Token, sent: Span, action: str, stage: str) -> Trigger | None:
    spec = _table()[action]
    lemma = _lemma(tok)
    is_verb = tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB")
    if stage == "particle" and is_verb:
        if lemma in spec.get("in_house_verbs", ()) and _in_house(tok):
            return Trigger(tok, action, "particle")
        if lemma in spec.get("own_verbs", ()) and _of_their_own(tok):
            return Trigger(tok, action, "particle")  # "set up their own teams": before "set up"
        particles = spec.get("verb_particles", {}).get(lemma)
        if particles and _particles(tok) & set(particles) and not _into_a_council(tok, particles):
            return Trigger(tok, action, "particle")
    elif stage == "phrase":
        starting = _phrases_by_first(action)
        for phrase in dict.fromkeys((*starting.get(lemma, ()), *starting.get(tok.lower_, ()))):
            if covered := _phrase_at(sent, tok.i, phrase):
                words = sent.doc[tok.i : tok.i + covered]  # its verb acts ("no longer *share*")
                verb = next((t for t in words if t.pos_ in ("VERB", "AUX")), None)
                # a phrase of no verb acts through its verb ("runs it *on behalf of* X")
                if verb is None and tok.dep_ == "prep" and tok.head.pos_ == "VERB":
                    verb = tok.head
                return Trigger(verb or tok, action, "phrase", covered)
    elif stage == "word" and is_verb:
        if lemma in spec.get("verbs_need_object", ()) and not (
            _has_object(tok) or _council_subject(tok)
        ):
            return None
        blockers = spec.get("verb_blockers", {}).get(lemma, ())
        if any(_lemma(c) in blockers for c in tok.children):
            return None
        if lemma in spec.get("verbs", ()) and _object_fits(tok, spec):
            return Trigger(tok, action, "verb")
        if lemma in spec.get("negated_verbs", ()) and _refused(tok, spec):
            return Trigger(tok, action, "verb")
        if lemma in spec.get("converse_verbs", ()) and source_phrases(tok):
            return Trigger(tok, action, "converse")
        if lemma in spec.get("owner_verbs", ()) and _anothers(tok):
            return Trigger(tok, action, "verb")
        admitting = spec.get("admitting_verbs", {}).get(lemma)
        if admitting is not None and _admits(tok, admitting):
            return Trigger(tok, action, "admits")
    elif stage == "word" and tok.pos_ in ("NOUN", "PROPN"):
        if lemma in spec.get("member_nouns", ()) and _new_member_of_partnership(tok, spec):
            return Trigger(tok, action, "noun")
        if lemma in spec.get("admitting_nouns", ()) and admitted(tok):
            return Trigger(tok, action, "admits")
        if lemma in spec.get("post_nouns", ()) and post_holders(tok):
            return Trigger(tok, action, "post")
        if lemma in spec.get("nouns", ()) or tok.lower_ in spec.get("nouns", ()):
            if lemma in spec.get("noun_needs_object", ()) and not _noun_object_ok(tok):
                return None
            return Trigger(tok, action, "noun")
        if lemma in spec.get("weak_nouns", ()) or tok.lower_ in spec.get("weak_nouns", ()):
            mods = {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound", "nmod")}
            if tok.i > sent.start:
                mods.add(tok.nbor(-1).lower_)
            if mods & set(spec.get("weak_noun_modifiers", ())):
                return Trigger(tok, action, "noun")
    return None


def _negated(tok: Token) -> bool:
    """Said not to happen: "did *not* join", "is *not* the end of the partnership", "voted
    *against* joining" ("not only" and "not ... until" are no negation)."""
    heads = [tok]
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("attr", "dobj"):
        heads.append(tok.head)  # the verb the noun is said of
    for head in heads:
        if head.dep_ == "pcomp" and head.head.lower_ == "against":
            return True
        children = list(head.children)
        if any(c.lower_ in _table()["negation_delays"] for c in children):
            continue  # "will not transfer until April": a date, not a refusal
        for c in children:
            if c.dep_ == "neg" and not (c.i + 1 < len(c.doc) and c.doc[c.i + 1].lower_ == "only"):
                return True
    return False


def find_triggers(sent: Span) -> list[Trigger]:
    """Every action trigger in ``sent``, at most one action per token.

    Particle verbs and fixed phrases win over bare words ("join together" is
    ``formed``, not ``joined``); among actions, ``precedence`` in the data
    file decides.
    """
    table = _table()
    precedence: list[str] = table["precedence"]
    weak_verbs = set(table["formed_needs_share_context"])
    f = features(sent.doc)
    lower, lemma = f.lower, f.lemma
    shared: bool | None = None  # does a word of the sentence give sharing context? (asked once)
    words = _trigger_words()
    found: list[Trigger] = []
    covered = 0  # words of a leaving or ending phrase form nothing ("stop *sharing*")
    for i in range(sent.start, sent.end):
        if i < covered or (lower[i] not in words and lemma[i] not in words):
            continue
        tok = f.tokens[i]
        for stage in _STAGES:
            trig = next(
                (
                    t
                    for a in precedence
                    if _may_match(a, stage, lower[i], lemma[i])
                    and (t := _match(tok, sent, a, stage))
                ),
                None,
            )
            if trig is not None:
                if _negated(tok) and lemma[i] not in table[trig.action].get("negated_verbs", ()):
                    break
                if trig.action == ENDED and _own_place_ended(tok):
                    trig = Trigger(trig.token, LEFT, trig.kind, trig.length)
                weak = trig.kind == "verb" and trig.action == FORMED and lemma[i] in weak_verbs
                if weak and shared is None:
                    context = table["share_context"]
                    shared = any(w in context for w in lemma[sent.start : sent.end])
                if not weak or shared:
                    found.append(trig)
                    if trig.action != FORMED:
                        covered = tok.i + trig.length
                    if lemma[i] in table[trig.action].get("negated_verbs", ()):
                        # "will not continue *to share*": what is refused forms nothing
                        covered = max(
                            [covered, *(c.i + 1 for c in tok.children if c.dep_ == "xcomp")]
                        )
                break
    return found
