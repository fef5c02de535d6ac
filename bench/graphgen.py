"""A seeded generator of synthetic lgkg graphs of a requested size, for the query benchmarks.

It invents partnerships among the gazetteer's current councils (founders mostly
from one region; some later joined, left, ended, or serving a client body),
writes a few documents about each (the partnership being formed, a council
joining or leaving it, its end, a contract, a savings update) as lgkg
:class:`~lgkg.extract.records.Extraction` records with evidence sentences,
savings and quotes, and turns each record into triples with lgkg's own
emitter (:func:`lgkg.graph.emit.extraction_graph`). So the graph has the
shape ingest writes: one named graph per document, plus the reference graph
(:func:`lgkg.scaleout.reference_nquads`) once. More triples means more
documents and partnerships among the same councils. Each invented
partnership has one name, which all its documents give it; each document
describes it under an IRI of its own, as the emitter writes. With
``--resolve`` the graph also holds the partnership entities ingest's
cross-document resolution (:mod:`lgkg.graph.identity`) makes of those
descriptions, one named graph each, written after the documents: one per
invented partnership, and fewer where invented partnerships share a name or
their members and service area, as ``lgkg ingest`` would merge them.

Proportions are in ``bench/data/graph_shape.json``; sentences, service
phrases, roles and names in ``bench/data/press_release.json``. The same seed
gives the same graph, and the graph of a smaller size is a prefix of the
graph of a larger one (same seed). The count of triples is the requested one
to within half a document (about 60 triples).

    python bench/graphgen.py --triples 1000000 --seed 0 --out /tmp/g.nq
    python bench/graphgen.py --triples 1000000 --resolve --out /tmp/g-resolved.nq

>>> import io
>>> info = write_nquads(io.BytesIO(), 12_000, seed=1)
>>> abs(info.triples - 12_000) < 150, info.documents > 20, info.events > info.documents
(True, True, True)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib import RDF, Graph
from rdflib.namespace import ORG
from rdflib.term import Node

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import councils_by_region, vocabulary  # noqa: E402

from lgkg import __version__  # noqa: E402
from lgkg.extract.gazetteer import Council  # noqa: E402
from lgkg.extract.records import (  # noqa: E402
    Body,
    DocumentMeta,
    Event,
    Evidence,
    Extraction,
    Partnership,
    Quote,
    Saving,
)
from lgkg.graph.emit import doc_graph_iri, extraction_graph  # noqa: E402
from lgkg.graph.identity import PartnershipIndex, describe  # noqa: E402
from lgkg.graph.store import OxigraphStore  # noqa: E402
from lgkg.graph.terms import to_ox  # noqa: E402
from lgkg.graph.vocab import fact_iri, slug  # noqa: E402

SHAPE = HERE / "data" / "graph_shape.json"
EXTRACTOR_VERSION = f"lgkg-{__version__}+bench-graphgen"
_MONTHS = 12


@cache
def shape() -> dict:
    """The proportions of the generated graph (``bench/data/graph_shape.json``)."""
    return json.loads(SHAPE.read_text(encoding="utf-8"))


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    """A key of ``weights``, drawn in proportion to its value."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass(frozen=True)
class _Member:
    """A body taking part in a partnership: its record and the name sentences use."""

    body: Body
    official: str

    @property
    def short(self) -> str:
        return self.body.name


@dataclass(frozen=True)
class _Plan:
    """One invented partnership and its history, which its documents report."""

    label: str
    aliases: tuple[str, ...]
    area: str
    service: str
    region: str
    founders: tuple[_Member, ...]
    joiners: tuple[_Member, ...]
    leaver: _Member | None
    ended: bool
    client: _Member | None
    year: int

    @property
    def members(self) -> tuple[_Member, ...]:
        return self.founders + self.joiners


@dataclass
class _Doc:
    """A document being written: its sentences' positions and the values templates use."""

    rng: random.Random
    values: dict[str, str]
    cursor: int

    def fill(self, template: str, **values: str) -> str:
        text = template.format(**{**self.values, **values})
        text = re.sub(r" +([.,])", r"\1", text)
        return text[0].upper() + text[1:]

    def evidence(self, sentence: str) -> Evidence:
        start = self.cursor + self.rng.randint(30, 500)
        self.cursor = start + len(sentence)
        return Evidence(sentence, start, self.cursor)


