"""The researchers' commands: ``lgkg network`` and ``lgkg serve`` (added to the ``lgkg`` group).

Thin click wrappers over :mod:`lgkg.network` and :mod:`lgkg.server`.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from lgkg.extract.vocabulary import PROPOSED, STATUSES
from lgkg.graph.sparql_scan import QueryLimits
from lgkg.output import ROW_FORMATS, format_option, write_rows
from lgkg.server import defaults
from lgkg.store_options import open_store_for_cli, store_option

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--as-of", metavar="DATE", help="The network at a date (YYYY, YYYY-MM or YYYY-MM-DD)."
)
@click.option(
    "--min-status",
    type=click.Choice(STATUSES),
    default=PROPOSED,
    show_default=True,
    help="Leave out memberships weaker than this.",
)
@click.option(
    "--path",
    "chain",
    nargs=2,
    metavar="A B",
    help="Print the shortest chain of shared partnerships from council A to council B.",
)
@click.option("--top", type=click.IntRange(1), metavar="N", help="Print only the first N councils.")
@format_option(ROW_FORMATS, "table", "Output format of the council table (or the chain).")
@click.option("--graphml", metavar="FILE", help="Write the network as GraphML.")
@click.option("--gexf", metavar="FILE", help="Write the network as GEXF (Gephi).")
@click.option("--json", "json_file", metavar="FILE", help="Write node-link JSON (d3, networkx).")
@click.option("--png", metavar="FILE", help="Draw the network as a PNG picture.")
@click.option("--svg", metavar="FILE", help="Draw the network as an SVG picture.")
@store_option
def network(
    as_of: str | None,
    min_status: str,
    chain: tuple[str, str] | None,
    top: int | None,
    fmt: str,
    graphml: str | None,
    gexf: str | None,
    json_file: str | None,
    png: str | None,
    svg: str | None,
    store_path: str | None,
) -> None:
    """The network of councils linked by shared partnerships (networkx).

    Councils are nodes; two are linked when both formed or joined the same
    partnership, weighted by how many they share, with the service areas on
    the link. Prints each council's degree, weighted degree, betweenness,
    community and component, most connected first; a summary goes to stderr.

    \b
    Example:
        lgkg network --top 10
        lgkg network --as-of 2018-04-01 --png network.png
        lgkg network --path Brent Southwark
        lgkg network --graphml councils.graphml --gexf councils.gexf --json councils.json
    """
    from lgkg import network as net

    with open_store_for_cli(store_path) as store:
        try:
            graph = net.build_network(store, as_of, min_status)
        except ValueError as err:
            raise click.UsageError(str(err)) from err
    click.echo(net.summary(graph), err=True)
    for path, write in (
        (graphml, net.write_graphml),
        (gexf, net.write_gexf),
        (json_file, net.write_json),
        (png, _draw),
        (svg, _draw),
    ):
        if path:
            write(graph, path)
            click.echo(f"wrote {path}", err=True)
    if chain:
        try:
            source, target = (net.resolve_council(graph, name) for name in chain)
            columns, rows = net.chain_rows(graph, net.shortest_chain(graph, source, target))
        except net.NetworkError as err:
            raise click.ClickException(str(err)) from err
        write_rows(columns, rows, fmt, sys.stdout)
        return
    columns, rows = net.node_rows(graph)
    write_rows(columns, rows[:top] if top else rows, fmt, sys.stdout)


def _draw(graph: Any, path: str) -> None:
    from lgkg.network_draw import draw

    try:
        draw(graph, path)
    except ValueError as err:
        raise click.UsageError(str(err)) from err


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--store",
    "store_path",
    envvar="LGKG_STORE",
    metavar="PATH",
    help="The store folder (env LGKG_STORE; default: the user data dir's lgkg/store; "
    "':memory:' serves a new empty store).",
)
@click.option(
    "--enable-update",
    is_flag=True,
    help="Accept SPARQL Update at /sparql and the Graph Store Protocol at /store "
    "(needs --token; opens the store for writing).",
)
@click.option(
    "--token",
    envvar="LGKG_TOKEN",
    metavar="TOKEN",
    help="The bearer token updates must carry (env LGKG_TOKEN).",
)
@click.option(
    "--timeout",
    default=defaults.TIMEOUT,
    show_default=True,
    type=click.FloatRange(0.1),
    help="Seconds a query may run before the client gets 503.",
)
@click.option(
    "--max-rows",
    default=defaults.MAX_ROWS,
    show_default=True,
    type=click.IntRange(1),
    help="Most result rows (or triples) one query returns.",
)
@click.option(
    "--in-memory",
    is_flag=True,
    help="Serve a read-only copy of the store loaded into memory: list queries run several "
    "times faster; needs about the store folder's size in RAM and sees no later ingest.",
)
@click.option(
    "--workers",
    default=defaults.WORKERS,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes for queries of any length (with --enable-update: one).",
)
@click.option(
    "--fast-lanes",
    default=defaults.FAST_LANES,
    show_default=True,
    type=click.IntRange(0, 16),
    help="More workers kept for short queries, so slow ones cannot hold up cheap ones.",
)
@click.option(
    "--fast-seconds",
    default=defaults.FAST_SECONDS,
    show_default=True,
    type=click.FloatRange(0.05),
    help="How long a query may run in a fast lane before it moves to a general worker.",
)
@click.option(
    "--max-depth",
    default=QueryLimits.max_depth,
    show_default=True,
    type=click.IntRange(1, 1000),
    help="Deepest nesting of {}, () and [] a query may have.",
)
@click.option(
    "--max-chain",
    default=QueryLimits.max_chain,
    show_default=True,
    type=click.IntRange(1, 5000),
    help="Most operators (&&, +, /, UNION ...) a query may chain at one level.",
)
@click.option(
    "--max-values",
    default=QueryLimits.max_values,
    show_default=True,
    type=click.IntRange(1),
    help="Most values in one VALUES block.",
)
@click.option(
    "--max-query-bytes",
    default=QueryLimits.max_bytes,
    show_default=True,
    type=click.IntRange(1),
    help="Longest query or update text, in bytes.",
)
@click.option(
    "--max-body-bytes",
    default=defaults.MAX_BODY_BYTES,
    show_default=True,
    type=click.IntRange(1),
    help="Largest request body (413 beyond it), Graph Store uploads included.",
)
@click.option(
    "--max-result-bytes",
    default=defaults.MAX_RESULT_BYTES,
    show_default=True,
    type=click.IntRange(1),
    help="Largest result a query may return (400 beyond it).",
)
@click.option(
    "--worker-memory",
    "worker_memory_mb",
    default=defaults.WORKER_MEMORY_MB,
    show_default=True,
    type=click.IntRange(0),
    metavar="MB",
    help="Memory one query may take in its worker, over the open store (0: no cap).",
)
def serve(
    host: str,
    port: int,
    store_path: str | None,
    enable_update: bool,
    token: str | None,
    timeout: float,
    max_rows: int,
    in_memory: bool,
    workers: int,
    fast_lanes: int,
    fast_seconds: float,
    max_depth: int,
    max_chain: int,
    max_values: int,
    max_query_bytes: int,
    max_body_bytes: int,
    max_result_bytes: int,
    worker_memory_mb: int,
) -> None:
    """Serve the store: a SPARQL 1.1 endpoint at /sparql and a query page at /.

    Read-only unless started with --enable-update and a token: then /sparql
    also takes SPARQL Update and /store serves the Graph Store HTTP
    Protocol, both only for requests with "Authorization: Bearer TOKEN".
    Stop lgkg ingest while serving a store folder (or serve a copy).

    \b
    Example:
        lgkg serve
        lgkg serve --port 8000 --timeout 10 --max-rows 5000
        lgkg serve --in-memory
        LGKG_TOKEN=s3cret lgkg serve --enable-update
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' \\
            http://127.0.0.1:7878/sparql
    """
    from lgkg.graph.store import StoreError, default_store_path
    from lgkg.server import ServerConfig, open_served_store
    from lgkg.server import serve as run_server

    if enable_update and not token:
        raise click.UsageError("--enable-update needs --token TOKEN (or LGKG_TOKEN)")
    if token and not enable_update:
        click.echo("note: --token has no effect without --enable-update", err=True)
    if in_memory and enable_update:
        raise click.UsageError("--in-memory serves a read-only copy: drop --enable-update")
    path = store_path or str(default_store_path())
    try:
        store = open_served_store(path, writable=enable_update, in_memory=in_memory)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    config = ServerConfig(
        store,
        enable_update=enable_update,
        token=token if enable_update else None,
        timeout=timeout,
        max_rows=max_rows,
        workers=workers,
        limits=QueryLimits(max_query_bytes, max_depth, max_chain, max_values),
        max_body_bytes=max_body_bytes,
        max_result_bytes=max_result_bytes,
        fast_lanes=fast_lanes,
        fast_seconds=fast_seconds,
        worker_memory_mb=worker_memory_mb,
    )
    mode = "read-write (updates need the token)" if enable_update else "read-only"
    if in_memory:
        mode = f"read-only copy in memory, {store.count():,} triples"
    click.echo(f"serving {path} ({mode}) at http://{host}:{port}/sparql and /", err=True)
    with store:
        run_server(config, host, port)


COMMANDS = (network, serve)
