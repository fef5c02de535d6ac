"""``lgkg train`` and ``lgkg evaluate --cv``: the extractor's decisions fitted on gold files.

Every text with a gold file is read once by the rules (spaCy and
:meth:`~lgkg.extract.pipeline.Extractor.read`); fitting and scoring then
reuse those readings, so a k-fold cross-validation costs one parse of the
corpus. Folds are made of whole documents: document ``i`` (in file-name
order) is in fold ``i % k``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lgkg.extract.decisions import Decisions, Labelled, fit_decisions
from lgkg.extract.evaluate import Gold, Report, gold_files, load_gold, score
from lgkg.extract.pipeline import Extractor, Reading
from lgkg.extract.sources import read_source


@dataclass(frozen=True)
class Example:
    """One gold document and what the rules read in its text."""

    gold: Gold
    reading: Reading
    gold_file: str  # the gold file's name (partnership ids are given by it)

    @property
    def labelled(self) -> Labelled:
        return Labelled(self.reading.cases, self.gold.events)


def read_examples(extractor: Extractor, folders: Sequence[Path]) -> list[Example]:
    """Every text with a gold file in ``folders``, read by the rules (in file-name order).

    ValueError when the folders hold no gold file with a text.
    """
    pairs = [pair for folder in folders for pair in gold_files(Path(folder))]
    if not pairs:
        shown = ", ".join(map(str, folders))
        raise ValueError(f"{shown}: no *.gold.json file with a text beside it")
    golds = [load_gold(gold) for _, gold in pairs]
    readings = extractor.read_many(read_source(str(text)) for text, _ in pairs)
    return [
        Example(g, r, path.name) for g, r, (_, path) in zip(golds, readings, pairs, strict=True)
    ]


def train(examples: Sequence[Example], trained_on: str = "") -> Decisions:
    """The decisions fitted on ``examples``."""
    return fit_decisions([e.labelled for e in examples], trained_on=trained_on)


def cross_validate(extractor: Extractor, examples: Sequence[Example], k: int) -> Report:
    """k-fold cross-validated scores: each fold scored by decisions fitted on the others."""
    if not 2 <= k <= len(examples):
        raise ValueError(f"--cv needs 2 to {len(examples)} folds, not {k}")
    pairs = []
    for fold in range(k):
        held = examples[fold::k]
        rest = [e for i, e in enumerate(examples) if i % k != fold]
        decisions = train(rest)
        pairs += [(e.gold, extractor.finish(e.reading, decisions)) for e in held]
    return score(pairs)


def train_command(folders: Sequence[Path], out: Path) -> Decisions:
    """Read, fit and write the models (``lgkg train``)."""
    extractor = Extractor(decisions=None)
    examples = read_examples(extractor, folders)
    names = ", ".join(f"{Path(f).name} ({len(gold_files(Path(f)))})" for f in folders)
    decisions = train(examples, trained_on=names)
    decisions.write(out)
    return decisions
