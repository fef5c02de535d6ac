"""Scoring against gold annotations, on hand-made gold and predictions."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from lgkg.extract.evaluate import (
    KINDS,
    Counts,
    Gold,
    format_report,
    gold_files,
    load_gold,
    predicted_tuples,
    score,
    tuples,
)
from lgkg.extract.names import speaker_key, strip_titles
from lgkg.extract.records import (
    Body,
    DocumentMeta,
    Event,
    Evidence,
    Extraction,
    Quote,
    Saving,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev"
EV = Evidence("A sentence.", 0, 11)
NORTH, EAST, WEST = "E07000223", "E07000224", "E07000225"

GOLD = Gold(
    doc="a.txt",
    published="2016-04",
    events=[
        {
            "council": NORTH,
            "action": "formed",
            "service_area": "legal",
            "partnership": "P",
            "date": "2016-04",
            "status": "done",
        },
        {
            "council": EAST,
            "action": "formed",
            "service_area": "legal",
            "partnership": "P",
            "date": "2016-04",
            "status": "done",
        },
        {
            "council": WEST,
            "action": "joined",
            "service_area": "legal",
            "partnership": "P",
            "date": "",
            "status": "proposed",
        },
        {
            "council": "Northshire Fire and Rescue Service",
            "action": "joined",
            "service_area": "legal",
            "partnership": "P",
            "date": "",
            "status": "agreed",
        },
    ],
    savings=[
        {"who": NORTH, "amount": 1000000, "currency": "GBP", "period": "P1Y", "speaker": "X"},
        {"who": "", "amount": 2500000, "currency": "GBP", "period": "", "speaker": ""},
    ],
    quotes=[
        {"speaker": "Jane Smith", "organisation": NORTH},
        {"speaker": "Cllr Ahmed Khan", "organisation": "Northshire Fire and Rescue Service"},
    ],
)


def event(body: Body, action: str, date: str = "", status: str = "done", area: str = "legal"):
    return Event(body, action, "P", area, date, status, None, EV, 0.9, "test")


def extraction(events=(), savings=(), quotes=()) -> Extraction:
    meta = DocumentMeta("0" * 16, None, None, None, "a.txt", "0" * 64)
    return Extraction(meta, "text", tuple(events), tuple(savings), tuple(quotes))


PREDICTED = extraction(
    events=[
        event(Body("North", NORTH), "formed", "2016-04"),  # right
        event(Body("East", EAST), "formed", "2016-05"),  # wrong date
        event(Body("West", WEST), "formed", "2017", "agreed"),  # wrong action; date not in gold
        event(Body("Capita Ltd"), "joined"),  # a body the gold does not name: ignored
        event(Body("NORTHSHIRE FIRE AND RESCUE SERVICE"), "joined", status="agreed"),  # by name
    ],
    savings=[
        Saving(Body("North", NORTH), Decimal("1E+6"), "GBP", "P1Y", None, None, EV, 0.9, "t"),
        Saving(None, Decimal("2500000.00"), "GBP", "", None, None, EV, 0.9, "t"),
        Saving(Body("East", EAST), Decimal("5000"), "GBP", "", None, None, EV, 0.9, "t"),
    ],
    quotes=[
        Quote("Jane Smith", "leader", Body("North", NORTH), "We agree.", EV, 0.9, "t"),
        Quote("ahmed  KHAN", "", None, "Good.", EV, 0.9, "t"),  # organisation missing
    ],
)

# (tp, fp, fn) per kind for PREDICTED against GOLD, worked out by hand
EXPECTED = {
    "councils": (3, 0, 0),
    "members": (4, 0, 0),  # a formed/joined mix-up still counts as membership
    "events": (3, 1, 1),
    "events_dated": (1, 1, 1),
    "status": (3, 1, 1),
    "savings": (2, 1, 0),
    "quotes": (1, 1, 1),
}


@pytest.mark.parametrize("kind", KINDS)
def test_evaluate_counts_per_kind(kind):
    report = score([(GOLD, PREDICTED)])
    c = report.kinds[kind]
    assert (c.tp, c.fp, c.fn) == EXPECTED[kind]
    assert report.documents["a.txt"][kind] == c


@pytest.mark.parametrize(
    ("counts", "p", "r", "f1"),
    [
        (Counts(3, 1, 2), 0.75, 0.6, 2 * 0.75 * 0.6 / 1.35),
        (Counts(0, 0, 0), 0.0, 0.0, 0.0),
        (Counts(0, 2, 0), 0.0, 0.0, 0.0),
        (Counts(4, 0, 0), 1.0, 1.0, 1.0),
    ],
)
def test_evaluate_precision_recall_f1(counts, p, r, f1):
    assert counts.precision == pytest.approx(p)
    assert counts.recall == pytest.approx(r)
    assert counts.f1 == pytest.approx(f1)


def test_evaluate_micro_average_sums_documents():
    other = Gold("b.txt", None, [GOLD.events[0]], [], [])
    report = score([(GOLD, PREDICTED), (other, extraction())])
    assert report.kinds["events"] == Counts(3, 1, 2)
    assert report.documents["b.txt"]["events"] == Counts(0, 0, 1)
    f1s = [report.kinds[k].f1 for k in KINDS]
    assert report.mean_f1 == pytest.approx(sum(f1s) / len(KINDS))


def test_evaluate_a_former_gss_code_is_the_councils_current_one():
    # Barnsley was re-coded E08000016 -> E08000038; a gold file may use either code
    gold = Gold("b.txt", None, [{"council": "E08000016", "action": "left"}], [], [])
    found = extraction(events=[event(Body("Barnsley", "E08000038"), "left")])
    assert score([(gold, found)]).kinds["events"] == Counts(1, 0, 0)


def test_evaluate_perfect_prediction():
    perfect = extraction(
        events=[
            event(Body("N", NORTH), "formed", "2016-04"),
            event(Body("E", EAST), "formed", "2016-04"),
            event(Body("W", WEST), "joined", status="proposed"),
            event(Body("Northshire Fire and Rescue Service"), "joined", status="agreed"),
        ],
        savings=[
            Saving(Body("N", NORTH), Decimal(1000000), "GBP", "P1Y", None, None, EV, 1, "t"),
            Saving(None, Decimal(2500000), "GBP", "", None, None, EV, 1, "t"),
        ],
        quotes=[
            Quote("Jane Smith", "", Body("N", NORTH), "", EV, 1, "t"),
            Quote("Ahmed Khan", "", Body("Northshire Fire and Rescue Service"), "", EV, 1, "t"),
        ],
    )
    report = score([(GOLD, perfect)])
    assert all(c.f1 == 1.0 for c in report.kinds.values())
    assert report.mean_f1 == 1.0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Cllr Fiona Colley", "Fiona Colley"),
        ("Coun. Peter Jones", "Peter Jones"),  # the northern papers' Councillor
        ("Councillor Dr Jane Smith OBE", "Jane Smith"),
        ("The Rt Hon. Lord Smith of Anytown", "Smith of Anytown"),
        ("Prof. Sir Alan Jones, CBE, FRSA", "Alan Jones"),
        ("Baroness Mary Green", "Mary Green"),
        ("Mr John Brown MP", "John Brown"),
        ("Lord Mayor", "Lord Mayor"),
        ("Ann Ma", "Ann Ma"),
        ("Jane Smith", "Jane Smith"),
    ],
)
def test_evaluate_strip_titles(name, expected):
    assert strip_titles(name) == expected


def test_evaluate_speaker_key_ignores_case_and_titles():
    assert speaker_key("COUNCILLOR  Jane SMITH") == speaker_key("Cllr Jane Smith") == "jane smith"


@pytest.mark.parametrize(
    ("saving", "expected"),
    [
        (
            {"who": "", "amount": 2000000, "currency": "gbp", "period": "p1y"},
            ("", Decimal(2000000), "GBP", "P1Y"),
        ),
        (
            {"who": None, "amount": "1.5e6", "currency": "GBP", "period": None},
            ("", Decimal(1500000), "GBP", ""),
        ),
        (
            {"who": "e09000005", "amount": 400000.0, "currency": "GBP", "period": ""},
            ("E09000005", Decimal(400000), "GBP", ""),
        ),
        (
            {"who": "Welland Partnership", "amount": 5, "currency": "GBP", "period": ""},
            ("welland partnership", Decimal(5), "GBP", ""),
        ),
    ],
)
def test_evaluate_savings_tuples(saving, expected):
    assert tuples("savings", [], [saving], []) == {expected}


def test_evaluate_predicted_events_dated_only_where_gold_dates():
    found = predicted_tuples("events_dated", PREDICTED, GOLD)
    assert found == {(NORTH, "formed", "2016-04"), (EAST, "formed", "2016-05")}


def test_evaluate_unknown_kind():
    with pytest.raises(ValueError, match="unknown kind"):
        tuples("partners", [], [], [])


def test_evaluate_format_report():
    report = score([(GOLD, PREDICTED)])
    lines = format_report(report).splitlines()
    assert lines[0].split() == ["kind", "P", "R", "F1", "tp", "fp", "fn"]
    assert lines[1].split() == ["councils", "1.000", "1.000", "1.000", "3", "0", "0"]
    assert lines[-1].startswith("mean F1 ")
    assert len({len(line) for line in lines[:-1]}) == 1  # aligned columns
    detailed = format_report(report, per_document=True)
    assert "a.txt" in detailed and detailed.startswith(format_report(report))
    assert json.loads(json.dumps(report.to_dict()))["kinds"]["councils"]["tp"] == 3


def test_evaluate_load_gold_and_gold_files(tmp_path):
    (tmp_path / "x.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "x.gold.json").write_text(
        json.dumps(
            {"doc": "x.txt", "published": "unknown", "events": [], "savings": [], "quotes": []}
        ),
        encoding="utf-8",
    )
    (tmp_path / "y.gold.json").write_text("{}", encoding="utf-8")  # no text beside it
    (tmp_path / "z.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "z.gold.json").write_text(json.dumps({"published": "2016-04"}), encoding="utf-8")
    pairs = gold_files(tmp_path)
    assert pairs == [
        (tmp_path / "x.txt", tmp_path / "x.gold.json"),
        (tmp_path / "z.html", tmp_path / "z.gold.json"),
    ]
    gold = load_gold(tmp_path / "x.gold.json")
    assert (gold.doc, gold.published, gold.events) == ("x.txt", None, [])
    assert load_gold(tmp_path / "z.gold.json").published == "2016-04"


def test_evaluate_corpus_gold_files():
    if not CORPUS.is_dir():
        pytest.skip("corpus not present")
    pairs = gold_files(CORPUS)
    assert len(pairs) == len(list(CORPUS.glob("*.gold.json"))) > 0  # every gold file pairs
    for text, gold_path in pairs:
        gold = load_gold(gold_path)
        assert text.name == gold.doc
        assert tuples("events", gold.events, gold.savings, gold.quotes)


# --------------------------------------------------------------------------- identity


def test_evaluate_identity_pairs_only_across_documents():
    from lgkg.extract.evaluate import identity_counts

    one = Gold(
        "a",
        None,
        [
            {"council": "E09000005", "action": "formed"},
            {"council": "E09000023", "action": "formed"},
        ],
    )
    two = Gold(
        "b",
        None,
        [
            {"council": "E09000005", "action": "formed"},
            {"council": "Lewisham Council", "action": "left"},
        ],
    )
    ids_one, ids_two = ["sts", "sts"], ["sts", "other"]
    same = {
        ("E09000005", "formed"): "p",
        ("E09000023", "formed"): "p",
        ("lewisham council", "left"): "p",
    }
    # pairs across a and b: (a0,b0) and (a1,b0) are gold-same; (a0,b1), (a1,b1) are not
    assert identity_counts([(one, ids_one, same), (two, ids_two, same)]) == Counts(2, 2, 0)
    apart = {("E09000005", "formed"): "q"}
    assert identity_counts([(one, ids_one, same), (two, ids_two, apart)]) == Counts(0, 0, 2)
    assert identity_counts([(one, ids_one, {}), (two, ids_two, {})]) == Counts(0, 0, 2)


@pytest.mark.slow
def test_evaluate_prints_partnership_identity(tmp_path):
    from click.testing import CliRunner

    from lgkg.cli import cli
    from lgkg.extract.evaluate import IDENTITY_FILE

    texts = {
        "a.txt": "Rother District Council and Wealden District Council have formed a shared "
        "building control service.",
        "b.txt": "The shared building control service of Rother District Council and Wealden "
        "District Council has saved money since it was set up.",
    }
    ids = {}
    for name, text in texts.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
        events = [
            {
                "council": code,
                "action": "formed",
                "service_area": "building-control",
                "date": "",
                "status": "done",
            }
            for code in ("E07000064", "E07000065")
        ]
        gold = {"doc": name, "published": "unknown", "events": events, "savings": [], "quotes": []}
        (tmp_path / name.replace(".txt", ".gold.json")).write_text(json.dumps(gold))
        ids[name.replace(".txt", ".gold.json")] = ["rw-bc", "rw-bc"]
    (tmp_path / IDENTITY_FILE).write_text(json.dumps({"partnerships": {}, "events": ids}))
    result = CliRunner().invoke(cli, ["evaluate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("partnership identity"))
    assert "(tp 4, fp 0, fn 0)" in line  # both councils' foundings, one partnership
    data = json.loads(CliRunner().invoke(cli, ["evaluate", str(tmp_path), "--json"]).stdout)
    assert data["partnership_identity"]["f1"] == 1.0
