"""A loopback HTTP server that misbehaves on purpose, for the bad-input tests.

Paths: ``/good`` (a press release), ``/flaky`` (good until ``flaky_fails`` is
set, then 500), ``/hang`` (accepts and never answers), ``/loop`` (redirects to
itself), ``/404``, ``/500`` and ``/endless`` (a text body that never ends).
Every request (GET or POST) is counted in ``hits`` by path.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GOOD_PAGE = (
    "<html><head><title>Councils share a waste team</title></head><body><article>"
    "<h1>Councils share a waste team</h1>"
    "<p>Mendip District Council and Sedgemoor District Council have agreed to create a "
    "shared waste service, which will start in April 2020.</p>"
    "<p>The partnership is expected to save £120,000 a year.</p>"
    "</article></body></html>"
)


class MisbehavingServer:
    """The server, run in a daemon thread on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.flaky_fails = False
        self.stop_event = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                owner.hits[path] += 1
                if path == "/good" or (path == "/flaky" and not owner.flaky_fails):
                    self._send(200, GOOD_PAGE.encode("utf-8"), "text/html; charset=utf-8")
                elif path == "/hang":
                    owner.stop_event.wait(30)
                elif path == "/loop":
                    self.send_response(302)
                    self.send_header("Location", "/loop")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif path == "/404":
                    self._send(404, b"not here", "text/plain")
                elif path in ("/500", "/flaky"):
                    self._send(500, b"broken", "text/plain")
                elif path == "/endless":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.end_headers()
                    line = b"Councils share services. " * 2600 + b"\n"
                    try:
                        while not owner.stop_event.is_set():
                            self.wfile.write(line)
                    except OSError:
                        return
                else:
                    self._send(404, b"unknown", "text/plain")

            def do_POST(self) -> None:
                owner.hits[self.path.split("?")[0]] += 1
                self._send(404, b"no", "text/plain")

            def _send(self, status: int, body: bytes, media: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stop_event.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
        time.sleep(0)
