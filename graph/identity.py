"""Partnerships as entities across documents (``lgkg.graph.identity``).

Each document graph describes the partnerships its text speaks of, each under
an IRI of its own, ``id/description/{doc id}-{n}`` (:mod:`lgkg.graph.emit`):
its label there is the name the text gives it, or one made of its members,
and its ``skos:altLabel`` values are the names the text gives it. A
:class:`Description` is what resolution reads of one: its names, service
area, members and founding years. This module decides which descriptions,
across documents, are one real-world partnership, and writes each such
*entity* to a named graph of its own, named by the entity's IRI
``id/partnership/{slug of its label}``::

    <entity> a org:OrganizationalCollaboration ; rdfs:label "LGSS" ;
        skos:altLabel "Local Government Shared Services", ... ;
        lgkg:serviceArea <…/back-office> ; prov:wasDerivedFrom <doc>, ... .
    <description> prov:specializationOf <entity> .    # one per description

Document graphs are never rewritten: resolution only ever replaces entity
graphs, so re-resolving (after an ingest, a retraction, or ``lgkg resolve``)
rebuilds them from the descriptions alone.

**Evidence.** Two descriptions from different documents are one partnership when

1. they share a *name*: one the text gives, compared by :func:`name_key` (case,
   accents, punctuation and a leading "the" aside), or an acronym and its
   expansion ("LGSS" and "Local Government Shared Services": :func:`initials`).
   A name made only of generic words ("Shared Services Joint Committee",
   ``generic_name_words`` in ``extract/patterns/identity.json``) counts only
   with a member in common, and so does any name of a text that names two
   partnerships (names that are not forms of one another: :func:`name_groups`);
2. or they share at least two members, and at least ``min_overlap`` of the
   smaller member list, in service areas that can be one partnership's
   (equal, or one of them ``broad_areas`` that covers the other);
3. or one has a single member, the other has it too, in the same service area
   (not ``other``), and no other partnership of that body and area is known.

Evidence against: two different distinctive names; service areas that
cannot be one partnership's; founding years more than ``founded_years_apart``
apart (the partnership "set up in 2010" is not the one set up in 2021); two
descriptions of several members each with less than ``min_overlap`` of the
smaller member list in common (unless named alike: a partnership grows, so
the smaller list is what must be found in the larger). One document's
descriptions are always different partnerships. Members are the evidence
extraction reads best, service areas what it reads worst on text it has not
seen: when one description's members are all among the other's (two or more:
:func:`nested`), service areas that disagree do not tell them apart ("the
shared chief executive" of two councils in one article, their "shared
services" in the next).

**Order.** The entities are a function of the set of descriptions, never of
the order documents arrive in. Links (1-3) join descriptions into connected
components; inside each component, links are taken strongest first (names,
then members, then single members; ties in IRI order) and two groups are
merged unless the evidence against holds between them (:func:`resolve`). An
update (:meth:`PartnershipIndex.update`) recomputes only the components a
new or dropped document touches, which gives the same result as resolving
everything again.

**Names.** An entity's label is the name its documents give most often
(the longer form on a tie), else a readable one made of its founders (or
members) and its service area (:func:`~lgkg.extract.partnerships.generated_label`:
"Brent and Lewisham shared ICT service"); every other name and label its
documents give becomes ``skos:altLabel``. Entities that share a label slug are
told apart by six hex digits of the hash of their first description's IRI
(:func:`entity_iri`).

>>> name_key("The Brent–Lewisham Shared IT Service.")
'brent-lewisham-shared-it-service'
>>> initials("Education through Regional Working"), initials("LGSS")
('erw', '')
"""

from __future__ import annotations

import gc
import hashlib
import re
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV, SKOS
from rdflib.term import Node

from lgkg.extract.lexicon import load
from lgkg.extract.partnerships import generated_label
from lgkg.extract.records import Body, Extraction
from lgkg.extract.vocabulary import ACTIONS, AGREED, DONE, FORMED
from lgkg.graph.emit import description_numbers
from lgkg.graph.terms import to_rdflib
from lgkg.graph.vocab import ID, LGKG, council_iri, org_iri, service_area_iri, slug

if TYPE_CHECKING:
    from lgkg.extract.gazetteer import Gazetteer
    from lgkg.graph.store import Store

PARTNERSHIP_BASE = str(ID["partnership/"])
DESCRIPTION_BASE = str(ID["description/"])
DOC_BASE = str(ID["doc/"])
_DOC_GRAPH = re.compile(re.escape(DOC_BASE) + r"[0-9a-f]{16}")
_AREA_BASE = str(ID["service-area/"])
#: The catch-all service area: it agrees only with the broad ones and names none.
OTHER = "other"
#: Actions whose actor is one of the partnership's bodies (a client served is not).
ACTOR_ACTIONS = ACTIONS
_CONNECTORS = frozenset({"of", "for", "the", "and", "through", "in", "on", "to"})
_ARTICLE = "the-"
# link strengths, strongest first when groups are merged
NAME, GENERIC_NAME, MEMBERS, FOUNDED, SINGLE = 3.0, 2.0, 1.0, 0.75, 0.5
#: A member block (any key but a name) of more descriptions than this, and not beyond its
#: limit, compares each description only with its ``WINDOW`` nearest on either side in
#: :func:`sort_key` order (service area, founding year, name), not with all: councils that
#: share many services would otherwise cost comparisons growing with the square of them.
FULL_BLOCK = 8
WINDOW = 4


@cache
def _settings() -> dict:
    return load("identity")


@cache
def _generic_words() -> frozenset[str]:
    return frozenset(_settings()["generic_name_words"])


@cache
def _broad_areas() -> dict[str, frozenset[str]]:
    return {area: frozenset(within) for area, within in _settings()["broad_areas"].items()}


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """What two names of a partnership must share to be the same name: the slug, no "the".

    >>> name_key("the shared service") == name_key("Shared Service")
    True
    """
    key = slug(name)
    return key[len(_ARTICLE) :] if key.startswith(_ARTICLE) else key


def initials(name: str) -> str:
    """The acronym of a name of two or more words ("" for one word), lower case.

    >>> initials("Dorset Waste Partnership"), initials("South & East Lincolnshire Councils")
    ('dwp', 'selc')
    """
    words = [w for w in re.findall(r"[A-Za-z0-9]+", name) if w.lower() not in _CONNECTORS]
    return "".join(w[0] for w in words).lower() if len(words) >= 2 else ""


def is_acronym(name: str) -> bool:
    """One word with at least two capitals: "LGSS", "HBPL", "H3", "WiFi".

    >>> is_acronym("LGSS"), is_acronym("Strata")
    (True, False)
    """
    return bool(re.fullmatch(r"[A-Za-z0-9]+", name)) and sum(c.isupper() for c in name) >= 2


def distinctive(key: str) -> bool:
    """Does a name key hold a word that is not generic ("lgss", not "shared-services")?"""
    return any(w not in _generic_words() for w in key.split("-") if w)


def areas_agree(a: str, b: str) -> bool:
    """Can one partnership be reported under service areas ``a`` and ``b``?

    >>> areas_agree("ict", "back-office"), areas_agree("audit", "legal"), areas_agree("", "ict")
    (True, False, True)
    """
    if a == b or not a or not b:
        return True
    broad = _broad_areas()
    return any(x in broad and ("*" in broad[x] or y in broad[x]) for x, y in ((a, b), (b, a)))


