"""Fuzzing the whole extraction: never raises, offsets inside the text, graphs conform.

``LGKG_FUZZ_EXAMPLES`` sets how many texts hypothesis generates (default 30);
``LGKG_FUZZ_SHACL_EVERY`` checks SHACL conformance on one text in N (default:
every text up to 100 examples, else one in 50), as pyshacl is slow. A
document graph is validated with the part of the reference graph reachable
from its nodes (the councils, areas and concepts it names, their classes):
0.2 s instead of 7 s for the whole reference graph, which the first text
is also checked against.
"""

from __future__ import annotations

import os
from itertools import count

import pytest
from fuzz_texts import press_releases
from hypothesis import HealthCheck, given, settings
from rdflib import BNode, Graph, URIRef

from lgkg.extract.errors import BadInput
from lgkg.extract.sources import source_from_text

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("LGKG_FUZZ_EXAMPLES", "30"))
SHACL_EVERY = int(os.environ.get("LGKG_FUZZ_SHACL_EVERY", "1" if EXAMPLES <= 100 else "50"))
_seen = count()
checked = {"texts": 0, "shacl": 0, "facts": 0}


@pytest.fixture(scope="module")
def extractor():
    from lgkg.extract.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="module")
def reference() -> Graph:
    from lgkg.graph.reference import reference_graph

    return reference_graph()


def reachable(data: Graph, reference: Graph) -> Graph:
    """The triples of ``reference`` reachable from the nodes ``data`` mentions."""
    out = Graph()
    seen: set = set()
    frontier = [t for triple in data for t in triple if isinstance(t, URIRef | BNode)]
    while frontier:
        node = frontier.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in reference.triples((node, None, None)):
            out.add(triple)
            if isinstance(triple[2], URIRef | BNode):
                frontier.append(triple[2])
    return out


def conforms(data: Graph, reference: Graph) -> tuple[bool, str]:
    import pyshacl

    from lgkg.graph.vocab import shapes_graph

    union = Graph()
    for graph in (data, reference):
        for triple in graph:
            union.add(triple)
    ok, _, text = pyshacl.validate(
        union, shacl_graph=shapes_graph(), inference="none", allow_warnings=True
    )
    return bool(ok), str(text)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=press_releases())
def test_hardening_fuzz_extraction(extractor, reference: Graph, text: str) -> None:
    from lgkg.graph.emit import extraction_graph

    try:
        source = source_from_text(text, name="fuzz.txt")
    except BadInput:  # the documented refusal (e.g. mostly control characters)
        return
    x = extractor.extract(source)
    checked["texts"] += 1
    facts = [*x.events, *x.savings, *x.quotes]
    checked["facts"] += len(facts)
    for fact in facts:
        ev = fact.evidence
        assert 0 <= ev.start < ev.end <= len(x.text), (ev, len(x.text))
    graph = extraction_graph(x)
    seen = next(_seen)
    if seen % SHACL_EVERY == 0:
        checked["shacl"] += 1
        ok, report = conforms(graph, reachable(graph, reference))
        assert ok, (text, report)
    if seen == 0:
        ok, report = conforms(graph, reference)
        assert ok, (text, report)


def test_hardening_fuzz_report() -> None:
    """Prints what the fuzz run covered (run with -s to see it)."""
    print(f"fuzz: {checked}")
    assert checked["texts"] == 0 or checked["shacl"] >= 1
