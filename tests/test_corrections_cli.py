"""``lgkg review`` and ``lgkg correct`` (confirm, reject, set, add), ``retract
--with-corrections``, ``stats``, ``validate``, ``evaluate --corrections`` and ``export --gold``,
through click's CliRunner.

Fast tests run on a store loaded from tests/fixtures/mini.trig (no model); the slow one
ingests a press release with the real extractor, corrects it, re-ingests it under another
extractor version and with its text changed, exports gold files and trains on them.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import lgkg
from lgkg.cli import cli

TESTS = Path(__file__).resolve().parent
FIXTURE = TESTS / "fixtures" / "mini.trig"
TRAIN_CORPUS = TESTS / "fixtures" / "train_corpus"
DOC = "884f1ee6ffaf41b4"  # mini.trig's document A: Brent and Lewisham share IT
SOURCE = "https://example.org/news/brent-lewisham-shared-it"
NOTE = """---
url: https://example.org/news/shared-legal
title: Two councils agree to share a legal service
published: 2019-03-14
---
Two councils agree to share a legal service

Adur District Council and Worthing Borough Council have agreed to create a shared legal service, which will start in June 2019.

The partnership is expected to save £250,000 a year.

Councillor Jane Smith, leader of Adur District Council, said: "Sharing our lawyers protects the service and saves money."
"""  # the README's note.txt


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def ok(*args: str, input: str | None = None):
    result = run(*args, input=input)
    assert result.exit_code == 0, result.output
    return result


def csv_rows(result) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def stat(store: Path, name: str) -> int:
    found = re.search(rf"^{name}\s+(\d+)$", ok("stats", "--store", str(store)).stdout, re.M)
    assert found
    return int(found.group(1))


def gold_problems(gold: dict, text_name: str) -> list[str]:
    """The corpus format checks of tests/ontology/test_ontology.py."""
    path = TESTS / "ontology" / "test_ontology.py"
    spec = importlib.util.spec_from_file_location("lgkg_gold_checks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.gold_problems(gold, text_name)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store folder holding mini.trig, with the full reference graph (so it validates)."""
    path = tmp_path / "store"
    with lgkg.open(path) as g:
        g.load(FIXTURE)
        g.store.ensure_reference()
    return path


def mine(store: Path) -> list[tuple[str, str, str]]:
    events = csv_rows(ok("query", "events", "--format", "csv", "--store", str(store)))
    return sorted((e["council"], e["action"], e["status"]) for e in events if e["source"] == SOURCE)


# --------------------------------------------------------------------------- fast


def test_correct_cli_review_numbers_facts_with_their_evidence(store: Path) -> None:
    result = ok("review", DOC, "--store", str(store))
    lines = result.stdout.splitlines()
    assert lines[0] == f"{SOURCE}  https://w3id.org/lgkg/id/doc/{DOC}"
    assert re.match(
        r"\s+1\s+event\s+Brent \(E09000005\) formed ict: .*agreed 2016-04\s+\[extracted\]", lines[2]
    )
    assert lines[3].strip() == (
        "> Brent and Lewisham councils have agreed to form a shared IT service from April 2016."
    )
    as_json = json.loads(ok("review", SOURCE, "--format", "json", "--store", str(store)).stdout)
    assert [f["state"] for f in as_json["facts"]] == ["extracted"] * 6
    assert run("review", "0000000000000000", "--store", str(store)).exit_code == 1


def test_correct_cli_each_kind_of_correction(store: Path) -> None:
    s = str(store)
    assert mine(store) == [("Brent", "formed", "agreed"), ("Lewisham", "formed", "agreed")]
    result = ok(
        "correct", "reject", "2", "--doc", DOC, "--reason", "not stated", "--by", "Jo", "--store", s
    )
    assert "stored correction 1 (Jo): reject event" in result.stderr
    ok("correct", "set", f"id:event/{DOC}-1", "status", "done", "--by", "Jo", "--store", s)
    ok("correct", "confirm", "3", "6", "--doc", DOC, "--store", s)
    ok(
        "correct", "add", DOC, "event", "council=Southwark", "action=joined", "service_area=ict",
        "partnership=Brent-Lewisham shared IT service", "status=proposed", "--evidence", "1",
        "--reason", "named in the second paragraph", "--store", s,
    )  # fmt: skip
    ok("correct", "set", "4", "who", "", "--doc", DOC, "--store", s)
    assert mine(store) == [
        ("Brent", "formed", "done"),
        ("Southwark", "joined", "proposed"),
    ]
    review = ok("review", DOC, "--store", s).stdout
    assert "[rejected: not stated]" in review and "[corrected (status agreed -> done)]" in review
    assert "[confirmed]" in review and "[added]" in review
    savings = csv_rows(ok("query", "savings", "--format", "csv", "--store", s))
    assert sorted(r["who"] for r in savings if r["source"] == SOURCE) == ["", "", "Brent"]
    assert [stat(store, k) for k in ("checked", "corrected", "rejected", "added")] == [5, 2, 1, 1]
    assert stat(store, "events") == 12  # one rejected, one added
    assert ok("validate", "--store", s).stdout.strip() == "conforms"


