"""Query plans (``queries/plans/KIND/NAME.rq``) give the rows of their query, in its order."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal

from lgkg.graph.store import MemoryStore, OxigraphStore, load_dataset
from lgkg.queries.named import get_query, list_queries, run_query
from lgkg.queries.plan import Plan, PlanError, parse_plan

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
    q, plan = get_query(name), get_query(name).plans[kind]
    columns, rows = disk_store.select(q.text)
    plan_columns, plan_rows = disk_store.select(plan.text, unmark=plan.keyed)
    assert plan_columns == columns
    assert plan.sorted(plan_columns, plan_rows) == rows
    assert len(rows) >= 10  # the fixtures exercise the query


def test_query_plan_is_run_on_the_store_it_is_for(disk_store) -> None:
    q = get_query("events")
    assert disk_store.query_plan == "oxigraph-disk"
    assert q.plan_for(disk_store) == q.plans["oxigraph-disk"]
    with OxigraphStore(None) as in_memory:
        assert q.plan_for(in_memory) == Plan(q.text)  # in memory the plain text is faster
    assert q.plan_for(MemoryStore()) == Plan(q.text)
    assert run_query(disk_store, "events") == (q.columns, disk_store.select(q.text)[1])


def test_query_plan_header_lines_are_read() -> None:
    plan = get_query("events").plans["oxigraph-disk"]
    assert set(plan.keyed) <= set(get_query("events").columns)
    assert plan.order == (
        "partnership",
        "date",
        "council_code",
        "council",
        "action",
        "status",
        "client",
        "source",
        "service_area",
        "partnership_iri",
    )  # events.rq's ORDER BY
    clauses = [line for line in plan.text.splitlines() if not line.lstrip().startswith("#")]
    assert not any("ORDER BY" in line for line in clauses)  # lgkg sorts instead


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# keyed: a nope\nSELECT ?a {}", "names nope"),
        ("# order:\nSELECT ?a {}", "names no column"),
        ("# order: a\n# order: b\nSELECT ?a ?b {}", "more than one 'order:' line"),
    ],
)
def test_query_plan_header_mistakes_are_named(text: str, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        parse_plan(text, ["a", "b"], "plans/x/q.rq")


def test_query_plan_sorts_texts_by_code_point() -> None:
    plan = Plan("", order=("b", "a"))
    rows = [
        [Literal("1"), Literal("b")],
        [Literal("2"), Literal("B")],  # capitals before small letters, as in SPARQL
        [Literal("0"), Literal("b")],
        [Literal("9"), Literal("")],
    ]
    assert [str(r[0]) for r in plan.sorted(["a", "b"], rows)] == ["9", "2", "0", "1"]
    single = Plan("", order=("a",))
    assert [str(r[0]) for r in single.sorted(["a", "b"], rows)] == ["0", "1", "2", "9"]
    assert Plan("").sorted(["a", "b"], rows) is rows


def test_query_plan_order_columns_must_be_bound() -> None:
    with pytest.raises(PlanError, match="bound in every row"):
        Plan("", order=("a",)).sorted(["a"], [[Literal("x")], [None]])
