"""SHACL validation of a whole store (``lgkg validate``).

The data graph is the union of the store's graphs (documents and the
reference graph, so an event's council is seen with its type); the shapes
are ``ontology/shapes.ttl`` and the ontology is mixed in for class
hierarchies.

>>> from lgkg.graph.store import MemoryStore
>>> validate_store(MemoryStore())[0]
True
"""

from __future__ import annotations

from rdflib import Graph

from lgkg.graph.store import Store


def validate_store(store: Store) -> tuple[bool, str]:
    """``(conforms, report text)`` for the union of the store's graphs.

    Raises RuntimeError when the shapes themselves cannot be used.
    """
    from pyshacl import validate

    from lgkg.graph.vocab import ontology_graph, shapes_graph

    data = Graph()
    data.parse(data=store.dump("turtle"), format="turtle")
    conforms, report, text = validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        allow_warnings=True,
    )
    if isinstance(report, Exception):  # pySHACL reports a broken shapes graph this way
        raise RuntimeError(str(text))
    return bool(conforms), str(text)
