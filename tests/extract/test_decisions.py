"""The learned decisions: linear models, the features of a body, what the models add, and
``lgkg train`` / ``lgkg evaluate --cv`` on a small corpus written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lgkg.cli import cli
from lgkg.extract.clean import clean
from lgkg.extract.decisions import (
    FORMAT,
    BodyCase,
    Decisions,
    area_features,
    cue_words,
    fit_decisions,
    shipped,
    status_features,
)
from lgkg.extract.linear import LinearModel, fit
from lgkg.extract.records import ACTIONS, Body, Event, Evidence
from lgkg.extract.sources import read_source, source_from_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CORPUS = FIXTURES / "train_corpus"
FIXTURE_MODEL = FIXTURES / "train_corpus_decisions.json"
EVIDENCE = Evidence("Rother joined.", 0, 14)


def never(action: str) -> LinearModel:
    return LinearModel((action,), {}, (-5.0,))


def decisions(**actions: LinearModel) -> Decisions:
    """Models that say no to every action but the ones given, 'agreed', and 'legal'."""
    return Decisions(
        {a: actions.get(a, never(a)) for a in ACTIONS},
        LinearModel(("agreed", "done", "proposed"), {}, (1.0, 0.0, 0.0)),
        LinearModel(("ict", "legal"), {"near:ict": (0.0, -4.0)}, (0.0, 1.0)),
    )


def case(features: dict[str, float], *rule_events: Event, areas: dict | None = None) -> BodyCase:
    return BodyCase(Body("Rother", "E07000064"), features, areas or {}, EVIDENCE, rule_events)


# --------------------------------------------------------------------------- linear models


def test_linear_binary_and_multiclass_probabilities() -> None:
    binary = LinearModel(("joined",), {"w:join": (2.0,)}, (-1.0,))
    assert binary.probabilities({"w:join": 1.0})["joined"] == pytest.approx(0.731, abs=1e-3)
    assert binary.probabilities({})["not"] == pytest.approx(0.731, abs=1e-3)
    multi = LinearModel(("a", "b", "c"), {"x": (0.0, 3.0, 0.0)}, (0.0, 0.0, 0.0))
    assert multi.best({"x": 1.0}) == ("b", pytest.approx(0.909, abs=1e-3))
    assert multi.best({"x": 1.0}, allowed=("a", "c"))[0] == "a"  # ties go to the first class
    assert LinearModel.from_json(json.loads(json.dumps(multi.to_json()))) == multi


def test_linear_fit_learns_a_word_and_is_deterministic() -> None:
    rows = [{"w:join": 1.0}, {"w:join": 1.0, "w:new": 1.0}, {"w:form": 1.0}, {"w:form": 1.0}] * 5
    labels = ["joined", "joined", "not", "not"] * 5
    model = fit(rows, labels, binary_class="joined")
    assert model.probabilities({"w:join": 1.0})["joined"] > 0.7
    assert model.probabilities({"w:form": 1.0})["joined"] < 0.3
    assert fit(rows, labels, binary_class="joined").to_json() == model.to_json()
    three = fit(rows, ["a", "b", "c", "c"] * 5)
    assert three.classes == ("a", "b", "c")
    assert three.best({"w:new": 1.0, "w:join": 1.0})[0] == "b"


# --------------------------------------------------------------------------- what is added


def test_decisions_add_an_event_the_rules_missed() -> None:
    joins = LinearModel(("joined",), {"w:join": (6.0,)}, (-3.0,))
    found = decisions(joined=joins).events([case({"w:join": 1.0})])
    assert [(e.body.code, e.action, e.status, e.service_area, e.rule) for e in found] == [
        ("E07000064", "joined", "agreed", "legal", "learned")
    ]
    assert found[0].evidence == EVIDENCE and found[0].confidence == pytest.approx(0.953, abs=1e-3)
    assert decisions(joined=joins).events([case({"w:form": 1.0})]) == []


def test_decisions_keep_the_rules_events_as_they_are() -> None:
    """A body the rules gave an event keeps it, status and area included, and gets no other:
    a council that leaves is no founder because founders often leave."""
    rule = Event(
        Body("Rother", "E07000064"),
        "left",
        "",
        "ict",
        "2019",
        "done",
        None,
        EVIDENCE,
        0.8,
        "event.leave",
    )
    forms = LinearModel(("formed",), {"r:left": (9.0,)}, (-3.0,))
    assert decisions(formed=forms).events([case({"r:left": 1.0}, rule)]) == [rule]


def test_decisions_add_only_above_the_threshold() -> None:
    maybe = LinearModel(("ended",), {"w:end": (0.2,)}, (0.0,))  # p = 0.55
    assert decisions(ended=maybe).events([case({"w:end": 1.0})]) == []


def test_decisions_status_and_area_features() -> None:
    rule = Event(
        Body("Rother", "E07000064"),
        "left",
        "",
        "audit",
        "",
        "agreed",
        None,
        EVIDENCE,
        0.8,
        "event.leave",
    )
    c = case({"w:leave": 1.0}, rule, areas={"rule:audit": 1.0})
    assert status_features(c, "left") == {"w:leave": 1.0, "a:left": 1.0, "a:left|rs:agreed": 1.0}
    assert status_features(c, "ended") == {"w:leave": 1.0, "a:ended": 1.0}
    assert area_features(c) == {"rule:audit": 1.0}


def test_decisions_cue_words_come_from_the_patterns() -> None:
    words = cue_words()
    assert {"join", "leave", "propose", "agree"} <= words
    assert not {"waste", "ict", "legal", "audit", "lewisham"} & words  # no topics, no names


# --------------------------------------------------------------------------- features


@pytest.mark.slow
def test_body_cases_on_a_sentence_of_our_own(extractor) -> None:
    text = (
        "Rother to share legal team\n\n"
        "Rother District Council and Wealden District Council will share a legal team "
        "from April, after both cabinets agreed the plan."
    )
    source = source_from_text(text, name="t.txt", published="2020-01-10", title=None)
    ct = clean(source)
    reading = extractor.read(extractor.nlp(ct.text), ct)
    cases = {c.body.code: c for c in reading.cases}
    assert set(cases) == {"E07000064", "E07000065"}
    rother = cases["E07000064"].features
    assert {"council", "listed", "doc:published", "w:agree", "w:share", "t:share"} <= set(rother)
    assert rother["r:formed"] == 1.0 and "first=0" in rother
    assert "near:legal" in cases["E07000065"].areas


# --------------------------------------------------------------------------- training


@pytest.mark.slow
def test_train_reproduces_the_fixture_models_predictions(tmp_path: Path, extractor) -> None:
    """Training on the fixture corpus gives the committed model's predictions, and the same
    bytes twice over."""
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for out in (first, second):
        result = CliRunner().invoke(cli, ["train", str(CORPUS), "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert "trained on train_corpus (8)" in result.output
    assert first.read_bytes() == second.read_bytes()
    committed, fresh = Decisions.read(FIXTURE_MODEL), Decisions.read(first)
    sources = [read_source(str(p)) for p in sorted(CORPUS.glob("*.txt"))]
    readings = list(extractor.read_many(sources))
    for reading in readings:
        for c in reading.cases:
            for action in ACTIONS:
                got = fresh.actions[action].probabilities(c.features)[action]
                want = committed.actions[action].probabilities(c.features)[action]
                assert got == pytest.approx(want, abs=1e-4)
        assert [(e.body, e.action, e.status) for e in fresh.events(reading.cases)] == [
            (e.body, e.action, e.status) for e in committed.events(reading.cases)
        ]


def test_fit_decisions_learns_from_gold_events() -> None:
    from lgkg.extract.decisions import Labelled

    joiner = case({"w:join": 1.0})
    other = BodyCase(Body("Wealden", "E07000065"), {"w:share": 1.0}, {}, EVIDENCE, ())
    gold = [{"council": "E07000064", "action": "joined", "status": "done", "service_area": "ict"}]
    fitted = fit_decisions([Labelled([joiner, other], gold)] * 4, trained_on="test")
    assert fitted.actions["joined"].probabilities({"w:join": 1.0})["joined"] > 0.5
    assert fitted.actions["joined"].probabilities({"w:share": 1.0})["joined"] < 0.5
    assert fitted.status.best({})[0] == "done" and fitted.area.best({})[0] == "ict"
    assert Decisions.from_json(fitted.to_json()).trained_on == "test"


@pytest.mark.slow
def test_evaluate_cv_prints_cross_validated_scores_beside_the_plain_ones() -> None:
    result = CliRunner().invoke(cli, ["evaluate", str(CORPUS), "--cv", "2"])
    assert result.exit_code == 0, result.output
    assert "2-fold cross-validated" in result.output
    assert "kind          F1    cv F1" in result.output
    as_json = CliRunner().invoke(cli, ["evaluate", str(CORPUS), "--cv", "2", "--json"])
    data = json.loads(as_json.stdout)
    assert data["cross_validated"]["folds"] == 2 and "kinds" in data["cross_validated"]
    too_many = CliRunner().invoke(cli, ["evaluate", str(CORPUS), "--cv", "9"])
    assert too_many.exit_code == 1 and "2 to 8 folds" in too_many.output


def test_shipped_models_are_read() -> None:
    models = shipped()
    assert models is not None and set(models.actions) == set(ACTIONS)
    assert models.trained_on.startswith("dev (")
    data = json.loads(
        (Path(__file__).resolve().parents[2] / "extract/data/decisions.json").read_text(
            encoding="utf-8"
        )
    )
    assert data["format"] == FORMAT
