"""Hypothesis strategies for SPARQL 1.1 query strings, shaped by the grammar, for fuzzing.

``well_formed_queries()`` draws queries that follow the SPARQL 1.1 grammar
and its scoping rules (a BIND or ``AS`` target is a fresh variable, a
grouped SELECT projects only what it groups by or aggregates, blank-node
labels are never shared between patterns): SELECT, ASK, CONSTRUCT and
DESCRIBE over group graph patterns with triples (variables, IRIs, prefixed
names with ``ex:`` or the prefixes the server declares, ``lgkg:``,
``schema:``, ``rdf:``, ``rdfs:``, ``xsd:``, literals with escapes, language
tags and datatypes, numbers, ``[]`` blank nodes, ``( ... )`` collections),
property paths, OPTIONAL, UNION, MINUS, GRAPH, FILTER with expressions and
function calls, BIND, VALUES, sub-SELECTs, aggregates with GROUP BY and
HAVING, ORDER BY, LIMIT and OFFSET. Each parses with pyoxigraph given
``lgkg.graph.store.PREFIXES`` (``test_hardening_fuzz_endpoint.py`` checks it).

``hostile_queries()`` draws the shapes meant to hurt a server: nesting
(braces, parentheses, collections, brackets, OPTIONAL, sub-SELECT, EXISTS,
GRAPH, function calls, path groups) up to ``MAX_DEPTH`` deep; chains (``!``,
``+``, ``&&``, ``||``, path ``/`` and ``|``, UNION, OPTIONAL, triples, IN
lists, projections) up to ``MAX_CHAIN`` long; VALUES blocks up to
``MAX_VALUES`` rows; ``BIND(CONCAT(?a, ?a) AS ?b)`` string-doubling chains.
``mutated_queries()`` deletes, duplicates or inserts characters and tokens
in well-formed queries; ``random_queries()`` is junk text, token soup and
bytes. ``fuzz_queries()`` mixes them all. Every text is at most
``MAX_CHARS`` characters and is built by repeating a drawn piece, so even
the biggest is drawn in a few milliseconds.

Strategies give :class:`FuzzQuery`: a ``kind`` to report by (``select``,
``deep-braces``, ``mutated-ask``, ``random-bytes`` ...) and the ``text``
(``str``, or ``bytes`` for ``random-bytes``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from hypothesis import strategies as st

MAX_CHARS = 2_000_000
MAX_DEPTH = 8_000
MAX_CHAIN = 30_000
MAX_VALUES = 200_000
MAX_DOUBLINGS = 32  # 2 · 2^32 characters: far past any sane response size

# Markers replaced when a query is assembled (private-use characters no drawn text contains).
FRESH = "\ue000"  # a fresh variable: ?f0, ?f1, ... (targets of BIND and AS)
BLANK = "\ue001"  # a fresh blank-node label: _:b0, _:b1, ...
EX = "\ue002"  # the ex: prefix, declared when used
_MARKERS = FRESH + BLANK + EX


@dataclass(frozen=True)
class FuzzQuery:
    """One generated request body: what kind of query it is, and its text."""

    kind: str
    text: str | bytes

    def __repr__(self) -> str:  # a failing example is printed: keep it short
        return f"FuzzQuery({self.kind!r}, {len(self.text):,} chars, {shorten(self.text)!r})"

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # hypothesis's pretty printer
        printer.text(repr(self))


def shorten(text: str | bytes, limit: int = 300) -> str | bytes:
    """The first ``limit`` characters of ``text``, with "…" (and the length) when cut."""
    if len(text) <= limit:
        return text
    tail = f"… ({len(text):,} in all)"
    return text[:limit] + (tail.encode() if isinstance(text, bytes) else tail)


def assemble(body: str) -> str:
    """Replace the markers: number fresh variables and blank nodes, declare ``ex:`` if used."""
    counters = {FRESH: itertools.count(), BLANK: itertools.count()}
    names = {FRESH: "?f", BLANK: "_:b"}

    def number(match: re.Match) -> str:
        mark = match.group()
        return f"{names[mark]}{next(counters[mark])}"

    text = re.sub(f"[{FRESH}{BLANK}]", number, body)
    if EX in text:
        text = "PREFIX ex: <http://example.org/ns#>\n" + text.replace(EX, "ex:")
    return text


# --------------------------------------------------------------------------- terms

VAR_NAMES = ["s", "p", "o", "x", "y", "z", "g", "n", "_v", "1a", "été", "Δx"]
VARS = st.builds(lambda mark, name: mark + name, st.sampled_from("??$"), st.sampled_from(VAR_NAMES))


def distinct_vars(min_size: int = 0, max_size: int = 3) -> st.SearchStrategy[list[str]]:
    """Variables with distinct names (``?x`` and ``$x`` are one variable)."""
    return st.lists(VARS, min_size=min_size, max_size=max_size, unique_by=lambda v: v[1:])


PREFIXED = st.sampled_from(
    [
        "lgkg:Partnership",
        "lgkg:PartnershipEvent",
        "lgkg:Council",
        "lgkg:partnership",
        "lgkg:actor",
        "lgkg:action",
        "lgkg:status",
        "lgkg:date",
        "lgkg:evidence",
        "lgkg:confidence",
        "lgkg:Done",
        "lgkg:Formed",
        "lgkg:serviceArea",
        "schema:name",
        "schema:value",
        "schema:MonetaryAmount",
        "rdf:type",
        "rdf:first",
        "rdf:_1",
        "rdfs:label",
        "xsd:integer",
        "xsd:date",
        "lgkg:",
        "lgkg:a.b",
        "lgkg:x-y",
        "lgkg:1abc",
        "lgkg:a\\~b",
        "lgkg:%41b",
        "schema:été",
        EX + "thing",
    ]
)
FULL_IRIS = st.sampled_from(
    [
        "<https://w3id.org/lgkg/ns#Partnership>",
        "<https://w3id.org/lgkg/id/council/E09000005>",
        "<https://w3id.org/lgkg/id/graph/reference>",
        "<https://schema.org/name>",
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        "<urn:x:1>",
        "<http://example.org/a#b>",
        "<http://example.org/été?q=1>",
        "<tag:example.org,2024:x>",
    ]
)
IRIS = st.one_of(PREFIXED, FULL_IRIS)

_STRING_CHARS = st.characters(
    codec="utf-8", exclude_characters='"\\\n\r' + _MARKERS, exclude_categories=("Cs",)
)
ESCAPES = ["\\t", "\\n", "\\r", "\\b", "\\f", '\\"', "\\'", "\\\\", "\\u00e9", "\\U0001F600"]
_PIECES = st.lists(
    st.one_of(st.text(_STRING_CHARS, max_size=8), st.sampled_from(ESCAPES)), max_size=5
)


def _double_quoted(pieces: list[str]) -> str:
    return '"' + "".join(pieces) + '"'


def _single_quoted(pieces: list[str]) -> str:
    return "'" + "".join(p if p in ESCAPES else p.replace("'", "") for p in pieces) + "'"


def _long_quoted(pieces: list[str], quote: str) -> str:
    body = "".join(p if p in ESCAPES else p.replace(quote, "") + "\n" for p in pieces)
    return quote * 3 + body + quote * 3


STRINGS = st.one_of(
    _PIECES.map(_double_quoted),
    _PIECES.map(_single_quoted),
    st.builds(_long_quoted, _PIECES, st.sampled_from(["'", '"'])),
)
LANG_TAGS = st.sampled_from(["en", "en-GB", "cy", "de-1996", "zh-Hant-TW", "x-private"])
NUMBERS = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.sampled_from(["0", "+1", "-0", "1.5", ".5", "-0.0", "+2.25", "1e10", "1.5E-3", ".5e+2"]),
)
LITERALS = st.one_of(
    STRINGS,
    st.builds(lambda s, t: f"{s}@{t}", STRINGS, LANG_TAGS),
    st.builds(lambda s, t: f"{s}^^{t}", STRINGS, st.sampled_from(["xsd:integer", "xsd:date"])),
    st.builds(lambda s: f"{s}^^<http://example.org/dt>", STRINGS),
    NUMBERS,
    st.sampled_from(["true", "false"]),
)
#: RDF terms a VALUES block may hold (no variables, no blank nodes).
DATA_TERMS = st.one_of(IRIS, LITERALS)
BLANK_NODES = st.sampled_from(["[]", "[ ]", BLANK])
VAR_OR_TERM = st.one_of(VARS, VARS, IRIS, LITERALS, BLANK_NODES)
SUBJECTS = st.one_of(VARS, VARS, IRIS, BLANK_NODES)


def spaced(items: list[str], sep: str = " ") -> str:
    return sep.join(items)


# --------------------------------------------------------------------------- property paths


def _path_extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda p, m: f"({p}){m}", inner, st.sampled_from(["", "*", "+", "?"])),
        st.builds(lambda p: f"^({p})", inner),
        st.lists(inner, min_size=2, max_size=4).map(lambda ps: "/".join(f"({p})" for p in ps)),
        st.lists(inner, min_size=2, max_size=4).map(lambda ps: " | ".join(ps)),
    )


_ONE_IN_SET = st.builds(
    lambda inv, i: inv + i, st.sampled_from(["", "^"]), st.one_of(IRIS, st.just("a"))
)
PATH_PRIMARY = st.one_of(
    IRIS,
    st.just("a"),
    st.builds(lambda i, m: i + m, IRIS, st.sampled_from(["*", "+", "?"])),
    st.builds(lambda i: f"^{i}", IRIS),
    _ONE_IN_SET.map(lambda i: f"!{i}"),
    st.lists(_ONE_IN_SET, min_size=1, max_size=3).map(lambda s: f"!({' | '.join(s)})"),
)
PATHS = st.recursive(PATH_PRIMARY, _path_extend, max_leaves=5)
VERBS = st.one_of(VARS, IRIS, st.just("a"), PATHS)


# --------------------------------------------------------------------------- triples


def _node_extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    prop = st.builds(lambda v, o: f"{v} {o}", st.one_of(VARS, IRIS, st.just("a")), inner)
    return st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: f"( {spaced(xs)} )"),
        st.lists(prop, min_size=1, max_size=3).map(lambda ps: f"[ {' ; '.join(ps)} ]"),
    )


#: Objects: terms, collections ``( ... )`` and blank-node property lists ``[ p o ; ... ]``.
NODES = st.recursive(VAR_OR_TERM, _node_extend, max_leaves=6)


def _is_triples_node(node: str) -> bool:
    """A collection or a blank node with properties: a triple on its own, with no verb."""
    return node.startswith(("[ ", "( ")) and not re.fullmatch(r"\[ *\]|\( *\)", node)


@st.composite
def triples(draw, verbs: st.SearchStrategy[str] = VERBS, template: bool = False) -> str:
    """``subject verb object, object ; verb object`` (or a node with its own properties)."""
    nodes = (
        NODES
        if not template
        else st.recursive(st.one_of(VARS, IRIS, LITERALS, BLANK_NODES), _node_extend, max_leaves=4)
    )
    subject = draw(st.one_of(SUBJECTS, SUBJECTS, SUBJECTS, nodes))
    pairs = draw(
        st.lists(
            st.builds(
                lambda v, os: f"{v} {', '.join(os)}", verbs, st.lists(nodes, min_size=1, max_size=3)
            ),
            min_size=0 if _is_triples_node(subject) else 1,
            max_size=3,
        )
    )
    extra = draw(st.sampled_from(["", "", " ;", " ; ;"])) if pairs else ""
    return f"{subject} {' ; '.join(pairs)}{extra}".rstrip()


TEMPLATE_VERBS = st.one_of(VARS, IRIS, st.just("a"))


# --------------------------------------------------------------------------- expressions

UNARY_BUILTINS = [
    "STR", "LANG", "DATATYPE", "IRI", "URI", "BNODE", "ABS", "CEIL", "FLOOR", "ROUND", "STRLEN",
    "UCASE", "LCASE", "ENCODE_FOR_URI", "YEAR", "MONTH", "DAY", "HOURS", "MINUTES", "SECONDS",
    "TIMEZONE", "TZ", "MD5", "SHA1", "SHA256", "SHA384", "SHA512", "isIRI", "isURI", "isBLANK",
    "isLITERAL", "isNUMERIC",
]  # fmt: skip
BINARY_BUILTINS = [
    "LANGMATCHES", "CONTAINS", "STRSTARTS", "STRENDS", "STRBEFORE", "STRAFTER", "STRLANG",
    "STRDT", "sameTerm", "REGEX", "SUBSTR",
]  # fmt: skip
NULLARY_BUILTINS = ["RAND()", "NOW()", "UUID()", "STRUUID()", "BNODE()"]
BINARY_OPS = ["+", "-", "*", "/", "=", "!=", "<", ">", "<=", ">=", "&&", "||"]


def _expr_extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    args = st.lists(inner, max_size=4).map(lambda xs: ", ".join(xs))
    return st.one_of(
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(BINARY_OPS), inner),
        st.builds(lambda op, a: f"{op}({a})", st.sampled_from(["!", "-", "+"]), inner),
        st.builds(lambda f, a: f"{f}({a})", st.sampled_from(UNARY_BUILTINS), inner),
        st.builds(lambda f, a, b: f"{f}({a}, {b})", st.sampled_from(BINARY_BUILTINS), inner, inner),
        st.builds(lambda a, b, c: f"REGEX({a}, {b}, {c})", inner, STRINGS, st.just('"i"')),
        st.builds(lambda a, b, c: f"SUBSTR({a}, {b}, {c})", inner, inner, inner),
        st.builds(lambda a, b, c: f"REPLACE({a}, {b}, {c})", inner, STRINGS, inner),
        st.builds(lambda a, b, c: f"IF({a}, {b}, {c})", inner, inner, inner),
        args.map(lambda a: f"COALESCE({a})"),
        args.map(lambda a: f"CONCAT({a})"),
        st.builds(
            lambda a, neg, xs: f"({a} {neg}IN ({xs}))", inner, st.sampled_from(["", "NOT "]), args
        ),
        st.builds(lambda f, a: f"{f}({a})", st.sampled_from(["xsd:integer", "xsd:date"]), inner),
        st.builds(lambda a, b: f"({a} + {b} - {a} * {b} / {b})", inner, inner),
        st.lists(inner, min_size=2, max_size=5).map(lambda xs: "(" + " && ".join(xs) + ")"),
    )


def unlabelled(pattern: str) -> str:
    """``pattern`` with ``[]`` for its blank-node labels.

    pyoxigraph 0.5 refuses a labelled blank node in an EXISTS inside a
    function call with optional arguments (SUBSTR, REGEX, REPLACE): its
    parser reads the arguments twice and then sees the label "used in
    another pattern". Expressions get EXISTS patterns without labels.
    """
    return pattern.replace(BLANK, "[]")


EXPR_BASE = st.one_of(
    VARS,
    LITERALS,
    IRIS,
    st.sampled_from(NULLARY_BUILTINS),
    VARS.map(lambda v: f"BOUND({v})"),
    st.builds(lambda t: f"EXISTS {{ {unlabelled(t)} }}", triples()),
    st.builds(lambda t: f"NOT EXISTS {{ {unlabelled(t)} }}", triples()),
)
EXPRESSIONS = st.recursive(EXPR_BASE, _expr_extend, max_leaves=8)

AGGREGATES = st.one_of(
    st.just("COUNT(*)"),
    st.just("COUNT(DISTINCT *)"),
    st.builds(
        lambda f, d, e: f"{f}({d}{e})",
        st.sampled_from(["COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"]),
        st.sampled_from(["", "DISTINCT "]),
        EXPRESSIONS,
    ),
    st.builds(lambda e, s: f"GROUP_CONCAT({e}; SEPARATOR={s})", VARS, STRINGS),
)


FILTERS = st.one_of(
    EXPRESSIONS.map(lambda e: f"FILTER({e})"),
    st.builds(lambda f, a: f"FILTER {f}({a})", st.sampled_from(UNARY_BUILTINS), EXPRESSIONS),
    st.builds(lambda t: f"FILTER NOT EXISTS {{ {t} }}", triples()),
)
BINDS = EXPRESSIONS.map(lambda e: f"BIND({e} AS {FRESH})")


@st.composite
def inline_data(draw) -> str:
    """``VALUES ?x { ... }`` or ``VALUES (?x ?y) { (... ...) ... }`` (UNDEF included)."""
    names = draw(st.lists(st.sampled_from(VAR_NAMES), max_size=3, unique=True))
    cell = st.one_of(DATA_TERMS, st.just("UNDEF"))
    rows = draw(st.lists(st.lists(cell, min_size=len(names), max_size=len(names)), max_size=4))
    if len(names) == 1 and draw(st.booleans()):
        return f"VALUES ?{names[0]} {{ {spaced([r[0] for r in rows])} }}"
    head = spaced(f"?{n}" for n in names)
    return f"VALUES ({head}) {{ {spaced(f'( {spaced(r)} )' for r in rows)} }}"


# --------------------------------------------------------------------------- graph patterns

LEAF_ELEMENTS = st.one_of(triples(), triples(), triples(), FILTERS, BINDS, inline_data())


_NOT_TRIPLES = (
    "{", "OPTIONAL", "MINUS", "GRAPH", "FILTER", "BIND", "VALUES", "SERVICE",
)  # fmt: skip


def _group(elements: list[str], dots: list[bool]) -> str:
    """``{ e1 . e2 ... }``: a triples block needs a "." before whatever follows it."""
    out = []
    for i, element in enumerate(elements):
        last = i == len(elements) - 1
        triples_block = not element.startswith(_NOT_TRIPLES)
        out.append(element + (" ." if dots[i] or (triples_block and not last) else ""))
    return "{ " + " ".join(out) + " }"


@st.composite
def _groups_of(draw, elements: st.SearchStrategy[str]) -> str:
    items = draw(st.lists(elements, max_size=4))
    return _group(items, draw(st.lists(st.booleans(), min_size=len(items), max_size=len(items))))


def _pattern_extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    nested = st.one_of(
        inner,
        inner.map(lambda g: f"OPTIONAL {g}"),
        st.lists(inner, min_size=2, max_size=3).map(lambda gs: " UNION ".join(gs)),
        inner.map(lambda g: f"MINUS {g}"),
        st.builds(lambda g, p: f"GRAPH {g} {p}", st.one_of(VARS, FULL_IRIS), inner),
        st.builds(lambda p: f"{{ {p} }}", sub_select(inner)),
        st.builds(lambda e, g: f"FILTER({e} || EXISTS {unlabelled(g)})", EXPRESSIONS, inner),
    )
    return _groups_of(st.one_of(nested, LEAF_ELEMENTS))


# --------------------------------------------------------------------------- queries


@st.composite
def solution_modifiers(draw, group_vars: list[str] | None = None, aggregate: bool = False) -> str:
    """GROUP BY / HAVING (for an aggregate query), ORDER BY, LIMIT, OFFSET."""
    parts = []
    if group_vars:
        parts.append("GROUP BY " + spaced(group_vars))
    if aggregate and draw(st.booleans()):
        parts.append(f"HAVING ({draw(AGGREGATES)} > {draw(NUMBERS)})")
    if draw(st.booleans()):
        if aggregate:
            keys = st.one_of(
                st.sampled_from(group_vars or ["(COUNT(*))"]), AGGREGATES.map(lambda a: f"({a})")
            )
        else:
            keys = st.one_of(VARS, EXPRESSIONS.map(lambda e: f"({e})"))
        order = st.builds(
            lambda d, k: f"{d}({k})" if d else k, st.sampled_from(["", "ASC", "DESC"]), keys
        )
        parts.append("ORDER BY " + spaced(draw(st.lists(order, min_size=1, max_size=3))))
    limit = st.integers(0, 10**9).map(str)
    clauses = draw(st.sampled_from(["", "L", "O", "LO", "OL"]))
    parts += [f"LIMIT {draw(limit)}" if c == "L" else f"OFFSET {draw(limit)}" for c in clauses]
    return spaced(parts)


@st.composite
def select_clause(draw) -> tuple[str, str]:
    """A SELECT clause and the solution modifiers that go with it (grouped or not)."""
    modifier = draw(st.sampled_from(["", "", "DISTINCT ", "REDUCED "]))
    shape = draw(st.sampled_from(["star", "vars", "vars", "aggregate", "grouped"]))
    if shape in ("aggregate", "grouped"):
        group = [] if shape == "aggregate" else draw(distinct_vars(1))
        aggs = draw(st.lists(AGGREGATES, min_size=1, max_size=3))
        projected = [*group, *(f"({a} AS {FRESH})" for a in aggs)]
        return f"SELECT {modifier}{spaced(projected)}", draw(
            solution_modifiers(group_vars=group, aggregate=True)
        )
    if shape == "star":
        return f"SELECT {modifier}*", draw(solution_modifiers())
    items = draw(distinct_vars()) + draw(
        st.lists(EXPRESSIONS.map(lambda e: f"({e} AS {FRESH})"), max_size=2)
    )
    if not items:
        items = ["?s"]
    return f"SELECT {modifier}{spaced(items)}", draw(solution_modifiers())


@st.composite
def sub_select(draw, groups: st.SearchStrategy[str]) -> str:
    head, modifiers = draw(select_clause())
    values = draw(st.one_of(st.just(""), inline_data()))
    return f"{head} WHERE {draw(groups)} {modifiers} {values}".rstrip()


#: ``{ ... }`` group graph patterns, nested a few levels.
GROUPS = st.recursive(_groups_of(LEAF_ELEMENTS), _pattern_extend, max_leaves=6)


DATASET = st.lists(
    st.builds(
        lambda named, iri: f"FROM {named}{iri}",
        st.sampled_from(["", "NAMED "]),
        st.sampled_from(["<urn:x:g>", "<https://w3id.org/lgkg/id/graph/reference>"]),
    ),
    max_size=2,
).map(spaced)


@st.composite
def _select_query(draw) -> str:
    head, modifiers = draw(select_clause())
    where = draw(st.sampled_from(["WHERE ", ""]))
    return f"{head} {draw(DATASET)} {where}{draw(GROUPS)} {modifiers}"


@st.composite
def _ask_query(draw) -> str:
    return f"ASK {draw(DATASET)} {draw(st.sampled_from(['WHERE ', '']))}{draw(GROUPS)}"


@st.composite
def _construct_query(draw) -> str:
    if draw(st.booleans()):  # CONSTRUCT WHERE { triples }: the pattern is the template
        body = " . ".join(draw(st.lists(triples(TEMPLATE_VERBS), max_size=3)))
        return f"CONSTRUCT WHERE {{ {body} }} {draw(solution_modifiers())}"
    template = " . ".join(draw(st.lists(triples(TEMPLATE_VERBS, template=True), max_size=3)))
    return (
        f"CONSTRUCT {{ {template} }} {draw(DATASET)} WHERE {draw(GROUPS)} "
        f"{draw(solution_modifiers())}"
    )


@st.composite
def _describe_query(draw) -> str:
    targets = draw(
        st.one_of(
            st.just("*"),
            st.lists(
                st.one_of(VARS, IRIS), min_size=1, max_size=3, unique_by=lambda t: t.lstrip("?$")
            ).map(spaced),
        )
    )
    where = draw(st.one_of(st.just(""), GROUPS.map(lambda g: f"WHERE {g}")))
    if targets == "*" and not where:
        where = "{ ?s ?p ?o }"
    return f"DESCRIBE {targets} {where} {draw(solution_modifiers())}"


QUERY_FORMS = {
    "select": _select_query(),
    "ask": _ask_query(),
    "construct": _construct_query(),
    "describe": _describe_query(),
}


@st.composite
def well_formed_queries(draw) -> FuzzQuery:
    """A query that follows the SPARQL 1.1 grammar (see the module docstring)."""
    kind = draw(st.sampled_from(sorted(QUERY_FORMS)))
    body = draw(QUERY_FORMS[kind])
    body += draw(st.one_of(st.just(""), inline_data().map(lambda v: " " + v)))
    prologue = draw(
        st.sampled_from(
            [
                "",
                "",
                "BASE <http://example.org/base/>\n",
                "PREFIX lgkg: <https://w3id.org/lgkg/ns#>\n",
                "# a comment\n",
            ]
        )
    )
    text = assemble(prologue + body)
    if draw(st.integers(0, 9)) == 0:  # keywords are case-insensitive; so is all else we draw
        text = text.lower()
    return FuzzQuery(kind, text)


# --------------------------------------------------------------------------- hostile shapes


def sizes(top: int) -> st.SearchStrategy[int]:
    """A size from 1 to ``top``: small, middling and huge ones alike."""
    return st.one_of(
        st.integers(1, 64), st.integers(64, max(64, top // 8)), st.integers(top // 8, top)
    )


def _bounded(top: int, unit: str) -> int:
    return max(1, min(top, MAX_CHARS // max(1, len(unit))))


# name: (prefix, opening, middle, closing, suffix, largest count) -> prefix + opening*n + middle + closing*n + suffix
NESTINGS = {
    "deep-braces": ("SELECT * WHERE ", "{ ", "?s ?p ?o", " }", ""),
    "deep-parens": ("ASK { FILTER", "(", "true", ")", " }"),
    "deep-collection": ("ASK { ?s ?p ", "( ", "1", " )", " }"),
    "deep-brackets": ("ASK { ?s ?p ", "[ ?p ", "1", " ]", " }"),
    "deep-optional": ("SELECT * WHERE { ?s ?p ?o ", "OPTIONAL { ?s ?p ?o ", "", "} ", "}"),
    "deep-subselect": ("SELECT * WHERE ", "{ SELECT * WHERE ", "{ ?s ?p ?o }", " }", ""),
    "deep-exists": ("ASK { ", "FILTER EXISTS { ", "", "} ", "}"),
    "deep-graph": ("ASK ", "{ GRAPH ?g ", "{}", " }", ""),
    "deep-union": ("ASK ", "{ {} UNION ", "{}", " }", ""),
    "deep-minus": ("ASK ", "{ ?s ?p ?o MINUS ", "{}", " }", ""),
    "deep-calls": ("SELECT (", "STR(", "1", ")", " AS ?x) {}"),
    "deep-if": ("SELECT (", "IF(true, ", "1", ", 0)", " AS ?x) {}"),
    "deep-negation": ("ASK { FILTER(", "!(", "true", ")", ") }"),
    "deep-path-group": ("ASK { ?s ", "(", "rdf:type", ")", " ?o }"),
    "deep-path-inverse": ("ASK { ?s ", "^(", "rdf:type", ")", " ?o }"),
    "deep-path-star": ("ASK { ?s ", "(", "rdf:type", ")*", " ?o }"),
}

# name: (prefix, first, repeated, suffix) -> prefix + first + repeated*n + suffix
CHAINS = {
    "chain-not": ("ASK { FILTER(", "", "!", "true) }"),
    "chain-plus": ("SELECT (", "1", " + 1", " AS ?x) {}"),
    "chain-minus-signs": ("SELECT (", "1", " - -1", " AS ?x) {}"),
    "chain-times": ("SELECT (", "?x", " * ?x", " AS ?y) { BIND(1 AS ?x) }"),
    "chain-and": ("ASK { FILTER(", "true", " && true", ") }"),
    "chain-or": ("ASK { FILTER(", "false", " || ?o", ") }"),
    "chain-path-seq": ("ASK { ?s ", "rdf:type", "/rdf:type", " ?o }"),
    "chain-path-alt": ("ASK { ?s ", "rdf:type", "|lgkg:actor", " ?o }"),
    "chain-path-mixed": ("ASK { ?s ", "lgkg:actor", "/^lgkg:actor|(lgkg:status)*", " ?o }"),
    "chain-negated-set": ("ASK { ?s !(", "rdf:type", "|^lgkg:actor", ") ?o }"),
    "chain-union": ("SELECT * WHERE { ", "{ ?s ?p ?o }", " UNION { ?s ?p ?o }", " }"),
    "chain-optional": ("SELECT * WHERE { ", "?s ?p ?o", " OPTIONAL { ?s ?p ?o }", " }"),
    "chain-minus": ("SELECT * WHERE { ", "?s ?p ?o", " MINUS { ?s rdf:type ?o }", " }"),
    "chain-filter": ("SELECT * WHERE { ", "?s ?p ?o", " FILTER(?o != 1)", " }"),
    "chain-triples": ("SELECT * WHERE { ", "?s ?p ?o", " . ?s ?p ?o", " }"),
    "chain-objects": ("SELECT * WHERE { ", "?s ?p ?o", ", ?o", " }"),
    "chain-predicates": ("SELECT * WHERE { ", "?s ?p ?o", " ; ?p ?o", " }"),
    "chain-in": ("ASK { FILTER(1 IN (", "1", ", 2", ")) }"),
    "chain-concat-args": ("SELECT (CONCAT(", "?o", ", ?o", ") AS ?x) { ?s ?p ?o }"),
    "chain-projection": ("SELECT ", "?s", " ?s", " WHERE { ?s ?p ?o }"),
    "chain-order": ("SELECT * WHERE { ?s ?p ?o } ORDER BY ", "?s", " DESC(?o)", ""),
    "chain-group": ("SELECT (COUNT(*) AS ?c) WHERE { ?s ?p ?o } GROUP BY ", "?s", " ?o", ""),
    "chain-collection": ("ASK { ?s ?p ( ", "1", " ?o", " ) }"),
    "chain-comments": ("ASK { ", "", "# x\n", "}"),
    "chain-empty-groups": ("ASK { ", "{}", " {}", " }"),
}


def hostile(kind: str, n: int) -> FuzzQuery:
    """The ``kind`` of ``NESTINGS`` nested ``n`` deep, or of ``CHAINS`` ``n`` long.

    >>> hostile("deep-braces", 2).text
    'SELECT * WHERE { { ?s ?p ?o } }'
    >>> hostile("chain-not", 3).text
    'ASK { FILTER(!!!true) }'
    """
    if kind in NESTINGS:
        prefix, opening, middle, closing, suffix = NESTINGS[kind]
        return FuzzQuery(kind, prefix + opening * n + middle + closing * n + suffix)
    prefix, first, repeated, suffix = CHAINS[kind]
    return FuzzQuery(kind, prefix + first + repeated * n + suffix)


@st.composite
def nesting_queries(draw) -> FuzzQuery:
    kind = draw(st.sampled_from(sorted(NESTINGS)))
    opening, closing = NESTINGS[kind][1], NESTINGS[kind][3]
    return hostile(kind, draw(sizes(_bounded(MAX_DEPTH, opening + closing))))


@st.composite
def chain_queries(draw) -> FuzzQuery:
    kind = draw(st.sampled_from(sorted(CHAINS)))
    return hostile(kind, draw(sizes(_bounded(MAX_CHAIN, CHAINS[kind][2]))))


@st.composite
def chain_binds(draw) -> FuzzQuery:
    n = draw(sizes(_bounded(MAX_CHAIN, " BIND(?b99999 + 1 AS ?b99999)")))
    binds = "".join(f" BIND(?b{i} + 1 AS ?b{i + 1})" for i in range(n))
    return FuzzQuery("chain-bind", f"SELECT * WHERE {{ BIND(0 AS ?b0){binds} }}")


@st.composite
def values_queries(draw) -> FuzzQuery:
    """Big VALUES blocks: one column, two columns, strings, two blocks joined."""
    shape = draw(st.sampled_from(["one", "two", "strings", "joined", "trailing"]))
    n = draw(sizes(MAX_VALUES if shape != "joined" else 2_000))
    if shape == "one":
        body = " ".join(map(str, range(n)))
        text = f"SELECT * WHERE {{ VALUES ?x {{ {body} }} }}"
    elif shape == "two":
        body = " ".join(f"({i} <urn:v:{i}>)" for i in range(n // 3 + 1))
        text = f"SELECT ?x WHERE {{ VALUES (?x ?y) {{ {body} }} }}"
    elif shape == "strings":
        body = " ".join(f'"v{i}"@en' for i in range(n // 2 + 1))
        text = f"SELECT (COUNT(*) AS ?c) WHERE {{ VALUES ?x {{ {body} }} }}"
    elif shape == "joined":  # a cross product of n × n rows
        body = " ".join(map(str, range(n)))
        text = f"SELECT * WHERE {{ VALUES ?x {{ {body} }} VALUES ?y {{ {body} }} }} ORDER BY ?y"
    else:
        body = " ".join(f"<urn:v:{i}>" for i in range(n // 2 + 1))
        text = f"SELECT * WHERE {{ ?s ?p ?o }} VALUES ?s {{ {body} }}"
    return FuzzQuery(f"values-{shape}", text)


@st.composite
def doubling_queries(draw) -> FuzzQuery:
    """``BIND(CONCAT(?a0, ?a0) AS ?a1)`` ... : a string of 2 · 2^k characters from a tiny query."""
    k = draw(st.integers(1, MAX_DOUBLINGS))
    binds = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(k))
    what = draw(st.sampled_from(["string", "length", "rows"]))
    if what == "string":
        head = f"SELECT ?a{k}"
    elif what == "length":
        head = f"SELECT (STRLEN(?a{k}) AS ?n)"
    else:
        head = "SELECT *"
    rows = " ?s ?p ?o ." if what == "rows" else ""
    return FuzzQuery(f"doubling-{what}", f'{head} WHERE {{{rows} BIND("ab" AS ?a0) {binds} }}')


def hostile_queries() -> st.SearchStrategy[FuzzQuery]:
    """Deep nesting, long chains, big VALUES and string doubling (3 : 3 : 1 : 1 : 1)."""
    return st.one_of(
        *[nesting_queries() for _ in range(3)],
        *[chain_queries() for _ in range(3)],
        chain_binds(),
        values_queries(),
        doubling_queries(),
    )


# --------------------------------------------------------------------------- mutations and junk

TOKENS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", ".", ";",
    ",", "UNION", "OPTIONAL", "MINUS", "GRAPH", "FILTER", "BIND", "AS", "VALUES", "UNDEF",
    "SERVICE <http://127.0.0.1:9/sparql>", "EXISTS", "NOT", "GROUP BY", "HAVING", "ORDER BY",
    "LIMIT", "OFFSET", "DISTINCT", "FROM", "NAMED", "PREFIX", "BASE", "a", "*", "+", "/", "|",
    "^", "^^", "!", "?", "?x", "$y", "<", ">", "<urn:x>", "rdf:type", "lgkg:", ":", "_:b",
    "@en", '"', "'", '"""', "#", "\\", "\\u", "1", "-1", "1e999", "99999999999999999999999",
    "COUNT(*)", "CONCAT(", "REGEX(", "&&", "||", "=", "!=", "\x00", "\ufeff", "\u202e", "é",
]  # fmt: skip
_ANY_CHAR = st.characters(codec="utf-8", exclude_categories=("Cs",))
_SPECIAL_CHARS = st.sampled_from(list("{}()[]<>\"'?$#.;,!^|/*+-=:_@\\\n\t \x00"))


