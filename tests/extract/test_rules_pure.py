"""Unit tests for the extraction rules that need no model: dates, money, service areas."""

from decimal import Decimal

import pytest

from lgkg.extract.dates import compare, find_dates, parse_date
from lgkg.extract.mentions import initialisms
from lgkg.extract.money import find_amounts
from lgkg.extract.service import service_area_of_text


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The service went live on 1 December 2020.", None, "2020-12-01"),
        ("It began on March 3, 2019.", None, "2019-03-03"),
        ("The councils teamed up in April 2016.", None, "2016-04"),
        ("The partnership was formed in 2010.", None, "2010"),
        ("It will start next April.", "2015-11-20", "2016-04"),
        ("It will start next April.", None, None),
        ("The deal was signed last year.", "2019-06", "2018"),
        ("Savings by 2015/16 are expected.", None, None),
        ("It starts in June this year.", "2014-02-01", "2014-06"),
        ("Budgets were cut by 30 per cent.", None, None),
    ],
)
def test_dates_parse_date(text, published, expected):
    assert parse_date(text, published) == expected


def test_dates_find_dates_in_order_without_overlap():
    found = find_dates("formed in October 2016, reviewed on 1 May 2018 and again in 2019")
    assert [iso for _, _, iso in found] == ["2016-10", "2018-05-01", "2019"]


@pytest.mark.parametrize(
    ("a", "b", "expected"), [("2016-04", "2016", 0), ("2017", "2016-12-31", 1)]
)
def test_dates_compare_at_coarser_precision(a, b, expected):
    assert compare(a, b) == expected


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("We will save £1m a year.", "1000000", "GBP"),
        ("savings of £1.5 million", "1500000", "GBP"),
        ("a saving of £579,000", "579000", "GBP"),
        ("an estimated £2.5bn nationally", "2500000000", "GBP"),
        ("about 1 million pounds", "1000000", "GBP"),
        ("save $560,000 over three years", "560000", "USD"),
        ("between £8m-£10m", "10000000", "GBP"),
        ("up to £2million", "2000000", "GBP"),
        ("cut costs by \ufffd400,000", "400000", "GBP"),
    ],
)
def test_money_find_amounts(text, amount, currency):
    found = find_amounts(text)
    assert [(a.amount, a.currency) for a in found] == [(Decimal(amount), currency)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a shared legal service", "legal"),
        ("their revenues and benefits teams", "revenues-benefits"),
        ("joint waste collection", "waste"),
        ("sharing HR, finance, procurement and IT", "back-office"),
        ("a shared chief executive", "management"),
        ("a joint internal audit partnership", "audit"),
        ("It was agreed that it would go ahead.", None),
        ("trading standards officers", "regulatory"),
        # words that hold a service word but name no service
        ("after legal advice, a shared IT service", "ict"),
        ("in the next financial year the waste team", "waste"),
        ("the move brings real benefits to residents", None),
        ("the housing benefit team", "revenues-benefits"),
        ("their building regulations services", "building-control"),
        # a person's remit is their job, not a shared service
        ("Cllr Ann Lee, cabinet member for Finance and Waste, said", None),
        ("Cllr Ann Lee, portfolio holder for finance, said the shared legal team works", "legal"),
        # a council's own committee is who decides, not what is shared; a joint one is
        ("The Planning Committee backed the shared legal team", "legal"),
        ("a report to the Audit and Governance Committee on the shared ICT service", "ict"),
        ("the new Joint Waste Committee met for the first time", "waste"),
        # planning as a verb or as an activity of any service is not the planning service
        ("the two councils are planning to work more closely", None),
        ("succession planning for the shared legal team", "legal"),
        ("a shared planning team for both districts", "planning"),
        # resilience as a benefit of sharing, and an NHS body's name, name no service
        ("sharing will give both councils greater resilience", None),
        ("the councils and the clinical commissioning group", None),
        ("a joint resilience unit for the county", "emergency-planning"),
        # senior posts are management; a range of front-line services is "other"
        ("a new joint executive director role", "management"),
        ("a shared head of paid service for both councils", "management"),
        ("a shared cloud computing service", "ict"),
        ("they share a number of services including HR and revenues", "back-office"),
        ("they share HR and revenues", "revenues-benefits"),
        ("Roads, social care, bin collection and lawyers could be pooled", "other"),
        ("road repairs, road gritting and bin collection could be pooled", "highways-transport"),
        # care for children and adults, as the ontology defines social care
        ("the three boroughs will run one regional adoption agency", "social-care"),
        ("a joint fostering hub for the region", "social-care"),
        ("merging their youth offending teams", "social-care"),
        ("a shared safeguarding board", "social-care"),
        # environmental health, trading standards and licensing together
        ("a joint public protection service for both counties", "regulatory"),
        # front-line services the other codes do not cover are named as such: "other"
        ("the two councils merged their library services", "other"),
        ("a joint leisure trust", "other"),
        ("a regional school improvement consortium", "other"),
    ],
)
def test_service_area_of_text(text, code):
    assert service_area_of_text(text) == code


