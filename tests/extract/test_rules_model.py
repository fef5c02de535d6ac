"""Extraction rules on short sentences written for these tests (they load the spaCy model)."""

from decimal import Decimal

import pytest
from rule_helpers import run

from lgkg.extract.clean import unwrapped

pytestmark = pytest.mark.slow


def events(x):
    return {(e.body.code or e.body.name, e.action): e for e in x.events}


def quotes(x):
    """Each quotation's speaker and the code of the body they speak for (None if none)."""
    return [(q.speaker, q.organisation and q.organisation.code) for q in x.quotes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Wealden District Council and Rother District Council formed a shared waste service in May 2019.",
            {("E07000065", "formed"), ("E07000064", "formed")},
        ),
        (
            "Rutland County Council has joined the shared legal service run by two neighbouring councils.",
            {("E06000017", "joined")},
        ),
        (
            "Melton Borough Council pulled out of the revenues partnership last month.",
            {("E07000133", "left")},
        ),
        # one body's own place in a partnership ended is that body leaving, not an ending
        (
            "Melton Borough Council has ended its involvement in the revenues partnership.",
            {("E07000133", "left")},
        ),
        (
            "Melton Borough Council will cease to be a member of the revenues partnership.",
            {("E07000133", "left")},
        ),
        (
            "Melton Borough Council has split from the revenues partnership.",
            {("E07000133", "left")},
        ),
        (
            "Stroud District Council agreed to share its building control team with Cotswold District Council.",
            {("E07000082", "formed"), ("E07000079", "formed")},
        ),
        (  # a phrase's words with a possessive the list leaves out
            "Stroud District Council and Cotswold District Council will go their separate ways.",
            {("E07000082", "ended"), ("E07000079", "ended")},
        ),
        (  # making their own again ends what they shared; one body's own is not read
            "Stroud District Council and Cotswold District Council will set up their own legal"
            " teams.",
            {("E07000082", "ended"), ("E07000079", "ended")},
        ),
        (
            "Rutland County Council has opted into the shared audit service.",
            {("E06000017", "joined")},
        ),
        (  # a new member of a partnership joined it; a new member of staff joins nothing
            "Rutland County Council is the newest member of the procurement partnership.",
            {("E06000017", "joined")},
        ),
        (
            "Councillor Jane Smith of Rutland County Council is the newest member of the cabinet.",
            set(),
        ),
        # what a partnership takes in joins it: its object, a passive's subject, an "of" object
        (
            "The procurement partnership has expanded to include Rutland County Council.",
            {("E06000017", "joined")},
        ),
        (
            "Rutland County Council has been welcomed into the procurement partnership.",
            {("E06000017", "joined")},
        ),
        (
            "The procurement partnership has grown with the addition of Rutland County Council.",
            {("E06000017", "joined")},
        ),
        (
            "Rutland County Council has been accepted into the procurement partnership.",
            {("E06000017", "joined")},
        ),
        (
            "Rutland County Council has become a full member of the procurement partnership.",
            {("E06000017", "joined")},
        ),
        # taking part in a partnership someone runs already joins it, and the host is no
        # founder in that sentence
        (
            "Rutland County Council will take part in the procurement partnership hosted by"
            " Melton Borough Council.",
            {("E06000017", "joined")},
        ),
        (
            "Rutland County Council is to be the fifth council in the legal partnership"
            " run by Melton Borough Council.",
            {("E06000017", "joined")},
        ),
        (  # welcoming something else, or into nothing, admits no one
            "Councillor Jane Smith welcomed Rutland County Council's decision.",
            set(),
        ),
        (
            "The council welcomed the offer from Rutland County Council into the plan.",
            set(),
        ),
        (  # councils taken in together join what takes them in: they found nothing
            "The procurement partnership has expanded to include Rutland County Council and"
            " Melton Borough Council.",
            {("E06000017", "joined"), ("E07000133", "joined")},
        ),
    ],
)
def test_events_actions_and_agents(extractor, text, expected):
    assert set(events(run(extractor, text))) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Leaders at Rushcliffe Borough Council said the partnership with Gedling Borough Council would save money.",
        "Rushcliffe Borough Council said its building control partnership with Gedling Borough Council was working well.",
    ],
)
def test_events_the_other_side_of_a_partnership_with_a_council(extractor, text):
    """A partnership "with Y" names one side; the subject of the clause around it is the other."""
    assert set(events(run(extractor, text))) == {
        ("E07000176", "formed"),
        ("E07000173", "formed"),
    }


def test_events_date_and_status_done(extractor):
    x = run(
        extractor,
        "Wealden District Council and Rother District Council formed a shared waste service in May 2019.",
    )
    e = events(x)[("E07000065", "formed")]
    assert (e.date, e.status, e.service_area) == ("2019-05", "done", "waste")
    assert e.evidence.sentence.startswith("Wealden District Council")


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "Rutland County Council is considering plans to join the shared legal service.",
            "proposed",
        ),
        (
            "Rutland County Council will join the shared legal service, subject to approval by its cabinet.",
            "proposed",
        ),
        (
            "Rutland County Council's cabinet has approved plans to join the shared legal service next year.",
            "agreed",
        ),
        ("Rutland County Council joined the shared legal service in 2015.", "done"),
        (  # a vote on a day was taken ("voted on Tuesday"), unlike "will vote on the plan"
            "Rutland County Council voted on Tuesday to join the shared legal service in June.",
            "agreed",
        ),
        (
            "Rutland County Council will vote on the plan to join the shared legal service.",
            "proposed",
        ),
        # a leaving by notice is agreed until it is told as done
        ("Rutland County Council has served notice to leave the shared legal service.", "agreed"),
        ("Rutland County Council gave notice to leave the shared legal service.", "agreed"),
        (
            "Rutland County Council gave notice in 2014 and left the shared legal service in 2015.",
            "done",
        ),
        # told, ordered or bound to do it: still to come, and decided by someone
        (
            "Rutland County Council has been told by the government to join the shared legal service.",
            "agreed",
        ),
        (
            "Rutland County Council must join the shared legal service within three months.",
            "agreed",
        ),
        # minutes' capitals: a resolution is agreed
        ("RESOLVED: That Rutland County Council joins the shared legal service.", "agreed"),
        # "back" as a particle or a modifier is no approval ("councillors backed it" is)
        ("Rutland County Council has brought its legal service back in house.", "done"),
        ("Rutland County Council shares back office services with Melton.", "done"),
        (
            "Rutland County Council's cabinet backed plans to join the shared legal service.",
            "agreed",
        ),
    ],
)
def test_status_from_modality_and_tense(extractor, text, status):
    x = run(extractor, text, published="2016-01-10")
    (e,) = [e for e in x.events if e.body.code == "E06000017"]  # joins, or leaves
    assert e.status == status


def test_status_a_bare_nouns_default_does_not_outvote_a_told_status(extractor):
    # "the partnership" has no tense: done by default, unless another sentence tells more
    text = (
        "Rutland County Council and Melton Borough Council will share a legal team. "
        "The legal partnership between Rutland County Council and Melton Borough Council is "
        "a first for the county."
    )
    x = run(extractor, text, published="2016-01-10")
    assert {e.status for e in x.events if e.action == "formed"} == {"agreed"}
    alone = run(
        extractor,
        "The legal partnership between Rutland County Council and Melton"
        " Borough Council is a first for the county.",
        published="2016-01-10",
    )
    assert {e.status for e in alone.events if e.action == "formed"} == {"done"}


def test_events_read_in_hard_wrapped_text(extractor):
    text = (  # an email or a PDF's text: lines wrapped inside sentences and names
        "Rutland County Council and Melton Borough Council have agreed\n"
        "to share a legal team from April, the councils said on\n"
        "Tuesday. The new team will be hosted by Melton Borough\n"
        "Council and will also serve Harborough District Council."
    )
    x = run(extractor, text, published="2016-01-10")
    assert {(e.body.code, e.action) for e in x.events} >= {
        ("E06000017", "formed"),
        ("E07000133", "formed"),
    }
    hosted = extractor.nlp(unwrapped(text)).ents[-2]  # the name broken across two lines
    assert (hosted.text, hosted.label_) == ("Melton Borough Council", "COUNCIL")


def test_events_ended_spreads_to_members(extractor):
    text = (
        "Mendip District Council and Sedgemoor District Council set up a joint audit partnership in 2012.\n\n"
        "The partnership was dissolved in March 2020."
    )
    got = events(run(extractor, text))
    assert {k for k in got if k[1] == "ended"} == {("E07000187", "ended"), ("E07000188", "ended")}
    assert got[("E07000187", "ended")].date == "2020-03"


@pytest.mark.parametrize(
    "sentence",
    [
        "Torbay Council has agreed to provide a managed payroll service to Plymouth City Council.",
        "Torbay Council will deliver the payroll service on behalf of Plymouth City Council.",
        # a phrase of no verb acts through the verb it hangs from
        "Torbay Council manages the payroll service on behalf of Plymouth City Council.",
        "Torbay Council will provide Plymouth City Council with a payroll service.",
        # the model parses "building" as a verb, not the first word of the object
        "Torbay Council will deliver building control services to Plymouth City Council.",
        # in the passive, the subject is what is provided and "by" names who provides it
        "Plymouth City Council's payroll service is provided by Torbay Council.",
        "Payroll services for Plymouth City Council will be delivered by Torbay Council.",
    ],
)
def test_events_provides_client_named_after_the_object_or_on_whose_behalf(extractor, sentence):
    got = [(e.body.code, e.action, e.client.code) for e in run(extractor, sentence).events]
    assert got == [("E06000027", "provides", "E06000026")]


def test_events_a_partnership_that_will_not_continue_ends_and_is_agreed(extractor):
    x = run(
        extractor,
        "The shared IT service of Hart District Council and Rushmoor Borough Council will not"
        " continue after March.",
    )
    ended = {k: e.status for k, e in events(x).items() if k[1] == "ended"}
    assert ended == {("E07000089", "ended"): "agreed", ("E07000092", "ended"): "agreed"}
    assert not run(extractor, "Hart District Council will not continue to pay for it.").events