def _title(phrase: str) -> str:
    """Each word capitalised, acronyms kept: "IT support service" -> "IT Support Service"."""
    return " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in phrase.split())


def _iso_date(rng: random.Random, year: int, precision: str) -> str:
    if precision == "none":
        return ""
    if precision == "year":
        return str(year)
    month = rng.randint(1, _MONTHS)
    if precision == "month":
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def _date_phrase(iso: str, year: int) -> str:
    """How a sentence gives the date ``iso`` (or just the year when it has none)."""
    months = vocabulary()["months"]
    parts = iso.split("-") if iso else [str(year)]
    if len(parts) == 3:
        return f"{int(parts[2])} {months[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{months[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


class _World:
    """The councils, their activity and their spokespeople; invents plans and documents."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        s = shape()
        self.regions = councils_by_region()
        self.councils = sorted(
            (c for cs in self.regions.values() for c in cs), key=lambda c: c.code
        )
        order = self.rng.sample(self.councils, len(self.councils))
        exponent = s["council_activity_exponent"]
        self.weight = {c.code: (rank + 1) ** -exponent for rank, c in enumerate(order)}
        self.region_of = {c.code: r for r, cs in self.regions.items() for c in cs}
        self.speakers: dict[str, list[tuple[str, str]]] = {}
        v = vocabulary()
        self.first_names = v["first_names"] + s["extra_first_names"]
        self.last_names = v["last_names"] + s["extra_last_names"]
        self.base_time = datetime.fromisoformat(s["extracted_from"])
        self.index = 0

    # -- partnerships ------------------------------------------------------

    def _draw(self, pool: Sequence[Council], k: int, exclude: set[str]) -> list[Council]:
        """``k`` distinct councils of ``pool`` not in ``exclude``, drawn by activity."""
        candidates = [c for c in pool if c.code not in exclude]
        chosen: list[Council] = []
        while len(chosen) < k and candidates:
            council = self.rng.choices(candidates, [self.weight[c.code] for c in candidates])[0]
            chosen.append(council)
            candidates.remove(council)
        return chosen

    @staticmethod
    def _member(council: Council) -> _Member:
        return _Member(Body(council.short_name, council.code), council.official_name)

    def _other_body(self) -> _Member:
        name = self.rng.choice(shape()["other_bodies"])
        return _Member(Body(name, None), name)

    def plan(self) -> _Plan:
        rng, s, v = self.rng, shape(), vocabulary()
        first = self._draw(self.councils, 1, set())[0]
        region = self.region_of[first.code]
        n = int(_pick(rng, s["founders"]))
        pool = self.councils if rng.random() < s["cross_region_share"] else self.regions[region]
        founders = [first, *self._draw(pool, n - 1, {first.code})]
        taken = {c.code for c in founders}
        joiners = self._draw(self.regions[region], int(_pick(rng, s["joiners"])), taken)
        members = [self._member(c) for c in founders]
        if rng.random() < s["other_body_member_share"]:
            members[-1] = self._other_body()
        joined = tuple(self._member(c) for c in joiners)
        area = rng.choice(sorted(v["services"]))
        service = rng.choice(v["services"][area])
        values = {
            "members": "-".join(m.short for m in members),
            "a_short": members[0].short,
            "b_short": members[1].short,
            "area": area,
            "Service": _title(service),
        }
        forms = dict(s["label_forms"])
        label = _pick(rng, forms).format(**values)
        aliases: tuple[str, ...] = ()
        if rng.random() < s["alias_share"]:
            forms.pop(next(f for f in forms if f.format(**values) == label))
            aliases = (_pick(rng, forms).format(**values),)
        councils = [m for m in (*members, *joined) if m.body.is_council]
        leaver = rng.choice(councils) if rng.random() < s["leaver_share"] else None
        client = None
        if rng.random() < s["provides_share"]:
            if rng.random() < s["client_council_share"]:
                client = self._member(self._draw(self.councils, 1, taken)[0])
            else:
                client = self._other_body()
        return _Plan(
            label=label,
            aliases=aliases,
            area=area,
            service=service,
            region=region,
            founders=tuple(members),
            joiners=joined,
            leaver=leaver,
            ended=rng.random() < s["ended_share"],
            client=client,
            year=rng.randint(s["first_year"], s["last_year"] - 4),
        )

    def doc_count(self) -> int:
        """How many documents report one partnership: 1 + geometric, capped."""
        d = shape()["docs_per_partnership"]
        count, p = 1, 1 / d["mean"]
        while count < d["max"] and self.rng.random() > p:
            count += 1
        return count

    # -- documents ---------------------------------------------------------

    def stories(self, plan: _Plan) -> list[str]:
        """The kind of each document about ``plan``: the first reports its formation."""
        weights = dict(shape()["story_weights"])
        for story, possible in (
            ("joined", plan.joiners),
            ("left", plan.leaver),
            ("ended", plan.ended),
            ("provides", plan.client),
        ):
            if not possible:
                weights.pop(story)
        return ["formed"] + [_pick(self.rng, weights) for _ in range(self.doc_count() - 1)]

    def _speaker(self, member: _Member) -> tuple[str, str]:
        """One of a council's spokespeople: (name, role)."""
        code = member.body.code or member.official
        if code not in self.speakers:
            v, rng = vocabulary(), self.rng
            self.speakers[code] = [
                (
                    f"{rng.choice(self.first_names)} {rng.choice(self.last_names)}",
                    rng.choice(v["roles"]),
                )
                for _ in range(shape()["speakers_per_council"])
            ]
        return self.rng.choice(self.speakers[code])

    def _event(
        self,
        member: _Member,
        action: str,
        plan: _Plan,
        date: str,
        status: str,
        evidence: Evidence,
    ) -> Event:
        rules = shape()["rules"][action]
        rule = self.rng.choice(sorted(rules))
        client = plan.client.body if action == "provides" and plan.client else None
        return Event(
            member.body,
            action,
            plan.label,
            plan.area,
            date,
            status,
            client,
            evidence,
            self.rng.choice(rules[rule]),
            rule,
        )

    def _sentence_events(
        self,
        doc: _Doc,
        plan: _Plan,
        action: str,
        who: Sequence[_Member],
        year: int,
        status: str | None = None,
    ) -> list[Event]:
        """Events of ``who`` for ``action``, all read from one sentence of the document."""
        rng, s = self.rng, shape()
        status = status or _pick(rng, s["status_weights"][action])
        date = _iso_date(rng, year, _pick(rng, s["date_precision"]))
        templates = vocabulary()["actions"][action][status]
        sentence = doc.fill(rng.choice(templates), date=_date_phrase(date, year))
        evidence = doc.evidence(sentence)
        return [self._event(m, action, plan, date, status, evidence) for m in who]

    def _story_events(self, doc: _Doc, plan: _Plan, story: str, year: int) -> list[Event]:
        rng, s = self.rng, shape()
        main: list[Event] = []
        background = story != "formed" and (
            story == "savings" or rng.random() < s["background_formed_share"]
        )
        if story == "formed":
            main = self._sentence_events(doc, plan, "formed", plan.founders, year)
            if plan.client and rng.random() < s["provides_in_formed_share"]:
                main += self._sentence_events(doc, plan, "provides", plan.founders[:1], year)
        elif story == "joined":
            joiner = rng.choice(plan.joiners)
            doc.values.update(c=joiner.official, c_short=joiner.short)
            main = self._sentence_events(doc, plan, "joined", [joiner], year)
        elif story == "left" and plan.leaver:
            doc.values.update(c=plan.leaver.official, c_short=plan.leaver.short)
            main = self._sentence_events(doc, plan, "left", [plan.leaver], year)
        elif story == "ended":
            main = self._sentence_events(doc, plan, "ended", plan.members, year)
        elif story == "provides":
            main = self._sentence_events(doc, plan, "provides", plan.founders[:2], year)
        if background:
            main += self._sentence_events(doc, plan, "formed", plan.founders, plan.year, "done")
        return main

    def _savings(self, doc: _Doc, plan: _Plan, quoted: list[str]) -> list[Saving]:
        rng, s = self.rng, shape()
        if rng.random() >= s["saving_share"]:
            return []
        phrase = rng.choice(sorted(s["saving_amounts"]))
        period = rng.choice(sorted(s["saving_periods"]))
        values = {"amount": phrase, "period": period}
        amount = Decimal(s["saving_amounts"][phrase])
        speaker = (
            rng.choice(quoted) if quoted and rng.random() < s["saving_speaker_share"] else None
        )
        templates = vocabulary()["savings"]
        councils = [m for m in plan.founders if m.body.is_council]
        if rng.random() < s["each_council_saving_share"] and councils:
            who: list[Body | None] = [m.body for m in councils]
            template = next(t for t in templates if t.startswith("Each council"))
        elif rng.random() < s["whole_partnership_saving_share"] or not councils:
            who = [None]
            template = rng.choice([t for t in templates if "{a_short}" not in t][:2])
        else:
            who = [councils[0].body]
            template = next(t for t in templates if "{a_short}" in t)
        evidence = doc.evidence(doc.fill(template, **values))
        rule = rng.choice(sorted(s["rules"]["saving"]))
        confidence = rng.choice(s["rules"]["saving"][rule])
        return [
            Saving(
                body,
                amount,
                "GBP",
                s["saving_periods"][period],
                plan.label,
                speaker,
                evidence,
                confidence,
                rule,
            )
            for body in who
        ]

    def _quotes(self, doc: _Doc, who: Sequence[_Member]) -> list[Quote]:
        rng, s, v = self.rng, shape(), vocabulary()
        councils = [m for m in who if m.body.is_council]
        quotes = []
        for member in rng.sample(councils, min(len(councils), int(_pick(rng, s["quotes"])))):
            name, role = self._speaker(member)
            line = rng.choice(v["quote_lines"])
            sentence = doc.fill(
                rng.choice(v["quotes"]),
                speaker=name,
                role=role,
                org=member.official,
                line=line,
                line_comma=line.rstrip(".") + ",",
            )
            stated_role = ""
            if rng.random() < s["quote_role_share"]:
                stated_role = f"{role} at {member.official}"
            organisation = member.body if rng.random() < s["quote_organisation_share"] else None
            rule = rng.choice(sorted(s["rules"]["quote"]))
            quotes.append(
                Quote(
                    name,
                    stated_role,
                    organisation,
                    line,
                    doc.evidence(sentence),
                    rng.choice(s["rules"]["quote"][rule]),
                    rule,
                )
            )
        return quotes

    def _meta(self, story: str, plan: _Plan, doc: _Doc, year: int) -> DocumentMeta:
        rng, s, v = self.rng, shape(), vocabulary()
        headlines = v["headlines"]["formed" if story == "savings" else story]
        title = doc.fill(rng.choice(headlines))
        index = self.index
        url = None
        if rng.random() < s["url_share"]:
            url = f"https://news.example.gov.uk/{year}/{slug(title)[:80]}-{index}"
        content_hash = hashlib.sha256(f"graphgen:{self.seed}:{index}".encode()).hexdigest()
        doc_id = hashlib.sha256(url.encode()).hexdigest()[:16] if url else content_hash[:16]
        file_name = None
        if rng.random() < s["file_name_share"]:
            file_name = f"{index:07d}-{story}-{slug(title)[:40]}.txt"
        precision = _pick(rng, s["published_precision"])
        published = _iso_date(rng, year, precision) or None
        return DocumentMeta(doc_id, url, title, published, file_name, content_hash)

    def document(self, plan: _Plan, story: str) -> Extraction:
        """One document about ``plan`` telling ``story``, as lgkg would extract it."""
        rng, s = self.rng, shape()
        offset = {"formed": 0, "provides": 1, "savings": 1, "joined": 2, "left": 3, "ended": 4}
        year = min(plan.year + offset[story] + rng.randint(0, 2), s["last_year"])
        values = {
            "a": plan.founders[0].official,
            "b": plan.founders[1].official,
            "a_short": plan.founders[0].short,
            "b_short": plan.founders[1].short,
            "c": plan.founders[-1].official,
            "c_short": plan.founders[-1].short,
            "partnership": plan.label,
            "service": plan.service,
            "Service": _title(plan.service),
            "client": plan.client.official if plan.client else "",
            "region": plan.region,
        }
        doc = _Doc(rng, values, rng.randint(40, 120))
        events = self._story_events(doc, plan, story, year)
        involved = list(dict.fromkeys(e.body for e in events))
        members = [m for m in plan.members if m.body in involved]
        quotes = self._quotes(doc, members)
        savings = self._savings(doc, plan, [q.speaker for q in quotes])
        meta = self._meta(story, plan, doc, year)
        stamp = self.base_time + timedelta(seconds=37 * self.index)
        self.index += 1
        return Extraction(
            doc=meta,
            text="",
            events=tuple(events),
            savings=tuple(savings),
            quotes=tuple(quotes),
            partnerships=(
                Partnership(
                    plan.label,
                    plan.area,
                    tuple(m.body for m in members),
                    plan.aliases,
                    named=True,
                ),
            ),
            extractor_version=EXTRACTOR_VERSION,
            extracted_at=stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )


