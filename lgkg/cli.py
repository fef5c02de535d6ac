"""The ``lgkg`` command line: thin click commands over the library.

Results go to stdout, progress and messages to stderr. Exit codes: 0 ok,
1 a document or query failed (the message says which and why), 2 usage error.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from lgkg import __version__
from lgkg.output import ROW_FORMATS, write_rows

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
SPARQL_FORMATS = ("table", "csv", "json", "tsv", "xml", "turtle", "ntriples")
EXPORT_FORMATS = ("trig", "nquads", "turtle", "jsonld")
PROGRESS_THRESHOLD = 20


def store_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--store PATH`` (or ``LGKG_STORE``); the default is the user data directory."""
    return click.option(
        "--store",
        "store_path",
        envvar="LGKG_STORE",
        metavar="PATH",
        help="The store folder (env LGKG_STORE; default: the user data dir's lgkg/store).",
    )(f)


def source_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--url``, ``--title``, ``--published``: metadata for a single document."""
    for name, text in (
        ("--published", "Publication date (ISO or '1 April 2016') of a single document."),
        ("--title", "Title of a single document."),
        ("--url", "URL of a single document (names it: re-ingest by URL replaces it)."),
    ):
        f = click.option(name, default=None, help=text)(f)
    return f


def _fail(message: str) -> click.ClickException:
    return click.ClickException(message)


def _open_store(store_path: str | None, *, write: bool = False):
    """Open the store; reading a store that does not exist is an error with a hint."""
    from lgkg.graph.store import StoreError, default_store_path, open_store

    path = store_path or str(default_store_path())
    if not write and path != ":memory:" and not Path(path).exists():
        raise _fail(
            f"no store at {path}: ingest documents first (lgkg ingest PATH) or pass --store"
        )
    try:
        return open_store(path, read_only=not write and path != ":memory:")
    except StoreError as err:
        raise _fail(str(err)) from err


def _load_extractor():
    """The extractor (loads the spaCy model: a few seconds); a missing model exits 1."""
    from lgkg.extract.model import ModelNotInstalled

    click.echo("loading the extraction model...", err=True)
    try:
        from lgkg.extract.pipeline import Extractor

        return Extractor()
    except ModelNotInstalled as err:
        raise _fail(str(err)) from err


def _single_document_only(paths: tuple[str, ...], **meta: str | None) -> None:
    from lgkg.ingest import plan

    given = [f"--{k}" for k, v in meta.items() if v is not None]
    if given and len(plan(paths)) != 1:
        raise click.UsageError(f"{', '.join(given)} apply to a single document only")


def _write_out(data: str | bytes, out: str | None) -> None:
    """Write a result to ``--out FILE`` or stdout."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if out and out != "-":
        Path(out).write_bytes(raw)
        click.echo(f"wrote {out}", err=True)
    else:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="lgkg")
