"""Scoring extraction against gold annotations (SPEC.md, "Scoring").

Micro-averaged precision, recall and F1 over sets of tuples, per document,
summed over the corpus, for each kind:

- ``councils``: council codes that take part in any event;
- ``members``: ``(council, service_area)`` for actions ``formed`` and ``joined``;
- ``events``: ``(council, action)``; a body with no GSS code is compared by lower-case name;
- ``events_dated``: ``(council, action, date)`` for gold events with a date;
- ``status``: ``(council, action, status)``;
- ``savings``: ``(who, amount, currency, period)``;
- ``quotes``: ``(speaker, organisation)``, names without titles, case-insensitive.

>>> c = Counts(tp=3, fp=1, fn=1)
>>> (c.precision, c.recall, round(c.f1, 2))
(0.75, 0.75, 0.75)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lgkg.extract.quotes import strip_titles
from lgkg.extract.records import Body, Extraction

KINDS = ("councils", "members", "events", "events_dated", "status", "savings", "quotes")
_GSS = re.compile(r"^[ENSW]\d{8}$")


@dataclass(frozen=True)
class Gold:
    """One ``*.gold.json`` file."""

    doc: str
    published: str | None
    events: list[dict[str, Any]]
    savings: list[dict[str, Any]]
    quotes: list[dict[str, Any]]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set, predicted: set) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    kinds: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    documents: dict[str, dict[str, Counts]] = field(default_factory=dict)

    @property
    def mean_f1(self) -> float:
        return sum(c.f1 for c in self.kinds.values()) / len(self.kinds)

    def to_dict(self) -> dict[str, Any]:
        def row(c: Counts) -> dict[str, Any]:
            return {
                "precision": c.precision,
                "recall": c.recall,
                "f1": c.f1,
                "tp": c.tp,
                "fp": c.fp,
                "fn": c.fn,
            }

        return {
            "kinds": {k: row(c) for k, c in self.kinds.items()},
            "mean_f1": self.mean_f1,
            "documents": {
                d: {k: row(c) for k, c in ks.items()} for d, ks in self.documents.items()
            },
        }


def load_gold(path: Path | str) -> Gold:
    """Read a gold annotation file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    published = data.get("published") or None
    return Gold(
        doc=data.get("doc") or Path(path).name,
        published=None if published == "unknown" else published,
        events=list(data.get("events", [])),
        savings=list(data.get("savings", [])),
        quotes=list(data.get("quotes", [])),
    )


def gold_files(gold_dir: Path | str) -> list[Path]:
    """Every ``*.gold.json`` in a folder, sorted."""
    return sorted(Path(gold_dir).glob("*.gold.json"))


def _gold_body(value: str) -> str:
    value = (value or "").strip()
    return value if _GSS.match(value) else value.lower()


def _body_key(body: Body | None) -> str:
    if body is None:
        return ""
    return body.code or body.name.lower()


def _speaker(name: str) -> str:
    return strip_titles(name or "").lower()


def _amount(value: Any) -> Decimal:
    return Decimal(str(value)).normalize()


def gold_tuples(kind: str, gold: Gold) -> set[tuple]:
    """The gold annotation's tuples of one kind."""
    ev = [
        (
            _gold_body(e["council"]),
            e["action"],
            e.get("service_area", ""),
            e.get("date", ""),
            e.get("status", ""),
        )
        for e in gold.events
    ]
    return _tuples(
        kind,
        ev,
        [
            (
                _gold_body(s.get("who", "")),
                _amount(s["amount"]),
                s.get("currency", ""),
                s.get("period", ""),
            )
            for s in gold.savings
        ],
        [(_speaker(q["speaker"]), _gold_body(q.get("organisation", ""))) for q in gold.quotes],
        ev,
    )


def predicted_tuples(kind: str, x: Extraction, gold: Gold) -> set[tuple]:
    """The extraction's tuples of one kind (events_dated only for gold events with a date)."""
    ev = [(_body_key(e.body), e.action, e.service_area, e.date, e.status) for e in x.events]
    gold_ev = [
        (_gold_body(e["council"]), e["action"], "", e.get("date", ""), "") for e in gold.events
    ]
    sv = [(_body_key(s.who), _amount(s.amount), s.currency, s.period) for s in x.savings]
    qs = [(_speaker(q.speaker), _body_key(q.organisation)) for q in x.quotes]
    return _tuples(kind, ev, sv, qs, gold_ev)


def _tuples(
    kind: str, ev: list[tuple], sv: list[tuple], qs: list[tuple], gold_ev: list[tuple]
) -> set[tuple]:
    if kind == "councils":
        return {b for b, *_ in ev if _GSS.match(b)}
    if kind == "members":
        return {(b, area) for b, action, area, _, _ in ev if action in ("formed", "joined")}
    if kind == "events":
        return {(b, action) for b, action, *_ in ev}
    if kind == "events_dated":
        dated = {(b, a) for b, a, _, date, _ in gold_ev if date}
        return {(b, a, date) for b, a, _, date, _ in ev if (b, a) in dated}
    if kind == "status":
        return {(b, action, status) for b, action, _, _, status in ev}
    if kind == "savings":
        return set(sv)
    if kind == "quotes":
        return set(qs)
    raise ValueError(f"unknown kind {kind!r}; kinds are {', '.join(KINDS)}")


def score(pairs: Iterable[tuple[Gold, Extraction]]) -> Report:
    """Score extractions against their gold annotations."""
    report = Report()
    for gold, x in pairs:
        per_doc = report.documents.setdefault(gold.doc, {k: Counts() for k in KINDS})
        for kind in KINDS:
            g, p = gold_tuples(kind, gold), predicted_tuples(kind, x, gold)
            report.kinds[kind].add(g, p)
            per_doc[kind].add(g, p)
    return report


def format_report(report: Report, per_document: bool = False) -> str:
    """An aligned table: kind, P, R, F1, tp, fp, fn, then the mean F1."""
    lines = [f"{'kind':<14}{'P':>6}{'R':>6}{'F1':>6}{'tp':>6}{'fp':>6}{'fn':>6}"]
    for kind, c in report.kinds.items():
        lines.append(
            f"{kind:<14}{c.precision:6.2f}{c.recall:6.2f}{c.f1:6.2f}{c.tp:6d}{c.fp:6d}{c.fn:6d}"
        )
    lines.append(f"{'mean F1':<14}{'':>12}{report.mean_f1:6.2f}")
    if per_document:
        lines.append("")
        lines.append(f"{'document':<60}{'mean F1':>8}")
        for doc, kinds in sorted(report.documents.items(), key=lambda kv: _doc_mean(kv[1])):
            lines.append(f"{doc[:58]:<60}{_doc_mean(kinds):8.2f}")
    return "\n".join(lines)


def _doc_mean(kinds: dict[str, Counts]) -> float:
    scored = [c for c in kinds.values() if c.tp + c.fp + c.fn]
    return sum(c.f1 for c in scored) / len(scored) if scored else 1.0
