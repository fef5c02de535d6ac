"""Scoring extractions against gold annotations (docs/contract.md, "Scoring").

Each kind of fact becomes a set of tuples per document, from the gold file
and from the :class:`~lgkg.extract.records.Extraction`; true positives,
false positives and false negatives are summed over the corpus
(micro-averaging) and give precision, recall and F1 per kind.

>>> gold = Gold("a.txt", None, [{"council": "E09000005", "action": "joined",
...     "service_area": "ict", "date": "2016-04", "status": "done"}], [], [])
>>> sorted(tuples("members", gold.events, gold.savings, gold.quotes))
[('E09000005', 'ict')]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from lgkg.extract.names import name_key, speaker_key
from lgkg.extract.records import Body, Extraction
from lgkg.extract.sources import SUFFIXES, normalise_date
from lgkg.extract.vocabulary import GSS_CODE, MEMBER_ACTIONS

KINDS = ("councils", "members", "events", "events_dated", "status", "savings", "quotes")


def body_key(value: str | Body | None) -> str:
    """A council by its current GSS code (a former code is the council's: docs/contract.md,
    "Identifiers"); any other body by its lower-case name; "" for none.

    >>> body_key("E08000016"), body_key(" e08000038 "), body_key("Kent Police")
    ('E08000038', 'E08000038', 'kent police')
    """
    if value is None:
        return ""
    if isinstance(value, Body):
        return current_code(value.code) if value.code else name_key(value.name)
    value = str(value).strip()
    return current_code(value) if GSS_CODE.fullmatch(value.upper()) else name_key(value)


@lru_cache(maxsize=4096)
def current_code(code: str) -> str:
    """The current GSS code of the council ``code`` names (its own when the gazetteer does
    not know it as a former one), upper case."""
    from lgkg.extract.gazetteer import Gazetteer

    code = code.strip().upper()
    council = Gazetteer.load().by_code(code)
    return council.code if council is not None else code


def is_gss_code(value: str) -> bool:
    """True for a GSS code such as ``E09000028``."""
    return bool(GSS_CODE.fullmatch(value.strip().upper()))


def _amount(value: object) -> Decimal | None:
    """An amount as a normalised Decimal (1000000, 1E+6 and 1000000.0 compare equal)."""
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    amount = amount.normalize()
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def _date(value: object) -> str:
    return normalise_date(value) or ""


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class Gold:
    """One gold file: the annotated facts of one document."""

    doc: str
    published: str | None
    events: list[dict] = field(default_factory=list)
    savings: list[dict] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)


def load_gold(path: Path) -> Gold:
    """Read a ``*.gold.json`` file (docs/contract.md, "Gold annotations")."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    doc = data.get("doc") or path.name.removesuffix(".gold.json") + ".txt"
    return Gold(
        doc=doc,
        published=normalise_date(data.get("published")),
        events=list(data.get("events", [])),
        savings=list(data.get("savings", [])),
        quotes=list(data.get("quotes", [])),
    )


