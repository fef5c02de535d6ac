"""``lgkg evaluate``: extract every text that has a gold file, and score it.

Pairing texts with gold files and scoring live in :mod:`lgkg.extract.evaluate`;
reading the corpus once and cross-validating the learned decisions live in
:mod:`lgkg.train`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _report_json(report: Any) -> dict:
    return report.to_dict() if hasattr(report, "to_dict") else dataclasses.asdict(report)


def evaluate_dir(
    gold_dir: Path,
    extractor: Callable[[], Any],
    *,
    per_document: bool = False,
    as_json: bool = False,
    cv: int = 0,
) -> str:
    """The report for every gold file in ``gold_dir`` with a text beside it; with ``cv``,
    the ``cv``-fold cross-validated report of the learned decisions after it.

    Raises ValueError when the folder has no gold file with a text.
    """
    from lgkg.extract.evaluate import format_report, identity_counts, load_identity, score
    from lgkg.train import cross_validate, read_examples

    x = extractor()
    examples = read_examples(x, [gold_dir])
    extractions = [x.finish(e.reading) for e in examples]
    report = score([(e.gold, ex) for e, ex in zip(examples, extractions, strict=True)])
    ids = load_identity(gold_dir)
    if ids is not None:
        found = resolved_partnerships(extractions)
        report.identity = identity_counts(
            (e.gold, ids.get(e.gold_file, []), f) for e, f in zip(examples, found, strict=True)
        )
    crossed = cross_validate(x, examples, cv) if cv else None
    if as_json:
        data = _report_json(report)
        if crossed is not None:
            data["cross_validated"] = {"folds": cv, **_report_json(crossed)}
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)
    text = format_report(report, per_document=per_document)
    if crossed is not None:
        text += f"\n\n{cv}-fold cross-validated (decisions fitted on the other folds):\n"
        text += format_report(crossed)
        text += "\n\n" + _side_by_side(report, crossed)
    return text


def _side_by_side(report: Any, crossed: Any) -> str:
    rows = ["kind          F1    cv F1"]
    for kind, counts in report.kinds.items():
        rows.append(f"{kind:12s} {counts.f1:.3f}  {crossed.kinds[kind].f1:.3f}")
    rows.append(f"{'mean':12s} {report.mean_f1:.3f}  {crossed.mean_f1:.3f}")
    return "\n".join(rows)


def resolved_partnerships(extractions: list[Any]) -> list[dict[tuple[str, str], str | None]]:
    """For each extraction, in order, the partnership IRI of each ``(body key, action)``
    once partnerships are resolved across the documents as ``lgkg ingest`` resolves them
    (:mod:`lgkg.graph.identity`; the same in any order)."""
    from lgkg.extract.evaluate import body_key
    from lgkg.graph.identity import resolved_iris

    out = []
    for x, iris in zip(extractions, resolved_iris(extractions), strict=True):
        found: dict[tuple[str, str], str | None] = {}
        for event in x.events:
            found.setdefault((body_key(event.body), event.action), iris.get(event.partnership))
        out.append(found)
    return out
