"""The analysts' commands: ``lgkg review`` and ``lgkg correct`` (added to the ``lgkg`` group).

Thin click wrappers over :mod:`lgkg.corrections`: review a document's facts,
numbered, with their evidence; confirm, reject, change or add facts. Each
correction is stored in the document's corrections graph; the document's own
graph is never edited.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from lgkg.output import format_option, printable
from lgkg.store_options import open_store_for_cli, store_option

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail(err: Exception) -> click.ClickException:
    return click.ClickException(printable(str(err)))


def _who(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--by NAME`` and ``--reason TEXT``: who corrects, and why."""
    f = click.option("--reason", default="", help="Why (a rejection must say why).")(f)
    return click.option(
        "--by",
        "analyst",
        metavar="NAME",
        help="Who is correcting (default: LGKG_ANALYST, else the login name).",
    )(f)


_doc_option = click.option(
    "--doc",
    metavar="DOC",
    help="The document, when FACT is a number from lgkg review DOC.",
)


def _report(review: Any, made: Any) -> None:
    """Say what was stored, and show the fact as it is now."""
    click.echo(printable(f"stored {made.describe()}"), err=True)
    fact = next(
        (
            f
            for f in review.facts
            if (made.fact and str(f.origin) == made.fact)
            or (f.added_by is not None and f.added_by.number == made.number)
        ),
        None,
    )
    if fact is not None:
        content = fact.effective or fact.content
        click.echo(printable(f"  {fact.number}  {review.line(content)}  [{fact.state}]"), err=True)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.argument("doc", metavar="DOC")
