"""The ontology, service areas, SHACL shapes, vocab helpers and example gold files.

Fixtures: ``ontology/examples/*.ttl`` and ``examples/*.txt`` were written for
the project (see their headers and the gold files' notes); the shared corpus's
gold files are read from ``/work/shared`` (``../shared`` from the repository)
when present.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL, SH, SKOS, Namespace

from lgkg.extract.records import ACTIONS, STATUSES
from lgkg.graph.vocab import (
    ID,
    LGKG,
    REFERENCE_GRAPH,
    SERVICE_AREA_SCHEME,
    council_iri,
    doc_iri,
    fact_iri,
    ontology_graph,
    org_iri,
    partnership_iri,
    person_iri,
    service_area_iri,
    shapes_graph,
    slug,
)

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY_DIR = REPO / "ontology"
EXAMPLES_TTL = ONTOLOGY_DIR / "examples"
EXAMPLES_TXT = REPO / "examples"
CORPUS_DEV = REPO.parent / "shared" / "corpus" / "dev"

NS = "https://w3id.org/lgkg/ns#"
ONTOLOGY_IRI = URIRef("https://w3id.org/lgkg/ns")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
VANN = Namespace("http://purl.org/vocab/vann/")
DCTERMS = Namespace("http://purl.org/dc/terms/")

# docs/contract.md, "Service areas": the service-area codes, in the contract's order.
SPEC_SERVICE_AREAS = [
    "ict",
    "legal",
    "revenues-benefits",
    "finance",
    "hr-payroll",
    "procurement",
    "audit",
    "waste",
    "building-control",
    "planning",
    "regulatory",
    "customer-services",
    "social-care",
    "public-health",
    "management",
    "property",
    "highways-transport",
    "emergency-planning",
    "communications",
    "pensions",
    "back-office",
    "other",
]


@pytest.fixture(scope="module")
def lgkg_ttl() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "lgkg.ttl")


@pytest.fixture(scope="module")
def service_areas() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "service-areas.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


def _defined_terms(graph: Graph) -> set[str]:
    """Local names of the lgkg: IRIs that lgkg.ttl describes as subjects."""
    return {str(s)[len(NS) :] for s in set(graph.subjects()) if str(s).startswith(NS)}


# --- ontology ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("predicate", "expected"),
    [
        (OWL.versionIRI, URIRef("https://w3id.org/lgkg/ns/0.1.0")),
        (OWL.versionInfo, Literal("0.1.0")),
        (DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")),
        (VANN.preferredNamespacePrefix, Literal("lgkg")),
        (VANN.preferredNamespaceUri, Literal(NS)),
    ],
)
def test_ontology_header_has(lgkg_ttl: Graph, predicate: URIRef, expected: object) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in lgkg_ttl
    assert (ONTOLOGY_IRI, predicate, expected) in lgkg_ttl


@pytest.mark.parametrize(
    "predicate", [DCTERMS.title, DCTERMS.description, DCTERMS.modified, DCTERMS.creator]
)
def test_ontology_header_describes(lgkg_ttl: Graph, predicate: URIRef) -> None:
    assert lgkg_ttl.value(ONTOLOGY_IRI, predicate) is not None


def test_ontology_terms_match_vocab(lgkg_ttl: Graph) -> None:
    vocab_terms = set(LGKG.__annotations__)
    assert _defined_terms(lgkg_ttl) == vocab_terms


def test_ontology_defines_every_term_model_uses(lgkg_ttl: Graph) -> None:
    model = (ONTOLOGY_DIR / "MODEL.md").read_text(encoding="utf-8")
    used = set(re.findall(r"\blgkg:([A-Za-z]\w*)", model))
    assert used, "MODEL.md names no lgkg: terms"
    assert used <= _defined_terms(lgkg_ttl)


@pytest.mark.parametrize("predicate", [RDFS.label, SKOS.definition, RDFS.comment, RDFS.isDefinedBy])
def test_ontology_terms_are_documented(lgkg_ttl: Graph, predicate: URIRef) -> None:
    missing = sorted(
        name for name in _defined_terms(lgkg_ttl) if lgkg_ttl.value(LGKG[name], predicate) is None
    )
    assert missing == []


@pytest.mark.parametrize(
    ("term", "parent"),
    [
        (LGKG.Council, ORG.FormalOrganization),
        (LGKG.PartnershipEvent, ORG.ChangeEvent),
        (LGKG.PartnershipEvent, PROV.Activity),
        (LGKG.SourceDocument, PROV.Entity),
        (LGKG.Saving, SCHEMA.MonetaryAmount),
        (LGKG.Action, SKOS.Concept),
        (LGKG.Status, SKOS.Concept),
    ],
)
def test_ontology_subclass_links(lgkg_ttl: Graph, term: URIRef, parent: URIRef) -> None:
    assert (term, RDFS.subClassOf, parent) in lgkg_ttl


@pytest.mark.parametrize(
    ("cls", "scheme", "codes"),
    [(LGKG.Action, LGKG.ActionScheme, ACTIONS), (LGKG.Status, LGKG.StatusScheme, STATUSES)],
)
def test_ontology_concepts_carry_spec_codes(
    lgkg_ttl: Graph, cls: URIRef, scheme: URIRef, codes: tuple[str, ...]
) -> None:
    members = set(lgkg_ttl.subjects(RDF.type, cls))
    assert {str(lgkg_ttl.value(m, SKOS.notation)) for m in members} == set(codes)
    for member in members:
        assert (member, SKOS.inScheme, scheme) in lgkg_ttl
        assert (scheme, SKOS.hasTopConcept, member) in lgkg_ttl
        assert lgkg_ttl.value(member, SKOS.prefLabel) is not None


# --- service areas ---------------------------------------------------------------


def test_service_areas_codes_are_spec_codes(service_areas: Graph) -> None:
    concepts = list(service_areas.subjects(SKOS.inScheme, SERVICE_AREA_SCHEME))
    codes = sorted(str(service_areas.value(c, SKOS.notation)) for c in concepts)
    assert codes == sorted(SPEC_SERVICE_AREAS)
    assert len(concepts) == 22


@pytest.mark.parametrize("code", SPEC_SERVICE_AREAS)
def test_service_areas_concept_is_complete(service_areas: Graph, code: str) -> None:
    concept = service_area_iri(code)
    assert (concept, RDF.type, SKOS.Concept) in service_areas
    assert (concept, SKOS.notation, Literal(code)) in service_areas
    assert (concept, SKOS.topConceptOf, SERVICE_AREA_SCHEME) in service_areas
    assert (SERVICE_AREA_SCHEME, SKOS.hasTopConcept, concept) in service_areas
    for predicate in (SKOS.prefLabel, SKOS.definition, SKOS.altLabel):
        value = service_areas.value(concept, predicate, any=True)
        assert isinstance(value, Literal)
        assert value.language == "en"


# --- shapes ------------------------------------------------------------------------


def _validate_example(*names: str) -> tuple[bool, Graph]:
    data = ontology_graph()
    for name in names:
        data.parse(EXAMPLES_TTL / name)
    conforms, report, text = validate(data, shacl_graph=shapes_graph(), inference="none")
    assert isinstance(report, Graph), text
    return bool(conforms), report


def _results(report: Graph) -> set[tuple[str, str, str]]:
    """(focus node, path, constraint component) of each top-level result."""
    out = set()
    for result in report.objects(None, SH.result):
        path = report.value(result, SH.resultPath)
        out.add(
            (
                str(report.value(result, SH.focusNode)).rsplit("/", 1)[-1],
                "" if path is None else re.split(r"[#/]", str(path))[-1],
                str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            )
        )
    return out


def test_shapes_valid_example_conforms() -> None:
    conforms, report = _validate_example("valid-document.ttl")
    assert conforms, report.serialize(format="turtle")


def test_shapes_valid_corrections_example_conforms() -> None:
    conforms, report = _validate_example("valid-document.ttl", "valid-corrections.ttl")
    assert conforms, report.serialize(format="turtle")


EVENT = "a56ab77fcd2abfc7-9"
SAVING = EVENT
INVALID = {
    "invalid-event-no-status.ttl": {(EVENT, "status", "MinCountConstraintComponent")},
    "invalid-event-bad-action.ttl": {(EVENT, "action", "NodeConstraintComponent")},
    "invalid-event-unknown-service-area.ttl": {(EVENT, "serviceArea", "NodeConstraintComponent")},
    "invalid-event-unknown-actor.ttl": {(EVENT, "actor", "OrConstraintComponent")},
    "invalid-event-client-not-provides.ttl": {(EVENT, "", "OrConstraintComponent")},
    "invalid-event-bad-date.ttl": {(EVENT, "date", "OrConstraintComponent")},
    "invalid-event-evidence-offsets.ttl": {
        (EVENT, "evidenceStart", "LessThanOrEqualsConstraintComponent")
    },
    "invalid-event-confidence.ttl": {(EVENT, "confidence", "MaxInclusiveConstraintComponent")},
    "invalid-event-no-source.ttl": {(EVENT, "wasDerivedFrom", "MinCountConstraintComponent")},
    "invalid-saving-negative.ttl": {(SAVING, "value", "MinExclusiveConstraintComponent")},
    "invalid-saving-currency.ttl": {(SAVING, "currency", "PatternConstraintComponent")},
    "invalid-saving-period.ttl": {
        (SAVING, "period", "DatatypeConstraintComponent"),
        (SAVING, "period", "PatternConstraintComponent"),
    },
    "invalid-saving-integer-value.ttl": {(SAVING, "value", "DatatypeConstraintComponent")},
    "invalid-quote-no-speaker.ttl": {(EVENT, "speaker", "MinCountConstraintComponent")},
    "invalid-person-no-name.ttl": {("sam-okafor", "name", "MinCountConstraintComponent")},
    "invalid-membership-instant.ttl": {(EVENT, "memberDuring", "NodeConstraintComponent")},
    "invalid-membership-no-organization.ttl": {
        (EVENT, "organization", "MinCountConstraintComponent")
    },
    "invalid-partnership-no-label.ttl": {
        ("cotswold-forest-waste-partnership", "label", "MinCountConstraintComponent")
    },
    "invalid-document-no-hash.ttl": {
        ("0123456789abcdef", "contentHash", "MinCountConstraintComponent")
    },
    "invalid-document-url-scheme.ttl": {("0123456789abcdef", "url", "PatternConstraintComponent")},
    "invalid-council-gss.ttl": {
        ("E07000081", "gssCode", "PatternConstraintComponent"),
        ("E07000081", "", "SPARQLConstraintComponent"),
    },
    "invalid-correction-no-reason.ttl": {(EVENT, "reason", "MinCountConstraintComponent")},
    "invalid-correction-unknown-field.ttl": {(EVENT, "correctedField", "InConstraintComponent")},
}


@pytest.mark.parametrize(("name", "expected"), sorted(INVALID.items()))
def test_shapes_invalid_example_fails(name: str, expected: set[tuple[str, str, str]]) -> None:
    conforms, report = _validate_example("valid-document.ttl", name)
    assert not conforms
    assert _results(report) == expected


def test_shapes_every_invalid_example_has_expectation() -> None:
    assert {p.name for p in EXAMPLES_TTL.glob("invalid-*.ttl")} == set(INVALID)


def test_shapes_instant_with_two_precisions_is_reported() -> None:
    _, report = _validate_example("valid-document.ttl", "invalid-membership-instant.ttl")
    details = {
        str(report.value(d, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        for d in report.subjects(SH.resultSeverity, SH.Violation)
    }
    assert "SPARQLConstraintComponent" in details


def test_shapes_every_constraint_has_message(shapes: Graph) -> None:
    property_shapes = set(shapes.objects(None, SH.property))
    node_shapes = set(shapes.subjects(SH.targetClass, None))
    assert property_shapes and node_shapes
    silent = [s for s in property_shapes | node_shapes if shapes.value(s, SH.message) is None]
    assert silent == []


# --- vocab helpers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Brent-Lewisham shared IT service", "brent-lewisham-shared-it-service"),
        ("  Shared  Legal -- Service! ", "shared-legal-service"),
        ("Ynys Môn & Gwynedd", "ynys-mon-gwynedd"),
        ("Brent\u2013Lewisham", "brent-lewisham"),
        ("LGSS (Local Government Shared Services)", "lgss-local-government-shared-services"),
        ("***", ""),
    ],
)
def test_vocab_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        (council_iri("E09000028"), "council/E09000028"),
        (org_iri("Local Government Association"), "org/local-government-association"),
        (person_iri("Fiona Colley"), "person/fiona-colley"),
        (partnership_iri("One Legal"), "partnership/one-legal"),
        (service_area_iri("hr-payroll"), "service-area/hr-payroll"),
        (doc_iri("00ff00ff00ff00ff"), "doc/00ff00ff00ff00ff"),
        (fact_iri("membership", "00ff00ff00ff00ff", 3), "membership/00ff00ff00ff00ff-3"),
    ],
)
def test_vocab_iri_helpers(iri: URIRef, expected: str) -> None:
    assert iri == ID[expected]


@pytest.mark.parametrize(
    ("helper", "args"),
    [
        (council_iri, ("E0900002",)),
        (council_iri, ("Southwark",)),
        (org_iri, ("--",)),
        (partnership_iri, ("",)),
        (service_area_iri, ("Human Resources",)),
        (doc_iri, ("00FF00FF00FF00FF",)),
        (fact_iri, ("fact", "00ff00ff00ff00ff", 1)),
        (fact_iri, ("event", "00ff00ff00ff00ff", 0)),
    ],
)
def test_vocab_iri_helpers_reject(helper: object, args: tuple[object, ...]) -> None:
    with pytest.raises(ValueError):
        helper(*args)  # type: ignore[operator]


def test_vocab_fails_on_unknown_term() -> None:
    with pytest.raises(AttributeError):
        _ = LGKG.notATerm


def test_vocab_reference_graph_iri() -> None:
    assert ID["graph/reference"] == REFERENCE_GRAPH


def test_vocab_loads_package_data() -> None:
    ontology = ontology_graph()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert (SERVICE_AREA_SCHEME, RDF.type, SKOS.ConceptScheme) in ontology
    assert (URIRef("https://w3id.org/lgkg/shapes#CouncilShape"), RDF.type, SH.NodeShape) in (
        shapes_graph()
    )
    shipped = {p.name for p in files("lgkg.ontology").iterdir()}
    assert {"lgkg.ttl", "service-areas.ttl", "shapes.ttl"} <= shipped


# --- gold files ------------------------------------------------------------------------

GOLD_KEYS = {"doc", "published", "events", "savings", "quotes"}
EVENT_KEYS = {"council", "action", "service_area", "partnership", "date", "status"}
SAVING_KEYS = {"who", "amount", "currency", "period", "speaker"}
QUOTE_KEYS = {"speaker", "organisation"}
GSS = re.compile(r"[ENSW]\d{8}")
ISO_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
DURATION = re.compile(r"P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _is_body(value: str, *, empty_ok: bool) -> bool:
    """A GSS code, a body's name, or (where allowed) empty."""
    if not value:
        return empty_ok
    return bool(GSS.fullmatch(value)) or not re.fullmatch(r"[A-Z]\d+", value)


