"""Named SPARQL queries: the ``queries/*.rq`` files, their headers and typed parameters.

Each ``.rq`` file opens with a comment header::

    # name: partners
    # title: Partners of a council
    # description: One or more lines; a line starting "#" and two or more
    #   spaces continues the field above it.
    # param: council | council | what it is | Southwark
    # columns: partner_code partner partnership service_area status
    # cq: CQ3

``param`` may repeat; its fields are ``name | kind | description | example``
with an optional fifth field ``optional``. Parameter values are converted to
typed RDF terms (:func:`bind_params`) and handed to the store as bindings
(``initBindings`` / ``substitutions``), never pasted into the query text; names
(a council's, a partnership's) are looked up by the store
(:class:`~lgkg.graph.lookup.Lookup`). Every
parameter variable occurs in a triple pattern of its query and is projected
after the header's columns (Oxigraph substitutes only projected variables);
:func:`run_query` returns just the header's columns.

A query may also have *plans*: ``plans/KIND/NAME.rq`` holds the same query
shaped for one kind of store (``plans/oxigraph-disk/events.rq`` for Oxigraph's
on-disk store, which answers it several times faster that way). A store names
its kind in its ``query_plan`` attribute; :func:`run_query` runs the plan there
and the ``.rq`` file everywhere else. A plan, finished as it declares
(:mod:`lgkg.queries.plan`), must give the same rows in the same order
(tests/graph/test_query_plans.py).

>>> q = get_query("partners")
>>> q.columns
['partner_code', 'partner', 'partnership', 'service_area', 'status']
>>> [p.kind for p in q.params]
['council']
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib.resources import files
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from lgkg.graph.base import PREFIXES, Rows, Store
from lgkg.graph.lookup import GSS_CODE, Lookup, as_lookup
from lgkg.graph.terms import date_literal
from lgkg.graph.vocab import ACTION_CONCEPTS, ID, STATUS_CONCEPTS
from lgkg.queries.plan import Plan, parse_plan

HEADER_KEYS = ("name", "title", "description", "param", "columns", "cq")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):([^\s<>\"{}|\\^`]*)")
_CODE = re.compile(r"[a-z][a-z-]*")
_COUNCIL_BASE = str(ID["council/"])


class QueryError(ValueError):
    """A named query is unknown, malformed, or given bad parameters."""


@dataclass(frozen=True)
class Param:
    """One parameter of a named query."""

    name: str
    kind: str  # one of KINDS
    description: str
    example: str
    required: bool = True


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file: its header and its text."""

    name: str
    title: str
    description: str
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    cq: str | None = None
    text: str = ""
    plans: Mapping[str, Plan] = field(default_factory=dict)  # store kind -> plan for it

    def plan_for(self, store: object) -> Plan:
        """What to run on ``store``: the plan for its kind (its ``query_plan``
        attribute) if there is one, else the query itself.

        >>> get_query("events").plan_for(object()) == Plan(get_query("events").text)
        True
        """
        return self.plans.get(getattr(store, "query_plan", None) or "", Plan(self.text))


# -- loading ---------------------------------------------------------------


def parse_header(text: str, source: str = "<query>") -> dict[str, list[str]]:
    """The header fields of a query text, each as the list of its values.

    >>> parse_header("# name: x\\n# description: a\\n#   b\\nSELECT * {}")["description"]
    ['a b']
    """
    fields: dict[str, list[str]] = {}
    last: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        body = stripped[1:]
        match = re.match(r"\s?([a-z_]+):\s*(.*)$", body)
        if match and match.group(1) in HEADER_KEYS:
            last = match.group(1)
            fields.setdefault(last, []).append(match.group(2).strip())
        elif body.startswith("  ") and last is not None:
            fields[last][-1] = f"{fields[last][-1]} {body.strip()}".strip()
        elif body.strip():
            raise QueryError(f"{source}: unexpected header line {line!r}")
    return fields


def _parse_param(spec: str, source: str) -> Param:
    parts = [p.strip() for p in spec.split("|")]
    if len(parts) not in (4, 5) or (len(parts) == 5 and parts[4] != "optional"):
        raise QueryError(
            f"{source}: param must be 'name | kind | description | example [| optional]'"
        )
    name, kind, description, example = parts[:4]
    if kind not in KINDS:
        raise QueryError(f"{source}: unknown param kind {kind!r}; use one of {', '.join(KINDS)}")
    return Param(name, kind, description, example, required=len(parts) == 4)


