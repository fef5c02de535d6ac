"""Query results as bytes in the negotiated format, and HTTP content negotiation.

SELECT and ASK results are written here in the four W3C SPARQL results
formats (JSON, XML, CSV, TSV) from pyoxigraph terms, so that a result can be
cut at the server's row cap; CONSTRUCT and DESCRIBE triples are written by
pyoxigraph (Turtle, N-Triples, JSON-LD, RDF/XML).

>>> import pyoxigraph as ox
>>> solutions_bytes("csv", ["s", "n"], [[ox.NamedNode("http://x.org/a"), ox.Literal("1")]])
b's,n\\r\\nhttp://x.org/a,1\\r\\n'
>>> negotiate("text/csv;q=0.5, application/sparql-results+xml", TABULAR)
('application/sparql-results+xml', 'xml')
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from lgkg.graph.formats import FORMAT_NAMES, FORMATS, GRAPHS, RESULTS, offers

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

#: (media type, format) the server offers, in its order of preference (from the
#: format table, :mod:`lgkg.graph.formats`; ``FORMAT_NAMES`` are the ``format=`` values).
TABULAR = offers(RESULTS)
GRAPH = offers(GRAPHS)
RDF_FORMATS = {name: FORMATS[name].oxigraph for name in GRAPHS}


class NotAcceptable(Exception):
    """No format the client accepts can carry this result."""


def _ranges(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The q of the most specific range matching ``media`` (-1 when none matches)."""
    kind = media.split("/")[0]
    best, specificity = -1.0, -1
    for pattern, q in ranges:
        if pattern == media:
            level = 2
        elif pattern == f"{kind}/*":
            level = 1
        elif pattern == "*/*":
            level = 0
        else:
            continue
        if level > specificity:
            best, specificity = q, level
    return best


def negotiate(
    accept: str | None, offers: Sequence[tuple[str, str]], fmt: str | None = None
) -> tuple[str, str]:
    """The (media type, format) to answer with; the media type is the format's own.

    ``fmt`` (a ``format=`` parameter: ``json``, ``csv``, ``turtle``, ...) wins
    when the offers include it; else the ``Accept`` header decides, ties going
    to the server's order; no header (or ``*/*``) gives the first offer.
    Raises :class:`NotAcceptable`.

    >>> negotiate("text/*", TABULAR)
    ('text/csv', 'csv')
    >>> negotiate(None, GRAPH, fmt="nt")
    ('application/n-triples', 'ntriples')
    """
    canonical = {}
    for media, name in offers:
        canonical.setdefault(name, media)
    if fmt:
        wanted = FORMAT_NAMES.get(fmt.lower())
        if wanted not in canonical:
            raise NotAcceptable(f"format={fmt} cannot carry this result")
        return canonical[wanted], wanted
    if not accept or not accept.strip():
        return offers[0]
    ranges = _ranges(accept)
    scored = [(_quality(media, ranges), -i, name) for i, (media, name) in enumerate(offers)]
    q, _, name = max(scored)
    if q <= 0:
        kinds = ", ".join(canonical.values())
        raise NotAcceptable(f"this result can be sent as {kinds}, not as {accept}")
    return canonical[name], name


# --------------------------------------------------------------------------- terms


def _literal_parts(term: ox.Literal) -> tuple[str | None, str | None]:
    """(language, datatype IRI) of a literal; the datatype is None for plain strings."""
    if term.language:
        return term.language, None
    datatype = term.datatype.value
    return None, None if datatype in (XSD_STRING, RDF_LANG_STRING) else datatype


def term_json(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict:
    """One RDF term as a SPARQL JSON results binding value."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict = {"type": "literal", "value": term.value}
        lang, datatype = _literal_parts(term)
        if lang:
            out["xml:lang"] = lang
        if datatype:
            out["datatype"] = datatype
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def _term_xml(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        lang, datatype = _literal_parts(term)
        attr = f" xml:lang={quoteattr(lang)}" if lang else ""
        attr += f" datatype={quoteattr(datatype)}" if datatype else ""
        return f"<literal{attr}>{escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
        inner = "".join(f"<{k}>{_term_xml(v)}</{k}>" for k, v in parts)
        return f"<triple>{inner}</triple>"
    raise TypeError(f"not an RDF term: {term!r}")


def _term_csv(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)  # a triple term, in N-Triples syntax


# --------------------------------------------------------------------------- writers


def solutions_bytes(fmt: str, variables: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """SELECT results (rows of pyoxigraph terms, None when unbound) in ``fmt``."""
    if fmt == "json":
        bindings = [
            {v: term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = io.StringIO()
        out.write(f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}">\n<head>')
        out.write("".join(f"<variable name={quoteattr(v)}/>" for v in variables))
        out.write("</head>\n<results>\n")
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            out.write(f"<result>{cells}</result>\n")
        out.write("</results>\n</sparql>\n")
        return out.getvalue().encode("utf-8")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_term_csv(t) for t in row] for row in rows)
        return out.getvalue().encode("utf-8")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"unknown results format {fmt!r}")


def boolean_bytes(fmt: str, value: bool) -> bytes:
    """An ASK answer in ``fmt`` (CSV and TSV carry a bare ``true``/``false``).

    >>> boolean_bytes("json", True)
    b'{"head": {}, "boolean": true}'
    """
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt == "xml":
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}">\n'
            f"<head/>\n<boolean>{word}</boolean>\n</sparql>\n"
        ).encode()
    if fmt in ("csv", "tsv"):
        return f"{word}\n".encode()
    raise ValueError(f"unknown results format {fmt!r}")


def triples_bytes(fmt: str, triples: Sequence[ox.Triple], prefixes: dict[str, str]) -> bytes:
    """CONSTRUCT or DESCRIBE triples in ``fmt`` (Turtle gets the prefixes)."""
    kw = {"prefixes": prefixes} if fmt == "turtle" else {}
    return ox.serialize(triples, format=RDF_FORMATS[fmt], **kw) or b""
