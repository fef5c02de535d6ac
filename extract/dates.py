"""Dates in press releases, as ISO 8601 at the precision the text gives.

Absolute forms ("1 December 2020", "December 1, 2020", "April 2016", "2010")
are read as written; relative ones ("next April", "last year", "October this
year", "1 April next year", "on Tuesday") are resolved against the publication
date, and dropped when it is not known to that precision (docs/contract.md,
"Dates"). On the parse, :func:`event_date` picks the date a sentence gives for
an event and :func:`partnership_dates` the dates a document gives for the
partnership's own start and end.

>>> parse_date("1 December 2020")
'2020-12-01'
>>> parse_date("in April 2016")
'2016-04'
>>> parse_date("next April", published="2015-11")
'2016-04'
>>> parse_date("next April") is None
True
>>> parse_date("2015/16") is None
True
>>> parse_date("the service opened today", published="2013-10-01")
'2013-10-01'
>>> parse_date("the move takes place between April and June 2012")
'2012'

"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from datetime import date, timedelta
from functools import cache, lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from lgkg.extract.lexicon import load
from lgkg.extract.mentions import COUNCIL_LABEL, partnership_heads
from lgkg.extract.tokens import features, text_of
from lgkg.extract.vocabulary import ENDED, LEFT

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_YEAR = r"((?:19|20)\d\d)(?!\s*/\s*\d)(?!\d)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"

_DMY = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}", re.I)
_MDY = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.I)
_MY = re.compile(rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d\d)\b")
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?\b")
_Y = re.compile(rf"(?<![/\d£$€.,]){_YEAR}")
_BETWEEN = re.compile(
    rf"\bbetween\s+((?:{_DAY}\s+(?:of\s+)?)?{_MONTH}(?:,?\s+{_YEAR})?"
    rf"\s+(?:and|&)\s+(?:{_DAY}\s+(?:of\s+)?)?{_MONTH},?\s+{_YEAR})",
    re.I,
)
_FIN_YEAR = re.compile(r"\b(?:19|20)\d\d\s*/\s*\d{2,4}\b")
# days of one month ("13 - 26 May", "13-26 May 2024"): a window, dated by its month
_DAY_RANGE = re.compile(rf"\b\d{{1,2}}\s*[-\u2013]\s*({_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?)", re.I)
_REL_MONTH = re.compile(
    rf"\b(next|last|this|from|in|by|until)?\s*(?:{_DAY}\s+(?:of\s+)?)?{_MONTH}\s+"
    rf"(next|last|this)\s+year\b",
    re.I,
)
_NEXT_MONTH = re.compile(rf"\b(next|last|this)\s+{_MONTH}\b", re.I)
_TODAY = re.compile(r"\b(today|yesterday)\b", re.I)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# a weekday named alone: "on Tuesday", "last Thursday" (not "Tuesday 19 February", which
# the day and month date, nor "on Tuesdays" or "Tuesday's meeting")
_WEEKDAY = re.compile(
    rf"\b(on|last|next|this|from|until|by|since)\s+({'|'.join(WEEKDAYS)})\b"
    rf"(?!'s|\u2019s|\s*[,(]?\s*(?:\d|{_MONTH}\b))",
    re.I,
)
#: which way a weekday named alone lies from the publication date, by the word before it
_WEEKDAY_AHEAD = {"next", "from", "until", "by"}
_WEEKDAY_BACK = {"last", "since"}
_REL_MONTH_WORD = re.compile(r"\b(next|last|this)\s+month\b", re.I)
_REL_YEAR = re.compile(r"\b(next|last|this|the\s+following|the\s+previous)\s+year\b", re.I)
_YEARS_AGO = re.compile(r"\b([a-z]+|\d{1,2})\s+years?\s+ago\b", re.I)  # "two years ago"
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!,?\s+(?:19|20)\d\d)", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s+(?:19|20)\d\d)", re.I)
_DIGIT = re.compile(r"\d")  # every pattern with a day or a year needs one
_MONTH_START = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec", re.I)  # of _MONTH
_BARE_MONTH = re.compile(
    rf"\b(?:in|from|on|by|until|since|during)\s+(?:the\s+(?:start|beginning|end|middle)\s+of\s+)?"
    rf"{_MONTH}\b(?!\s+(?:19|20)\d\d)",
    re.I,
)


def _pub_parts(published: str | None) -> tuple[int, int | None, int | None] | None:
    if not published:
        return None
    m = re.match(r"^(\d{4})(?:-(\d\d))?(?:-(\d\d))?$", published)
    if not m:
        return None
    y, mo, d = m.groups()
    return int(y), int(mo) if mo else None, int(d) if d else None


def _ym(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _valid(y: int, m: int, d: int) -> bool:
    """Is it a day of the calendar ("31 April" is not)?

    >>> _valid(2016, 2, 29), _valid(2015, 2, 29), _valid(1900, 4, 31)
    (True, False, False)
    """
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def parse_date(text: str, published: str | None = None) -> str | None:
    """The first date in ``text`` as ISO 8601, or None.

    Financial years ("2015/16") are not dates of an action and give None.
    """
    found = find_dates(text, published)
    return found[0][2] if found else None


def decision_date(text: str, published: str | None = None) -> str:
    """The date of the decisions a decision notice or minutes record, from the first line
    that gives it under a label of ``decision_labels``, else after a word of
    ``record_words``; else "".

    >>> decision_date("London Counter Fraud Hub\\nDate of decision: 17/09/2019\\nRESOLVED ...")
    '2019-09-17'
    >>> decision_date("Meeting: 01/11/2021 - Executive (Item 67)"), decision_date("In 2019 ...")
    ('2021-11-01', '')
    >>> decision_date("Cabinet Member \u2013 Minutes \u2013 20 October 2010\\nResolved ...")
    '2010-10-20'
    """
    for pattern in _cues()["decision_lines"]:
        for line in pattern.finditer(text):
            found = find_dates(line.group(1), published)
            if found:
                return found[0][2]
    return ""


def find_dates(text: str, published: str | None = None) -> list[tuple[int, int, str]]:
    """Every date in ``text`` as ``(start, end, iso)``, in text order, without overlaps.

    >>> find_dates("launched in October 2016 and reviewed on 1 May 2018")
    [(12, 24, '2016-10'), (41, 51, '2018-05-01')]
    """
    return list(_find_dates(text, published))


@lru_cache(maxsize=4096)  # each trigger of a sentence asks again for the sentence's dates
def _find_dates(text: str, published: str | None = None) -> tuple[tuple[int, int, str], ...]:
    """:func:`find_dates`, remembered for the texts seen last."""
    pub = _pub_parts(published)
    spans: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(a: int, b: int, iso: str | None) -> None:
        if iso and free(a, b):
            spans.append((a, b, iso))
            taken.append((a, b))

    # Most sentences name no month and hold no digit: skip the patterns that need one.
    digit, month = _DIGIT.search(text) is not None, _MONTH_START.search(text) is not None

    def scan(pattern: re.Pattern[str], *needs: bool) -> Iterator[re.Match[str]]:
        return pattern.finditer(text) if all(needs) else iter(())

    for m in scan(_FIN_YEAR, digit):
        taken.append(m.span())
    for m in scan(_BETWEEN, digit, month):  # a window: the precision both ends share
        _, mon1, y1, _, mon2, y2 = m.groups()[1:]
        if y1 and y1 != y2:
            taken.append(m.span(1))
        else:
            same = MONTHS[mon1.lower()] == MONTHS[mon2.lower()]
            add(*m.span(1), _ym(int(y2), MONTHS[mon2.lower()]) if same else y2)
    for m in scan(_DAY_RANGE, digit, month):
        last = _find_dates(m.group(1), published)  # the last day, as a date of its own
        if last:
            add(*m.span(), last[0][2][:7])
    for m in scan(_ISO, digit):
        y, mo, d = m.groups()
        if _valid(int(y), int(mo), int(d) if d else 1):
            add(*m.span(), f"{y}-{mo}-{d}" if d else f"{y}-{mo}")
    for m in scan(_DMY, digit, month):
        d, mon, y = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
        if _valid(y, mon, d):
            add(*m.span(), f"{y:04d}-{mon:02d}-{d:02d}")
    for m in scan(_MDY, digit, month):
        mon, d, y = MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
        if _valid(y, mon, d):
            add(*m.span(), f"{y:04d}-{mon:02d}-{d:02d}")
    for m in scan(_NUMERIC, digit):
        d, mon, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(y, mon, d):
            add(*m.span(), f"{y:04d}-{mon:02d}-{d:02d}")
    for m in scan(_MY, digit, month):
        add(*m.span(), _ym(int(m.group(2)), MONTHS[m.group(1).lower()]))
    for m in scan(_REL_MONTH, month):
        day_text, mon_text, rel = m.group(2), m.group(3), m.group(4).lower()
        year = pub[0] + {"next": 1, "last": -1, "this": 0}[rel] if pub else 0
        mon = MONTHS[mon_text.lower()]
        if pub and day_text and _valid(year, mon, int(day_text)):
            add(m.start(2), m.end(), f"{year:04d}-{mon:02d}-{int(day_text):02d}")
        elif pub:
            add(m.start(3), m.end(), _ym(year, mon))
        else:
            taken.append(m.span())
    for m in scan(_NEXT_MONTH, month):
        if pub and pub[1]:
            rel, mon = m.group(1).lower(), MONTHS[m.group(2).lower()]
            year = pub[0]
            if rel == "next" and mon <= pub[1]:
                year += 1
            elif rel == "last" and mon >= pub[1]:
                year -= 1
            add(*m.span(), _ym(year, mon))
        else:
            taken.append(m.span())
    for m in _TODAY.finditer(text):
        if pub and pub[2]:
            day = date(pub[0], pub[1] or 1, pub[2])
            if m.group(1).lower() == "yesterday":
                day -= timedelta(days=1)
            add(*m.span(), day.isoformat())
        else:
            taken.append(m.span())
    for m in _WEEKDAY.finditer(text):
        if pub and pub[1] and pub[2]:
            word = m.group(1).lower()  # a preposition stays outside the date, as elsewhere
            start = m.start() if word in ("last", "next", "this") else m.start(2)
            add(start, m.end(), _weekday(word, m.group(2).lower(), pub, text))
        else:
            taken.append(m.span())
    for m in _REL_MONTH_WORD.finditer(text):
        if pub and pub[1]:
            shift = {"next": 1, "last": -1, "this": 0}[m.group(1).lower()]
            months = pub[0] * 12 + pub[1] - 1 + shift
            add(*m.span(), _ym(months // 12, months % 12 + 1))
        else:
            taken.append(m.span())
    for m in _REL_YEAR.finditer(text):
        if pub:
            rel = m.group(1).lower().split()[-1]
            add(
                *m.span(),
                str(pub[0] + {"next": 1, "following": 1, "last": -1, "previous": -1}.get(rel, 0)),
            )
        else:
            taken.append(m.span())
    for m in _YEARS_AGO.finditer(text):
        word = m.group(1).lower()
        back = int(word) if word.isdigit() else load("money")["number_words"].get(word)
        if pub and isinstance(back, int) and back > 0:
            add(*m.span(), str(pub[0] - back))
    for pattern in (_DAY_MONTH, _MONTH_DAY, _BARE_MONTH):
        for m in scan(pattern, month):
            if not pub or not free(*m.span()):
                continue
            groups = [g for g in m.groups() if g]
            if pattern is _BARE_MONTH:
                mon, day = MONTHS[groups[0].lower()], None
            elif pattern is _DAY_MONTH:
                day, mon = int(groups[0]), MONTHS[groups[1].lower()]
            else:
                mon, day = MONTHS[groups[0].lower()], int(groups[1])
            if m.group(0).split()[0].lower() == "may" and pattern is _MONTH_DAY:
                continue
            year = pub[0]
            start = m.start(1) if pattern is _BARE_MONTH else m.start()  # not "in", as others
            add(start, m.end(), f"{year:04d}-{mon:02d}-{day:02d}" if day else _ym(year, mon))
    for m in scan(_Y, digit):
        add(*m.span(), m.group(1))
    return tuple(sorted(spans))


def _weekday(word: str, weekday: str, pub: tuple[int, int | None, int | None], text: str) -> str:
    """The day a weekday named alone stands for, from the publication date ``pub``: after
    "last" or "since" the latest before it; after "next", "from", "until" or "by" the first
    after it; otherwise ahead of it (on or after) when the text speaks of the future
    (``future_cues``: "will go to cabinet on Tuesday"), else on or before it ("agreed on
    Tuesday").

    >>> _weekday("on", "tuesday", (2019, 3, 14), "Councillors agreed on Tuesday")
    '2019-03-12'
    >>> _weekday("on", "tuesday", (2019, 3, 14), "It will go to cabinet on Tuesday")
    '2019-03-19'
    >>> _weekday("last", "thursday", (2019, 3, 14), "")
    '2019-03-07'
    """
    day = date(pub[0], pub[1] or 1, pub[2] or 1)
    ahead = (WEEKDAYS.index(weekday) - day.weekday()) % 7
    if word in _WEEKDAY_BACK:
        return (day - timedelta(days=(7 - ahead) % 7 or 7)).isoformat()
    if word in _WEEKDAY_AHEAD:
        return (day + timedelta(days=ahead or 7)).isoformat()
    if _future_cue().search(text):
        return (day + timedelta(days=ahead)).isoformat()
    return (day - timedelta(days=(7 - ahead) % 7)).isoformat()


@cache
def _future_cue() -> re.Pattern[str]:
    """Words that say a text speaks of the future (``future_cues`` in dates.json)."""
    words = sorted(load("dates")["future_cues"], key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", re.I)


def compare(a: str, b: str) -> int:
    """Compare two ISO dates at the coarser precision: -1, 0 (same or overlapping) or 1.

    >>> compare("2016-04", "2016"), compare("2016-04-01", "2015-11"), compare("2014", "2016-01")
    (0, 1, -1)
    """
    n = min(len(a), len(b))
    x, y = a[:n], b[:n]
    return (x > y) - (x < y)


@cache
def _cues() -> dict[str, Any]:
    d = load("dates")
    sets = ("event_preps", "weak_preps", "not_event_preps", "until_preps", "negations")
    out: dict[str, Any] = {k: frozenset(d[k]) for k in sets}
    out["subject_words"] = frozenset(d["subject_words"])
    labels = "|".join(re.escape(w) for w in d["decision_labels"])
    # a record's word as a title writes it ("Minutes", "MINUTES"; not "lasted 45 minutes")
    records = "|".join(re.escape(f) for w in d["record_words"] for f in (w.title(), w.upper()))
    out["decision_lines"] = (  # the lines that give a decision's date (decision_date)
        re.compile(rf"^\s*(?:{labels})\s*:(.*)$", re.I | re.M),
        re.compile(rf"^.*?\b(?:{records})\b(.*)$", re.M),
    )
    out["dateline_labels"] = frozenset(d["dateline_labels"])
    out["own_predicates"] = {
        action: [tuple(p) for p in phrases] for action, phrases in d["own_predicates"].items()
    }
    return out


def _negated(trigger: Token) -> bool:
    """Is the trigger, or the verb it hangs from, negated ("will not join")?"""
    neg = _cues()["negations"]
    return any(
        c.dep_ == "neg" or c.lower_ in neg for t in (trigger, trigger.head) for c in t.children
    )


_DATELINE_SENTENCES = 4  # a dateline opens one of the text's first sentences


def _dateline(date: Span, iso: str, sent: Span) -> bool:
    """Is the date (``iso``) the sentence's dateline, the day it was issued: after a label
    ("*date 2019-12-17* Staffordshire County Council's ..."), or a day opening one of the
    text's first sentences before a colon or a dash ("*17 October 2011*: Plans for ...")?
    (A year or a month so, "2015 - X joined", is a timeline's entry: the event's date.)"""
    doc = sent.doc
    words = [t for t in doc[sent.start : date.start] if not t.is_punct]
    if words:
        return len(words) == 1 and words[0].lower_ in _cues()["dateline_labels"]
    after = doc[date.end] if date.end < sent.end else None
    early = sent.start in {s.start for s in features(doc).sents[:_DATELINE_SENTENCES]}
    dash = after is not None and after.text in (":", "-", "\u2013", "\u2014")
    return len(iso) == 10 and early and dash


def _ends_name(year: Span) -> bool:
    """Is a bare year the last word of a proper name ("the Local Government Act *1972*",
    "Vision *2030*"), no date of anything the sentence tells?"""
    root = year.root
    return root.dep_ == "nummod" and root.head.pos_ == "PROPN" and root.head.i < root.i


def event_date(
    sent: Span,
    trigger: Token,
    published: str | None,
    action: str = "",
    governed: bool = False,
    others: Collection[int] = (),
) -> str:
    """The date ``sent`` gives for the event that ``trigger`` names, or "".

    The date nearest the trigger on the parse wins, one after an event
    preposition ("in", "from", "since") first. A date is not the event's
    when it bounds it ("until April", "before 2015"; but "will not join
    until April" joins in April) or when it stands in another clause of a
    list of clauses (across a semicolon) and does not hang from the trigger.
    "since 2011" dates a beginning, so it is no date for leaving or ending.
    With ``governed``, only a date that hangs from the trigger (or the word
    it hangs from) counts. ``others`` are the sentence's other triggers: a date
    that hangs from one of them before it reaches this one is theirs ("will end
    the service they set up in 2011": 2011 dates the setting up).
    """
    cues = _cues()
    doc = sent.doc
    base = sent.start_char
    negated = _negated(trigger)
    best: tuple[float, int, str] | None = None
    for start, end, iso in find_dates(text_of(sent), published):
        span = doc.char_span(base + start, base + end, alignment_mode="expand")
        if span is None or (len(iso) == 4 and _ends_name(span)) or _dateline(span, iso, sent):
            continue
        prev = doc[span.start - 1].lower_ if span.start > sent.start else ""
        until_ok = negated and prev in cues["until_preps"]  # "not ... until April": in April
        if not until_ok and (
            prev in cues["not_event_preps"] or (prev == "since" and action in (LEFT, ENDED))
        ):
            continue
        path = [a.i for a in span.root.ancestors]
        owner = next((i for i in path if i == trigger.i or i in others), None)
        if owner is not None and owner != trigger.i:
            continue
        anc = set(path)
        # hanging from the trigger, from the word it hangs from (a decision: "voted on
        # Tuesday to join ... in June" joins in June), or from neither
        score = 0.0 if trigger.i in anc else 0.5 if trigger.head.i in anc else 1.0
        if score >= 1 and governed:
            continue
        lo, hi = sorted((span.start, trigger.i))
        if trigger.i not in anc and any(t.text == ";" for t in doc[lo:hi]):
            continue  # another clause of a list of clauses
        if not until_ok and prev not in cues["event_preps"]:
            score += 2 if prev in cues["weak_preps"] else 1
        cand = (score, abs(span.start - trigger.i), iso)
        if best is None or cand < best:
            best = cand
    return best[2] if best else ""


def _lemma(tok: Token) -> str:
    return (tok.lemma_ or tok.text).lower()


def _predicate(tok: Token, phrases: list[tuple[str, ...]]) -> bool:
    """Does a verb phrase of ``phrases`` start at ``tok`` ("set up", "go live")?"""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    f, i = features(tok.doc), tok.i  # (the words' cached forms: no token made anew)
    for p in phrases:
        lemmas, lowers = f.lemma[i : i + len(p)], f.lower[i : i + len(p)]
        if len(lemmas) == len(p) and all(
            lemma == x or lower == x for lemma, lower, x in zip(lemmas, lowers, p, strict=True)
        ):
            return True
    return False


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, or of the verbs it is the complement of ("is expected to go")."""
    cur = verb
    for _ in range(3):
        subj = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0]
        if cur.dep_ not in ("xcomp", "ccomp", "conj") or cur.head is cur:
            return None
        cur = cur.head
    return None


def _is_partnership_subject(subj: Token) -> bool:
    """A subject that names the partnership itself: "it", "the company", "the
    Fenland Legal Partnership"; never a council."""
    words = list(subj.subtree)
    if any(t.ent_type_ == COUNCIL_LABEL for t in words):
        return False
    if subj.lower_ in _cues()["subject_words"] or _lemma(subj) in _cues()["subject_words"]:
        return True
    heads = partnership_heads()
    named = [t for t in words if t.ent_type_ == "ORG"]
    return subj.ent_type_ == "ORG" and any(t.lower_ in heads for t in named)


@cache
def _predicate_starts() -> frozenset[str]:
    """The first words of the partnership's own start and end predicates."""
    return frozenset(p[0] for phrases in _cues()["own_predicates"].values() for p in phrases)


def partnership_dates(doc: Doc, published: str | None = None) -> dict[str, str]:
    """The dates a document gives for the partnership's own start and end, by action
    (``formed``, ``ended``): the first sentence whose subject is the partnership
    ("It was established in 2007", "The company is expected to go live on
    1 November"), or where a participle describes it ("the partnership, launched
    in 2011, ..."), and whose verb starts or ends it, with a date hanging from
    that verb.

    The councils' events take these dates when their own sentences give none.
    """
    out: dict[str, str] = {}
    starts = _predicate_starts()
    f = features(doc)
    for i, pos in enumerate(f.pos):
        if pos not in ("VERB", "AUX") or (f.lower[i] not in starts and f.lemma[i] not in starts):
            continue  # no predicate starts here: skip the phrase checks
        tok, sent = f.tokens[i], f.sentence(i)
        for action, phrases in _cues()["own_predicates"].items():
            if action in out or not _predicate(tok, phrases):
                continue
            subj = _subject(tok)
            if subj is None and tok.dep_ == "acl":
                subj = tok.head  # "the partnership, *launched* in 2011, employs 40 staff"
            if subj is None or not _is_partnership_subject(subj):
                continue
            iso = event_date(sent, tok, published, action, governed=True)
            if iso:
                out[action] = iso
    return out
