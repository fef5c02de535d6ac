"""Hypothesis strategies for press-release-like texts built from the project's own data.

Fragments: council names from the gazetteer, action trigger words and
service-area words from ``extract/patterns``, amounts, dates, quotations and
junk (any text hypothesis draws, control characters and odd Unicode included).
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from hypothesis import strategies as st


def _strings(node: object) -> list[str]:
    """Every string value in a JSON structure (keys starting "_" skipped)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    if isinstance(node, dict):
        return [
            s for key, value in node.items() if not key.startswith("_") for s in _strings(value)
        ]
    return []


@cache
def council_names() -> list[str]:
    from lgkg.extract.gazetteer import Gazetteer

    names = set()
    for council in Gazetteer.load().councils():
        names.update(n for n in (council.official_name, council.short_name) if n)
    return sorted(names)


@cache
def pattern_words(name: str) -> list[str]:
    data = json.loads((files("lgkg.extract") / "patterns" / name).read_text(encoding="utf-8"))
    return sorted({w for w in _strings(data) if 0 < len(w) < 60})


AMOUNTS = st.builds(
    lambda n, unit, period: f"£{n:,}{unit}{period}",
    st.integers(0, 10_000_000),
    st.sampled_from(["", "m", " million", "k", "bn"]),
    st.sampled_from(["", " a year", " per annum", " over five years", " by 2020/21"]),
)
DATES = st.one_of(
    st.builds(
        lambda d, m, y: f"{d} {m} {y}",
        st.integers(0, 40),
        st.sampled_from(["January", "April", "Sept", "June", "Smarch"]),
        st.integers(1900, 2100),
    ),
    st.builds(lambda y: f"{y}/{(y + 1) % 100:02d}", st.integers(1990, 2040)),
    st.sampled_from(["next year", "from April", "by the end of 2019", "in 20199"]),
)
JUNK = st.text(max_size=40)


@st.composite
def fragments(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 8))
    if kind <= 1:
        return draw(st.sampled_from(council_names()))
    if kind == 2:
        return draw(st.sampled_from(pattern_words("actions.json")))
    if kind == 3:
        return draw(st.sampled_from(pattern_words("service_areas.json")))
    if kind == 4:
        return draw(AMOUNTS)
    if kind == 5:
        return draw(DATES)
    if kind == 6:
        person = draw(st.sampled_from(["Councillor Jane Smith", "Cllr Ali Khan", "the leader"]))
        words = draw(st.lists(st.sampled_from(pattern_words("speech.json")), max_size=2))
        return f'{person} said: "{" ".join(words) or draw(JUNK)}"'
    if kind == 7:
        return draw(st.sampled_from(["and", "with", "have agreed to", "shared service", "will"]))
    return draw(JUNK)


@st.composite
def press_releases(draw: st.DrawFn) -> str:
    """A text of a few sentences; always with at least one council name."""
    sentences = []
    for _ in range(draw(st.integers(1, 5))):
        parts = draw(st.lists(fragments(), min_size=1, max_size=10))
        parts.insert(draw(st.integers(0, len(parts))), draw(st.sampled_from(council_names())))
        sentences.append(" ".join(parts) + draw(st.sampled_from([".", "!", "?", "", ";"])))
    glue = draw(st.sampled_from([" ", "\n", "\n\n", "\r\n"]))
    return glue.join(sentences)
