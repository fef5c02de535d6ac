"""The council network (lgkg.network, lgkg.network_draw, ``lgkg network``) on the mini fixture."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from lgkg.cli import cli
from lgkg.graph.store import OxigraphStore, load_dataset
from lgkg.network import (
    Membership,
    NetworkError,
    add_metrics,
    build_network,
    chain_rows,
    member_status,
    network_from_memberships,
    node_link,
    node_rows,
    read_memberships,
    resolve_council,
    shortest_chain,
    write_gexf,
    write_graphml,
    write_json,
)
from lgkg.network_draw import draw

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "mini.trig"
BRENT, LEWISHAM, SOUTHWARK = "E09000005", "E09000023", "E09000028"
BABERGH, MID_SUFFOLK = "E07000200", "E07000203"


@pytest.fixture(scope="module")
def store() -> Iterator[OxigraphStore]:
    with OxigraphStore(None) as s:
        load_dataset(s, FIXTURE.read_bytes())
        yield s


@pytest.fixture(scope="module")
def graph(store: OxigraphStore) -> nx.Graph:
    return build_network(store)


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("network") / "store"
    with OxigraphStore(path) as s:
        load_dataset(s, FIXTURE.read_bytes())
    return path


def row(code: str, partnership: str, status: str = "done", begin: str = "", end: str = "", **kw):
    """A membership row with defaults: the partnership's IRI is its label, the area ict."""
    fields = {
        "member": kw.get("member", code.lower()),
        "service_area": kw.get("service_area", "ict"),
        "published": kw.get("published", ""),
    }
    return Membership(
        code,
        fields["member"],
        partnership,
        f"p:{partnership}",
        fields["service_area"],
        status,
        begin,
        end,
        fields["published"],
        "doc",
    )


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# --------------------------------------------------------------------------- building


def test_network_reads_the_memberships_query(store: OxigraphStore) -> None:
    rows = read_memberships(store)
    assert len(rows) == 11  # 8 memberships, and Babergh leaving and the service ending (3 rows)
    assert sum(1 for r in rows if not r.begin and r.end) == 3
    assert {r.member for r in rows if not r.member_code} == {"Suffolk Constabulary"}


def test_network_nodes_are_councils_with_names(graph: nx.Graph) -> None:
    assert dict(graph.nodes(data="name")) == {
        BRENT: "Brent",
        LEWISHAM: "Lewisham",
        SOUTHWARK: "Southwark",
        BABERGH: "Babergh",
        MID_SUFFOLK: "Mid Suffolk",
    }


def test_network_edges_carry_weight_partnerships_areas_status(graph: nx.Graph) -> None:
    assert graph.edges[BRENT, LEWISHAM] == {
        "weight": 1,
        "partnerships": ["Brent-Lewisham shared IT service"],
        "service_areas": ["ict"],
        "status": "done",
    }
    assert graph.edges[SOUTHWARK, BRENT]["status"] == "proposed"
    assert graph.edges[BABERGH, MID_SUFFOLK]["service_areas"] == ["regulatory"]
    assert graph.number_of_edges() == 4


@pytest.mark.parametrize(
    ("as_of", "edges"),
    [
        (
            None,
            {(BRENT, LEWISHAM), (BRENT, SOUTHWARK), (LEWISHAM, SOUTHWARK), (BABERGH, MID_SUFFOLK)},
        ),
        ("2010", set()),
        ("2015", {(BABERGH, MID_SUFFOLK)}),
        ("2016-03-31", {(BABERGH, MID_SUFFOLK)}),
        ("2016-04", {(BRENT, LEWISHAM), (BABERGH, MID_SUFFOLK)}),
        ("2018-05-31", {(BRENT, LEWISHAM), (BABERGH, MID_SUFFOLK)}),
        ("2018-06", {(BRENT, LEWISHAM)}),
        ("2030", {(BRENT, LEWISHAM)}),
    ],
)
def test_network_as_of_dates(store: OxigraphStore, as_of: str | None, edges: set) -> None:
    graph = build_network(store, as_of=as_of)
    assert {tuple(sorted(e)) for e in graph.edges} == {tuple(sorted(e)) for e in edges}


def test_network_as_of_keeps_councils_without_links_while_members(store: OxigraphStore) -> None:
    graph = build_network(store, as_of="2018-07")
    assert MID_SUFFOLK in graph and BABERGH not in graph
    assert graph.degree(MID_SUFFOLK) == 0


@pytest.mark.parametrize(
    ("min_status", "councils"),
    [
        ("proposed", {BRENT, LEWISHAM, SOUTHWARK, BABERGH, MID_SUFFOLK}),
        ("agreed", {BRENT, LEWISHAM, BABERGH, MID_SUFFOLK}),
        ("done", {BRENT, LEWISHAM, BABERGH, MID_SUFFOLK}),
    ],
)
def test_network_min_status(store: OxigraphStore, min_status: str, councils: set) -> None:
    assert set(build_network(store, min_status=min_status)) == councils


