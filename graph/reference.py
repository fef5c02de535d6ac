"""The reference graph: councils from the gazetteer, service areas, and the ontology.

One named graph (``REFERENCE_GRAPH``) that every store holds beside its
document graphs (ontology/MODEL.md, "Reference graph"). ``REFERENCE_VERSION``
is a hash of everything it is built from, recorded in the graph as
``<REFERENCE_GRAPH> owl:versionInfo "..."``, so a store rewrites it only when
the gazetteer, the ontology or this module changes (``Store.ensure_reference``).

>>> len(REFERENCE_VERSION)
16
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS, XSD

from lgkg.extract.gazetteer import Council, Gazetteer
from lgkg.graph.vocab import LGKG, REFERENCE_GRAPH, SCHEMA, council_iri, ontology_graph

STATISTICAL_GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"
WIKIDATA = "http://www.wikidata.org/entity/"

#: Package data the reference graph is built from: (package, path inside it).
_INPUTS = (
    ("lgkg.extract", "data/councils.csv"),
    ("lgkg.extract", "data/council_names.csv"),
    ("lgkg.extract", "data/gazetteer_rules.json"),
    ("lgkg.ontology", "lgkg.ttl"),
    ("lgkg.ontology", "service-areas.ttl"),
)


def reference_version() -> str:
    """The first 16 hex digits of a sha256 over the inputs and this module's code."""
    digest = hashlib.sha256()
    for package, path in _INPUTS:
        resource = files(package).joinpath(*path.split("/"))
        digest.update(path.encode())
        digest.update(resource.read_bytes() if resource.is_file() else b"")
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


REFERENCE_VERSION = reference_version()


def council_triples(graph: Graph, council: Council) -> None:
    """Add one council's triples (MODEL.md) to ``graph``.

    ``schema:dissolutionDate`` is the day the council ceased to exist, the day
    after the gazetteer's last day (``end_date``).
    """
    iri = URIRef(council_iri(council.code))
    graph.add((iri, RDF.type, LGKG.Council))
    graph.add((iri, SKOS.prefLabel, Literal(council.official_name, lang="en")))
    graph.add((iri, LGKG.shortName, Literal(council.short_name)))
    for name in council.names:
        if name and name != council.official_name:
            graph.add((iri, SKOS.altLabel, Literal(name, lang="en")))
    graph.add((iri, LGKG.gssCode, Literal(council.code)))
    for former in council.former_codes:
        graph.add((iri, LGKG.formerGssCode, Literal(former)))
    if council.type:
        graph.add((iri, LGKG.councilType, Literal(council.type)))
    graph.add((iri, OWL.sameAs, URIRef(STATISTICAL_GEOGRAPHY + council.code)))
    if council.wikidata:
        graph.add((iri, OWL.sameAs, URIRef(WIKIDATA + council.wikidata)))
    if council.start_date:
        graph.add((iri, SCHEMA.foundingDate, Literal(council.start_date, datatype=XSD.date)))
    if council.end_date:
        ceased = date.fromisoformat(council.end_date) + timedelta(days=1)
        graph.add((iri, SCHEMA.dissolutionDate, Literal(ceased.isoformat(), datatype=XSD.date)))


def reference_graph(gazetteer: Gazetteer | None = None) -> Graph:
    """The whole reference graph: the ontology with its action, status and service-area
    concepts (``vocab.ontology_graph``), every council of the gazetteer, and its version."""
    graph = ontology_graph()
    for council in (gazetteer or Gazetteer.load()).councils():
        council_triples(graph, council)
    graph.add((URIRef(str(REFERENCE_GRAPH)), OWL.versionInfo, Literal(REFERENCE_VERSION)))
    return graph


def reference_nquads() -> bytes:
    """The reference graph as N-Quads in its named graph (what a store loads, and what
    ``lgkg extract --reference`` writes beside exported documents).

    Building it takes a few tenths of a second, so the bytes are kept in the user's
    cache folder under the graph's version, written whole or not at all; a folder that
    cannot be written only means building it each time.
    """
    import os
    import tempfile

    from platformdirs import user_cache_path

    cached = user_cache_path("lgkg") / f"reference-{REFERENCE_VERSION}.nq"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    data = _build_nquads()
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=cached.parent, prefix=".reference-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(partial, cached)
    except OSError:
        pass
    return data


def _build_nquads() -> bytes:
    import pyoxigraph as ox

    from lgkg.graph.terms import to_ox_quads

    quads = to_ox_quads(str(REFERENCE_GRAPH), reference_graph())
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