def cli() -> None:
    """lgkg: a knowledge graph of UK local-government partnerships.

    Ingest press releases and news articles, then ask the graph who shares
    which service with whom, what it saves, and who said so, with the
    sentence every fact came from.

    \b
    Example:
        lgkg ingest examples/
        lgkg query --list
        lgkg query partners --param council=Lewisham
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@source_options
@click.option(
    "--batch-size",
    default=16,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Documents per extraction batch.",
)
@click.option("--force", is_flag=True, help="Re-extract documents that are unchanged.")
@store_option
def ingest(
    paths: tuple[str, ...],
    url: str | None,
    title: str | None,
    published: str | None,
    batch_size: int,
    force: bool,
    store_path: str | None,
) -> None:
    """Add documents (files, folders, URLs) to the store.

    Each document becomes one named graph; re-ingesting a document replaces
    it, and an unchanged one is skipped. A document that cannot be read is
    reported, the others go on, and the command exits 1 at the end.

    \b
    Example:
        lgkg ingest examples/
        lgkg ingest notes.txt --url https://example.org/news/1 --published 2016-04-01
    """
    from lgkg.ingest import ingest as run_ingest
    from lgkg.ingest import plan

    _single_document_only(paths, url=url, title=title, published=published)
    total = len(plan(paths))
    if not total:
        raise _fail(f"no documents (.txt, .md, .html) found in {' '.join(paths)}")
    bar = None
    if total > PROGRESS_THRESHOLD:
        from tqdm import tqdm

        bar = tqdm(total=total, file=sys.stderr, unit="doc", leave=False)

    def report(result) -> None:
        if bar is not None:
            bar.write(result.line(), file=sys.stderr)
            bar.update(1)
        else:
            click.echo(result.line(), err=True)

    with _open_store(store_path, write=True) as store:
        store.ensure_reference()
        summary = run_ingest(
            paths,
            store,
            _load_extractor,
            batch_size=batch_size,
            force=force,
            on_result=report,
            url=url,
            title=title,
            published=published,
        )
    if bar is not None:
        bar.close()
    click.echo(summary.text(), err=True)
    if summary.failures:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@source_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json", "turtle", "nquads")),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--out", metavar="FILE", help="Write to FILE instead of stdout.")
def extract(
    paths: tuple[str, ...],
    url: str | None,
    title: str | None,
    published: str | None,
    fmt: str,
    out: str | None,
) -> None:
    """Show what would be extracted, with evidence sentences, without writing.

    \b
    Example:
        lgkg extract press-release.txt
        lgkg extract examples/ --format json --out facts.json
    """
    from lgkg.extract.errors import BadInput
    from lgkg.extract.sources import iter_sources
    from lgkg.show import extraction_table, extractions_json, extractions_rdf

    _single_document_only(paths, url=url, title=title, published=published)
    kw = {k: v for k, v in (("url", url), ("title", title), ("published", published)) if v}
    sources, failed = [], []
    for item in iter_sources(paths, **kw):
        if isinstance(item, BadInput):
            click.echo(f"failed {item}", err=True)
            failed.append(item)
        else:
            sources.append(item)
    extractions = list(_load_extractor().extract_many(sources)) if sources else []
    if fmt == "table":
        text = "\n\n".join(extraction_table(x) for x in extractions) + "\n"
    elif fmt == "json":
        text = extractions_json(extractions)
    else:
        text = extractions_rdf(extractions, fmt)
    _write_out(text, out)
    if failed:
        click.echo(f"{len(failed)} of {len(failed) + len(sources)} documents failed", err=True)
        sys.exit(1)


@cli.command()
@click.argument("doc", metavar="DOC")
@store_option
def retract(doc: str, store_path: str | None) -> None:
    """Remove a document and everything extracted from it.

    DOC is the document's IRI, its 16-hex id, the URL it was ingested from,
    or its file (read the same way ingest reads it).

    \b
    Example:
        lgkg retract examples/lewisham-brent.txt
        lgkg retract https://w3id.org/lgkg/id/doc/0123456789abcdef
    """
    from lgkg.extract.errors import BadInput
    from lgkg.retract import doc_graph

    try:
        graph = doc_graph(doc)
    except BadInput as err:
        raise _fail(str(err)) from err
    with _open_store(store_path, write=True) as store:
        before = store.count()
        if not store.drop_graph(graph):
            raise _fail(f"{doc}: no such document in the store ({graph})")
        removed = before - store.count()
    click.echo(f"retracted {doc}: {removed} triples removed ({graph})", err=True)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint="--param")
        params[key.strip()] = val
    return params


def _query_list() -> tuple[list[str], list[list[str]]]:
    from lgkg.queries.named import list_queries

    rows = [
        [q.name, " ".join(p.name + ("" if p.required else "?") for p in q.params), q.title]
        for q in list_queries()
    ]
    return ["name", "params", "title"], rows


@cli.command()
@click.argument("name", required=False)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A query parameter (repeatable), e.g. council=Lewisham.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ROW_FORMATS),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries and their parameters.")
@store_option
def query(
    name: str | None, params: tuple[str, ...], fmt: str, list_: bool, store_path: str | None
) -> None:
    """Run a named query (see --list); parameters are bound, never pasted in.

    \b
    Example:
        lgkg query --list
        lgkg query events --format csv
        lgkg query partners --param council=Lewisham
        lgkg query provenance --param subject=https://w3id.org/lgkg/id/event/0123456789abcdef-1
    """
    from lgkg.queries.named import QueryError, bind_params, get_query, run_query

    if list_:
        write_rows(*_query_list(), fmt, sys.stdout)
        return
    if not name:
        columns, rows = _query_list()
        raise click.UsageError("give a query NAME or --list; queries:\n" + _names(rows))
    try:
        named = get_query(name)
    except KeyError:
        known = _names(_query_list()[1])
        raise click.UsageError(f"no query named {name!r}; queries:\n{known}") from None
    raw = _parse_params(params)
    try:
        bind_params(named, raw)  # usage errors before the store is opened
    except QueryError as err:
        raise click.UsageError(str(err)) from err
    with _open_store(store_path) as store:
        try:
            columns, rows = run_query(store, name, raw)
        except ValueError as err:
            raise _fail(f"query {name} failed: {err}") from err
    write_rows(columns, rows, fmt, sys.stdout)


def _names(rows: list[list[str]]) -> str:
    return "\n".join(f"  {r[0]:<22} {r[1]:<12} {r[2]}" for r in rows)


@cli.command()
@click.argument("query_or_file", metavar="QUERY_OR_FILE")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(SPARQL_FORMATS),
    default="table",
    show_default=True,
    help="table/csv/json/tsv/xml for SELECT and ASK; turtle/ntriples for CONSTRUCT.",
)
@store_option
def sparql(query_or_file: str, fmt: str, store_path: str | None) -> None:
    """Run a SPARQL query given as text, a .rq file, or '-' for stdin.

    The common prefixes (lgkg, id, org, prov, time, skos, schema, dcterms,
    owl, rdf, rdfs, xsd) need no PREFIX line.

    \b
    Example:
        lgkg sparql 'SELECT ?e WHERE { GRAPH ?g { ?e a lgkg:PartnershipEvent } }'
        lgkg sparql my-query.rq --format csv
        echo 'ASK { GRAPH ?g { ?s ?p ?o } }' | lgkg sparql -
    """
    if query_or_file == "-":
        text = sys.stdin.read()
    elif Path(query_or_file).is_file():
        text = Path(query_or_file).read_text(encoding="utf-8")
    else:
        text = query_or_file
    with _open_store(store_path) as store:
        try:
            if fmt != "table":
                _write_out(store.query_raw(text, fmt), None)
                return
            try:
                columns, rows = store.select(text)
            except ValueError as err:
                if "needs a SELECT" not in str(err):
                    raise
                _write_out(_non_select_text(store, text), None)
                return
        except ValueError as err:
            raise _fail(f"query failed: {err}") from err
    write_rows(columns, rows, "table", sys.stdout)


def _non_select_text(store: Any, text: str) -> bytes:
    """An ASK's answer, or a CONSTRUCT/DESCRIBE result as Turtle."""
    try:
        return b"true\n" if store.ask(text) else b"false\n"
    except ValueError:
        return store.query_raw(text, "turtle")


