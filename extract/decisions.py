"""Which events a document states: the rules' events, and what models learned from the
corpus add to them.

The rules (:mod:`lgkg.extract.events`) read sentences and propose events.
The judgements over a whole document are also taken here, once per body,
by small linear models (:mod:`lgkg.extract.linear`) fitted on the gold
corpus by ``lgkg train`` and shipped as ``data/decisions.json``:

- for every body the document names (a :class:`BodyCase`), whether it
  takes each action (``formed``, ``joined``, ``left``, ``ended``,
  ``provides``): one yes/no model per action, so a council can form a
  partnership and later see it end;
- an event's status (``proposed``, ``agreed``, ``done``);
- a body's service area.

What each decides was measured (``lgkg evaluate --cv 5`` on dev, and the
validation set's totals): where a rule found an event, its action, status
and area beat the models' on both, so they stand. Adding actions to a body
the rules already gave one scored no better on cross-validation and broke
the annotation rules on sentences of our own (a founding added to every
council that leaves is the corpus's habit, not the text's), so the rules'
silence about such a body stands too. For a body the rules give
no event, the models add each action they give it with probability
``threshold`` (0.6) or more, with the status and area the models give.
Every added event says so (``rule="learned"``) and carries its probability
as its confidence. The dates of added events stay empty: the rules date
events from the sentence that states them.

A case's features are what the rules said of the body (their actions,
statuses and areas), the cue words of the sentences that name it (the words
the rules' own patterns are made of) and the verbs it hangs from, where and
how often it is named, the headline's cue words, and the service-area
words around it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from spacy.tokens import Doc

from lgkg.extract.linear import LinearModel
from lgkg.extract.mentions import Mention, coordinated
from lgkg.extract.names import name_key
from lgkg.extract.records import Body, Event, Evidence
from lgkg.extract.service import area_counts
from lgkg.extract.tokens import features, text_of
from lgkg.extract.vocabulary import ACTIONS, MEMBER_ACTIONS, STATUSES

MODEL_FILE = "decisions.json"
FORMAT = 1  # the layout of the JSON file


@dataclass(frozen=True)
class BodyCase:
    """One body a document names, with what the rules said of it and its features."""

    body: Body
    features: Mapping[str, float]
    areas: Mapping[str, float]  # service-area features (words around it, headline, rules)
    evidence: Evidence  # the first sentence that names it
    rule_events: tuple[Event, ...]

    @property
    def key(self) -> str:
        """How gold files name the body: its GSS code, else its name in lower case."""
        return self.body.code or name_key(self.body.name)


def _bucket(n: int, edges: Sequence[int]) -> str:
    """``n`` as the first edge it does not pass ("3+" past the last)."""
    for edge in edges:
        if n <= edge:
            return str(edge)
    return f"{edges[-1]}+"


def _lemmas(tokens: Iterable) -> set[str]:
    return {t.lemma_.lower() for t in tokens if t.is_alpha and len(t.text) > 1}


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield from value.lower().split()
    elif isinstance(value, Mapping):
        for k, v in value.items():
            if not str(k).startswith("_"):
                yield from _strings(k)
                yield from _strings(v)
    elif isinstance(value, Iterable):
        for v in value:
            yield from _strings(v)


@cache
def cue_words() -> frozenset[str]:
    """The words the rules' patterns are made of (status cues, action triggers): the only
    words a case's context contributes, so the models weigh cues, not topics."""
    from lgkg.extract.lexicon import load

    return frozenset(
        w for name in ("status", "actions") for w in _strings(load(name)) if w.isalpha()
    )