def test_correct_cli_refuses_bad_corrections_and_changes_nothing(store: Path) -> None:
    s = str(store)
    before = ok("export", "--format", "nquads", "--store", s).stdout
    for args in (
        ("correct", "reject", "1", "--doc", DOC),  # no reason
        ("correct", "set", "1", "colour", "red", "--doc", DOC),
        ("correct", "set", "1", "status", "maybe", "--doc", DOC),
        ("correct", "confirm", "1"),  # a number without its document
        ("correct", "add", DOC, "event", "council=Brent", "--evidence", "1"),  # no action...
    ):
        result = run(*args, "--store", s)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("Error:"), result.stderr
    assert ok("export", "--format", "nquads", "--store", s).stdout == before


def test_correct_cli_provenance_shows_both_values(store: Path) -> None:
    s = str(store)
    ok("correct", "set", "1", "date", "2016-05", "--doc", DOC, "--reason", "May", "--store", s)
    rows = csv_rows(
        ok(
            "query",
            "provenance",
            "--param",
            f"subject=id:event/{DOC}-1",
            "--format",
            "csv",
            "--store",
            s,
        )
    )
    dates = {(r["object"], r["source"]) for r in rows if r["predicate"].endswith("#date")}
    assert dates == {
        ("2016-04", SOURCE),
        ("2016-05", f"https://w3id.org/lgkg/id/doc/{DOC}/corrections"),
    }


def test_correct_cli_retract_asks_before_dropping_corrections(store: Path) -> None:
    s = str(store)
    ok("correct", "reject", "2", "--doc", DOC, "--reason", "no", "--store", s)
    documents = stat(store, "documents")
    refused = run("retract", DOC, "--store", s)  # no answer: nothing retracted
    assert refused.exit_code == 1 and "--with-corrections" in refused.stderr
    assert stat(store, "documents") == documents
    declined = run("retract", DOC, "--store", s, input="n\n")
    assert declined.exit_code == 1 and stat(store, "checked") == 1
    result = ok("retract", DOC, "--store", s, input="y\n")
    assert "(with its corrections)" in result.stderr
    assert (stat(store, "documents"), stat(store, "checked")) == (documents - 1, 0)
    graphs = ok(
        "sparql",
        "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "--format",
        "csv",
        "--store",
        s,
    )
    assert f"{DOC}/corrections" not in graphs.stdout


def test_correct_cli_retract_with_corrections_needs_no_answer(store: Path) -> None:
    s = str(store)
    ok("correct", "confirm", "1", "--doc", DOC, "--store", s)
    ok("retract", DOC, "--with-corrections", "--store", s)
    assert stat(store, "checked") == 0
    ok("retract", "191e4e61f05928e5", "--store", s)  # no corrections: nothing to ask


def test_correct_cli_evaluate_against_the_corrections(store: Path) -> None:
    s = str(store)
    assert run("evaluate", "--corrections", "--store", s).exit_code == 1  # nothing corrected
    ok("correct", "reject", "2", "--doc", DOC, "--reason", "no", "--store", s)
    ok("correct", "set", "1", "status", "done", "--doc", DOC, "--store", s)
    report = json.loads(ok("evaluate", "--corrections", "--json", "--store", s).stdout)
    assert report["kinds"]["events"]["fp"] == 1 and report["kinds"]["events"]["tp"] == 1
    assert report["kinds"]["status"]["tp"] == 0  # Brent's status was wrong
    assert report["kinds"]["savings"]["f1"] == 1.0
    assert run("evaluate", "--store", s).exit_code == 2  # neither GOLD_DIR nor --corrections


# --------------------------------------------------------------------------- slow: the model