@st.composite
def mutate(draw, text: str) -> str:
    """``text`` with one to four characters or tokens deleted, duplicated or inserted."""
    for _ in range(draw(st.integers(1, 4))):
        op = draw(
            st.sampled_from(["del-char", "dup-char", "ins-char", "del-tok", "dup-tok", "ins-tok"])
        )
        if op.endswith("char"):
            i = draw(st.integers(0, max(0, len(text) - 1)))
            if op == "del-char":
                text = text[:i] + text[i + 1 :]
            elif op == "dup-char":
                text = text[:i] + text[i : i + 1] * 2 + text[i + 1 :]
            else:
                text = text[:i] + draw(st.one_of(_SPECIAL_CHARS, _ANY_CHAR)) + text[i:]
            continue
        tokens = text.split(" ")
        i = draw(st.integers(0, max(0, len(tokens) - 1)))
        if op == "del-tok":
            del tokens[i : i + 1]
        elif op == "dup-tok":
            tokens[i:i] = tokens[i : i + 1]
        else:
            tokens.insert(i, draw(st.sampled_from(TOKENS)))
        text = " ".join(tokens)
    return text


@st.composite
def mutated_queries(draw) -> FuzzQuery:
    """A well-formed query (now and then a hostile one, cut short) with a few mutations."""
    base = draw(st.one_of(well_formed_queries(), well_formed_queries(), small_hostile_queries()))
    return FuzzQuery("mutated-" + base.kind, draw(mutate(base.text)))


