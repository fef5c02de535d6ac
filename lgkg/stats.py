"""Counts of what a store holds (``lgkg stats``): the same store gives the same output.

>>> from lgkg.graph.store import MemoryStore
>>> print(format_stats(store_stats(MemoryStore())))
documents     0
triples       0
councils      0
partnerships  0
events        0
savings       0
quotes        0
checked       0
corrected     0
rejected      0
added         0
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from lgkg.graph.store import Store

ORDER = (
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
)


@cache
def _query() -> str:
    return (files("lgkg") / "stats.rq").read_text(encoding="utf-8")


def store_stats(store: Store) -> dict[str, int]:
    """The counts, in :data:`ORDER` (triples: every quad, reference graph included; facts as
    analysts' corrections leave them; checked, corrected, rejected and added: their work)."""
    columns, rows = store.select(_query())
    counts = {
        c: int(v.toPython()) if v is not None else 0 for c, v in zip(columns, rows[0], strict=True)
    }
    counts["triples"] = store.count()
    return {name: counts[name] for name in ORDER}


def format_stats(counts: dict[str, int]) -> str:
    """One ``name  value`` line per count, aligned."""
    width = max(len(name) for name in counts)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in counts.items())
