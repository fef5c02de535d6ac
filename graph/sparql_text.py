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

from lgkg.graph.sparql_scan import QUERY_FORMS, skeleton, tokens
from lgkg.graph.terms import to_ox

_VARNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PREFIX_DECL = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


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
    return {m.group(1) or "" for m in _PREFIX_DECL.finditer(skeleton(query))}


def with_prefixes(query: str, prefixes: Mapping[str, str]) -> str:
    """The query with ``PREFIX`` lines for the ``prefixes`` it does not declare.

    >>> with_prefixes("PREFIX a: <x:> ASK {}", {"a": "y:", "b": "z:"})
    'PREFIX b: <z:> PREFIX a: <x:> ASK {}'
    """
    own = declared_prefixes(query)
    decls = [f"PREFIX {p}: <{iri}> " for p, iri in prefixes.items() if p not in own]
    return "".join(decls) + query  # one line, so the server's line numbers stay the user's


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
    if next((tok for _, tok in tokens(inner)), "") == "SELECT":  # WHERE { SELECT ... } alone
        return f"{query[: start + 1]} {block} {{{inner}}} {query[end:]}"
    return f"{query[: start + 1]} {block}{inner}{query[end:]}"


def _where_group(query: str) -> tuple[int, int] | None:
    """Positions of the ``{`` and ``}`` of the query's top-level WHERE group, if any."""
    depth = 0
    form = None
    after_where = False
    start = None
    for pos, tok in tokens(query):
        if tok == "{":
            if depth == 0 and start is None and (after_where or form in ("SELECT", "ASK")):
                start = pos
            depth += 1
        elif tok == "}":
            depth -= 1
            if depth == 0 and start is not None:
                return start, pos
        elif depth == 0 and start is None:
            if form is None and tok in QUERY_FORMS:
                form = tok
            elif tok == "WHERE":
                after_where = True
    return None