def gold_problems(gold: dict, text_name: str) -> list[str]:
    """What in ``gold`` breaks the gold format of docs/contract.md (empty when it conforms)."""
    problems = []
    if not set(gold) >= GOLD_KEYS or not set(gold) <= GOLD_KEYS | {"notes"}:
        problems.append(f"top-level keys {sorted(gold)}")
    if gold.get("doc") != text_name:
        problems.append(f"doc {gold.get('doc')!r} is not {text_name!r}")
    published = gold.get("published")
    if published != "unknown" and not ISO_DATE.fullmatch(str(published)):
        problems.append(f"published {published!r}")
    for e in gold.get("events", []):
        keys = set(e)
        if not keys >= EVENT_KEYS or not keys <= EVENT_KEYS | {"client"}:
            problems.append(f"event keys {sorted(keys)}")
            continue
        if e["action"] not in ACTIONS or e["status"] not in STATUSES:
            problems.append(f"event action/status {e['action']!r}/{e['status']!r}")
        if e["service_area"] not in SPEC_SERVICE_AREAS:
            problems.append(f"service area {e['service_area']!r}")
        if e["date"] and not ISO_DATE.fullmatch(e["date"]):
            problems.append(f"date {e['date']!r}")
        if not _is_body(e["council"], empty_ok=False) or not e["partnership"]:
            problems.append(f"event body/partnership {e['council']!r}/{e['partnership']!r}")
        if "client" in e and (e["action"] != "provides" or not e["client"]):
            problems.append(f"client {e['client']!r} on a {e['action']} event")
    for s in gold.get("savings", []):
        if set(s) != SAVING_KEYS:
            problems.append(f"saving keys {sorted(s)}")
            continue
        amount = s["amount"]
        if isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
            problems.append(f"amount {amount!r}")
        if not re.fullmatch(r"[A-Z]{3}", s["currency"]):
            problems.append(f"currency {s['currency']!r}")
        if s["period"] and not DURATION.fullmatch(s["period"]):
            problems.append(f"period {s['period']!r}")
        if not _is_body(s["who"], empty_ok=True):
            problems.append(f"who {s['who']!r}")
    for q in gold.get("quotes", []):
        if set(q) != QUOTE_KEYS or not q["speaker"]:
            problems.append(f"quote {q!r}")
        elif not _is_body(q["organisation"], empty_ok=True):
            problems.append(f"organisation {q['organisation']!r}")
    return problems


