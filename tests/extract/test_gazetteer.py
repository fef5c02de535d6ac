"""Tests for the council gazetteer (lgkg.extract.gazetteer) and its build script."""

from __future__ import annotations

import csv
import io
import json
import time
from importlib.resources import files
from pathlib import Path

import pytest

from lgkg.extract import gazetteer as gazetteer_module
from lgkg.extract.gazetteer import Gazetteer, normalise_name
from lgkg.extract.gazetteer_build import COUNCIL_COLUMNS, NAME_COLUMNS, SITE_COLUMNS, build_tables

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
PACKAGE_DATA = files("lgkg.extract") / "data"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Southwark", "E09000028"),
        ("Southwark Council", "E09000028"),
        ("London Borough of Southwark", "E09000028"),
        ("Brent", "E09000005"),
        ("Brent Council", "E09000005"),
        ("London Borough of Brent", "E09000005"),
        ("Lewisham", "E09000023"),
        ("Lewisham Council", "E09000023"),
        ("London Borough of Lewisham", "E09000023"),
        ("Royal Borough of Kensington and Chelsea", "E09000020"),
        ("the Royal Borough of Kensington & Chelsea", "E09000020"),
        ("Hammersmith & Fulham", "E09000013"),
        ("Hammersmith and Fulham Council", "E09000013"),
        ("Northamptonshire County Council", "E10000021"),
        ("Cambridgeshire", "E10000003"),
        ("Milton Keynes", "E06000042"),
        ("Brighton and Hove", "E06000043"),
        ("Kent CC", "E10000016"),
        ("Stockton on Tees Borough Council", "E06000004"),
        ("Saint Helens", "E08000013"),
        ("Southwark's", "E09000028"),
        # everyday abbreviations (extract/data/name_abbreviations.json)
        ("NE Derbyshire", "E07000038"),
        ("NE Lincs Council", "E06000012"),
        ("North Lincs", "E06000013"),
        ("Herts County Council", "E10000015"),
        ("East Herts Council", "E07000242"),
        ("South Cambs", "E07000012"),
        ("NW Leicestershire", "E07000134"),
    ],
)
def test_gazetteer_lookup_resolves_english_names(gaz: Gazetteer, name: str, code: str) -> None:
    council = gaz.lookup(name)
    assert council is not None and council.code == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Cardiff Council", "W06000015"),
        ("Wrexham County Borough Council", "W06000006"),
        ("Carmarthenshire County Council", "W06000010"),
        ("Merthyr Tydfil", "W06000024"),
        ("Glasgow City Council", "S12000049"),
        ("The Highland Council", "S12000017"),
        ("Fife Council", "S12000047"),
        ("Belfast City Council", "N09000003"),
        ("Mid Ulster District Council", "N09000009"),
    ],
)
def test_gazetteer_lookup_resolves_devolved_councils(gaz: Gazetteer, name: str, code: str) -> None:
    council = gaz.lookup(name)
    assert council is not None and council.code == code
    assert council.nation in ("Wales", "Scotland", "Northern Ireland")


@pytest.mark.parametrize(
    ("name", "date", "code"),
    [
        ("Dorset Council", "2018", "E10000009"),
        ("Dorset Council", "2020-06", "E06000059"),
        ("Dorset Council", None, "E06000059"),
        ("Somerset", "2020", "E10000027"),
        ("Somerset", None, "E06000066"),
        ("Somerset County Council", None, "E10000027"),
        ("Somerset County Council", "2024", "E10000027"),
        ("Bedfordshire County Council", "2008", "E10000001"),
        ("North East Combined Authority", "2020", "E47000010"),
        ("North East Combined Authority", None, "E47000014"),
    ],
)
def test_gazetteer_lookup_resolves_shared_names_by_date(
    gaz: Gazetteer, name: str, date: str | None, code: str
) -> None:
    council = gaz.lookup(name, on_date=date)
    assert council is not None and council.code == code


@pytest.mark.parametrize(
    ("name", "code"),
    [("Durham", "E06000047"), ("Durham District Council", "E07000056")],
)
def test_gazetteer_lookup_prefers_upper_tier_for_bare_place(
    gaz: Gazetteer, name: str, code: str
) -> None:
    council = gaz.lookup(name, on_date="2008")
    assert council is not None and council.code == code


@pytest.mark.parametrize("name", ["Dorset Council", "Somerset"])
def test_gazetteer_candidates_list_every_council_of_a_name(gaz: Gazetteer, name: str) -> None:
    codes = [c.code for c in gaz.candidates(name)]
    assert len(codes) == 2
    assert gaz.by_code(codes[0]).is_current


@pytest.mark.parametrize("name", ["North East", "West Midlands", "Nowhere Borough Council", ""])
def test_gazetteer_lookup_returns_none_for_unknown_or_region_names(
    gaz: Gazetteer, name: str
) -> None:
    assert gaz.lookup(name) is None


def test_gazetteer_abolished_county_has_dates_and_successors(gaz: Gazetteer) -> None:
    council = gaz.lookup("Northamptonshire County Council")
    assert council.code == "E10000021"
    assert council.end_date == "2021-03-31"
    assert council.replaced_by == ("E06000061", "E06000062")
    assert council.active_on("2021-03") and not council.active_on("2021-04-01")


