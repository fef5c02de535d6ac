"""A picture of the council network (matplotlib, no display needed).

Councils are labelled circles, sized by weighted degree and filled by
community; links are drawn in the colour of their service area (the legend
names them) and as thick as the number of partnerships shared. The layout is
seeded, so the same network gives the same picture.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import networkx as nx

from lgkg.network import main_area, summary

TITLE = "Councils linked by shared partnerships"
FORMATS = ("png", "svg")
LAYOUT_SEED = 7
#: Qualitative colormaps whose colours, in turn, tell service areas apart.
AREA_PALETTES = ("tab10", "Dark2", "Set1")


def layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions: each connected component laid out on its own (seeded spring layout),
    the components packed in rows, largest first, so none drifts off to a corner.
    """
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c)
    )
    radii = [0.35 if len(c) == 1 else 0.6 * math.sqrt(len(c)) for c in components]
    gap = 0.5
    width = max(2 * radii[0], math.sqrt(sum((2 * r + gap) ** 2 for r in radii)))
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for nodes, r in zip(components, radii, strict=True):
        if x > 0 and x + 2 * r > width:
            x, y, row_height = 0.0, y - row_height - gap, 0.0
        centre = (x + r, y - r)
        if len(nodes) == 1:
            pos[nodes[0]] = centre
        else:
            sub = graph.subgraph(nodes)
            k = 1.5 / math.sqrt(len(nodes))
            placed = nx.spring_layout(
                sub, weight="weight", seed=LAYOUT_SEED, k=k, scale=r, center=centre
            )
            pos.update({node: (float(px), float(py)) for node, (px, py) in placed.items()})
        x += 2 * r + gap
        row_height = max(row_height, 2 * r)
    return pos


def draw(graph: nx.Graph, path: str | Path, *, title: str = TITLE, dpi: int = 150) -> None:
    """Write a PNG or SVG picture of ``graph`` (the format follows the file's suffix)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    fmt = Path(path).suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"picture format must be .png or .svg, not {Path(path).name!r}")
    n = len(graph)
    side = max(7.0, min(30.0, 2.2 * math.sqrt(max(n, 1))))
    fig = Figure(figsize=(side + 3.5, side), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.set_axis_off()
    heading = title + (f" (as of {graph.graph['as_of']})" if graph.graph.get("as_of") else "")
    ax.set_title(f"{heading}\n{summary(graph)}", fontsize=12)
    if not n:
        ax.text(0.5, 0.5, "no shared partnerships", ha="center", va="center", fontsize=14)
        _save(fig, path, fmt, dpi)
        return

    pos = layout(graph)
    area_weights: Counter[str] = Counter()
    for _, _, data in graph.edges(data=True):
        area_weights.update(data.get("service_areas") or ["other"])
    areas = sorted(area_weights, key=lambda a: (-area_weights[a], a))
    palette = _colours(AREA_PALETTES, len(areas))
    area_colour = dict(zip(areas, palette, strict=True))

    edges = list(graph.edges(data=True))
    nx.draw_networkx_edges(
        graph,
        pos,
        ax=ax,
        edgelist=[(a, b) for a, b, _ in edges],
        edge_color=[area_colour[main_area(d, area_weights)] for _, _, d in edges],
        width=[1.2 + 1.3 * math.log2(d.get("weight", 1)) for _, _, d in edges],
        alpha=0.85,
    )
    communities = sorted({d.get("community", 0) for _, d in graph.nodes(data=True)})
    fills = dict(zip(communities, _colours(("Pastel1", "Pastel2"), len(communities)), strict=True))
    nodes = list(graph.nodes(data=True))
    nx.draw_networkx_nodes(
        graph,
        pos,
        ax=ax,
        nodelist=[node for node, _ in nodes],
        node_color=[fills[d.get("community", 0)] for _, d in nodes],
        node_size=[260 + 90 * min(d.get("weighted_degree", 0), 20) for _, d in nodes],
        edgecolors="#444444",
        linewidths=0.8,
    )
    nx.draw_networkx_labels(
        graph,
        pos,
        ax=ax,
        labels={node: d.get("name") or node for node, d in nodes},
        font_size=8 if n > 40 else 9,
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
    )
    handles = [
        Line2D([0], [0], color=area_colour[a], lw=3, label=_plural(area_weights[a], a))
        for a in areas
    ]
    ax.legend(
        handles=handles,
        title="Service area (links)",
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
        fontsize=9,
    )
    ax.text(
        1.0,
        0.0,
        "circle size: partnerships shared\ncircle colour: community",
        transform=ax.transAxes,
        fontsize=8,
        color="#555555",
        va="bottom",
    )
    _save(fig, path, fmt, dpi)


def _save(fig, path: str | Path, fmt: str, dpi: int) -> None:
    """Save; an SVG keeps its labels as text (searchable, editable)."""
    from matplotlib import rc_context

    with rc_context({"svg.fonttype": "none"}):
        fig.savefig(path, format=fmt, dpi=dpi)


def _colours(names: tuple[str, ...], count: int) -> list[tuple[float, ...]]:
    """``count`` colours from qualitative colormaps taken in turn, cycling when too few."""
    from matplotlib import colormaps

    pool = [tuple(colormaps[name](i)) for name in names for i in range(colormaps[name].N)]
    return [pool[i % len(pool)] for i in range(count)]


def _plural(count: int, area: str) -> str:
    return f"{area} ({count} link{'' if count == 1 else 's'})"
