"""Bad input through ``lgkg ingest``: each failure is named with its reason, the rest is stored.

A folder of good documents and every kind of bad one, plus URLs served by a
misbehaving loopback server (``badinput_server``), fetched with
``--allow-private`` (loopback is refused without it). The CLI runs in process
(CliRunner) so the fetch timeout can be shortened: ``lgkg ingest`` has no
``--timeout`` option, and ``read_source`` waits 20 s by default.
"""

from __future__ import annotations

import codecs
import functools
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from badinput_server import MisbehavingServer
from click.testing import CliRunner

from lgkg.cli import cli
from lgkg.extract import sources
from lgkg.extract.sources import FetchPolicy, read_source
from lgkg.graph.store import OxigraphStore
from lgkg.graph.vocab import doc_iri
from lgkg.ingest import source_meta

pytestmark = pytest.mark.slow

DOC_PREFIX = "https://w3id.org/lgkg/id/doc/"
FETCH_TIMEOUT = 1.5

ENGLISH = (
    "Babergh District Council and Mid Suffolk District Council have agreed to share a "
    "legal service from April 2019.\n\nThe arrangement will save £300,000 a year.\n"
)
ACCENTED = (
    "Adur District Council and Worthing Borough Council agreed a shared café and "
    "leisure contract worth £45,000 – a saving for both.\n"
)
NON_ENGLISH = (
    "Le conseil municipal de Lyon et la métropole ont signé un accord de mutualisation "
    "des services informatiques. Die Stadt München teilt ihre Dienste. 東京都と横浜市は協力する。\n"
)
MOJIBAKE_SOURCE = (
    "Cheltenham Borough Council and Tewkesbury Borough Council’s shared legal "
    "service – a café-sized saving of £50,000.\n"
)
HTML_NOISY = (
    "<!DOCTYPE html><html><head><title>Shared ICT</title>"
    + "<script>var tracker = 'SCRIPTSECRET';</script>" * 50
    + "<style>body { color: red } /* STYLESECRET */</style>" * 50
    + "</head><body>"
    + '<iframe src="http://127.0.0.1:9/IFRAMESECRET"></iframe>' * 20
    + "<article><h1>Shared ICT</h1><p>Brent Council and Lewisham Council have agreed to "
    "create a shared ICT service, which will start in October 2016.</p>"
    "<p>The councils expect the shared service to save £1.2 million a year over time.</p>"
    "</article></body></html>"
)
HTML_ONLY_SCRIPTS = (
    "<!DOCTYPE html><html><head>"
    + "<script>document.write('x');</script>" * 40
    + "<style>p{}</style>" * 40
    + "</head><body>"
    + '<iframe src="about:blank"></iframe>' * 40
    + "</body></html>"
)


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", ENGLISH)
    return buffer.getvalue()


#: file name -> bytes, for documents that must be ingested
GOOD_FILES: dict[str, bytes] = {
    "good-utf8.txt": ENGLISH.encode("utf-8"),
    "good-cp1252.txt": ACCENTED.replace("café", "cafe").encode("cp1252"),
    "good-latin1.txt": ("Mid Suffolk District Council agreed a café contract.\n").encode("latin-1"),
    "good-utf16.txt": codecs.BOM_UTF16_LE + ACCENTED.encode("utf-16-le"),
    "good-mojibake.txt": MOJIBAKE_SOURCE.encode("utf-8").decode("cp1252").encode("utf-8"),
    "good-foreign.txt": NON_ENGLISH.encode("utf-8"),
    "good-scripts.html": HTML_NOISY.encode("utf-8"),
}

#: file name -> (bytes, words the failure reason must contain)
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\t\r\n   \n", "empty"),
    "report.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
    "picture.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "PNG"),
    "archive.txt": (_zip_bytes(), "binary"),
    "scripts-only.html": (HTML_ONLY_SCRIPTS.encode("utf-8"), "no main text"),
    # one 5 MB line: read fine, but longer than the model reads at once (1,000,000 characters)
    "long-line.txt": (
        ("Brent Council shares ICT. " * 200_000).encode("utf-8"),
        "split the document",
    ),
}

#: URL path -> words the failure reason must contain
BAD_URLS = {
    "/hang": "timed out",
    "/loop": "redirect",
    "/404": "404",
    "/500": "500",
    "/endless": "larger than",
}


