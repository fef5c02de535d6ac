"""Reading SPARQL text without evaluating it: the operation, keywords, braces, USING clauses,
and whether it is within the limits the engine survives (:func:`check_limits`).

SPARQL keywords are found in a *skeleton* of the text in which comments,
string literals and IRIs are blanked out (same length, so offsets still
hold), so a keyword inside a string, an IRI or a comment is never taken for
one, nor is a variable (``?service``) or a prefixed name (``ex:load``).

>>> query_form("PREFIX select: <http://example.org/> ASK { ?s select:p 'SELECT' }")
'ASK'
>>> keywords("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", {"SERVICE"})
{'SERVICE'}
>>> keywords("SELECT ?service { ?service <http://x.org/load> 'LOAD' } # SERVICE", {"LOAD"})
set()
>>> add_using("INSERT { ?s a <http://x.org/C> } WHERE { ?s ?p ?o }", ["http://x.org/g"], [])
'INSERT { ?s a <http://x.org/C> } USING <http://x.org/g> WHERE { ?s ?p ?o }'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_FORMS = ("INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE")
UPDATE_FORMS += ("ADD",)

_BLANKED = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<long1>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<long2>'''(?:[^'\\]|\\.|'(?!''))*''')
    | (?P<short1>"(?:[^"\\\n\r]|\\.)*")
    | (?P<short2>'(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    """,
    re.VERBOSE | re.DOTALL,
)
#: A brace, or a bare word (not part of a variable, prefixed name, language tag or number).
_TOKEN = re.compile(r"[{}]|(?<![A-Za-z_:?$@])([A-Za-z]+)(?![\w:\-])")
#: What may stand right before a word that continues a name: digits, dots, colons, escapes.
_NAME_TAIL = re.compile(r"[\w.:%\\-]*\Z")
_LANG_TAG = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*-?")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]*")


def skeleton(text: str) -> str:
    """``text`` with comments, strings and IRIs replaced by spaces (offsets unchanged).

    >>> skeleton('ASK { ?s ?p "a {" } # }')
    'ASK { ?s ?p       }    '
    """
    return _BLANKED.sub(lambda m: " " * len(m.group(0)), text)


def _inside_name(bones: str, start: int) -> bool:
    """True when the word at ``start`` continues a variable, prefixed name, label or tag.

    SPARQL needs no space before a keyword: ``?o.SERVICE``, ``1.SERVICE`` and
    ``1SERVICE`` all put SERVICE after a complete term, while ``ex:a.SERVICE``
    and ``?v1SERVICE`` are single names. Anything unsure counts as a keyword,
    so a forbidden keyword is never missed.

    >>> [_inside_name(t, t.index("S")) for t in ("?o.S", "1S", "ex:a.S", "?v1S", "ex:.S")]
    [False, False, True, True, False]
    """
    window = bones[max(0, start - 200) : start]
    tail = _NAME_TAIL.search(window)
    run = tail.group(0) if tail else ""
    if not run:
        return False
    before = window[-len(run) - 1] if len(run) < len(window) else " "
    if before in "?$":  # a variable name: letters, digits and underscores only
        return re.fullmatch(r"\w+", run) is not None
    if before == "@":  # a language tag
        return _LANG_TAG.fullmatch(run) is not None
    if ":" in run:  # a prefixed name or blank node label; its local part cannot start with "."
        local = run.split(":", 1)[1]
        return not local.startswith(".")
    return False


def tokens(text: str) -> Iterable[tuple[int, str]]:
    """(offset, token) of each brace and each bare word (in upper case) outside comments,
    strings and IRIs.

    >>> list(tokens('select ?where { ?s ex:where "}" }'))
    [(0, 'SELECT'), (14, '{'), (32, '}')]
    """
    bones = skeleton(text)
    for match in _TOKEN.finditer(bones):
        word = match.group(1)
        if word is None:
            yield match.start(), match.group(0)
        elif not _inside_name(bones, match.start()):
            yield match.start(), word.upper()


def _words(text: str) -> Iterable[tuple[int, str, int]]:
    """(offset, upper-case word, brace depth) of each bare word in the skeleton."""
    depth = 0
    for offset, token in tokens(text):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        else:
            yield offset, token, depth


def keywords(text: str, wanted: Iterable[str]) -> set[str]:
    """Which of the ``wanted`` keywords occur as keywords (anywhere) in ``text``."""
    targets = {w.upper() for w in wanted}
    return {word for _, word, _ in _words(text) if word in targets}


def operation(text: str) -> str | None:
    """The query form (``SELECT``, ``ASK``, ...) or the update operation ``text`` starts
    with (after its BASE and PREFIX lines); None if it starts with neither.

    >>> operation("PREFIX ask: <x:> select * { ?s ?p ?o }"), operation("DROP SILENT ALL")
    ('SELECT', 'DROP')
    """
    for _, word, depth in _words(text):
        if depth:
            continue
        if word in QUERY_FORMS or word in UPDATE_FORMS:
            return word
        if word not in ("BASE", "PREFIX"):
            return None
    return None


def query_form(text: str) -> str | None:
    """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``; None if ``text`` is no query.

    >>> query_form("# a comment\\nBASE <http://x/> CONSTRUCT WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    >>> query_form("INSERT DATA { <http://x/s> <http://x/p> 1 }") is None
    True
    """
    form = operation(text)
    return form if form in QUERY_FORMS else None


def update_has_dataset(update: str) -> bool:
    """True when an update names its own dataset (``USING`` or ``WITH`` clauses).

    >>> update_has_dataset("WITH <http://x/g> DELETE { ?s ?p 1 } WHERE { ?s ?p 1 }")
    True
    """
    return any(word in ("USING", "WITH") and not depth for _, word, depth in _words(update))


