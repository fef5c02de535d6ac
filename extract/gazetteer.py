"""The council gazetteer: UK councils, their GSS codes and every known name form.

Loaded from the package data that ``lgkg.extract.gazetteer_build`` derives from the
sources in ``shared/data`` (``councils.csv``, ``council_names.csv``) and the pattern
rules in ``gazetteer_rules.json``.

>>> gaz = Gazetteer.load()
>>> gaz.lookup("Southwark Council").code
'E09000028'
>>> gaz.lookup("Dorset Council", on_date="2018").code
'E10000009'
>>> gaz.by_code("E06000048").code
'E06000057'
"""

from __future__ import annotations

import csv
import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from urllib.parse import urlsplit

KINDS = ("official", "short", "variant", "abbreviation", "generated")
COUNCIL_LABEL = "COUNCIL"  # the entity label of the ruler's council names
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@functools.lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """The lookup key of a name: case, accents, punctuation, '&', 'Saint' and 'the' folded.

    >>> normalise_name("The Royal Borough of Kensington & Chelsea")
    'royal borough of kensington and chelsea'
    >>> normalise_name("Saint Helens")
    'st helens'
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"['’‘`´]", "", text)
    tokens = re.sub(r"[^\w]+", " ", text).split()
    tokens = ["st" if t == "saint" else t for t in tokens]
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    return " ".join(tokens)


def date_bounds(date: str) -> tuple[str, str]:
    """First and last ISO day of a 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' date.

    >>> date_bounds("2019")
    ('2019-01-01', '2019-12-31')
    """
    match = _DATE.fullmatch(date.strip())
    if not match:
        raise ValueError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {date!r}")
    year, month, day = match.groups()
    if day:
        return (f"{year}-{month}-{day}",) * 2
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


@dataclass(frozen=True)
class Council:
    """A UK council; ``code`` is its current GSS code, or its last one if abolished."""

    code: str
    official_name: str
    short_name: str
    type: str  # mySociety type code: LBO, MD, NMD, UA, CTY, WPA, SCO, NID, CC, COMB, SRA
    start_date: str | None
    end_date: str | None  # the last day of its existence
    replaced_by: tuple[str, ...]
    former_codes: tuple[str, ...]
    wikidata: str | None
    nation: str
    region: str
    county_code: str | None
    names: tuple[str, ...]  # every known name form

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    def active_on(self, date: str | None) -> bool:
        """Whether the council existed at any time during ``date`` (None: always True).

        >>> Gazetteer.load().by_code("E10000021").active_on("2021-03")
        True
        """
        if date is None:
            return True
        first, last = date_bounds(date)
        return (self.start_date is None or self.start_date <= last) and (
            self.end_date is None or self.end_date >= first
        )


@dataclass(frozen=True)
class _Entry:
    code: str
    kind_rank: int


def _read_csv(name: str) -> list[dict[str, str]]:
    text = (files("lgkg.extract") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


class Gazetteer:
    """Councils by GSS code (current or former) and by any name form."""

    def __init__(
        self,
        councils: list[Council],
        name_kinds: dict[str, list[tuple[str, str]]],
        rules: dict,
        sites: dict[str, frozenset[str]] | None = None,
    ) -> None:
        self._councils = {c.code: c for c in councils}
        self._sites = sites or {}  # web host -> the councils whose website it is
        self._by_code = dict(self._councils)
        for council in councils:
            for former in council.former_codes:
                self._by_code.setdefault(former, council)
        self._name_kinds = name_kinds  # code -> [(name, kind)] in table order
        self._common = frozenset(rules["common_words"]["words"])
        self._body_types = frozenset(rules["body_words"]["types"])
        self._body_words = frozenset(rules["body_words"]["words"])
        self._lower_words = frozenset(rules["lower_tier_words"]["words"])
        self._lower_types = frozenset(rules["lower_tier_types"])
        self._generic_stems = frozenset(rules["generic_stems"]["words"])
        self._short_keys: dict[str, list[tuple[str, Council]]] = defaultdict(list)  # by 1st word
        for c in councils:
            short = normalise_name(c.short_name) + " "
            self._short_keys[short.split(" ", 1)[0]].append((short, c))
        self._index: dict[str, dict[str, int]] = defaultdict(dict)
        for code, forms in name_kinds.items():
            council = self._councils[code]
            for name, kind in forms:
                if not self._usable(council, name):
                    continue
                key = normalise_name(name)
                rank = KINDS.index(kind)
                if key and rank < self._index[key].get(code, len(KINDS)):
                    self._index[key][code] = rank

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer from the package data (read once, then cached)."""
        return _load()

    # ------------------------------------------------------------------ queries

    def by_code(self, code: str) -> Council | None:
        """The council with this current or former GSS code."""
        return self._by_code.get(code.strip().upper())

    def councils(self) -> Iterator[Council]:
        """Every council, current and abolished, in code order."""
        return iter(sorted(self._councils.values(), key=lambda c: c.code))

    def candidates(self, name: str) -> list[Council]:
        """Every council a name may refer to, best first (current, then recently ended)."""
        key, entries = self._entries(name)
        return [self._councils[code] for code in self._rank(key, entries, None)]

    def lookup(self, name: str, on_date: str | None = None) -> Council | None:
        """The council a name refers to, preferring one that existed on ``on_date``.

        Ties go to the current council, then the most recently ended one; a bare place
        name shared by a county or unitary and a district goes to the former unless the
        name says "District" or "Borough".
        """
        key, entries = self._entries(name)
        ranked = self._rank(key, entries, on_date)
        return self._councils[ranked[0]] if ranked else None

    def publisher(self, url: str | None, on_date: str | None = None) -> Council | None:
        """The council whose website ``url`` is on (its host, or a host under it:
        "democracy.brent.gov.uk"), when it is one council's (the one existing on ``on_date``
        of a website two councils had in turn); else None.

        >>> Gazetteer.load().publisher("https://democracy.brent.gov.uk/ieDecisionDetails").short_name
        'Brent'
        """
        host = (urlsplit(url).hostname or "") if url else ""
        labels = host.split(".")
        for i in range(len(labels) - 1):
            codes = self._sites.get(".".join(labels[i:]))
            if codes:
                return self._one_of(codes, on_date)
        if len(labels) >= 3 and labels[-2:] == ["gov", "uk"]:  # "newforest.gov.uk"
            return self._one_of(self._solid_names.get(labels[-3], ()), on_date)
        return None

    def _one_of(self, codes: Iterable[str], on_date: str | None) -> Council | None:
        """The one council of ``codes`` (the one existing on ``on_date`` if several)."""
        councils = [self._councils[c] for c in sorted(codes) if c in self._councils]
        if on_date is not None and len(councils) > 1:
            councils = [c for c in councils if c.active_on(on_date)]
        return councils[0] if len(councils) == 1 else None

    @functools.cached_property
    def _solid_names(self) -> dict[str, frozenset[str]]:
        """Each name's key written solid, as in a web host ("newforest"), to its councils."""
        out: dict[str, set[str]] = defaultdict(set)
        for key, codes in self._index.items():
            out[key.replace(" ", "")].update(codes)
        return {k: frozenset(v) for k, v in out.items()}

    def starting_with(self, stem: str) -> list[Council]:
        """Councils whose short name starts with the words of ``stem``, current first.

        For shortened names: "Kingston" for Kingston upon Thames (or upon Hull),
        "Merthyr" for Merthyr Tydfil.
        """
        key = normalise_name(stem)
        if not key or key in self._generic_stems:
            return []
        first = key.split(" ", 1)[0]
        hits = [c for short, c in self._short_keys.get(first, ()) if short.startswith(key + " ")]
        return sorted(hits, key=lambda c: (not c.is_current, c.code))

    def ruler_patterns(self) -> list[dict]:
        """spaCy EntityRuler phrase patterns, one per distinct (surface form, GSS code).

        Forms are case-sensitive as written; all-lower-case forms, bare one-word names
        that are everyday English words and region-like names of combined authorities
        are left out. A short name, and an official name of two words or more, also get
        an ALL-CAPS form (newspapers set a story's first words in capitals).
        """
        seen: set[tuple[str, str]] = set()
        patterns = []
        for code in sorted(self._name_kinds):
            council = self._councils[code]
            for name, kind in self._name_kinds[code]:
                forms = [name]
                if (kind == "official" and len(name.split()) > 1) or kind == "short":
                    forms.append(name.upper())  # "BEXLEY and Bromley councils are ..."
                for form in forms:
                    if (form, code) in seen or not self._pattern_ok(council, form):
                        continue
                    seen.add((form, code))
                    patterns.append({"label": COUNCIL_LABEL, "pattern": form, "id": code})
        return sorted(patterns, key=lambda p: (p["pattern"], p["id"]))

    # ------------------------------------------------------------------ helpers

    def _usable(self, council: Council, name: str) -> bool:
        if council.type not in self._body_types:
            return True
        return bool(self._body_words & set(normalise_name(name).split()))

    def _pattern_ok(self, council: Council, form: str) -> bool:
        if form.islower() or not self._usable(council, form):
            return False
        words = form.split()
        return not (len(words) == 1 and form.lower() in self._common)

    def _entries(self, name: str) -> tuple[str, dict[str, int]]:
        key = normalise_name(name)
        entries = self._index.get(key)
        if entries is None:
            possessive = re.sub(r"['’]s$", "", name.strip())
            if possessive != name.strip():
                key = normalise_name(possessive)
                entries = self._index.get(key)
        return key, entries or {}

    def _rank(self, key: str, entries: dict[str, int], on_date: str | None) -> list[str]:
        codes = list(entries)
        if on_date is not None:
            active = [c for c in codes if self._councils[c].active_on(on_date)]
            codes = active or codes
        lower_first = bool(self._lower_words & set(key.split()))

        def order(code: str) -> tuple:
            council = self._councils[code]
            ended = council.end_date or "9999-12-31"
            lower = council.type in self._lower_types
            tier = lower != lower_first
            return (not council.is_current, _negate(ended), tier, entries[code], code)

        return sorted(codes, key=order)


