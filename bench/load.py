"""A bounded load test of ``lgkg serve`` on loopback: N clients for a fixed time.

Starts ``lgkg serve`` on a free 127.0.0.1 port over a store (``--store``;
by default a fresh one with ``examples/`` ingested), then runs ``--clients``
threads for ``--seconds``, each sending a mix of requests one after the
other: named queries through ``/api/query``, SPARQL SELECT and ASK on
``/sparql``, the query page and a council page. Prints the number of
requests, the rate, p50/p90/p99/max latency and the errors (any status
other than 200, or a failed connection).

With ``--heavy N``, N more clients send ``SELECT * { ?s ?p ?o }`` (the
whole store, to the row cap) one after the other, and the ``--clients``
send only a cheap ``ASK`` every 50 ms: the figures are printed for each
kind, so the light clients' p99 shows whether heavy traffic starves them.
A 503 for a heavy client (queue full, or its deadline) is counted, not an
error; any failed connection is, and so is a server that died.

    python bench/load.py --clients 16 --seconds 30
    python bench/load.py --heavy 50 --clients 1 --seconds 30
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = [
    ("/api/query/events", {}),
    ("/api/query/partners", {"council": "Lewisham"}),
    ("/api/query/savings", {"format": "csv"}),
    ("/sparql", {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50"}),
    ("/sparql", {"query": "ASK { ?e a <https://w3id.org/lgkg/ns#PartnershipEvent> }"}),
    (
        "/sparql",
        {
            "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        },
    ),
    ("/api/council/Brent", {}),
    ("/", {}),
]
HEAVY = [("/sparql", {"query": "SELECT * { ?s ?p ?o }"})]
LIGHT = [("/sparql", {"query": "ASK { ?s ?p ?o }"})]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(store: Path, port: int, workers: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "lgkg.cli", "serve", "--store", str(store)]
    proc = subprocess.Popen(
        [*command, "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/sparql?query=ASK%20%7B%7D")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("lgkg serve did not start")


def client(
    port: int,
    stop_at: float,
    offset: int,
    latencies: list,
    errors: Counter,
    requests: list = REQUESTS,
    pause: float = 0.0,
    tolerated: frozenset = frozenset(),
) -> None:
    """One client: a keep-alive connection, requests one after the other until ``stop_at``
    (``pause`` seconds apart); statuses in ``tolerated`` are counted but no error."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for path, params in itertools.islice(itertools.cycle(requests), offset, None):
        if time.monotonic() >= stop_at:
            break
        time.sleep(pause)
        target = path + ("?" + urllib.parse.urlencode(params) if params else "")
        started = time.perf_counter()
        try:
            conn.request("GET", target, headers={"Accept": "application/sparql-results+json"})
            response = conn.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as err:
            errors[type(err).__name__] += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        latencies.append(time.perf_counter() - started)
        if status != 200:
            errors[f"HTTP {status}" + (" (tolerated)" if status in tolerated else "")] += 1
    conn.close()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1]


def report(name: str, clients: int, elapsed: float, latencies: list, errors: Counter) -> bool:
    """Print one kind of client's figures; True when it had errors (tolerated ones aside)."""
    total = len(latencies) + sum(v for k, v in errors.items() if not k.startswith("HTTP"))
    ms = [v * 1000 for v in latencies]
    print(f"{name}: {clients} clients, {total} requests ({total / elapsed:.0f}/s)")
    if len(ms) > 1:
        print(
            f"  latency ms: p50 {percentile(ms, 50):.1f}  p90 {percentile(ms, 90):.1f}"
            f"  p99 {percentile(ms, 99):.1f}  max {max(ms):.1f}"
        )
    print(f"  errors: {sum(errors.values())}" + (f" {dict(errors)}" if errors else ""))
    return any(not k.endswith("(tolerated)") for k in errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--heavy", type=int, default=0, help="clients sending SELECT * too")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4, help="lgkg serve --workers")
    parser.add_argument("--store", type=Path, help="a store to serve (default: examples/)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="lgkg-load-"))
    try:
        store = args.store
        if store is None:
            store = tmp / "store"
            command = [sys.executable, "-m", "lgkg.cli", "ingest", str(ROOT / "examples")]
            subprocess.run(
                [*command, "--store", str(store)],
                check=True,
                capture_output=True,
            )
        port = free_port()
        server = start_server(store, port, args.workers)
        try:
            light = ([], Counter())
            heavy = ([], Counter())
            stop_at = time.monotonic() + args.seconds
            kind = {"requests": LIGHT, "pause": 0.05} if args.heavy else {}
            threads = [
                threading.Thread(target=client, args=(port, stop_at, i, *light), kwargs=kind)
                for i in range(args.clients)
            ]
            threads += [
                threading.Thread(
                    target=client,
                    args=(port, stop_at, 0, *heavy),
                    kwargs={"requests": HEAVY, "tolerated": frozenset({503})},
                )
                for _ in range(args.heavy)
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            died = server.poll() is not None
        finally:
            server.terminate()
            server.wait(timeout=15)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{elapsed:.1f} s; server deaths: {int(died)}")
    failed = report("light" if args.heavy else "clients", args.clients, elapsed, *light)
    if args.heavy:
        failed = report("heavy", args.heavy, elapsed, *heavy) or failed
    if failed or died:
        sys.exit(1)


if __name__ == "__main__":
    main()
