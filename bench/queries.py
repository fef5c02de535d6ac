"""Benchmark: the five contract queries on generated graphs, lgkg against bare pyoxigraph.

For each size (default 100k, 1M and 10M triples) a graph from
``bench/graphgen.py`` is written as N-Quads and bulk-loaded into a fresh
on-disk :class:`~lgkg.graph.store.OxigraphStore` in a temporary folder
(deleted afterwards). Each contract query (docs/contract.md) is then timed two ways
on that store, with its parameters bound as ``lgkg query NAME --param k=v``
binds them:

- ``lgkg``: :func:`lgkg.queries.named.run_query`, the function the CLI and
  ``lgkg.open(...).query`` use: parameter binding, the query, and the
  conversion of every cell to an rdflib term;
- ``pyoxigraph``: the same query text with the same substitutions, prefixes
  and options straight to ``pyoxigraph.Store.query``, reading every cell.

One warm-up run each, then runs alternate between the two (``--repeat``, or
fewer when a query's runs pass ``--budget`` seconds, at least three; a query of
a few milliseconds runs for a second, up to 500 times). The
tables give p50 and p95 (nearest rank) per query and size, the ratio
lgkg/pyoxigraph of the p50s against the target (≤ 1.2), p50 < 1 s at 1M
triples, and the exponent ``b`` of ``time ≈ a · triples^b`` fitted over the
sizes (``bench/fit.py``). ``partners`` runs for two councils: one with the
median number of events and the busiest one. A query whose run at the next
size is projected (from its growth so far) beyond ``--max-run`` seconds is
skipped there. ``--alt NAME=FILE`` also times another text for a named query
on both paths (a candidate rewrite, say). Peak
memory is about 2 GB at 10M triples. Not part of the test suite.

    python bench/queries.py                       # 100k, 1M, 10M: about 40 minutes
    python bench/queries.py --sizes 20k,100k --repeat 5
    python bench/queries.py --alt partners=my-partners.rq
"""

from __future__ import annotations

import argparse
import contextlib
import math
import re
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from fit import exponent, loglog_fit  # noqa: E402
from graphgen import GraphInfo, load_nquads, write_nquads  # noqa: E402
from run import machine, table  # noqa: E402

from lgkg.extract.gazetteer import Gazetteer  # noqa: E402
from lgkg.graph.store import PREFIXES, OxigraphStore  # noqa: E402
from lgkg.graph.terms import to_ox  # noqa: E402
from lgkg.queries.named import bind_params, get_query, run_query  # noqa: E402

RATIO_TARGET = 1.2
P50_TARGET_SECONDS = 1.0
P50_TARGET_SIZE = 1_000_000
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kKmM]?)")


def parse_size(text: str) -> int:
    """A size in triples: ``"250000"``, ``"100k"``, ``"1M"``, ``"2.5m"``.

    >>> parse_size("100k"), parse_size("1M"), parse_size("2.5m"), parse_size("20000")
    (100000, 1000000, 2500000, 20000)
    """
    match = _SIZE.fullmatch(text.strip())
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 100k, 1M, 250000)")
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return round(float(match.group(1)) * scale)


def sizes_arg(text: str) -> list[int]:
    """A comma-separated list of sizes, sorted.

    >>> sizes_arg("1M,100k")
    [100000, 1000000]
    """
    sizes = sorted({parse_size(part) for part in text.split(",") if part.strip()})
    if not sizes:
        raise argparse.ArgumentTypeError("give at least one size")
    return sizes


def short_size(n: float) -> str:
    """``1000000`` as ``"1M"``, ``100000`` as ``"100k"``.

    >>> short_size(10_000_000), short_size(100_000), short_size(20_500)
    ('10M', '100k', '20.5k')
    """
    for unit, scale in (("M", 1_000_000), ("k", 1_000)):
        if n >= scale:
            return f"{n / scale:.3g}{unit}"
    return str(n)


