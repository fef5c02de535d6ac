"""Reading documents: front matter, HTML, bad input of every kind, and URLs."""

from __future__ import annotations

import codecs
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lgkg.extract.errors import BadInput
from lgkg.extract.sources import (
    FetchPolicy,
    SourceDoc,
    iter_sources,
    looks_like_html,
    normalise_date,
    parse_front_matter,
    read_source,
    source_from_text,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev"

PAGE = """<!DOCTYPE html>
<html><head><title>Two councils to share a legal team | Town News</title>
<link rel="canonical" href="https://news.example.org/legal-team">
<meta property="article:published_time" content="2019-06-03T08:00:00Z">
<style>.nav { color: red; } STYLE_MARKER</style>
<script>var marker = "SCRIPT_MARKER";</script></head>
<body><nav><a href="/">Home</a> <a href="/news">NAV_MARKER News</a></nav>
<article><h1>Two councils to share a legal team</h1>
<p>Northvale Council and Eastmere Council agreed on Monday to share their legal services
from next April, the two councils said in a joint statement.</p>
<p>The councils expect the shared team to save them about £200,000 a year between them,
according to a report to both cabinets.</p>
<p>Staff will move to one team based in the Northvale civic offices during the summer
once the staff consultation has finished.</p></article>
<iframe src="https://ads.example.org/IFRAME_MARKER"></iframe>
<footer>FOOTER_MARKER Copyright Town News. All rights reserved.</footer></body></html>
"""


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return str(path)


# --------------------------------------------------------------------------- dates and front matter


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2016-04-01", "2016-04-01"),
        ("2016-04", "2016-04"),
        ("2016", "2016"),
        ("unknown", None),
        ("", None),
        (None, None),
        ("1 April 2016", "2016-04-01"),
        ("1st April 2016", "2016-04-01"),
        ("Friday, 1 April 2016", "2016-04-01"),
        ("April 2016", "2016-04"),
        ("Sept 2016", "2016-09"),
        ("April 1, 2016", "2016-04-01"),
        ("01/04/2016", "2016-04-01"),
        ("2016-04-01T09:00:00+01:00", "2016-04-01"),
        ("2016-02-30", None),
        ("31 February 2016", None),
        ("next week", None),
        (2016, "2016"),
    ],
)
def test_sources_normalise_date(value, expected):
    assert normalise_date(value) == expected


def test_sources_front_matter_fields_and_body():
    text = "---\nurl: https://x.example/a\ntitle: 'A title: with colon'\npublished: 2016-04\n---\nBody\n"
    fields, body = parse_front_matter(text)
    assert fields == {
        "url": "https://x.example/a",
        "title": "A title: with colon",
        "published": "2016-04",
    }
    assert body == "Body\n"


@pytest.mark.parametrize(
    "text",
    [
        "No front matter here.\n",
        "---\nurl: https://x.example/a\nno closing line\n",
        "---\nSome prose that is not a field\n---\nBody\n",
    ],
)
def test_sources_front_matter_absent(text):
    assert parse_front_matter(text) == ({}, text)


def test_sources_front_matter_crlf():
    fields, body = parse_front_matter("---\r\ntitle: T\r\n---\r\nBody\r\n")
    assert fields == {"title": "T"}
    assert body == "Body\r\n"


def test_sources_from_text_front_matter_and_overrides():
    text = (
        "---\nurl: https://x.example/a\ntitle: Old\npublished: unknown\n---\nTwo councils agreed.\n"
    )
    doc = source_from_text(text, name="note.txt")
    assert (doc.url, doc.title, doc.published, doc.raw) == (
        "https://x.example/a",
        "Old",
        None,
        "Two councils agreed.\n",
    )
    doc = source_from_text(
        text, name="note.txt", title="New", published="April 2016", url="https://x.example/b"
    )
    assert (doc.url, doc.title, doc.published) == ("https://x.example/b", "New", "2016-04")


def test_sources_read_file_sets_file_name(tmp_path):
    path = write(tmp_path, "a.txt", "---\ntitle: T\n---\nBody text.\n")
    doc = read_source(path)
    assert doc == SourceDoc(name=path, raw="Body text.\n", title="T", file_name="a.txt")


@pytest.mark.parametrize(
    "bad_url",
    ["javascript:alert(1)", "ftp://x.example/a", "file:///etc/passwd", "//x.example/a", "u"],
)
def test_sources_url_must_be_http(tmp_path, bad_url):
    """A document's URL (front matter or ``url=``) is http(s) or the document is refused."""
    path = write(tmp_path, "a.txt", f"---\nurl: {bad_url}\n---\nBody text.\n")
    reason = f"url {bad_url!r} is not an http or https URL"
    with pytest.raises(BadInput) as err:
        read_source(path)
    assert (err.value.document, err.value.reason) == (path, reason)
    plain = write(tmp_path, "b.txt", "Body text.\n")
    with pytest.raises(BadInput, match="is not an http or https URL"):
        read_source(plain, url=bad_url)
    good = write(tmp_path, "c.txt", "---\nurl: HTTPS://x.example/a\n---\nBody text.\n")
    results = list(iter_sources([path, good]))  # the batch goes on
    assert isinstance(results[0], BadInput) and results[1].url == "HTTPS://x.example/a"