@pytest.mark.parametrize(
    "text",
    [
        "Rutland County Council and Melton Borough Council will join Harborough District"
        " Council's shared legal service.",
        "Rutland County Council and Melton Borough Council will join the existing legal"
        " partnership between Harborough District Council and Blaby District Council.",
    ],
)
def test_events_councils_joining_a_partnership_that_is_there_already_found_nothing(extractor, text):
    """Several councils joining together found what they join, unless it is there already:
    another body's, or one said to exist; its members get no event for it (SPEC)."""
    assert set(events(run(extractor, text))) == {("E06000017", "joined"), ("E07000133", "joined")}


def test_events_the_passive_subject_of_a_joining_is_what_is_joined(extractor):
    x = run(
        extractor,
        "Rutland County Council was joined by Melton Borough Council in the legal partnership.",
    )
    assert set(events(x)) == {("E07000133", "joined")}


def test_events_the_terms_a_service_is_provided_on_found_nothing(extractor):
    """The agreement a provider serves a client under is a contract, not a partnership the
    provider founds; a partnership that provides a service was founded by its members."""
    x = run(
        extractor,
        "Melton Borough Council will provide payroll services to Rutland County Council "
        "under a new agreement.",
    )
    assert set(events(x)) == {("E07000133", "provides")}
    x = run(
        extractor,
        "The partnership between Melton Borough Council and Rutland County Council provides "
        "payroll services to Harborough District Council.",
    )
    assert {("E07000133", "formed"), ("E06000017", "formed")} <= set(events(x))


@pytest.mark.parametrize(
    "text",
    [
        "The business case is to provide a shared building control service for Torbay Council"
        " and Plymouth City Council.",
        # a service for its own provider too is one it shares
        "Torbay Council will provide payroll services for Plymouth City Council and Torbay"
        " Council.",
    ],
)
def test_events_a_shared_service_provided_for_councils_has_no_client(extractor, text):
    assert not [e for e in run(extractor, text).events if e.action == "provides"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Hart District Council and Rushmoor Borough Council will disaggregate their shared IT service.",
        "Hart District Council has ditched its shared IT service with Rushmoor Borough Council.",
        "The disaggregation of the shared IT service of Hart District Council and Rushmoor Borough"
        " Council was approved.",
        # a partnership said not to go on ends
        "Hart District Council and Rushmoor Borough Council will not renew their shared IT"
        " service agreement when it expires.",
        "Hart District Council has decided not to extend its shared IT service with Rushmoor"
        " Borough Council.",
        "Hart District Council will not continue to share its IT service with Rushmoor Borough"
        " Council.",
        # a phrase's verb acts, whatever word the phrase starts with
        "Hart District Council and Rushmoor Borough Council will no longer share an IT service.",
    ],
)
def test_events_words_for_ending_a_shared_service(extractor, sentence):
    got = events(run(extractor, sentence))
    assert {k for k in got if k[1] == "ended"} == {("E07000089", "ended"), ("E07000092", "ended")}


def test_events_provides_names_client(extractor):
    x = run(
        extractor,
        "Torbay Council provides payroll services to the Devon and Cornwall Police under a contract.",
    )
    provides = [e for e in x.events if e.action == "provides"]
    assert provides and provides[0].body.code == "E06000027"
    assert "Police" in provides[0].client.name


@pytest.mark.parametrize(
    "text",
    [
        "Plans for a shared audit team between Mendip District Council and Sedgemoor District "
        "Council have been scrapped.",
        "Mendip District Council and Sedgemoor District Council abandoned talks about a shared "
        "audit team.",
    ],
)
def test_events_a_scrapped_plan_ends_no_partnership(extractor, text):
    got = events(run(extractor, text, published="2016-01-10"))
    assert set(got) == {("E07000187", "formed"), ("E07000188", "formed")}
    assert {e.status for e in got.values()} == {"proposed"}


@pytest.mark.parametrize("verb", ["take over", "take on", "run", "handle"])
def test_events_taking_over_a_councils_service_provides_it_to_that_council(extractor, verb):
    x = run(
        extractor,
        f"Torbay Council will {verb} Teignbridge District Council's payroll service in May.",
        published="2016-01-10",
    )
    assert [(e.body.code, e.action, e.client and e.client.code, e.status) for e in x.events] == [
        ("E06000027", "provides", "E07000045", "agreed")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Torbay Council will run its own payroll service from May.",
        "Torbay Council will run Teignbridge District Council's offices from May.",
    ],
)
def test_events_running_ones_own_service_or_anothers_building_provides_nothing(extractor, text):
    assert not [e for e in run(extractor, text).events if e.action == "provides"]


def test_savings_each_council_gives_one_per_council(extractor):
    text = "Wealden District Council and Rother District Council formed a shared waste service. Each council will save £250,000 a year."
    x = run(extractor, text)
    got = {(s.who.code if s.who else "", s.amount, s.period) for s in x.savings}
    assert got == {("E07000065", Decimal(250000), "P1Y"), ("E07000064", Decimal(250000), "P1Y")}


@pytest.mark.parametrize(
    "text",
    [
        "Wealden District Council will join the shared audit service, which will save the"
        " council £80,000 a year.",
        "Rother District Council and Wealden District Council will share auditors, which is"
        " expected to save up to £80,000 a year for Wealden.",
        # the subject of the verb a saving's infinitive hangs from
        "Wealden District Council expects to save £80,000 a year by sharing auditors with Rother.",
        # the council a saving is "for" or "to", named before the amount
        "The shared audit service brings a saving to Wealden District Council of £80,000.",
        # the speaker's own council
        'Cllr Ann Jones, leader of Wealden District Council, said: "Sharing auditors gives'
        ' a saving for this council of £80,000."',
        'Cllr Ann Jones, leader of Wealden District Council, said: "Sharing auditors will'
        ' save us £80,000."',
        # the possessive of the saving, or of the share it is part of
        "Wealden District Council's share of the savings from sharing auditors is £80,000.",
        "Wealden District Council's savings from sharing auditors will be £80,000.",
        # a "for" phrase of the saving's clause, put first
        "For Wealden District Council, the saving from sharing auditors will be £80,000.",
    ],
)
def test_savings_owner_named_as_the_council_saved(extractor, text):
    got = {(s.who.code if s.who else "", s.amount) for s in run(extractor, text).savings}
    assert got == {("E07000065", Decimal(80000))}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the saving verb said once for two owners and two amounts
        (
            "The shared waste service will save Wealden District Council £80,000 and Rother"
            " District Council £60,000 a year.",
            {("E07000065", Decimal(80000)), ("E07000064", Decimal(60000))},
        ),
        (  # the same with short names, which the model hangs from the verb and the figure
            "The move is expected to save Rutland £50,000 and Melton £40,000 a year.",
            {("E06000017", Decimal(50000)), ("E07000133", Decimal(40000))},
        ),
        # the saving verb and its period said once
        (
            "Rutland expects to save £50,000 a year, and Melton £40,000.",
            {("E06000017", Decimal(50000)), ("E07000133", Decimal(40000))},
        ),
        # a council beside an amount that no saving word governs saves nothing
        (
            "The shared waste service will save £80,000 a year, and Rother District Council"
            " £60,000 was spent on new lorries.",
            {("", Decimal(80000))},
        ),
        # a saving "for X and Y" is theirs together: the partnership's, no one council's
        (
            "The shared waste service will save £80,000 a year for Wealden District Council"
            " and Rother District Council.",
            {("", Decimal(80000))},
        ),
    ],
)
def test_savings_one_verb_for_several_owners(extractor, text, expected):
    got = {(s.who.code if s.who else "", s.amount) for s in run(extractor, text).savings}
    assert got == expected


def test_savings_a_gapped_saving_takes_the_period_said_once(extractor):
    x = run(extractor, "Rutland expects to save £50,000 a year, and Melton £40,000.")
    assert {s.period for s in x.savings} == {"P1Y"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Wealden District Council will cut its costs by £80,000 a year by sharing auditors.",
            {("E07000065", Decimal(80000), "P1Y")},
        ),
        ("The shared audit team brings cost reductions of £80,000.", {("", Decimal(80000), "")}),
        (
            "Wealden District Council will share managers with Rother to slash £80,000 a year.",
            {("", Decimal(80000), "P1Y")},
        ),
        # a budget or a grant cut is no saving
        ("Wealden District Council's budget will be cut by £3m.", set()),
        ("The government will cut Wealden District Council's grant by £100,000.", set()),
        ("The government will cut £100,000 from Wealden District Council's grant.", set()),
    ],
)
def test_savings_a_cost_reduced_by_an_amount(extractor, text, expected):
    x = run(extractor, text)
    assert {(s.who.code if s.who else "", s.amount, s.period) for s in x.savings} == expected


def test_savings_partnership_total_and_costs_ignored(extractor):
    text = (
        "The shared service between Wealden District Council and Rother District Council will save £3m over five years. "
        "Setting it up will cost £400,000."
    )
    x = run(extractor, text)
    assert {(s.who, s.amount, s.period) for s in x.savings} == {(None, Decimal(3000000), "P5Y")}


def test_quotes_speaker_role_and_organisation(extractor):
    text = (
        'Cllr Jane Doe, cabinet member for resources at Wealden District Council, said: "This is good news."\n\n'
        '"We will keep improving," she added.'
    )
    x = run(extractor, text)
    assert len(x.quotes) == 1
    q = x.quotes[0]
    assert (q.speaker, q.organisation.code) == ("Jane Doe", "E07000065")
    assert "cabinet member for resources" in q.role


@pytest.mark.parametrize(
    "text",
    [  # the model reads "added Wealden District Council chief executive" as an adjective
        '"We are delighted," added council leader John Brown of Wealden District Council.',
        # a relative clause saying whom the speaker leads
        'John Brown, who leads Wealden District Council, said: "We are delighted."',
    ],
)
def test_quotes_speaker_after_a_quotation_or_with_the_body_they_lead(extractor, text):
    got = quotes(run(extractor, text))
    assert got == [("John Brown", "E07000065")]


def test_quotes_coun_is_a_title_not_a_name(extractor):
    text = 'Coun Jane Doe, leader of Rother District Council, said: "It is a good deal."'
    x = run(extractor, text)
    assert quotes(x) == [("Jane Doe", "E07000064")]


def test_quotes_a_name_the_model_cuts_short_runs_on(extractor):
    # the model reads "Cllr Ray" as a person and "Morgon" as an organisation
    text = (
        "Havering Council will bring services back in-house. Council leader Cllr Ray Morgon "
        "said the services will continue to be shared."
    )
    assert quotes(run(extractor, text)) == [("Ray Morgon", "E09000016")]


