"""Service areas (SPEC.md codes) from the service words of a sentence and its neighbours.

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
from functools import cache

from lgkg.extract.lexicon import load


@cache
def _patterns() -> list[tuple[re.Pattern[str], str, int]]:
    config = load("service_areas")
    acronyms = set(config["acronyms"])
    out = []
    for code, words in config["areas"].items():
        for w in words:
            # acronyms match only in upper case, so the pronoun "it" is not IT
            flags = 0 if w in acronyms else re.I
            text = re.escape(w.upper() if w in acronyms else w).replace(r"\ ", r"[\s-]+")
            out.append((re.compile(rf"(?<![\w-]){text}(?![\w-])", flags), code, len(w.split())))
    return out


def area_counts(text: str) -> Counter[str]:
    """How often each service area's words occur in ``text`` (longest match wins on overlaps)."""
    hits: list[tuple[int, int, str, int]] = []
    for pattern, code, n in _patterns():
        for m in pattern.finditer(text):
            hits.append((m.start(), m.end(), code, n))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken: list[tuple[int, int]] = []
    counts: Counter[str] = Counter()
    for start, end, code, _ in hits:
        if any(start < e and end > s for s, e in taken):
            continue
        taken.append((start, end))
        counts[code] += 1
    return counts


def decide(counts: Counter[str]) -> str | None:
    """One code for a bag of service-area hits, or None when there are none."""
    if not counts:
        return None
    config = load("service_areas")
    corporate = {c for c in counts if c in set(config["corporate"])}
    if "back-office" in counts or len(corporate) >= config["back_office_min_corporate"]:
        return "back-office"
    if "management" in counts:
        return "management"
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


def service_area_of_text(text: str) -> str | None:
    """The service area that the words of ``text`` point to, or None."""
    return decide(area_counts(text))
