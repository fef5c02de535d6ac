"""Benchmark: resolving partnerships across documents, and how its time grows.

Times :mod:`lgkg.graph.identity` on ``n`` and ``4n`` synthetic releases
(:func:`graphgen.extractions`: the extraction records of generated press
releases, a few about each invented partnership, without the spaCy pass that
``bench/run.py`` times) in two ways:

- ``batch``: every document at once, as ``lgkg resolve`` recomputes a store;
- ``ingest``: ``--batch-size`` documents at a time, as ``lgkg ingest`` writes
  them (each update re-resolves only what its documents touch).

Each row gives CPU seconds (the best of ``--repeat`` runs) and the ratio of the
``4n`` time to the ``n`` time beside the ratio ``n log n`` growth allows,
``4 · log(4n) / log(n)``; ``ok`` when the measured ratio is within it. Reading
the descriptions from the records is timed with the resolution; the gazetteer is
loaded before any timing, and each run starts from a collected heap.

    python bench/resolve.py                  # n = 10000 (and 40000)
    python bench/resolve.py --docs 2000 --repeat 1
"""

from __future__ import annotations

import argparse
import gc
import math
import sys
import time
from collections.abc import Callable, Sequence
from itertools import islice
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from graphgen import extractions  # noqa: E402

from lgkg.extract.records import Extraction  # noqa: E402
from lgkg.graph.identity import PartnershipIndex, describe  # noqa: E402


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    """The fastest of ``repeat`` timed runs, in CPU seconds of this process (other work on
    the machine aside), and what the run returned; each starts from a collected heap."""
    times, result = [], 0
    for _ in range(repeat):
        gc.collect()
        started = time.process_time()
        result = run()
        times.append(time.process_time() - started)
    return min(times), result


def resolve_batch(xs: Sequence[Extraction]) -> int:
    """Resolve every document at once; the number of partnership entities."""
    index = PartnershipIndex()
    index.update([d for x in xs for d in describe(x)])
    return len(index)


def resolve_ingest(xs: Sequence[Extraction], batch_size: int) -> int:
    """Resolve ``batch_size`` documents at a time, as ingest does; the number of entities."""
    index = PartnershipIndex()
    for start in range(0, len(xs), batch_size):
        index.update([d for x in xs[start : start + batch_size] for d in describe(x)])
    return len(index)


def allowed_ratio(n: int, factor: int = 4) -> float:
    """How much the time may grow from ``n`` to ``factor * n`` documents at ``n log n``.

    >>> round(allowed_ratio(10_000), 2)
    4.6
    """
    return factor * math.log(factor * n) / math.log(n)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="n (default 10000); also 4n")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--batch-size", type=int, default=64, help="ingest batch (default 64)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (default 3)")
    args = parser.parse_args(argv)
    n = args.docs
    corpus = list(islice(extractions(args.seed), 4 * n))
    resolve_batch(corpus[:1])  # loads the gazetteer and the settings, once
    allowed = allowed_ratio(n)
    print(f"resolving synthetic releases (seed {args.seed}); n log n allows x{allowed:.2f} at 4n")
    head = ("way", "n", "seconds", "4n", "seconds", "ratio")
    print("{:8s} {:>7s} {:>8s} {:>7s} {:>8s} {:>6s}  entities".format(*head))
    ways: list[tuple[str, Callable[[Sequence[Extraction]], int]]] = [
        ("batch", resolve_batch),
        ("ingest", lambda xs: resolve_ingest(xs, args.batch_size)),
    ]
    for name, way in ways:
        small, entities_small = best_of(args.repeat, lambda: way(corpus[:n]))  # noqa: B023
        large, entities_large = best_of(args.repeat, lambda: way(corpus))  # noqa: B023
        ratio = large / small
        verdict = "ok" if ratio <= allowed else "FASTER THAN n log n"
        print(
            f"{name:8s} {n:7d} {small:8.2f} {4 * n:7d} {large:8.2f} {ratio:6.2f}  "
            f"{entities_small}/{entities_large}  {verdict}"
        )


if __name__ == "__main__":
    main()