@st.composite
def small_hostile_queries(draw) -> FuzzQuery:
    """Nesting and chains up to 64: small enough to mutate by characters."""
    return hostile(
        draw(st.sampled_from(sorted(NESTINGS) + sorted(CHAINS))), draw(st.integers(1, 64))
    )


def random_queries() -> st.SearchStrategy[FuzzQuery]:
    """Any text, a soup of SPARQL tokens, or bytes (often not UTF-8)."""
    return st.one_of(
        st.text(_ANY_CHAR, max_size=400).map(lambda t: FuzzQuery("random-text", t)),
        st.lists(st.sampled_from(TOKENS), max_size=80).map(
            lambda ts: FuzzQuery("random-tokens", " ".join(ts))
        ),
        st.binary(max_size=400).map(lambda b: FuzzQuery("random-bytes", b)),
    )


def fuzz_queries() -> st.SearchStrategy[FuzzQuery]:
    """The endpoint fuzzer's mix: about 1 in 3 well-formed, 1 in 3 mutated, 1 in 5 hostile.

    One ``one_of`` over separate strategy objects: hypothesis draws its
    branches about evenly (a ``sampled_from`` of weights is biased to the first).
    """
    return st.one_of(
        *[well_formed_queries() for _ in range(4)],
        *[mutated_queries() for _ in range(3)],
        *[hostile_queries() for _ in range(2)],
        random_queries(),
    )
