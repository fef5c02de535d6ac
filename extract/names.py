"""People's names: titles before them and post-nominal letters after them.

The lists are ``extract/data/titles.json``. Used when quoted speakers are
read (:mod:`lgkg.extract.quotes`) and when speakers are scored
(:mod:`lgkg.extract.evaluate`).

>>> strip_titles("Cllr Dr  Jane Smith OBE")
'Jane Smith'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Titles:
    """Titles before a name (lower case, without full stops) and post-nominals after it."""

    prefixes: tuple[tuple[str, ...], ...]  # word sequences, longest first
    postnominals: frozenset[str]


@cache
def load_titles() -> Titles:
    """The title lists of ``extract/data/titles.json``."""
    data = json.loads((files("lgkg.extract") / "data" / "titles.json").read_text("utf-8"))
    prefixes = {tuple(p.lower().replace(".", "").split()) for p in data["prefixes"]}
    postnominals = frozenset(p.replace(".", "") for p in data["postnominals"])
    return Titles(tuple(sorted(prefixes, key=len, reverse=True)), postnominals)


@cache
def one_word_titles() -> frozenset[str]:
    """One-word honorifics ("cllr", "councillor", "dr", "mr"), lower case without full stops.

    >>> {"cllr", "dr"} <= one_word_titles()
    True
    """
    return frozenset(p[0] for p in load_titles().prefixes if len(p) == 1)


def strip_titles(name: str) -> str:
    """A person's name without titles before it or post-nominal letters after it.

    A name is never stripped to nothing: "Lord Mayor" alone stays as it is.

    >>> strip_titles("The Rt Hon. Lord Smith of Anytown")
    'Smith of Anytown'
    >>> strip_titles("Councillor Amy Jones, MBE JP")
    'Amy Jones'
    """
    titles = load_titles()
    words = name.replace(",", " ").split()
    changed = True
    while changed:
        changed = False
        keys = [w.lower().replace(".", "") for w in words]
        for prefix in titles.prefixes:
            if len(keys) > len(prefix) and tuple(keys[: len(prefix)]) == prefix:
                words = words[len(prefix) :]
                changed = True
                break
    if tuple(w.lower().replace(".", "") for w in words) in titles.prefixes:
        words = name.replace(",", " ").split()  # only titles: keep them all
    while len(words) > 1 and words[-1].replace(".", "") in titles.postnominals:
        words = words[:-1]
    return " ".join(words)


def name_key(name: str) -> str:
    """Names compared case-insensitively, whitespace collapsed."""
    return " ".join(name.split()).lower()


def speaker_key(name: str) -> str:
    """How speakers are compared: no titles, lower case.

    >>> speaker_key("Cllr  FIONA Colley")
    'fiona colley'
    """
    return name_key(strip_titles(name))