def body_cases(
    doc: Doc,
    mentions: Sequence[Mention],
    rule_events: Sequence[Event],
    evidence: Mapping[int, Evidence],
    *,
    title: str | None,
    published: str | None,
    title_area: str | None,
    text_area: str | None,
) -> list[BodyCase]:
    """A :class:`BodyCase` for every body named in ``doc`` or in a rule's event.

    ``evidence`` maps a sentence's first token to its :class:`Evidence`;
    ``title_area`` and ``text_area`` are the service areas the title and the
    whole text speak of most, if any.
    """
    sentences = list(doc.sents)
    index = {s.start: i for i, s in enumerate(sentences)}
    by_body: dict[Body, list[Mention]] = {}
    for m in mentions:
        by_body.setdefault(m.body, []).append(m)
    for e in rule_events:
        by_body.setdefault(e.body, [])
    councils = {b for b in by_body if b.is_council}
    headline = _lemmas(sentences[0]) if sentences else set()
    title_words = {w for w in (title or "").lower().split() if w.isalpha()}
    sentence_cues: dict[int, set[str]] = {}  # each sentence read once for all its bodies
    shared: dict[str, float] = {
        f"doc:councils={_bucket(len(councils), (1, 2, 3, 5, 8))}": 1.0,
        "doc:published" if published else "doc:undated": 1.0,
    }
    cues = cue_words()
    shared.update({f"t:{w}": 1.0 for w in (headline | title_words) & cues})
    cases = []
    for body, found in by_body.items():
        sent_starts = sorted({doc[m.start].sent.start for m in found})
        events = tuple(e for e in rule_events if e.body == body)
        f: dict[str, float] = dict(shared)
        f["council" if body.is_council else "other_body"] = 1.0
        f[f"mentions={_bucket(len(found), (0, 1, 2, 4, 8))}"] = 1.0
        first = index.get(sent_starts[0], 99) if sent_starts else 99
        f[f"first={_bucket(first, (0, 1, 2, 5, 10, 20))}"] = 1.0
        for m in found:
            f[f"kind:{m.kind}"] = 1.0
            root = doc[m.start : m.end].root
            f[f"dep:{root.dep_}"] = 1.0
            f[f"head:{root.head.lemma_.lower()}"] = 1.0
            if coordinated(root):
                f["listed"] = 1.0
        for start in sent_starts:
            if start not in sentence_cues:
                sent = doc[start].sent
                sentence_cues[start] = _lemmas(features(doc).tokens[sent.start : sent.end]) & cues
            f.update({f"w:{w}": 1.0 for w in sentence_cues[start]})
        if not events:
            f["r:none"] = 1.0
        for e in events:
            f[f"r:{e.action}"] = 1.0
            f[f"rs:{e.status}"] = 1.0
            f[f"r:{e.action}|{e.status}"] = 1.0
            f["r:dated"] = max(f.get("r:dated", 0.0), 1.0 if e.date else 0.0)
            f["r:confidence"] = max(f.get("r:confidence", 0.0), e.confidence)
        areas: dict[str, float] = {}
        counts: Counter[str] = Counter()
        for start in sent_starts:
            counts.update(area_counts(text_of(doc[start].sent)))  # cached per text
        for area, n in counts.items():
            areas[f"near:{area}"] = float(min(n, 3))
        if title_area:
            areas[f"title:{title_area}"] = 1.0
        if text_area:
            areas[f"doc:{text_area}"] = 1.0
        for e in events:
            areas[f"rule:{e.service_area}"] = 1.0
        if sent_starts:
            ev = evidence[sent_starts[0]]
        elif events:
            ev = events[0].evidence
        else:  # pragma: no cover - every body comes from a mention or an event
            continue
        cases.append(BodyCase(body, f, areas, ev, events))
    return cases


def status_features(case: BodyCase, action: str) -> dict[str, float]:
    """A case's features for the status of its ``action``: the case's, and the action's."""
    f = dict(case.features)
    f[f"a:{action}"] = 1.0
    for e in case.rule_events:
        if e.action == action:
            f[f"a:{action}|rs:{e.status}"] = 1.0
    return f


def area_features(case: BodyCase) -> dict[str, float]:
    return dict(case.areas)


