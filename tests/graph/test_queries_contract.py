"""Every named query, on both backends, against tests/fixtures/mini.trig and tests/expected/."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from lgkg.graph.store import OxigraphStore, Store, load_dataset
from lgkg.queries.named import cell_text, get_query, list_queries, run_query

EXPECTED = Path(__file__).resolve().parent.parent / "expected"
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "mini.trig"

#: (expected file stem, query, parameters). Every named query has a case named after it.
CASES = [
    ("events", "events", {}),
    ("savings", "savings", {}),
    ("quotes", "quotes", {}),
    ("partners", "partners", {"council": "Southwark"}),
    ("partners-brent", "partners", {"council": "E09000005"}),
    ("partners-mid-suffolk", "partners", {"council": "Mid Suffolk District Council"}),
    ("provenance", "provenance", {"subject": "id:membership/fdcdbe1afae66707-2"}),
    ("partnerships", "partnerships", {}),
    (
        "partnership_members",
        "partnership_members",
        {"partnership": "Suffolk shared enforcement service"},
    ),
    ("council_timeline", "council_timeline", {"council": "Brent"}),
    ("documents", "documents", {}),
    ("low_confidence", "low_confidence", {}),
    ("memberships", "memberships", {}),
    ("council_evidence-brent", "council_evidence", {"council": "Brent"}),
    # one partnership across documents A and B: their claims side by side
    (
        "partnership_history",
        "partnership_history",
        {"partnership": "Brent-Lewisham shared IT service"},
    ),
    # before and after Babergh left (June 2018); Suffolk Constabulary joined in June 2014
    (
        "members_on",
        "members_on",
        {"partnership": "Suffolk shared enforcement service", "date": "2015"},
    ),
    (
        "members_on-2018-07",
        "members_on",
        {"partnership": "Suffolk shared enforcement service", "date": "2018-07"},
    ),
    ("active_on", "active_on", {"date": "2017"}),
    ("active_on-2019-04", "active_on", {"date": "2019-04"}),  # after the Suffolk service ended
]
#: Expected files allowed to hold no rows (none so far: each case must show the query works).
INTENDED_EMPTY: set[str] = set()

CONTRACT_COLUMNS = {
    "events": "council_code council action service_area partnership date status client source "
    "partnership_iri",
    "savings": "who_code who amount currency period partnership speaker source",
    "quotes": "speaker role organisation_code organisation source",
    "partners": "partner_code partner partnership service_area status",
    "provenance": "predicate object source sentence extracted_at",
}


def as_csv(columns: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_text(cell) for cell in row])
    return out.getvalue()


def test_named_queries_every_query_has_a_case() -> None:
    assert {q.name for q in list_queries()} <= {query for _, query, _ in CASES}


@pytest.mark.parametrize("name", sorted(CONTRACT_COLUMNS))
def test_named_queries_contract_columns(name: str) -> None:
    assert get_query(name).columns == CONTRACT_COLUMNS[name].split()


@pytest.mark.parametrize(("stem", "name", "params"), CASES, ids=[c[0] for c in CASES])
def test_named_queries_match_expected(
    mini_store: Store, stem: str, name: str, params: dict
) -> None:
    expected = (EXPECTED / f"{stem}.csv").read_text(encoding="utf-8")
    columns, rows = run_query(mini_store, name, params)
    assert columns == get_query(name).columns
    assert as_csv(columns, rows) == expected
    assert rows or stem in INTENDED_EMPTY, f"{stem}.csv has no rows and is not marked intended"


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_named_queries_project_params_after_columns(mini_store: Store, name: str) -> None:
    """Each parameter variable is projected right after the header's columns (for Oxigraph)."""
    q = get_query(name)
    params = next(p for _, n, p in CASES if n == name)
    from lgkg.queries.named import bind_params

    columns, _ = mini_store.select(q.text, bind_params(q, params))
    assert columns == q.columns + [p.name for p in q.params]


@pytest.mark.parametrize(("stem", "name", "params"), CASES, ids=[c[0] for c in CASES])
def test_named_queries_need_no_union_default_graph(stem: str, name: str, params: dict) -> None:
    """Queries name their graphs, so they give the same answer on a plain SPARQL 1.1 store."""
    with OxigraphStore(None, union_default_graph=False) as store:
        load_dataset(store, FIXTURE.read_bytes())
        columns, rows = run_query(store, name, params)
    assert as_csv(columns, rows) == (EXPECTED / f"{stem}.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_named_queries_header_complete(name: str) -> None:
    q = get_query(name)
    assert q.title and q.description and q.columns
    for param in q.params:
        assert param.description and param.example
        assert f"?{param.name} " in q.text or f"?{param.name}\n" in q.text