def _text_for(gold_path: Path) -> Path | None:
    try:
        doc = json.loads(gold_path.read_text(encoding="utf-8")).get("doc")
    except (OSError, ValueError):
        doc = None
    if doc and (gold_path.parent / doc).is_file():
        return gold_path.parent / doc
    stem = gold_path.name.removesuffix(".gold.json")
    for suffix in SUFFIXES:
        candidate = gold_path.parent / (stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def gold_files(gold_dir: Path) -> list[tuple[Path, Path]]:
    """``(text, gold)`` path pairs of a folder, sorted; a gold file without its text is skipped.

    The text is the file the gold's ``doc`` names, else the one with the same stem.
    """
    pairs = []
    for gold_path in sorted(Path(gold_dir).rglob("*.gold.json")):
        if any(part.startswith(".") for part in gold_path.relative_to(gold_dir).parts):
            continue
        text = _text_for(gold_path)
        if text is not None:
            pairs.append((text, gold_path))
    return pairs


# --------------------------------------------------------------------------- tuples


def tuples(
    kind: str, events: Iterable[Mapping], savings: Iterable[Mapping], quotes: Iterable[Mapping]
) -> set[tuple]:
    """The gold tuples of one kind (see :data:`KINDS`) from gold-file dicts."""
    if kind == "councils":
        return {(body_key(e["council"]),) for e in events if is_gss_code(e["council"])}
    if kind == "members":
        return {
            (body_key(e["council"]), e.get("service_area", ""))
            for e in events
            if e["action"] in MEMBER_ACTIONS
        }
    if kind == "events":
        return {(body_key(e["council"]), e["action"]) for e in events}
    if kind == "events_dated":
        return {
            (body_key(e["council"]), e["action"], _date(e.get("date")))
            for e in events
            if _date(e.get("date"))
        }
    if kind == "status":
        return {(body_key(e["council"]), e["action"], e.get("status", "")) for e in events}
    if kind == "savings":
        return {
            (
                body_key(s.get("who") or None),
                _amount(s["amount"]),
                str(s.get("currency", "")).strip().upper(),
                str(s.get("period") or "").strip().upper(),
            )
            for s in savings
        }
    if kind == "quotes":
        return {
            (speaker_key(q["speaker"]), body_key(q.get("organisation") or None)) for q in quotes
        }
    raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")


def as_gold(extraction: Extraction, doc: str = "") -> Gold:
    """An extraction's facts as gold-style dicts (what the extractor would annotate)."""
    events = [
        {
            "council": event.body.code or event.body.name,
            "action": event.action,
            "service_area": event.service_area,
            "date": event.date,
            "status": event.status,
        }
        for event in extraction.events
    ]
    savings = [
        {
            "who": s.who.code or s.who.name if s.who else "",
            "amount": s.amount,
            "currency": s.currency,
            "period": s.period,
        }
        for s in extraction.savings
    ]
    quotes = [
        {
            "speaker": q.speaker,
            "organisation": (q.organisation.code or q.organisation.name) if q.organisation else "",
        }
        for q in extraction.quotes
    ]
    return Gold(doc, extraction.doc.published, events, savings, quotes)


def predicted_tuples(kind: str, extraction: Extraction, gold: Gold) -> set[tuple]:
    """The tuples of one kind predicted by ``extraction`` for the document of ``gold``
    (:func:`predicted_gold_tuples` of :func:`as_gold`)."""
    return predicted_gold_tuples(kind, as_gold(extraction, gold.doc), gold)


def predicted_gold_tuples(kind: str, predicted: Gold, gold: Gold) -> set[tuple]:
    """The tuples of one kind of a prediction written as gold-style dicts.

    Events of bodies without a GSS code count only where the gold names the
    body (docs/contract.md, "Scoring"); ``events_dated`` counts dated
    predictions of the (body, action) pairs the gold dates, so a date is
    judged only where the text gives one.
    """
    gold_names = {body_key(e["council"]) for e in gold.events if not is_gss_code(e["council"])}
    events = [
        e
        for e in predicted.events
        if is_gss_code(e["council"]) or body_key(e["council"]) in gold_names
    ]
    found = tuples(kind, events, predicted.savings, predicted.quotes)
    if kind == "events_dated":  # scored over the gold's dated events only
        dated = {(body, action) for body, action, _ in gold_tuples(kind, gold)}
        found = {t for t in found if t[:2] in dated}
    return found


def gold_tuples(kind: str, gold: Gold) -> set[tuple]:
    """The tuples of one kind in a gold annotation."""
    return tuples(kind, gold.events, gold.savings, gold.quotes)


# --------------------------------------------------------------------------- scores


@dataclass
class Counts:
    """True positives, false positives and false negatives; 0/0 counts as 0."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @classmethod
    def compare(cls, gold: set, predicted: set) -> Counts:
        """Counts of ``predicted`` against ``gold``.

        >>> Counts.compare({1, 2, 3}, {2, 3, 4, 5})
        Counts(tp=2, fp=2, fn=1)
        """
        tp = len(gold & predicted)
        return cls(tp, len(predicted) - tp, len(gold) - tp)

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

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

    def to_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Report:
    """Micro-averaged counts per kind, and the counts of each document."""

    kinds: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    documents: dict[str, dict[str, Counts]] = field(default_factory=dict)
    identity: Counts | None = None  # cross-document pairs (:func:`identity_counts`), if known

    @property
    def mean_f1(self) -> float:
        """The mean of the kinds' F1."""
        return sum(c.f1 for c in self.kinds.values()) / len(self.kinds) if self.kinds else 0.0

    def to_dict(self) -> dict[str, object]:
        """Plain data for JSON: per kind and per document P, R, F1 and counts, and the mean F1."""
        data: dict[str, object] = {
            "kinds": {kind: c.to_dict() for kind, c in self.kinds.items()},
            "mean_f1": self.mean_f1,
            "documents": {
                doc: {kind: c.to_dict() for kind, c in counts.items()}
                for doc, counts in self.documents.items()
            },
        }
        if self.identity is not None:
            data["partnership_identity"] = self.identity.to_dict()
        return data


def score_document(gold: Gold, extraction: Extraction) -> dict[str, Counts]:
    """Counts per kind for one document."""
    return {
        kind: Counts.compare(gold_tuples(kind, gold), predicted_tuples(kind, extraction, gold))
        for kind in KINDS
    }


def score(pairs: Iterable[tuple[Gold, Extraction | Gold]]) -> Report:
    """Score extractions (or predictions written as gold, :func:`as_gold`) against their
    gold annotations, summed over the documents."""
    report = Report()
    for gold, extraction in pairs:
        predicted = extraction if isinstance(extraction, Gold) else as_gold(extraction, gold.doc)
        counts = {
            kind: Counts.compare(
                gold_tuples(kind, gold), predicted_gold_tuples(kind, predicted, gold)
            )
            for kind in KINDS
        }
        report.documents[gold.doc] = counts
        for kind, c in counts.items():
            report.kinds[kind] = report.kinds[kind] + c
    return report


def _table(counts: Mapping[str, Counts], indent: str = "") -> list[str]:
    width = max(len("kind"), *(len(k) for k in counts))
    header = (
        f"{indent}{'kind':<{width}}  {'P':>5}  {'R':>5}  {'F1':>5}  {'tp':>5}  {'fp':>5}  {'fn':>5}"
    )
    lines = [header]
    for kind, c in counts.items():
        lines.append(
            f"{indent}{kind:<{width}}  {c.precision:5.3f}  {c.recall:5.3f}  {c.f1:5.3f}"
            f"  {c.tp:5d}  {c.fp:5d}  {c.fn:5d}"
        )
    return lines


def format_report(report: Report, per_document: bool = False) -> str:
    """An aligned table (kind, P, R, F1, tp, fp, fn) and the mean F1 over the kinds.

    >>> r = Report()
    >>> r.kinds["quotes"] = Counts(3, 1, 2)
    >>> print(format_report(r).splitlines()[7])
    quotes        0.750  0.600  0.667      3      1      2
    """
    lines = _table(report.kinds)
    lines.append(f"mean F1 {report.mean_f1:.3f} over {len(report.kinds)} kinds")
    if report.identity is not None:
        c = report.identity
        lines.append(
            f"partnership identity (pairs of events in different documents): P {c.precision:.3f}"
            f"  R {c.recall:.3f}  F1 {c.f1:.3f}  (tp {c.tp}, fp {c.fp}, fn {c.fn})"
        )
    if per_document:
        for doc, counts in report.documents.items():
            lines.append("")
            lines.append(doc)
            lines.extend(_table(counts, indent="  "))
    return "\n".join(lines)


# --------------------------------------------------------------------------- identity

#: The file beside the gold files that gives each gold event its real-world partnership.
IDENTITY_FILE = "partnership-ids.json"


def load_identity(gold_dir: Path) -> dict[str, list[str]] | None:
    """Each gold file's partnership ids, one per gold event in order (docs/contract.md,
    "Partnership identity"); None when ``gold_dir`` has no :data:`IDENTITY_FILE`."""
    path = Path(gold_dir) / IDENTITY_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: [str(i) for i in ids] for name, ids in data["events"].items()}


