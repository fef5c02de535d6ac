"""Which date is an event's: rules tried on short sentences written for these tests."""

import pytest
from rule_helpers import run

from lgkg.extract.dates import find_dates

pytestmark = pytest.mark.slow


def dates(x):
    return {(e.body.code or e.body.name, e.action): e.date for e in x.events}


def test_a_window_between_two_months_is_dated_by_the_year_they_share():
    assert [d for _, _, d in find_dates("it will happen between May and July 2019")] == ["2019"]
    assert [d for _, _, d in find_dates("between 3 May and 28 May 2019")] == ["2019-05"]
    assert find_dates("between March 2018 and June 2019") == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # a dateline is the day the text was issued, no event's date
        ("17 October 2011: Plans for Harlow Council to join the shared legal service.", ""),
        ("date 2019-12-17 Harlow Council will join the shared legal service.", ""),
        # a timeline's entry dates its event
        ("2015 - Harlow Council joined the shared legal service.", "2015"),
    ],
)
def test_a_dateline_dates_no_event(extractor, text, date):
    assert dates(run(extractor, text)) == {("E07000073", "joined"): date}


def test_a_range_of_days_in_one_month_is_dated_by_the_month():
    assert [
        d for _, _, d in find_dates("went live for the fortnight (13 - 26 May)", "2024-05")
    ] == ["2024-05"]
    assert [d for _, _, d in find_dates("held on 13\u201314 March 2019")] == ["2019-03"]


def test_years_ago_is_read_against_the_publication_year():
    assert [d for _, _, d in find_dates("it joined two years ago", "2019-03-14")] == ["2017"]
    assert [d for _, _, d in find_dates("set up 3 years ago", "2019-03-14")] == ["2016"]
    assert find_dates("set up many years ago", "2019-03-14") == []
    assert find_dates("set up two years ago", None) == []


def test_not_until_a_date_dates_the_event(extractor):
    x = run(
        extractor,
        "Mendip District Council and Sedgemoor District Council will not merge their "
        "planning teams until June 2017.",
    )
    assert dates(x) == {("E07000187", "formed"): "2017-06", ("E07000188", "formed"): "2017-06"}


def test_until_a_date_bounds_the_event_and_is_not_its_date(extractor):
    x = run(
        extractor,
        "Harlow Council and Epping Forest District Council merged their revenues teams, "
        "and the old contract runs until March 2015.",
    )
    assert dates(x) == {("E07000073", "formed"): "", ("E07000072", "formed"): ""}


def test_a_year_ending_a_name_is_no_date(extractor):
    x = run(
        extractor,
        "Harlow Council will join the parking joint committee under section 101 of the "
        "Local Government Act 1972.",
    )
    assert dates(x) == {("E07000073", "joined"): ""}


@pytest.mark.parametrize(
    "header",
    ["Shared legal service\nDate of decision: 17/09/2019", "Cabinet - Minutes - 17 September 2019"],
)
def test_a_decision_notices_date_of_decision_dates_what_it_agrees(extractor, header):
    text = (
        f"{header}\n"
        "Decision: To approve the proposal to join the shared legal service hosted by "
        "Harrow Council.\n"
        "Barnet Council joined the shared legal service in 2015."
    )
    url = "https://democracy.brent.gov.uk/ieDecisionDetails.aspx?ID=7"
    x = run(extractor, text, published="2019-09-20", url=url)
    got = {(e.body.code, e.action): (e.status, e.date) for e in x.events}
    assert got[("E09000005", "joined")] == ("agreed", "2019-09-17")
    assert got[("E09000003", "joined")] == ("done", "2015")  # done, with its own date


def test_since_dates_the_start_of_an_arrangement(extractor):
    x = run(
        extractor,
        "Rushmoor Borough Council and Hart District Council have shared a building control "
        "team since 2014.",
    )
    assert set(dates(x).values()) == {"2014"}


def test_a_date_in_another_clause_after_a_semicolon_is_not_the_events(extractor):
    x = run(
        extractor,
        "The report notes that the review of the board took place during May 2019; and that "
        "Hart District Council should withdraw from the shared building control team.",
    )
    assert dates(x) == {("E07000089", "left"): ""}


