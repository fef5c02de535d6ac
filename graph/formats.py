"""Every RDF and SPARQL-results format lgkg reads or writes, in one table.

:data:`FORMATS` names each format once, with its media types (its own first,
then the others it answers to), file extension, pyoxigraph format and rdflib
plugin name. The store (``query_raw``, ``dump``), the server (content
negotiation, ``format=``, the Graph Store Protocol) and the command line
(``--format``) take their names and media types from here.

>>> FORMATS["turtle"].media_type, FORMATS["turtle"].extension, FORMATS["turtle"].rdflib
('text/turtle', '.ttl', 'turtle')
>>> offers(RESULTS)[:2]
[('application/sparql-results+json', 'json'), ('application/sparql-results+xml', 'xml')]
>>> FORMAT_NAMES["nt"]
'ntriples'
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import zip_longest

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    """One format: SPARQL results (``results``), RDF triples (``graph``) or quads (``dataset``)."""

    name: str
    kind: str
    media_types: tuple[str, ...]  # its own first, then the others it answers to
    extension: str
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat
    rdflib: str  # the rdflib serializer/parser plugin
    w3c: str  # its name in http://www.w3.org/ns/formats/
    aliases: tuple[str, ...] = ()  # other names a ``format=`` parameter may give

    @property
    def media_type(self) -> str:
        """The format's own media type."""
        return self.media_types[0]


#: Every format, by name. The order is the server's order of preference.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "json",
            "results",
            ("application/sparql-results+json", "application/json"),
            ".srj",
            ox.QueryResultsFormat.JSON,
            "json",
            "SPARQL_Results_JSON",
        ),
        Format(
            "xml",
            "results",
            ("application/sparql-results+xml", "application/xml", "text/xml"),
            ".srx",
            ox.QueryResultsFormat.XML,
            "xml",
            "SPARQL_Results_XML",
        ),
        Format(
            "csv",
            "results",
            ("text/csv",),
            ".csv",
            ox.QueryResultsFormat.CSV,
            "csv",
            "SPARQL_Results_CSV",
        ),
        Format(
            "tsv",
            "results",
            ("text/tab-separated-values",),
            ".tsv",
            ox.QueryResultsFormat.TSV,
            "tsv",
            "SPARQL_Results_TSV",
        ),
        Format(
            "turtle",
            "graph",
            ("text/turtle", "application/x-turtle"),
            ".ttl",
            ox.RdfFormat.TURTLE,
            "turtle",
            "Turtle",
            ("ttl",),
        ),
        Format(
            "ntriples",
            "graph",
            ("application/n-triples", "text/plain"),
            ".nt",
            ox.RdfFormat.N_TRIPLES,
            "nt",
            "N-Triples",
            ("nt",),
        ),
        Format(
            "jsonld",
            "graph",
            ("application/ld+json", "application/json"),
            ".jsonld",
            ox.RdfFormat.JSON_LD,
            "json-ld",
            "JSON-LD",
            ("json-ld",),
        ),
        Format(
            "rdfxml",
            "graph",
            ("application/rdf+xml", "application/xml"),
            ".rdf",
            ox.RdfFormat.RDF_XML,
            "xml",
            "RDF_XML",
            ("rdf",),
        ),
        Format(
            "nquads",
            "dataset",
            ("application/n-quads",),
            ".nq",
            ox.RdfFormat.N_QUADS,
            "nquads",
            "N-Quads",
        ),
        Format(
            "trig",
            "dataset",
            ("application/trig",),
            ".trig",
            ox.RdfFormat.TRIG,
            "trig",
            "TriG",
        ),
    )
}

#: The formats of each kind of result, in order of preference.
RESULTS = tuple(f.name for f in FORMATS.values() if f.kind == "results")
GRAPHS = tuple(f.name for f in FORMATS.values() if f.kind == "graph")
DATASETS = tuple(f.name for f in FORMATS.values() if f.kind == "dataset")

#: ``format=`` parameter values (names and aliases) and the formats they pick.
FORMAT_NAMES: dict[str, str] = {
    alias: f.name for f in FORMATS.values() if f.kind != "dataset" for alias in (f.name, *f.aliases)
}

#: Result formats of ``Store.query_raw`` for SELECT and ASK.
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    name: FORMATS[name].oxigraph for name in RESULTS
}
#: The names ``Store.query_raw`` takes for CONSTRUCT and DESCRIBE results and the formats
#: they pick (there ``xml`` is RDF/XML, as it is SPARQL XML for SELECT and ASK).
STORE_GRAPH_NAMES: dict[str, str] = {
    "turtle": "turtle",
    "ntriples": "ntriples",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "jsonld",
    "xml": "rdfxml",
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    name: FORMATS[fmt].oxigraph for name, fmt in STORE_GRAPH_NAMES.items()
}
#: What ``Store.dump`` writes: trig and nquads keep the named graphs; turtle merges them.
DUMP_FORMATS = ("nquads", "trig", "turtle", "jsonld")


def offers(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(media type, format name) pairs for content negotiation, in order of preference:
    each format's own media type in the order of ``names``, then their second media
    types, and so on.

    >>> offers(DATASETS)
    [('application/n-quads', 'nquads'), ('application/trig', 'trig')]
    """
    columns = zip_longest(*(FORMATS[name].media_types for name in names))
    return [
        (media, name)
        for column in columns
        for name, media in zip(names, column, strict=True)
        if media is not None
    ]


def graph_format(name: str) -> ox.RdfFormat:
    """The RDF format ``Store.query_raw`` writes for a CONSTRUCT or DESCRIBE (ValueError if none).

    >>> graph_format("xml") == ox.RdfFormat.RDF_XML
    True
    """
    try:
        return GRAPH_FORMATS[name]
    except KeyError:
        raise ValueError(
            f"unknown RDF format {name!r}; use one of {', '.join(GRAPH_FORMATS)}"
        ) from None


def store_graph_rdflib(name: str) -> str:
    """The rdflib plugin for a ``query_raw`` graph format name (``xml``: RDF/XML)."""
    return FORMATS[STORE_GRAPH_NAMES[name]].rdflib