def p50(samples: list[float]) -> float:
    """The median.

    >>> p50([3.0, 1.0, 2.0, 10.0])
    2.5
    """
    ordered = sorted(samples)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def p95(samples: list[float]) -> float:
    """The 95th percentile, nearest rank (the largest sample when there are fewer than 20).

    >>> p95([1.0, 2.0, 3.0]), p95([float(i) for i in range(1, 41)])
    (3.0, 38.0)
    """
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass(frozen=True)
class Case:
    """One contract query with the parameters the CLI would be given."""

    label: str
    name: str
    params: dict[str, str] = field(default_factory=dict)
    text: str | None = None  # another text for the query (``--alt``), else the named query's


def council_param(code: str, gazetteer: Gazetteer) -> str:
    """A council as a user would type it: its short name when that finds it, else its code."""
    council = gazetteer.by_code(code)
    if council is not None:
        found = gazetteer.lookup(council.short_name)
        if found is not None and found.code == council.code:
            return council.short_name
    return code


def cases(
    info: GraphInfo, gazetteer: Gazetteer, alternatives: dict[str, str] | None = None
) -> list[Case]:
    """The five contract queries; ``partners`` for a median and for the busiest council.

    ``alternatives`` maps a query name to another text for it: each case of that
    query is then timed a second time with that text, labelled ``[alt]``.
    """
    named = [
        Case("events", "events"),
        Case("savings", "savings"),
        Case("quotes", "quotes"),
        Case(
            "partners (median council)",
            "partners",
            {"council": council_param(info.typical_council(), gazetteer)},
        ),
        Case(
            "partners (busiest council)",
            "partners",
            {"council": council_param(info.busiest_council(), gazetteer)},
        ),
        Case("provenance (an event)", "provenance", {"subject": info.sample_event}),
    ]
    out = []
    for case in named:
        out.append(case)
        if alternatives and case.name in alternatives:
            out.append(Case(f"{case.label} [alt]", case.name, case.params, alternatives[case.name]))
    return out


def lgkg_path(store: OxigraphStore, case: Case) -> Callable[[], int]:
    """lgkg's own path: ``run_query`` as the CLI calls it; returns the number of rows.

    For another text (``--alt``): ``bind_params`` and ``store.select``, which is
    what ``run_query`` does with the named query's text.
    """
    if case.text is not None:
        q, text = get_query(case.name), case.text

        def run_text() -> int:
            return len(store.select(text, bind_params(q, case.params))[1])

        return run_text

    def run() -> int:
        return len(run_query(store, case.name, case.params)[1])

    return run


def pyoxigraph_path(store: OxigraphStore, case: Case) -> Callable[[], int]:
    """The same query text (the plan ``run_query`` picks for this store, or the ``--alt``
    text), substitutions and options on the pyoxigraph store itself. It takes the rows
    as the engine gives them: what a plan leaves to lgkg (unmarking, sorting) is done
    on lgkg's side only."""
    q = get_query(case.name)
    substitutions = {ox.Variable(k): to_ox(v) for k, v in bind_params(q, case.params).items()}
    native, text = store.native, case.text or q.plan_for(store).text

    def run() -> int:
        result = native.query(
            text,
            prefixes=PREFIXES,
            use_default_graph_as_union=store.union_default_graph,
            substitutions=substitutions or None,
        )
        return len([tuple(solution) for solution in result])

    return run


@dataclass
class Timing:
    """The samples of one case at one size."""

    rows: int
    lgkg: list[float]
    oxigraph: list[float]

    @property
    def ratio(self) -> float:
        return p50(self.lgkg) / p50(self.oxigraph)


