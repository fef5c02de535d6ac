"""``lgkg evaluate``: extract every text that has a gold file, and score it.

Pairing texts with gold files and scoring live in :mod:`lgkg.extract.evaluate`;
this module reads the texts and runs the extractor over them in one batch.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lgkg.extract.sources import read_source


def _report_json(report: Any) -> str:
    data = report.to_dict() if hasattr(report, "to_dict") else dataclasses.asdict(report)
    return json.dumps(data, indent=2, ensure_ascii=False, default=str)


def evaluate_dir(
    gold_dir: Path,
    extractor: Callable[[], Any],
    *,
    per_document: bool = False,
    as_json: bool = False,
) -> str:
    """The report for every gold file in ``gold_dir`` with a text beside it.

    Raises ValueError when the folder has no gold file with a text.
    """
    from lgkg.extract.evaluate import format_report, gold_files, load_gold, score

    golds, sources = [], []
    for text, gold_path in gold_files(gold_dir):
        golds.append(load_gold(gold_path))
        sources.append(read_source(str(text)))
    if not golds:
        raise ValueError(f"{gold_dir}: no *.gold.json file with a text beside it")
    extractions = list(extractor().extract_many(sources))
    report = score(list(zip(golds, extractions, strict=True)))
    return _report_json(report) if as_json else format_report(report, per_document=per_document)
