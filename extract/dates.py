"""Dates in press releases, as ISO 8601 at the precision the text gives.

Absolute forms ("1 December 2020", "December 1, 2020", "April 2016", "2010")
are read as written; relative ones ("next April", "last year", "October this
year") are resolved against the publication date, and dropped when it is not
known (SPEC.md, "Dates").

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

"""

from __future__ import annotations

import re
from datetime import date, timedelta

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
_FIN_YEAR = re.compile(r"\b(?:19|20)\d\d\s*/\s*\d{2,4}\b")
_REL_MONTH = re.compile(
    rf"\b(next|last|this|from|in|by|until)?\s*{_MONTH}\s+(next|last|this)\s+year\b", re.I
)
_NEXT_MONTH = re.compile(rf"\b(next|last|this)\s+{_MONTH}\b", re.I)
_TODAY = re.compile(r"\b(today|yesterday)\b", re.I)
_REL_MONTH_WORD = re.compile(r"\b(next|last|this)\s+month\b", re.I)
_REL_YEAR = re.compile(r"\b(next|last|this|the\s+following|the\s+previous)\s+year\b", re.I)
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?!,?\s+(?:19|20)\d\d)", re.I)
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?!,?\s+(?:19|20)\d\d)", re.I)
_BARE_MONTH = re.compile(
    rf"\b(?:in|from|on|by|until|since|during)\s+{_MONTH}\b(?!\s+(?:19|20)\d\d)", re.I
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
    return 1 <= m <= 12 and 1 <= d <= 31


def parse_date(text: str, published: str | None = None) -> str | None:
    """The first date in ``text`` as ISO 8601, or None.

    Financial years ("2015/16") are not dates of an action and give None.
    """
    found = find_dates(text, published)
    return found[0][2] if found else None


def find_dates(text: str, published: str | None = None) -> list[tuple[int, int, str]]:
    """Every date in ``text`` as ``(start, end, iso)``, in text order, without overlaps.

    >>> find_dates("launched in October 2016 and reviewed on 1 May 2018")
    [(12, 24, '2016-10'), (41, 51, '2018-05-01')]
    """
    pub = _pub_parts(published)
    spans: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(a: int, b: int, iso: str | None) -> None:
        if iso and free(a, b):
            spans.append((a, b, iso))
            taken.append((a, b))

    for m in _FIN_YEAR.finditer(text):
        taken.append(m.span())
    for m in _ISO.finditer(text):
        y, mo, d = m.groups()
        if 1 <= int(mo) <= 12:
            add(*m.span(), f"{y}-{mo}-{d}" if d else f"{y}-{mo}")
    for m in _DMY.finditer(text):
        d, mon, y = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
        if _valid(y, mon, d):
            add(*m.span(), f"{y:04d}-{mon:02d}-{d:02d}")
    for m in _MDY.finditer(text):
        mon, d, y = MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
        if _valid(y, mon, d):
            add(*m.span(), f"{y:04d}-{mon:02d}-{d:02d}")
    for m in _NUMERIC.finditer(text):
        d, mon, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(y, mon, d):
            add(*m.span(), f"{y:04d}-{mon:02d}-{d:02d}")
    for m in _MY.finditer(text):
        add(*m.span(), _ym(int(m.group(2)), MONTHS[m.group(1).lower()]))
    for m in _REL_MONTH.finditer(text):
        if pub:
            rel = m.group(3).lower()
            year = pub[0] + {"next": 1, "last": -1, "this": 0}[rel]
            add(m.start(2), m.end(), _ym(year, MONTHS[m.group(2).lower()]))
        else:
            taken.append(m.span())
    for m in _NEXT_MONTH.finditer(text):
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
    for pattern in (_DAY_MONTH, _MONTH_DAY, _BARE_MONTH):
        for m in pattern.finditer(text):
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
            add(*m.span(), f"{year:04d}-{mon:02d}-{day:02d}" if day else _ym(year, mon))
    for m in _Y.finditer(text):
        add(*m.span(), m.group(1))
    return sorted(spans)


def compare(a: str, b: str) -> int:
    """Compare two ISO dates at the coarser precision: -1, 0 (same or overlapping) or 1.

    >>> compare("2016-04", "2016"), compare("2016-04-01", "2015-11"), compare("2014", "2016-01")
    (0, 1, -1)
    """
    n = min(len(a), len(b))
    x, y = a[:n], b[:n]
    return (x > y) - (x < y)
