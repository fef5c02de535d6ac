"""The ``lgkg`` command line, through click's CliRunner (in process).

Fast tests need no model; tests marked slow load the spaCy model and run
commands end to end, the last ones on the shared corpus's seed article.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lgkg import __version__
from lgkg.cli import cli

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "corpus" / "dev" / "002_southwark-propose-join-brent-lewisham-it.txt"
COMMANDS = sorted(cli.commands)
CONTRACT_QUERIES = ("events", "savings", "quotes", "partners", "provenance")
GOOD_TEXT = (
    "Two councils share IT\n\n"
    "Northshire County Council and Westhaven Borough Council formed a shared IT service in "
    "April 2016. Brent Council and Lewisham Council formed a shared legal service in May 2017.\n"
)


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def stat(store: Path, name: str) -> int:
    result = run("stats", "--store", str(store))
    assert result.exit_code == 0, result.output
    found = re.search(rf"^{name}\s+(\d+)$", result.stdout, re.M)
    assert found, result.stdout
    return int(found.group(1))


def rows(result) -> list[dict[str, str]]:
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


# --------------------------------------------------------------------------- fast


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_help_for_every_command(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert run(command, "-h").stdout == result.stdout


def test_cli_version_and_group_help():
    assert run("--version").stdout.strip().endswith(__version__)
    result = run("-h")
    assert result.exit_code == 0
    assert all(command in result.stdout for command in COMMANDS)


def test_cli_query_list_names_the_contract_queries():
    result = run("query", "--list", "--format", "csv")
    listed = {r["name"]: r for r in rows(result)}
    assert set(CONTRACT_QUERIES) <= set(listed)
    assert listed["partners"]["params"] == "council"
    assert listed["provenance"]["params"] == "subject"
    assert all(r["title"] for r in listed.values())


@pytest.mark.parametrize(
    "args",
    [
        ("query", "no-such-query", "--store", "{store}"),
        ("query", "--store", "{store}"),
        ("query", "partners", "--param", "nope=1", "--store", "{store}"),
        ("query", "events", "--param", "not-key-value", "--store", "{store}"),
        ("query", "events", "--format", "xml"),
        ("export", "--format", "rdfa"),
        ("ingest", "--store", "{store}"),
        ("ingest", "a.txt", "b.txt", "--url", "https://example.org/x", "--store", "{store}"),
        ("evaluate", "/no/such/folder"),
        ("stats", "--no-such-option"),
        ("no-such-command",),
    ],
)
def test_cli_usage_errors_exit_2(args, tmp_path):
    result = run(*(a.format(store=tmp_path / "s") for a in args))
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "s").exists()


def test_cli_unknown_query_lists_the_queries(tmp_path):
    result = run("query", "no-such-query", "--store", str(tmp_path / "s"))
    assert result.exit_code == 2
    assert all(name in result.stderr for name in CONTRACT_QUERIES)


def test_cli_reading_a_missing_store_fails_with_a_hint(tmp_path):
    result = run("stats", "--store", str(tmp_path / "missing"))
    assert result.exit_code == 1
    assert "lgkg ingest" in result.stderr


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
    ],
)
def test_cli_ingest_bad_file_exits_1_and_names_it(tmp_path, name, data, reason):
    store = tmp_path / "s"
    bad = tmp_path / name
    bad.write_bytes(data)
    result = run("ingest", str(bad), "--store", str(store))
    assert result.exit_code == 1
    assert name in result.stderr and reason in result.stderr
    assert "1 failed" in result.stderr
    assert stat(store, "documents") == 0


def test_cli_stats_is_stable_and_retract_unknown_fails(tmp_path):
    store = tmp_path / "s"
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    run("ingest", str(bad), "--store", str(store))  # creates the store and its reference graph
    first = run("stats", "--store", str(store)).stdout
    assert first == run("stats", "--store", str(store)).stdout
    assert [line.split()[0] for line in first.splitlines()] == [
        "documents",
        "triples",
        "councils",
        "partnerships",
        "events",
        "savings",
        "quotes",
        "checked",
        "corrected",
        "rejected",
        "added",
    ]
    result = run("retract", "0123456789abcdef", "--store", str(store))
    assert result.exit_code == 1
    assert "no such document" in result.stderr


def test_cli_sparql_reads_stdin_and_files(tmp_path):
    store = tmp_path / "s"
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    run("ingest", str(bad), "--store", str(store))
    ask = "ASK { GRAPH ?g { ?s a lgkg:Council } }"
    assert run("sparql", "-", "--store", str(store), input=ask).stdout.strip() == "true"
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a lgkg:Council } }")
    result = run("sparql", str(rq), "--format", "json", "--store", str(store))
    assert int(json.loads(result.stdout)["results"]["bindings"][0]["n"]["value"]) > 300
    result = run("sparql", "SELECT WHERE {", "--store", str(store))
    assert result.exit_code == 1
    # a query longer than a file name may be is read as a query, not tried as a path
    long_ask = "ASK { GRAPH ?g { ?s a lgkg:Council } }" + " " * 300 + "#" + "x" * 300
    assert run("sparql", long_ask, "--store", str(store)).stdout.strip() == "true"


def test_cli_every_command_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [c for c in COMMANDS if f"lgkg {c}" not in readme]
    assert not missing, f"README.md does not show: {missing}"


# --------------------------------------------------------------------------- slow: the model


@pytest.mark.slow
def test_cli_ingest_goes_on_past_a_bad_file(tmp_path):
    store = tmp_path / "s"
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    bad.write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    result = run("ingest", str(bad), str(good), "--store", str(store))
    assert result.exit_code == 1
    assert f"failed {bad}: binary file" in result.stderr and "1 ingested" in result.stderr
    assert re.search(
        rf"ingested {re.escape(str(good))}: \d+ events?, \d+ savings?, \d+ quotes?", result.stderr
    )
    assert stat(store, "documents") == 1
    triples = stat(store, "triples")
    assert run("ingest", str(bad), "--store", str(store)).exit_code == 1
    assert stat(store, "triples") == triples


@pytest.mark.slow
def test_cli_reingest_and_retract_leave_the_store_as_before(tmp_path):
    store = tmp_path / "s"
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(GOOD_TEXT, encoding="utf-8")
    second.write_text(GOOD_TEXT.replace("2016", "2018"), encoding="utf-8")
    assert run("ingest", str(first), "--store", str(store)).exit_code == 0
    before = stat(store, "triples")
    stats_before = run("stats", "--store", str(store)).stdout
    assert run("ingest", str(second), "--store", str(store)).exit_code == 0
    with_second = stat(store, "triples")
    assert with_second > before
    again = run("ingest", str(second), "--store", str(store))
    assert f"unchanged {second}" in again.stderr
    forced = run("ingest", str(second), "--force", "--store", str(store))
    assert f"ingested {second}" in forced.stderr
    assert stat(store, "triples") == with_second
    result = run("retract", str(second), "--store", str(store))
    assert result.exit_code == 0, result.output
    assert run("stats", "--store", str(store)).stdout == stats_before
    assert run("retract", str(second), "--store", str(store)).exit_code == 1


def store_triples(store: Path) -> list[str]:
    """The store's quads, sorted, with blank-node labels and extraction times masked."""
    dump = run("export", "--format", "nquads", "--store", str(store)).stdout
    masked = re.sub(r"_:[0-9A-Za-z]+", "_:b", dump)
    masked = re.sub(r'"[0-9-]+T[0-9:.]+Z"\^\^<[^>]+>', '"time"', masked)
    return sorted(masked.splitlines())