def extractions(seed: int = 0) -> Iterator[Extraction]:
    """An endless stream of synthetic extraction records; the same seed, the same stream.

    >>> first = next(extractions(3))
    >>> first.events[0].action, first == next(extractions(3))
    ('formed', True)
    """
    world = _World(seed)
    while True:
        plan = world.plan()
        for story in world.stories(plan):
            yield world.document(plan, story)


def document_graph(x: Extraction) -> Graph:
    """lgkg's graph of one document, as the emitter writes it (and ``lgkg ingest`` stores it)."""
    return extraction_graph(x)


def entity_nquads(xs: Sequence[Extraction]) -> tuple[bytes, int, int]:
    """The partnership entity graphs ``lgkg ingest`` would write for ``xs``
    (:mod:`lgkg.graph.identity`), as sorted N-Quads; their triples and the entities."""
    index = PartnershipIndex()
    index.update([d for x in xs for d in describe(x)])
    quads = [
        ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(e.iri))
        for e in index.entities()
        for s, p, o in e.graph()
    ]
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    return b"".join(sorted(lines)), len(quads), len(index)


def document_nquads(x: Extraction, graph: Graph | None = None) -> tuple[bytes, int]:
    """One document's graph (``graph``, else the emitter's) as sorted N-Quads; its triples.

    Blank nodes keep the emitter's labels, which hold the document id: unique
    across documents, and the same on every run. Lines are sorted because
    rdflib's order of triples varies from process to process.
    """
    name = ox.NamedNode(str(doc_graph_iri(x)))
    triples = extraction_graph(x) if graph is None else graph
    quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in triples]
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    return b"".join(sorted(lines)), len(quads)


