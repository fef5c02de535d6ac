"""Money saved: amount, currency, period, who saves, and who said so.

Only amounts tied to a saving word ("save", "savings") count; costs, budgets,
contract values and grants do not (docs/contract.md, "How texts are
annotated"). "Each council will save £1m a year" gives one saving per council;
a saving of the partnership as a whole has no ``who``.
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Span, Token

from lgkg.extract.lexicon import load
from lgkg.extract.mentions import Mention
from lgkg.extract.money import Amount, find_amounts
from lgkg.extract.records import Body, Evidence, Saving
from lgkg.extract.tokens import text_of

_WINDOW = 8  # tokens between a saving word and its amount


@cache
def _words() -> dict[str, frozenset[str]]:
    d = load("money")
    return {
        "save": frozenset(d["saving_lemmas"]),
        "not": frozenset(d["not_saving_lemmas"]),
        "each": frozenset(d["each_words"]),
        "each_nouns": frozenset(d["each_nouns"]),
        "preps": frozenset(d["over_years_preps"]),
        "numbers": d["number_words"],
        "gap": frozenset(d["gap_joiners"]),
        "reducing": frozenset(d["reducing_lemmas"]),
        "reduced": frozenset(d["reduced_nouns"]),
        "own_nouns": frozenset(d["own_council_nouns"]),
        "own_determiners": frozenset(d["own_council_determiners"]),
        "speaker": frozenset(d["speaker_pronouns"]),
        "signs": frozenset(d["currency_symbols"]),
        "required": frozenset(d["requirement_lemmas"]),
        "required_with_to": frozenset(d["requirement_to_lemmas"]),
    }


@cache
def _per_year() -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p) for p in load("money")["per_year"])


def _lemma(t: Token) -> str:
    return (t.lemma_ or t.text).lower()


def _tokens_of(sent: Span, a: Amount) -> Span | None:
    return sent.doc.char_span(
        sent.start_char + a.start, sent.start_char + a.end, alignment_mode="expand"
    )


def _is_saving(sent: Span, span: Span) -> tuple[bool, Token | None]:
    """Is the amount at ``span`` money saved? Returns the saving word it hangs on."""
    words = _words()
    for anc in span.root.ancestors:
        lemma = _lemma(anc)
        if lemma in words["save"] or anc.lower_ in words["save"]:
            return not _required(anc), anc
        if _reduces_a_cost(anc, span.root):
            return not _required(anc), anc
        if lemma in words["not"] and anc.pos_ in ("NOUN", "VERB"):
            return False, None
        if anc.pos_ == "VERB" and anc.dep_ in ("ROOT", "ccomp", "conj"):
            break
    for child in span.root.subtree:
        if (_lemma(child) in words["save"]) and child.i >= span.end:
            return True, child
    lo, hi = max(sent.start, span.start - _WINDOW), min(sent.end, span.end + 3)
    before = sent.doc[lo : span.start]
    after = sent.doc[span.end : hi]
    for tok in reversed(before):
        if _lemma(tok) in words["not"]:
            return False, None
        if _lemma(tok) in words["save"] or tok.lower_ in words["save"]:
            return True, tok
    for tok in after:
        if tok.lower_ in ("savings", "saving", "saved"):
            return True, tok
    return False, None


def _reduces_a_cost(tok: Token, amount: Token | None = None) -> bool:
    """Does ``tok`` reduce a cost, so that the amount it governs is saved ("will *cut* costs
    by £250,000", "cost *reductions* of £300,000", "to *slash* £150,000 a year": the
    ``amount`` itself cut, from nothing named)?"""
    words = _words()
    if _lemma(tok) not in words["reducing"]:
        return False
    if tok.pos_ == "VERB" and amount is not None and amount.dep_ == "dobj" and amount.head == tok:
        return not any(  # "to slash £150,000 a year", not "cut £3m from its grant"
            c.dep_ == "prep" and c.lower_ == "from" for c in tok.children
        )
    reduced = [c for c in tok.children if c.dep_ in ("dobj", "compound", "nsubjpass")]
    if tok.pos_ == "NOUN" and tok.head.pos_ == "NOUN":  # "a reduction in costs"
        reduced.append(tok.head)
    return any(_lemma(c) in words["reduced"] or c.lower_ in words["reduced"] for c in reduced)


def _required(cue: Token) -> bool:
    """Is the saving something needed rather than achieved ("need to find savings of £5m")?"""
    words = _words()
    return any(
        _lemma(a) in words["required"]
        or (_lemma(a) in words["required_with_to"] and _infinitive_after(a))
        for a in list(cue.ancestors)[:3]
    )


def _infinitive_after(verb: Token) -> bool:
    """Does ``verb`` take an infinitive ("have *to find*")?"""
    return any(
        c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
        for c in verb.children
    )


def _period(sent: Span, span: Span, before: int | None = None) -> str:
    """The period of the amount at ``span`` ("a year", "over five years"). A phrase
    between it and the figure before it that ends at token ``before`` is that figure's
    when nearer to it: "£2.5m *a year*, or £12m over five years"."""
    words = _words()
    lo = max(sent.start, span.start - 5)
    hi = min(sent.end, span.end + 10)
    lowers = [t.lower_ for t in sent.doc[lo:hi]]
    for phrase in _per_year():
        n = len(phrase)
        for k in range(len(lowers) - n + 1):
            if tuple(lowers[k : k + n]) != phrase:
                continue
            start = lo + k
            between = before is not None and before <= start and start + n <= span.start
            if between and start - before < span.start - (start + n):
                continue  # nearer the figure before
            return "P1Y"
    after = [t for t in sent.doc[span.end : min(sent.end, span.end + 25)]]
    for i, tok in enumerate(after):
        if tok.lower_ in words["preps"]:
            rest = [t.lower_ for t in after[i + 1 : i + 8]]  # "over the next four to five years"
            for j, w in enumerate(rest):
                if w in words["signs"]:  # "in 2015, around £400,000 a year": that figure's year
                    break
                if w in ("year", "years") and j >= 1:
                    n = rest[j - 1]
                    if n == "-" and j >= 2:  # "over a ten-year period"
                        n = rest[j - 2]
                    if n.isdigit():
                        return f"P{int(n)}Y"
                    if n in words["numbers"] and isinstance(words["numbers"][n], int):
                        return f"P{words['numbers'][n]}Y"
                if w == "decade":
                    return "P10Y"
                if w in ("month", "months") and j >= 1 and rest[j - 1].isdigit():
                    return f"P{int(rest[j - 1])}M"
    return ""


def _who(
    sent: Span,
    cue: Token | None,
    span: Span,
    mentions: list[Mention],
    members: list[Body],
    speaker_org: Body | None,
) -> list[Body | None]:
    words = _words()
    window = sent.doc[max(sent.start, span.start - 12) : min(sent.end, span.end + 12)]
    for i, tok in enumerate(window):
        following = window[i + 1].lower_ if i + 1 < len(window) else ""
        if tok.lower_ in words["each"] and following in words["each_nouns"]:
            group = [m.body for m in mentions if m.body.is_council]
            group = list(dict.fromkeys(group)) if len(set(group)) >= 2 else members
            if group:
                return list(group)
    after = sent.doc[span.end : min(sent.end, span.end + 6)]
    for i, tok in enumerate(after[:-1]):  # "£19.3m for East Lindsey", "£250,000 a year for X"
        if tok.is_punct:
            break
        if tok.lower_ == "for":  # the first "for" says whose it is, or no council's
            named = [m for m in mentions if m.start == after[i + 1].i and m.kind == "name"]
            if named:  # "for X and Y" is for the two together: no one council's
                return [None] if _joined_to_another(sent, named[0], mentions) else [named[0].body]
            break
    if cue is not None and cue.pos_ == "NOUN":  # "a saving for/to X of £9,000"
        for prep in cue.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("for", "to") or prep.i > span.start:
                continue
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                body = _sole_body([obj.i], mentions, "name")
                if body is not None:
                    return [body]
                if speaker_org is not None and _own_council(obj):
                    return [speaker_org]  # "for this council", said by its leader
    if cue is not None:
        body = _owner_phrase(sent, cue, mentions)
        if body is not None:
            return [body]
    if cue is not None and cue.pos_ == "NOUN" and cue.head.pos_ in ("VERB", "AUX"):
        subj = _subjects(cue.head)  # "X expects to make a saving": X makes it
        body = _sole_body([s.i for s in subj], mentions, "name")
        if body is not None:
            return [body]  # "Redditch Council expects to make a saving of £200,000"
    if cue is not None:
        saved = [  # "will save the council £1m"; the nearest before the amount of several
            c
            for c in cue.children
            if (c.dep_ in ("dative", "dobj", "iobj") or (c.dep_ == "conj" and c.pos_ == "PROPN"))
            and c.i < span.start
        ]
        for child in sorted(saved, key=lambda c: -c.i):
            if child.lower_ in words["speaker"] and speaker_org is not None:
                return [speaker_org]  # "this will save us £50,000", said by its leader
            body = _sole_body([child.i], mentions)
            if body is not None:
                return [body]
        subj = _subjects(cue)  # "X expects to save £900,000": X saves it
        for s in subj:
            if s.lower_ in words["speaker"] and speaker_org is not None:
                return [speaker_org]
            named = [m for m in mentions if any(m.start <= t.i < m.end for t in s.subtree)]
            if len({m.body for m in named}) == 1 and named[0].kind in ("name", "abbreviation"):
                return [named[0].body]
    return [None]


def _owner_phrase(sent: Span, cue: Token, mentions: list[Mention]) -> Body | None:
    """The one council a saving is said to be of: the possessive of the saving noun or of
    the share it is part of ("*X's* savings", "*X's* share of the savings"), or a "for"
    phrase of the saving's clause ("*For X*, the saving will be £200,000"; not "for X and
    Y", the two together)."""
    nouns = [cue] if cue.pos_ == "NOUN" else []
    if nouns and cue.dep_ == "pobj" and cue.head.lower_ == "of" and cue.head.head.pos_ == "NOUN":
        nouns.append(cue.head.head)
    for noun in nouns:
        owner = [t.i for c in noun.children if c.dep_ == "poss" for t in c.subtree]
        body = _sole_body(owner, mentions, "name")
        if body is not None:
            return body
    verb = next((t for t in (cue, *cue.ancestors) if t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return None
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "for" or prep.i > cue.i:
            continue
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        named = [
            m for m in mentions if m.kind == "name" and any(m.start <= o.i < m.end for o in objects)
        ]
        if len(named) == 1 and not _joined_to_another(sent, named[0], mentions):
            return named[0].body
    return None


def _sole_body(
    positions: list[int], mentions: list[Mention], kind: str | None = None
) -> Body | None:
    """The one body the mentions (of ``kind``, if given) at token ``positions`` name, else None."""
    found = {
        m.body
        for m in mentions
        if (kind is None or m.kind == kind) and any(m.start <= i < m.end for i in positions)
    }
    return found.pop() if len(found) == 1 else None


def _subjects(verb: Token) -> list[Token]:
    """The subjects of ``verb``, or of the verb its infinitive hangs from when it has none
    ("X expects *to save*": X)."""
    subject = ("nsubj", "nsubjpass")
    while verb.dep_ == "xcomp" and not any(c.dep_ in subject for c in verb.children):
        verb = verb.head
    return [c for c in verb.children if c.dep_ in subject]


def _own_council(tok: Token) -> bool:
    """Is ``tok`` the speaker's own council ("this council", "our authority", "the council")?"""
    words = _words()
    return _lemma(tok) in words["own_nouns"] and any(
        c.lower_ in words["own_determiners"] for c in tok.children if c.dep_ in ("det", "poss")
    )


def _joined_to_another(sent: Span, named: Mention, mentions: list[Mention]) -> bool:
    """Is another body named right after ``named``, with only "and" or a comma between?"""
    for other in mentions:
        if other.start >= named.end and other.body != named.body:
            between = sent.doc[named.end : other.start]
            if 0 < len(between) <= 2 and all(t.pos_ == "CCONJ" or t.text == "," for t in between):
                return True
    return False


def _gapped_owner(sent: Span, after: int, span: Span, mentions: list[Mention]) -> Body | None:
    """The body named right before the amount at ``span`` when only that name and a joining
    word (after the saving's period, if any) stand between it and the saving that ends at
    token ``after`` ("will save X £80,000 *and Y* £60,000", "save £80,000 a year, *and Y*
    £60,000": the saving verb is not said again), else None."""
    owner = next((m for m in mentions if m.end == span.start and m.start >= after), None)
    if owner is None or sent.doc[owner.start : owner.end].root.dep_ in ("nsubj", "nsubjpass"):
        return None  # no name, or one with a verb of its own ("and X £60,000 was spent")
    between = [t.lower_ for t in sent.doc[after : owner.start]]
    period = next((p for p in _per_year() if tuple(between[: len(p)]) == p), ())
    between = between[len(period) :]  # "save £200,000 *a year*, and Y £150,000"
    if not between or not all(w in _words()["gap"] for w in between):
        return None
    return owner.body


def sentence_savings(
    sent: Span,
    mentions: list[Mention],
    *,
    members: list[Body],
    speaker: str | None,
    speaker_org: Body | None,
    partnership: str | None,
    evidence: Evidence,
) -> list[Saving]:
    """Savings stated in one sentence."""
    out: list[Saving] = []
    last: tuple[Token | None, int, str] | None = None  # the last saving's cue, end, period
    figure_end: int | None = None  # where the sentence's last figure ends
    for amount in find_amounts(text_of(sent)):
        span = _tokens_of(sent, amount)
        if span is None:
            continue
        before, figure_end = figure_end, span.end
        if amount.amount <= 0:
            continue
        ok, cue = _is_saving(sent, span)
        owners = None
        if last is not None:
            owner = _gapped_owner(sent, last[1], span, mentions)
            if owner is not None:  # "save X £80,000 and Y £60,000": the verb said once
                ok, cue, owners = True, cue if ok else last[0], [owner]
        if not ok:
            continue
        period = _period(sent, span, before) or (last[2] if owners and last else "")
        last = (cue, span.end, period)
        for who in owners or _who(sent, cue, span, mentions, members, speaker_org):
            out.append(
                Saving(
                    who=who,
                    amount=amount.amount,
                    currency=amount.currency,
                    period=period,
                    partnership=partnership,
                    speaker=speaker,
                    evidence=evidence,
                    confidence=0.8 if cue is not None else 0.6,
                    rule="saving.amount",
                )
            )
    return out
