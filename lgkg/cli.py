"""The ``lgkg`` command line: thin click commands over the library.

Results go to stdout, progress and messages to stderr. Exit codes: 0 ok,
1 a document or query failed (the message says which and why), 2 usage error.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import click

from lgkg import __version__
from lgkg.output import ROW_FORMATS, format_option, printable, write_rows
from lgkg.store_options import StoreErrorGroup, store_option
from lgkg.store_options import open_store_for_cli as _open_store

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
SPARQL_FORMATS = ("table", "csv", "json", "tsv", "xml", "turtle", "ntriples")
EXPORT_FORMATS = ("trig", "nquads", "turtle", "jsonld")


def source_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--url``, ``--title``, ``--published``: metadata for a single document."""
    for name, text in (
        ("--published", "Publication date (ISO or '1 April 2016') of a single document."),
        ("--title", "Title of a single document."),
        ("--url", "URL of a single document (names it: re-ingest by URL replaces it)."),
    ):
        f = click.option(name, default=None, help=text)(f)
    return f


allow_private_option = click.option(
    "--allow-private",
    is_flag=True,
    help="Also fetch URLs (and redirects) on private, loopback, link-local and other"
    " non-public addresses; without it they are refused.",
)


def _fail(message: str) -> click.ClickException:
    return click.ClickException(message)


def _load_extractor():
    """The extractor (loads the spaCy model: a few seconds); a missing model exits 1."""
    from lgkg.extract.model import ModelNotInstalled

    click.echo("loading the extraction model...", err=True)
    try:
        from lgkg.extract.pipeline import Extractor

        extractor = Extractor()
    except ModelNotInstalled as err:
        raise _fail(str(err)) from err
    # The model, the gazetteer and the modules live as long as the command: the garbage
    # collector need not walk them again at each full pass over the documents' objects.
    gc.freeze()
    return extractor


def _dask_client(address: str):
    """A client of the Dask scheduler at ``address``; exits 1 saying why if there is none."""
    from lgkg.distributed import DaskError, connect

    try:
        client = connect(address)
    except DaskError as err:
        raise _fail(str(err)) from err
    workers = len(client.nthreads())
    click.echo(f"extracting on the Dask cluster at {address} ({workers} workers)", err=True)
    return client