@pytest.mark.slow
def test_cli_retract_then_reingest_gives_back_the_same_triples(tmp_path):
    """Two releases about one partnership (resolved to one IRI across them) and the
    examples: retracting any one and ingesting it again leaves every triple as it was."""
    store = tmp_path / "s"
    texts = {
        "a.txt": "Rother District Council and Wealden District Council have formed a shared "
        "building control service.",
        "b.txt": "The shared building control service of Rother District Council and Wealden "
        "District Council has saved money since it was set up.",
    }
    docs = []
    for name, text in texts.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
        docs.append(tmp_path / name)
    docs += sorted((REPO / "examples").glob("*.txt"))
    assert run("ingest", *map(str, docs), "--store", str(store)).exit_code == 0
    before = store_triples(store)
    for doc in docs:
        assert run("retract", str(doc), "--store", str(store)).exit_code == 0
        assert store_triples(store) != before
        assert run("ingest", str(doc), "--store", str(store)).exit_code == 0
        assert store_triples(store) == before, doc.name


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "json", "turtle", "nquads"])
def test_cli_extract_writes_nothing(tmp_path, fmt):
    good = tmp_path / "good.txt"
    good.write_text(GOOD_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    result = run("extract", str(good), "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    if fmt == "table":
        assert "good.txt" in text and "> " in text
    elif fmt == "json":
        assert json.loads(text)[0]["doc"]["file_name"] == "good.txt"
    else:
        assert "https://w3id.org/lgkg/id/doc/" in text
    assert not (tmp_path / "s").exists()


# --------------------------------------------------------------------------- slow: seed article

needs_shared = pytest.mark.skipif(not SEED.exists(), reason="../shared corpus not present")


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("seed") / "store"
    result = run("ingest", str(SEED), "--store", str(store))
    assert result.exit_code == 0, result.output
    return store


def query(store: Path, *args: str) -> list[dict[str, str]]:
    return rows(run("query", *args, "--format", "csv", "--store", str(store)))


@pytest.mark.slow
@needs_shared
def test_cli_seed_events(seed_store):
    events = query(seed_store, "events")

    def has(code, action, **kw):
        return any(
            r["council_code"] == code
            and r["action"] == action
            and all(r[k] == v for k, v in kw.items())
            for r in events
        )

    assert has("E09000028", "joined", service_area="ict", status="proposed", council="Southwark")
    assert has("E09000005", "formed", service_area="ict", date="2016-04", status="done")
    assert has("E09000023", "formed", service_area="ict", date="2016-04", status="done")
    assert any(
        r["action"] == "provides" and r["client"] == "Local Government Association" for r in events
    )
    assert not [r for r in events if "ukreiif" in " ".join(r.values()).lower()]
    assert all(r["source"] for r in events)


@pytest.mark.slow
@needs_shared
def test_cli_seed_savings_and_quotes(seed_store):
    savings = query(seed_store, "savings")
    assert any(
        r["who_code"] == "E09000023"
        and r["who"] == "Lewisham"
        and r["amount"] == "1000000"
        and r["currency"] == "GBP"
        and r["period"] == "P1Y"
        and "Bonavia" in r["speaker"]
        for r in savings
    )
    quotes = query(seed_store, "quotes")
    for speaker, code in (
        ("Fiona Colley", "E09000028"),
        ("Margaret McLennan", "E09000005"),
        ("Kevin Bonavia", "E09000023"),
    ):
        assert any(
            r["speaker"] == speaker and r["organisation_code"] == code and r["role"].strip()
            for r in quotes
        ), speaker


@pytest.mark.slow
@needs_shared
def test_cli_seed_partners_and_provenance(seed_store):
    partners = query(seed_store, "partners", "--param", "council=Lewisham")
    assert any(r["partner_code"] == "E09000005" and r["service_area"] == "ict" for r in partners)
    ids = run(
        "sparql",
        "SELECT ?e WHERE { GRAPH ?g { ?e a lgkg:PartnershipEvent ;"
        " lgkg:actor <https://w3id.org/lgkg/id/council/E09000028> } }",
        "--format",
        "csv",
        "--store",
        str(seed_store),
    ).stdout.split()[1:]
    assert ids
    prov = query(seed_store, "provenance", "--param", f"subject={ids[0]}")
    assert prov
    assert all(r["source"] for r in prov)
    assert any(r["sentence"].strip() for r in prov)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]+Z", r["extracted_at"]) for r in prov)


@pytest.mark.slow
@needs_shared
def test_cli_seed_reingest_keeps_stats(seed_store):
    before = run("stats", "--store", str(seed_store)).stdout
    assert run("ingest", str(SEED), "--force", "--store", str(seed_store)).exit_code == 0
    assert run("stats", "--store", str(seed_store)).stdout == before


@pytest.mark.slow
def test_cli_two_documents_one_partnership_formed_then_ended(tmp_path):
    """A later document ends what an earlier one formed, under another name: one partnership."""
    store = tmp_path / "s"
    formed = tmp_path / "hart-rushmoor-2015.txt"
    formed.write_text(
        "---\ntitle: Hart and Rushmoor share planning\npublished: 2015-03-02\n---\n"
        "Hart District Council and Rushmoor Borough Council formed a shared planning team"
        " in 2015.\n",
        encoding="utf-8",
    )
    ended = tmp_path / "hart-rushmoor-2019.txt"
    ended.write_text(
        "---\ntitle: Planning partnership to end\npublished: 2019-06-10\n---\n"
        "The Hart-Rushmoor planning partnership will be wound up next year, both councils"
        " said.\n",
        encoding="utf-8",
    )
    result = run("ingest", str(formed), str(ended), "--store", str(store))
    assert result.exit_code == 0, result.output
    events = query(store, "events")
    assert len({r["partnership"] for r in events}) == 1, events
    assert {"formed", "ended"} <= {r["action"] for r in events}
    assert {r["source"] for r in events} == {formed.name, ended.name}
    partnerships = query(store, "partnerships")
    assert {r["partnership"] for r in partnerships} == {events[0]["partnership"]}
    assert {"Hart", "Rushmoor"} <= {r["member"] for r in partnerships}
    members = query(
        store, "partnership_members", "--param", f"partnership={events[0]['partnership']}"
    )
    assert formed.name in {r["source"] for r in members}
    assert stat(store, "partnerships") == 1


def test_cli_resolve_builds_the_partnerships_of_a_bulk_load(tmp_path):
    """Document graphs loaded as they are (an extract export): ``lgkg resolve`` makes their
    partnership entities, as ingest would have, and running it again changes nothing."""
    from lgkg.graph.emit import doc_graph_iri, extraction_graph
    from lgkg.graph.store import OxigraphStore
    from tests.graph.test_identity import corpus

    store = tmp_path / "s"
    with OxigraphStore(store) as s:
        for x in corpus():
            s.replace_graph(str(doc_graph_iri(x)), extraction_graph(x))
    result = run("resolve", "--store", str(store))
    assert result.exit_code == 0, result.output
    assert "resolved 6 partnership descriptions into 3 partnerships" in result.output
    before = store_triples(store)
    assert run("resolve", "--store", str(store)).exit_code == 0
    assert store_triples(store) == before
    rows = run("query", "events", "--format", "csv", "--store", str(store)).output
    assert "https://w3id.org/lgkg/id/partnership/sts" in rows