@pytest.mark.parametrize(
    "said",
    [
        'Cllr Jane Doe said: "It is a good deal."',
        'Conservative Councillor Jane Doe said: "It is a good deal."',
        "Jane Doe, head of Legal and Democratic Services, said it was a good deal.",
    ],
)
def test_quotes_a_councillor_or_a_remit_speaks_for_the_main_council(extractor, said):
    text = f"Rother District Council will join the shared legal service.\n\n{said}"
    x = run(extractor, text)
    assert quotes(x) == [("Jane Doe", "E07000064")]


def test_quotes_a_councillor_on_a_councils_own_website_speaks_for_it(extractor):
    text = (
        "Wealden District Council will join the legal service Wealden District Council and "
        'Rother District Council planned.\n\nCllr Jane Doe said: "It is a good deal."'
    )
    x = run(extractor, text, url="https://www.rother.gov.uk/news/legal")
    assert quotes(x) == [("Jane Doe", "E07000064")]


def test_quotes_leader_of_the_council_on_a_councils_own_website_leads_it(extractor):
    text = (
        "Rother District Council will share its legal team with Wealden District Council.\n\n"
        "Wealden District Council will host the team.\n\n"
        'Cllr Jane Doe, leader of the council, said: "It is a good deal."'
    )
    x = run(extractor, text, url="https://www.rother.gov.uk/news/legal")
    assert quotes(x) == [("Jane Doe", "E07000064")]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://www.rother.gov.uk/news/shared-legal", "E07000064"),  # its own website
        ("https://www.example-news.co.uk/story", None),  # "Council" names no body
    ],
)
def test_quotes_leader_of_the_council_where_no_council_is_named(extractor, url, code):
    text = (
        "Two councils will share a legal team.\n\n"
        'Cllr Jane Doe, Leader of the Council, said: "It is a good deal."'
    )
    x = run(extractor, text, url=url)
    assert quotes(x) == [("Jane Doe", code)]


def test_quotes_an_organisation_is_checked_against_the_documents_bodies(extractor):
    from lgkg.extract.mentions import all_mentions
    from lgkg.extract.quotes import QuoteFinder
    from lgkg.extract.records import Body

    doc = extractor.nlp("Rother District Council and Wealden District Council will share a team.")
    finder = QuoteFinder(doc, all_mentions(doc, extractor.gazetteer, None))
    assert finder._checked(Body("Fellow Wealden")).code == "E07000065"  # a council inside
    assert finder._checked(Body("Labour")).code == "E07000064"  # a party: the main council
    assert finder._checked(Body("Legal Services")).code == "E07000064"  # a remit
    assert finder._checked(Body("Kent Police")) == Body("Kent Police")  # a body of its own


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        # "according to" a person
        (
            'According to Rother\'s finance director, Antony Baden, "the savings are real".',
            [("Antony Baden", "E07000064")],
        ),
        ('According to the report, "the savings are real".', []),  # no person: no quote
        # a person who opens the sentence, then a colon and the quotation
        (
            'Antony Baden, Rother\'s finance director: "The savings are real."',
            [("Antony Baden", "E07000064")],
        ),
        ('The panel heard from Antony Baden: "The savings are real."', []),  # not the opener
        # the quotation opening the next paragraph
        (
            'Antony Baden, Rother\'s finance director, is pleased so far:\n\n"The savings are real."',
            [("Antony Baden", "E07000064")],
        ),
    ],
)
def test_quotes_attributed_without_a_speech_verb(extractor, said, expected):
    text = f"Wealden District Council and Rother District Council will share a legal team. {said}"
    x = run(extractor, text)
    assert quotes(x) == expected


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ("Antony Baden, Rother's finance director", [("Antony Baden", "E07000064")]),
        ("Antony Baden welcomed the plan.", []),  # a sentence of its own, no signature
    ],
)
def test_quotes_a_signature_line_after_a_quotation(extractor, after, expected):
    text = (
        "Wealden District Council and Rother District Council will share a legal team.\n\n"
        f'"The savings are real and the service will improve."\n{after}\n\nIt starts in May.'
    )
    x = run(extractor, text)
    assert quotes(x) == expected


@pytest.mark.parametrize(
    "said",
    [
        '"It is a good deal," replied Antony Baden, Rother\'s finance director.',
        'Antony Baden, Rother\'s finance director, pointed out: "It is a good deal."',
        'Antony Baden, Rother\'s finance director, reiterated: "It is a good deal."',
    ],
)
def test_quotes_reporting_verbs_with_a_quotation(extractor, said):
    text = f"Wealden District Council and Rother District Council will share a legal team. {said}"
    x = run(extractor, text)
    assert quotes(x) == [("Antony Baden", "E07000064")]


def test_quotes_a_titled_person_the_model_reads_as_an_organisation(extractor):
    text = (  # the model tags "Cllr Lynden Stowe" ORG: the title still opens a person
        "Wealden District Council and Rother District Council will share a legal team.\n\n"
        "Cllr Lynden Stowe, Wealden District Council Leader, is very pleased so far:\n\n"
        '"We are pleased."'
    )
    x = run(extractor, text)
    assert quotes(x) == [("Lynden Stowe", "E07000065")]


def test_quotes_a_name_inside_a_remit_is_no_speaker(extractor):
    text = (
        "Wealden District Council and Rother District Council will share a youth service. "
        "Rother's portfolio holder for Families and Young People, Councillor Jane Doe, said "
        "that the new service would help."
    )
    x = run(extractor, text)
    assert quotes(x) == [("Jane Doe", "E07000064")]


def test_quotes_a_list_of_remits_is_no_speaker(extractor):
    text = (
        "Wealden District Council and Rother District Council will share a youth service.\n\n"
        "Cllr Jane Doe, Deputy Leader and Cabinet Member for Education, Youth and Lifelong"
        ' Learning at Rother District Council, said:\n\n"It will help."'
    )
    x = run(extractor, text)
    assert quotes(x) == [("Jane Doe", "E07000064")]


def test_quotes_a_role_naming_a_kind_of_council_speaks_for_that_council(extractor):
    text = (
        "Warwickshire County Council and Coventry City Council will share highways services."
        '\n\nCity council leader Cllr John Mott said: "It makes sense."'
    )
    x = run(extractor, text)
    assert quotes(x) == [("John Mott", "E08000026")]


def test_quotes_a_name_in_the_possessive_is_no_speaker(extractor):
    text = (
        "Wealden District Council and Rother District Council will share a youth service. "
        "Jane Doe's deputy at Rother District Council, John Roe, said the service would help."
    )
    x = run(extractor, text)
    assert [q.speaker for q in x.quotes] == ["John Roe"]


def test_quotes_a_name_after_a_remit_in_lower_case_is_the_speaker(extractor):
    text = (
        "Wealden District Council and Rother District Council will share a youth service. "
        'Rother\'s cabinet member for children and families Jane Doe said: "It will help."'
    )
    x = run(extractor, text)
    assert quotes(x) == [("Jane Doe", "E07000064")]


def test_quotes_speaker_after_verb_and_surname_resolution(extractor):
    text = 'John Roe is leader of Rother District Council.\n\n"We are delighted," said Mr Roe.'
    x = run(extractor, text)
    assert [q.speaker for q in x.quotes] == ["John Roe"]


def test_noise_footer_yields_nothing(extractor):
    text = "Event Diary\n\nThe biggest trade show of the year returns to Birmingham in June. Book your tickets now."
    x = run(extractor, text)
    assert (x.events, x.savings, x.quotes) == ((), (), ())


def test_mentions_plural_reference_resolves_to_list_that_follows(extractor):
    text = (
        "Three councils have agreed to create a shared legal service.\n\n"
        "The partner councils are:\n\n"
        "• Wealden District Council\n"
        "• Rother District Council\n"
        "• Hastings Borough Council\n"
    )
    got = events(run(extractor, text))
    assert {k for k in got if k[1] == "formed"} == {
        ("E07000065", "formed"),
        ("E07000064", "formed"),
        ("E07000062", "formed"),
    }


def test_mentions_numbered_reference_resolves_to_next_sentence(extractor):
    text = (
        "Two councils are to set up a joint audit team. "
        "Mendip District Council and Sedgemoor District Council will vote on the plan next week."
    )
    got = events(run(extractor, text))
    assert {("E07000187", "formed"), ("E07000188", "formed")} <= set(got)


def test_mentions_elided_council_names(extractor):
    x = run(extractor, "East and West Sussex county councils formed a shared legal service.")
    assert {e.body.name for e in x.events} == {"East Sussex", "West Sussex"}


def test_mentions_place_name_before_plural_councils_is_no_council(extractor):
    x = run(
        extractor,
        "Two Somerset district councils, Mendip and Sedgemoor, have merged their audit teams.",
    )
    assert "E10000027" not in {e.body.code for e in x.events}


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("The partnership will save £25,000 this year.", "P1Y"),
        ("It brings a year on year saving of £140,000.", "P1Y"),
        ("The merger has saved taxpayers £17 million in ten years.", "P10Y"),
        ("Sharing will bring savings of about £3 million over a five-year period.", "P5Y"),
        ("Sharing could bring £3m in savings over the next four to five years.", "P5Y"),
        ("Savings of between £200,000 and £300,000 a year are expected.", "P1Y"),  # one range
    ],
)
def test_savings_periods(extractor, text, period):
    x = run(extractor, text)
    assert [s.period for s in x.savings] == [period]


def test_savings_a_period_belongs_to_the_nearest_figure(extractor):
    x = run(extractor, "The merger will save up to £2.5m a year, or £12m over five years.")
    assert [(s.amount, s.period) for s in x.savings] == [
        (Decimal(2500000), "P1Y"),
        (Decimal(12000000), "P5Y"),
    ]
    x = run(extractor, "The shared service will save £80,000 and £60,000 a year respectively.")
    assert [s.period for s in x.savings] == ["P1Y", "P1Y"]
    # a cumulative figure: "in 2015, around £400,000 a year" is the next figure's year
    x = run(
        extractor,
        "The shared service has saved more than £2m since it was launched in 2015, around"
        " £400,000 a year.",
    )
    assert [(s.amount, s.period) for s in x.savings] == [
        (Decimal(2000000), ""),
        (Decimal(400000), "P1Y"),
    ]


