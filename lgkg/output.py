"""Rendering result rows for people (an aligned table) and for programs (CSV, JSON).

Rows hold rdflib terms or plain values; each cell becomes text with
:func:`cell_text` (the lexical form, the IRI, or "" when unbound).

>>> import io
>>> out = io.StringIO()
>>> write_rows(["name", "n"], [["Brent", 2], ["Lewisham", None]], "csv", out)
>>> out.getvalue().splitlines()
['name,n', 'Brent,2', 'Lewisham,']
>>> print(table(["name", "n"], [["Brent", 2]]))
name   n
-----  -
Brent  2
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Sequence
from typing import Any, TextIO, TypeVar

ROW_FORMATS = ("table", "csv", "json")
#: C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with its control characters escaped as ``repr`` writes them (``\\n``, ``\\x1b``).

    Every message line that echoes a document's name, URL or reason goes
    through it, so a file named with a newline stays on its line and cannot
    fake another one.

    >>> print(printable("a.txt\\ningested b.txt\\x1b[2J"))
    a.txt\\ningested b.txt\\x1b[2J
    """
    return _CONTROLS.sub(lambda m: repr(m[0])[1:-1], text)


def table(columns: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 60) -> str:
    """An aligned plain-text table with a header rule; long cells are cut with "…"."""
    from lgkg.queries.named import cell_text  # here, so commands that print no rows start fast

    cells = [[_cut(cell_text(v).replace("\n", " "), max_width) for v in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def write_rows(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str, out: TextIO
) -> None:
    """Write rows as ``table``, ``csv`` (header first) or ``json`` (a list of objects)."""
    from lgkg.queries.named import cell_text

    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([cell_text(v) for v in row] for row in rows)
    elif fmt == "json":
        records = [{c: cell_text(v) for c, v in zip(columns, row, strict=True)} for row in rows]
        json.dump(records, out, indent=2, ensure_ascii=False)
        out.write("\n")
    elif fmt == "table":
        out.write(table(columns, rows) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(ROW_FORMATS)}")


F = TypeVar("F", bound=Callable[..., Any])


def format_option(choices: Sequence[str], default: str, help: str) -> Callable[[F], F]:
    """The ``--format`` option of a command: one of ``choices`` (``fmt`` in the function)."""
    import click

    return click.option(
        "--format",
        "fmt",
        type=click.Choice(tuple(choices)),
        default=default,
        show_default=True,
        help=help,
    )