def test_network_weight_counts_shared_partnerships() -> None:
    rows = [
        row("E1", "legal team", service_area="legal"),
        row("E2", "legal team", service_area="legal"),
        row("E1", "IT service"),
        row("E2", "IT service"),
        row("E3", "IT service", status="proposed"),
    ]
    graph = network_from_memberships(rows)
    assert graph.edges["E1", "E2"]["weight"] == 2
    assert graph.edges["E1", "E2"]["partnerships"] == ["IT service", "legal team"]
    assert graph.edges["E1", "E2"]["service_areas"] == ["ict", "legal"]
    assert graph.edges["E1", "E3"] == {
        "weight": 1,
        "partnerships": ["IT service"],
        "service_areas": ["ict"],
        "status": "proposed",
    }
    assert graph.nodes["E1"]["partnerships"] == 2


def test_network_leaves_out_bodies_that_are_not_councils() -> None:
    graph = network_from_memberships([row("", "P", member="Police"), row("E1", "P")])
    assert list(graph) == ["E1"] and not graph.number_of_edges()


@pytest.mark.parametrize(
    ("rows", "as_of", "expected"),
    [
        ([row("E1", "P", "agreed", "2016")], None, "agreed"),
        ([row("E1", "P", "agreed"), row("E1", "P", "done")], None, "done"),
        ([row("E1", "P", "proposed", "2016")], "2017", None),  # a proposal is not a membership
        ([row("E1", "P", "agreed", "2016-04")], "2016-04-01", "agreed"),
        ([row("E1", "P", "done", "2016-04")], "2016-03-31", None),
        ([row("E1", "P", "done", published="2015-06")], "2015-07", "done"),  # undated, known
        ([row("E1", "P", "done", published="2015-06")], "2015-05", None),
        ([row("E1", "P", "done")], "2015-05", None),  # undated, unpublished: never counted
        ([row("E1", "P", "agreed", published="2015-06")], "2016", None),  # not yet in effect
        ([row("E1", "P", "done", "2011", "2018-06")], "2018-05-31", "done"),
        ([row("E1", "P", "done", "2011", "2018-06")], "2018-06", None),
        ([row("E1", "P", "done", "2011", "unknown", published="2019")], "2018", "done"),
        ([row("E1", "P", "done", "2011", "unknown", published="2019")], "2019", None),
        ([row("E1", "P", "done", "2011", "unknown")], "2012", None),
        # a later document knows the end the earlier one did not
        ([row("E1", "P", "done", "2011"), row("E1", "P", "done", "2011", "2014")], "2015", None),
    ],
)
def test_network_member_status_rules(rows, as_of, expected) -> None:
    assert member_status(rows, as_of) == expected


@pytest.mark.parametrize("bad", ["2016-5", "April 2016", "16"])
def test_network_rejects_bad_dates(bad: str) -> None:
    with pytest.raises(NetworkError, match="not an ISO date"):
        network_from_memberships([], as_of=bad)


def test_network_rejects_unknown_status() -> None:
    with pytest.raises(NetworkError, match="status must be one of"):
        network_from_memberships([], min_status="maybe")


# --------------------------------------------------------------------------- metrics, paths


def test_network_metrics(graph: nx.Graph) -> None:
    brent = graph.nodes[BRENT]
    assert (brent["degree"], brent["weighted_degree"], brent["betweenness"]) == (2, 2, 0.0)
    assert graph.graph["components"] == 2 and graph.graph["communities"] == 2
    london = {graph.nodes[c]["community"] for c in (BRENT, LEWISHAM, SOUTHWARK)}
    suffolk = {graph.nodes[c]["community"] for c in (BABERGH, MID_SUFFOLK)}
    assert london == {0} and suffolk == {1}
    assert graph.nodes[MID_SUFFOLK]["component"] == 1


def test_network_metrics_on_a_chain() -> None:
    graph = add_metrics(nx.path_graph(["a", "b", "c", "d"]))
    assert graph.nodes["b"]["betweenness"] == pytest.approx(2 / 3, abs=1e-6)
    assert graph.nodes["a"]["betweenness"] == 0.0


def test_network_metrics_on_an_empty_graph() -> None:
    graph = add_metrics(nx.Graph())
    assert graph.graph["components"] == 0 and node_rows(graph)[1] == []


def test_network_node_rows_most_connected_first(graph: nx.Graph) -> None:
    columns, rows = node_rows(graph)
    assert columns[:2] == ["code", "name"]
    assert [r[0] for r in rows] == [BRENT, LEWISHAM, SOUTHWARK, BABERGH, MID_SUFFOLK]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("E09000028", SOUTHWARK),
        ("e09000028", SOUTHWARK),
        ("southwark", SOUTHWARK),
        ("London Borough of Southwark", SOUTHWARK),
        ("Mid Suffolk District Council", MID_SUFFOLK),
    ],
)
def test_network_resolve_council(graph: nx.Graph, name: str, code: str) -> None:
    assert resolve_council(graph, name) == code