def parse_query(text: str, source: str = "<query>") -> NamedQuery:
    """A :class:`NamedQuery` from the text of a ``.rq`` file."""
    fields = parse_header(text, source)
    for key in ("name", "title", "columns"):
        if not fields.get(key):
            raise QueryError(f"{source}: the header has no '{key}:' line")
    return NamedQuery(
        name=fields["name"][0],
        title=fields["title"][0],
        description=" ".join(fields.get("description", [])),
        params=[_parse_param(p, source) for p in fields.get("param", [])],
        columns=fields["columns"][0].split(),
        cq=(fields.get("cq") or [None])[0],
        text=text,
    )


@cache
def _load_all() -> dict[str, NamedQuery]:
    queries: dict[str, NamedQuery] = {}
    for entry in sorted(files("lgkg.queries").iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        q = parse_query(entry.read_text(encoding="utf-8"), entry.name)
        if q.name != entry.name[: -len(".rq")]:
            raise QueryError(f"{entry.name}: header name {q.name!r} differs from the file name")
        queries[q.name] = q
    for kind, name, text in _plans():
        if name not in queries:
            raise QueryError(f"plans/{kind}/{name}.rq: there is no query {name!r}")
        plan = parse_plan(text, queries[name].columns, f"plans/{kind}/{name}.rq")
        queries[name] = replace(queries[name], plans={**queries[name].plans, kind: plan})
    return queries


def _plans() -> list[tuple[str, str, str]]:
    """``queries/plans/KIND/NAME.rq``: query NAME shaped for stores of KIND (the same rows
    in the same order, faster there), as (KIND, NAME, text)."""
    root = files("lgkg.queries").joinpath("plans")
    if not root.is_dir():
        return []
    return [
        (kind.name, entry.name[: -len(".rq")], entry.read_text(encoding="utf-8"))
        for kind in sorted(root.iterdir(), key=lambda e: e.name)
        if kind.is_dir()
        for entry in sorted(kind.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".rq")
    ]


def list_queries() -> list[NamedQuery]:
    """Every named query, by name."""
    return list(_load_all().values())


def get_query(name: str) -> NamedQuery:
    """The named query ``name``; KeyError listing the known names if there is none."""
    try:
        return _load_all()[name]
    except KeyError:
        raise KeyError(
            f"no query named {name!r}; known queries: {', '.join(_load_all())}"
        ) from None


# -- parameters ------------------------------------------------------------


def _strip_angles(value: str) -> str:
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1].strip()
    return value


def _iri(value: str, _lookup: Any = None) -> URIRef:
    """An absolute IRI, ``<IRI>``, or a CURIE with a known prefix (``id:event/x-1``)."""
    raw = _strip_angles(value)
    curie = _CURIE.fullmatch(raw)
    if curie and curie.group(1) in PREFIXES:
        raw = PREFIXES[curie.group(1)] + curie.group(2)
    if not _IRI.fullmatch(raw):
        raise QueryError(f"not an IRI: {value!r}")
    return URIRef(raw)


def _council(value: str, lookup: Lookup) -> URIRef:
    """A council IRI from a GSS code (current or former), any known name, or the IRI itself."""
    raw = _strip_angles(value)
    if raw.startswith(_COUNCIL_BASE):
        code = raw[len(_COUNCIL_BASE) :]
        if not GSS_CODE.fullmatch(code):
            raise QueryError(f"not a council IRI: {value!r}")
        raw = code
    council = lookup.lookup_council(raw)
    if council is not None:
        return council
    if GSS_CODE.fullmatch(raw.upper()):
        raise QueryError(f"no council has the GSS code {raw!r}")
    raise QueryError(_unknown_council_message(raw, lookup))


