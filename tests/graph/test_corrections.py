"""Analysts' corrections as RDF (lgkg.graph.corrections) and their faces' library
(lgkg.corrections): every kind of correction on the mini fixture, re-matching after a new
extraction, the queries on both stores (and the on-disk plans) showing the corrected facts,
SHACL over the corrections graphs, and gold data in the corpus format.

Fixture: tests/fixtures/mini.trig (see its header); documents A (884f…, Brent and Lewisham
form a shared IT service) and C (fdcd…, the Suffolk enforcement service: formed, joined, left,
ended).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV

from lgkg.corrections import (
    CONFIRM,
    REJECT,
    SET,
    CorrectionError,
    add_fact,
    correct,
    evaluate_corrections,
    gold_of,
    reapply,
    review,
)
from lgkg.graph.corrections import (
    Correction,
    apply_corrections,
    extracted_facts,
    fact_content,
    normalise_value,
    read_corrections,
)
from lgkg.graph.store import MemoryStore, OxigraphStore, load_dataset
from lgkg.graph.vocab import ID, LGKG, corrections_graph_iri
from lgkg.queries.named import cell_text, list_queries, run_query
from lgkg.validate import validate_store

TESTS = Path(__file__).resolve().parents[1]
FIXTURE = TESTS / "fixtures" / "mini.trig"
DOC_A, DOC_C = "884f1ee6ffaf41b4", "fdcdbe1afae66707"
GRAPH_A = str(ID[f"doc/{DOC_A}"])
T = "2026-01-0{}T00:00:00Z"


def gold_problems(gold: dict, text_name: str) -> list[str]:
    """The corpus format checks of tests/ontology/test_ontology.py."""
    path = TESTS / "ontology" / "test_ontology.py"
    spec = importlib.util.spec_from_file_location("lgkg_gold_checks", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.gold_problems(gold, text_name)


def doc_graph(store, doc_id: str) -> Graph:
    iri = ID[f"doc/{doc_id}"]
    return store.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")


def rows(store, name: str, **params: str) -> list[dict[str, str]]:
    columns, found = run_query(store, name, params)
    return [{c: cell_text(v) for c, v in zip(columns, row, strict=True)} for row in found]


def corrected(store) -> None:
    """One of each kind of correction on document A, and a rejection on document C."""
    correct(store, SET, "1", doc=DOC_A, field="status", value="done", analyst="Jo", at=T.format(1))
    correct(store, REJECT, "2", doc=DOC_A, reason="not stated", analyst="Jo", at=T.format(2))
    correct(store, CONFIRM, "6", doc=DOC_A, analyst="Jo", at=T.format(3))
    correct(store, SET, "4", doc=DOC_A, field="who", value="", analyst="Jo", at=T.format(4))
    add_fact(
        store,
        DOC_A,
        "event",
        {
            "council": "Southwark",
            "action": "joined",
            "service_area": "ict",
            "partnership": "Brent-Lewisham shared IT service",
            "status": "proposed",
        },
        "3",  # the sentence of fact 3
        analyst="Jo",
        at=T.format(5),
    )
    correct(store, REJECT, "4", doc=DOC_C, reason="Babergh stayed", analyst="Sam", at=T.format(6))


@pytest.fixture(params=["rdflib", "oxigraph-disk"])
def store(request, tmp_path):
    made = MemoryStore() if request.param == "rdflib" else OxigraphStore(tmp_path / "store")
    load_dataset(made, FIXTURE.read_bytes())
    yield made
    made.close()


# --------------------------------------------------------------------------- the model


def test_corrections_each_kind_changes_the_facts_state(store) -> None:
    corrected(store)
    r = review(store, DOC_A)
    states = [(f.number, f.kind, f.state) for f in r.facts]
    assert states == [
        (1, "event", "corrected"),
        (2, "event", "rejected"),
        (3, "saving", "extracted"),
        (4, "saving", "corrected"),
        (5, "saving", "extracted"),
        (6, "quote", "confirmed"),
        (7, "event", "added"),
    ]
    assert r.facts[0].effective["status"] == "done"
    assert r.facts[3].effective["who"] == ""
    assert r.facts[6].effective["council"] == "E09000028"  # a council's name, as its GSS code
    assert r.facts[6].effective["evidence"] == r.facts[2].content["evidence"]
    assert r.facts[1].rejected_by.reason == "not stated"
    assert [c.number for c in r.corrections] == [1, 2, 3, 4, 5]
    assert r.unmatched == []


def test_corrections_are_stored_in_their_own_graph_and_the_extraction_is_kept(store) -> None:
    before = doc_graph(store, DOC_A)
    corrected(store)
    after = doc_graph(store, DOC_A)
    assert sorted(before) == sorted(after)  # extraction's graph is never edited
    name = str(corrections_graph_iri(DOC_A))
    assert name in store.graphs()
    stored = read_corrections(doc_graph(store, f"{DOC_A}/corrections"))
    assert [(c.verb, c.analyst, c.at) for c in stored][:2] == [
        (SET, "Jo", T.format(1)),
        (REJECT, "Jo", T.format(2)),
    ]
    assert stored[1].reason == "not stated"
    assert json.loads(json.dumps(dict(stored[1].content)))["council"] == "E09000023"


def test_corrections_queries_show_the_corrected_facts(store) -> None:
    corrected(store)
    mine = [e for e in rows(store, "events") if e["source"].endswith("brent-lewisham-shared-it")]
    assert sorted((e["council"], e["action"], e["status"]) for e in mine) == [
        ("Brent", "formed", "done"),
        ("Southwark", "joined", "proposed"),
    ]
    savings = [
        s for s in rows(store, "savings") if s["source"].endswith("brent-lewisham-shared-it")
    ]
    assert sorted(s["who"] for s in savings) == ["", "", "Brent"]
    members = {
        (m["member"], m["status"], m["end"])
        for m in rows(store, "memberships")
        if m["source"].endswith("brent-lewisham-shared-it") or m["source"].endswith("ends.txt")
    }
    assert ("Brent", "done", "") in members  # follows the corrected status
    assert ("Babergh", "done", "2019-03-31") in members  # its "left" rejected: ended with the rest
    assert ("Babergh", "done", "2018-06") not in members
    assert not any(m[0] == "Lewisham" and m[2] == "" for m in members if m[1] == "agreed")
    partners = {p["partner"] for p in rows(store, "partners", council="Southwark")}
    assert {"Brent", "Lewisham"} <= partners
    documents = {d["document"]: d for d in rows(store, "documents")}
    assert (documents[GRAPH_A]["events"], documents[GRAPH_A]["savings"]) == ("2", "3")
    timeline = rows(store, "council_timeline", council="Lewisham")
    assert not any(t["source"].endswith("brent-lewisham-shared-it") for t in timeline)
    low = {r["fact"] for r in rows(store, "low_confidence")}
    assert f"{ID}event/{DOC_A}-5" not in low and f"{ID}event/{DOC_A}-1" not in low


def test_corrections_provenance_shows_the_extracted_and_the_corrected_value(store) -> None:
    corrected(store)
    found = rows(store, "provenance", subject=f"id:event/{DOC_A}-1")
    status = {(r["object"], r["source"]) for r in found if r["predicate"].endswith("#status")}
    assert status == {
        (str(LGKG.Agreed), "https://example.org/news/brent-lewisham-shared-it"),
        (str(LGKG.Done), str(corrections_graph_iri(DOC_A))),
    }
    invalidated = [r for r in found if r["predicate"] == str(PROV.wasInvalidatedBy)]
    assert [r["object"] for r in invalidated] == [f"{ID}correction/{DOC_A}-1"]
    assert invalidated[0]["extracted_at"] == T.format(1)
    who = rows(store, "provenance", subject=f"id:correction/{DOC_A}-2")
    assert {r["object"] for r in who} >= {"not stated", f"{ID}analyst/jo"}


def test_corrections_named_queries_agree_on_both_stores(tmp_path) -> None:
    answers = []
    for made in (MemoryStore(), OxigraphStore(tmp_path / "disk")):
        load_dataset(made, FIXTURE.read_bytes())
        corrected(made)
        answers.append(
            {
                q.name: rows(made, q.name, **{p.name: p.example for p in q.params})
                for q in list_queries()
            }
        )
        made.close()
    assert answers[0] == answers[1]


def test_corrections_query_plans_agree_with_their_queries(tmp_path) -> None:
    with OxigraphStore(tmp_path / "disk") as disk:
        load_dataset(disk, FIXTURE.read_bytes())
        corrected(disk)
        for q in list_queries():
            for plan in q.plans.values():
                columns, plain = disk.select(q.text)
                plan_columns, planned = disk.select(plan.text, unmark=plan.keyed)
                assert plan_columns == columns
                assert plan.sorted(plan_columns, planned) == plain, q.name


def test_corrections_latest_verdict_wins_and_additions_confirm_found_facts(store) -> None:
    correct(store, REJECT, "1", doc=DOC_A, reason="no", analyst="Jo", at=T.format(1))
    correct(store, CONFIRM, "1", doc=DOC_A, analyst="Jo", at=T.format(2))
    extracted = review(store, DOC_A).facts[1].content
    given = {k: v for k, v in extracted.items() if k not in ("kind", "evidence")}
    r, made = add_fact(store, DOC_A, "event", given, extracted["evidence"], analyst="Jo")
    assert r.facts[0].state == "confirmed"
    assert r.facts[1].state == "confirmed" and made.fact == f"{ID}event/{DOC_A}-2"
    assert len(r.facts) == 6  # the addition stated nothing new
    assert len(rows(store, "events")) == 12  # as extracted: nothing rejected stands


@pytest.mark.parametrize(
    ("verb", "fact", "kw", "message"),
    [
        (REJECT, "1", {}, "say why"),
        (SET, "1", {"field": "colour", "value": "red"}, "no field 'colour'"),
        (SET, "1", {"field": "status", "value": "maybe"}, "is not one of"),
        (SET, "1", {"field": "client", "value": "Brent"}, "only a provides event"),
        (SET, "3", {"field": "amount", "value": "-5"}, "more than 0"),
        (SET, "1", {"field": "date", "value": "soon"}, "not a date"),
        (CONFIRM, "99", {}, "has no fact 99"),
        (CONFIRM, f"id:membership/{DOC_A}-1", {}, "correct the event instead"),
    ],
)
def test_corrections_refuse_what_cannot_be_stated(store, verb, fact, kw, message) -> None:
    with pytest.raises(CorrectionError, match=message):
        correct(store, verb, fact, doc=DOC_A, **kw)
    assert str(corrections_graph_iri(DOC_A)) not in store.graphs()


def test_corrections_take_a_fact_by_its_iri_as_extracted_or_as_corrected(store) -> None:
    r, made = correct(store, SET, f"id:event/{DOC_A}-1", field="date", value="2016-05")
    assert made.fact == f"{ID}event/{DOC_A}-1"
    revision = str(r.facts[0].iri)
    assert revision.endswith(f"{DOC_A}-r1")
    r, made = correct(store, SET, revision, field="status", value="done")
    assert made.fact == f"{ID}event/{DOC_A}-1"
    assert r.facts[0].changes == {"date": "2016-05", "status": "done"}


# --------------------------------------------------------------------------- re-matching


def renumbered(graph: Graph, kind: str, mapping: dict[int, int]) -> Graph:
    """``graph`` with the facts of ``kind`` renumbered, as a new extractor might."""

    def move(node):
        if isinstance(node, URIRef) and str(node).startswith(f"{ID}{kind}/{DOC_A}-"):
            n = int(str(node).rsplit("-", 1)[1])
            return URIRef(f"{ID}{kind}/{DOC_A}-{mapping.get(n, n)}")
        return node

    out = Graph()
    for s, p, o in graph:
        out.add((move(s), p, move(o)))
    return out


def test_corrections_reapply_by_content_and_report_what_no_longer_matches(store) -> None:
    corrected(store)
    new = renumbered(doc_graph(store, DOC_A), "saving", {1: 3, 3: 1})
    # the new extraction reads Lewisham's saving no more, and Brent's status as done
    lewisham = URIRef(f"{ID}saving/{DOC_A}-2")
    for triple in list(new.triples((lewisham, None, None))):
        new.remove(triple)
    brent = URIRef(f"{ID}event/{DOC_A}-1")
    new.set((brent, LGKG.status, LGKG.Done))
    again = reapply(store, [(GRAPH_A, new)])[GRAPH_A]
    assert [c.number for c in again.unmatched] == [4]  # "who" of Lewisham's saving
    assert again.applied == 4
    assert "1 no longer match" in again.notes()[0]
    applied = apply_corrections(DOC_A, new, read_corrections(again.graph))
    by_origin = {str(f.origin)[len(str(ID)) :]: f for f in applied.facts}
    assert by_origin[f"event/{DOC_A}-1"].state == "confirmed"  # the change is what was read
    assert by_origin[f"event/{DOC_A}-2"].state == "rejected"
    assert by_origin[f"quote/{DOC_A}-1"].state == "confirmed"
    assert by_origin[f"saving/{DOC_A}-3"].content["who"] == "E09000005"  # renumbered, found


def test_corrections_match_a_fact_whose_details_changed_by_its_sentence() -> None:
    with MemoryStore() as made:
        load_dataset(made, FIXTURE.read_bytes())
        ds_graph = doc_graph(made, DOC_A)
    event = extracted_facts(ds_graph)[0]
    c = Correction(1, REJECT, "Jo", T.format(1), "no", str(event), fact_content(ds_graph, event))
    moved = renumbered(ds_graph, "event", {1: 2, 2: 1})
    moved.set((URIRef(f"{ID}event/{DOC_A}-2"), LGKG.date, Literal("2017")))
    applied = apply_corrections(DOC_A, moved, [c])
    assert applied.unmatched == []
    assert applied.corrections[0].fact == f"{ID}event/{DOC_A}-2"


# --------------------------------------------------------------------------- checks, gold


def test_corrections_graphs_conform_to_the_shapes(tmp_path) -> None:
    with OxigraphStore(tmp_path / "s") as made:
        load_dataset(made, FIXTURE.read_bytes())
        made.ensure_reference()  # the fixture's reference slice lacks the concept schemes
        corrected(made)
        conforms, report = validate_store(made)
        assert conforms, report
        name = str(corrections_graph_iri(DOC_A))
        graph = doc_graph(made, f"{DOC_A}/corrections")
        rejection = URIRef(f"{ID}correction/{DOC_A}-2")
        graph.remove((rejection, LGKG.reason, None))
        made.replace_graph(name, graph)
        conforms, report = validate_store(made)
        assert not conforms
        assert "A rejection says why the fact is wrong" in report


def test_corrections_gold_data_is_in_the_corpus_format(store) -> None:
    corrected(store)
    r = review(store, DOC_A)
    gold = gold_of(r, "a.txt")
    assert gold_problems(gold, "a.txt") == []
    assert [(e["council"], e["status"]) for e in gold["events"]] == [
        ("E09000005", "done"),
        ("E09000028", "proposed"),
    ]
    assert gold["published"] == "2015-11"
    extracted = gold_of(r, "a.txt", as_extracted=True)
    assert len(extracted["events"]) == 2 and extracted["events"][0]["status"] == "agreed"
    report = evaluate_corrections(store)
    assert set(report.documents) == {
        "https://example.org/news/brent-lewisham-shared-it",
        "suffolk-enforcement-ends.txt",
    }
    assert report.kinds["events"].fp == 2  # Lewisham's rejected formed, Babergh's rejected left
    assert report.kinds["events"].fn == 1  # Southwark, added


@pytest.mark.parametrize(
    ("kind", "name", "raw", "value"),
    [
        ("event", "council", "Worthing Borough Council", "E07000229"),
        ("event", "council", "Local Government Association", "Local Government Association"),
        ("event", "action", "Joined", "joined"),
        ("event", "service_area", "revenues-benefits", "revenues-benefits"),
        ("saving", "period", "p5y", "P5Y"),
        ("saving", "currency", "eur", "EUR"),
        ("saving", "who", "", ""),
        ("quote", "organisation", "e09000028", "E09000028"),
    ],
)
def test_corrections_values_take_the_gold_files_form(kind, name, raw, value) -> None:
    from lgkg.graph.lookup import NameLookup

    names = NameLookup()

    def code(text: str) -> str | None:
        iri = names.lookup_council(text)
        return None if iri is None else str(iri).rsplit("/", 1)[-1]

    assert normalise_value(kind, name, raw, code) == value


def emitted_document() -> Graph:
    """A document graph as lgkg.graph.emit writes it: founders, a member that left, the
    partnership ended, and a service provided to a client."""
    from lgkg.extract.records import Body, DocumentMeta, Event, Evidence, Extraction
    from lgkg.graph.emit import extraction_graph

    def event(body: Body, action: str, date: str, client: Body | None = None) -> Event:
        ev = Evidence(f"{body.name} {action} the shared service.", 0, 10)
        return Event(body, action, "Shared service", "legal", date, "done", client, ev, 0.8, "r")

    adur, worthing, lga = Body("Adur", "E07000223"), Body("Worthing", "E07000229"), Body("LGA")
    meta = DocumentMeta(DOC_A, None, "T", "2020-01", "a.txt", "f" * 64)
    events = (
        event(adur, "formed", "2015"),
        event(worthing, "formed", "2015"),
        event(worthing, "left", "2018"),
        event(adur, "provides", "", lga),
        event(adur, "ended", "2019"),
    )
    return extraction_graph(
        Extraction(meta, "", events=events, extracted_at="2020-01-01T00:00:00Z")
    )


def memberships_touched(applied) -> set[str]:
    invalidated = applied.graph.subjects(PROV.wasInvalidatedBy, None)
    return {str(m).rsplit("/", 1)[1] for m in invalidated if "/membership/" in str(m)}


def correction_of(graph: Graph, n: int, verb: str, **kw: str) -> Correction:
    event = URIRef(f"{ID}event/{DOC_A}-{n}")
    return Correction(
        n, verb, "Jo", T.format(n), fact=str(event), content=fact_content(graph, event), **kw
    )


def test_corrections_memberships_follow_the_corrected_events_as_emit_makes_them() -> None:
    x = emitted_document()
    assert memberships_touched(apply_corrections(DOC_A, x, [correction_of(x, 1, CONFIRM)])) == set()
    # Worthing's "left" rejected: only Worthing's membership changes (it now ends with the rest)
    applied = apply_corrections(DOC_A, x, [correction_of(x, 3, REJECT, reason="no")])
    assert memberships_touched(applied) == {f"{DOC_A}-2"}
    revised = URIRef(f"{ID}membership/{DOC_A}-r2")
    assert applied.graph.value(revised, PROV.wasRevisionOf) == URIRef(f"{ID}membership/{DOC_A}-2")
    # the provides event rejected: the client's membership (if emit makes one) goes with it
    applied = apply_corrections(DOC_A, x, [correction_of(x, 4, REJECT, reason="no")])
    clients = {str(m) for m in x.subjects(PROV.wasDerivedFrom, None) if "/membership/" in str(m)}
    assert memberships_touched(applied) == {c.rsplit("/", 1)[1] for c in clients} - {
        f"{DOC_A}-1",
        f"{DOC_A}-2",
    }
    # Adur's founding only agreed: its membership is stated anew, the rest kept
    applied = apply_corrections(
        DOC_A, x, [correction_of(x, 1, SET, field="status", value="agreed")]
    )
    assert memberships_touched(applied) == {f"{DOC_A}-1"}


def test_corrections_the_network_follows_them(store) -> None:
    import lgkg

    mid_suffolk, babergh = "E07000203", "E07000200"
    with lgkg.open(store) as g:
        assert g.network(metrics=False).has_edge(mid_suffolk, babergh)
        g.reject(DOC_C, 2, reason="Babergh was never a member", by="Sam")
        g.reject(DOC_C, 4, reason="so it did not leave either", by="Sam")
        assert not g.network(metrics=False).has_edge(mid_suffolk, babergh)
        g.confirm(DOC_C, 2, by="Sam")  # the latest verdict wins
        assert g.network(metrics=False).has_edge(mid_suffolk, babergh)