def test_a_date_in_a_relative_clause_dates_that_clauses_event(extractor):
    x = run(
        extractor,
        "Rushmoor Borough Council, which has shared a chief executive with Hart District"
        " Council since April 2016, will merge its IT team with Hart's.",
        published="2019-03-14",
    )
    got = {(e.body.code, e.service_area): e.date for e in x.events if e.action == "formed"}
    assert got[("E07000092", "management")] == "2016-04"
    assert got[("E07000092", "ict")] == ""


def test_a_participle_dating_the_partnership_dates_its_founders(extractor):
    x = run(
        extractor,
        "Wychavon District Council and Malvern Hills District Council share a legal team.\n\n"
        "The partnership, launched in 2011, now employs 40 staff.",
        published="2019-03-14",
    )
    assert dates(x) == {("E07000238", "formed"): "2011", ("E07000235", "formed"): "2011"}


def test_the_partnership_own_start_date_dates_its_founders(extractor):
    x = run(
        extractor,
        "Wychavon District Council and Malvern Hills District Council share a legal team.\n\n"
        "It was established in 2009 to cut costs.",
    )
    assert dates(x) == {("E07000238", "formed"): "2009", ("E07000235", "formed"): "2009"}


def test_the_companys_go_live_date_is_read_against_the_publication_date(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council are considering the creation of a "
        "joint building control company.\n\n"
        "The company is expected to go live on 1 March, if both councils approve it.",
        published="2016-01-12",
    )
    assert set(dates(x).values()) == {"2016-03-01"}


def test_a_window_sentence_dates_the_merger(extractor):
    x = run(
        extractor,
        "Mendip District Council and Sedgemoor District Council plan to merge their audit teams."
        "\n\nThe transition to the new arrangements would take place between April and June 2018.",
    )
    assert set(dates(x).values()) == {"2018"}


@pytest.mark.parametrize(
    "second",
    [
        "Fujitsu was founded in 1935 and will supply the servers.",  # not the partnership
        "The Malvern Hills Trust was set up in 1884 and owns the commons.",  # no partnership
        "It will be reviewed in 2019.",  # not a start
    ],
)
def test_other_start_dates_do_not_date_the_partnership(extractor, second):
    x = run(
        extractor,
        "Wychavon District Council and Malvern Hills District Council share a legal team.\n\n"
        + second,
    )
    councils = {k: v for k, v in dates(x).items() if k[0].startswith("E07")}
    assert councils == {("E07000238", "formed"): "", ("E07000235", "formed"): ""}


def test_the_date_of_ending_an_arrangement_is_not_its_start(extractor):
    x = run(
        extractor,
        "Mendip District Council and Sedgemoor District Council will end their joint "
        "procurement arrangement in September.",
        published="2019-02-01",
    )
    assert dates(x) == {
        ("E07000187", "ended"): "2019-09",
        ("E07000188", "ended"): "2019-09",
        ("E07000187", "formed"): "",  # formed before, when is not said
        ("E07000188", "formed"): "",
    }


def test_a_date_inside_what_is_ended_dates_its_start_not_the_end(extractor):
    x = run(
        extractor,
        "Harlow Council and Epping Forest District Council will close the shared audit team "
        "they set up in 2013.",
    )
    assert dates(x) == {
        ("E07000073", "ended"): "",
        ("E07000072", "ended"): "",
        ("E07000073", "formed"): "2013",
        ("E07000072", "formed"): "2013",
    }


def test_who_hosts_the_new_service_does_not_take_its_start_date(extractor):
    x = run(
        extractor,
        "Mendip District Council and Sedgemoor District Council have agreed to merge their "
        "audit teams.\n\nThe new service will be hosted by Mendip District Council and is due "
        "to start on 1 April 2019.",
        published="2018-11-01",
    )
    assert dates(x) == {
        ("E07000187", "formed"): "2019-04-01",
        ("E07000188", "formed"): "2019-04-01",
    }


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("will merge their audit teams from April.", "2019-04"),  # April after June: next year's
        ("will merge their audit teams from September.", "2018-09"),
        ("will merge their audit teams in April 2018.", "2018-04"),  # the year as written
        ("merged their audit teams in April.", "2018-04"),  # the past: this year's
        ("merged their audit teams in December.", "2017-12"),  # December after June: last year's
        ("have shared an audit team since September.", "2017-09"),
    ],
)
def test_a_month_to_come_without_a_year_is_the_next_one(extractor, sentence, date):
    x = run(
        extractor,
        f"Mendip District Council and Sedgemoor District Council {sentence}",
        published="2018-06-15",
    )
    assert set(dates(x).values()) == {date}


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("The joint audit team run by {} will be retendered next year.", ""),
        ("The joint audit team set up by {} in 2012 will be expanded next year.", "2012"),
    ],
)
def test_a_partnership_described_as_running_was_founded_before_what_is_said_of_it(
    extractor, sentence, date
):
    councils = "Mendip District Council and Sedgemoor District Council"
    x = run(extractor, sentence.format(councils), published="2016-01-10")
    assert {(e.body.code, e.action, e.status, e.date) for e in x.events} == {
        ("E07000187", "formed", "done", date),
        ("E07000188", "formed", "done", date),
    }