@dataclass
class GraphInfo:
    """What a generated graph holds, and values that make the named queries return rows."""

    triples: int = 0
    reference_triples: int = 0
    documents: int = 0
    partnerships: int = 0
    events: int = 0
    savings: int = 0
    quotes: int = 0
    council_events: Counter[str] = field(default_factory=Counter)
    sample_event: str = ""  # an event IRI from the middle of the graph

    def add(self, x: Extraction, triples: int) -> None:
        self.triples += triples
        self.documents += 1
        self.events += len(x.events)
        self.savings += len(x.savings)
        self.quotes += len(x.quotes)
        self.council_events.update(e.body.code for e in x.events if e.body.code)

    def busiest_council(self) -> str:
        """The GSS code of the council with the most events."""
        return self.council_events.most_common(1)[0][0]

    def typical_council(self) -> str:
        """The GSS code of a council with the median number of events (of those with any)."""
        ranked = sorted(self.council_events.items(), key=lambda kv: (kv[1], kv[0]))
        median = statistics.median_low(n for _, n in ranked)
        return next(code for code, n in ranked if n == median)


def _line_count(data: bytes) -> int:
    return data.count(b"\n")


def reference_nquads() -> bytes:
    """lgkg's reference graph as N-Quads, the same bytes on every run.

    The graph of :func:`lgkg.scaleout.reference_nquads`, with its blank nodes
    (the ontology's) given canonical labels and its lines sorted: rdflib names
    blank nodes afresh on each parse and its iteration order varies by process.
    """
    from rdflib.compare import to_canonical_graph

    from lgkg.graph.reference import reference_graph
    from lgkg.graph.vocab import REFERENCE_GRAPH

    name = ox.NamedNode(str(REFERENCE_GRAPH))
    graph = to_canonical_graph(reference_graph())
    lines = sorted(f"{to_ox(s)} {to_ox(p)} {to_ox(o)} {name} .\n" for s, p, o in graph)
    return "".join(lines).encode("utf-8")


