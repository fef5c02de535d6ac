"""SPARQL text for servers that take only a query string: prefixes and bound values.

A remote SPARQL 1.1 server has no ``initBindings`` or ``substitutions``, so
:func:`bind_values` fixes variables with a ``VALUES`` block placed at the
top of the query's WHERE group (where a server's optimiser can use it to
seed the evaluation), or after the query (the spec's trailing ``VALUES``)
when there is no WHERE group. The values are written by :func:`term_text`
from typed RDF terms in N-Triples syntax, never pasted from user text, so a
value cannot change the query's structure.

>>> from rdflib import Literal, URIRef
>>> print(bind_values("SELECT ?n ?c WHERE { ?c <p> ?n }", {"c": URIRef("https://x.org/c")}))
SELECT ?n ?c WHERE { VALUES (?c) { (<https://x.org/c>) } ?c <p> ?n }
>>> term_text(Literal('say "hi" } #'))
'"say \\\\"hi\\\\" } #"'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from rdflib import BNode
from rdflib.term import Node

from lgkg.graph.terms import to_ox

_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NAME = re.compile(r"[\w.:-]*")


def term_text(term: Node) -> str:
    """An IRI or literal in N-Triples syntax (escaped; IRIs validated).

    Raises ValueError for a blank node (``VALUES`` cannot hold one) or an
    invalid IRI.
    """
    if isinstance(term, BNode):
        raise ValueError("a blank node cannot be bound to a query variable")
    return str(to_ox(term))


def values_block(variables: Iterable[str], rows: Iterable[Iterable[Node | None]]) -> str:
    """``VALUES (?a ?b) { (x y) ... }``; ``None`` is ``UNDEF``.

    >>> from rdflib import URIRef
    >>> values_block(["g"], [[URIRef("https://x.org/1")], [None]])
    'VALUES (?g) { (<https://x.org/1>) (UNDEF) }'
    """
    names = list(variables)
    for name in names:
        if not _VARNAME.fullmatch(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    cells = [
        "(" + " ".join("UNDEF" if t is None else term_text(t) for t in row) + ")" for row in rows
    ]
    head = " ".join(f"?{name}" for name in names)
    return f"VALUES ({head}) {{ {' '.join(cells)} }}"


def declared_prefixes(query: str) -> set[str]:
    """The prefix names the query declares itself (``PREFIX x:``)."""
    return {m.group(1) or "" for m in _PREFIX_DECL.finditer(_code_only(query))}


def with_prefixes(query: str, prefixes: Mapping[str, str]) -> str:
    """The query with ``PREFIX`` lines for the ``prefixes`` it does not declare.

    >>> with_prefixes("PREFIX a: <x:> ASK {}", {"a": "y:", "b": "z:"})
    'PREFIX b: <z:> PREFIX a: <x:> ASK {}'
    """
    own = declared_prefixes(query)
    decls = [f"PREFIX {p}: <{iri}> " for p, iri in prefixes.items() if p not in own]
    return "".join(decls) + query  # one line, so the server's line numbers stay the user's


QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_FORMS = ("INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE")
UPDATE_FORMS += ("ADD",)


def query_form(query: str) -> str | None:
    """The query form (``SELECT``, ``ASK``, ...) or update operation a request starts with.

    >>> query_form("# DROP is in a comment\\nPREFIX a: <x:> select * { ?s ?p ?o }")
    'SELECT'
    >>> query_form("DROP SILENT GRAPH <x:g>"), query_form("nonsense")
    ('DROP', None)
    """
    for _pos, tok in _tokens(query):
        word = tok.upper()
        if word in QUERY_FORMS or word in UPDATE_FORMS:
            return word
    return None


def bind_values(query: str, bindings: Mapping[str, Node]) -> str:
    """The query with ``bindings`` fixed by a ``VALUES`` block (see the module doc)."""
    if not bindings:
        return query
    block = values_block(bindings, [list(bindings.values())])
    found = _where_group(query)
    if found is None:
        return f"{query.rstrip()}\n{block}\n"
    start, end = found
    inner = query[start + 1 : end]
    if _first_word(inner).upper() == "SELECT":  # WHERE { SELECT ... }: a sub-select alone
        return f"{query[: start + 1]} {block} {{{inner}}} {query[end:]}"
    return f"{query[: start + 1]} {block}{inner}{query[end:]}"


# -- a small scanner: just enough SPARQL lexing to find the WHERE group --------------------


def _tokens(query: str) -> Iterable[tuple[int, str]]:
    """``(position, text)`` of the words and braces outside comments, strings and IRIs."""
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch in "\"'":
            i = _string_end(query, i)
        elif ch == "<":
            m = _IRIREF.match(query, i)
            i = m.end() if m else i + 1
        elif ch in "?$":  # a variable: skip its name so ?where is not WHERE
            m = _WORD.match(query, i + 1)
            i = m.end() if m else i + 1
        elif ch in "{}":
            yield i, ch
            i += 1
        elif ch.isalpha() or ch == "_":
            word = _NAME.match(query, i).group(0).rstrip(".")  # type: ignore[union-attr]
            yield i, word
            i += max(len(word), 1)
        else:
            i += 1


def _string_end(query: str, i: int) -> int:
    quote = query[i]
    long = query.startswith(quote * 3, i)
    close = quote * 3 if long else quote
    j = i + len(close)
    while j < len(query):
        if query[j] == "\\":
            j += 2
            continue
        if query.startswith(close, j):
            return j + len(close)
        if not long and query[j] == "\n":
            return j
        j += 1
    return len(query)


def _code_only(query: str) -> str:
    """The query with comments blanked out (strings and IRIs kept)."""
    out, i, n = [], 0, len(query)
    while i < n:
        ch = query[i]
        if ch == "#":
            end = query.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch in "\"'":
            end = _string_end(query, i)
            out.append(query[i:end])
            i = end
            continue
        if ch == "<":
            m = _IRIREF.match(query, i)
            if m:
                out.append(m.group(0))
                i = m.end()
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _where_group(query: str) -> tuple[int, int] | None:
    """Positions of the ``{`` and ``}`` of the query's top-level WHERE group, if any."""
    depth = 0
    form = None
    after_where = False
    start = None
    for pos, tok in _tokens(query):
        if tok == "{":
            if depth == 0 and start is None and (after_where or form in ("SELECT", "ASK")):
                start = pos
            depth += 1
        elif tok == "}":
            depth -= 1
            if depth == 0 and start is not None:
                return start, pos
        elif depth == 0 and start is None:
            word = tok.upper()
            if form is None and word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = word
            elif word == "WHERE":
                after_where = True
    return None


def _first_word(text: str) -> str:
    for _pos, tok in _tokens(text):
        return tok
    return ""