def _gold_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.gold.json")) if folder.is_dir() else []


@pytest.mark.parametrize("gold_path", _gold_files(EXAMPLES_TXT), ids=lambda p: p.name)
def test_gold_example_matches_spec_format(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text_path = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt"))
    assert text_path.is_file()
    assert gold_problems(gold, text_path.name) == []
    front = FRONT_MATTER.match(text_path.read_text(encoding="utf-8"))
    assert front is not None
    fields = dict(line.split(": ", 1) for line in front.group(1).splitlines())
    assert fields["published"] == gold["published"]
    assert gold["events"], "an example with nothing to find tests nothing"


def test_gold_examples_exist() -> None:
    assert len(_gold_files(EXAMPLES_TXT)) >= 3
    assert len(list(EXAMPLES_TXT.glob("*.txt"))) == len(_gold_files(EXAMPLES_TXT))


@pytest.mark.parametrize("gold_path", _gold_files(CORPUS_DEV), ids=lambda p: p.name)
def test_gold_corpus_matches_spec_format(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert gold_problems(gold, gold_path.name.replace(".gold.json", ".txt")) == []


@pytest.mark.parametrize(
    ("gold", "problem"),
    [
        ({"action": "merged"}, "event action/status"),
        ({"service_area": "libraries"}, "service area"),
        ({"date": "April 2016"}, "date"),
        ({"council": "E0900002"}, "event body/partnership"),
        ({"client": "Local Government Association"}, "client"),
    ],
)
def test_gold_problems_catches_bad_event(gold: dict, problem: str) -> None:
    event = {
        "council": "E09000005",
        "action": "formed",
        "service_area": "ict",
        "partnership": "Shared IT",
        "date": "2016-04",
        "status": "done",
    }
    doc = {"doc": "x.txt", "published": "unknown", "events": [event | gold], "savings": []}
    doc["quotes"] = []
    problems = gold_problems(doc, "x.txt")
    assert len(problems) == 1
    assert problems[0].startswith(problem)