def _year(date: str) -> int | None:
    return int(date[:4]) if re.match(r"\d{4}", date or "") else None


# --------------------------------------------------------------------------- descriptions


@dataclass(frozen=True)
class Description:
    """What one document says about one partnership: the evidence resolution reads.

    ``members`` are ``(IRI, name)`` of the bodies acting in its events (forming,
    joining, leaving, ending it or providing through it), ``founders`` the IRIs
    of those that formed it, and ``founded`` the years of its dated, agreed or
    done ``formed`` events.
    """

    iri: str
    doc: str
    label: str
    names: tuple[str, ...] = ()
    area: str = ""
    members: tuple[tuple[str, str], ...] = ()
    founders: tuple[str, ...] = ()
    founded: tuple[int, ...] = ()

    @cached_property
    def member_iris(self) -> frozenset[str]:
        """The members' IRIs."""
        return frozenset(iri for iri, _ in self.members)

    @cached_property
    def core(self) -> frozenset[str]:
        """Its founders, else its members: who it is, whoever joins or leaves later."""
        return frozenset(self.founders) or self.member_iris

    @cached_property
    def name_keys(self) -> frozenset[str]:
        """The :func:`name_key` of each name."""
        return frozenset(k for k in map(name_key, self.names) if k)

    @cached_property
    def strong_keys(self) -> frozenset[str]:
        """The keys of its distinctive names, and its bare acronyms (lower case)."""
        return frozenset(k for k in self.name_keys if distinctive(k)) | self.acronyms

    @cached_property
    def acronyms(self) -> frozenset[str]:
        """Its names that are acronyms ("LGSS"), lower case."""
        return frozenset(n.lower() for n in self.names if is_acronym(n))

    @cached_property
    def expansions(self) -> frozenset[str]:
        """The initials of its distinctive names of several words ("dwp")."""
        keys = {initials(n) for n in self.names if distinctive(name_key(n))}
        return frozenset(k for k in keys if len(k) >= 2)

    @cached_property
    def generic_keys(self) -> frozenset[str]:
        """The keys of its names made only of generic words."""
        return frozenset(k for k in self.name_keys if not distinctive(k))

    @cached_property
    def ambiguous(self) -> bool:
        """Does its text name two partnerships (:func:`name_groups`)?"""
        return name_groups(self.names) > 1

    def blocks(self) -> frozenset[tuple[str, ...]]:
        """The keys under which its possible matches are looked up."""
        return self._blocks

    @cached_property
    def _blocks(self) -> frozenset[tuple[str, ...]]:
        # names; a generic name with a member; two members in an area it agrees with; one
        # member in its area (a single member's match); a founder, area and founding year
        keys: set[tuple[str, ...]] = {("n", k) for k in self.strong_keys | self.expansions}
        members = sorted(self.member_iris)
        keys |= {("g", k, m) for k in self.generic_keys for m in members}
        keys |= {
            ("m", a, b, area)
            for i, a in enumerate(members)
            for b in members[i + 1 :]
            for area in self.key_areas
        }
        keys |= {("s", m, self.area) for m in members}
        keys |= {("f", f, self.area, str(y)) for f in self.founders for y in self.founded}
        return frozenset(keys)

    @cached_property
    def sort_key(self) -> tuple[str, int, str, str]:
        """Its place in a large block (:func:`sort_key`)."""
        return (self.area, min(self.founded, default=0), min(self.name_keys, default=""), self.iri)

    @cached_property
    def key_areas(self) -> frozenset[str]:
        """Its service area and those it covers: two descriptions' areas agree
        (:func:`areas_agree`) when these share one."""
        area = self.area or OTHER
        return frozenset({area} | _broad_areas().get(area, frozenset()))


def name_groups(names: Iterable[str]) -> int:
    """How many partnerships ``names`` name: names that are forms of one another (an acronym
    and its expansion, or one inside the other) count once; generic names not at all.

    >>> name_groups(["LGSS", "LGSS Partnership", "Local Government Shared Services"])
    1
    >>> name_groups(["LGSS", "Welland Partnership", "WIAC", "Welland Internal Audit Consortium"])
    2
    """
    keys = sorted({name_key(n) for n in names if distinctive(name_key(n))})
    forms = {k: {k, initials(k.replace("-", " "))} - {""} for k in keys}
    for n in names:
        k = name_key(n)
        if k in forms:
            forms[k].add(initials(n))
    owner = {k: k for k in keys}

    def find(k: str) -> str:
        while owner[k] != k:
            k = owner[k]
        return k

    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            words_a, words_b = a.split("-"), b.split("-")
            inside = _contains(words_a, words_b) or _contains(words_b, words_a)
            if inside or forms[a] & forms[b] or a in forms[b] or b in forms[a]:
                owner[find(b)] = find(a)
    return len({find(k) for k in keys})