def identity_counts(
    documents: Iterable[tuple[Gold, Sequence[str], Mapping[tuple[str, str], str | None]]],
) -> Counts:
    """Pairwise counts over pairs of gold events in different documents.

    Each document gives its gold, its gold events' partnership ids (in order) and the
    partnership IRI the extractor gave each ``(body key, action)``. A pair is gold-same
    when its ids are equal, predicted-same when both events were found and carry one IRI;
    recall counts every gold-same pair, found or not.

    >>> g1 = Gold("a", None, [{"council": "E09000005", "action": "formed"}])
    >>> g2 = Gold("b", None, [{"council": "E09000023", "action": "formed"},
    ...                       {"council": "E09000028", "action": "joined"}])
    >>> found = {("E09000005", "formed"): "p1"}
    >>> identity_counts([(g1, ["x"], found), (g2, ["x", "x"], {("E09000023", "formed"): "p1"})])
    Counts(tp=1, fp=0, fn=1)
    """
    items = []
    for n, (gold, ids, found) in enumerate(documents):
        for event, gold_id in zip(gold.events, ids, strict=False):
            iri = found.get((body_key(event["council"]), event["action"]))
            items.append((n, gold_id, iri))
    tp = fp = fn = 0
    for (doc_a, id_a, iri_a), (doc_b, id_b, iri_b) in combinations(items, 2):
        if doc_a == doc_b:
            continue
        same = id_a == id_b
        said = iri_a is not None and iri_a == iri_b
        tp += same and said
        fp += said and not same
        fn += same and not said
    return Counts(tp, fp, fn)