def test_savings_headline_figure_without_period_is_the_same_saving(extractor):
    text = "Councils save £3m\n\nThe shared service between the two councils will save £3m over five years."
    x = run(extractor, text, published=None)
    assert [(s.amount, s.period) for s in x.savings] == [(Decimal(3000000), "P5Y")]


def test_events_service_area_named_at_trigger_wins_over_title(extractor):
    text = "Wealden District Council and Rother District Council formed a shared legal service."
    got = events(run(extractor, text, title="Councils look again at their IT"))
    assert got[("E07000065", "formed")].service_area == "legal"


def test_events_service_area_from_title_when_sentence_names_none(extractor):
    text = "Wealden District Council and Rother District Council have agreed to share the service."
    got = events(run(extractor, text, title="Councils to share building control"))
    assert got[("E07000065", "formed")].service_area == "building-control"


def test_quotes_council_name_inside_a_persons_name(extractor):
    x = run(extractor, 'Cllr John Kent, Leader of Thurrock Council, said: "We are pleased."')
    assert quotes(x) == [("John Kent", "E06000034")]


def test_quotes_short_council_name_in_lower_case_role(extractor):
    text = (
        "Caerphilly County Borough Council and Merthyr Tydfil County Borough Council will buy goods together.\n\n"
        'Cllr Jane Roe, cabinet member for finance of Merthyr council said: "It makes sense."'
    )
    x = run(extractor, text)
    assert quotes(x) == [("Jane Roe", "W06000024")]


@pytest.mark.parametrize(
    "said",
    [
        'Jane Roe (Con, Southwater) said: "We were let down."',
        # the ward's names in the brackets are neither the speaker nor her body
        'Jane Roe (Con, Pulborough and Coldwaltham), cabinet member for finance, said: "We'
        ' were let down."',
    ],
)
def test_quotes_party_label_marks_a_councillor_of_the_main_council(extractor, said):
    text = "Horsham District Council is to leave the revenues partnership.\n\n" + said
    x = run(extractor, text)
    assert quotes(x) == [("Jane Roe", "E07000227")]


def test_quotes_a_ward_in_a_party_bracket_is_no_speaker(extractor):
    from spacy.tokens import Span

    from lgkg.extract import quotes
    from lgkg.extract.tokens import release

    doc = extractor.nlp(
        'Brian Connolly (Con, Storrington and Washington), cabinet member for finance, said: "Yes."'
    )
    release(doc)
    ward = next(t for t in doc if t.text == "Storrington")
    doc.ents = [Span(doc, ward.i, ward.i + 1, label="PERSON")]  # as the model reads some wards
    said = next(t for t in doc if t.text == "said")
    spans = quotes._person_spans(quotes._subject_tokens(said))
    assert [s.text for s in spans] == ["Brian Connolly"]  # the words before the party


@pytest.mark.parametrize(
    "text",
    [
        'Cllr Jane Roe, Rother\'s Portfolio Holder for Finance, said: "Good news."',
        'The Lib Dem group said: "This is bad news."',
    ],
)
def test_quotes_roles_and_parties_are_no_speakers(extractor, text):
    x = run(extractor, "Rother District Council formed a shared legal service.\n\n" + text)
    assert {q.speaker for q in x.quotes} <= {"Jane Roe"}


def test_quotes_believing_needs_a_quotation(extractor):
    x = run(extractor, "Jane Roe will be explaining how councils can thrive on their own income.")
    assert x.quotes == ()


def test_mentions_shortened_name_resolved_by_region(extractor):
    text = "Merton Council and Kingston Council formed a shared legal service."
    got = events(run(extractor, text))
    assert ("E09000021", "formed") in got  # Kingston upon Thames, a London borough like Merton


def test_events_since_dates_a_beginning_not_an_end(extractor):
    text = "Rother District Council and Wealden District Council, which have shared a legal service since 2009, will stop sharing it."
    got = events(run(extractor, text))
    assert got[("E07000064", "ended")].date == ""


def test_mentions_shortened_name_listed_with_councils(extractor):
    x = run(extractor, "Sutton, Merton and Kingston have agreed to share their HR service.")
    assert {e.body.code for e in x.events} == {"E09000029", "E09000024", "E09000021"}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # a name found beside a council is a council beside the next one in the list
        (
            "Highland, Moray, Orkney and Shetland councils agreed to share a roads team.",
            {"S12000017", "S12000020", "S12000023", "S12000027"},
        ),
        # a listed name of two words
        (
            "Highland, Moray and Western Isles councils agreed to share a roads team.",
            {"S12000017", "S12000020", "S12000013"},
        ),
        # a name the parse takes for a word, written as a name inside the sentence
        (
            "Officers of Wokingham, Swindon and Reading councils will share a legal team.",
            {"E06000041", "E06000030", "E06000038"},
        ),
    ],
)
def test_mentions_names_listed_in_a_chain_of_councils(extractor, text, codes):
    x = run(extractor, text)
    assert {e.body.code for e in x.events} == codes


@pytest.mark.parametrize(
    ("url", "text", "expected"),
    [
        # on a council's own website, "the Council" before any council is named is itself
        (
            "https://democracy.brent.gov.uk/ieDecisionDetails.aspx?ID=7",
            "RESOLVED: That the Council joins the shared legal service hosted by Harrow Council.",
            {("E09000005", "joined")},
        ),
        # elsewhere, or in lower case, or once a council is named, it is not
        (
            "https://www.example-news.co.uk/story",
            "RESOLVED: That the Council joins the shared legal service hosted by Harrow Council.",
            set(),
        ),
        (
            "https://democracy.brent.gov.uk/ieDecisionDetails.aspx?ID=7",
            "Officers said the council would join the shared legal service hosted by Harrow.",
            set(),
        ),
    ],
)
def test_mentions_the_council_on_its_own_website_is_the_publisher(extractor, url, text, expected):
    got = {key for key in events(run(extractor, text, url=url)) if key[1] == "joined"}
    assert got == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a decision notice's resolution of no subject: the council that publishes it acts
        (
            "2. To approve the proposal to join the shared legal service hosted by Harrow Council.",
            {("E09000005", "joined")},
        ),
        (
            "To enter into a shared internal audit service with Harrow Council from April.",
            {("E09000005", "formed"), ("E09000015", "formed")},
        ),
        # minutes: a resolution after its label, an agreement of no subject, the deciders
        (
            "RESOLVED: to join the shared legal service hosted by Harrow Council.",
            {("E09000005", "joined")},
        ),
        (
            "Agreed to join the shared legal service hosted by Harrow Council.",
            {("E09000005", "joined")},
        ),
        (
            "Cabinet agreed to join the shared legal service hosted by Harrow Council.",
            {("E09000005", "joined")},
        ),
        (
            "RESOLVED \u2013 That the Cabinet Member for Resources agrees to join the shared "
            "legal service hosted by Harrow Council.",
            {("E09000005", "joined")},
        ),
        (
            "It was resolved to join the shared legal service hosted by Harrow Council.",
            {("E09000005", "joined")},
        ),
        # a council named before the trigger, or as the subject in the resolution, acts
        (
            "To enable Barnet Council to join the shared legal service hosted by Harrow Council.",
            {("E09000003", "joined")},
        ),
        (
            "Cabinet agreed that Barnet Council should join the shared legal service.",
            {("E09000003", "joined")},
        ),
    ],
)
def test_events_the_publisher_acts_in_its_resolutions(extractor, text, expected):
    url = "https://democracy.brent.gov.uk/ieDecisionDetails.aspx?ID=7"
    actions = {action for _, action in expected}  # (who hosts it is no concern here)
    got = {key for key in events(run(extractor, text, url=url)) if key[1] in actions}
    assert got == expected


def test_events_a_resolution_on_a_newspapers_site_has_no_agent(extractor):
    text = "2. To approve the proposal to join the shared legal service hosted by Harrow Council."
    got = events(run(extractor, text, url="https://www.example-news.co.uk/story"))
    assert ("E09000005", "joined") not in got


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        # a reference qualified by a kind of council is the one whose name has it
        (
            "Cherwell District Council and Oxfordshire County Council will share a legal "
            "team. The County Council will leave its own legal partnership.",
            None,
            "E10000025",
        ),
        # ... the council whose website it is first ("the Royal Borough" on RBWM's site)
        (
            "Kingston Council and Richmond Council set up a shared children's service. The "
            "Royal Borough agreed to join the shared children's service last year.",
            "https://www3.rbwm.gov.uk/press/article/1",
            "E06000040",
        ),
    ],
)
def test_mentions_a_qualified_reference_is_the_council_so_named(extractor, text, url, expected):
    got = run(extractor, text, url=url).events
    assert {e.body.code for e in got if e.action in ("left", "joined")} == {expected}


def test_events_partners_along_with(extractor):
    text = (
        "Merton Council is planning, along with Wandsworth Council, to develop a shared IT service."
    )
    got = events(run(extractor, text))
    assert {("E09000024", "formed"), ("E09000032", "formed")} <= set(got)


def test_events_signing_an_agreement_is_forming_not_joining(extractor):
    text = "In 2010 Sutton Council signed a memorandum of understanding with Merton Council for jointly run services."
    got = events(run(extractor, text))
    assert ("E09000029", "formed") in got and ("E09000029", "joined") not in got


def test_mentions_place_name_starting_a_partnership_name_is_no_council(extractor):
    x = run(
        extractor,
        "The Rother Waste Partnership was formed in 2011 by Rother District Council and Wealden District Council.",
    )
    assert {e.body.code for e in x.events} == {"E07000064", "E07000065"}


def test_events_council_of_the_time_for_an_old_date(extractor):
    text = "Dorset and Wiltshire formed a shared audit service in 2011."
    codes = {e.body.code for e in run(extractor, text).events}
    assert "E10000009" in codes  # Dorset County Council, abolished in 2019, not Dorset Council


def test_events_asked_to_join_by_another_council(extractor):
    text = (
        "Rutland County Council is reviewing its legal service.\n\n"
        "The council was approached by Leicestershire County Council to join its shared legal service."
    )
    got = events(run(extractor, text))
    assert ("E06000017", "joined") in got and ("E10000018", "joined") not in got


def test_mentions_the_council_is_the_last_subject(extractor):
    text = (
        "Rutland County Council is to explore joining forces with a partnership led by Leicestershire County Council.\n\n"
        "The council had been planning to join a shared legal service."
    )
    got = events(run(extractor, text))
    assert ("E06000017", "joined") in got and ("E10000018", "joined") not in got