def timed(run: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    rows = run()
    return time.perf_counter() - started, rows


_FAST_SAMPLING = 1.0  # seconds: a query of a few ms is timed this long, not ``repeat`` times
_FAST_MAX_RUNS = 500


def time_case(store: OxigraphStore, case: Case, repeat: int, budget: float) -> Timing:
    """Warm up both paths, then alternate timed runs until ``repeat`` or the budget is spent.

    A fast query goes on until both paths have been timed for ``_FAST_SAMPLING`` seconds
    (at most ``_FAST_MAX_RUNS`` runs each): a p50 of a few millisecond-long runs is
    mostly the scheduler's noise.
    """
    paths = {"lgkg": lgkg_path(store, case), "oxigraph": pyoxigraph_path(store, case)}
    warm = {name: timed(run) for name, run in paths.items()}
    if warm["lgkg"][1] != warm["oxigraph"][1]:
        lg, raw = warm["lgkg"][1], warm["oxigraph"][1]
        raise RuntimeError(f"{case.label}: lgkg gave {lg} rows, pyoxigraph {raw}")
    samples: dict[str, list[float]] = {"lgkg": [], "oxigraph": []}
    started = time.perf_counter()
    i = 0
    sampling = min(_FAST_SAMPLING, budget)  # the budget bounds the extra runs too
    while i < repeat or (time.perf_counter() - started < sampling and i < _FAST_MAX_RUNS):
        if i >= 3 and time.perf_counter() - started > budget:
            break
        order = ("lgkg", "oxigraph") if i % 2 == 0 else ("oxigraph", "lgkg")
        for name in order:
            samples[name].append(timed(paths[name])[0])
        i += 1
    return Timing(warm["lgkg"][1], samples["lgkg"], samples["oxigraph"])


@dataclass
class SizeResult:
    """One size: the graph, how long it took to make and load, and each case's timing."""

    target: int
    info: GraphInfo
    generate_seconds: float
    load_seconds: float
    file_mb: float
    store_mb: float
    timings: dict[str, Timing]
    skipped: dict[str, str]


def _folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def measure_size(
    target: int,
    seed: int,
    repeat: int,
    budget: float,
    skip: Callable[[Case], str | None],
    workdir: str | None,
    alternatives: dict[str, str] | None = None,
    in_memory: bool = False,
) -> SizeResult:
    """Generate, load and query one graph of ``target`` triples; the folder is deleted after.

    With ``in_memory`` the queries run on an in-memory copy of the loaded store
    (what ``lgkg serve --in-memory`` serves), both paths alike.
    """
    gazetteer = Gazetteer.load()
    with tempfile.TemporaryDirectory(prefix="lgkg-bench-queries-", dir=workdir) as tmp:
        nquads = Path(tmp) / "graph.nq"
        started = time.perf_counter()
        with nquads.open("wb", buffering=1 << 20) as out:
            info = write_nquads(out, target, seed)
        generated = time.perf_counter() - started
        file_mb = nquads.stat().st_size / 1e6
        timings: dict[str, Timing] = {}
        skipped: dict[str, str] = {}
        with OxigraphStore(Path(tmp) / "store") as store:
            started = time.perf_counter()
            load_nquads(store, nquads)
            loaded = time.perf_counter() - started
            nquads.unlink()
            if store.count() != info.triples:
                raise RuntimeError(f"store holds {store.count()} quads, expected {info.triples}")
            store_mb = _folder_mb(Path(tmp) / "store")
            queried = store.in_memory_copy() if in_memory else store
            for case in cases(info, gazetteer, alternatives):
                reason = skip(case)
                if reason:
                    skipped[case.label] = reason
                    continue
                timings[case.label] = time_case(queried, case, repeat, budget)
                t = timings[case.label]
                print(
                    f"  {short_size(target)} {case.label}: {t.rows} rows, "
                    f"lgkg {p50(t.lgkg):.3f} s, pyoxigraph {p50(t.oxigraph):.3f} s",
                    file=sys.stderr,
                )
    return SizeResult(target, info, generated, loaded, file_mb, store_mb, timings, skipped)


def mark(ok: bool) -> str:
    return "✓" if ok else "✗"


def size_rows(results: list[SizeResult]) -> list[list[str]]:
    return [
        [
            short_size(r.target),
            f"{r.info.triples:,}",
            f"{r.info.documents:,}",
            f"{r.info.partnerships:,}",
            f"{r.info.events:,}",
            f"{r.generate_seconds:.1f}",
            f"{r.info.triples / r.generate_seconds:,.0f}",
            f"{r.load_seconds:.1f}",
            f"{r.info.triples / r.load_seconds:,.0f}",
            f"{r.file_mb:,.0f}",
            f"{r.store_mb:,.0f}",
        ]
        for r in results
    ]


def query_rows(result: SizeResult, labels: list[str]) -> list[list[str]]:
    rows = []
    for label in labels:
        if label in result.skipped:
            rows.append([label, "skipped", *[""] * 9])
            continue
        t = result.timings[label]
        lg, ox_ = p50(t.lgkg), p50(t.oxigraph)
        under = ""
        if result.target == P50_TARGET_SIZE:
            under = f"{mark(lg < P50_TARGET_SECONDS)} {lg:.2f} s"
        rows.append(
            [
                label,
                f"{t.rows:,}",
                str(len(t.lgkg)),
                f"{lg * 1000:,.1f}",
                f"{p95(t.lgkg) * 1000:,.1f}",
                f"{ox_ * 1000:,.1f}",
                f"{p95(t.oxigraph) * 1000:,.1f}",
                f"{(lg - ox_) * 1000:,.1f}",
                f"{t.ratio:.2f}",
                mark(t.ratio <= RATIO_TARGET),
                under,
            ]
        )
    return rows


def growth_rows(results: list[SizeResult], labels: list[str]) -> list[list[str]]:
    rows = []
    for label in labels:
        measured = [r for r in results if label in r.timings]
        sizes = [r.info.triples for r in measured]
        lg = [p50(r.timings[label].lgkg) for r in measured]
        raw = [p50(r.timings[label].oxigraph) for r in measured]
        counts = [r.timings[label].rows for r in measured]
        rows.append(
            [
                label,
                *(
                    f"{p50(r.timings[label].lgkg):.3f}" if label in r.timings else "–"
                    for r in results
                ),
                exponent(sizes, lg),
                exponent(sizes, raw),
                exponent(sizes, counts),
                str(len(measured)),
            ]
        )
    return rows


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def alt_arg(text: str) -> tuple[str, str]:
    """``NAME=FILE``: another text for the named query NAME, read from FILE."""
    name, sep, path = text.partition("=")
    if not sep or not name or not Path(path).is_file():
        raise argparse.ArgumentTypeError(f"expected NAME=FILE with an existing file: {text!r}")
    get_query(name)  # KeyError for an unknown name
    return name, Path(path).read_text(encoding="utf-8")


def projected_seconds(history: list[tuple[int, float]], size: int) -> float:
    """A query's time at ``size`` triples, extrapolated from its ``(triples, seconds)`` so far.

    The exponent is the one fitted over the sizes measured (at least 1, as no
    query gets cheaper with size); after one size, 2 (quadratic: cautious).

    >>> round(projected_seconds([(100_000, 1.0)], 1_000_000))
    100
    >>> round(projected_seconds([(100_000, 1.0), (1_000_000, 10.0)], 10_000_000))
    100
    """
    (last_size, last_seconds) = history[-1]
    b = 2.0
    if len(history) > 1:
        with contextlib.suppress(ValueError):  # two runs at one size: keep the cautious 2
            b = max(1.0, loglog_fit([n for n, _ in history], [t for _, t in history])[1])
    return last_seconds * (size / last_size) ** b


def skip_reason(results: list[SizeResult], case: Case, size: int, max_run: float) -> str | None:
    """Why ``case`` is not run at ``size`` (skipped before, or projected over ``max_run``)."""
    if any(case.label in r.skipped for r in results):
        return "skipped at a smaller size"
    history = [(r.info.triples, p50(r.timings[case.label].lgkg)) for r in results]
    if history:
        projected = projected_seconds(history, size)
        if projected > max_run:
            return f"one run projected at ~{projected:,.0f} s (over --max-run {max_run:g} s)"
    return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=sizes_arg,
        default=[100_000, 1_000_000, 10_000_000],
        help="graph sizes in triples (default 100k,1M,10M)",
    )
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--repeat", type=int, default=9, help="timed runs per path (default 9)")
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="stop repeating a query after this many seconds, at 3 runs or more (default 60)",
    )
    parser.add_argument(
        "--max-run",
        type=float,
        default=300.0,
        help="skip a query at a size where one run is projected to take longer than this "
        "many seconds, from its growth over the sizes before (default 300)",
    )
    parser.add_argument(
        "--alt",
        type=alt_arg,
        action="append",
        default=[],
        metavar="NAME=FILE",
        help="also time another text for the named query NAME (repeatable)",
    )
    parser.add_argument("--workdir", help="folder for the temporary stores (default: system temp)")
    parser.add_argument(
        "--in-memory",
        action="store_true",
        help="query an in-memory copy of each loaded store (as lgkg serve --in-memory does)",
    )
    args = parser.parse_args(argv)
    alternatives = dict(args.alt)
    where = "in-memory copies of the stores" if args.in_memory else "on-disk stores"
    print(
        f"lgkg contract queries on generated graphs (seed {args.seed}, {where}); {machine()}",
        flush=True,
    )
    results: list[SizeResult] = []
    for target in args.sizes:

        def skip(case: Case, target: int = target) -> str | None:
            return skip_reason(results, case, target, args.max_run)

        results.append(
            measure_size(
                target,
                args.seed,
                args.repeat,
                args.budget,
                skip,
                args.workdir,
                alternatives,
                in_memory=args.in_memory,
            )
        )
    report(results, alternatives)


