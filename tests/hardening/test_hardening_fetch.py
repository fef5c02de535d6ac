"""Ingest fetches only what it should: http(s) on every hop, public addresses unless allowed.

The redirect tests need a first hop that is fetched and a second that is
refused, while both are on this machine (there is no other). Loopback is
itself a refused address, so the first hop is let through by the policy,
not by a loophole: ``FetchPolicy(trusted={("127.0.0.1", PORT)})`` trusts
exactly the redirecting test server (that host and port), and every other
target, loopback on another port included, is judged as in production.
Where a refused target is on this machine, a socket listens there and the
test checks afterwards that it never got a connection; every socket the
fetch opens is also recorded (``socket.create_connection``), so a target
that could not be listened on (10.0.0.1, 169.254.169.254) is shown never to
have been dialled either. Host names are made to resolve where the test
wants by patching ``socket.getaddrinfo`` for names under ``.test`` only.
"""

from __future__ import annotations

import ipaddress
import select
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from lgkg.cli import cli
from lgkg.extract.errors import BadInput
from lgkg.extract.sources import FetchPolicy, iter_sources, non_public_kind, read_source

PAGE = (
    "<html><head><title>Councils share a waste team</title></head><body><article>"
    "<h1>Councils share a waste team</h1><p>Mendip District Council and Sedgemoor District "
    "Council have agreed to create a shared waste service from April 2020.</p>"
    "</article></body></html>"
)
ALLOW = "pass --allow-private to fetch it"
ONLY_HTTP = "only http and https are fetched"