def test_status_a_relative_clause_is_a_clause_of_its_own(extractor):
    text = (
        "The partnership between Mendip District Council and Sedgemoor District Council, "
        "which started in 2012, is expected to save money."
    )
    got = events(run(extractor, text, published="2016-01-10"))
    assert {(k, e.status, e.date) for k, e in got.items()} == {
        (("E07000187", "formed"), "done", "2012"),
        (("E07000188", "formed"), "done", "2012"),
    }


def test_mentions_deciders_of_a_named_council_are_that_councils(extractor):
    text = (
        "Rutland County Council runs a shared legal service with Melton Borough Council.\n\n"
        "Councillors in Harborough District Council voted to join it in 2015."
    )
    got = events(run(extractor, text, published="2016-01-10"))
    assert ("E07000131", "joined") in got and ("E06000017", "joined") not in got


def test_events_existing_members_named_in_the_partnership_get_no_event(extractor):
    text = "Rutland County Council is to join the Melton-Harborough shared legal service."
    assert set(events(run(extractor, text))) == {("E06000017", "joined")}


def test_triggers_left_in_a_photo_caption_is_no_leaving(extractor):
    x = run(
        extractor,
        "Rother District Council leader Jane Roe, left, with Wealden District Council leader John Doe.",
    )
    assert not [e for e in x.events if e.action == "left"]


def test_triggers_entering_into_a_partnership_forms_it(extractor):
    x = run(
        extractor,
        "Rother District Council is entering into a partnership with Wealden District Council to share IT.",
    )
    assert ("E07000064", "formed") in events(x) and ("E07000064", "joined") not in events(x)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        (
            "Boston Borough and East Lindsey District have signed off plans to share a management team.",
            {"E07000136", "E07000137"},
        ),
        ("Buckinghamshire CC and Harrow LBC agreed a shared HR deal.", {"E10000002", "E09000015"}),
    ],
)
def test_mentions_short_council_forms(extractor, text, codes):
    assert {e.body.code for e in run(extractor, text).events} == codes


def test_pipeline_no_sentence_break_inside_a_council_name(extractor):
    doc = extractor.nlp(
        "August 3, 2021\n\nBoston Borough, East Lindsey and South Holland councils have agreed."
    )
    for ent in doc.ents:
        assert all(not tok.is_sent_start for tok in ent[1:])


def test_events_decision_to_end_an_arrangement_ends_it_for_every_member(extractor):
    text = (
        "Rother District Council and Wealden District Council have shared a chief executive since 2012.\n\n"
        "The decision to end the shared chief executive arrangement reflects the need for the councils to have more capacity."
    )
    got = events(run(extractor, text))
    assert {("E07000064", "ended"), ("E07000065", "ended")} <= set(got)


def test_events_target_date_after_by(extractor):
    text = (
        "Islington Council and Camden Council want to create a shared IT service by 1 April 2016."
    )
    got = events(run(extractor, text))
    assert got[("E09000019", "formed")].date == "2016-04-01"


@pytest.mark.parametrize(
    "text",
    [
        "The councils anticipate needing to achieve combined savings of £185m by 2019.",
        "The councils have to find savings of £185m.",
    ],
)
def test_savings_target_is_no_saving(extractor, text):
    assert run(extractor, text).savings == ()


def test_savings_what_a_service_had_produced_is_saved(extractor):
    # "had" as the main verb, not "have to"
    x = run(extractor, "The shared service had improved services and produced savings of £2.4m.")
    assert [s.amount for s in x.savings] == [Decimal(2400000)]


def test_savings_amount_of_a_spend_is_no_saving(extractor):
    x = run(
        extractor,
        "Redditch Borough Council expects to make a saving of £200,000 out of a £2 million total spend.",
    )
    assert [(s.who.code if s.who else "", s.amount) for s in x.savings] == [
        ("E07000236", Decimal(200000))
    ]


def test_savings_split_between_councils_and_far_period(extractor):
    text = (
        "The merger will save the councils a total of £30.6m - £19.3m for East Lindsey and £11.3m for "
        "South Holland - over the next 10 years."
    )
    got = {(s.who.code if s.who else "", s.amount, s.period) for s in run(extractor, text).savings}
    assert ("E07000137", Decimal(19300000), "P10Y") in got
    assert ("E07000140", Decimal(11300000), "P10Y") in got


def test_savings_next_financial_year_is_a_year(extractor):
    x = run(
        extractor, "The joint team will achieve savings of £1.5million in the next financial year."
    )
    assert [s.period for s in x.savings] == ["P1Y"]


def test_mentions_county_name_after_in_is_a_place(extractor):
    x = run(
        extractor,
        "Two councils in Lincolnshire, Boston Borough Council and East Lindsey District Council, formed a shared management team.",
    )
    assert "E10000019" not in {e.body.code for e in x.events}


@pytest.mark.parametrize(
    "text",
    [
        # every bare county listed after "in", and after "counties -"
        "Councils in Suffolk, Lincolnshire and Norfolk may share a chief executive.",
        "Three councils in three counties - Suffolk, Lincolnshire and Norfolk - may share a"
        " chief executive.",
    ],
)
def test_mentions_counties_listed_as_places_are_no_councils(extractor, text):
    found = {e.body.code for e in run(extractor, text).events}
    assert not found & {"E10000029", "E10000019", "E10000020"}


def test_quotes_body_named_before_the_role(extractor):
    text = "Rother District Council has joined the legal consortium.\n\n" + (
        'The LegalHub head Jane Roe, who is also a director at Wealden District Council, said: "We welcome them."'
    )
    quotes = run(extractor, text).quotes
    assert quotes and quotes[0].speaker == "Jane Roe"
    assert quotes[0].organisation is None or quotes[0].organisation.code != "E07000065"


def test_quotes_reported_speech_with_that(extractor):
    text = "Rother District Council is leaving the partnership.\n\nJane Roe, chief executive at the council, explained that she had agreed a timetable."
    assert [q.speaker for q in run(extractor, text).quotes] == ["Jane Roe"]


def test_quotes_organisation_name_keeps_its_last_word(extractor):
    text = 'Jane Roe, Welsh Assembly Government Minister for Business, said: "This is welcome."'
    quotes = run(extractor, "Cardiff Council formed a shared legal service.\n\n" + text).quotes
    assert quotes[0].organisation is not None and quotes[0].organisation.name.endswith("Government")


def test_two_partnerships_of_the_same_councils_are_two_events(extractor):
    x = run(
        extractor,
        "Fenland District Council and East Cambridgeshire District Council formed a shared legal"
        " service in 2015.\n\nFenland District Council and East Cambridgeshire District Council"
        " are now proposing a joint waste service.",
        published="2020-01-10",
    )
    fenland = sorted(
        (e.service_area, e.date, e.status)
        for e in x.events
        if e.body.code == "E07000010" and e.action == "formed"
    )
    assert fenland == [("legal", "2015", "done"), ("waste", "", "proposed")]


def test_a_weak_second_area_does_not_split_an_event(extractor):
    x = run(
        extractor,
        "Fenland District Council and East Cambridgeshire District Council formed a shared legal"
        " service in 2015.\n\nFenland District Council has a new management team.",
        published="2020-01-10",
    )
    areas = {e.service_area for e in x.events if e.body.code == "E07000010"}
    assert areas == {"legal"}


def test_shortened_name_beside_a_council_across_and_is_that_council(extractor):
    # the parser often attaches the first name to nothing ("X and Y Councils")
    x = run(extractor, "On 2 May 2018, Kingston and Sutton Councils launched a joint payroll team.")
    assert {e.body.code for e in x.events} == {"E09000021", "E09000029"}


def test_hyphenated_particle_verb_is_a_trigger(extractor):
    x = run(extractor, "Hart District Council is to break-up with Rushmoor Borough Council.")
    assert ("E07000089", "ended") in events(x)


def test_place_after_an_indefinite_article_is_not_that_council(extractor):
    x = run(
        extractor,
        "Hart District Council is to stop sharing its planning team with a Surrey district council.",
    )
    assert "E10000030" not in {e.body.code for e in x.events}


@pytest.mark.parametrize(
    ("text", "ended"),
    [
        (
            "Hart District Council and Rushmoor Borough Council will bring their shared legal service to an end.",
            True,
        ),
        (
            "Hart District Council and Rushmoor Borough Council say sharing will bring real benefits to residents.",
            False,
        ),
    ],
)
def test_bring_to_an_end_is_ended_but_bring_benefits_to_is_not(extractor, text, ended):
    x = run(extractor, text)
    assert (("E07000089", "ended") in events(x)) is ended


def test_present_progressive_is_agreed_not_done(extractor):
    x = run(
        extractor,
        "Hart District Council is joining the shared building control service run by Rushmoor Borough Council.",
    )
    assert events(x)[("E07000089", "joined")].status == "agreed"


def test_service_area_is_not_read_in_a_because_phrase(extractor):
    text = (
        "Rushmoor Borough Council will transfer its services to the partnership in May"
        " because of a merger of officer structures."
    )
    x = run(extractor, text, title="Councils agree shared waste deal")
    assert events(x)[("E07000092", "joined")].service_area == "waste"


def test_set_alone_is_not_formed_without_sharing_words(extractor):
    x = run(extractor, "Hart District Council and Rushmoor Borough Council set out their budgets.")
    assert not x.events


def test_councils_ceasing_to_exist_is_not_an_ended_partnership(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council ceased to exist on 1 April 2031.",
    )
    assert not x.events


def test_councils_inside_a_title_case_name_are_existing_members(extractor):
    x = run(
        extractor,
        "The Hart, Rushmoor and Surrey Heath Building Control Partnership said Woking Borough"
        " Council will join in May.",
    )
    assert set(events(x)) == {("E07000217", "joined")}


def test_a_joiner_says_nothing_of_the_founders_status(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council will create a shared planning team."
        "\n\nWoking Borough Council will then join the Hart and Rushmoor shared planning team.",
    )
    assert events(x)[("E07000089", "formed")].status == "agreed"


def test_seeking_approval_is_proposed(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council are seeking approval for plans to"
        " create a shared planning team.",
    )
    assert events(x)[("E07000089", "formed")].status == "proposed"