@dataclass(frozen=True)
class Decisions:
    """The fitted models: one yes/no per action, the status, the service area."""

    actions: Mapping[str, LinearModel]
    status: LinearModel
    area: LinearModel
    threshold: float = 0.6
    trained_on: str = ""

    def events(self, cases: Iterable[BodyCase]) -> list[Event]:
        """The rules' events of ``cases``, and the ones the models add for bodies the rules
        gave none (see the module docstring); labels are left to the caller."""
        out = []
        for case in cases:
            if case.rule_events:
                out.extend(case.rule_events)
                continue
            for action in ACTIONS:
                p = self.actions[action].probabilities(case.features)[action]
                if p < self.threshold:
                    continue
                status, _ = self.status.best(status_features(case, action), STATUSES)
                area, _ = self.area.best(area_features(case))
                out.append(_event(case, action, status, area, p))
        return out

    def to_json(self) -> dict:
        return {
            "format": FORMAT,
            "trained_on": self.trained_on,
            "threshold": self.threshold,
            "actions": {a: m.to_json() for a, m in sorted(self.actions.items())},
            "status": self.status.to_json(),
            "area": self.area.to_json(),
        }

    def write(self, path: Path) -> None:
        """Write the models as JSON (sorted keys, fixed rounding: the same fit, the same bytes)."""
        text = json.dumps(self.to_json(), indent=1, sort_keys=True, ensure_ascii=False)
        Path(path).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, data: Mapping) -> Decisions:
        if data.get("format") != FORMAT:
            raise ValueError(f"decision models of format {data.get('format')!r}, not {FORMAT}")
        return cls(
            {a: LinearModel.from_json(m) for a, m in data["actions"].items()},
            LinearModel.from_json(data["status"]),
            LinearModel.from_json(data["area"]),
            float(data.get("threshold", 0.6)),
            str(data.get("trained_on", "")),
        )

    @classmethod
    def read(cls, path: Path) -> Decisions:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


@cache
def shipped() -> Decisions | None:
    """The models shipped with lgkg (``extract/data/decisions.json``), or None if absent."""
    resource = files("lgkg.extract") / "data" / MODEL_FILE
    if not resource.is_file():
        return None
    return Decisions.from_json(json.loads(resource.read_text(encoding="utf-8")))


def _event(case: BodyCase, action: str, status: str, area: str, p: float) -> Event:
    """A learned event for ``case`` (a body the rules gave no event), undated."""
    return Event(
        body=case.body,
        action=action,
        partnership="",
        service_area=area,
        date="",
        status=status,
        client=None,
        evidence=case.evidence,
        confidence=round(p, 3),
        rule="learned",
    )


# --------------------------------------------------------------------------- fitting


@dataclass(frozen=True)
class Labelled:
    """A document's cases and its gold events (dicts as in a ``*.gold.json`` file)."""

    cases: Sequence[BodyCase]
    gold_events: Sequence[Mapping[str, str]]


def _gold_key(value: str) -> str:
    from lgkg.extract.evaluate import is_gss_code

    return value.strip().upper() if is_gss_code(value) else name_key(value)


def fit_decisions(documents: Sequence[Labelled], *, trained_on: str = "") -> Decisions:
    """Fit the models on labelled documents (deterministic for the same documents in order).

    Each case is a yes or no for each action (does the gold give its body that
    action?); each gold event found among the cases is a status example; each
    case with a gold event is a service-area example (its first member event's
    area, else its first event's).
    """
    from lgkg.extract.linear import fit

    rows, yes = [], {a: [] for a in ACTIONS}
    status_rows, status_labels, area_rows, area_labels = [], [], [], []
    for document in documents:
        gold: dict[str, list[Mapping[str, str]]] = {}
        for e in document.gold_events:
            gold.setdefault(_gold_key(str(e.get("council", ""))), []).append(e)
        for case in document.cases:
            events = gold.get(case.key, [])
            actions = {e["action"] for e in events}
            rows.append(case.features)
            for a in ACTIONS:
                yes[a].append(a if a in actions else "not")
            for e in events:
                status_rows.append(status_features(case, e["action"]))
                status_labels.append(e["status"])
            if events:
                members = [e for e in events if e["action"] in MEMBER_ACTIONS]
                area_rows.append(area_features(case))
                area_labels.append((members or events)[0]["service_area"])
    return Decisions(
        {a: fit(rows, yes[a], binary_class=a) for a in ACTIONS},
        fit(status_rows, status_labels),
        fit(area_rows, area_labels),
        trained_on=trained_on,
    )
