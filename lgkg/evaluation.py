"""``lgkg evaluate``: pair each gold file with its text, extract, and score.

Scoring lives in :mod:`lgkg.extract.evaluate`; this module only finds the
text beside each ``NAME.gold.json`` (``NAME.txt``, ``.text``, ``.md``,
``.html``, ``.htm``) and feeds the extractions to it.

>>> from pathlib import Path
>>> text_for_gold(Path("/no/such/dir/a.gold.json")) is None
True
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lgkg.extract.sources import SUFFIXES, read_source

GOLD_SUFFIX = ".gold.json"


def text_for_gold(gold: Path) -> Path | None:
    """The document a gold file annotates: same name, a text or HTML suffix."""
    stem = gold.name[: -len(GOLD_SUFFIX)] if gold.name.endswith(GOLD_SUFFIX) else gold.stem
    for suffix in SUFFIXES:
        candidate = gold.with_name(stem + suffix)
        if candidate.is_file():
            return candidate
    return None


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
    for gold_path in gold_files(gold_dir):
        text = text_for_gold(Path(gold_path))
        if text is None:
            continue
        golds.append(load_gold(gold_path))
        sources.append(read_source(str(text)))
    if not golds:
        raise ValueError(f"{gold_dir}: no *{GOLD_SUFFIX} file with a text beside it")
    extractions = list(extractor().extract_many(sources))
    report = score(list(zip(golds, extractions, strict=True)))
    return _report_json(report) if as_json else format_report(report, per_document=per_document)
