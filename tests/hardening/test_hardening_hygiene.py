"""Data hygiene: a document's URL is http(s), names cannot fake output lines, bad dates are said.

A file name with a newline and a fake "ingested ..." line in it must stay
on its own line in everything ingest, extract and retract print; a
``schema:url`` that is not http(s) is refused on the way in and reported by
``lgkg validate`` if it got into a store some other way; a ``published``
value that is no date is a warning naming the document, which is still
ingested.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from lgkg.cli import cli
from lgkg.graph.store import OxigraphStore

BODY = (
    "Babergh District Council and Mid Suffolk District Council have agreed to share a "
    "legal service from April 2019.\n"
)
FAKE = "ingested fake.txt: 99 events, 0 savings, 0 quotes (doc 0)"  # no "/": a file name
DATE_WARNING = (
    "published '2099-13-45' is not a date (YYYY, YYYY-MM or YYYY-MM-DD);"
    " the publication date is unknown"
)
DOC = "https://w3id.org/lgkg/id/doc/a56ab77fcd2abfc7"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.slow
def test_hygiene_ingest_escapes_names_refuses_urls_and_warns_on_dates(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    evil = folder / f"a\n{FAKE}\n.txt"
    evil.write_text(BODY, encoding="utf-8")
    (folder / "b-javascript.txt").write_text(
        f"---\nurl: javascript:alert(1)\n---\n{BODY}", encoding="utf-8"
    )
    (folder / "c-date.txt").write_text(f"---\npublished: 2099-13-45\n---\n{BODY}", encoding="utf-8")
    store = str(tmp_path / "store")

    result = run("ingest", str(folder), "--store", store)

    assert result.exit_code == 1, result.output  # one bad document, the others go on
    lines = result.stderr.splitlines()
    assert not [line for line in lines if line.startswith(FAKE)], lines
    escaped = str(evil).replace("\n", "\\n")
    assert any(line.startswith(f"ingested {escaped}: ") for line in lines), lines
    bad = folder / "b-javascript.txt"
    reason = "url 'javascript:alert(1)' is not an http or https URL"
    assert f"failed {bad}: {reason}" in lines
    assert f"  {bad}: {reason}" in lines
    assert f"warning: {folder / 'c-date.txt'}: {DATE_WARNING}" in lines
    assert any(line.startswith(f"ingested {folder / 'c-date.txt'}: ") for line in lines)
    assert "3 documents: 2 ingested, 0 unchanged, 1 failed" in lines
    assert run("validate", "--store", store).exit_code == 0

    extracted = run("extract", str(evil), str(folder / "c-date.txt"), "--format", "table")
    assert extracted.exit_code == 0
    assert not [line for line in extracted.output.splitlines() if line.startswith(FAKE)]
    assert f"warning: {folder / 'c-date.txt'}: {DATE_WARNING}" in extracted.stderr.splitlines()

    retracted = run("retract", str(evil), "--store", store)
    assert retracted.exit_code == 0
    lines = retracted.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"retracted {escaped}: "), lines


def test_hygiene_validate_reports_a_non_http_url(tmp_path: Path) -> None:
    """A ``schema:url <javascript:alert(1)>`` written straight into a store fails ``lgkg validate``."""
    example = (files("lgkg.ontology") / "examples" / "valid-document.ttl").read_text("utf-8")
    graph = Graph().parse(data=example, format="turtle")
    store_path = tmp_path / "store"
    with OxigraphStore(store_path) as store:
        store.ensure_reference()  # the concept schemes, as ingest writes them
        store.replace_graph(DOC, graph)
    assert run("validate", "--store", str(store_path)).exit_code == 0  # the control

    graph.add((URIRef(DOC), URIRef("https://schema.org/url"), URIRef("javascript:alert(1)")))
    with OxigraphStore(store_path) as store:
        store.replace_graph(DOC, graph)
    result = run("validate", "--store", str(store_path))
    assert result.exit_code == 1
    assert "javascript:alert(1)" in result.output
    assert "an http or https IRI" in result.output
