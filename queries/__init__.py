"""Named SPARQL queries (``lgkg.queries``): the ``*.rq`` files and their loader."""

from lgkg.queries.named import (
    KINDS,
    NamedQuery,
    Param,
    QueryError,
    bind_params,
    cell_text,
    get_query,
    list_queries,
    parse_query,
    run_query,
)

__all__ = [
    "KINDS",
    "NamedQuery",
    "Param",
    "QueryError",
    "bind_params",
    "cell_text",
    "get_query",
    "list_queries",
    "parse_query",
    "run_query",
]