def _contains(words: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(words[i : i + n] == part for i in range(len(words) - n + 1))


def _names_match(a: Description, b: Description) -> bool:
    return bool(
        (a.strong_keys & b.strong_keys)
        or (a.expansions & b.acronyms)
        or (b.expansions & a.acronyms)
    )


def _member(body: Body) -> tuple[str, str]:
    if body.code:
        return str(council_iri(body.code)), _council_name(body.code, body.name)
    return str(org_iri(body.name)), body.name


def _council_name(code: str, fallback: str) -> str:
    council = _gazetteer().by_code(code) if code else None
    return council.short_name if council is not None else fallback


@cache
def _gazetteer() -> Gazetteer:
    from lgkg.extract.gazetteer import Gazetteer

    return Gazetteer.load()


def describe(x: Extraction) -> list[Description]:
    """The descriptions of one extraction, as its document graph will hold them
    (:func:`descriptions_in` of that graph gives the same)."""
    from lgkg.graph.vocab import description_iri, doc_iri

    doc = str(doc_iri(x.doc.doc_id))
    numbers = description_numbers(x)
    names: dict[str, set[str]] = {label: set() for label in numbers}
    areas: dict[str, str] = {}
    for p in x.partnerships:
        names[p.label] |= {n for n in p.names if n}
        areas.setdefault(p.label, p.service_area)
    for e in x.events:
        areas.setdefault(e.partnership, e.service_area)
    events: dict[str, list] = {label: [] for label in numbers}
    for e in x.events:
        events[e.partnership].append(e)
    out = []
    for label, n in numbers.items():
        evs = events[label]
        members = {_member(e.body) for e in evs if e.action in ACTOR_ACTIONS}
        founders = {_member(e.body)[0] for e in evs if e.action == FORMED}
        founded = {
            y
            for e in evs
            if e.action == FORMED and e.status in (AGREED, DONE)
            for y in [_year(e.date)]
            if y is not None
        }
        out.append(
            _description(
                str(description_iri(x.doc.doc_id, n)),
                doc,
                label,
                names[label],
                areas.get(label, ""),
                members,
                founders,
                founded,
            )
        )
    return out


def _description(
    iri: str,
    doc: str,
    label: str,
    names: Iterable[str],
    area: str,
    members: Iterable[tuple[str, str]],
    founders: Iterable[str],
    founded: Iterable[int],
) -> Description:
    by_iri: dict[str, str] = {}
    for m_iri, name in members:
        by_iri[m_iri] = min(name, by_iri.get(m_iri, name))
    return Description(
        iri,
        doc,
        label,
        tuple(sorted(set(names))),
        area,
        tuple(sorted(by_iri.items())),
        tuple(sorted(set(founders))),
        tuple(sorted(set(founded))),
    )


#: Everything resolution reads of the document graphs, one row per fact.
DESCRIPTIONS_QUERY = f"""
PREFIX lgkg: <{LGKG._NS}>
PREFIX org:  <{ORG}>
PREFIX rdfs: <{RDFS}>
PREFIX skos: <{SKOS}>
SELECT ?g ?d ?kind ?value ?action ?status ?date ?name WHERE {{
  GRAPH ?g {{
    ?d a org:OrganizationalCollaboration .
    {{ ?d rdfs:label ?value . BIND("label" AS ?kind) }}
    UNION {{ ?d skos:altLabel ?value . BIND("name" AS ?kind) }}
    UNION {{ ?d lgkg:serviceArea ?value . BIND("area" AS ?kind) }}
    UNION {{
      ?e a lgkg:PartnershipEvent ; lgkg:partnership ?d ; lgkg:actor ?value ;
         lgkg:action ?action ; lgkg:status ?status .
      OPTIONAL {{ ?e lgkg:date ?date }}
      OPTIONAL {{ ?value rdfs:label ?name }}
      BIND("event" AS ?kind)
    }}
  }}
  FILTER(STRSTARTS(STR(?d), "{DESCRIPTION_BASE}"))
}}
"""


def descriptions_from_rows(rows: Iterable[Sequence[Node | None]]) -> list[Description]:
    """Descriptions from the rows of :data:`DESCRIPTIONS_QUERY` (document graphs only)."""
    found: dict[str, dict] = {}
    for g, d, kind, value, action, status, date, name in rows:
        if g is None or d is None or value is None or not _DOC_GRAPH.fullmatch(str(g)):
            continue
        item = found.setdefault(
            str(d),
            {"doc": str(g), "label": "", "names": set(), "area": "", "events": []},
        )
        kind = str(kind)
        if kind == "label":
            item["label"] = min(str(value), item["label"] or str(value))
        elif kind == "name":
            item["names"].add(str(value))
        elif kind == "area":
            item["area"] = str(value).removeprefix(_AREA_BASE)
        elif kind == "event":
            item["events"].append((str(value), _concept(action), _concept(status), date, name))
    out = []
    for iri, item in sorted(found.items()):
        members, founders, founded = set(), set(), set()
        for actor, action, status, date, name in item["events"]:
            if action not in ACTOR_ACTIONS:
                continue
            members.add((actor, _actor_name(actor, name)))
            if action == FORMED:
                founders.add(actor)
                year = _year(str(date) if date is not None else "")
                if status in (AGREED, DONE) and year is not None:
                    founded.add(year)
        out.append(
            _description(
                iri,
                item["doc"],
                item["label"],
                item["names"],
                item["area"],
                members,
                founders,
                founded,
            )
        )
    return out


def _concept(term: Node | None) -> str:
    return str(term).rsplit("#", 1)[-1].lower() if term is not None else ""


_COUNCIL_BASE = str(ID["council/"])


def _actor_name(actor: str, label: Node | None) -> str:
    if actor.startswith(_COUNCIL_BASE):
        code = actor[len(_COUNCIL_BASE) :]
        return _council_name(code, code)
    return str(label) if label is not None else actor.rsplit("/", 1)[-1]


def descriptions_in(graph: Graph, graph_iri: str) -> list[Description]:
    """The descriptions a document graph (named ``graph_iri``) holds."""
    from lgkg.graph.store import MemoryStore

    with MemoryStore() as store:
        store.replace_graph(graph_iri, graph)
        return descriptions_from_rows(store.select(DESCRIPTIONS_QUERY)[1])


# --------------------------------------------------------------------------- linking


def nested(a: frozenset[str], b: frozenset[str]) -> bool:
    """Are two or more members in common, and all of one list's members among the other's?

    >>> nested(frozenset("ab"), frozenset("abc")), nested(frozenset("ab"), frozenset("ac"))
    (True, False)
    """
    return len(a & b) >= 2 and (a <= b or b <= a)


def attributes_conflict(
    areas: tuple[Iterable[str], Iterable[str]],
    founded: tuple[Iterable[int], Iterable[int]],
    members: tuple[frozenset[str], frozenset[str]],
) -> bool:
    """Do service areas that cannot be one partnership's (unless the member lists are
    :func:`nested`), or founding years more than ``founded_years_apart`` apart, tell two
    partnerships apart?

    >>> two, three = frozenset({"a", "b"}), frozenset({"a", "b", "c"})
    >>> attributes_conflict((["audit"], ["legal"]), ([], []), (two, frozenset({"a", "c"})))
    True
    >>> attributes_conflict((["audit"], ["legal"]), ([], []), (two, three))
    False
    >>> attributes_conflict((["audit"], ["audit"]), ([2010], [2021]), (two, three))
    True
    """
    areas_a, areas_b = list(areas[0]), list(areas[1])
    if any(not areas_agree(x, y) for x in areas_a for y in areas_b) and not nested(*members):
        return True
    years_a, years_b = list(founded[0]), list(founded[1])
    apart = _settings()["founded_years_apart"]
    return bool(years_a and years_b and min(abs(x - y) for x in years_a for y in years_b) > apart)


def _conflict(a: Description, b: Description) -> bool:
    """Evidence that ``a`` and ``b`` are two partnerships (names aside)."""
    return attributes_conflict(
        ([a.area], [b.area]), (a.founded, b.founded), (a.member_iris, b.member_iris)
    )


def link(a: Description, b: Description) -> float:
    """How strongly ``a`` and ``b`` are one partnership (0: no link); see the module docstring.

    A single member links here wherever a pair is compared: a block whose body and area are
    ambiguous compares no pair (:func:`_compared`)."""
    if a.doc == b.doc:
        return 0.0
    if _names_match(a, b):
        if not (a.ambiguous or b.ambiguous) or a.member_iris & b.member_iris:
            return NAME
        return 0.0
    if (a.strong_keys | a.expansions) and (b.strong_keys | b.expansions):
        return 0.0  # two distinctive names, not one
    if _conflict(a, b):
        return 0.0
    shared = len(a.member_iris & b.member_iris)
    if a.generic_keys & b.generic_keys and shared:
        return GENERIC_NAME
    smaller = min(len(a.member_iris), len(b.member_iris))
    if shared >= 2 and shared >= _settings()["min_overlap"] * smaller:
        return MEMBERS + shared / len(a.member_iris | b.member_iris)
    if smaller == 1 and shared == 1 and a.area == b.area and a.area != OTHER:
        return SINGLE
    if _founded_alike(a, b):
        return FOUNDED
    return 0.0


#: :func:`link`, or a memo of it (:func:`memo_link`).
Linker = Callable[[Description, Description], float]


def memo_link() -> Linker:
    """:func:`link` computing each pair once: blocks that share a pair (two descriptions of
    several members share many) compare it once. The descriptions are known by identity (a
    re-ingested document's keep their IRIs), so the memo must not outlive them: one serves
    one update."""
    known: dict[tuple[int, int], float] = {}

    def linked(a: Description, b: Description) -> float:
        pair = (id(a), id(b)) if id(a) < id(b) else (id(b), id(a))
        strength = known.get(pair)
        if strength is None:
            strength = known[pair] = link(a, b)
        return strength

    return linked


def _founded_alike(a: Description, b: Description) -> bool:
    """Founded in one year, by a founder in common, in one service area (not ``other``):
    "the shared legal service of Adur and Worthing, set up in June 2019"."""
    return bool(
        set(a.founded) & set(b.founded)
        and set(a.founders) & set(b.founders)
        and a.area == b.area != OTHER
    )


@dataclass
class _Group:
    """Descriptions resolved to one partnership so far, with what tells it apart."""

    iris: list[str]
    docs: set[str]
    strong: set[str]
    areas: set[str]
    founded: set[int]
    # each description's core and members: two of several founders must share members
    members: list[tuple[frozenset[str], frozenset[str]]]
    everyone: frozenset[str]  # every member of its descriptions

    @classmethod
    def of(cls, d: Description) -> _Group:
        return cls(
            [d.iri],
            {d.doc},
            set(d.strong_keys | d.expansions),
            {d.area} - {""},
            set(d.founded),
            [(d.core, d.member_iris)] if d.member_iris else [],
            d.member_iris,
        )

    def absorb(self, other: _Group) -> None:
        self.iris += other.iris
        self.docs |= other.docs
        self.strong |= other.strong
        self.areas |= other.areas
        self.founded |= other.founded
        self.members += other.members
        self.everyone |= other.everyone

    def refuses(self, other: _Group, strength: float, named: bool) -> bool:
        """Would merging with ``other`` join two partnerships?"""
        if self.docs & other.docs:
            return True
        if self.strong and other.strong and not named and not (self.strong & other.strong):
            return True
        if strength >= NAME:
            return False
        if attributes_conflict(
            (self.areas, other.areas),
            (self.founded, other.founded),
            (self.everyone, other.everyone),
        ):
            return True
        least = _settings()["min_overlap"]
        return any(  # every two of its descriptions share members, unless named alike
            len(a & b) < least * min(len(a), len(b))
            for core_a, a in self.members
            for core_b, b in other.members
            if len(core_a) > 1 and len(core_b) > 1
        )


#: How a block key may be used: ``(compare its descriptions?, may a single member link?)``.
Usable = Callable[[tuple[str, ...]], tuple[bool, bool]]


def block_use(key: tuple[str, ...], members: Iterable[Description]) -> tuple[bool, bool]:
    """How the block ``key`` of ``members`` (every description sharing it) may be used: not
    at all beyond :func:`_limit` descriptions; a single member links only while no more than two
    descriptions of several members share the key (its body and area are not ambiguous)."""
    members = list(members)
    return use_of(key, len(members), sum(1 for d in members if len(d.member_iris) > 1))


def use_of(key: tuple[str, ...], size: int, several: int) -> tuple[bool, bool]:
    """:func:`block_use` of a block of ``size`` descriptions, ``several`` of several members.

    >>> use_of(("s", "council/E1", "legal"), 3, 3)
    (True, False)
    """
    return size <= _limit(key), several <= 2


def sort_key(d: Description) -> tuple[str, int, str, str]:
    """Where ``d`` stands in a large block: the nearest in this order are compared
    (:data:`FULL_BLOCK`): its service area, founding year, first name key, IRI."""
    return d.sort_key


def windowed(key: tuple[str, ...], size: int) -> bool:
    """Does a block ``key`` of ``size`` descriptions compare only neighbours (:data:`WINDOW`)?

    >>> windowed(("m", "a", "b", "ict"), FULL_BLOCK), windowed(("m", "a", "b", "ict"), 9)
    (False, True)
    """
    return key[0] != "n" and size > FULL_BLOCK


def _window_pairs(key: tuple[str, ...], block: Iterable[Description]) -> set[tuple[str, str]]:
    """The pairs of a windowed block worth comparing, each in IRI order: each description
    with its :data:`WINDOW` next in :func:`sort_key` order (under a single-member key, only
    pairs with a single-member side, as :func:`_pairs`)."""
    by_iri = {d.iri: d for d in block}
    return _near_pairs(key, sorted(d.sort_key for d in by_iri.values()), by_iri.keys(), by_iri)


def _near_pairs(
    key: tuple[str, ...],
    order: Sequence[tuple],
    among: Collection[str],
    descriptions: Mapping[str, Description],
) -> set[tuple[str, str]]:
    """The pairs :func:`_window_pairs` gives a block whose descriptions' sort keys are
    ``order`` (sorted), both of whose ends are ``among``; found from the places of those
    alone (a bisection each), not from the whole block, so that an update compares only
    what it changed."""
    singles = key[0] == "s"
    out: set[tuple[str, str]] = set()
    for a in among:
        da = descriptions[a]
        place = bisect_left(order, da.sort_key)
        for entry in order[place + 1 : place + 1 + WINDOW]:
            b = entry[-1]  # a sort key ends with its description's IRI
            if b not in among:
                continue
            if singles and len(da.member_iris) > 1 and len(descriptions[b].member_iris) > 1:
                continue
            out.add((a, b) if a < b else (b, a))
    return out


def _neighbours(order: Sequence[tuple], a: Description, b: Description) -> bool:
    """Does a windowed block whose descriptions' sort keys are ``order`` compare ``a`` and
    ``b`` (at most :data:`WINDOW` places apart; under a key but a single member's)?"""
    return abs(bisect_left(order, a.sort_key) - bisect_left(order, b.sort_key)) <= WINDOW


def _near(order: Sequence[tuple], keys: Iterable[tuple]) -> set[str]:
    """The IRIs within :data:`WINDOW` places of each of ``keys`` in the sorted ``order``."""
    out: set[str] = set()
    for k in keys:
        place = bisect_left(order, k)
        out.update(e[-1] for e in order[max(0, place - WINDOW) : place + WINDOW + 1])
    return out


def _by_block(
    descriptions: Iterable[Description], keys: Collection[tuple[str, ...]]
) -> dict[tuple[str, ...], list[Description]]:
    """The descriptions under each of block ``keys`` (those that have any)."""
    out: dict[tuple[str, ...], list[Description]] = {}
    for d in descriptions:
        for key in d.blocks():
            if key in keys:
                out.setdefault(key, []).append(d)
    return out


def _limit(key: tuple[str, ...]) -> int:
    """How many descriptions may share block ``key`` for it to be used (``max_block``: for
    a name, ``max_name_block``)."""
    return _settings()["max_name_block" if key[0] == "n" else "max_block"]


def _pairs(
    key: tuple[str, ...], iris: list[str], by_iri: dict[str, Description]
) -> Iterator[tuple[str, str]]:
    """The pairs of a block worth comparing, each in IRI order: under a single-member key,
    only those with a single-member side (the others share more keys); under a name, each
    description with the first that names no other partnership (all those link alike: the
    first stands for them), and one that names another with every one."""
    if key[0] == "n":
        plain = [i for i in iris if not by_iri[i].ambiguous]
        for b in plain[1:]:
            yield plain[0], b
        for a in (i for i in iris if by_iri[i].ambiguous):
            for b in iris:
                if a != b:
                    yield min(a, b), max(a, b)
        return
    if key[0] != "s":
        for i, a in enumerate(iris):
            for b in iris[i + 1 :]:
                yield a, b
        return
    singles = [i for i in iris if len(by_iri[i].member_iris) == 1]
    for a in singles:
        for b in iris:
            if a != b:
                yield min(a, b), max(a, b)


def _edges(
    by_iri: dict[str, Description],
    usable: Usable | None,
    window: Window | None = None,
    linker: Linker = link,
) -> dict[tuple[str, str], float]:
    """The links among ``by_iri``, found by their block keys; ``usable`` judges a key by its
    whole block (all the index's descriptions), else by the descriptions here, ``window``
    gives the pairs of a windowed block (they depend on the whole block's order), and
    ``linker`` compares two descriptions."""
    blocks: dict[tuple[str, ...], list[str]] = {}
    for iri in sorted(by_iri):
        for key in by_iri[iri].blocks():
            blocks.setdefault(key, []).append(iri)
    edges: dict[tuple[str, str], float] = {}
    for key, iris in blocks.items():
        if len(iris) >= 2:
            _link_block(key, iris, by_iri, usable, window, edges, linker)
    return edges


#: The pairs a windowed block compares among some of its descriptions (:func:`_window_pairs`
#: of the whole block, those with both ends among the IRIs given), else None.
Window = Callable[[tuple[str, ...], list[str]], "set[tuple[str, str]] | None"]


def _link_block(
    key: tuple[str, ...],
    iris: list[str],
    by_iri: dict[str, Description],
    usable: Usable | None,
    window: Window | None,
    edges: dict[tuple[str, str], float],
    linker: Linker = link,
) -> None:
    """Add to ``edges`` the links block ``key`` makes among ``iris`` (in IRI order), as
    :func:`_edges` takes them (compared by ``linker``)."""
    for a, b in _compared(key, iris, by_iri, usable, window):
        if (a, b) not in edges:
            strength = linker(by_iri[a], by_iri[b])
            if strength:
                edges[(a, b)] = strength


def _compared(
    key: tuple[str, ...],
    iris: list[str],
    by_iri: dict[str, Description],
    usable: Usable | None,
    window: Window | None,
) -> Iterable[tuple[str, str]]:
    """The pairs block ``key`` compares among ``iris`` (in IRI order), as :func:`_link_block`
    takes them: none in a block not used, nor in a single member's whose body and area are
    ambiguous (so a single member links wherever a pair is compared)."""
    if usable is not None:
        use, single_ok = usable(key)
    else:
        use, single_ok = block_use(key, (by_iri[i] for i in iris))
    if not use or (key[0] == "s" and not single_ok):
        return ()
    if window is not None:
        compared = window(key, iris)
    elif windowed(key, len(iris)):
        compared = _window_pairs(key, [by_iri[i] for i in iris])
    else:
        compared = None
    if compared is None:
        return _pairs(key, iris, by_iri)
    return sorted((a, b) for a, b in compared if a in by_iri and b in by_iri)


def resolve(
    descriptions: Iterable[Description],
    usable: Usable | None = None,
    edges: dict[tuple[str, str], float] | None = None,
) -> list[list[Description]]:
    """The partnerships ``descriptions`` tell of: groups of descriptions, each sorted by IRI,
    the groups in the order of their first IRI. A function of the set, not of its order.

    ``usable`` judges block keys by all the descriptions of an index (:func:`block_use`)
    when ``descriptions`` are only some of them; ``edges`` are their links when known.
    """
    by_iri = {d.iri: d for d in descriptions}
    if edges is None:
        edges = _edges(by_iri, usable)
    groups = {iri: _Group.of(d) for iri, d in by_iri.items()}
    owner = {iri: iri for iri in by_iri}

    def find(iri: str) -> str:
        while owner[iri] != iri:
            owner[iri] = owner[owner[iri]]
            iri = owner[iri]
        return iri

    for (a, b), strength in sorted(edges.items(), key=lambda item: (-item[1], item[0])):
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        named = strength >= NAME
        if groups[ra].refuses(groups[rb], strength, named):
            continue
        keep, gone = min(ra, rb), max(ra, rb)
        groups[keep].absorb(groups.pop(gone))
        owner[gone] = keep
    out = [sorted((by_iri[i] for i in g.iris), key=lambda d: d.iri) for g in groups.values()]
    return sorted(out, key=lambda g: g[0].iri)


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True)
class Entity:
    """One partnership across documents: what its graph says."""

    slug: str
    label: str
    alt_labels: tuple[str, ...]
    area: str
    descriptions: tuple[str, ...]
    docs: tuple[str, ...]
    iri: str = ""

    def graph(self) -> Graph:
        """The entity's named graph (see the module docstring)."""
        g = Graph()
        node = URIRef(self.iri)
        g.add((node, RDF.type, ORG.OrganizationalCollaboration))
        g.add((node, RDFS.label, Literal(self.label)))
        for name in self.alt_labels:
            g.add((node, SKOS.altLabel, Literal(name)))
        if self.area:
            g.add((node, LGKG.serviceArea, URIRef(service_area_iri(self.area))))
        for doc in self.docs:
            g.add((node, PROV.wasDerivedFrom, URIRef(doc)))
        for d in self.descriptions:
            g.add((URIRef(d), PROV.specializationOf, node))
        return g