class RedirectServer:
    """A loopback server: ``/to?target=URL`` answers 302 to URL, ``/good`` a page.

    ``hosts`` records the Host header of every request.
    """

    def __init__(self) -> None:
        self.hosts: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_GET(self) -> None:
                owner.hosts.append(self.headers.get("Host", ""))
                parts = urlsplit(self.path)
                if parts.path == "/to":
                    self.send_response(302)
                    self.send_header("Location", parse_qs(parts.query)["target"][0])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = PAGE.encode("utf-8")
                self.send_response(200 if parts.path == "/good" else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def redirect(self, target: str) -> str:
        """The URL of this server that redirects to ``target``."""
        from urllib.parse import quote

        return f"{self.url}/to?target={quote(target, safe='')}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def web() -> Iterator[RedirectServer]:
    server = RedirectServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A socket listening on 127.0.0.1: a redirect target that must never be connected to."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    try:
        yield sock
    finally:
        sock.close()


def connections_accepted(sock: socket.socket, wait: float = 0.3) -> int:
    """How many connections reached the listening ``sock`` (waiting ``wait`` s for any)."""
    accepted = 0
    while select.select([sock], [], [], wait)[0]:
        conn, _ = sock.accept()
        conn.close()
        accepted += 1
        wait = 0.05
    return accepted


@pytest.fixture
def dialled(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every (address, port) the fetch opens a socket to."""
    calls: list[tuple[str, int]] = []
    real = socket.create_connection

    def recording(address: tuple[str, int], *args: Any, **kw: Any) -> socket.socket:
        calls.append((address[0], address[1]))
        return real(address, *args, **kw)

    monkeypatch.setattr(socket, "create_connection", recording)
    return calls


def resolve_test_names(
    monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]
) -> dict[str, int]:
    """Make each ``*.test`` name resolve to its addresses; returns the lookups per name."""
    real = socket.getaddrinfo
    lookups = dict.fromkeys(names, 0)

    def fake(host: str, port: Any, *args: Any, **kw: Any) -> list[Any]:
        if host not in names:
            return real(host, port, *args, **kw)
        lookups[host] += 1
        out = []
        for address in names[host]:
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
            out.append((family, socket.SOCK_STREAM, 6, "", sockaddr))
        return out

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return lookups


def refusal(url: str, **kw: Any) -> BadInput:
    with pytest.raises(BadInput) as err:
        read_source(url, timeout=5, **kw)
    assert err.value.document == url
    return err.value


# --------------------------------------------------------------------------- the address check


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("0.0.0.0", "an unspecified address"),
        ("127.0.0.1", "a loopback address"),
        ("127.1.2.3", "a loopback address"),
        ("169.254.169.254", "a link-local address"),
        ("10.0.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("224.0.0.1", "a multicast address"),
        ("240.0.0.1", "a private address"),  # reserved, and listed as private by ipaddress
        ("100.100.100.200", "a non-global address"),  # shared address space (a cloud metadata)
        ("::", "an unspecified address"),
        ("::1", "a loopback address"),
        ("fe80::1", "a link-local address"),
        ("fd00::1", "a private address"),
        ("ff02::1", "a multicast address"),
        ("::ffff:127.0.0.1", "a loopback address"),  # IPv4-mapped
        ("::ffff:169.254.169.254", "a link-local address"),
        ("2002:7f00:1::", "a loopback address"),  # 6to4 of 127.0.0.1
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
        ("::ffff:93.184.216.34", None),
    ],
)
def test_fetch_address_kinds(address: str, kind: str | None) -> None:
    assert non_public_kind(ipaddress.ip_address(address)) == kind


# --------------------------------------------------------------------------- the first hop


def test_fetch_loopback_url_refused_before_connecting(
    listener: socket.socket, dialled: list[tuple[str, int]]
) -> None:
    port = listener.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    err = refusal(url)
    assert err.reason == f"refused: 127.0.0.1 is a loopback address; {ALLOW}"
    assert str(err).startswith(url + ": refused")
    assert dialled == [] and connections_accepted(listener) == 0


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://[::1]:9/x", f"refused: ::1 is a loopback address; {ALLOW}"),
        (
            "http://[::ffff:127.0.0.1]:9/",
            f"refused: ::ffff:127.0.0.1 is a loopback address; {ALLOW}",
        ),
        (
            "http://169.254.169.254/latest/meta-data/",
            f"refused: 169.254.169.254 is a link-local address; {ALLOW}",
        ),
        ("https://10.0.0.1/", f"refused: 10.0.0.1 is a private address; {ALLOW}"),
        ("http://0.0.0.0:9/", f"refused: 0.0.0.0 is an unspecified address; {ALLOW}"),
        ("http://localhost:9/", "refused: localhost resolves to "),
    ],
)
def test_fetch_non_public_url_refused(
    url: str, reason: str, dialled: list[tuple[str, int]]
) -> None:
    assert refusal(url).reason.startswith(reason)
    assert dialled == []


def test_fetch_every_address_of_a_name_is_checked(
    monkeypatch: pytest.MonkeyPatch, dialled: list[tuple[str, int]]
) -> None:
    """A name with one private address among public ones is refused, naming that address."""
    resolve_test_names(monkeypatch, {"mixed.test": ["93.184.216.34", "10.1.2.3"]})
    err = refusal("http://mixed.test/news")
    assert err.reason == f"refused: mixed.test resolves to 10.1.2.3, a private address; {ALLOW}"
    resolve_test_names(monkeypatch, {"v6.test": ["2606:4700::1111", "::ffff:127.0.0.1"]})
    err = refusal("http://v6.test/news")
    assert "v6.test resolves to ::ffff:7f00:1, a loopback address" in err.reason
    assert dialled == []


def test_fetch_connects_to_the_address_it_checked(
    monkeypatch: pytest.MonkeyPatch, web: RedirectServer, dialled: list[tuple[str, int]]
) -> None:
    """One lookup per hop; the socket goes to that answer, the Host header names the host.

    The name resolves once only (a second lookup fails), so a DNS answer that
    changes after the check (DNS rebinding) is never asked for.
    """
    lookups = resolve_test_names(monkeypatch, {"news.test": ["127.0.0.1"]})
    policy = FetchPolicy(trusted=frozenset({("news.test", web.port)}))
    doc = read_source(f"http://news.test:{web.port}/good", timeout=5, policy=policy)
    assert "shared waste service" in doc.raw
    assert lookups == {"news.test": 1}
    assert dialled == [("127.0.0.1", web.port)]
    assert web.hosts == [f"news.test:{web.port}"]


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs openssl to make a certificate")
def test_fetch_https_names_the_host_while_connecting_to_the_checked_address(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, dialled: list[tuple[str, int]]
) -> None:
    """Over TLS the server name (SNI) and the certificate check are the host's, not the IP's."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    make_cert = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=news.test"
    make_cert += " -addext subjectAltName=DNS:news.test"
    subprocess.run(
        [*make_cert.split(), "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # the default context trusts it
    server = RedirectServer()
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server.httpd.socket = context.wrap_socket(server.httpd.socket, server_side=True)
    try:
        resolve_test_names(monkeypatch, {"news.test": ["127.0.0.1"]})
        trusted = frozenset({("news.test", server.port), ("127.0.0.1", server.port)})
        policy = FetchPolicy(trusted=trusted)
        doc = read_source(f"https://news.test:{server.port}/good", timeout=5, policy=policy)
        assert "shared waste service" in doc.raw
        assert names == ["news.test"] and server.hosts == [f"news.test:{server.port}"]
        assert dialled == [("127.0.0.1", server.port)]
        by_address = refusal(f"https://127.0.0.1:{server.port}/good", policy=policy)
        assert "certificate verify failed" in by_address.reason  # the name is checked
    finally:
        server.stop()


# --------------------------------------------------------------------------- redirects


def test_fetch_redirect_refused_before_any_connection(
    monkeypatch: pytest.MonkeyPatch,
    web: RedirectServer,
    listener: socket.socket,
    dialled: list[tuple[str, int]],
) -> None:
    """A redirect to ftp, file, data or a private address is refused before any connection is made.

    The redirecting server is trusted (that host and port only); each target
    is refused with its own reason, the ftp and loopback targets point at a
    socket that listens and never gets a connection, and the only socket
    ever opened is the one to the redirecting server.
    """
    port = listener.getsockname()[1]
    resolve_test_names(monkeypatch, {"metadata.test": ["169.254.169.254"]})
    policy = FetchPolicy(trusted=frozenset({("127.0.0.1", web.port)}))
    targets = {
        f"ftp://127.0.0.1:{port}/x": ONLY_HTTP,
        "file:///etc/passwd": ONLY_HTTP,
        "data:text/plain,Brent%20Council%20shares%20ICT": ONLY_HTTP,
        f"http://127.0.0.1:{port}/x": f"127.0.0.1 is a loopback address; {ALLOW}",
        f"http://localhost:{port}/x": "localhost resolves to ",
        "http://10.0.0.1/x": f"10.0.0.1 is a private address; {ALLOW}",
        "http://169.254.169.254/latest/meta-data/": f"169.254.169.254 is a link-local address; {ALLOW}",
        "http://metadata.test/latest/": f"metadata.test resolves to 169.254.169.254, a link-local address; {ALLOW}",
        f"http://[::ffff:127.0.0.1]:{port}/x": f"::ffff:127.0.0.1 is a loopback address; {ALLOW}",
    }
    for target, reason in targets.items():
        url = web.redirect(target)
        err = refusal(url, policy=policy)
        assert err.reason.startswith(f"redirect to {target} refused: {reason}"), err.reason
    assert connections_accepted(listener) == 0
    assert dialled == [("127.0.0.1", web.port)] * len(targets)


def test_fetch_allow_private_follows_private_redirects_but_never_ftp(
    web: RedirectServer, listener: socket.socket
) -> None:
    local = FetchPolicy(allow_private=True)
    doc = read_source(web.redirect(f"{web.url}/good"), timeout=5, policy=local)
    assert "shared waste service" in doc.raw
    port = listener.getsockname()[1]
    target = f"ftp://127.0.0.1:{port}/x"
    err = refusal(web.redirect(target), policy=local)
    assert err.reason == f"redirect to {target} refused: {ONLY_HTTP}"
    assert connections_accepted(listener) == 0


def test_fetch_refusal_does_not_stop_a_batch(web: RedirectServer) -> None:
    policy = FetchPolicy(trusted=frozenset({("127.0.0.1", web.port)}))
    items = list(
        iter_sources(
            [web.redirect("http://10.0.0.1/"), f"{web.url}/good"], timeout=5, policy=policy
        )
    )
    assert isinstance(items[0], BadInput) and "10.0.0.1 is a private address" in items[0].reason
    assert not isinstance(items[1], BadInput)


# --------------------------------------------------------------------------- through the CLI


@pytest.mark.slow
def test_fetch_cli_names_document_and_reason(
    tmp_path: Path, web: RedirectServer, listener: socket.socket
) -> None:
    """``lgkg ingest``: each refusal is a failed document with its reason; the batch goes on.

    Without --allow-private the loopback server itself is refused; with it,
    a redirect to ftp is still refused. The good file is ingested each time
    and the command exits 1, as for any bad document.
    """
    good = tmp_path / "good.txt"
    good.write_text(
        "Babergh District Council and Mid Suffolk District Council have agreed to share a "
        "legal service from April 2019.\n",
        encoding="utf-8",
    )
    store = str(tmp_path / "store")
    page = f"{web.url}/good"
    runner = CliRunner()

    result = runner.invoke(cli, ["ingest", page, str(good), "--store", store])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    reason = f"refused: 127.0.0.1 is a loopback address; {ALLOW}"
    assert f"failed {page}: {reason}" in lines
    assert any(line.startswith(f"ingested {good}: ") for line in lines), lines
    assert "2 documents: 1 ingested, 0 unchanged, 1 failed" in lines
    assert f"  {page}: {reason}" in lines
    assert web.hosts == []

    ftp = f"ftp://127.0.0.1:{listener.getsockname()[1]}/x"
    hop = web.redirect(ftp)
    args = ["ingest", hop, page, str(good), "--store", store, "--allow-private"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert f"failed {hop}: redirect to {ftp} refused: {ONLY_HTTP}" in lines
    assert any(line.startswith(f"ingested {page}: ") for line in lines), lines
    assert "3 documents: 1 ingested, 1 unchanged, 1 failed" in lines
    assert connections_accepted(listener) == 0