@pytest.mark.parametrize(
    ("text", "iso"),
    [("on 31 April 1900", "1900-04"), ("on April 31, 2016", "2016"), ("on 2015-02-29", "2015")],
)
def test_a_day_not_in_the_calendar_is_read_no_finer_than_what_is_left(text, iso):
    assert [found for _, _, found in find_dates(text)] == [iso]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("the service went live on Tuesday", "2019-03-12"),  # published on a Thursday
        ("the service went live last Thursday", "2019-03-07"),
        ("the report will go to cabinet on Tuesday", "2019-03-19"),
        ("the new rota starts from Monday", "2019-03-18"),
        ("the service went live on Tuesday 19 February", "2019-02-19"),  # the date, not the day
    ],
)
def test_a_weekday_named_alone_is_read_against_the_publication_day(text, iso):
    assert [d for _, _, d in find_dates(text, "2019-03-14")] == [iso]


@pytest.mark.parametrize("text", ["open on Tuesdays", "at Tuesday's meeting", "on Tuesday"])
def test_a_weekday_is_no_date_without_a_habit_a_possessive_or_a_publication_day(text):
    published = None if text == "on Tuesday" else "2019-03-14"
    assert find_dates(text, published) == [] and find_dates("on Tuesday", "2019-03") == []


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("from 1 April next year", "2020-04-01"),
        ("from the 1st of April this year", "2019-04-01"),
        ("by the end of March", "2019-03"),
        ("from the start of April", "2019-04"),
    ],
)
def test_a_day_or_part_of_a_month_relative_to_the_publication_year(text, iso):
    assert [d for _, _, d in find_dates(text, "2019-03-14")] == [iso]


def test_a_weekday_dates_the_event_it_hangs_from(extractor):
    x = run(
        extractor,
        "Mendip District Council joined the shared legal service on Tuesday.",
        published="2019-03-14",
    )
    assert dates(x) == {("E07000187", "joined"): "2019-03-12"}


def test_the_decisions_date_dates_an_event_that_gives_none_of_its_own(extractor):
    """SPEC: the date the action takes effect, else the date of the decision; a decision
    taken before publication leaves the joining agreed, not done."""
    text = "Rutland County Council agreed on 12 March 2019 to join the shared legal service"
    x = run(extractor, text + ".", published="2019-03-14")
    (e,) = x.events
    assert (e.action, e.date, e.status) == ("joined", "2019-03-12", "agreed")
    x = run(extractor, text + " in April 2020.", published="2019-03-14")
    assert dates(x) == {("E06000017", "joined"): "2020-04"}


def test_a_partnership_at_work_already_does_not_take_the_new_ones_start(extractor):
    """The new service's start to come ("will start in June") dates the partnership being
    formed, not one the councils already share."""
    x = run(
        extractor,
        "Melton Borough Council and Harborough District Council have agreed to create a shared"
        " planning service.\n\nThe new service will start in June.\n\nThe two councils already"
        " share a legal team.",
        published="2019-03-14",
    )
    got = {(e.body.code, e.service_area): (e.date, e.status) for e in x.events}
    assert got[("E07000133", "planning")] == ("2019-06", "agreed")
    assert got[("E07000133", "legal")] == ("", "done")


def test_a_council_that_gives_notice_and_will_leave_leaves_on_the_later_date(extractor):
    """A council leaves a partnership, not a room: "will leave in April" needs no object
    when a council is its subject; the leaving takes effect then, not at the notice."""
    x = run(
        extractor,
        "Rutland County Council is to leave the shared legal service.\n\n"
        "The council gave notice in March and will leave in April 2020.",
        published="2019-03-14",
    )
    assert dates(x) == {("E06000017", "left"): "2020-04"}
    assert not run(extractor, "Jane Smith left in April.").events