@pytest.fixture
def web() -> Iterator[MisbehavingServer]:
    server = MisbehavingServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fetches give up after FETCH_TIMEOUT seconds instead of 20."""
    monkeypatch.setattr(
        sources, "read_source", functools.partial(read_source, timeout=FETCH_TIMEOUT)
    )


def ingest(*args: str):
    return CliRunner().invoke(cli, ["ingest", *args], catch_exceptions=False)


def doc_graphs(store_path: Path) -> set[str]:
    with OxigraphStore(store_path, read_only=True) as store:
        return {g for g in store.graphs() if g.startswith(DOC_PREFIX)}


def expected_graph(path_or_url: str) -> str:
    policy = FetchPolicy(allow_private=True)  # the test server is on loopback
    return str(doc_iri(source_meta(read_source(path_or_url, policy=policy)).doc_id))


def test_hardening_ingest_bad_input_catalogue(
    tmp_path: Path, web: MisbehavingServer, short_timeout: None
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, data in GOOD_FILES.items():
        (folder / name).write_bytes(data)
    for name, (data, _) in BAD_FILES.items():
        (folder / name).write_bytes(data)
    store = tmp_path / "store"
    urls = [web.url + "/good", *(web.url + path for path in BAD_URLS)]

    result = ingest(str(folder), *urls, "--store", str(store), "--allow-private")

    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    good_total = len(GOOD_FILES) + 1
    bad_total = len(BAD_FILES) + len(BAD_URLS)
    summary = (
        f"{good_total + bad_total} documents: {good_total} ingested, 0 unchanged,"
        f" {bad_total} failed"
    )
    assert summary in lines, "\n".join(lines)
    for name, (_, reason) in BAD_FILES.items():
        # every line names a document by its path as given, whenever it failed
        failed = [line for line in lines if line.startswith(f"failed {folder / name}: ")]
        assert len(failed) == 1 and reason in failed[0], (name, lines)
        assert any(line.startswith(f"  {folder / name}: ") for line in lines)
    for path, reason in BAD_URLS.items():
        failed = [line for line in lines if line.startswith(f"failed {web.url}{path}: ")]
        assert len(failed) == 1 and reason in failed[0], (path, lines)
    for name in GOOD_FILES:
        assert any(line.startswith(f"ingested {folder / name}: ") for line in lines), lines

    expected = {expected_graph(str(folder / name)) for name in GOOD_FILES}
    expected.add(expected_graph(web.url + "/good"))
    assert doc_graphs(store) == expected  # every good document, nothing for a failed one
    stats = CliRunner().invoke(cli, ["stats", "--store", str(store)])
    assert stats.exit_code == 0 and f"documents     {good_total}" in stats.output


def test_hardening_ingest_clean_documents(tmp_path: Path) -> None:
    """Scripts, styles and iframes never reach the store; mojibake still yields its events.

    Evidence sentences are stored as read (offsets point into the raw text),
    so the mojibake itself stays in them; extraction runs on the repaired text.
    """
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("good-scripts.html", "good-mojibake.txt", "good-utf16.txt"):
        (folder / name).write_bytes(GOOD_FILES[name])
    store = tmp_path / "store"
    result = ingest(str(folder), "--store", str(store))
    assert result.exit_code == 0
    assert f"ingested {folder / 'good-mojibake.txt'}: 2 events" in result.stderr
    with OxigraphStore(store, read_only=True) as opened:
        dump = opened.dump("nquads").decode("utf-8")
    for secret in ("SCRIPTSECRET", "STYLESECRET", "IFRAMESECRET"):
        assert secret not in dump
    assert "Lewisham" in dump and "café" in dump and "Tewkesbury" in dump


def test_hardening_ingest_failed_refetch_keeps_stored_version(
    tmp_path: Path, web: MisbehavingServer
) -> None:
    store = tmp_path / "store"
    url = web.url + "/flaky"
    assert ingest(url, "--store", str(store), "--allow-private").exit_code == 0
    with OxigraphStore(store, read_only=True) as opened:
        before = opened.dump("nquads")
    web.flaky_fails = True
    result = ingest(url, "--store", str(store), "--force", "--allow-private")
    assert result.exit_code == 1
    assert f"failed {url}: HTTP error 500" in result.stderr
    assert "1 document: 0 ingested, 0 unchanged, 1 failed" in result.stderr
    with OxigraphStore(store, read_only=True) as opened:
        assert opened.dump("nquads") == before


def test_hardening_ingest_50mb_text(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    line = "Brent Council and Lewisham Council have agreed to share an ICT service.\n"
    with big.open("w", encoding="utf-8") as handle:
        for _ in range(50_000_000 // len(line) + 1):
            handle.write(line)
    good = tmp_path / "good.txt"
    good.write_text(ENGLISH, encoding="utf-8")
    store = tmp_path / "store"
    result = ingest(str(big), str(good), "--store", str(store))
    assert result.exit_code == 1
    assert f"failed {big}: larger than" in result.stderr
    assert doc_graphs(store) == {expected_graph(str(good))}
