"""The locking model of the embedded store, as ``lgkg serve`` and ``lgkg ingest`` meet.

A read-only ``serve`` takes no lock: an ingest into the same store runs, and
the server keeps answering from the state it opened (it sees the new
documents after a restart). ``serve --enable-update`` opens the store for
writing and holds its lock: an ingest then stops at once with a message.
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

import pytest
from hardening_helpers import DOCS, LGKG, TOKEN, Served, write_documents

pytestmark = pytest.mark.slow

COUNT_DOCS = (
    "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?g a ?type } "
    "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/lgkg/id/doc/')) }"
)


def documents(server: Served) -> int:
    status, body = server.query(COUNT_DOCS)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def ingest(folder: Path, store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LGKG, "ingest", str(folder), "--store", str(store), "--batch-size", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    write_documents(folder)
    return folder


def test_hardening_queries_answered_while_ingest_runs(tmp_path: Path, corpus: Path) -> None:
    store = tmp_path / "store"
    first = corpus / "doc-00.txt"
    assert subprocess.run([*LGKG, "ingest", str(first), "--store", str(store)]).returncode == 0
    server = Served("--store", str(store))
    try:
        assert documents(server) == 1
        statuses: list[int] = []
        done = threading.Event()

        def keep_asking() -> None:
            while not done.is_set():
                statuses.append(server.query(COUNT_DOCS)[0])

        asker = threading.Thread(target=keep_asking)
        asker.start()
        try:
            result = ingest(corpus, store)
        finally:
            done.set()
            asker.join()
        assert result.returncode == 0, result.stderr
        assert f"{DOCS} documents: {DOCS - 1} ingested, 1 unchanged, 0 failed" in result.stderr
        assert len(statuses) >= 5 and set(statuses) == {200}
        assert documents(server) == 1  # the server keeps the state it opened
    finally:
        server.stop()
    restarted = Served("--store", str(store))
    try:
        assert documents(restarted) == DOCS
    finally:
        restarted.stop()


def test_hardening_ingest_refused_while_update_server_writes(tmp_path: Path, corpus: Path) -> None:
    store = tmp_path / "store"
    assert (
        subprocess.run(
            [*LGKG, "ingest", str(corpus / "doc-00.txt"), "--store", str(store)]
        ).returncode
        == 0
    )
    server = Served("--store", str(store), "--enable-update", "--token", TOKEN)
    try:
        result = ingest(corpus, store)
        assert result.returncode == 1
        assert f"store {store} is in use by another lgkg process" in result.stderr
        assert documents(server) == 1  # and the server goes on answering
    finally:
        server.stop()
    stats = subprocess.run([*LGKG, "stats", "--store", str(store)], capture_output=True, text=True)
    assert "documents     1" in stats.stdout