def entity_of(group: Sequence[Description]) -> Entity:
    """The entity a group of descriptions tells of (its IRI left to :func:`assign_iris`)."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    for d in group:
        for name in d.names:
            key = name_key(name)
            if key:
                counts[key] += 1
                forms.setdefault(key, Counter())[name] += 1
    areas = Counter(d.area for d in group if d.area and d.area != OTHER)
    area = min(areas, key=lambda a: (-areas[a], a)) if areas else OTHER
    if counts:
        key = min(counts, key=lambda k: (-counts[k], -len(k), k))
        label = min(forms[key], key=lambda f: (-forms[key][f], f))
    else:
        names = {iri: name for d in group for iri, name in d.members}
        founders = {iri for d in group for iri in d.founders} or set(names)
        label = generated_label(sorted(names[i] for i in founders if i in names), area)
    others = {n for d in group for n in (*d.names, d.label)} - {label}
    return Entity(
        slug=slug(label) or "partnership",
        label=label,
        alt_labels=tuple(sorted(others)),
        area=area,
        descriptions=tuple(d.iri for d in group),
        docs=tuple(sorted({d.doc for d in group})),
    )


def entity_iri(key: str, first: str, shared: bool) -> str:
    """The IRI of the entity of slug ``key`` whose first description is ``first``: the slug,
    or, when ``shared`` by other entities, the slug and six hex digits of the sha256 of
    ``first`` (so that no entity's IRI depends on the others but for that).

    >>> entity_iri("lgss", "https://w3id.org/lgkg/id/description/0123456789abcdef-1", False)
    'https://w3id.org/lgkg/id/partnership/lgss'
    """
    if not shared:
        return PARTNERSHIP_BASE + key
    return f"{PARTNERSHIP_BASE}{key}-{hashlib.sha256(first.encode()).hexdigest()[:6]}"


def assign_iris(entities: Iterable[Entity]) -> list[Entity]:
    """The entities with their IRIs (:func:`entity_iri`)."""
    by_slug: dict[str, list[Entity]] = {}
    for e in entities:
        by_slug.setdefault(e.slug, []).append(e)
    return [
        _with_iri(e, entity_iri(key, e.descriptions[0], len(group) > 1))
        for key, group in by_slug.items()
        for e in group
    ]


def _with_iri(e: Entity, iri: str) -> Entity:
    return Entity(e.slug, e.label, e.alt_labels, e.area, e.descriptions, e.docs, iri)


# --------------------------------------------------------------------------- the index


@dataclass
class Changes:
    """Entity graphs to write, from one update: each changed entity, by its IRI (``None``
    for one that is gone: its graph is dropped)."""

    entities: dict[str, Entity | None] = field(default_factory=dict)

    def items(self) -> list[tuple[str, Graph]]:
        """``(graph IRI, graph)`` pairs, sorted, for :meth:`Store.replace_graphs` (an empty
        graph drops one)."""
        return [(iri, e.graph() if e else Graph()) for iri, e in sorted(self.entities.items())]

    def __len__(self) -> int:
        return len(self.entities)


class PartnershipIndex:
    """The descriptions of a store and the entities they resolve to, kept up to date.

    :meth:`update` adds and drops documents' descriptions and returns the
    entity graphs that change; :meth:`entities` lists them all.
    """

    def __init__(self) -> None:
        self._descriptions: dict[str, Description] = {}
        self._by_doc: dict[str, list[str]] = {}
        self._blocks: dict[tuple[str, ...], set[str]] = {}
        self._several: dict[tuple[str, ...], int] = {}  # key -> descriptions of several members
        self._component: dict[str, int] = {}  # description -> component id
        self._members: dict[int, set[str]] = {}  # component id -> descriptions
        self._next = 0
        self._entity_of: dict[str, Entity] = {}  # description IRI -> its entity
        self._by_slug: dict[str, dict[str, Entity]] = {}  # slug -> first description -> entity
        # a member block's descriptions' sort keys, in order (its window, :meth:`_window`)
        self._order: dict[tuple[str, ...], list[tuple]] = {}
        self._link: Linker = link  # :func:`memo_link` during an update
        #: entity graphs to write that the store does not hold as resolved (:meth:`load`)
        self.pending = Changes()

    # -- reading ---------------------------------------------------------------

    def __len__(self) -> int:
        """The number of entities."""
        return sum(len(v) for v in self._by_slug.values())

    def entities(self) -> list[Entity]:
        """Every entity, by IRI."""
        return sorted(
            (e for group in self._by_slug.values() for e in group.values()), key=lambda e: e.iri
        )

    def entity(self, description: str) -> Entity | None:
        """The entity a description resolves to."""
        return self._entity_of.get(description)

    def descriptions(self, doc: str) -> list[Description]:
        """The descriptions document ``doc`` holds."""
        return [self._descriptions[i] for i in self._by_doc.get(doc, [])]

    # -- updating --------------------------------------------------------------

    def update(
        self, added: Iterable[Description] = (), dropped_docs: Iterable[str] = ()
    ) -> Changes:
        """Drop the descriptions of ``dropped_docs`` (and of the documents ``added``
        describes), add ``added``, re-resolve what they touch; the entity graphs that change."""
        paused = gc.isenabled()  # the cyclic collector would rescan the whole index, often
        gc.disable()
        self._link = memo_link()
        try:
            changes = self._update(list(added), {str(d) for d in dropped_docs})
        finally:
            self._link = link
            if paused:
                gc.enable()
        if self.pending:
            pending, self.pending = self.pending, Changes()
            for iri in pending.entities:
                changes.entities.setdefault(iri, self._current(iri))
        return changes

    def _current(self, iri: str) -> Entity | None:
        """The entity ``iri`` now (it may have changed since it was pending), or None."""
        key = iri[len(PARTNERSHIP_BASE) :]
        for slug_key in (key, key.rsplit("-", 1)[0]):
            for e in self._by_slug.get(slug_key, {}).values():
                if e.iri == iri:
                    return e
        return None

    def _update(self, added: list[Description], dropped_docs: set[str]) -> Changes:
        """Drop, add, and re-resolve the components the change touches (see the module doc)."""
        dropped = dropped_docs | {d.doc for d in added}
        seeds: set[str] = set()  # descriptions whose component must be resolved again
        gone: set[str] = set()
        touched: set[tuple[str, ...]] = set()
        for doc in sorted(dropped):
            for iri in self._by_doc.pop(doc, []):
                comp = self._component.get(iri)
                if comp is not None:
                    seeds |= self._members[comp]
                touched |= self._descriptions[iri].blocks()
                gone.add(iri)
        keys = touched | {k for d in added for k in d.blocks()}
        new = {d.iri for d in added}
        before = {key: self._mode(key) for key in keys}
        gone_descriptions = {iri: self._descriptions[iri] for iri in gone}
        order_before = {  # each windowed block's order, if it compares any (a copy: it changes)
            key: list(self._order[key]) for key, mode in before.items() if all(mode)
        }
        pairs_before = {  # the pairs each block whose mode the change will change compares
            key: self._block_pairs(key)
            for key, (size, several) in self._counts_after(gone, added).items()
            if self._mode_of(key, size, several) != before[key]
        }
        leaving = _by_block(gone_descriptions.values(), order_before.keys())
        arriving = _by_block(added, order_before.keys())
        for iri in gone:
            self._remove(iri)
        for d in added:
            self._descriptions[d.iri] = d
            self._by_doc.setdefault(d.doc, []).append(d.iri)
            for key in d.blocks():
                self._blocks.setdefault(key, set()).add(d.iri)
                if key[0] != "n":
                    insort(self._order.setdefault(key, []), d.sort_key)
                if len(d.member_iris) > 1:
                    self._several[key] = self._several.get(key, 0) + 1
        for key, use in before.items():  # a block whose use changed links or unlinks its own
            if self._mode(key) != use:  # the pairs it links, or with what strength, changed
                if all(i in seeds or i in new for i in self._blocks.get(key, ())):
                    continue  # all resolved again anyway
                seeds |= self._relinked(key, pairs_before[key], self._block_pairs(key), new, seeds)
            elif key in order_before:  # a windowed block: the pairs that changed
                old, now = self._window_changes(
                    key, order_before[key], leaving.get(key, ()), arriving.get(key, ())
                )
                seeds |= self._relinked(key, old, now, new, seeds)
        for d in added:  # a new description's component: what it links to
            seeds.add(d.iri)
            for key in d.blocks():
                block = self._blocks.get(key, set())
                use, single_ok = self._use(key)
                if not use or (key[0] == "s" and not single_ok) or windowed(key, len(block)):
                    continue  # (a windowed block's new pairs are linked above)
                others = block - {d.iri} - seeds
                if key[0] == "n" and not d.ambiguous:  # as _pairs: the first stands for all
                    # the first now, and the first before this update (the others named
                    # alike were linked to it), which may be later than two new ones
                    plain = sorted(i for i in block if not self._descriptions[i].ambiguous)
                    indexed = [i for i in plain if i not in new]
                    firsts = {plain[0], *indexed[:1]}
                    others &= firsts | {i for i in block if self._descriptions[i].ambiguous}
                for other in others:
                    o = self._descriptions[other]
                    if key[0] == "s" and len(d.member_iris) > 1 and len(o.member_iris) > 1:
                        continue  # as _pairs: only a single member is compared here
                    if self._link(d, o):
                        seeds.add(other)
        region: set[str] = set()
        for iri in seeds:
            comp = self._component.get(iri)
            region |= self._members[comp] if comp is not None else {iri}
        old_entities: dict[str, Entity] = {}
        for iri in region | gone:
            e = self._entity_of.get(iri)
            if e is not None:
                old_entities[e.iri] = e
        region = {i for i in region if i in self._descriptions}
        return self._resolve_region(region, old_entities)

    def _use(self, key: tuple[str, ...]) -> tuple[bool, bool]:
        """:func:`block_use` of the index's block ``key`` (from counts kept as it changes)."""
        return use_of(key, len(self._blocks.get(key, ())), self._several.get(key, 0))

    def _mode(self, key: tuple[str, ...]) -> tuple[bool, bool, bool]:
        """How block ``key`` links its descriptions: :meth:`_use` and whether it is windowed
        (:func:`windowed`); a block not used at all links none, whatever else changes."""
        return self._mode_of(key, len(self._blocks.get(key, ())), self._several.get(key, 0))

    @staticmethod
    def _mode_of(key: tuple[str, ...], size: int, several: int) -> tuple[bool, bool, bool]:
        """:meth:`_mode` of a block of ``size`` descriptions, ``several`` of several members."""
        use, single_ok = use_of(key, size, several)
        if not use:
            return False, False, False
        return True, single_ok or key[0] != "s", windowed(key, size)

    def _counts_after(
        self, gone: Iterable[str], added: Iterable[Description]
    ) -> dict[tuple[str, ...], tuple[int, int]]:
        """The size of each block an update touches, and how many of its descriptions have
        several members, once ``gone`` are dropped and ``added`` added."""
        counts = {}
        for d, step in [*((self._descriptions[i], -1) for i in gone), *((d, 1) for d in added)]:
            several = len(d.member_iris) > 1
            for key in d.blocks():
                size, many = counts.get(key) or (
                    len(self._blocks.get(key, ())),
                    self._several.get(key, 0),
                )
                counts[key] = (size + step, many + step * several)
        return counts

    def _block_pairs(self, key: tuple[str, ...]) -> set[tuple[str, str]]:
        """The pairs block ``key`` compares now (:func:`_compared`)."""
        block = self._blocks.get(key, ())
        if len(block) < 2:
            return set()
        by_iri = {i: self._descriptions[i] for i in block}
        return set(_compared(key, sorted(block), by_iri, self._use, self._window))

    def _relinked(
        self,
        key: tuple[str, ...],
        old: set[tuple[str, str]],
        now: set[tuple[str, str]],
        new: Collection[str],
        seeds: Collection[str],
    ) -> set[str]:
        """The descriptions to resolve again because block ``key`` compared the pairs ``old``
        before an update and compares ``now`` after it (``new``: the IRIs the update added):
        those of a pair it links and did not, or linked and no longer does (unless
        :meth:`_still_linked`). A pair compared both times, of descriptions the update did
        not add, links alike; one it compared only before links only within a component;
        a dropped description's component is resolved again anyway."""
        out: set[str] = set()
        for a, b in old | now:
            fresh = a in new or b in new
            if (a, b) in old and (a, b) in now and not fresh:
                continue
            da, db = self._descriptions.get(a), self._descriptions.get(b)
            if da is None or db is None:
                continue
            if (a, b) not in now:
                if fresh or self._component.get(a) != self._component.get(b):
                    continue
                if self._link(da, db) and not self._still_linked(key, a, b, seeds):
                    out |= {a, b}
            elif self._link(da, db):
                out |= {a, b}
        return out

    def _still_linked(self, key: tuple[str, ...], a: str, b: str, seeds: Collection[str]) -> bool:
        """Need descriptions ``a`` and ``b``, which block ``key`` linked before an update and
        no longer does, not be resolved again for it? Not when one is among ``seeds`` (their
        component is resolved again anyway), nor when a used member block other than ``key``
        (not a name's or a single member's) compares them, of several members each: their
        link is then what ``key`` gave it (only a single member's depends on its block)."""
        if a in seeds or b in seeds:
            return True
        da, db = self._descriptions.get(a), self._descriptions.get(b)
        if da is None or db is None or len(da.member_iris) < 2 or len(db.member_iris) < 2:
            return False
        for other in da.blocks() & db.blocks():
            if other != key and other[0] not in "ns":
                use, _, win = self._mode(other)
                if use and (not win or _neighbours(self._order[other], da, db)):
                    return True
        return False

    def _window(self, key: tuple[str, ...], iris: list[str]) -> set[tuple[str, str]] | None:
        """The pairs a used, windowed block ``key`` compares (:func:`_window_pairs`) with both
        ends among ``iris``, else None."""
        if not (windowed(key, len(self._blocks.get(key, ()))) and self._use(key)[0]):
            return None
        return _near_pairs(key, self._order[key], set(iris), self._descriptions)

    def _window_changes(
        self,
        key: tuple[str, ...],
        before: list[tuple],
        gone: Sequence[Description],
        added: Sequence[Description],
    ) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
        """The pairs windowed block ``key`` compared before an update (its order was
        ``before``) and those it compares now, near what the update dropped (``gone``) from
        it or ``added`` to it: a pair changes only there, both its descriptions within
        :data:`WINDOW` places of one dropped (in the order before) or added (in the order
        now), so only those are compared."""
        now = self._order[key]
        near = _near(before, [d.sort_key for d in gone]) | _near(now, [d.sort_key for d in added])
        dropped = {d.iri: d for d in gone}
        both = {i: self._descriptions.get(i) or dropped[i] for i in near}
        return _near_pairs(key, before, near, both), _near_pairs(key, now, near, both)

    def _remove(self, iri: str) -> None:
        d = self._descriptions.pop(iri)
        for key in d.blocks():
            block = self._blocks.get(key)
            if block is not None:
                block.discard(iri)
                if not block:
                    del self._blocks[key]
            order = self._order.get(key)
            if order is not None:
                del order[bisect_left(order, d.sort_key)]
                if not order:
                    del self._order[key]
            if len(d.member_iris) > 1:
                self._several[key] -= 1
                if not self._several[key]:
                    del self._several[key]
        comp = self._component.pop(iri, None)
        if comp is not None:
            self._members[comp].discard(iri)

    def _resolve_region(self, region: set[str], old_entities: dict[str, Entity]) -> Changes:
        for iri in region:
            comp = self._component.pop(iri, None)
            if comp is not None:
                self._members[comp].discard(iri)
                if not self._members[comp]:
                    del self._members[comp]
        descriptions = [self._descriptions[i] for i in sorted(region)]
        edges = _edges({d.iri: d for d in descriptions}, self._use, self._window, self._link)
        for component in _components(descriptions, edges):
            self._next += 1
            self._members[self._next] = set(component)
            for iri in component:
                self._component[iri] = self._next
        fresh = [entity_of(group) for group in resolve(descriptions, self._use, edges)]
        before: dict[str, Entity] = dict(old_entities)
        sizes = {
            e.slug: len(self._by_slug.get(e.slug, {})) for e in [*old_entities.values(), *fresh]
        }
        for e in old_entities.values():
            for d in e.descriptions:
                self._entity_of.pop(d, None)
            group = self._by_slug.get(e.slug, {})
            group.pop(e.descriptions[0], None)
            if not group:
                self._by_slug.pop(e.slug, None)
        for e in fresh:
            self._by_slug.setdefault(e.slug, {})[e.descriptions[0]] = e
        fresh_by_slug: dict[str, list[Entity]] = {}
        for f in fresh:
            fresh_by_slug.setdefault(f.slug, []).append(f)
        after: dict[str, Entity] = {}
        for key, size in sorted(sizes.items()):
            group = self._by_slug.get(key, {})
            shared = len(group) > 1
            # the group's other entities change IRI only when it stops or starts being shared
            crossed = (size > 1) != shared
            renamed = [e for e in group.values() if e.iri] if crossed else []  # not the fresh
            for e in renamed:
                before.setdefault(e.iri, e)
            for e in [*renamed, *fresh_by_slug.get(key, ())]:
                named = _with_iri(e, entity_iri(key, e.descriptions[0], shared))
                group[named.descriptions[0]] = named
                after[named.iri] = named
                for d in named.descriptions:
                    self._entity_of[d] = named
        changes = Changes()
        for iri in sorted(before.keys() | after.keys()):
            if iri not in after:
                changes.entities[iri] = None
            elif before.get(iri) != after[iri]:
                changes.entities[iri] = after[iri]
        return changes

    # -- filling ---------------------------------------------------------------

    @classmethod
    def load(cls, store: Store) -> PartnershipIndex:
        """The descriptions of every document graph in ``store``, resolved.

        The entity graphs the store holds are compared with those resolved: the
        ones that differ (written by another version, or left by a bulk load) are
        in :attr:`pending`, to be written with the next update.
        """
        index = cls()
        index.update(descriptions_from_rows(store.select(DESCRIPTIONS_QUERY)[1]))
        stored: dict[str, tuple[set[str], set[str]]] = {}
        for g, d, label in store.select(STORED_ENTITIES_QUERY)[1]:
            if g is None:
                continue
            item = stored.setdefault(str(g), (set(), set()))
            if d is not None:
                item[0].add(str(d))
            if label is not None:
                item[1].add(str(label))
        for e in index.entities():
            if stored.pop(e.iri, None) != (set(e.descriptions), {e.label}):
                index.pending.entities[e.iri] = e
        for g in stored:
            index.pending.entities[g] = None
        return index


def _components(
    descriptions: Sequence[Description], edges: Iterable[tuple[str, str]]
) -> list[list[str]]:
    """Connected components of ``descriptions`` linked by ``edges`` (:func:`_edges`)."""
    by_iri = {d.iri: d for d in descriptions}
    owner = {iri: iri for iri in by_iri}

    def find(iri: str) -> str:
        while owner[iri] != iri:
            owner[iri] = owner[owner[iri]]
            iri = owner[iri]
        return iri

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            owner[max(ra, rb)] = min(ra, rb)
    out: dict[str, list[str]] = {}
    for iri in by_iri:
        out.setdefault(find(iri), []).append(iri)
    return list(out.values())


# --------------------------------------------------------------------------- the store


STORED_ENTITIES_QUERY = f"""
SELECT ?g ?d ?label WHERE {{
  GRAPH ?g {{
    ?e a <{ORG.OrganizationalCollaboration}> .
    OPTIONAL {{ ?d <{PROV.specializationOf}> ?e }}
    OPTIONAL {{ ?e <{RDFS.label}> ?label }}
  }}
  FILTER(STRSTARTS(STR(?g), "{PARTNERSHIP_BASE}"))
}}
"""


class Resolver:
    """A store's :class:`PartnershipIndex`, loaded when first needed.

    One per run: each batch of documents written goes through :meth:`changes`,
    and the entity graphs it returns are written with the document graphs.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: PartnershipIndex | None = None

    @property
    def index(self) -> PartnershipIndex:
        """The index (loaded from the store on first use)."""
        if self._index is None:
            self._index = PartnershipIndex.load(self.store)
        return self._index

    def prepare(self) -> None:
        """Load the index now: before documents it must tell apart from the store's are written."""
        _ = self.index

    def changes(
        self, extractions: Iterable[Extraction] = (), dropped_docs: Iterable[str] = ()
    ) -> list[tuple[str, Graph]]:
        """The entity graphs to write once ``extractions`` replace their documents'
        graphs and ``dropped_docs`` are gone (an empty graph drops one)."""
        added = [d for x in extractions for d in describe(x)]
        return self.index.update(added, dropped_docs).items()

    def changes_for_graphs(
        self, graphs: Iterable[tuple[str, Graph]], dropped_docs: Iterable[str] = ()
    ) -> list[tuple[str, Graph]]:
        """:meth:`changes` for document graphs already built (a Dask worker's answer)."""
        added = [d for iri, g in graphs for d in descriptions_in(g, iri)]
        dropped = [iri for iri, _ in graphs] + list(dropped_docs)
        return self.index.update(added, dropped).items()


def resolve_store(store: Store) -> tuple[int, int]:
    """Recompute every entity graph of ``store`` from its document graphs (``lgkg resolve``).

    Entity graphs no description resolves to any more are dropped. Returns the
    numbers of descriptions and entities.
    """
    index = PartnershipIndex.load(store)
    entities = index.entities()
    keep = {e.iri for e in entities}
    stale = [g for g in store.graphs() if g.startswith(PARTNERSHIP_BASE) and g not in keep]
    items = [(e.iri, e.graph()) for e in entities] + [(g, Graph()) for g in stale]
    store.replace_graphs(items)
    return sum(len(e.descriptions) for e in entities), len(entities)


def nquads_graphs(data: bytes) -> list[tuple[str, Graph]]:
    """The named graphs of N-Quads ``data`` as rdflib graphs (fresh blank nodes), by name.

    ValueError if ``data`` is not N-Quads; default-graph quads are left out.
    """
    from lgkg.graph.store import named_graph_quads

    graphs: list[tuple[str, Graph]] = []
    for name, quads in sorted(named_graph_quads(data).items()):
        graph = Graph()
        for q in quads:
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        graphs.append((name, graph))
    return graphs


def resolved_iris(extractions: Sequence[Extraction]) -> Iterator[dict[str, str]]:
    """For each extraction, each of its partnership labels and the entity IRI it resolves
    to among all of ``extractions`` (as ``lgkg ingest`` would, in any order)."""
    index = PartnershipIndex()
    index.update([d for x in extractions for d in describe(x)])
    for x in extractions:
        labels = {n: label for label, n in description_numbers(x).items()}
        found = {}
        for n, d in enumerate(describe(x), 1):
            entity = index.entity(d.iri)
            if entity is not None:
                found[labels[n]] = entity.iri
        yield found
