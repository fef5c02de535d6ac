"""Helpers the hardening tests share: ``lgkg serve`` as a subprocess, generated documents,
a store folder holding the mini fixture."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

LGKG = [sys.executable, "-m", "lgkg.cli"]
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "mini.trig"
TOKEN = "hardening-token-5678"
PAIRS = [
    ("Adur District Council", "Worthing Borough Council"),
    ("Babergh District Council", "Mid Suffolk District Council"),
    ("Brent Council", "Lewisham Council"),
    ("Cheltenham Borough Council", "Tewkesbury Borough Council"),
    ("Dartford Borough Council", "Sevenoaks District Council"),
]
SERVICES = ["legal", "ICT", "waste", "revenues and benefits"]
DOCS = 20


def mini_store(path: Path, bulk: int = 0) -> Path:
    """A store folder at ``path`` holding the mini fixture and, in a graph of their own
    (``urn:bulk``), ``bulk`` more triples, so whole-store queries have work to do."""
    import pyoxigraph as ox

    from lgkg.graph.store import OxigraphStore, load_dataset

    with OxigraphStore(path) as store:
        load_dataset(store, FIXTURE.read_bytes())
        graph = ox.NamedNode("urn:bulk")
        store.native.extend(
            ox.Quad(
                ox.NamedNode(f"urn:n/{i}"), ox.NamedNode(f"urn:p/{i % 7}"), ox.Literal(i), graph
            )
            for i in range(bulk)
        )
    return path


def write_documents(folder: Path) -> None:
    """DOCS short press releases, each long enough that extraction takes a moment."""
    folder.mkdir()
    for i in range(DOCS):
        first, second = PAIRS[i % len(PAIRS)]
        service = SERVICES[i % len(SERVICES)]
        body = [
            f"---\nurl: https://example.org/news/crash-{i}\npublished: 2019-0{1 + i % 9}-10\n---",
            f"{first} and {second} have agreed to create a shared {service} service.",
            f"The shared {service} service will start in April 202{i % 5}.",
            f"The partnership is expected to save £{100 + i},000 a year.",
        ]
        body += [
            f"Councillors discussed item {k} of the {service} plan at length." for k in range(40)
        ]
        (folder / f"doc-{i:02d}.txt").write_text("\n\n".join(body) + "\n", encoding="utf-8")


class Served:
    """``lgkg serve`` in a subprocess on a free loopback port."""

    def __init__(self, *args: str) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.proc = subprocess.Popen(
            [*LGKG, "serve", "--port", str(self.port), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if self.get("/sparql", {"query": "ASK {}"})[0] == 200:
                    return
            except OSError:
                pass
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("lgkg serve did not start")
            time.sleep(0.2)

    def request(
        self,
        method: str,
        path: str,
        params: dict | None = None,
        body: bytes | None = None,
        headers: dict | None = None,
        timeout: float = 30,
    ) -> tuple[int, bytes]:
        target = path + ("?" + urllib.parse.urlencode(params) if params else "")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, target, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def get(self, path: str, params: dict | None = None, **kw) -> tuple[int, bytes]:
        return self.request("GET", path, params, **kw)

    def query(self, text: str, **kw) -> tuple[int, bytes]:
        return self.get("/sparql", {"query": text}, headers={"Accept": "application/json"}, **kw)

    def update(self, text: str, token: str | None = TOKEN) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/sparql-update"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.request("POST", "/sparql", body=text.encode("utf-8"), headers=headers)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