def test_words_of_an_ending_phrase_form_nothing(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council will stop sharing a chief executive.",
    )
    assert {action for _, action in events(x)} == {"ended"}


def test_infinitive_under_a_progressive_is_agreed(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council are joining forces to share their"
        " planning expertise.",
    )
    assert {e.status for e in x.events if e.action == "formed"} == {"agreed"}


def test_a_leaver_told_of_as_a_founder_elsewhere_keeps_both_events(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council formed a shared planning team in 2012."
        "\n\nHart District Council will leave the shared planning team next year.",
        published="2020-03-01",
    )
    assert {("E07000089", "formed"), ("E07000089", "left")} <= set(events(x))


def test_a_leaver_is_no_founder_from_its_leaving_sentence_alone(extractor):
    x = run(extractor, "Hart District Council will leave the shared planning partnership.")
    assert set(events(x)) == {("E07000089", "left")}


def test_police_named_with_an_ampersand_keeps_its_whole_name(extractor):
    x = run(
        extractor,
        "The company is a joint venture between Kent & Essex Police and Medway Council.",
    )
    assert "Kent and Essex Police" in {e.body.name for e in x.events}


def test_a_leavers_plan_for_a_new_partner_is_not_a_founding(extractor):
    x = run(
        extractor,
        "Hart District Council will leave the shared planning partnership.\n\n"
        "The council could set up a new shared service with another partner.",
    )
    assert set(events(x)) == {("E07000089", "left")}


def test_council_leader_speaks_for_the_council_of_the_document(extractor):
    x = run(
        extractor,
        "Hart District Council will share its planning team with Rushmoor Borough Council.\n\n"
        "Hart District Council expects savings.\n\n"
        'Council leader Ann Lee said: "This is good news."',
    )
    (quote,) = x.quotes
    assert (quote.speaker, quote.organisation.code) == ("Ann Lee", "E07000089")


def test_verb_forms_the_model_lemmatizes_wrong_are_read(extractor):
    """en_core_web_sm lemmatizes "hopes" as "hop" and "axed" as "ax" (extract/lemmas.py)."""
    assert extractor.nlp("The council hopes to join.")[2].lemma_ == "hope"
    x = run(extractor, "Hart District Council hopes to join the Surrey legal partnership.")
    assert events(x)[("E07000089", "joined")].status == "proposed"
    x = run(extractor, "Hart and Rushmoor councils have axed their shared planning team.")
    assert ("E07000089", "ended") in events(x)


def test_a_compound_cue_in_the_clause_is_read(extractor):
    x = run(
        extractor,
        "Hart District Council has been given the go-ahead to join the Surrey legal partnership.",
    )
    assert events(x)[("E07000089", "joined")].status == "agreed"


def test_a_decision_still_to_come_is_proposed(extractor):
    x = run(
        extractor,
        "Tomorrow Hart District Council and Rushmoor Borough Council are set to agree to merge"
        " their planning teams.",
    )
    assert events(x)[("E07000089", "formed")].status == "proposed"


def test_a_speakers_employer_in_a_relative_clause_is_no_founder(extractor):
    x = run(
        extractor,
        "Wealden District Council is joining the Sussex Legal Partnership.\n\n"
        "The partnership's head Jane Smith, who is also director of resources at Rother District"
        " Council, said: 'The public sector is changing and the legal partnership helps.'",
    )
    assert "E07000064" not in {e.body.code for e in x.events}


@pytest.mark.parametrize(
    "text",
    [
        "Cllr Jane Roe, leader of Hart District Council, announced plans to share a chief"
        " executive with Rushmoor Borough Council.",
        "Jane Roe, who leads Hart District Council, has agreed to share a chief executive with"
        " Rushmoor Borough Council.",
    ],
)
def test_a_council_someone_leads_acts_when_they_do(extractor, text):
    got = events(run(extractor, text))
    assert {("E07000089", "formed"), ("E07000092", "formed")} <= set(got)


def test_a_council_someone_leads_is_not_what_they_report(extractor):
    x = run(
        extractor,
        "Jane Roe, who leads Hart District Council, said Rushmoor Borough Council would join the"
        " Surrey legal partnership.",
    )
    # (what the rules read: the learned models may still add a guess of their own)
    assert "E07000089" not in {e.body.code for e in x.events if e.rule != "learned"}


def test_a_partnership_providing_a_service_makes_its_members_providers(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council formed a shared audit unit in 2015."
        "\n\nThe unit also provides audit services to Surrey Police.",
    )
    providers = {e.body.code: e.client.name for e in x.events if e.action == "provides"}
    assert providers == {"E07000089": "Surrey Police", "E07000092": "Surrey Police"}


@pytest.mark.parametrize(
    "text",
    [
        "The shared planning team of Hart District Council and Rushmoor Borough Council will remain in place.",
        "Hart District Council and Rushmoor Borough Council will continue to share a planning team.",
    ],
)
def test_an_arrangement_that_goes_on_is_done(extractor, text):
    assert events(run(extractor, text))[("E07000089", "formed")].status == "done"


def test_stop_having_a_joint_post_is_ended(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council have decided to stop having a joint"
        " chief executive.",
    )
    assert events(x)[("E07000089", "ended")].status == "agreed"


def test_possible_partners_are_proposed_joiners_not_founders(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council formed a shared audit unit in 2015,"
        " with Woking Borough Council and Guildford Borough Council as possible partners.",
    )
    got = events(x)
    assert got[("E07000217", "joined")].status == "proposed"
    assert got[("E07000209", "joined")].status == "proposed"
    assert ("E07000217", "formed") not in got


def test_a_previous_partnership_was_formed_and_has_ended(extractor):
    x = run(
        extractor,
        "Building on what Hart District Council learnt from its previous partnership with"
        " Rushmoor Borough Council, the new partnership will provide the councils with a"
        " stronger voice.",
    )
    got = events(x)
    assert got[("E07000092", "formed")].status == "done"
    assert got[("E07000092", "ended")].status == "done"


def test_service_area_is_not_read_in_the_partner_phrase(extractor):
    text = "Hart District Council will work closely with Rushmoor Borough Council and IT suppliers."
    x = run(extractor, text, title="Councils agree shared waste service")
    assert events(x)[("E07000089", "formed")].service_area == "waste"


@pytest.mark.parametrize(
    "text",
    [
        "If both councils agree the plans, Hart District Council and Rushmoor Borough Council"
        " will set up a shared planning team.",
        "Hart District Council is keen to share its planning team with Rushmoor Borough Council.",
    ],
)
def test_conditions_and_wishes_are_proposals(extractor, text):
    assert events(run(extractor, text))[("E07000089", "formed")].status == "proposed"


@pytest.mark.parametrize(
    "text",
    [
        "Hart and Rushmoor councils to share planning team.",
        # an infinitive no finite verb governs, standing alone or passive
        "Hart District Council and Rushmoor Borough Council to share planning team",
        "New planning team to be formed by Hart and Rushmoor councils",
        "Shared planning service to be set up by Hart and Rushmoor councils",
    ],
)
def test_a_headline_infinitive_is_a_plan_agreed_not_done(extractor, text):
    assert events(run(extractor, text))[("E07000089", "formed")].status == "agreed"


def test_a_passive_participle_with_no_infinitive_is_done(extractor):
    x = run(extractor, "The shared planning service was set up by Hart and Rushmoor councils.")
    assert events(x)[("E07000089", "formed")].status == "done"


@pytest.mark.parametrize(
    "text",
    [
        "Hart District Council did not join the shared audit service.",
        "Hart District Council has decided not to join the shared audit service.",
        # a vote against it refuses it too
        "Hart District Council voted against joining the shared audit service.",
    ],
)
def test_a_negated_trigger_is_no_event(extractor, text):
    assert ("E07000089", "joined") not in events(run(extractor, text))


def test_not_until_a_date_is_a_delay_not_a_negation(extractor):
    x = run(
        extractor, "Hart District Council will not join the shared audit service until April 2022."
    )
    assert events(x)[("E07000089", "joined")].date == "2022-04"


def test_not_the_end_of_a_partnership_ends_nothing(extractor):
    x = run(
        extractor,
        "This is not the end of the shared audit partnership of Hart District Council and"
        " Rushmoor Borough Council.",
    )
    assert not [e for e in x.events if e.action == "ended"]


def test_what_is_being_ended_was_formed_before(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council have decided to stop having a joint"
        " chief executive.",
    )
    got = events(x)
    assert got[("E07000089", "ended")].status == "agreed"
    assert got[("E07000089", "formed")].status == "done"


def test_a_short_name_in_capitals_opening_a_story_is_the_council(extractor):
    x = run(
        extractor, "HART and Rushmoor councils are joining forces to share their planning staff."
    )
    assert ("E07000089", "formed") in events(x)


def test_a_dateline_in_capitals_is_a_place_not_a_council(extractor):
    x = run(
        extractor,
        "HAMPSHIRE: Hart District Council and Rushmoor Borough Council will share a planning team.",
    )
    assert {e.body.code for e in x.events} == {"E07000089", "E07000092"}


def test_an_existing_alliance_is_a_partnership_of_its_own(extractor):
    """What a new partnership builds on was formed before it; "builds on" forms nothing."""
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council will form a shared waste team.\n\n"
        "The team builds on the existing alliance between Hart District Council and Rushmoor"
        " Borough Council.",
    )
    got = {(e.body.code, e.service_area): e.status for e in x.events if e.action == "formed"}
    assert got == {
        ("E07000089", "waste"): "agreed",
        ("E07000092", "waste"): "agreed",
        ("E07000089", "other"): "done",
        ("E07000092", "other"): "done",
    }
    assert len({e.partnership for e in x.events}) == 2


def test_two_earlier_partnerships_in_one_sentence_are_two(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council will form a shared waste team.\n\n"
        "The team builds on the existing alliance between Hart District Council and Rushmoor"
        " Borough Council and on Surrey Heath Borough Council's previous partnership with"
        " Waverley Borough Council.",
    )
    label = {(e.body.code, e.action, e.status): e.partnership for e in x.events}
    alliance = label[("E07000089", "formed", "done")]
    previous = label[("E07000214", "formed", "done")]
    assert alliance == label[("E07000092", "formed", "done")]
    assert (
        previous == label[("E07000216", "formed", "done")] == label[("E07000214", "ended", "done")]
    )
    assert len({alliance, previous, label[("E07000089", "formed", "agreed")]}) == 3


