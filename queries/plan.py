"""Query plans: a named query shaped for one kind of store, and what lgkg does with its rows.

A plan (``queries/plans/KIND/NAME.rq``) gives the rows of query NAME, but it may
leave two steps to lgkg, each declared on a comment line of the plan:

``# keyed: COLUMN ...``
    these columns come back as :data:`~lgkg.graph.terms.MARK` (``"~"``) followed
    by the text: a string an on-disk Oxigraph store does not hold, so the engine
    hands it over from memory, where a stored string is read from disk again for
    every row. The store drops the mark (``Store.select(..., unmark=...)``).
``# order: COLUMN ...``
    the plan has no ORDER BY; lgkg sorts the rows by these columns. They must be
    texts, bound in every row: Python compares texts by code point, as SPARQL
    does, in a fraction of the time the engine takes.

>>> plan = parse_plan("# keyed: b\\n# order: b a\\nSELECT ?a ?b {}", ["a", "b"], "x.rq")
>>> plan.keyed, plan.order
(('b',), ('b', 'a'))
>>> from rdflib import Literal
>>> rows = plan.sorted(["a", "b"], [[Literal("1"), Literal("z")], [Literal("2"), Literal("y")]])
>>> [[str(cell) for cell in row] for row in rows]
[['2', 'y'], ['1', 'z']]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lgkg.graph.store import Rows

_FIELD = re.compile(r"^#\s?(keyed|order):(.*)$", re.MULTILINE)


class PlanError(ValueError):
    """A plan is malformed, or its rows are not what it declares."""


@dataclass(frozen=True)
class Plan:
    """The text to run, the columns that come back keyed, and those lgkg sorts by."""

    text: str
    keyed: tuple[str, ...] = ()
    order: tuple[str, ...] = ()

    def sorted(self, columns: Sequence[str], rows: Rows) -> Rows:
        """``rows`` sorted by the ``order`` columns (stable; as they are without any)."""
        if not self.order:
            return rows
        at = [columns.index(name) for name in self.order]
        text = str.__str__  # the plain text of an rdflib term, without its RDF comparisons
        try:
            return sorted(rows, key=lambda row: tuple(map(text, map(row.__getitem__, at))))
        except TypeError as err:  # an unbound cell (None)
            raise PlanError(f"a plan's order columns must be bound in every row: {err}") from None


def parse_plan(text: str, columns: Sequence[str], source: str) -> Plan:
    """A :class:`Plan` from a plan file's text; ``columns`` are its query's columns."""
    fields: dict[str, tuple[str, ...]] = {}
    for match in _FIELD.finditer(text):
        key, names = match.group(1), tuple(match.group(2).split())
        if key in fields:
            raise PlanError(f"{source}: more than one '{key}:' line")
        unknown = [name for name in names if name not in columns]
        if unknown or not names:
            raise PlanError(
                f"{source}: '{key}:' names {', '.join(unknown) or 'no column'}; "
                f"the query's columns are {' '.join(columns)}"
            )
        fields[key] = names
    return Plan(text, keyed=fields.get("keyed", ()), order=fields.get("order", ()))