def _write_out(data: str | bytes, out: str | None) -> None:
    """Write a result to ``--out FILE`` or stdout."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if out and out != "-":
        Path(out).write_bytes(raw)
        click.echo(printable(f"wrote {out}"), err=True)
    else:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()


@click.group(cls=StoreErrorGroup, context_settings=CONTEXT_SETTINGS)
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


def batch_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """``--batch-size`` and ``--n-process``: how documents go through the pipeline."""
    f = click.option(
        "--n-process",
        default=1,
        show_default=True,
        type=click.IntRange(1, 64),
        help="Processes running the spaCy pipeline (each loads the model: ~0.5 GB).",
    )(f)
    return click.option(
        "--batch-size",
        default=16,
        show_default=True,
        type=click.IntRange(1, 1000),
        help="Documents per pipeline batch (and, for ingest, per store transaction).",
    )(f)


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@source_options
@batch_options
@click.option("--force", is_flag=True, help="Re-extract documents that are unchanged.")
@allow_private_option
@click.option(
    "--dask",
    "dask_address",
    metavar="SCHEDULER",
    envvar="LGKG_DASK",
    help="Extract on a Dask cluster: its scheduler's address, e.g. tcp://10.0.0.5:8786"
    " (or LGKG_DASK; needs pip install 'lgkg[dask]').",
)
@store_option
def ingest(
    paths: tuple[str, ...],
    url: str | None,
    title: str | None,
    published: str | None,
    batch_size: int,
    n_process: int,
    force: bool,
    allow_private: bool,
    dask_address: str | None,
    store_path: str | None,
) -> None:
    """Add documents (files, folders, URLs) to the store.

    Each document becomes one named graph; re-ingesting a document replaces
    it, and an unchanged one (same text, same extractor) is skipped, so an
    interrupted run picks up where it stopped. Documents are written one
    batch per transaction. A document that cannot be read is reported, the
    others go on, and the command exits 1 at the end. With --dask the
    documents are extracted on a Dask cluster (one pipeline per worker) and
    written here, one batch per transaction. URLs are fetched over http(s)
    only, every redirect checked before it is followed; an address that is
    not public (private, loopback, link-local, ...) is refused unless
    --allow-private.

    \b
    Example:
        lgkg ingest examples/
        lgkg ingest notes.txt --url https://example.org/news/1 --published 2016-04-01
        lgkg ingest corpus/ --batch-size 64 --n-process 2
        lgkg ingest corpus/ --dask tcp://10.0.0.5:8786
        lgkg ingest corpus/ --endpoint http://localhost:7878/query \\
            --update-endpoint http://localhost:7878/update --graph-store http://localhost:7878/store
    """
    from lgkg.batch import Batch, run_ingest

    batch = Batch.plan(paths, url=url, title=title, published=published)
    if dask_address and n_process > 1:
        raise click.UsageError("--n-process does not go with --dask: start more Dask workers")
    run_ingest(
        batch,
        lambda: _open_store(store_path, write=True),
        _load_extractor,
        batch_size=batch_size,
        n_process=n_process,
        force=force,
        allow_private=allow_private,
        dask_client=_dask_client(dask_address) if dask_address and batch.documents else None,
    )


@cli.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_URL...")
@source_options
@format_option(
    ("table", "json", "turtle", "nquads"),
    "table",
    "Output format (nquads: each document in its named graph, written as it is done).",
)
@click.option("--out", metavar="FILE", help="Write to FILE instead of stdout.")
@click.option(
    "--shard",
    metavar="I/N",
    help="Only the documents of shard I of N (1-based; a stable hash of the document id).",
)
@click.option(
    "--reference",
    is_flag=True,
    help="With nquads: also write the reference graph (councils, service areas; once per store).",
)
@allow_private_option
@batch_options
def extract(
    paths: tuple[str, ...],
    url: str | None,
    title: str | None,
    published: str | None,
    fmt: str,
    out: str | None,
    shard: str | None,
    reference: bool,
    allow_private: bool,
    batch_size: int,
    n_process: int,
) -> None:
    """Show what would be extracted, with evidence sentences, without writing.

    With --format nquads --out FILE --shard I/N, extraction of a large
    collection splits across machines, and any store's bulk loader takes
    the files (add --reference to one of them for the councils and service
    areas the queries need). Exported partnerships keep each document's own
    IRI; only ingest matches them across documents.

    \b
    Example:
        lgkg extract press-release.txt
        lgkg extract examples/ --format json --out facts.json
        lgkg extract corpus/ --format nquads --out part-1.nq --shard 1/4 --reference
        lgkg extract corpus/ --format nquads --out part-2.nq --shard 2/4
    """
    from lgkg.batch import Batch, Extractions
    from lgkg.graph.reference import reference_nquads
    from lgkg.scaleout import Shard, document_nquads
    from lgkg.show import extraction_table, extractions_json, extractions_rdf

    batch = Batch.plan(paths, url=url, title=title, published=published)
    try:
        part = Shard.parse(shard) if shard else None
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--shard") from err
    if reference and fmt != "nquads":
        raise click.UsageError("--reference goes with --format nquads")
    found = Extractions(
        batch,
        _load_extractor,
        shard=part,
        allow_private=allow_private,
        batch_size=batch_size,
        n_process=n_process,
    )
    if fmt == "nquads":
        with _output(out) as sink:
            if reference:
                sink.write(reference_nquads())
            for x in found:
                sink.write(document_nquads(x))
        if out and out != "-":
            click.echo(printable(f"wrote {out}"), err=True)
    else:
        done = list(found)
        if fmt == "table":
            text = "\n\n".join(extraction_table(x) for x in done) + "\n"
        else:
            text = extractions_json(done) if fmt == "json" else extractions_rdf(done, fmt)
        _write_out(text, out)
    if found.failed:
        click.echo(f"{len(found.failed)} of {found.seen} documents failed", err=True)
        sys.exit(1)


@contextmanager
def _output(out: str | None) -> Iterator[BinaryIO]:
    """``--out FILE`` (written whole or not at all) or stdout, as a binary stream."""
    if not out or out == "-":
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    target = Path(out)
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("wb") as sink:
            yield sink
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)


@cli.command()
@click.argument("doc", metavar="DOC")
@click.option(
    "--with-corrections",
    is_flag=True,
    help="Also drop the analysts' corrections of the document without asking.",
)
@store_option
def retract(doc: str, with_corrections: bool, store_path: str | None) -> None:
    """Remove a document and everything extracted from it.

    DOC is the document's IRI, its 16-hex id, the URL it was ingested from,
    or its file (read the same way ingest reads it). A document analysts
    corrected keeps its corrections graph unless you confirm (or pass
    --with-corrections): then both go, in one transaction.

    \b
    Example:
        lgkg retract examples/lewisham-brent.txt
        lgkg retract https://w3id.org/lgkg/id/doc/0123456789abcdef --with-corrections
    """
    from lgkg.extract.errors import BadInput
    from lgkg.graph.vocab import corrections_graph_iri
    from lgkg.retract import doc_graph
    from lgkg.retract import retract as retract_graph
    from lgkg.review_cli import confirm_retract

    try:
        graph = doc_graph(doc)
    except BadInput as err:
        raise _fail(printable(str(err))) from err
    with _open_store(store_path, write=True) as store:
        if not store.has_graph(graph):
            raise _fail(printable(f"{doc}: no such document in the store ({graph})"))
        corrections = str(corrections_graph_iri(graph.rsplit("/", 1)[-1]))
        also = store.has_graph(corrections) and confirm_retract(store, graph, doc, with_corrections)
        before = store.count()
        retract_graph(store, graph, [corrections] if also else [])
        removed = before - store.count()
    what = " (with its corrections)" if also else ""
    click.echo(printable(f"retracted {doc}{what}: {removed} triples removed ({graph})"), err=True)


@cli.command()
@store_option
def resolve(store_path: str | None) -> None:
    """Recompute which partnerships, across documents, are one.

    Every partnership entity is rebuilt from what the stored documents say
    (names, members, service areas, dates), as ingest and retract keep them:
    the same documents give the same entities whatever order they came in.
    Use it after loading document graphs in bulk (lgkg.open(...).load) or
    after upgrading lgkg.

    \b
    Example:
        lgkg resolve
    """
    from lgkg.graph.identity import resolve_store

    with _open_store(store_path, write=True) as store:
        descriptions, entities = resolve_store(store)
    click.echo(
        f"resolved {descriptions} partnership descriptions into {entities} partnerships", err=True
    )


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
@format_option(ROW_FORMATS, "table", "Output format.")
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
@format_option(
    SPARQL_FORMATS,
    "table",
    "table/csv/json/tsv/xml for SELECT and ASK; turtle/ntriples for CONSTRUCT.",
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
    elif _is_file(query_or_file):
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


def _is_file(text: str) -> bool:
    """Is ``text`` the path of a file (a long query is no path, and no error)?"""
    try:
        return Path(text).is_file()
    except (OSError, ValueError):  # too long for a file name, or a NUL in it
        return False


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
@format_option(EXPORT_FORMATS, "trig", "trig/nquads keep the named graphs; turtle merges them.")
@click.option("--out", metavar="FILE", help="Write to FILE instead of stdout.")
@click.option(
    "--gold",
    "gold_dir",
    metavar="DIR",
    help="Instead: write each corrected document to DIR as a gold file with its text beside it.",
)
@click.option(
    "--texts",
    multiple=True,
    metavar="PATH",
    help="With --gold: files or folders holding the documents' texts (repeatable).",
)
@click.option(
    "--fetch",
    is_flag=True,
    help="With --gold: fetch a document's URL again when no file under --texts has its text.",
)
@store_option
def export(
    fmt: str,
    out: str | None,
    gold_dir: str | None,
    texts: tuple[str, ...],
    fetch: bool,
    store_path: str | None,
) -> None:
    """Write the whole store as RDF, or (--gold DIR) the corrected documents as gold files.

    With --gold, every document an analyst corrected becomes NAME.txt (a
    front-matter block, then its text as ingest read it) and NAME.gold.json
    (its facts as corrected, in the corpus format of docs/contract.md), which
    lgkg train and lgkg evaluate read. A text is found under --texts by its
    file name and checked against the stored content hash, or fetched again
    from its URL with --fetch; a document whose text is not found is listed
    and the command exits 1.

    \b
    Example:
        lgkg export --format nquads --out lgkg.nq
        lgkg export --format turtle | head
        lgkg export --gold corrected/ --texts press-releases/
    """
    if gold_dir is None:
        if texts or fetch:
            raise click.UsageError("--texts and --fetch go with --gold DIR")
        with _open_store(store_path) as store:
            _write_out(store.dump(fmt), out)
        return
    from lgkg.corrections import export_gold

    with _open_store(store_path) as store:
        done = export_gold(store, gold_dir, texts, fetch=fetch)
    for path in done.written:
        click.echo(printable(f"wrote {path}"), err=True)
    for name, reason in done.missing:
        click.echo(printable(f"not written {name}: {reason}"), err=True)
    click.echo(f"{len(done.written)} gold files written, {len(done.missing)} not", err=True)
    if done.missing:
        sys.exit(1)


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
@click.argument(
    "gold_dir",
    required=False,
    type=click.Path(exists=True, file_okay=False),
    metavar="GOLD_DIR",
)
@click.option("--per-document", is_flag=True, help="Also show each document's scores.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option(
    "--cv",
    type=click.IntRange(0),
    default=0,
    metavar="K",
    help="Also score the learned decisions by K-fold cross-validation over the documents.",
)
@click.option(
    "--corrections",
    is_flag=True,
    help="Instead of GOLD_DIR: score the stored extraction of each corrected document against"
    " the analysts' corrections.",
)
@store_option
def evaluate(
    gold_dir: str | None,
    per_document: bool,
    as_json: bool,
    cv: int,
    corrections: bool,
    store_path: str | None,
) -> None:
    """Precision, recall and F1 of extraction against gold files (*.gold.json).

    Each text beside a NAME.gold.json file (NAME.txt, .html, ...) is
    extracted (nothing is stored) and scored as docs/contract.md
    ("Scoring") describes. With --cv K the decisions are also fitted on
    K-1 folds of the documents and scored on the fold left out, K times
    (needs the train extra). With --corrections (no GOLD_DIR) the facts
    extracted from each document an analyst corrected are scored against
    the facts as corrected, from the store (no model is loaded).

    \b
    Example:
        lgkg evaluate ../shared/corpus/dev
        lgkg evaluate ../shared/corpus/dev --per-document
        lgkg evaluate ../shared/corpus/dev --cv 5
        lgkg evaluate --corrections --store my-store
    """
    from lgkg.evaluation import evaluate_dir

    if corrections:
        if gold_dir is not None or cv:
            raise click.UsageError("--corrections scores the store: give no GOLD_DIR and no --cv")
        _evaluate_corrections(store_path, per_document, as_json)
        return
    if gold_dir is None:
        raise click.UsageError("give a GOLD_DIR, or --corrections to score against the store")
    try:
        text = evaluate_dir(
            Path(gold_dir), _load_extractor, per_document=per_document, as_json=as_json, cv=cv
        )
    except (ValueError, OSError, RuntimeError) as err:
        raise _fail(str(err)) from err
    click.echo(text)


def _evaluate_corrections(store_path: str | None, per_document: bool, as_json: bool) -> None:
    """``lgkg evaluate --corrections``: the report, or exit 1 when no document is corrected."""
    import json

    from lgkg.corrections import evaluate_corrections
    from lgkg.extract.evaluate import format_report

    with _open_store(store_path) as store:
        report = evaluate_corrections(store)
    if not report.documents:
        raise _fail("no document has corrections yet (lgkg correct ...)")
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        count = len(report.documents)
        click.echo(
            f"{count} corrected document{'' if count == 1 else 's'}: extraction against corrections"
        )
        click.echo(format_report(report, per_document=per_document))


@cli.command()
@click.argument(
    "corpus_dirs",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, file_okay=False),
    metavar="CORPUS_DIR...",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Where to write the models (default: the package's extract/data/decisions.json).",
)
def train(corpus_dirs: tuple[str, ...], out: str | None) -> None:
    """Fit the extractor's learned decisions on gold files and write them as JSON.

    Each CORPUS_DIR holds texts with NAME.gold.json files beside them. The
    same documents give the same file, byte for byte. Needs the train extra
    (pip install 'lgkg[train]': scikit-learn).

    \b
    Example:
        lgkg train ../shared/corpus/dev
        lgkg train ../shared/corpus/dev --out /tmp/decisions.json
    """
    from importlib.resources import files

    from lgkg.extract.decisions import MODEL_FILE
    from lgkg.train import train_command

    target = Path(out) if out else Path(str(files("lgkg.extract") / "data" / MODEL_FILE))
    try:
        decisions = train_command([Path(d) for d in corpus_dirs], target)
    except (ValueError, OSError, RuntimeError) as err:
        raise _fail(str(err)) from err
    click.echo(f"wrote {printable(str(target))} (trained on {decisions.trained_on})")


# The researchers' commands (lgkg network, lgkg serve) live in lgkg/research_cli.py, the
# analysts' (lgkg review, lgkg correct) in lgkg/review_cli.py.
from lgkg.research_cli import COMMANDS as _RESEARCH_COMMANDS  # noqa: E402
from lgkg.review_cli import COMMANDS as _REVIEW_COMMANDS  # noqa: E402

for _command in (*_RESEARCH_COMMANDS, *_REVIEW_COMMANDS):
    cli.add_command(_command)

main = cli

if __name__ == "__main__":
    main()
