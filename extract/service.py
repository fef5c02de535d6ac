"""Service areas (docs/contract.md codes) from the service words of a sentence and its neighbours.

>>> from lgkg.extract.service import service_area_of_text
>>> service_area_of_text("a shared legal service")
'legal'
>>> service_area_of_text("sharing HR, finance, procurement and IT")
'back-office'
>>> service_area_of_text("a joint chief executive")
'management'
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache, lru_cache

from lgkg.extract.lexicon import load


def _key(words: str) -> str:
    return re.sub(r"[\s-]+", " ", words.lower())


_NOT_SERVICE = ""  # the "area" of phrases that mask a service word ("legal advice")


def _any_of(phrases: list[str], gap: str = r"\s+") -> str:
    """A regex alternation of ``phrases``, longest first, each space matching ``gap``.

    When the phrases start with letters or digits that differ even ignoring case, they are
    grouped by their first one, in order within a group ("a(?:dult care|udit)|b(?:...)"):
    the regex engine then tries at each position only the phrases that can start there,
    and matches the same phrase as the plain alternation would, case ignored or not.

    >>> _any_of(["audit", "adult care", "bins"], gap="_")
    'a(?:dult_care|udit)|b(?:ins)'
    """
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    escaped = [re.escape(p).replace(r"\ ", gap) for p in ordered]
    firsts = {p[:1] for p in ordered}
    if not all(c.isascii() and c.isalnum() for c in firsts) or len(
        {c.lower() for c in firsts}
    ) != len(firsts):
        return "|".join(escaped)
    groups: dict[str, list[str]] = {}
    for phrase, pattern in zip(ordered, escaped, strict=True):
        groups.setdefault(phrase[0], []).append(pattern[1:])  # re.escape keeps [A-Za-z0-9]
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


@cache
def _corporate() -> frozenset[str]:
    """The codes that make up back-office when several are named together."""
    return frozenset(load("service_areas")["corporate"])


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], ...], dict[str, str]]:
    """Two alternations (words in any case; acronyms in upper case only, so the pronoun
    "it" is not IT) and the area of each word."""
    config = load("service_areas")
    acronyms = set(config["acronyms"])
    area: dict[str, str] = {}
    words: list[str] = []
    upper: list[str] = []
    entries_by_code = {**config["areas"], _NOT_SERVICE: config["not_service"]}
    for code, entries in entries_by_code.items():
        for w in entries:
            area.setdefault(_key(w), code)
            (upper if w in acronyms else words).append(w.upper() if w in acronyms else w)

    def alternation(items: list[str], flags: int) -> re.Pattern[str]:
        body = _any_of(items, r"[\s-]+")
        return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)

    return (alternation(words, re.I), alternation(upper, 0)), area


@cache
def _roles() -> re.Pattern[str]:
    """A person's remit after a role word: "cabinet member for Finance and Assets"."""
    body = _any_of(load("service_areas")["role_prefixes"])
    part = r"[^,.;:()\"“”\n]"
    # a list of remits in capitals runs on past its commas to its "and": "for Education,
    # Youth and Lifelong Learning" (not "for Finance, Cllr Jane Roe, said")
    cap = r"(?-i:[A-Z])[\w'-]*"
    listed = rf"(?:,\s+{cap}(?:\s+{cap})*)+\s+(?:and|&)\s+{part}{{1,40}}"
    return re.compile(rf"\b(?:{body})\s+{part}{{1,80}}(?:{listed})?", re.I)


def remits(text: str) -> list[tuple[int, int]]:
    """Where ``text`` gives a person's remit after a role word, as character spans.

    >>> text = "Jane Roe, cabinet member for Families and Young People, said"
    >>> [text[s:e] for s, e in remits(text)]
    ['member for Families and Young People']
    >>> text = "Cllr Jo Roe, Cabinet Member for Education, Youth and Lifelong Learning, said"
    >>> [text[s:e] for s, e in remits(text)]
    ['Member for Education, Youth and Lifelong Learning']
    """
    return [(m.start(), m.end()) for m in _roles().finditer(text)]


@cache
def _council_body() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """What follows a service word that names a council's own committee ("Audit and
    Governance Committee"), and what before it makes that a partnership's ("Joint Waste")."""
    config = load("service_areas")
    nouns = _any_of(config["council_bodies"])
    after = re.compile(rf"(?:\s+(?:and|&)\s+[\w-]+){{0,2}}\s+(?:{nouns})\b", re.I)
    before = re.compile(rf"\b(?:{_any_of(config['partnership_words'])})\s+$", re.I)
    return after, before


def _names_council_body(text: str, start: int, end: int) -> bool:
    """Does the service word at ``text[start:end]`` name a council's committee or panel?

    >>> _names_council_body("the Planning Committee agreed", 4, 12)
    True
    >>> _names_council_body("the Joint Waste Committee agreed", 10, 15)
    False
    """
    after, before = _council_body()
    return bool(after.match(text, end)) and not before.search(text, max(0, start - 12), start)


def area_counts(text: str) -> Counter[str]:
    """How often each service area's words occur in ``text`` (longest match wins on overlaps).

    Words in a person's remit ("cabinet member for finance") or naming a council's own
    committee ("the Planning Committee") do not count. Two corporate
    areas named as a bundle ("a number of services including") also count as back-office.
    A text is read once: the rules and the learned decisions ask for the same sentences.
    """
    return Counter(dict(_area_counts(text)))


@lru_cache(maxsize=8192)
def _area_counts(text: str) -> tuple[tuple[str, int], ...]:
    patterns, area = _patterns()
    roles = remits(text)
    hits = [
        (m.start(), m.end())
        for pattern in patterns
        for m in pattern.finditer(text)
        if not any(s <= m.start() < e for s, e in roles)
    ]
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken: list[tuple[int, int]] = []
    counts: Counter[str] = Counter()
    for start, end in hits:
        if any(start < e and end > s for s, e in taken):
            continue
        taken.append((start, end))
        code = area[_key(text[start:end])]
        if code != _NOT_SERVICE and not _names_council_body(text, start, end):
            counts[code] += 1
    if len(_corporate() & set(counts)) >= 2 and _bundle().search(text):
        counts["back-office"] += 1  # "a number of services including HR and revenues"
    return tuple(counts.items())


@cache
def _bundle() -> re.Pattern[str]:
    """Words that say several services go together: "a number of services including"."""
    return re.compile(_any_of(load("service_areas")["bundle_phrases"]), re.I)


def decide(counts: Counter[str]) -> str | None:
    """One code for a bag of service-area hits, or None when there are none."""
    if not counts:
        return None
    config = load("service_areas")
    corporate = _corporate() & set(counts)
    if "back-office" in counts or len(corporate) >= config["back_office_min_corporate"]:
        return "back-office"
    if "management" in counts:
        return "management"
    frontline = set(counts) - corporate
    if len(frontline) >= config["other_min_frontline"]:
        return "other"  # a range of services: "roads, social care and waste"
    best = max(counts.items(), key=lambda kv: (kv[1], -list(config["areas"]).index(kv[0])))
    return best[0]


def dominant(counts: Counter[str]) -> str | None:
    """The area a whole document is about.

    One named at least three times and twice as often as any other, else
    :func:`decide` over all of them.
    """
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= 3 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0]
    return decide(counts)


@lru_cache(maxsize=4096)  # a sentence is asked for again by each of its triggers
def service_area_of_text(text: str) -> str | None:
    """The service area that the words of ``text`` point to, or None."""
    return decide(area_counts(text))