def _unknown_council_message(name: str, lookup: Lookup) -> str:
    close = difflib.get_close_matches(name, lookup.council_names(), n=5, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    return f"unknown council {name!r} (give a GSS code or a council name){hint}"


def _date(value: str, _lookup: Any = None) -> Literal:
    literal = date_literal(value.strip())
    if literal is None:
        raise QueryError(f"not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    return literal


def _string(value: str, _lookup: Any = None) -> Literal:
    return Literal(value)


def _integer(value: str, _lookup: Any = None) -> Literal:
    try:
        return Literal(int(value.strip()))
    except ValueError:
        raise QueryError(f"not an integer: {value!r}") from None


def _decimal(value: str, _lookup: Any = None) -> Literal:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise QueryError(f"not a decimal: {value!r}") from None
    if not number.is_finite():
        raise QueryError(f"not a decimal: {value!r}")
    return Literal(format(number, "f"), datatype=XSD.decimal)


def _code(value: str, what: str) -> str:
    code = value.strip().lower()
    if not _CODE.fullmatch(code):
        raise QueryError(f"not a {what} code: {value!r}")
    return code


def _service_area(value: str, _lookup: Any = None) -> URIRef:
    from lgkg.graph.vocab import service_area_iri

    if _strip_angles(value).startswith(("http://", "https://")):
        return _iri(value)
    return URIRef(service_area_iri(_code(value, "service-area")))


def _partnership(value: str, lookup: Lookup) -> URIRef:
    """A partnership IRI from its label or an alias (as the store knows them), or the IRI."""
    raw = _strip_angles(value)
    if raw.startswith(("http://", "https://")) or value.strip().startswith("<"):
        return _iri(value)
    if not raw:
        raise QueryError("an empty partnership name")
    iri = lookup.lookup_partnership(raw)
    if iri is None:  # no letters or digits to name it by
        raise QueryError(f"not a partnership name: {value!r}")
    return iri


def _concept(concepts: Mapping[str, URIRef]) -> Callable[[str, Any], URIRef]:
    def convert(value: str, _lookup: Any = None) -> URIRef:
        code = _code(value, "/".join(concepts))
        if code not in concepts:
            raise QueryError(f"{value!r} is not one of {', '.join(concepts)}")
        return concepts[code]

    return convert


#: Parameter kinds and how a command-line value becomes an RDF term.
KINDS: dict[str, Callable[[str, Any], Node]] = {
    "council": _council,
    "iri": _iri,
    "date": _date,
    "string": _string,
    "integer": _integer,
    "decimal": _decimal,
    "service_area": _service_area,
    "partnership": _partnership,
    "action": _concept(ACTION_CONCEPTS),
    "status": _concept(STATUS_CONCEPTS),
}


def bind_params(q: NamedQuery, raw: Mapping[str, str], lookup: Any = None) -> dict[str, Node]:
    """Typed bindings for the query's parameters from their text values.

    ``lookup`` (a :class:`~lgkg.graph.lookup.Lookup`: the store the query will run
    on) resolves council names and codes and partnership names; without one, the
    shipped gazetteer and partnership labels do (a gazetteer given instead is
    used for councils). Raises :class:`QueryError` for unknown, missing or
    malformed values.
    """
    lookup = as_lookup(lookup)
    known = {p.name: p for p in q.params}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        accepted = ", ".join(known) or "none"
        raise QueryError(
            f"query {q.name!r} has no parameter {', '.join(unknown)} (parameters: {accepted})"
        )
    bindings: dict[str, Node] = {}
    for param in q.params:
        if param.name not in raw:
            if param.required:
                raise QueryError(
                    f"query {q.name!r} needs --param {param.name}=... ({param.description};"
                    f" e.g. {param.example})"
                )
            continue
        bindings[param.name] = KINDS[param.kind](str(raw[param.name]), lookup)
    return bindings


def run_query(
    store: Store,
    name: str,
    raw_params: Mapping[str, str] | None = None,
) -> tuple[list[str], Rows]:
    """Run a named query; its columns (in header order) and rows of rdflib terms.

    The store binds the parameters' names (:func:`bind_params`): a partnership
    by its label or by an alias a stored document gave it.
    """
    q = get_query(name)
    bindings = bind_params(q, raw_params or {}, store)
    plan = q.plan_for(store)
    columns, rows = store.select(plan.text, bindings, unmark=plan.keyed)
    if columns[: len(q.columns)] != q.columns:
        raise QueryError(f"query {name!r} returned columns {columns}, its header says {q.columns}")
    width = len(q.columns)
    return list(q.columns), [row[:width] for row in plan.sorted(columns, rows)]


def cell_text(term: Node | None) -> str:
    """A result cell as plain text: the lexical form, the IRI, or "" when unbound.

    >>> cell_text(Literal("2016-04", datatype=XSD.gYearMonth)), cell_text(None)
    ('2016-04', '')
    """
    return "" if term is None else str(term)
