"""The word lists the extraction rules read, loaded once from ``extract/patterns/*.json``."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """The JSON data file ``extract/patterns/{name}.json``.

    >>> "joined" in load("actions")
    True
    """
    text = (files("lgkg.extract") / "patterns" / f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def phrase_set(name: str, key: str) -> frozenset[tuple[str, ...]]:
    """A list of token sequences in a data file, as a set of tuples."""
    return frozenset(tuple(p) for p in load(name)[key])
