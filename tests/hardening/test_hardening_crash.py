"""Crash safety: ``kill -9`` an ingest mid-batch, run it again, lose and duplicate nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from hardening_helpers import DOCS, LGKG, write_documents

from lgkg.graph.store import OxigraphStore

pytestmark = pytest.mark.slow

PER_DOC = """SELECT ?g (COUNT(DISTINCT ?hash) AS ?hashes) (COUNT(DISTINCT ?e) AS ?events)
       (COUNT(*) AS ?triples) WHERE {
  GRAPH ?g { ?g <https://w3id.org/lgkg/ns#contentHash> ?hash .
             OPTIONAL { ?e a <https://w3id.org/lgkg/ns#PartnershipEvent> } }
} GROUP BY ?g"""


def per_document(store_path: Path) -> dict[str, tuple[int, int, int]]:
    with OxigraphStore(store_path, read_only=True) as store:
        _, rows = store.select(PER_DOC)
    return {str(g): (int(h), int(e), int(t)) for g, h, e, t in rows}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*LGKG, *args], capture_output=True, text=True, timeout=600)


def test_hardening_kill9_mid_batch_then_resume(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    write_documents(folder)
    store = tmp_path / "store"
    proc = subprocess.Popen(
        [*LGKG, "ingest", str(folder), "--store", str(store), "--batch-size", "2"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    before_kill = []
    for line in proc.stderr:
        if line.startswith("ingested "):
            before_kill.append(line)
            break
    time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert before_kill, "the first run wrote nothing before it was killed"

    resumed = run("ingest", str(folder), "--store", str(store), "--batch-size", "2")
    assert resumed.returncode == 0, resumed.stderr
    lines = resumed.stderr.splitlines()
    unchanged = sum(line.startswith("unchanged ") for line in lines)
    ingested = sum(line.startswith("ingested ") for line in lines)
    assert unchanged >= 1 and ingested >= 1, "the kill did not land mid-batch"
    assert unchanged + ingested == DOCS

    # a clean run of the same documents in a fresh store is the reference
    fresh = tmp_path / "fresh"
    assert run("ingest", str(folder), "--store", str(fresh), "--batch-size", "2").returncode == 0
    crashed_counts, fresh_counts = per_document(store), per_document(fresh)
    assert len(crashed_counts) == DOCS
    assert crashed_counts == fresh_counts  # same graphs, one hash each, same events and triples
    assert all(hashes == 1 and events >= 1 for hashes, events, _ in crashed_counts.values())

    stats = run("stats", "--store", str(store))
    assert f"documents     {DOCS}" in stats.stdout
    validated = run("validate", "--store", str(store))
    assert validated.returncode == 0 and validated.stdout.strip() == "conforms"