@cli.command()
@store_option
def stats(store_path: str | None) -> None:
    """Counts only: documents, triples, councils, partnerships, events, savings, quotes.

    councils counts the UK councils that take part in at least one event.

    \b
    Example:
        lgkg stats
    """
    from lgkg.stats import format_stats, store_stats

    with _open_store(store_path) as store:
        click.echo(format_stats(store_stats(store)))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="trig",
    show_default=True,
    help="trig/nquads keep the named graphs; turtle merges them.",
)
@click.option("--out", metavar="FILE", help="Write to FILE instead of stdout.")
@store_option
def export(fmt: str, out: str | None, store_path: str | None) -> None:
    """Write the whole store as RDF.

    \b
    Example:
        lgkg export --format nquads --out lgkg.nq
        lgkg export --format turtle | head
    """
    with _open_store(store_path) as store:
        _write_out(store.dump(fmt), out)


@cli.command()
@store_option
def validate(store_path: str | None) -> None:
    """Check the store against the SHACL shapes (exit 0 conforms, 1 violations, 2 error).

    \b
    Example:
        lgkg validate
    """
    from lgkg.validate import validate_store

    try:
        with _open_store(store_path) as store:
            conforms, report = validate_store(store)
    except click.ClickException as err:
        err.exit_code = 2
        raise
    except Exception as err:  # pySHACL or the shapes failed: not a verdict on the data
        click.echo(f"Error: validation could not run: {type(err).__name__}: {err}", err=True)
        sys.exit(2)
    if conforms:
        click.echo("conforms")
        return
    click.echo(report)
    sys.exit(1)


@cli.command()
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False), metavar="GOLD_DIR")
@click.option("--per-document", is_flag=True, help="Also show each document's scores.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def evaluate(gold_dir: str, per_document: bool, as_json: bool) -> None:
    """Precision, recall and F1 of extraction against gold files (*.gold.json).

    Each text beside a NAME.gold.json file (NAME.txt, .html, ...) is
    extracted (nothing is stored) and scored as SPEC.md describes.

    \b
    Example:
        lgkg evaluate ../shared/corpus/dev
        lgkg evaluate ../shared/corpus/dev --per-document
    """
    from lgkg.evaluation import evaluate_dir

    try:
        text = evaluate_dir(
            Path(gold_dir), _load_extractor, per_document=per_document, as_json=as_json
        )
    except (ValueError, OSError) as err:
        raise _fail(str(err)) from err
    click.echo(text)


main = cli

if __name__ == "__main__":
    main()