def is_absolute_iri(value: str) -> bool:
    """True for an absolute IRI that can be written between ``<`` and ``>``.

    >>> is_absolute_iri("http://example.org/g"), is_absolute_iri("g> } DROP ALL")
    (True, False)
    """
    return bool(_ABSOLUTE_IRI.fullmatch(value))


def add_using(update: str, default: Sequence[str], named: Sequence[str]) -> str:
    """``update`` with ``USING`` / ``USING NAMED`` clauses before each operation's ``WHERE``.

    This is how the protocol's ``using-graph-uri`` and ``using-named-graph-uri``
    parameters apply to an update (SPARQL 1.1 Protocol, 2.2.3). ``DELETE WHERE``
    shorthand takes no ``USING`` and is left alone. Every IRI must pass
    :func:`is_absolute_iri` (ValueError otherwise).
    """
    for iri in (*default, *named):
        if not is_absolute_iri(iri):
            raise ValueError(f"not an absolute IRI: {iri!r}")
    clause = " ".join([*(f"USING <{g}>" for g in default), *(f"USING NAMED <{g}>" for g in named)])
    if not clause:
        return update
    inserts = []
    previous = ""
    for offset, word, depth in _words(update):
        if word == "WHERE" and not depth and previous != "DELETE":
            inserts.append(offset)
        if not depth:
            previous = word
    out = update
    for offset in reversed(inserts):
        out = f"{out[:offset]}{clause} {out[offset:]}"
    return out


# --------------------------------------------------------------------------- limits

#: One lexical token of SPARQL, read from the original text (strings and IRIs whole).
_LEX = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<term>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*'
        |<[^<>"{}|^`\\\x00-\x20]*>
        |[?$]\w+
        |(?:[A-Za-z_][\w.\-]*)?:[\w.\-:%\\]*
        |\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
    | (?P<tag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*|\^\^)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<op>\|\||&&|!=|<=|>=|[!=<>+\-*/|^?])
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class QueryLimits:
    """How large and how deeply built a query or update may be before it is evaluated.

    Oxigraph parses and evaluates SPARQL recursively: about 5,000 nested
    groups, parentheses or lists, or 20,000 chained operators, overflow its
    stack and kill the process, and cost grows steeply well before that
    (64 nested RDF lists take 0.25 s, 500 take minutes). The defaults are far
    below both and far above what a person writes.

    - ``max_bytes``: the text's size in UTF-8 bytes;
    - ``max_depth``: nesting of ``{}``, ``()`` and ``[]``;
    - ``max_chain``: operators (``|| && ! = < > + - * / | ^ ?`` and ``UNION``)
      at one nesting level, i.e. the length of the longest chain;
    - ``max_values``: values in one ``VALUES`` block.
    """

    max_bytes: int = 1_048_576
    max_depth: int = 64
    max_chain: int = 256
    max_values: int = 10_000


class QueryTooComplex(ValueError):
    """A query or update over one of the :class:`QueryLimits`; the message names the limit."""


@dataclass(frozen=True)
class QueryShape:
    """What :func:`check_limits` measures of a query: the largest nesting, chain and VALUES block.

    >>> query_shape("SELECT * { ?s ?p ?o FILTER(!(?o > 1 && ?o < 5)) } VALUES ?s { 1 2 3 }")
    QueryShape(depth=3, chain=3, values=3)
    """

    depth: int
    chain: int
    values: int


def query_shape(text: str) -> QueryShape:
    """Measure ``text`` without parsing it (strings, IRIs and comments are single tokens)."""
    depth = max_depth = max_chain = max_values = 0
    chains = [0]  # operators at each open nesting level
    values_at: int | None = None  # the depth of the VALUES block being read
    values = 0
    pending_values = False  # VALUES seen, its block not yet opened
    for match in _LEX.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            depth += 1
            max_depth = max(max_depth, depth)
            chains.append(0)
            if pending_values and match.group() == "{":
                values_at, values, pending_values = depth, 0, False
        elif kind == "close":
            if depth:
                depth -= 1
                chains.pop()
            if values_at is not None and depth < values_at:
                values_at = None
        elif values_at is not None:
            if kind in ("term", "word"):
                values += 1
                max_values = max(max_values, values)
        elif kind == "op" or (kind == "word" and match.group().upper() == "UNION"):
            chains[-1] += 1
            max_chain = max(max_chain, chains[-1])
        elif kind == "word" and match.group().upper() == "VALUES":
            pending_values = True
    return QueryShape(max_depth, max_chain, max_values)


def check_limits(text: str, limits: QueryLimits | None = None) -> None:
    """QueryTooComplex if ``text`` is over one of ``limits`` (default :class:`QueryLimits`).

    >>> try:
    ...     check_limits("SELECT * WHERE " + "{" * 100 + "}" * 100)
    ... except QueryTooComplex as err:
    ...     print(err)
    the query nests 100 levels deep; at most 64 are allowed
    """
    limits = limits or QueryLimits()
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise QueryTooComplex(
            f"the query is {size:,} bytes long; at most {limits.max_bytes:,} are allowed"
        )
    shape = query_shape(text)
    if shape.depth > limits.max_depth:
        raise QueryTooComplex(
            f"the query nests {shape.depth} levels deep; at most {limits.max_depth} are allowed"
        )
    if shape.chain > limits.max_chain:
        raise QueryTooComplex(
            f"the query chains {shape.chain} operators at one level; "
            f"at most {limits.max_chain} are allowed"
        )
    if shape.values > limits.max_values:
        raise QueryTooComplex(
            f"a VALUES block of the query has {shape.values:,} values; "
            f"at most {limits.max_values:,} are allowed"
        )