def report(results: list[SizeResult], alternatives: dict[str, str]) -> None:
    """Print the tables: sizes, each size's queries, and growth."""
    gazetteer = Gazetteer.load()
    labels = [c.label for c in cases(results[0].info, gazetteer, alternatives)]
    print()
    print(
        table(
            size_rows(results),
            [
                "size",
                "triples",
                "documents",
                "partnerships",
                "events",
                "generate s",
                "triples/s",
                "load s",
                "triples/s",
                "N-Quads MB",
                "store MB",
            ],
        )
    )
    for r in results:
        print()
        councils = [
            f"{council_param(code, gazetteer)} ({r.info.council_events[code]} events)"
            for code in (r.info.typical_council(), r.info.busiest_council())
        ]
        print(
            f"{short_size(r.target)} triples ({r.info.triples:,}); partners for "
            + " and ".join(councils)
        )
        print(
            table(
                query_rows(r, labels),
                [
                    "query",
                    "rows",
                    "runs",
                    "lgkg p50 ms",
                    "lgkg p95 ms",
                    "pyox p50 ms",
                    "pyox p95 ms",
                    "lgkg-pyox ms",
                    "ratio",
                    f"≤{RATIO_TARGET}",
                    f"p50<1s @{short_size(P50_TARGET_SIZE)}",
                ],
            )
        )
        for label, reason in r.skipped.items():
            print(f"  skipped {label}: {reason}")
    if len(results) > 1:
        print()
        print("growth: p50 of lgkg's path in seconds at each size; b fitted over the sizes")
        print(
            table(
                growth_rows(results, labels),
                [
                    "query",
                    *(f"{short_size(r.target)} s" for r in results),
                    "b lgkg",
                    "b pyoxigraph",
                    "b rows",
                    "sizes fitted",
                ],
            )
        )
    print(f"\npeak RSS of this process: {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