@format_option(("table", "json"), "table", "table: each fact with its evidence; json: the lot.")
@store_option
def review(doc: str, fmt: str, store_path: str | None) -> None:
    """Print a document's facts, numbered, with their evidence and what analysts did.

    DOC is the document's IRI, its 16-hex id, the URL it was ingested from,
    its file, or the IRI of one of its facts. Each fact shows its state:
    extracted (no one checked it), confirmed, corrected (with the change),
    rejected (with the reason) or added. The numbers are what lgkg correct
    takes with --doc DOC.

    \b
    Example:
        lgkg review note.txt
        lgkg review https://w3id.org/lgkg/id/doc/e36096e80507015f --format json
    """
    from lgkg.corrections import CorrectionError
    from lgkg.corrections import review as review_document

    with open_store_for_cli(store_path) as store:
        try:
            found = review_document(store, doc)
        except CorrectionError as err:
            raise _fail(err) from err
    if fmt == "json":
        click.echo(json.dumps(found.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(found.table())


@click.group(context_settings=CONTEXT_SETTINGS)
def correct() -> None:
    """Correct a document's facts: confirm, reject, set a field, or add a fact.

    A fact is named by its IRI (id:event/..., as lgkg review, the queries and
    lgkg extract show it) or by its number in lgkg review DOC, with --doc DOC.
    Each correction is stored, with who made it, when and why, in the
    document's corrections graph (its IRI and /corrections); the queries then
    show the facts as corrected, and re-ingesting the document re-applies them.

    \b
    Example:
        lgkg correct confirm 3 --doc note.txt
        lgkg correct reject id:event/e36096e80507015f-2 --reason "Worthing is not named"
        lgkg correct set 1 status done --doc note.txt --reason "the service started in June"
        lgkg correct add note.txt event council=Worthing action=joined \\
            service_area=legal "partnership=Adur-Worthing shared legal service" status=agreed \\
            --evidence 1
    """


def _run(store_path: str | None, action: Callable[[Any], tuple[Any, Any]]) -> None:
    from lgkg.corrections import CorrectionError

    with open_store_for_cli(store_path, write=True) as store:
        try:
            found, made = action(store)
        except CorrectionError as err:
            raise _fail(err) from err
    _report(found, made)


@correct.command(context_settings=CONTEXT_SETTINGS)
@click.argument("facts", nargs=-1, required=True, metavar="FACT...")
@_doc_option
@_who
@store_option
def confirm(
    facts: tuple[str, ...],
    doc: str | None,
    analyst: str | None,
    reason: str,
    store_path: str | None,
) -> None:
    """Confirm facts: they are right as they stand.

    \b
    Example:
        lgkg correct confirm 1 2 4 --doc note.txt
        lgkg correct confirm id:quote/e36096e80507015f-1 --by "Jo Smith"
    """
    from lgkg.corrections import CONFIRM
    from lgkg.corrections import correct as make

    for fact in facts:
        _run(
            store_path,
            lambda s, f=fact: make(s, CONFIRM, f, doc=doc, reason=reason, analyst=analyst),
        )


@correct.command(context_settings=CONTEXT_SETTINGS)
@click.argument("fact", metavar="FACT")
@_doc_option
@_who
@store_option
def reject(
    fact: str, doc: str | None, analyst: str | None, reason: str, store_path: str | None
) -> None:
    """Reject a fact: the text does not state it (--reason says why).

    The fact drops out of every query; lgkg provenance still shows it, with
    the rejection.

    \b
    Example:
        lgkg correct reject 2 --doc note.txt --reason "Worthing is only mentioned"
    """
    from lgkg.corrections import REJECT
    from lgkg.corrections import correct as make

    _run(store_path, lambda s: make(s, REJECT, fact, doc=doc, reason=reason, analyst=analyst))


@correct.command("set", context_settings=CONTEXT_SETTINGS)
@click.argument("fact", metavar="FACT")
@click.argument("field", metavar="FIELD")
@click.argument("value", metavar="VALUE")
@_doc_option
@_who
@store_option
def set_field(
    fact: str,
    field: str,
    value: str,
    doc: str | None,
    analyst: str | None,
    reason: str,
    store_path: str | None,
) -> None:
    """Give one field of a fact a new VALUE ('' clears an optional field).

    \b
    Fields, named as in the gold files:
      event:  council action service_area partnership date status client
      saving: who amount currency period partnership speaker
      quote:  speaker role organisation text
    A council is given by its GSS code or any name the gazetteer knows,
    another body by its name; codes, ISO dates and durations as the
    contract writes them.

    \b
    Example:
        lgkg correct set 1 status done --doc note.txt
        lgkg correct set id:event/e36096e80507015f-1 date 2019-07
        lgkg correct set 3 who Adur --doc note.txt
    """
    from lgkg.corrections import SET
    from lgkg.corrections import correct as make

    _run(
        store_path,
        lambda s: make(
            s, SET, fact, doc=doc, field=field, value=value, reason=reason, analyst=analyst
        ),
    )


@correct.command(context_settings=CONTEXT_SETTINGS)
@click.argument("doc", metavar="DOC")
@click.argument("kind", type=click.Choice(("event", "saving", "quote")), metavar="KIND")
@click.argument("fields", nargs=-1, metavar="FIELD=VALUE...")
@click.option(
    "--evidence",
    required=True,
    metavar="SENTENCE|N",
    help="The sentence that states the fact, or the number of a fact whose sentence does.",
)
@_who
@store_option
def add(
    doc: str,
    kind: str,
    fields: tuple[str, ...],
    evidence: str,
    analyst: str | None,
    reason: str,
    store_path: str | None,
) -> None:
    """Add a fact the extractor missed (KIND: event, saving or quote).

    An event needs council, action, service_area, partnership and status
    (date and client as known); a saving its amount (currency GBP unless
    given); a quote its speaker (its text is the sentence unless given).

    \b
    Example:
        lgkg correct add note.txt event council=Worthing action=joined service_area=legal \\
            "partnership=Adur-Worthing shared legal service" status=agreed --evidence 1
        lgkg correct add note.txt saving who=Adur amount=125000 period=P1Y \\
            --evidence "Adur expects to save £125,000 a year."
    """
    from lgkg.corrections import add_fact

    given: dict[str, str] = {}
    for item in fields:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="FIELD=VALUE")
        given[key.strip()] = value
    _run(
        store_path,
        lambda s: add_fact(s, doc, kind, given, evidence, reason=reason, analyst=analyst),
    )


COMMANDS = (review, correct)


def confirm_retract(store: Any, graph: str, doc: str, with_corrections: bool) -> bool:
    """Whether ``lgkg retract`` may drop document ``graph``'s corrections too: yes with
    ``--with-corrections`` or when it has none; else ask (on a terminal), and exit 1 when
    the answer is no or no one can answer."""
    from lgkg.corrections import has_corrections

    if with_corrections or not has_corrections(store, graph):
        return True
    question = printable(f"{doc} has analysts' corrections; drop them too?")
    try:
        if click.confirm(question, default=False, err=True):
            return True
    except click.Abort:  # no answer (no terminal, end of input)
        click.echo("", err=True)
    raise click.ClickException(
        printable(
            f"{doc} has analysts' corrections: nothing retracted. Pass --with-corrections to "
            "drop them with it (lgkg review shows them; lgkg export --gold keeps them as gold)"
        )
    )
