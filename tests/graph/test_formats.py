"""The one format table (lgkg.graph.formats) and what the store, server and CLI take from it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from lgkg import cli
from lgkg.graph import formats, remote, store
from lgkg.graph.formats import (
    DATASETS,
    DUMP_FORMATS,
    FORMAT_NAMES,
    FORMATS,
    GRAPH_FORMATS,
    GRAPHS,
    RESULT_FORMATS,
    RESULTS,
    graph_format,
    offers,
    store_graph_rdflib,
)
from lgkg.server import description, gsp, results


def test_formats_negotiation_offers_keep_the_servers_order() -> None:
    """Content negotiation's offers, in the order ties go (the W3C protocol tests rely on it)."""
    assert offers(RESULTS) == [
        ("application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv", "csv"),
        ("text/tab-separated-values", "tsv"),
        ("application/json", "json"),
        ("application/xml", "xml"),
        ("text/xml", "xml"),
    ]
    assert offers(GRAPHS) == [
        ("text/turtle", "turtle"),
        ("application/n-triples", "ntriples"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdfxml"),
        ("application/x-turtle", "turtle"),
        ("text/plain", "ntriples"),
        ("application/json", "jsonld"),
        ("application/xml", "rdfxml"),
    ]
    assert offers(DATASETS) == [("application/n-quads", "nquads"), ("application/trig", "trig")]
    assert offers(RESULTS) == results.TABULAR
    assert offers(GRAPHS) == results.GRAPH
    assert offers(DATASETS) == gsp.DATASET_TYPES


def test_formats_format_parameter_names_and_aliases() -> None:
    assert FORMAT_NAMES == {
        "json": "json",
        "xml": "xml",
        "csv": "csv",
        "tsv": "tsv",
        "turtle": "turtle",
        "ttl": "turtle",
        "ntriples": "ntriples",
        "nt": "ntriples",
        "jsonld": "jsonld",
        "json-ld": "jsonld",
        "rdfxml": "rdfxml",
        "rdf": "rdfxml",
    }
    assert results.FORMAT_NAMES is FORMAT_NAMES
    assert results.RDF_FORMATS == {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }


def test_formats_table_agrees_with_pyoxigraph() -> None:
    """Each format's own media type and extension are pyoxigraph's for its format."""
    for f in FORMATS.values():
        assert f.oxigraph.media_type.split(";")[0] == f.media_type, f.name
        assert f".{f.oxigraph.file_extension}" == f.extension, f.name
        if f.kind == "results":
            assert ox.QueryResultsFormat.from_media_type(f.media_type) == f.oxigraph
        else:
            assert ox.RdfFormat.from_media_type(f.media_type) == f.oxigraph


def test_formats_store_names() -> None:
    """The names ``query_raw`` and ``dump`` take (``xml`` is RDF/XML for a graph)."""
    assert list(RESULT_FORMATS) == ["json", "xml", "csv", "tsv"]
    assert GRAPH_FORMATS == {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "nquads": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
        "jsonld": ox.RdfFormat.JSON_LD,
        "xml": ox.RdfFormat.RDF_XML,
    }
    assert [store_graph_rdflib(n) for n in GRAPH_FORMATS] == [
        "turtle",
        "nt",
        "nquads",
        "trig",
        "json-ld",
        "xml",
    ]
    assert DUMP_FORMATS == ("nquads", "trig", "turtle", "jsonld")
    assert store.RESULT_FORMATS is remote.RESULT_FORMATS is RESULT_FORMATS
    assert store.GRAPH_FORMATS is GRAPH_FORMATS
    assert store.DUMP_FORMATS is remote.DUMP_FORMATS is DUMP_FORMATS
    with pytest.raises(ValueError, match="unknown RDF format 'rdfxml'; use one of turtle, "):
        graph_format("rdfxml")


def test_formats_cli_choices_are_store_names() -> None:
    """``lgkg sparql --format`` and ``lgkg export --format`` pass names on to the store."""
    assert set(cli.SPARQL_FORMATS) - {"table"} <= set(RESULT_FORMATS) | set(GRAPH_FORMATS)
    assert set(cli.EXPORT_FORMATS) == set(DUMP_FORMATS)


def test_formats_service_description_lists_what_is_offered() -> None:
    assert description.RESULT_FORMATS == (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    )
    assert formats.FORMATS["rdfxml"].rdflib == "xml"
