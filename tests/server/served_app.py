"""Run the lgkg server (the ASGI app under uvicorn) in a thread on a free loopback port."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn

from lgkg.graph.store import OxigraphStore
from lgkg.server import ServerConfig, create_app

TESTS = Path(__file__).resolve().parents[1]
FIXTURE = TESTS / "fixtures" / "mini.trig"
W3C = TESTS.parents[1] / "shared" / "w3c" / "sparql11-protocol"
W3C_GRAPHS = {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf": f"data{i}.nt" for i in (1, 2, 3)}
TOKEN = "test-token-1234"


def load_w3c_data(store: OxigraphStore) -> None:
    """The protocol tests' data files, each in its named graph (when ../shared has them)."""
    from rdflib import Graph

    for graph_iri, name in W3C_GRAPHS.items():
        path = W3C / name
        if path.exists():
            store.replace_graph(graph_iri, Graph().parse(path, format="nt"))


class ServedApp:
    """A running server: ``url`` is its base URL (``http://127.0.0.1:PORT``)."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.endpoint = f"{self.url}/sparql"
        self._server = uvicorn.Server(
            uvicorn.Config(create_app(config), log_level="warning", lifespan="on")
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the lgkg server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)


def free_port() -> int:
    """A loopback TCP port nothing listens on at the moment (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
