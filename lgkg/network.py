"""The council network: UK councils linked by the partnerships they share (networkx).

Nodes are councils (their GSS code, with ``name`` the short name). Two
councils are linked when both are members of a partnership, i.e. both have
a ``formed`` or ``joined`` event in it (the ``memberships`` named query reads
them); an edge's ``weight`` is the number of partnerships they share, its
``partnerships`` and ``service_areas`` list them. Bodies that are not UK
councils (police, NHS, companies) are left out.

``as_of`` gives the network at a date: a membership counts when it is
``agreed`` or ``done`` and began on or before that date (one with no stated
beginning counts once it is ``done`` and its document was published by then)
and no document says it had ended by then (an end with no date counts from
the publication of the document that reports it). Dates given to the month or
year count from their first day.

>>> rows = [Membership("E1", "A", "P", "p:1", "ict", "done", "2016", "", "2017", "d"),
...         Membership("E2", "B", "P", "p:1", "ict", "done", "2016", "2019-06", "2019", "d")]
>>> g = network_from_memberships(rows)
>>> sorted(g.edges(data="weight"))
[('E1', 'E2', 1)]
>>> network_from_memberships(rows, as_of="2020").number_of_edges()
0
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from lgkg.extract.vocabulary import AGREED, DONE, PROPOSED, STATUSES, status_rank

NODE_COLUMNS = [
    "code",
    "name",
    "partnerships",
    "degree",
    "weighted_degree",
    "betweenness",
    "community",
    "component",
]
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


class NetworkError(ValueError):
    """A bad date, status or council name, or a council that is not in the network."""


@dataclass(frozen=True)
class Membership:
    """One row of the ``memberships`` named query (every value is text, "" when unknown)."""

    member_code: str
    member: str
    partnership: str
    partnership_iri: str
    service_area: str
    status: str
    begin: str
    end: str  # "" (no end known), "unknown" (ended, date not stated) or an ISO date
    published: str
    source: str


def first_day(value: str) -> str | None:
    """An ISO date, year-month or year as the ISO date of its first day; None if not a date.

    >>> first_day("2016"), first_day("2016-04"), first_day("2016-04-09Z"), first_day("soon")
    ('2016-01-01', '2016-04-01', '2016-04-09', None)
    """
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{month or '01'}-{day or '01'}"


def _as_of_day(as_of: str | None) -> str | None:
    if not as_of:
        return None
    day = first_day(as_of)
    if day is None or not _DATE.fullmatch(as_of.strip()):
        raise NetworkError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {as_of!r}")
    return day


def _check_status(min_status: str) -> int:
    if min_status not in STATUSES:
        raise NetworkError(f"status must be one of {', '.join(STATUSES)}, not {min_status!r}")
    return status_rank(min_status)


def read_memberships(store: Any) -> list[Membership]:
    """Every membership in ``store`` (any :class:`~lgkg.graph.store.Store`)."""
    from lgkg.queries.named import cell_text, run_query

    _, rows = run_query(store, "memberships")
    return [Membership(*(cell_text(cell) for cell in row)) for row in rows]


def _ended_by(row: Membership, day: str) -> bool:
    if not row.end:
        return False
    end = first_day(row.end) if row.end != "unknown" else first_day(row.published)
    return end is None or end <= day


def _begun_by(row: Membership, day: str, min_rank: int) -> bool:
    if status_rank(row.status) < max(min_rank, status_rank(AGREED)):
        return False
    if row.begin:
        begin = first_day(row.begin)
        return begin is not None and begin <= day
    published = first_day(row.published)
    return row.status == DONE and published is not None and published <= day


def member_status(
    rows: Sequence[Membership], as_of: str | None = None, min_status: str = PROPOSED
) -> str | None:
    """The status of one council's membership of one partnership from all its rows.

    The most advanced status any document gives it, or None when it does not
    count (below ``min_status``; or, with ``as_of``, not begun or already ended).

    >>> r = Membership("E1", "A", "P", "p:1", "ict", "agreed", "2016-04", "", "2015", "d")
    >>> member_status([r]), member_status([r], as_of="2016-03"), member_status([r], None, "done")
    ('agreed', None, None)
    """
    min_rank = _check_status(min_status)
    day = _as_of_day(as_of)
    if day is None:
        counted = [r for r in rows if status_rank(r.status) >= min_rank]
    else:
        if any(_ended_by(r, day) for r in rows):
            return None
        counted = [r for r in rows if _begun_by(r, day, min_rank)]
    return max((r.status for r in counted), key=status_rank, default=None)


def network_from_memberships(
    rows: Iterable[Membership], as_of: str | None = None, min_status: str = PROPOSED
) -> nx.Graph:
    """The council network from membership rows (see the module docstring)."""
    _check_status(min_status)
    _as_of_day(as_of)
    by_pair: dict[tuple[str, str], list[Membership]] = defaultdict(list)
    for row in rows:
        if row.member_code:
            by_pair[(row.partnership_iri, row.member_code)].append(row)
    graph = nx.Graph(as_of=as_of or "", min_status=min_status)
    members: dict[str, dict[str, str]] = defaultdict(dict)  # partnership -> code -> status
    labels: dict[str, str] = {}
    areas: dict[str, str] = {}
    for (partnership, code), pair_rows in sorted(by_pair.items()):
        status = member_status(pair_rows, as_of, min_status)
        if status is None:
            continue
        members[partnership][code] = status
        labels[partnership] = min(r.partnership for r in pair_rows)
        areas[partnership] = min((r.service_area for r in pair_rows if r.service_area), default="")
        if code not in graph:
            graph.add_node(code, code=code, name=min(r.member for r in pair_rows), partnerships=0)
        graph.nodes[code]["partnerships"] += 1
    for partnership, statuses in sorted(members.items()):
        codes = sorted(statuses)
        for i, a in enumerate(codes):
            for b in codes[i + 1 :]:
                weaker = min(statuses[a], statuses[b], key=status_rank)
                _link(graph, a, b, labels[partnership], areas[partnership], weaker)
    return graph


def _link(graph: nx.Graph, a: str, b: str, label: str, area: str, status: str) -> None:
    if not graph.has_edge(a, b):
        graph.add_edge(a, b, weight=0, partnerships=[], service_areas=[], status=status)
    data = graph.edges[a, b]
    data["weight"] += 1
    data["partnerships"] = sorted({*data["partnerships"], label})
    if area:
        data["service_areas"] = sorted({*data["service_areas"], area})
    data["status"] = max(data["status"], status, key=status_rank)


def build_network(
    store: Any, as_of: str | None = None, min_status: str = PROPOSED, metrics: bool = True
) -> nx.Graph:
    """The council network of ``store``, with :func:`add_metrics` unless ``metrics`` is False."""
    graph = network_from_memberships(read_memberships(store), as_of, min_status)
    return add_metrics(graph) if metrics else graph


def _numbered(groups: Iterable[Iterable[str]]) -> dict[str, int]:
    """Node -> group number, groups numbered by size (largest first), then first code."""
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    return {node: i for i, group in enumerate(ordered) for node in group}


def add_metrics(graph: nx.Graph) -> nx.Graph:
    """Set each node's degree, weighted_degree, betweenness, community and component.

    ``betweenness`` is normalised and counts hops (weights ignored);
    ``community`` numbers the greedy-modularity communities (edge weights
    count), ``component`` the connected components, both largest first.
    The graph's ``communities`` and ``components`` give their numbers.

    >>> g = nx.Graph([("a", "b"), ("b", "c")])
    >>> _ = add_metrics(g)
    >>> g.nodes["b"]["betweenness"], g.nodes["a"]["component"], g.graph["components"]
    (1.0, 0, 1)
    """
    betweenness = nx.betweenness_centrality(graph) if len(graph) else {}
    if graph.number_of_edges():
        communities = nx.community.greedy_modularity_communities(graph, weight="weight")
    else:
        communities = [{node} for node in graph]
    community = _numbered(communities)
    component = _numbered(nx.connected_components(graph))
    for node, data in graph.nodes(data=True):
        data["degree"] = graph.degree(node)
        data["weighted_degree"] = graph.degree(node, weight="weight")
        data["betweenness"] = round(betweenness.get(node, 0.0), 6)
        data["community"] = community[node]
        data["component"] = component[node]
    graph.graph["communities"] = len(set(community.values()))
    graph.graph["components"] = len(set(component.values()))
    return graph


def node_rows(graph: nx.Graph) -> tuple[list[str], list[list[Any]]]:
    """One row per council (``NODE_COLUMNS``), most connected first (weighted degree, degree)."""
    order = sorted(
        graph.nodes(data=True),
        key=lambda item: (-item[1].get("weighted_degree", 0), -item[1].get("degree", 0), item[0]),
    )
    return list(NODE_COLUMNS), [[data.get(c, "") for c in NODE_COLUMNS] for _, data in order]


def summary(graph: nx.Graph) -> str:
    """A one-line description of the network.

    >>> summary(add_metrics(nx.Graph([("a", "b")])))
    '2 councils, 1 link, 1 component, 1 community'
    """

    def n(count: int, noun: str, plural: str | None = None) -> str:
        return f"{count} {noun if count == 1 else plural or noun + 's'}"

    parts = [n(len(graph), "council"), n(graph.number_of_edges(), "link")]
    if "components" in graph.graph:
        parts.append(n(graph.graph["components"], "component"))
        parts.append(n(graph.graph["communities"], "community", "communities"))
    text = ", ".join(parts)
    return f"{text} (as of {graph.graph['as_of']})" if graph.graph.get("as_of") else text


# --------------------------------------------------------------------------- paths


def resolve_council(graph: nx.Graph, name: str, gazetteer: Any = None) -> str:
    """The node for a GSS code, a short name in the network or any name the gazetteer knows."""
    raw = name.strip()
    if raw.upper() in graph:
        return raw.upper()
    by_name = [n for n, d in graph.nodes(data=True) if d.get("name", "").lower() == raw.lower()]
    if len(by_name) == 1:
        return by_name[0]
    if gazetteer is None:
        from lgkg.extract.gazetteer import Gazetteer

        gazetteer = Gazetteer.load()
    council = gazetteer.by_code(raw) or gazetteer.lookup(raw)
    if council is None:
        raise NetworkError(f"unknown council {name!r} (give a GSS code or a council name)")
    if council.code not in graph:
        raise NetworkError(
            f"{council.short_name} ({council.code}) is in no shared partnership here"
        )
    return council.code


def shortest_chain(graph: nx.Graph, source: str, target: str) -> list[str]:
    """The fewest-hops chain of councils from ``source`` to ``target`` (nodes, both ends in).

    >>> shortest_chain(nx.Graph([("a", "b"), ("b", "c")]), "a", "c")
    ['a', 'b', 'c']
    """
    try:
        return nx.shortest_path(graph, source, target)
    except nx.NetworkXNoPath:
        a, b = (graph.nodes[n].get("name", n) for n in (source, target))
        raise NetworkError(f"no chain of shared partnerships links {a} and {b}") from None


def chain_rows(graph: nx.Graph, chain: Sequence[str]) -> tuple[list[str], list[list[str]]]:
    """One row per hop of a chain: from, to, and the partnerships they share."""
    columns = ["from_code", "from", "to_code", "to", "partnerships", "service_areas"]
    rows = []
    for a, b in itertools.pairwise(chain):
        data = graph.edges[a, b]
        rows.append(
            [
                a,
                graph.nodes[a].get("name", a),
                b,
                graph.nodes[b].get("name", b),
                "; ".join(data["partnerships"]),
                "; ".join(data["service_areas"]),
            ]
        )
    return columns, rows


# --------------------------------------------------------------------------- exports


def _flat(graph: nx.Graph) -> nx.Graph:
    """A copy whose list attributes are "; "-joined strings (GraphML and GEXF take no lists)."""

    def flat(data: dict[str, Any]) -> dict[str, Any]:
        return {
            k: "; ".join(map(str, v)) if isinstance(v, list) else v
            for k, v in data.items()
            if v is not None
        }

    out = nx.Graph(**flat(graph.graph))
    out.add_nodes_from((n, flat(d)) for n, d in graph.nodes(data=True))
    out.add_edges_from((a, b, flat(d)) for a, b, d in graph.edges(data=True))
    return out


def node_link(graph: nx.Graph) -> dict[str, Any]:
    """The graph as node-link JSON data (``nodes`` with ``id``; ``links`` with source, target)."""
    return {
        "directed": False,
        "multigraph": False,
        "graph": dict(graph.graph),
        "nodes": [{"id": n, **d} for n, d in sorted(graph.nodes(data=True))],
        "links": [
            {"source": a, "target": b, **d}
            for a, b, d in sorted((min(a, b), max(a, b), d) for a, b, d in graph.edges(data=True))
        ],
    }


def write_graphml(graph: nx.Graph, path: str | Path) -> None:
    nx.write_graphml(_flat(graph), str(path))


def write_gexf(graph: nx.Graph, path: str | Path) -> None:
    nx.write_gexf(_flat(graph), str(path))


def write_json(graph: nx.Graph, path: str | Path) -> None:
    Path(path).write_text(
        json.dumps(node_link(graph), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def main_area(data: dict[str, Any], weights: Counter[str] | None = None) -> str:
    """The service area an edge is drawn in: of its areas, the one most common in the network."""
    areas = data.get("service_areas") or ["other"]
    counts = weights or Counter()
    return min(areas, key=lambda a: (-counts[a], a))
