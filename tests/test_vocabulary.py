"""One vocabulary: actions, statuses, service areas, the GSS pattern and the SPARQL prefixes
are defined once (``lgkg.extract.vocabulary``, ``lgkg.graph.vocab``) and nowhere else.

The source of every package module is scanned for a second definition: a tuple, list,
set or dict holding two or more actions, two or more statuses or two or more
service-area codes; a comparison with an action or status spelt out; a GSS regex
(eight digits); a SPARQL namespace spelt out.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal
from rdflib.namespace import SH, SKOS

from lgkg.extract.vocabulary import ACTIONS, GSS_CODE, SERVICE_AREAS, STATUSES
from lgkg.graph import base, store
from lgkg.graph.vocab import (
    ACTION_CONCEPTS,
    LGKG,
    PREFIXES,
    SERVICE_AREA_SCHEME,
    STATUS_CONCEPTS,
    ontology_graph,
    shapes_graph,
)

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("extract", "graph", "queries", "lgkg")
DEFINED_IN = {
    "vocabulary": "extract/vocabulary.py",  # actions, statuses, service areas, GSS
    "namespaces": "graph/vocab.py",  # namespaces, PREFIXES
}
WORD_LISTS = {"action": set(ACTIONS), "status": set(STATUSES), "service-area": set(SERVICE_AREAS)}
EIGHT_DIGITS = re.compile(r"(\\d|\[0-9\])\{8\}")
PREFIX_DECL = re.compile(r"PREFIX\s+[\w-]*:\s*<([^>]*)>", re.IGNORECASE)


def _strings(nodes: list[ast.expr | None]) -> list[str]:
    return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def restatements(source: str, name: str = "<string>") -> list[str]:
    """Where ``source`` defines part of the vocabulary again (``file:line: what``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        where = f"{name}:{getattr(node, 'lineno', '?')}"
        members = None
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            members = _strings(node.elts)
        elif isinstance(node, ast.Dict):
            members = _strings(node.keys) + _strings(node.values)
        if members is not None:
            for kind, words in WORD_LISTS.items():
                spelt = sorted(set(members) & words)
                if len(spelt) >= 2:
                    found.append(f"{where}: {kind} list {spelt}")
        if isinstance(node, ast.Compare):
            for spelt in _strings([node.left, *node.comparators]):
                if spelt in WORD_LISTS["action"] | WORD_LISTS["status"]:
                    found.append(f"{where}: compares with {spelt!r}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if EIGHT_DIGITS.search(node.value):
                found.append(f"{where}: a GSS pattern {node.value!r}")
            if node.value in PREFIXES.values() and not name.endswith(DEFINED_IN["namespaces"]):
                found.append(f"{where}: the namespace {node.value!r}")
            for iri in PREFIX_DECL.findall(node.value):
                if iri in PREFIXES.values():
                    found.append(f"{where}: a PREFIX line for {iri!r}")
    return found


def _sources() -> list[Path]:
    return sorted(
        path
        for folder in SCANNED
        for path in (ROOT / folder).rglob("*.py")
        if "__pycache__" not in path.parts
        and path.relative_to(ROOT).as_posix() != DEFINED_IN["vocabulary"]
    )


def test_the_scan_covers_the_package() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in _sources()}
    assert {"extract/events.py", "graph/emit.py", "queries/named.py", "lgkg/network.py"} <= names
    assert DEFINED_IN["namespaces"] in names
    assert DEFINED_IN["vocabulary"] not in names


@pytest.mark.parametrize("path", _sources(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_second_definition(path: Path) -> None:
    name = path.relative_to(ROOT).as_posix()
    assert restatements(path.read_text(encoding="utf-8"), name) == []


@pytest.mark.parametrize(
    "source",
    [
        'STATUSES = ("proposed", "agreed", "done")',
        'RANK = {"proposed": 1, "agreed": 2, "done": 3}',
        'option = click.Choice(["proposed", "done"])',
        'MEMBER = ("formed", "joined")',
        'if action in {"left", "ended"}: pass',
        'AREAS = ["ict", "legal", "waste"]',
        'status = "done" if e.status == "agreed" else None',
        'if "provides" != action: pass',
        '_GSS = re.compile(r"[EKNSW]\\d{8}")',
        'CODE = "^[ENSW][0-9]{8}$"',
        'SKOS = "http://www.w3.org/2004/02/skos/core#"',
        'Q = """PREFIX org: <http://www.w3.org/ns/org#>\nASK { ?p a org:Organization }"""',
    ],
)
def test_the_scan_finds_a_second_definition(source: str) -> None:
    assert restatements(source)


@pytest.mark.parametrize(
    "source",
    [
        "from lgkg.extract.vocabulary import STATUSES, DONE\nok = status in STATUSES",
        'Event(body, JOINED, "Shared IT", "ict", "", DONE)',  # values through the names
        'status, conf = "done", 0.7',  # a value, not a list of them
        'SIDES = ("left", "right")',  # one action word among others
        'cues = {"agreed": 1, "strong": 2}',
        'x = f"PREFIX lgkg: <{LGKG._NS}>"',  # derived from the namespace
        'TOKEN = re.compile(r"[0-9a-f]{16}")',
    ],
)
def test_the_scan_passes_uses_of_the_vocabulary(source: str) -> None:
    assert restatements(source) == []


# -- the vocabulary against the ontology, the shapes and the data ---------------------


def _notations(graph: Graph, cls) -> list[str]:
    return sorted(str(graph.value(c, SKOS.notation)) for c in graph.subjects(RDF.type, cls))


def test_actions_and_statuses_are_the_ontologys_concepts() -> None:
    graph = ontology_graph()
    assert _notations(graph, LGKG.Action) == sorted(ACTIONS)
    assert _notations(graph, LGKG.Status) == sorted(STATUSES)
    for concepts in (ACTION_CONCEPTS, STATUS_CONCEPTS):
        for code, concept in concepts.items():
            assert graph.value(concept, SKOS.notation) == Literal(code)


def test_service_areas_are_the_ontologys_concepts() -> None:
    graph = ontology_graph()
    concepts = graph.subjects(SKOS.inScheme, SERVICE_AREA_SCHEME)
    assert sorted(str(graph.value(c, SKOS.notation)) for c in concepts) == sorted(SERVICE_AREAS)
    assert len(set(SERVICE_AREAS)) == len(SERVICE_AREAS)


def test_the_shapes_use_the_gss_pattern() -> None:
    patterns = [str(p) for p in shapes_graph().objects(None, SH.pattern) if "{8}" in str(p)]
    assert len(patterns) >= 2  # the council IRI, its GSS codes
    assert all(p.endswith(f"{GSS_CODE.pattern}$") for p in patterns), patterns


def test_every_council_and_gold_code_is_a_gss_code() -> None:
    councils = (ROOT / "extract/data/councils.csv").read_text(encoding="utf-8").splitlines()[1:]
    codes = {line.split(",", 1)[0] for line in councils}
    assert codes and all(GSS_CODE.fullmatch(c) for c in codes)
    gold_files = [*ROOT.glob("examples/*.gold.json"), *ROOT.glob("tests/fixtures/**/*.gold.json")]
    assert gold_files
    for path in gold_files:
        for event in json.loads(path.read_text(encoding="utf-8"))["events"]:
            council = str(event["council"]).strip().upper()
            if re.fullmatch(r"[A-Z][0-9]{8}", council):  # what evaluate once took for a code
                assert GSS_CODE.fullmatch(council), (path.name, council)


def test_the_stores_prefixes_are_the_vocabularys() -> None:
    assert base.PREFIXES is PREFIXES and store.PREFIXES is PREFIXES
    assert PREFIXES["lgkg"] == str(LGKG._NS)