@pytest.mark.slow
def test_correct_cli_corrections_survive_reingest_and_teach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lgkg.extract.pipeline as pipeline

    store, texts, out = tmp_path / "store", tmp_path / "texts", tmp_path / "gold"
    texts.mkdir()
    note = texts / "note.txt"
    note.write_text(NOTE, encoding="utf-8")
    s = str(store)
    real = pipeline.extractor_version()
    monkeypatch.setattr(pipeline, "extractor_version", lambda: real + "+an-older-one")
    ok("ingest", str(note), "--store", s)
    review = json.loads(ok("review", str(note), "--format", "json", "--store", s).stdout)
    kinds = [f["kind"] for f in review["facts"]]
    assert kinds[:2] == ["event", "event"] and "saving" in kinds and "quote" in kinds
    saving = kinds.index("saving") + 1
    ok(
        "correct",
        "reject",
        "2",
        "--doc",
        str(note),
        "--reason",
        "Worthing only hosts",
        "--store",
        s,
    )
    ok("correct", "set", "1", "status", "done", "--doc", str(note), "--store", s)
    ok("correct", "set", str(saving), "who", "Adur", "--doc", str(note), "--store", s)
    ok(
        "correct", "add", str(note), "event", "council=Worthing", "action=joined",
        "service_area=legal", f"partnership={review['facts'][0]['content']['partnership']}",
        "status=agreed", "--evidence", "1", "--store", s,
    )  # fmt: skip
    corrected = mine_events(s)

    # a new extractor version: the document is extracted again, its corrections re-applied
    monkeypatch.setattr(pipeline, "extractor_version", lambda: real)
    again = ok("ingest", str(note), "--store", s)
    assert "4 corrections re-applied" in again.stderr and "no longer match" not in again.stderr
    assert mine_events(s) == corrected
    assert ok("validate", "--store", s).stdout.strip() == "conforms"

    # the text changes: the saving's correction no longer matches a fact, and is reported
    note.write_text(NOTE.replace("save £250,000 a year", "be reviewed in 2021"), encoding="utf-8")
    changed = ok("ingest", str(note), "--store", s)
    assert "3 corrections re-applied, 1 no longer match" in changed.stderr
    assert "no longer matches a fact: correction 3 (" in changed.stderr
    assert "no longer matches a fact" in ok("review", str(note), "--store", s).stdout
    assert mine_events(s) == corrected

    # the corrected document as gold, in the corpus format, and training on it
    exported = run("export", "--gold", str(out), "--texts", str(texts), "--store", s)
    assert exported.exit_code == 0, exported.output
    gold = json.loads((out / "note.gold.json").read_text(encoding="utf-8"))
    assert gold_problems(gold, "note.txt") == []
    assert {(e["council"], e["action"], e["status"]) for e in gold["events"]} == {
        ("E07000223", "formed", "done"),
        ("E07000229", "joined", "agreed"),
    }
    assert (
        (out / "note.txt").read_text(encoding="utf-8").startswith("---\nurl: https://example.org")
    )
    missing = run("export", "--gold", str(tmp_path / "none"), "--store", s)
    assert missing.exit_code == 1 and "its text was not found" in missing.stderr
    model = tmp_path / "decisions.json"
    trained = run("train", str(TRAIN_CORPUS), str(out), "--out", str(model))
    assert trained.exit_code == 0, trained.output
    assert "gold (1)" in trained.stdout and json.loads(model.read_text(encoding="utf-8"))


def mine_events(store: str) -> list[tuple[str, str, str, str]]:
    events = csv_rows(ok("query", "events", "--format", "csv", "--store", store))
    return sorted(
        (e["council"], e["action"], e["status"], e["date"])
        for e in events
        if e["source"] == "https://example.org/news/shared-legal"
    )


def test_correct_cli_on_a_sparql_server(sparql_server) -> None:
    """Corrections through --endpoint, written with SPARQL Update, read as on a store."""
    endpoint = ["--endpoint", sparql_server.query, "--update-endpoint", sparql_server.update]
    with lgkg.open(sparql_server.query, update_endpoint=sparql_server.update) as g:
        g.load(FIXTURE)
    ok("correct", "reject", "2", "--doc", DOC, "--reason", "not stated", *endpoint)
    ok("correct", "set", "1", "status", "done", "--doc", DOC, *endpoint)
    events = csv_rows(ok("query", "events", "--format", "csv", *endpoint))
    assert sorted((e["council"], e["status"]) for e in events if e["source"] == SOURCE) == [
        ("Brent", "done")
    ]
    review = json.loads(ok("review", DOC, "--format", "json", *endpoint).stdout)
    assert [f["state"] for f in review["facts"][:2]] == ["corrected", "rejected"]
    refused = run("retract", DOC, *endpoint)
    assert refused.exit_code == 1
    ok("retract", DOC, "--with-corrections", *endpoint)
    assert "checked       0" in ok("stats", *endpoint).stdout
