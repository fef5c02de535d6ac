"""How extraction and ingest costs grow with the number of documents.

Runs ``bench/run.py``'s measurements (bare ``nlp.pipe``, lgkg's pipeline,
lgkg's extraction, ingest into a fresh embedded store in a child process) on
generated releases at three corpus sizes, and fits the exponent ``b`` of
``seconds ≈ a · docs^b`` for each step (``bench/fit.py``). A ``b`` near 1 is
linear growth. The models are loaded once; the corpora of one seed are
nested (the first 100 documents of the 200 are the 100).

    python bench/growth.py
    python bench/growth.py --sizes 200,400,800 --repeat 1
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fit import exponent  # noqa: E402
from generate import write_releases  # noqa: E402
from run import Timings, load_models, machine, table, time_steps  # noqa: E402

STEPS = (
    ("bare nlp.pipe (en_core_web_sm)", lambda t: t.bare),
    ("pipeline nlp.pipe (+ council ruler)", lambda t: t.pipeline),
    ("extract (lgkg extraction)", lambda t: t.extract),
    ("ingest (embedded store)", lambda t: t.ingest["seconds"]),
)


def sizes_arg(text: str) -> list[int]:
    """``"100,200,400"`` as ``[100, 200, 400]`` (at least two distinct sizes).

    >>> sizes_arg("400, 100,200")
    [100, 200, 400]
    """
    sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    if len(sizes) < 2 or sizes[0] < 1:
        raise argparse.ArgumentTypeError("give at least two positive sizes, e.g. 100,200,400")
    return sizes


def growth_rows(results: dict[int, Timings]) -> list[list[str]]:
    """One row per step: seconds at each size, the fitted exponent, and docs/s at the largest."""
    sizes = sorted(results)
    rows = []
    for name, seconds in STEPS:
        times = [seconds(results[n]) for n in sizes]
        rows.append(
            [
                name,
                *(f"{t:.2f}" for t in times),
                exponent(sizes, times),
                f"{sizes[-1] / times[-1]:.1f}",
            ]
        )
    overhead = [results[n].extract / results[n].bare for n in sizes]
    rows.append(["extract / bare", *(f"{r:.2f}" for r in overhead), "", ""])
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", type=sizes_arg, default=[100, 200, 400], help="documents (default 100,200,400)"
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch (default 32)")
    parser.add_argument("--n-process", type=int, default=1, help="spaCy processes (default 1)")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per step (default 2)")
    args = parser.parse_args(argv)
    models = load_models()
    results: dict[int, Timings] = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "releases"
            write_releases(n, args.seed, folder)
            results[n] = time_steps(folder, args.batch_size, args.n_process, args.repeat, models)
        print(f"  {n} documents measured", file=sys.stderr)
    print(
        f"generated releases (seed {args.seed}), batch size {args.batch_size}, "
        f"{args.n_process} process(es), best of {args.repeat}; {machine()}"
    )
    head = ["step", *(f"s @ {n} docs" for n in args.sizes), "exponent b", "docs/s (largest)"]
    print(table(growth_rows(results), head))
    print("b: least-squares slope of log(seconds) on log(docs); 1 = linear growth")


if __name__ == "__main__":
    main()
