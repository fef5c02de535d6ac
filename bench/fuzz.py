"""Fuzz the SPARQL endpoint: thousands of generated queries against a fresh ``lgkg serve``.

It builds a temporary store holding ``tests/fixtures/mini.trig`` (no
ingest), starts ``lgkg serve`` over it on a free port of 127.0.0.1 (memory
capped, ``--timeout`` short) and sends ``--examples`` queries drawn by
hypothesis from ``tests/hardening/sparql_grammar.py``: well-formed
SELECT/ASK/CONSTRUCT/DESCRIBE queries, mutated ones, hostile shapes (deep
nesting, long operator chains, big VALUES blocks, string doubling) and junk,
by GET, POST form and POST ``application/sparql-query``. After each query
the server must still run and answer ``ASK {}``. When it dies (or stops
answering) the query is recorded and a new server is started, up to
``--max-deaths`` times. It talks to 127.0.0.1 only and stops after
``--examples`` queries or ``--max-seconds``, whichever comes first.

It prints the queries sent, the statuses, the server deaths and the queries
that caused them, unacceptable answers (a 5xx other than 503, or no answer),
the largest latency and the slowest kinds of query. The exit status is 1
when the server died or an answer was unacceptable. The same ``--seed``
sends the same queries.

    python bench/fuzz.py --examples 5000 --seed 0
    python bench/fuzz.py --examples 300 --timeout 2 --log /tmp/fuzz.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "hardening"))

from endpoint_fuzzer import (  # noqa: E402
    ACCEPTS,
    MEMORY_LIMIT,
    TRANSPORTS,
    FuzzServer,
    History,
    Outcome,
)
from hardening_helpers import mini_store  # noqa: E402
from sparql_grammar import FuzzQuery, fuzz_queries, shorten  # noqa: E402


@dataclass
class Death:
    kind: str
    transport: str
    status: int | None
    text: str
    stderr: str
    before: str  # the queries sent just before (one answered 503 may still have been running)


@dataclass
class FuzzRun:
    """Sends queries to a server, restarting it when it dies; keeps the tallies."""

    folder: Path
    timeout: float
    workers: int
    memory: int | None
    request_timeout: float
    max_seconds: float
    max_deaths: int
    log: object | None = None
    started: float = field(default_factory=time.monotonic)
    server: FuzzServer | None = None
    sent: int = 0
    skipped: int = 0
    statuses: Counter = field(default_factory=Counter)
    transports: Counter = field(default_factory=Counter)
    deaths: list[Death] = field(default_factory=list)
    unacceptable: list[tuple[str, str, Outcome]] = field(default_factory=list)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    kind_statuses: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    slowest: tuple[float, str, str] = (0.0, "", "")
    history: History = field(default_factory=History)

    def start(self) -> None:
        store = self.folder / "store"
        if not store.exists():
            mini_store(store)
        self.server = FuzzServer(
            store,
            self.folder / f"serve-{len(self.deaths)}.log",
            timeout=self.timeout,
            workers=self.workers,
            memory=self.memory,
        )

    def stopped(self) -> bool:
        over_time = time.monotonic() - self.started > self.max_seconds
        return over_time or len(self.deaths) > self.max_deaths or self.server is None

    def one(self, query: FuzzQuery, transport: str, accept: str | None) -> None:
        if self.stopped():
            self.skipped += 1
            return
        server = self.server
        outcome = server.send(query, transport, accept, timeout=self.request_timeout)
        self.sent += 1
        self.history.add(query, outcome)
        self.statuses[outcome.status] += 1
        self.transports[outcome.transport] += 1
        self.latency[query.kind].append(outcome.seconds)
        self.kind_statuses[query.kind][outcome.status] += 1
        if outcome.seconds > self.slowest[0]:
            self.slowest = (outcome.seconds, query.kind, str(shorten(query.text, 120)))
        if self.log:
            record = {
                "kind": query.kind,
                "chars": len(query.text),
                "transport": outcome.transport,
                "accept": accept,
                "status": outcome.status,
                "seconds": round(outcome.seconds, 4),
                "error": outcome.error,
            }
            self.log.write(json.dumps(record) + "\n")
        if not server.healthy():
            code = server.proc.poll()
            self.deaths.append(
                Death(
                    query.kind,
                    outcome.transport,
                    outcome.status,
                    str(shorten(query.text)),
                    f"exit {code}: " + server.stderr_tail(300) if code is not None else "hung",
                    self.history.describe(skip_last=True),
                )
            )
            print(
                f"  server died on query {self.sent} ({query.kind}, {outcome.transport})",
                file=sys.stderr,
            )
            server.stop()
            self.server = None
            self.history = History()
            if len(self.deaths) <= self.max_deaths:
                self.start()
        elif not outcome.ok:
            self.unacceptable.append((query.kind, str(shorten(query.text)), outcome))

    def close(self) -> None:
        if self.server is not None:
            self.server.stop()


def summary(run: FuzzRun, elapsed: float) -> str:
    lines = [
        f"queries sent: {run.sent:,} in {elapsed:.0f} s"
        + (f" ({run.skipped:,} drawn but not sent: time or deaths ran out)" if run.skipped else ""),
        "statuses: "
        + ", ".join(f"{'no answer' if s is None else s}: {n:,}" for s, n in _sorted(run.statuses)),
        "transports: " + ", ".join(f"{t}: {n:,}" for t, n in sorted(run.transports.items())),
        f"server deaths: {len(run.deaths)}",
    ]
    for death in run.deaths:
        lines.append(
            f"  - {death.kind} by {death.transport} (status {death.status}): {death.text!r}\n"
            f"    stderr: {death.stderr!r}"
        )
        if death.before:
            lines.append("    " + death.before.replace("\n", "\n    "))
    lines.append(f"unacceptable answers (5xx but 503, or none): {len(run.unacceptable)}")
    for kind, text, outcome in run.unacceptable[:10]:
        lines.append(
            f"  - {kind} by {outcome.transport}: {outcome.status} {outcome.error} {text!r}"
        )
    seconds, kind, text = run.slowest
    lines.append(f"max latency: {seconds:.2f} s ({kind}: {text!r})")
    lines.append("slowest kinds (by max latency):")
    lines.append(f"  {'kind':<26} {'sent':>5} {'max s':>7} {'mean s':>7}  statuses")
    ranked = sorted(run.latency.items(), key=lambda kv: -max(kv[1]))
    for kind, times in ranked[:15]:
        counts = ", ".join(
            f"{'none' if s is None else s}×{n}" for s, n in _sorted(run.kind_statuses[kind])
        )
        lines.append(
            f"  {kind:<26} {len(times):>5} {max(times):>7.2f} {sum(times) / len(times):>7.3f}  "
            f"{counts}"
        )
    return "\n".join(lines)


def _sorted(counter: Counter) -> list:
    return sorted(counter.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=5000, help="queries to send (5000)")
    parser.add_argument("--seed", type=int, default=0, help="hypothesis seed (0)")
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's --timeout (2)")
    parser.add_argument("--workers", type=int, default=4, help="the server's --workers (4)")
    parser.add_argument(
        "--memory-gib",
        type=float,
        default=MEMORY_LIMIT / 1024**3,
        help="cap on the server's data segment in GiB, 0 for none (4)",
    )
    parser.add_argument(
        "--request-timeout", type=float, default=60, help="seconds to wait for one answer (60)"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=3600, help="stop sending after this long (3600)"
    )
    parser.add_argument(
        "--max-deaths", type=int, default=20, help="restart a dead server this many times (20)"
    )
    parser.add_argument("--log", type=Path, help="write one JSON line per query to this file")
    args = parser.parse_args(argv)

    from hypothesis import HealthCheck, Phase, given, seed, settings
    from hypothesis import strategies as st

    log = args.log.open("w", encoding="utf-8") if args.log else None
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lgkg-fuzz-") as tmp:
        run = FuzzRun(
            Path(tmp),
            timeout=args.timeout,
            workers=args.workers,
            memory=int(args.memory_gib * 1024**3) or None,
            request_timeout=args.request_timeout,
            max_seconds=args.max_seconds,
            max_deaths=args.max_deaths,
            log=log,
        )
        run.start()

        @seed(args.seed)
        @settings(
            max_examples=args.examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(
            query=fuzz_queries(),
            transport=st.sampled_from(TRANSPORTS),
            accept=st.sampled_from(ACCEPTS),
        )
        def fuzz(query: FuzzQuery, transport: str, accept: str | None) -> None:
            run.one(query, transport, accept)

        try:
            fuzz()
        finally:
            run.close()
            if log:
                log.close()
    print(summary(run, time.monotonic() - started))
    return 1 if run.deaths or run.unacceptable else 0


if __name__ == "__main__":
    sys.exit(main())