def test_mentions_initialisms_cover_lower_case_joining_words():
    assert {"cwac", "cwc"} <= initialisms("Cheshire West and Chester Council")
    assert "eldc" in initialisms("East Lindsey District Council")


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The service opened its doors today.", "2013-10-01", "2013-10-01"),
        ("The cabinet decided yesterday.", "2015-03-01", "2015-02-28"),
        ("The service opened its doors today.", "2013-10", None),
        ("They agreed this month.", "2010-06-15", "2010-06"),
        ("They agreed last month.", "2010-01-05", "2009-12"),
    ],
)
def test_dates_relative_days_and_months(text, published, expected):
    assert parse_date(text, published) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "Revenues and benefits teams merge. Council tax and benefits staff move. The IT platform for benefits is shared.",
            "revenues-benefits",
        ),
        ("They share HR, finance, procurement and IT.", "back-office"),
    ],
)
def test_service_dominant_area_of_a_document(text, code):
    from lgkg.extract.service import area_counts, dominant

    assert dominant(area_counts(text)) == code


def _candidate(body, action: str, status: str, confidence: float, sent_start: int, **kw):
    from lgkg.extract.events import Candidate
    from lgkg.extract.records import Event, Evidence

    area, named, date = kw.get("area", "audit"), kw.get("named"), kw.get("date", "")
    event = Event(
        body, action, "the audit partnership", area, date, status, None,
        Evidence("...", 0, 3), confidence, f"event.{action}.verb",
    )  # fmt: skip
    return Candidate(event, sent_start, named)


def test_merge_an_ending_told_by_the_partnership_keeps_every_sentences_vote():
    """The most confident sentence about the partnership's end says "would be wound up",
    a later one "was wound up": every member's ended event is done."""
    from lgkg.extract.events import ALL_MEMBERS, merge
    from lgkg.extract.records import Body

    hart, rushmoor = Body("Hart", "E07000089"), Body("Rushmoor", "E07000092")
    candidates = [
        _candidate(hart, "formed", "done", 0.7, 0),
        _candidate(rushmoor, "formed", "done", 0.7, 0),
        _candidate(ALL_MEMBERS, "ended", "proposed", 0.75, 10),
        _candidate(ALL_MEMBERS, "ended", "done", 0.6, 20),
    ]
    ended = {e.body.code: e.status for e in merge(candidates) if e.action == "ended"}
    assert ended == {"E07000089": "done", "E07000092": "done"}


def test_merge_a_partnership_told_with_and_without_its_area_shares_its_date():
    """ "Formed in 2010 to share back-office services" dates the back-office partnership
    that the most confident sentence tells of without naming its area."""
    from lgkg.extract.events import merge
    from lgkg.extract.records import Body

    candidates = []
    for body in (Body("Hart", "E07000089"), Body("Rushmoor", "E07000092")):
        candidates += [
            _candidate(body, "formed", "agreed", 0.72, 0, area="back-office"),
            _candidate(
                body,
                "formed",
                "done",
                0.6,
                10,
                area="back-office",
                named="back-office",
                date="2010",
            ),
            _candidate(body, "formed", "agreed", 0.6, 20, area="management", named="management"),
        ]
    dates = {(e.body.code, e.service_area, e.confidence): e.date for e in merge(candidates)}
    assert dates[("E07000089", "back-office", 0.72)] == "2010"
    assert dates[("E07000089", "management", 0.6)] == ""


@pytest.mark.parametrize(("confidence", "kept"), [(0.45, False), (0.6, True)])
def test_merge_a_founder_of_what_another_leaves_needs_more_than_a_passing_mention(confidence, kept):
    from lgkg.extract.events import merge
    from lgkg.extract.records import Body

    hart, rushmoor = Body("Hart", "E07000089"), Body("Rushmoor", "E07000092")
    candidates = [
        _candidate(hart, "left", "agreed", 0.76, 0),
        _candidate(rushmoor, "formed", "done", confidence, 10),
    ]
    got = {(e.body.code, e.action) for e in merge(candidates)}
    assert (("E07000092", "formed") in got) is kept
    assert ("E07000089", "left") in got