@pytest.mark.parametrize(
    ("name", "message"),
    [("Nowhereshire", "unknown council"), ("Kent County Council", "in no shared partnership")],
)
def test_network_resolve_council_errors(graph: nx.Graph, name: str, message: str) -> None:
    with pytest.raises(NetworkError, match=message):
        resolve_council(graph, name)


def test_network_shortest_chain_and_its_rows() -> None:
    rows = [row("E1", "A"), row("E2", "A"), row("E2", "B"), row("E3", "B"), row("E9", "C")]
    rows += [row("E8", "C")]
    graph = network_from_memberships(rows)
    chain = shortest_chain(graph, "E1", "E3")
    assert chain == ["E1", "E2", "E3"]
    columns, hops = chain_rows(graph, chain)
    assert [h[4] for h in hops] == ["A", "B"]
    assert columns == ["from_code", "from", "to_code", "to", "partnerships", "service_areas"]
    with pytest.raises(NetworkError, match="no chain"):
        shortest_chain(graph, "E1", "E9")


# --------------------------------------------------------------------------- exports, picture


def test_network_graphml_and_gexf_round_trip(graph: nx.Graph, tmp_path: Path) -> None:
    write_graphml(graph, tmp_path / "n.graphml")
    write_gexf(graph, tmp_path / "n.gexf")
    for back in (nx.read_graphml(tmp_path / "n.graphml"), nx.read_gexf(tmp_path / "n.gexf")):
        assert set(back) == set(graph)
        assert back.number_of_edges() == graph.number_of_edges()
        data = back.edges[BRENT, LEWISHAM]
        assert int(data["weight"]) == 1
        assert data["partnerships"] == "Brent-Lewisham shared IT service"
        assert data["service_areas"] == "ict"
    assert nx.read_graphml(tmp_path / "n.graphml").nodes[SOUTHWARK]["name"] == "Southwark"


def test_network_node_link_json(graph: nx.Graph, tmp_path: Path) -> None:
    write_json(graph, tmp_path / "n.json")
    data = json.loads((tmp_path / "n.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(node_link(graph)))
    assert {n["id"] for n in data["nodes"]} == set(graph)
    link = next(x for x in data["links"] if {x["source"], x["target"]} == {BRENT, LEWISHAM})
    assert link["partnerships"] == ["Brent-Lewisham shared IT service"]


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_network_draw_picture(graph: nx.Graph, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"n.{suffix}"
    draw(graph, path)
    data = path.read_bytes()
    if suffix == "png":
        assert data.startswith(b"\x89PNG")
        assert len(data) > 20_000
    else:
        text = data.decode("utf-8")
        for label in ("Brent", "Mid Suffolk", "ict (3 links)", "regulatory (1 link)"):
            assert label in text


def test_network_draw_empty_and_bad_suffix(tmp_path: Path) -> None:
    draw(add_metrics(nx.Graph()), tmp_path / "empty.svg")
    assert "no shared partnerships" in (tmp_path / "empty.svg").read_text(encoding="utf-8")
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        draw(nx.Graph(), tmp_path / "n.jpg")


# --------------------------------------------------------------------------- the command


def test_network_cli_table(store_dir: Path) -> None:
    result = run("network", "--store", str(store_dir), "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["name"] for r in rows] == ["Brent", "Lewisham", "Southwark", "Babergh", "Mid Suffolk"]
    assert rows[0]["weighted_degree"] == "2"
    assert "5 councils, 4 links, 2 components, 2 communities" in result.stderr


def test_network_cli_path_as_of_and_exports(store_dir: Path, tmp_path: Path) -> None:
    result = run("network", "--store", str(store_dir), "--path", "Southwark", "Lewisham")
    assert result.exit_code == 0, result.output
    assert "Brent-Lewisham shared IT service" in result.stdout
    files = {ext: tmp_path / f"n.{ext}" for ext in ("graphml", "gexf", "json", "png", "svg")}
    args = [x for ext, p in files.items() for x in (f"--{ext}", str(p))]
    result = run("network", "--store", str(store_dir), "--as-of", "2018-07", "--top", "1", *args)
    assert result.exit_code == 0, result.output
    assert "(as of 2018-07)" in result.stderr
    assert len(result.stdout.splitlines()) == 3  # header, rule, one council
    assert all(p.stat().st_size > 0 for p in files.values())


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--as-of", "2016-5"], 2, "not an ISO date"),
        (["--path", "Southwark", "Babergh"], 1, "no chain"),
        (["--path", "Southwark", "Nowhereshire"], 1, "unknown council"),
        (["--png", "x.jpg"], 2, ".png or .svg"),
    ],
)
def test_network_cli_errors(store_dir: Path, args: list[str], code: int, message: str) -> None:
    result = run("network", "--store", str(store_dir), *args)
    assert result.exit_code == code
    assert message in result.output


def test_network_cli_missing_store(tmp_path: Path) -> None:
    result = run("network", "--store", str(tmp_path / "none"))
    assert result.exit_code == 1 and "no store at" in result.output