def write_nquads(out: BinaryIO, triples: int, seed: int = 0, *, resolve: bool = False) -> GraphInfo:
    """Write a graph of about ``triples`` triples to ``out`` as N-Quads: reference graph first.

    Stops at the document that brings the count closest to ``triples``. With
    ``resolve`` the documents' partnerships are then resolved as ``lgkg ingest``
    resolves them, and their entity graphs written after the documents
    (:func:`entity_nquads`; their triples come on top of ``triples``);
    ``partnerships`` then counts the entities, else the documents' descriptions.
    """
    reference = reference_nquads()
    info = GraphInfo(reference_triples=_line_count(reference))
    if triples < info.reference_triples:
        raise ValueError(
            f"a graph needs at least the reference graph's {info.reference_triples:,} triples"
        )
    out.write(reference)
    info.triples = info.reference_triples
    partnerships: set[Node] = set()
    written: list[Extraction] = []
    for x in extractions(seed):
        graph = document_graph(x)
        data, n = document_nquads(x, graph)
        if info.triples + n - triples > triples - info.triples:
            break
        out.write(data)
        info.add(x, n)
        written.append(x)
        partnerships.update(graph.subjects(RDF.type, ORG.OrganizationalCollaboration))
        if not info.sample_event and info.triples * 2 >= triples:
            info.sample_event = str(fact_iri("event", x.doc.doc_id, 1))
    info.partnerships = len(partnerships)
    if resolve:
        data, n, info.partnerships = entity_nquads(written)
        out.write(data)
        info.triples += n
    return info


