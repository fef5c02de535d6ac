"""The SPARQL 1.1 Service Description served at the endpoint's URL (a GET with no query).

>>> g = service_description("http://127.0.0.1:7878/sparql", update=False)
>>> SD.SPARQL11Update in set(g.objects(None, SD.supportedLanguage))
False
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from lgkg.graph.formats import FORMATS as FORMAT_TABLE
from lgkg.graph.formats import GRAPHS, RESULTS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: What the endpoint answers in, by their names in ``FORMATS`` (SPARQL_Results_JSON, ...).
RESULT_FORMATS = tuple(FORMAT_TABLE[name].w3c for name in (*RESULTS, *GRAPHS))
ABOUT = (
    "A knowledge graph of UK local-government partnerships extracted from press releases. "
    "Each document is a named graph; the default graph is the union of all graphs unless "
    "the request gives a dataset. FROM and FROM NAMED select graphs of this store (nothing "
    "is fetched); SERVICE and LOAD are refused."
)


def service_description(endpoint: str, *, update: bool, graphs: int | None = None) -> Graph:
    """The service description of the endpoint at ``endpoint``."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("dcterms", DCTERMS)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if update:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for name in RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[name]))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    g.add((service, DCTERMS.title, Literal("lgkg: UK local-government partnerships")))
    g.add((service, RDFS.comment, Literal(ABOUT)))
    dataset, default = BNode(), BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    if graphs is not None:
        g.add((dataset, RDFS.comment, Literal(f"{graphs} named graphs")))
    return g
