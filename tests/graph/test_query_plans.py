"""Query plans (``queries/plans/KIND/NAME.rq``) give the rows of their query, in its order."""

from __future__ import annotations

from pathlib import Path

import pytest

from lgkg.graph.store import MemoryStore, OxigraphStore, load_dataset
from lgkg.queries.named import get_query, list_queries, run_query

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
#: mini.trig has the usual shapes; query_edges.trig the unusual ones: bodies with no label
#: or a language-tagged one, an unknown council code, actions and areas with no notation,
#: several labels, names or service areas, documents with a file name, a URL, both or neither.
DATASETS = ("mini.trig", "query_edges.trig")
PLANS = [(q.name, kind) for q in list_queries() for kind in sorted(q.plans)]


def test_query_plans_exist_for_the_list_queries() -> None:
    assert {("events", "oxigraph-disk"), ("savings", "oxigraph-disk")} <= set(PLANS)
    assert ("quotes", "oxigraph-disk") in PLANS


@pytest.fixture(scope="module")
def disk_store(tmp_path_factory: pytest.TempPathFactory):
    store = OxigraphStore(tmp_path_factory.mktemp("plans") / "store")
    for name in DATASETS:
        load_dataset(store, (FIXTURES / name).read_bytes())
    yield store
    store.close()


@pytest.mark.parametrize(("name", "kind"), PLANS)
def test_query_plan_gives_the_same_rows_in_the_same_order(disk_store, name: str, kind: str):
    q = get_query(name)
    columns, rows = disk_store.select(q.text)
    plan_columns, plan_rows = disk_store.select(q.plans[kind])
    assert plan_columns == columns
    assert plan_rows == rows
    assert len(rows) >= 10  # the fixtures exercise the query


def test_query_plan_is_run_on_the_store_it_is_for(disk_store) -> None:
    q = get_query("events")
    assert disk_store.query_plan == "oxigraph-disk"
    assert q.text_for(disk_store) == q.plans["oxigraph-disk"]
    with OxigraphStore(None) as in_memory:
        assert q.text_for(in_memory) == q.text  # in memory the plain text is faster
    assert q.text_for(MemoryStore()) == q.text
    assert run_query(disk_store, "events") == (q.columns, disk_store.select(q.text)[1])
