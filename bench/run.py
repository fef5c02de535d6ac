"""Benchmark: extraction against bare spaCy, and end-to-end ingest, on generated releases.

Prints one table:

1. ``bare``: ``nlp.pipe`` of the spaCy model alone (``en_core_web_sm``) over
   the cleaned texts; ``pipeline``: the same with lgkg's two components (the
   council ruler and line-based sentence starts); ``extract``: lgkg's whole
   extraction (cleaning, the pipeline, reading the facts). The overhead
   ratio is extract time over bare time (target ≤ 1.15).
2. ``ingest``: ``lgkg.ingest.ingest`` of the same documents into a fresh
   embedded store, in a child process with the model already loaded:
   documents/s, as a share of extraction throughput (target ≥ 80 %), and the
   child's peak RSS (target < 2 GB).

Texts, model and batch size are the same for every row, in the same run;
each timing is the best of ``--repeat`` runs. Not part of the test suite.

    python bench/run.py --docs 200
    python bench/run.py --docs 2000 --batch-size 64 --n-process 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import write_releases  # noqa: E402


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of ``repeat`` timed runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def consume(items: Iterable[object]) -> int:
    return sum(1 for _ in items)


def peak_rss_mb() -> float:
    """Peak resident memory of this process and of its finished children, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports KB


def ingest_child(folder: Path, batch_size: int, n_process: int) -> None:
    """Run in a child: load the model, then time ingest into a fresh store; print JSON."""
    from lgkg.extract.pipeline import Extractor
    from lgkg.graph.store import OxigraphStore
    from lgkg.ingest import INGESTED, ingest

    extractor = Extractor()
    with tempfile.TemporaryDirectory() as tmp, OxigraphStore(Path(tmp) / "store") as store:
        store.ensure_reference()
        started = time.perf_counter()
        summary = ingest(
            [str(folder)], store, lambda: extractor, batch_size=batch_size, n_process=n_process
        )
        seconds = time.perf_counter() - started
        triples = store.count()
    print(
        json.dumps(
            {
                "docs": summary.count(INGESTED),
                "failed": len(summary.failures),
                "seconds": seconds,
                "triples": triples,
                "peak_rss_mb": peak_rss_mb(),
            }
        )
    )


def run_ingest(folder: Path, batch_size: int, n_process: int) -> dict:
    command = [sys.executable, __file__, "--ingest-child", str(folder)]
    command += ["--batch-size", str(batch_size), "--n-process", str(n_process)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class Timings:
    """One run of the benchmark: the corpus's size and the seconds each step took."""

    docs: int
    words: int
    bare: float  # nlp.pipe of the bare spaCy model
    pipeline: float  # nlp.pipe with lgkg's components
    extract: float  # lgkg's whole extraction
    ingest: dict  # what the ingest child printed: docs, failed, seconds, triples, peak_rss_mb


def load_models() -> tuple[Any, Any]:
    """The bare spaCy model and lgkg's extractor (load once, time many corpora)."""
    from lgkg.extract.model import load_model
    from lgkg.extract.pipeline import Extractor

    return load_model(), Extractor()


def time_steps(
    folder: Path,
    batch_size: int,
    n_process: int,
    repeat: int,
    models: tuple[Any, Any] | None = None,
) -> Timings:
    """Time bare spaCy, lgkg's pipeline, extraction and ingest over the documents in ``folder``."""
    from lgkg.extract.clean import clean
    from lgkg.extract.sources import iter_sources

    sources = [s for s in iter_sources([str(folder)]) if not isinstance(s, Exception)]
    texts = [clean(s).text for s in sources]
    bare, extractor = models or load_models()
    kw = {"batch_size": batch_size, "n_process": n_process}
    consume(bare.pipe(texts[:8]))  # warm up both
    consume(extractor.extract_many(sources[:8]))
    return Timings(
        docs=len(sources),
        words=sum(len(t.split()) for t in texts),
        bare=best_of(repeat, lambda: consume(bare.pipe(texts, **kw))),
        pipeline=best_of(repeat, lambda: consume(extractor.nlp.pipe(texts, **kw))),
        extract=best_of(repeat, lambda: consume(extractor.extract_many(sources, **kw))),
        ingest=run_ingest(folder, batch_size, n_process),
    )


def measure(folder: Path, batch_size: int, n_process: int, repeat: int) -> list[list[str]]:
    t = time_steps(folder, batch_size, n_process, repeat)
    n, words, ingest = t.docs, t.words, t.ingest
    extract_rate = n / t.extract
    ingest_rate = ingest["docs"] / ingest["seconds"]
    return [
        ["bare nlp.pipe (en_core_web_sm)", f"{n / t.bare:.1f}", f"{words / t.bare:,.0f}", "1.00"],
        [
            "pipeline nlp.pipe (+ council ruler)",
            f"{n / t.pipeline:.1f}",
            f"{words / t.pipeline:,.0f}",
            f"{t.pipeline / t.bare:.2f}",
        ],
        [
            "extract (lgkg extraction)",
            f"{extract_rate:.1f}",
            f"{words / t.extract:,.0f}",
            f"{t.extract / t.bare:.2f}",
        ],
        [
            f"ingest (embedded store, {ingest['triples']:,} triples)",
            f"{ingest_rate:.1f}",
            f"{words / ingest['seconds']:,.0f}",
            f"{ingest['seconds'] / t.bare:.2f}",
        ],
        ["ingest / extract throughput", f"{100 * ingest_rate / extract_rate:.0f} %", "", ""],
        ["ingest peak RSS (largest process)", f"{ingest['peak_rss_mb']:.0f} MB", "", ""],
    ]


def machine() -> str:
    """The CPU model, the number of cores and the Python version, on one line."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def table(rows: list[list[str]], head: list[str]) -> str:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(head, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200, help="generated releases (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--batch-size", type=int, default=32, help="nlp.pipe batch (default 32)")
    parser.add_argument("--n-process", type=int, default=1, help="spaCy processes (default 1)")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per row (default 2)")
    parser.add_argument("--ingest-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ingest_child:
        ingest_child(args.ingest_child, args.batch_size, args.n_process)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "releases"
        write_releases(args.docs, args.seed, folder)
        rows = measure(folder, args.batch_size, args.n_process, args.repeat)
    print(
        f"{args.docs} generated releases (seed {args.seed}), batch size {args.batch_size}, "
        f"{args.n_process} process(es); {machine()}"
    )
    print(table(rows, ["step", "docs/s", "words/s", "time vs bare"]))


if __name__ == "__main__":
    main()