def test_a_previous_partnership_is_not_the_new_one(extractor):
    x = run(
        extractor,
        "Hart District Council and Woking Borough Council will set up a shared planning team.\n\n"
        "Hart District Council learnt a lot from its previous partnership with Rushmoor Borough"
        " Council.",
    )
    got = {(e.body.code, e.action, e.service_area): e.status for e in x.events}
    assert got[("E07000089", "formed", "planning")] == "agreed"
    assert got[("E07000092", "formed", "other")] == "done"
    assert got[("E07000092", "ended", "other")] == "done"
    assert ("E07000092", "formed", "planning") not in got


def test_joining_the_existing_partnership_is_no_earlier_one(extractor):
    x = run(
        extractor,
        "Hart District Council will join the existing partnership of Rushmoor Borough Council.",
    )
    got = events(x)
    assert got[("E07000089", "joined")].status == "agreed"
    assert len({e.service_area for e in x.events}) == 1


def test_an_area_told_apart_for_some_councils_is_told_apart_for_all(extractor):
    """Hart and Rushmoor share HR and plan shared IT; Woking, named with them only at the
    IT plan and in an area-less agreement, is in the IT partnership too."""
    text = (
        "In 2010 Woking Borough Council signed an agreement with Hart District Council and"
        " Rushmoor Borough Council for greater cooperation.\n\n"
        "Hart District Council and Rushmoor Borough Council already have shared HR"
        " arrangements.\n\n"
        "The three councils are also planning to develop a shared cloud computing service."
    )
    x = run(extractor, text, title="Three councils sign up for shared HR service")
    ict = {e.body.code: e.status for e in x.events if e.service_area == "ict"}
    assert ict == {"E07000217": "proposed", "E07000089": "proposed", "E07000092": "proposed"}


@pytest.mark.parametrize(("verb", "mover"), [("join", "joined"), ("leave", "left")])
def test_a_mover_still_founds_a_partnership_of_another_area(extractor, verb, mover):
    x = run(
        extractor,
        f"Hart District Council will {verb} the shared legal service of Rushmoor Borough Council"
        " and Woking Borough Council.\n\n"
        "Hart District Council and Rushmoor Borough Council will keep sharing a chief executive.",
    )
    got = {(e.body.code, e.action): (e.service_area, e.status) for e in x.events}
    assert got[("E07000089", mover)] == ("legal", "agreed")
    assert got[("E07000089", "formed")] == ("management", "done")


def test_a_verb_particle_is_read_for_the_service_area(extractor):
    """spaCy may take "back" of "back office" for the particle of "sharing"."""
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council have been sharing back office"
        " functions since April.",
    )
    assert events(x)[("E07000089", "formed")].service_area == "back-office"


def test_a_trigger_naming_no_area_speaks_of_its_sentences_partnership(extractor):
    """The date of the IT plan ("by late this year") is not the HR partnership's."""
    text = (
        "Hart District Council and Rushmoor Borough Council already share HR staff.\n\n"
        "The two councils are also planning, along with Woking and Surrey Heath, to develop a"
        " shared cloud computing service, the infrastructure for which is expected to be in"
        " place by late this year."
    )
    x = run(extractor, text, published="2011-03-01", title="Councils sign up for shared HR")
    got = {(e.body.code, e.service_area): (e.status, e.date) for e in x.events}
    assert got[("E07000089", "hr-payroll")] == ("done", "")
    assert got[("E07000089", "ict")] == ("proposed", "2011")
    assert ("E07000217", "hr-payroll") not in got


def test_members_of_a_partnership_another_council_leaves_are_no_proposed_founders(extractor):
    x = run(
        extractor,
        "Hart District Council will leave the shared audit partnership of Rushmoor Borough"
        " Council and Woking Borough Council.\n\n"
        "Rushmoor Borough Council and Woking Borough Council will discuss the future of the"
        " partnership.",
    )
    assert {(e.body.code, e.action) for e in x.events} == {("E07000089", "left")}


def test_a_council_named_only_in_a_previous_partnership_is_not_in_the_new_one(extractor):
    x = run(
        extractor,
        "Hart District Council and Rushmoor Borough Council will form a shared waste team.\n\n"
        "Building on the experience that Hart District Council has gathered from its previous"
        " partnership with Woking Borough Council, the new partnership will give the councils"
        " a stronger voice.",
    )
    woking = {(e.action, e.service_area) for e in x.events if e.body.code == "E07000217"}
    assert woking == {("formed", "other"), ("ended", "other")}


@pytest.mark.parametrize(
    ("partners", "bodies"),
    [
        (
            "Hampshire Fire and Rescue Service and Hampshire Constabulary",
            {"Hampshire Fire and Rescue Service", "Hampshire Constabulary"},
        ),
        (
            "Devon and Cornwall Police and Dorset Police",
            {"Devon and Cornwall Police", "Dorset Police"},
        ),
    ],
)
def test_public_bodies_listed_with_and_keep_their_whole_names(extractor, partners, bodies):
    x = run(extractor, f"Hart District Council has set up a shared HR service with {partners}.")
    assert {e.body.name for e in x.events if not e.body.code} == bodies


def test_a_council_named_in_full_is_not_part_of_the_next_bodys_name(extractor):
    x = run(
        extractor, "Hart District Council and Cleveland Police have formed a joint control room."
    )
    assert {(e.body.code, e.body.name) for e in x.events} == {
        ("E07000089", "Hart"),
        (None, "Cleveland Police"),
    }


def test_a_place_starting_an_institutions_name_is_no_council(extractor):
    from lgkg.extract.mentions import all_mentions

    doc = extractor.nlp("Hastings Business School studied how Hart District Council works.")
    found = {m.body.name: m.body.code for m in all_mentions(doc, extractor.gazetteer, None)}
    assert found == {"Hastings Business School": None, "Hart": "E07000089"}


def test_a_county_without_council_after_it_is_a_place(extractor):
    x = run(
        extractor,
        "Hart District Council has set up a shared waste service with Woolwich in Gloucester County.",
    )
    assert {e.body.code for e in x.events} == {"E07000089"}


def test_a_shortened_name_after_a_serial_comma_is_a_council(extractor):
    x = run(
        extractor,
        "The London boroughs of Sutton, Merton, and Kingston have agreed to share a legal team.",
    )
    assert {e.body.code for e in x.events} == {"E09000029", "E09000024", "E09000021"}


def test_a_cooperation_agreement_naming_no_service_is_other(extractor):
    x = run(
        extractor,
        "In 2010 Hart District Council signed a memorandum of understanding with Rushmoor"
        " Borough Council for greater cooperation.",
    )
    assert events(x)[("E07000089", "formed")].service_area == "other"


def test_a_standfirst_weighs_as_little_as_a_headline(extractor):
    """The standfirst's loose summary ("back office") makes no partnership of its own."""
    text = (
        "Three councils take a step towards sharing back office services\n\n"
        "Hart District Council, Rushmoor Borough Council and Woking Borough Council have"
        " agreed to share an HR and payroll team."
    )
    x = run(extractor, text, title="Councils agree shared HR service")
    assert {e.service_area for e in x.events} == {"hr-payroll"}


def test_a_partnership_set_up_after_leaving_another_is_another(extractor):
    x = run(
        extractor,
        "Torridge District Council and Mid Devon District Council will leave the Tamar waste"
        " partnership next year.\n\nTorridge District Council and Mid Devon District Council"
        " are considering a shared legal service.",
        published="2020-01-10",
    )
    label = {(e.body.code, e.action): e.partnership for e in x.events}
    assert label[("E07000046", "left")] != label[("E07000046", "formed")]
    assert label[("E07000046", "formed")] == label[("E07000042", "formed")]
    assert len(x.partnerships) == 2


def test_a_partnership_set_up_after_leaving_a_named_one_is_another(extractor):
    """The name the text gives stays with the partnership left; the new one gets its own."""
    x = run(
        extractor,
        "Rutland County Council pulled out of the Welland Partnership last year.\n\nRutland"
        " County Council and Melton Borough Council will form a new legal partnership in April.",
        published="2020-06-01",
    )
    label = {(e.body.code, e.action): e.partnership for e in x.events}
    assert label[("E06000017", "left")] == "Welland Partnership"
    assert label[("E06000017", "formed")] == label[("E07000133", "formed")] != "Welland Partnership"


def test_councils_named_with_everyday_abbreviations(extractor):
    x = run(
        extractor,
        "Bolsover District Council and NE Derbyshire District Council have agreed to share a"
        " chief executive.\n\nHerts County Council will provide payroll services to East Herts"
        " Council.",
        published="2020-01-10",
    )
    events = {(e.body.code, e.action, e.client.code if e.client else None) for e in x.events}
    assert ("E07000038", "formed", None) in events
    assert ("E10000015", "provides", "E07000242") in events


def test_a_council_name_that_is_a_surname_is_the_person(extractor):
    text = (
        "Kent County Council and Medway Council have agreed to share a legal service.\n\n"
        "Paul Sutton, Kent County Council's cabinet member for finance, said: "
        '"The shared service will protect front-line jobs."\n\n'
        'Mr Sutton added: "It is a good deal."'
    )
    x = run(extractor, text)
    assert sorted(e.body.code for e in x.events) == ["E06000035", "E10000016"]  # no Sutton
    assert quotes(x) == [("Paul Sutton", "E10000016")]


def test_a_council_name_after_a_capitalised_word_stays_a_council(extractor):
    x = run(
        extractor,
        "Both Sutton and Merton councils have agreed to share a legal service. "
        "Fellow Havant councillors said it would save money.",
    )
    assert {e.body.code for e in x.events} == {"E09000029", "E09000024"}


def test_quotes_a_speaker_named_earlier_keeps_the_body_given_there(extractor):
    text = (
        "Kent County Council and Medway Council have agreed to share a legal service.\n\n"
        "Medway Council leader Alan Jarvis opened the meeting.\n\n"
        'Cllr Jarvis said: "This is a good deal for residents."'
    )
    x = run(extractor, text)
    assert quotes(x) == [("Alan Jarvis", "E06000035")]


