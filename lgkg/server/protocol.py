"""The SPARQL 1.1 Protocol: from an HTTP request to the operation it asks for.

:func:`parse_request` reads the method, the URL's query string, the
Content-Type and the body the way the Protocol (sections 2.1 and 2.2)
prescribes, and either returns an :class:`Operation` (None for a plain GET,
which gets the service description) or raises :class:`ProtocolError` with
the HTTP status to answer: 405 for another method, 415 for a body of the wrong
media type or charset, 400 for everything else that is malformed (two
queries, a query and an update, an update by GET, a dataset IRI that is not
an absolute IRI, bytes that are not UTF-8).

>>> parse_request("GET", "query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fx.org%2Fg", None, b"")
Operation(kind='query', text='ASK {}', default_graphs=('http://x.org/g',), named_graphs=())
>>> parse_request("POST", "", "application/sparql-update", b"CLEAR ALL").kind
'update'
>>> parse_request("POST", "", "text/plain", b"ASK {}")
Traceback (most recent call last):
...
lgkg.server.protocol.ProtocolError: 415: POST a query or update as ... not text/plain
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from lgkg.graph.sparql_scan import is_absolute_iri

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
DATASET_PARAMS = {
    "query": ("default-graph-uri", "named-graph-uri"),
    "update": ("using-graph-uri", "using-named-graph-uri"),
}


class ProtocolError(Exception):
    """A request the protocol does not allow; ``status`` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Operation:
    """A query or an update with the dataset the request gives it (graph IRIs)."""

    kind: str  # "query" or "update"
    text: str
    default_graphs: tuple[str, ...] = ()  # default-graph-uri, or using-graph-uri
    named_graphs: tuple[str, ...] = ()  # named-graph-uri, or using-named-graph-uri

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def media_type(content_type: str | None) -> tuple[str, dict[str, str]]:
    """The media type (lower case) and its parameters.

    >>> media_type("Application/SPARQL-Query; charset=UTF-8")
    ('application/sparql-query', {'charset': 'UTF-8'})
    """
    if not content_type:
        return "", {}
    kind, *params = (part.strip() for part in content_type.split(";"))
    parsed = {}
    for param in params:
        key, _, value = param.partition("=")
        parsed[key.strip().lower()] = value.strip().strip('"')
    return kind.lower(), parsed


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {what} is not UTF-8") from None


def _pairs(encoded: str, what: str) -> list[tuple[str, str]]:
    try:
        return urllib.parse.parse_qsl(encoded, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise ProtocolError(400, f"the {what} is not UTF-8 URL-encoded text") from None


def _dataset(kind: str, pairs: list[tuple[str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    default_key, named_key = DATASET_PARAMS[kind]
    default = tuple(v for k, v in pairs if k == default_key)
    named = tuple(v for k, v in pairs if k == named_key)
    for iri in (*default, *named):
        if not is_absolute_iri(iri):
            raise ProtocolError(400, f"not an absolute IRI: {iri!r}")
    return default, named


def _single(pairs: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The one ``query`` or ``update`` in the parameters (None when there is none)."""
    found = [(k, v) for k, v in pairs if k in ("query", "update")]
    if len(found) > 1:
        names = " and ".join(sorted({k for k, _ in found}))
        raise ProtocolError(400, f"give one query or one update, not several ({names})")
    return found[0] if found else None


def parse_request(
    method: str, query_string: str, content_type: str | None, body: bytes
) -> Operation | None:
    """The operation an HTTP request to the endpoint asks for (see the module docstring)."""
    url_pairs = _pairs(query_string, "query string")
    if method in ("GET", "HEAD"):
        found = _single(url_pairs)
        if found is None:
            return None
        kind, text = found
        if kind == "update":
            raise ProtocolError(400, "an update must be sent with POST, not GET")
        return Operation(kind, text, *_dataset(kind, url_pairs))
    if method != "POST":
        raise ProtocolError(405, f"{method} is not allowed: use GET or POST")
    kind_type, params = media_type(content_type)
    if kind_type == FORM:
        pairs = url_pairs + _pairs(_decode(body, "form body"), "form body")
        found = _single(pairs)
        if found is None:
            raise ProtocolError(400, "the form has no query= or update= field")
        kind, text = found
        return Operation(kind, text, *_dataset(kind, pairs))
    if kind_type in (QUERY_TYPE, UPDATE_TYPE):
        charset = params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            raise ProtocolError(415, f"the body must be UTF-8, not {params['charset']}")
        if _single(url_pairs) is not None:
            raise ProtocolError(400, "give the operation in the body or the URL, not both")
        kind = "query" if kind_type == QUERY_TYPE else "update"
        return Operation(kind, _decode(body, kind), *_dataset(kind, url_pairs))
    shown = kind_type or "no Content-Type"
    raise ProtocolError(
        415,
        f"POST a query or update as {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}, not {shown}",
    )