def _negate(date: str) -> tuple[int, ...]:
    """A key that sorts later ISO dates first."""
    return tuple(-int(part) for part in date.split("-"))


def _optional(value: str) -> str | None:
    return value or None


@functools.cache
def _load() -> Gazetteer:
    forms: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in _read_csv("council_names.csv"):
        forms[row["gss_code"]].append((row["name"], row["kind"]))
    councils = [
        Council(
            code=row["gss_code"],
            official_name=row["official_name"],
            short_name=row["short_name"],
            type=row["type"],
            start_date=_optional(row["start_date"]),
            end_date=_optional(row["end_date"]),
            replaced_by=tuple(row["replaced_by"].split()),
            former_codes=tuple(row["former_gss_codes"].split()),
            wikidata=_optional(row["wikidata"]),
            nation=row["nation"],
            region=row["region"],
            county_code=_optional(row["county_gss"]),
            names=tuple(name for name, _ in forms[row["gss_code"]]),
        )
        for row in _read_csv("councils.csv")
    ]
    rules = json.loads((files("lgkg.extract") / "data" / "gazetteer_rules.json").read_text())
    sites: dict[str, set[str]] = defaultdict(set)
    for row in _read_csv("council_sites.csv"):
        sites[row["host"]].add(row["gss_code"])
    return Gazetteer(councils, dict(forms), rules, {h: frozenset(c) for h, c in sites.items()})
