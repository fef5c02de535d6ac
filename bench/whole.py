"""Benchmark: the whole ``lgkg ingest`` process against a bare ``nlp.pipe`` script.

Two figures, each measured as whole processes (interpreter start, imports,
model load, work, exit), alternated so that both sides see the same machine:

1. ``corpus``: ``lgkg ingest DIR`` into a fresh store against a script that
   loads the same spaCy model and runs ``nlp.pipe`` over the same texts (the
   files' text after their front matter). The ratio lgkg / bare per pair, and
   its median over ``--runs`` pairs (target ≤ 1.25).
2. ``start-up``: ``lgkg ingest`` of one short file into a store that already
   holds the reference graph, against a script that only loads the model.
   The difference is lgkg's start-up over the model's (target ≤ 0.5 s).

Both are also given in CPU time (user + system, of the process and its
threads): on a machine other jobs share, wall times of the same command vary
by a third, CPU times much less. The targets are on wall time.

    python bench/whole.py                      # ../shared/corpus/dev, 3 runs
    python bench/whole.py --corpus examples --runs 5
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LGKG = [sys.executable, "-m", "lgkg.cli"]

BARE_PIPE = """
import sys
from pathlib import Path
from lgkg.extract.model import load_model
nlp = load_model()
texts = []
for path in sorted(Path(sys.argv[1]).glob("*.txt")):
    text = path.read_text(encoding="utf-8")
    if text.startswith("---"):
        text = text.split("\\n---", 1)[-1]
    texts.append(text)
for doc in nlp.pipe(texts, batch_size=16):
    pass
"""
BARE_LOAD = "from lgkg.extract.model import load_model; load_model()"


def timed(command: list[str]) -> tuple[float, float]:
    """Seconds the command takes, start to exit (it must succeed), and its CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    texts = sorted(args.corpus.glob("*.txt"))
    if not texts:
        raise SystemExit(f"no .txt files in {args.corpus}")
    tmp = Path(tempfile.mkdtemp(prefix="lgkg-whole-"))
    try:
        ratios, lgkg_s, bare_s, cpu_ratios = [], [], [], []
        for run in range(args.runs):
            bare, bare_cpu = timed([sys.executable, "-c", BARE_PIPE, str(args.corpus)])
            store = tmp / f"store-{run}"
            ours, ours_cpu = timed([*LGKG, "ingest", str(args.corpus), "--store", str(store)])
            bare_s.append(bare)
            lgkg_s.append(ours)
            ratios.append(ours / bare)
            cpu_ratios.append(ours_cpu / bare_cpu)
        one = tmp / "one.txt"
        one.write_text(texts[0].read_text(encoding="utf-8")[:1500], encoding="utf-8")
        warm = tmp / "warm"
        subprocess.run(
            [*LGKG, "ingest", str(one), "--store", str(warm)], check=True, capture_output=True
        )
        overs, load_s, start_s, cpu_overs = [], [], [], []
        for _ in range(args.runs):
            load, load_cpu = timed([sys.executable, "-c", BARE_LOAD])
            start, start_cpu = timed([*LGKG, "ingest", str(one), "--store", str(warm), "--force"])
            load_s.append(load)
            start_s.append(start)
            overs.append(start - load)
            cpu_overs.append(start_cpu - load_cpu)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"corpus: {len(texts)} documents from {args.corpus}, {args.runs} alternated runs")
    print(f"  bare nlp.pipe   {' '.join(f'{s:6.2f}' for s in bare_s)} s")
    print(f"  lgkg ingest     {' '.join(f'{s:6.2f}' for s in lgkg_s)} s")
    print(
        f"  ratio           {' '.join(f'{r:6.2f}' for r in ratios)}"
        f"   median {statistics.median(ratios):.2f} (target <= 1.25)"
    )
    print(
        f"  CPU time ratio  {' '.join(f'{r:6.2f}' for r in cpu_ratios)}"
        f"   median {statistics.median(cpu_ratios):.2f}"
    )
    print("start-up: one short file into a store that has its reference graph")
    print(f"  model load      {' '.join(f'{s:6.2f}' for s in load_s)} s")
    print(f"  lgkg ingest     {' '.join(f'{s:6.2f}' for s in start_s)} s")
    print(
        f"  over the model  {' '.join(f'{s:6.2f}' for s in overs)}"
        f"   median {statistics.median(overs):.2f} s (target <= 0.5)"
    )
    print(
        f"  CPU time over   {' '.join(f'{s:6.2f}' for s in cpu_overs)}"
        f"   median {statistics.median(cpu_overs):.2f} s"
    )


if __name__ == "__main__":
    main()