def load_nquads(store: OxigraphStore, path: str | Path) -> None:
    """Bulk-load an N-Quads file into ``store`` (pyoxigraph's bulk loader)."""
    store.native.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)


def load_generated(
    store: OxigraphStore, triples: int, seed: int = 0, *, resolve: bool = False
) -> GraphInfo:
    """Generate a graph of about ``triples`` triples and bulk-load it into ``store``.

    >>> with OxigraphStore() as store:
    ...     info = load_generated(store, 10_000, seed=2)
    ...     store.count() == info.triples
    True
    """
    with tempfile.TemporaryDirectory(prefix="lgkg-graphgen-") as tmp:
        path = Path(tmp) / "graph.nq"
        with path.open("wb") as out:
            info = write_nquads(out, triples, seed, resolve=resolve)
        load_nquads(store, path)
    return info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="size (default 100000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="N-Quads file to write")
    parser.add_argument(
        "--resolve",
        action="store_true",
        help="resolve partnerships across documents as lgkg ingest does (slower)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with args.out.open("wb", buffering=1 << 20) as out:
        info = write_nquads(out, args.triples, args.seed, resolve=args.resolve)
    seconds = time.perf_counter() - started
    print(
        f"wrote {info.triples:,} triples to {args.out} in {seconds:.1f} s: "
        f"{info.documents:,} documents, {info.partnerships:,} partnerships, "
        f"{info.events:,} events, {info.savings:,} savings, {info.quotes:,} quotes "
        f"(reference graph {info.reference_triples:,} triples)"
    )


if __name__ == "__main__":
    main()
