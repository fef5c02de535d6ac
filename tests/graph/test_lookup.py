"""Names to IRIs for named queries' parameters: the stores' lookup (lgkg.graph.lookup)."""

from __future__ import annotations

from rdflib import URIRef

from lgkg.extract.gazetteer import Gazetteer
from lgkg.graph.lookup import Lookup, NameLookup, as_lookup
from lgkg.graph.store import MemoryStore, Store
from lgkg.graph.vocab import partnership_iri

SOUTHWARK = URIRef("https://w3id.org/lgkg/id/council/E09000028")
BLS = "Brent-Lewisham shared IT service"


def test_lookup_every_store_is_a_lookup(empty_store: Store) -> None:
    assert isinstance(empty_store, Lookup)
    assert as_lookup(empty_store) is empty_store


def test_lookup_councils_by_code_or_name_as_the_gazetteer(empty_store: Store) -> None:
    names = NameLookup(Gazetteer.load())
    for text in ("Southwark", "London Borough of Southwark", "E09000028", "e09000028"):
        assert empty_store.lookup_council(text) == names.lookup_council(text) == SOUTHWARK
    former = next(c for c in Gazetteer.load().councils() if c.former_codes)
    assert empty_store.lookup_council(former.former_codes[0]) == URIRef(
        f"https://w3id.org/lgkg/id/council/{former.code}"
    )
    assert empty_store.lookup_council("E99999999") is None
    assert empty_store.lookup_council("Southwork") is None
    assert "Southwark" in empty_store.council_names()
    assert empty_store.council_names() == names.council_names()


def test_lookup_partnership_by_label_then_alias(mini_store: Store) -> None:
    stored = partnership_iri(BLS)
    assert mini_store.lookup_partnership(BLS) == stored
    assert mini_store.lookup_partnership("No Such Partnership") == partnership_iri(
        "No Such Partnership"
    )
    assert mini_store.lookup_partnership("--") is None


def test_lookup_partnership_alias_names_the_stored_partnership() -> None:
    from rdflib import Graph, Literal
    from rdflib.namespace import ORG, RDF, SKOS

    iri = partnership_iri("Shared Technology Services")
    g = Graph()
    g.add((iri, RDF.type, ORG.OrganizationalCollaboration))
    g.add((iri, SKOS.altLabel, Literal(BLS)))
    with MemoryStore() as store:
        store.replace_graph("https://w3id.org/lgkg/id/doc/0123456789abcdef", g)
        assert store.lookup_partnership(BLS.upper()) == iri
        assert NameLookup().lookup_partnership(BLS.upper()) == partnership_iri(BLS)


def test_lookup_as_lookup_wraps_a_gazetteer_or_nothing() -> None:
    gazetteer = Gazetteer.load()
    wrapped = as_lookup(gazetteer)
    assert isinstance(wrapped, NameLookup) and wrapped.gazetteer is gazetteer
    assert isinstance(as_lookup(None), NameLookup)
    assert as_lookup(None).lookup_council("Southwark") == SOUTHWARK
