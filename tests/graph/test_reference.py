"""The reference graph (lgkg.graph.reference): councils, concepts, version."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import OWL, SKOS, XSD

from lgkg.extract.gazetteer import Gazetteer
from lgkg.graph.reference import REFERENCE_VERSION, council_triples, reference_graph
from lgkg.graph.vocab import LGKG, REFERENCE_GRAPH, SCHEMA, council_iri


@pytest.fixture(scope="module")
def reference() -> Graph:
    return reference_graph()


def test_reference_council_triples_per_model(reference: Graph) -> None:
    southwark = council_iri("E09000028")
    assert (southwark, RDF.type, LGKG.Council) in reference
    assert (
        southwark,
        SKOS.prefLabel,
        Literal("London Borough of Southwark", lang="en"),
    ) in reference
    assert (southwark, LGKG.shortName, Literal("Southwark")) in reference
    assert (southwark, SKOS.altLabel, Literal("Southwark Council", lang="en")) in reference
    assert (southwark, LGKG.gssCode, Literal("E09000028")) in reference
    assert (southwark, LGKG.councilType, Literal("LBO")) in reference
    assert set(reference.objects(southwark, OWL.sameAs)) == {
        URIRef("http://statistics.data.gov.uk/id/statistical-geography/E09000028"),
        URIRef("http://www.wikidata.org/entity/Q7571153"),
    }


def test_reference_every_council_once() -> None:
    gazetteer = Gazetteer.load()
    graph = reference_graph(gazetteer)
    councils = set(graph.subjects(RDF.type, LGKG.Council))
    assert len(councils) == len(list(gazetteer.councils()))
    for council in councils:
        assert len(list(graph.objects(council, LGKG.shortName))) == 1
        assert len(list(graph.objects(council, SKOS.prefLabel))) == 1


def test_reference_abolished_and_recoded_councils() -> None:
    gazetteer = Gazetteer.load()
    ended = next(c for c in gazetteer.councils() if c.end_date == "2019-03-31")
    recoded = next(c for c in gazetteer.councils() if c.former_codes)
    graph = Graph()
    council_triples(graph, ended)
    council_triples(graph, recoded)
    assert (
        council_iri(ended.code),
        SCHEMA.dissolutionDate,
        Literal("2019-04-01", datatype=XSD.date),
    ) in graph
    former = {str(o) for o in graph.objects(council_iri(recoded.code), LGKG.formerGssCode)}
    assert former == set(recoded.former_codes)


@pytest.mark.parametrize(
    ("concept", "notation"),
    [(LGKG.Joined, "joined"), (LGKG.Provides, "provides"), (LGKG.Proposed, "proposed")],
)
def test_reference_concepts_have_notations(
    reference: Graph, concept: URIRef, notation: str
) -> None:
    assert (concept, SKOS.notation, Literal(notation)) in reference


def test_reference_service_areas(reference: Graph) -> None:
    ict = URIRef("https://w3id.org/lgkg/id/service-area/ict")
    assert (ict, SKOS.notation, Literal("ict")) in reference
    assert (ict, SKOS.inScheme, URIRef("https://w3id.org/lgkg/id/service-area")) in reference


def test_reference_records_its_version(reference: Graph) -> None:
    assert (REFERENCE_GRAPH, OWL.versionInfo, Literal(REFERENCE_VERSION)) in reference