@pytest.mark.parametrize("value", ["2099-13-45", "not a date", "2016-02-30"])
def test_sources_bad_published_is_a_warning(tmp_path, value):
    path = write(tmp_path, "doc.txt", f"---\npublished: {value}\n---\nBody text.\n")
    doc = read_source(path)
    assert doc.published is None and doc.raw == "Body text.\n"
    assert doc.warnings == (
        f"published '{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD);"
        " the publication date is unknown",
    )
    assert read_source(write(tmp_path, "e.txt", "Body.\n"), published=value).warnings == (
        doc.warnings
    )


@pytest.mark.parametrize("value", ["unknown", "n/a", "", "2016-04", "1 April 2016"])
def test_sources_published_unknown_or_good_no_warning(tmp_path, value):
    path = write(tmp_path, "doc.txt", f"---\ntitle: T\npublished: {value}\n---\nBody text.\n")
    assert read_source(path).warnings == ()


# --------------------------------------------------------------------------- HTML


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.txt"])
def test_sources_html_main_text_and_metadata(tmp_path, name):
    doc = read_source(write(tmp_path, name, PAGE))
    assert "share their legal services" in doc.raw
    assert "£200,000" in doc.raw
    for marker in ("STYLE_MARKER", "SCRIPT_MARKER", "NAV_MARKER", "IFRAME_MARKER", "FOOTER_MARKER"):
        assert marker not in doc.raw
    assert "\n\n" in doc.raw  # paragraphs stay apart
    assert doc.title == "Two councils to share a legal team"
    assert doc.published == "2019-06-03"
    assert doc.url == "https://news.example.org/legal-team"


def test_sources_html_overrides_win(tmp_path):
    mine = "https://x.example/mine"
    doc = read_source(write(tmp_path, "p.html", PAGE), title="Mine", published="2020", url=mine)
    assert (doc.title, doc.published, doc.url) == ("Mine", "2020", mine)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PAGE, True),
        ("<html><body><p>x</p></body></html>", True),
        ("Plain text with a <b>bold</b> word.", False),
        ("A sentence. " * 100, False),
    ],
)
def test_sources_looks_like_html(text, expected):
    assert looks_like_html(text) is expected


def test_sources_html_without_main_text(tmp_path):
    with pytest.raises(BadInput, match="no main text"):
        read_source(write(tmp_path, "e.html", "<html><body><nav>Home</nav></body></html>"))


# --------------------------------------------------------------------------- decoding and bad input


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty document"),
        (b"  \n\t\r\n ", "empty document"),
        (b"---\ntitle: T\n---\n  \n", "empty document"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF), not text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG), not text"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "binary file (ZIP), not text"),
        (b"GIF89a\x01\x00\x01\x00", "binary file (GIF), not text"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG), not text"),
        (b"text\x00with\x00nul\x00bytes here", "binary file (contains NUL bytes), not text"),
        (bytes(range(1, 32)) * 20, "control characters"),
    ],
)
def test_sources_bad_input(tmp_path, data, reason):
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(BadInput) as err:
        read_source(path)
    assert reason in err.value.reason
    assert err.value.document == path
    assert str(err.value) == f"{path}: {err.value.reason}"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF16_LE + "Café £5".encode("utf-16-le"), "Café £5"),
        (codecs.BOM_UTF16_BE + "Café £5".encode("utf-16-be"), "Café £5"),
        (codecs.BOM_UTF32_LE + "Café £5".encode("utf-32-le"), "Café £5"),
        (codecs.BOM_UTF8 + "Café £5".encode(), "Café £5"),
        ("Café £5".encode("utf-16-le"), "Café £5"),
        ("The council’s £5 – café".encode("cp1252"), "The council’s £5 – café"),
        ("Caf\u00e9 co\u00f6perate \u00a35".encode("latin-1"), "Café coöperate £5"),
        ("Councilâ€™s plan".encode(), "Councilâ€™s plan"),  # mojibake is clean.py's to repair
    ],
)
def test_sources_decoding(tmp_path, data, expected):
    assert read_source(write(tmp_path, "d.txt", data)).raw == expected


def test_sources_large_single_line(tmp_path):
    data = ("word " * 1_000_000).encode()
    doc = read_source(write(tmp_path, "long.txt", data))
    assert len(doc.raw) == 5_000_000


