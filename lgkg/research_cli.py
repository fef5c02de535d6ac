"""The researchers' commands: ``lgkg network`` and ``lgkg serve`` (added to the ``lgkg`` group).

Thin click wrappers over :mod:`lgkg.network` and :mod:`lgkg.server`.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from lgkg.output import ROW_FORMATS, write_rows
from lgkg.store_options import open_store_for_cli, store_option

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--as-of", metavar="DATE", help="The network at a date (YYYY, YYYY-MM or YYYY-MM-DD)."
)
@click.option(
    "--min-status",
    type=click.Choice(("proposed", "agreed", "done")),
    default="proposed",
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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ROW_FORMATS),
    default="table",
    show_default=True,
    help="Output format of the council table (or the chain).",
)
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
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.1),
    help="Seconds a query may run before the client gets 503.",
)
@click.option(
    "--max-rows",
    default=10_000,
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
    default=4,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Queries evaluated at the same time.",
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
    )
    mode = "read-write (updates need the token)" if enable_update else "read-only"
    if in_memory:
        mode = f"read-only copy in memory, {store.count():,} triples"
    click.echo(f"serving {path} ({mode}) at http://{host}:{port}/sparql and /", err=True)
    with store:
        run_server(config, host, port)


COMMANDS = (network, serve)
