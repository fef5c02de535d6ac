"""What each rule family is worth: switch it off, score again.

Every text with a gold file is parsed once; then, for each family, the
rules read the parsed documents again with that family switched off (its
entry point replaced by a neutral stand-in) and the result is scored like
``lgkg evaluate``. The table gives, per corpus, the mean F1 with every
family on and the change per kind when one is off: a family whose removal
raises a blind set's score, or lowers only dev's, is one fitted to dev.

Only totals are printed, so a blind set (``../shared/corpus/validation``)
can be measured without showing any of its documents.

    python bench/ablation.py ../shared/corpus/dev ../shared/corpus/validation
    python bench/ablation.py ../shared/corpus/dev --only status-vote,headline-weight
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lgkg.extract import dates, events, mentions, pipeline, quotes, status
from lgkg.extract.clean import clean, unwrapped
from lgkg.extract.decisions import Decisions
from lgkg.extract.evaluate import KINDS, Gold, gold_files, load_gold, score
from lgkg.extract.pipeline import Extractor
from lgkg.extract.sources import read_source
from lgkg.extract.status import StatusReading
from lgkg.extract.vocabulary import DONE


@dataclass(frozen=True)
class Family:
    """A rule family: where it is decided, and what stands in for it when it is off."""

    name: str
    what: str
    patches: tuple[tuple[object, str, Callable[..., object]], ...]


_REFERENCE_SPANS = mentions._reference_spans


def _spans(doc, *, plural: bool) -> Iterator[tuple[int, int, bool, int | None]]:
    """The reference spans of one number only (the other number's family switched off)."""
    return (span for span in _REFERENCE_SPANS(doc) if span[2] == plural)


FAMILIES = (
    Family(
        "learned-events",
        "the models' events for bodies the rules gave none (lgkg.extract.decisions)",
        ((Decisions, "events", lambda self, cases: [e for c in cases for e in c.rule_events]),),
    ),
    Family(
        "status-cues",
        "an event's status from modality, tense and cue words (else done)",
        ((events, "status_of", lambda *a, **k: StatusReading(DONE, 0.6)),),
    ),
    Family(
        "status-vote",
        "a fact told in several sentences takes the most advanced status (else the best one's)",
        ((events, "_vote", lambda tally, default: default),),
    ),
    Family(
        "own-dates",
        "a partnership's own start or end date ('it was set up in 2007') dates its members'",
        (
            (dates, "partnership_dates", lambda *a, **k: {}),
            (events, "partnership_dates", lambda *a, **k: {}),
        ),
    ),
    Family(
        "prospective",
        "a body named 'as possible partners' is proposed to join",
        ((events, "_prospective", lambda *a, **k: []),),
    ),
    Family(
        "earlier-partnerships",
        "'its previous partnership with X', 'the existing alliance' are partnerships of their own",
        (
            (events, "_former", lambda *a, **k: False),
            (events, "_modified_by", lambda *a, **k: False),
        ),
    ),
    Family(
        "references",
        "'the two councils', 'the council' resolved to the councils named before",
        ((mentions, "reference_mentions", lambda *a, **k: []),),
    ),
    Family(
        "references-plural",
        "'both councils', 'the two authorities' resolved to the group named",
        ((mentions, "_reference_spans", lambda doc: _spans(doc, plural=False)),),
    ),
    Family(
        "references-singular",
        "'the council' resolved to the council last made a subject",
        ((mentions, "_reference_spans", lambda doc: _spans(doc, plural=True)),),
    ),
    Family(
        "elided-names",
        "'Mid and East Devon councils': both councils",
        ((mentions, "_elided", lambda *a, **k: []),),
    ),
    Family(
        "listed-names",
        "short names listed beside councils ('Brent, Lewisham and Southwark councils')",
        ((mentions, "_listed_with_councils", lambda *a, **k: []),),
    ),
    Family(
        "initialisms",
        "'ELDC', 'CWaC' abbreviating a council the text names",
        ((mentions, "_initialisms", lambda *a, **k: {}),),
    ),
    Family(
        "other-bodies",
        "police, fire, NHS and other public bodies from the model's ORG entities",
        ((mentions, "org_mentions", lambda *a, **k: []),),
    ),
    Family(
        "headline-weight",
        "headlines and quoted words are weaker evidence",
        ((pipeline, "_sentence_weight", lambda *a, **k: 1.0),),
    ),
    Family(
        "speaker-council",
        "a councillor, a party label or a remit speaks for the main council",
        (
            (quotes, "_councillor", lambda *a, **k: False),
            (quotes, "_generic_council_role", lambda *a, **k: False),
        ),
    ),
    Family(
        "resolutions",
        "a council's own notice: its resolutions of no subject or of its deciders are its acts",
        ((events, "resolution_agent", lambda *a, **k: None),),
    ),
    Family(
        "decision-dates",
        "a notice's 'Date of decision:' or minutes' date dates what it agrees",
        ((pipeline, "decision_date", lambda *a, **k: ""),),
    ),
    Family(
        "future-status",
        "'will', 'is to', headline infinitives: agreed, not done",
        (
            (status, "is_future", lambda *a, **k: False),
            (events, "is_future", lambda *a, **k: False),
        ),
    ),
)


@contextlib.contextmanager
def switched_off(family: Family) -> Iterator[None]:
    """Replace the family's entry points for the duration of the block."""
    saved = [(module, name, getattr(module, name)) for module, name, _ in family.patches]
    try:
        for module, name, stand_in in family.patches:
            setattr(module, name, stand_in)
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def parsed(extractor: Extractor, folder: Path) -> list[tuple[Gold, object, object]]:
    """(gold, parsed doc, cleaned text) for every text with a gold file in ``folder``."""
    pairs = gold_files(folder)
    cleaned = [clean(read_source(str(text))) for text, _ in pairs]
    docs = extractor.nlp.pipe(unwrapped(ct.text) for ct in cleaned)
    return [(load_gold(g), doc, ct) for (_, g), doc, ct in zip(pairs, docs, cleaned, strict=True)]


def scored(extractor: Extractor, corpus: list) -> dict[str, float]:
    """F1 per kind, and the mean, of the rules (and shipped decisions) on parsed documents."""
    pairs = []
    for gold, doc, ct in corpus:
        doc.user_data.clear()  # per-document caches of the rules
        pairs.append((gold, extractor.finish(extractor.read(doc, ct))))
    report = score(pairs)
    out = {k: c.f1 for k, c in report.kinds.items()}
    out["mean"] = report.mean_f1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path, help="folders of texts and gold files")
    parser.add_argument("--only", default="", help="comma-separated family names")
    args = parser.parse_args(argv)
    wanted = [f for f in FAMILIES if not args.only or f.name in args.only.split(",")]
    extractor = Extractor()
    corpora = {folder.name: parsed(extractor, folder) for folder in args.folders}
    base = {name: scored(extractor, corpus) for name, corpus in corpora.items()}
    kinds = [*KINDS, "mean"]
    head = "family".ljust(22) + "".join(f"{k[:8]:>9}" for k in kinds)
    for name, figures in base.items():
        print(f"\n{name} ({len(corpora[name])} documents)")
        print(head)
        print("all on".ljust(22) + "".join(f"{figures[k]:9.3f}" for k in kinds))
        for family in wanted:
            with switched_off(family):
                off = scored(extractor, corpora[name])
            row = "".join(f"{off[k] - figures[k]:+9.3f}" for k in kinds)
            print(f"- {family.name}".ljust(22) + row)
    print("\nfamilies (a row shows the change when the family is off):")
    for family in wanted:
        print(f"  {family.name}: {family.what}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