@pytest.mark.parametrize(
    ("former", "current"),
    [("E06000048", "E06000057"), ("E07000097", "E07000242"), ("S12000046", "S12000049")],
)
def test_gazetteer_by_code_resolves_former_codes(gaz: Gazetteer, former: str, current: str) -> None:
    council = gaz.by_code(former)
    assert council is not None and council.code == current
    assert former in council.former_codes


@pytest.mark.parametrize(
    ("code", "qid"),
    [
        ("E09000028", "Q7571153"),
        ("E09000005", "Q4961461"),
        ("E09000023", "Q6537320"),
        ("E10000021", "Q14942414"),
        ("E06000043", "Q16953725"),
    ],
)
def test_gazetteer_english_councils_have_wikidata(gaz: Gazetteer, code: str, qid: str) -> None:
    assert gaz.by_code(code).wikidata == qid


def test_gazetteer_district_knows_its_county(gaz: Gazetteer) -> None:
    assert gaz.lookup("Corby").county_code == "E10000021"


@pytest.mark.parametrize(
    ("text", "key"),
    [("The City of Cardiff Council", "city of cardiff council"), ("Ynys Môn", "ynys mon")],
)
def test_gazetteer_normalise_name_folds_case_accents_and_the(text: str, key: str) -> None:
    assert normalise_name(text) == key


def test_gazetteer_active_on_rejects_bad_dates(gaz: Gazetteer) -> None:
    with pytest.raises(ValueError):
        gaz.by_code("E09000028").active_on("last year")


def test_gazetteer_load_is_fast_and_cached() -> None:
    gazetteer_module._load.cache_clear()
    start = time.perf_counter()
    first = Gazetteer.load()
    elapsed = time.perf_counter() - start
    assert Gazetteer.load() is first
    assert elapsed < 1.0  # about 0.1 s here; the margin is for slow CI machines


def _common_words() -> set[str]:
    rules = json.loads((PACKAGE_DATA / "gazetteer_rules.json").read_text())
    return set(rules["common_words"]["words"])


def test_gazetteer_patterns_skip_plain_common_words(gaz: Gazetteer) -> None:
    patterns = gaz.ruler_patterns()
    common = _common_words()
    assert common
    single = {p["pattern"].lower() for p in patterns if len(p["pattern"].split()) == 1}
    assert not single & common
    texts = {p["pattern"] for p in patterns}
    assert {"Reading Borough Council", "Southwark", "Southwark Council"} <= texts
    assert not {"North East", "West Midlands", "reading"} & texts
    assert {"Bucks Council", "Herts"} <= texts and "Bucks" not in texts  # "bucks the trend"


def test_gazetteer_patterns_are_distinct_and_well_formed(gaz: Gazetteer) -> None:
    patterns = gaz.ruler_patterns()
    pairs = [(p["pattern"], p["id"]) for p in patterns]
    assert len(pairs) == len(set(pairs))
    assert all(p["label"] == "COUNCIL" and gaz.by_code(p["id"]) for p in patterns)
    dorset = {p["id"] for p in patterns if p["pattern"] == "Dorset Council"}
    assert dorset == {"E06000059", "E10000009"}


def _read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="shared/data is not present")
def test_gazetteer_build_reproduces_committed_tables() -> None:
    built = build_tables(SHARED_DATA)
    tables = ("councils.csv", "council_names.csv", "council_sites.csv")
    columns = (COUNCIL_COLUMNS, NAME_COLUMNS, SITE_COLUMNS)
    for rows, table, names in zip(built, tables, columns, strict=True):
        committed = _read((PACKAGE_DATA / table).read_text(encoding="utf-8"))
        assert list(committed[0]) == list(names)
        assert rows == committed


@pytest.mark.parametrize(
    ("url", "published", "code"),
    [
        ("https://www.bristol.gov.uk/news/shared-service", None, "E06000023"),
        # a host under a council's own: its committee papers, its press office
        ("https://democracy.brent.gov.uk/ieDecisionDetails.aspx?ID=1", None, "E09000005"),
        ("https://www3.rbwm.gov.uk/press/article/1", "2017-08-03", "E06000040"),
        # one website two councils had in turn: the one existing on publication
        ("https://www.northyorks.gov.uk/news/1", "2024-05-01", "E06000065"),
        ("https://www.northyorks.gov.uk/news/1", "2019-05-01", "E10000023"),
        # a council's own host that the sources do not list: its name written solid
        ("https://democracy.newforest.gov.uk/ieDecisionDetails.aspx?ID=3", None, "E07000091"),
        ("https://modgov.cherwell.gov.uk/ieIssueDetails.aspx?IId=1", "2021-11-01", "E07000177"),
        ("https://www.gov.uk/guidance/shared-services", None, None),
        # a website two councils share, a newspaper's, none, or not an address
        ("https://www.adur-worthing.gov.uk/news/1", "2024-05-01", None),
        ("https://www.bbc.co.uk/news/uk-england-1", None, None),
        (None, None, None),
        ("see the council's website", None, None),
    ],
)
def test_gazetteer_publisher_is_the_council_whose_website_it_is(
    gaz: Gazetteer, url: str | None, published: str | None, code: str | None
) -> None:
    council = gaz.publisher(url, published)
    assert (council.code if council else None) == code