@pytest.mark.parametrize(
    ("role", "organisation"),
    [
        ("secretary of the Kent branch of Unison", "Unison"),
        ("director of Veritau", "Veritau"),
    ],
)
def test_quotes_the_body_a_role_is_of(extractor, role, organisation):
    text = (
        "Kent County Council and Medway Council have agreed to share a legal service.\n\n"
        f'Tom Baker, {role}, said: "Staff will be consulted."'
    )
    x = run(extractor, text)
    assert [(q.speaker, q.organisation.name) for q in x.quotes] == [("Tom Baker", organisation)]


def test_quotes_a_role_of_both_councils_names_no_one_body(extractor):
    text = (
        "Kent County Council and Medway Council have agreed to share a legal service.\n\n"
        'Tom Baker, joint chief executive of both councils, said: "Staff will be consulted."'
    )
    x = run(extractor, text)
    assert [(q.speaker, q.organisation) for q in x.quotes] == [("Tom Baker", None)]


def test_partnerships_a_word_in_capitals_the_text_also_writes_in_lower_case_is_no_name(extractor):
    text = (
        "A PARTNERSHIP will let two councils share auditors. Rother District Council and "
        "Wealden District Council formed the PARTNERSHIP in May. The partnership saves money. "
        "Both joined the SEAP audit service, and SEAP now audits both."
    )
    names = {n for p in run(extractor, text).partnerships for n in p.names}
    assert "PARTNERSHIP" not in names and "SEAP" in names


@pytest.mark.parametrize("ward", ["(Lewes ward)", "who represents Lewes Bridge ward"])
def test_mentions_a_ward_named_after_a_place_is_no_council(extractor, ward):
    text = (
        "Rother District Council and Wealden District Council will share a legal team. "
        f'"This is good news," said Cllr Jane Smith, {ward}.'
    )
    x = run(extractor, text)
    assert [q.speaker for q in x.quotes] == ["Jane Smith"]
    assert "Lewes" not in {q.organisation.name for q in x.quotes if q.organisation}
    assert "E07000063" not in {e.body.code for e in x.events}  # Lewes


@pytest.mark.parametrize(
    "text",
    [
        "Rother District Council and Wealden District Council will close their legal teams "
        "and create a shared legal service.",
        "The shared service will end duplication between Rother District Council and "
        "Wealden District Council.",
        "Rother District Council and Wealden District Council will axe 20 posts by sharing "
        "a legal team.",
        "Rother District Council and Wealden District Council ended their separate contracts "
        "to set up a joint waste service.",
        "Savings will be split between Rother District Council and Wealden District Council.",
    ],
)
def test_triggers_ending_something_that_is_no_partnership_ends_none(extractor, text):
    assert not [e for e in run(extractor, text).events if e.action == "ended"]


@pytest.mark.parametrize(
    "text",
    [
        "Rother District Council and Wealden District Council will end their shared legal service.",
        "Rother District Council and Wealden District Council will dissolve Strata next year.",
        "The partnership between Rother District Council and Wealden District Council was dissolved.",
        "Rother District Council and Wealden District Council set up a shared legal service in "
        "2010. It will end in March.",
    ],
)
def test_triggers_ending_a_partnership_ends_it_for_its_members(extractor, text):
    ended = {e.body.code for e in run(extractor, text).events if e.action == "ended"}
    assert ended == {"E07000064", "E07000065"}


def test_events_councils_joining_a_partnership_told_of_before_are_no_founders(extractor):
    text = (
        "Rother District Council runs a shared audit service. "
        "Wealden District Council and Hastings Borough Council are now looking to join it."
    )
    got = events(run(extractor, text))
    assert ("E07000065", "joined") in got and ("E07000062", "joined") in got
    assert ("E07000065", "formed") not in got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Plymouth City Council will buy its payroll service from Torbay Council.",
            [("E06000027", "provides", "E06000026")],
        ),
        ("Plymouth City Council bought the building from Torbay Council.", []),  # no service
        (  # the client founds nothing, though its sentence names an agreement
            "Plymouth City Council will buy its payroll service from Torbay Council under a"
            " new agreement.",
            [("E06000027", "provides", "E06000026")],
        ),
    ],
)
def test_events_a_service_bought_from_a_council_is_provided_by_it(extractor, sentence, expected):
    got = [(e.body.code, e.action, e.client.code) for e in run(extractor, sentence).events]
    assert got == expected


def test_mentions_the_council_is_the_one_named_alone_earlier_in_its_sentence(extractor):
    text = (
        "Rother District Council and Wealden District Council launched a shared audit "
        "service in 2016. Wealden District Council also audits Lewes District Council.\n\n"
        "If Hastings Borough Council's cabinet backs the plan, and Rother and Wealden agree, "
        "the council's auditors would move into the shared service next year."
    )
    got = events(run(extractor, text, published="2017-02-10"))
    assert ("E07000062", "joined") in got  # Hastings
    assert ("E07000065", "formed") in got and ("E07000065", "joined") not in got  # Wealden


def test_events_a_council_in_a_clause_of_its_own_is_not_the_verbs_agent(extractor):
    text = (
        "Rother District Council and Wealden District Council have shared a legal team "
        "since 2011. Rother District Council has given notice to leave. The notice period "
        "ends on 31 March 2018, after which Rother District Council will run its own legal "
        "service again."
    )
    got = events(run(extractor, text, published="2017-05-01"))
    assert ("E07000064", "left") in got
    assert not [k for k in got if k[1] == "ended"]


def test_triggers_staff_transferring_to_a_council_join_nothing(extractor):
    text = (
        "Tewkesbury Borough Council and Cheltenham Borough Council have agreed to combine "
        "their lawyers into a shared legal service. Staff from Cheltenham's legal section "
        "will transfer to Tewkesbury on 1 April 2009."
    )
    got = events(run(extractor, text, published="2008-11-01"))
    assert set(got) == {("E07000083", "formed"), ("E07000078", "formed")}


@pytest.mark.parametrize(
    "text",
    [
        "Rother District Council will sign up to the waste partnership that Wealden District "
        "Council and Hastings Borough Council set up in 2012.",
        "Rother District Council will be the latest council to join the partnership, which was "
        "formed by Wealden District Council and Hastings Borough Council in 2012.",
    ],
)
def test_events_founders_stated_in_a_clause_about_what_is_joined(extractor, text):
    got = events(run(extractor, text, published="2019-03-14"))
    assert ("E07000064", "joined") in got
    assert got[("E07000065", "formed")].date == "2012" == got[("E07000062", "formed")].date


@pytest.mark.parametrize(
    ("text", "left"),
    [
        (
            "Rother District Council is bringing its legal service back in-house after ten years "
            "in the partnership with Wealden District Council.",
            True,
        ),
        (
            "Rother District Council will take its payroll service back in house from Wealden "
            "District Council.",
            True,
        ),
        (
            "Rother District Council will bring back weekly bin collections with Wealden "
            "District Council.",
            False,
        ),
    ],
)
def test_triggers_taking_a_service_in_house_leaves_the_partnership(extractor, text, left):
    got = events(run(extractor, text))
    assert (("E07000064", "left") in got) is left


def test_mentions_a_partnerships_own_board_takes_no_part(extractor):
    text = (
        "Wealden District Council and Rother District Council formed the Audit Partnership"
        " in 2015. The Audit Partnership Board and Wealden District Council will end it."
    )
    bodies = {e.body.name for e in run(extractor, text).events}
    assert not any("Board" in b for b in bodies)
    assert "Wealden" in bodies


@pytest.mark.parametrize(
    ("text", "body"),
    [
        ("Sussex Police and Wealden District Council will share a legal team.", "Sussex Police"),
        (
            "The Lake District National Park Authority and Eden District Council will share "
            "planning staff.",
            "Lake District National Park Authority",
        ),
        ("NHS Kernow and Cornwall Council will share a public health team.", "NHS Kernow"),
        # a council's place in an NHS body's name names the NHS body, not the council
        (
            "Herefordshire Council and NHS Herefordshire will share a back-office company.",
            "NHS Herefordshire",
        ),
    ],
)
def test_mentions_a_public_body_named_in_title_case_takes_part(extractor, text, body):
    formed = {e.body.name for e in run(extractor, text).events if e.action == "formed"}
    assert body in formed and len(formed) == 2


@pytest.mark.parametrize(
    ("text", "status", "date"),
    [
        (
            "Jane Roe has been chief executive of Rother District Council and Wealden District "
            "Council since July 2012.",
            "done",
            "2012-07",
        ),
        (
            "Jane Roe will become chief executive of both Rother District Council and Wealden "
            "District Council in May.",
            "agreed",
            "2019-05",
        ),
    ],
)
def test_events_one_chief_executive_of_two_councils_is_a_shared_one(extractor, text, status, date):
    got = events(run(extractor, text, published="2019-03-14"))
    assert set(got) == {("E07000064", "formed"), ("E07000065", "formed")}
    assert {(e.service_area, e.status, e.date) for e in got.values()} == {
        ("management", status, date)
    }


def test_events_a_chief_executive_of_one_council_shares_nothing(extractor):
    text = "Jane Roe, chief executive of Rother District Council, met Wealden District Council."
    assert not run(extractor, text).events


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Rother District Council will join a partnership with Wealden District Council to "
            "deliver revenues and benefits.",
            {("E07000064", "formed"), ("E07000065", "formed")},
        ),
        (
            "Rother District Council will join the partnership of Wealden District Council and "
            "Hastings Borough Council.",
            {("E07000064", "joined")},
        ),
        # joining councils in founding something: all found it
        (
            "Rother District Council will join Wealden District Council and Hastings Borough "
            "Council to create a shared building control service.",
            {("E07000064", "formed"), ("E07000065", "formed"), ("E07000062", "formed")},
        ),
        (
            "Rother District Council joined Wealden District Council in setting up a shared "
            "building control service.",
            {("E07000064", "formed"), ("E07000065", "formed")},
        ),
        # joining a council's service, for a purpose of its own, joins it
        (
            "Rother District Council will join Wealden District Council's building control "
            "service to cut costs.",
            {("E07000064", "joined")},
        ),
    ],
)
def test_events_joining_a_new_partnership_with_another_founds_it(extractor, text, expected):
    assert set(events(run(extractor, text))) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Rother District Council has become a shareholder in Veritau, the audit company owned "
        "by Wealden District Council and Hastings Borough Council.",
        "Rother District Council will take a stake in the waste company the two councils own.",
    ],
)
def test_triggers_becoming_a_shareholder_joins_a_council_company(extractor, text):
    assert ("E07000064", "joined") in events(run(extractor, text))
