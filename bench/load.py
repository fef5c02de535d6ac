"""A bounded load test of ``lgkg serve`` on loopback: N clients for a fixed time.

Starts ``lgkg serve`` on a free 127.0.0.1 port over a store (``--store``;
by default a fresh one with ``examples/`` ingested), then runs ``--clients``
threads for ``--seconds``, each sending a mix of requests one after the
other: named queries through ``/api/query``, SPARQL SELECT and ASK on
``/sparql``, the query page and a council page. Prints the number of
requests, the rate, p50/p90/p99/max latency and the errors (any status
other than 200, or a failed connection).

    python bench/load.py --clients 16 --seconds 30
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


def client(port: int, stop_at: float, offset: int, latencies: list, errors: Counter) -> None:
    """One client: a keep-alive connection, requests one after the other until ``stop_at``."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for path, params in itertools.islice(itertools.cycle(REQUESTS), offset, None):
        if time.monotonic() >= stop_at:
            break
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
            errors[f"HTTP {status}"] += 1
    conn.close()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
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
            latencies: list[float] = []
            errors: Counter[str] = Counter()
            stop_at = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=client, args=(port, stop_at, i, latencies, errors))
                for i in range(args.clients)
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            server.terminate()
            server.wait(timeout=15)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    total = len(latencies) + sum(v for k, v in errors.items() if not k.startswith("HTTP"))
    ms = [v * 1000 for v in latencies]
    print(f"{args.clients} clients, {elapsed:.1f} s, {total} requests ({total / elapsed:.0f}/s)")
    if ms:
        print(
            f"latency ms: p50 {percentile(ms, 50):.1f}  p90 {percentile(ms, 90):.1f}"
            f"  p99 {percentile(ms, 99):.1f}  max {max(ms):.1f}"
        )
    print(f"errors: {sum(errors.values())}" + (f" {dict(errors)}" if errors else ""))
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