def test_sources_too_large(tmp_path):
    path = write(tmp_path, "big.txt", b"x" * 2001)
    with pytest.raises(BadInput, match="larger than 2000 bytes"):
        read_source(path, max_bytes=2000)


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/no/such/file.txt", "no such file"), ("ftp://example.org/a.txt", "unsupported URL scheme")],
)
def test_sources_unreadable_paths(path, reason):
    with pytest.raises(BadInput, match=reason):
        read_source(path)


# --------------------------------------------------------------------------- batches


def test_sources_iter_expands_folders_and_goes_on(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    write(tmp_path, "b.txt", "Second.")
    write(tmp_path, "a.md", "First.")
    write(tmp_path, "sub/c.html", PAGE)
    write(tmp_path, "sub/d.pdf", b"%PDF-1.4")
    write(tmp_path, "a.gold.json", "{}")
    write(tmp_path, ".secret.txt", "Hidden.")
    write(tmp_path, ".hidden/e.txt", "Hidden.")
    write(tmp_path, "empty.text", "")
    results = list(iter_sources([str(tmp_path), "/no/such/file.txt"]))
    names = [Path(r.name if isinstance(r, SourceDoc) else r.document).name for r in results]
    assert names == ["a.md", "b.txt", "empty.text", "c.html", "file.txt"]
    assert [isinstance(r, BadInput) for r in results] == [False, False, True, False, True]


def test_sources_corpus_front_matter():
    if not CORPUS.is_dir():
        pytest.skip("corpus not present")
    docs = list(iter_sources([str(CORPUS)]))
    assert len(docs) == len(list(CORPUS.glob("*.gold.json"))) > 0  # one document per gold file
    assert all(isinstance(d, SourceDoc) and d.url and d.title for d in docs)
    assert all(not d.raw.startswith("---") for d in docs)


# --------------------------------------------------------------------------- URLs

#: The test server listens on loopback, which a plain fetch refuses.
LOCAL = FetchPolicy(allow_private=True)


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _send(self, code: int, body: bytes, content_type: str = "text/html; charset=utf-8"):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/good":
            self._send(200, PAGE.encode())
        elif path == "/text":
            self._send(200, "Council’s plan.".encode("cp1252"), "text/plain; charset=windows-1252")
        elif path == "/missing":
            self._send(404, b"not found")
        elif path == "/broken":
            self._send(500, b"oops")
        elif path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop2")
            self.end_headers()
        elif path == "/loop2":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif path.startswith("/hop"):
            n = int(path[4:])
            self.send_response(302)
            self.send_header("Location", f"/hop{n + 1}" if n < 9 else "/good")
            self.end_headers()
        elif path == "/redirect":
            self.send_response(301)
            self.send_header("Location", "/good")
            self.end_headers()
        elif path == "/slow":
            time.sleep(2)
            self._send(200, b"late")
        elif path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(10_000):
                    self.wfile.write(b"word " * 2000)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4", "application/pdf")
        else:
            self._send(404, b"")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("path", ["/good", "/redirect"])
def test_sources_url_good_page(server, path):
    doc = read_source(server + path, timeout=5, policy=LOCAL)
    assert "share their legal services" in doc.raw
    assert "FOOTER_MARKER" not in doc.raw
    assert doc.url == server + path  # the URL as given names the document
    assert doc.file_name is None
    assert doc.title == "Two councils to share a legal team"


def test_sources_url_text_with_charset(server):
    assert read_source(server + "/text", timeout=5, policy=LOCAL).raw == "Council’s plan."


@pytest.mark.parametrize(
    ("path", "reason", "kw"),
    [
        ("/missing", "HTTP error 404", {}),
        ("/broken", "HTTP error 500", {}),
        ("/loop", "redirect", {}),
        ("/hop0", "redirect", {}),
        ("/slow", "timed out", {"timeout": 0.3}),
        ("/endless", "larger than 100000 bytes", {"max_bytes": 100_000}),
        ("/pdf", "unsupported content type application/pdf", {}),
    ],
)
def test_sources_url_failures(server, path, reason, kw):
    with pytest.raises(BadInput) as err:
        read_source(server + path, **{"timeout": 5, "policy": LOCAL, **kw})
    assert reason in err.value.reason
    assert err.value.document == server + path


def test_sources_url_refused():
    with pytest.raises(BadInput, match="cannot fetch"):
        read_source("http://127.0.0.1:9/nothing", timeout=2, policy=LOCAL)


def test_sources_iter_urls_go_on(server):
    results = list(iter_sources([server + "/missing", server + "/good"], timeout=5, policy=LOCAL))
    assert isinstance(results[0], BadInput)
    assert isinstance(results[1], SourceDoc)
