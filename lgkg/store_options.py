"""Where a command's graph lives: the ``--store``/``--endpoint`` options every verb shares.

:func:`store_option` adds ``--store PATH``, ``--endpoint URL``,
``--update-endpoint URL`` and ``--graph-store URL`` to a click command; the
command receives ``store_path`` and calls :func:`open_store_for_cli`, which
also sees the endpoint options (kept in the click context's ``meta``) and
the environment (``LGKG_STORE``, ``LGKG_ENDPOINT``, ``LGKG_UPDATE_ENDPOINT``,
``LGKG_GRAPH_STORE``). Any module defining commands can use both.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

#: Where the endpoint options are kept for :func:`open_store_for_cli` (click's ``meta``).
REMOTE_META = "lgkg.remote_store"
REMOTE_OPTIONS = (
    ("--endpoint", "endpoint", "A SPARQL 1.1 query endpoint to use instead of a store folder"),
    ("--update-endpoint", "update_endpoint", "Its SPARQL Update endpoint, if another URL"),
    ("--graph-store", "graph_store", "Its Graph Store Protocol endpoint (writes use it if given)"),
)


class StoreErrorGroup(click.Group):
    """A command group that reports a store failing mid-command as an error (exit 1)."""

    def invoke(self, ctx: click.Context) -> Any:
        from lgkg.graph.store import StoreError

        try:
            return super().invoke(ctx)
        except StoreError as err:
            raise click.ClickException(str(err)) from err


def _remember_remote(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.meta.setdefault(REMOTE_META, {})[param.name] = value


def store_option(f: Callable[..., Any]) -> Callable[..., Any]:
    """Where the graph lives: ``--store PATH`` or ``--endpoint URL`` (+ update, graph store).

    The command gets ``store_path``; the endpoint options are kept in the
    click context for :func:`open_store_for_cli`, so every command that takes
    ``--store`` takes the remote options too. Environment: ``LGKG_STORE``,
    ``LGKG_ENDPOINT``, ``LGKG_UPDATE_ENDPOINT``, ``LGKG_GRAPH_STORE``.
    """
    for flag, name, text in reversed(REMOTE_OPTIONS):
        env = "LGKG_" + name.upper()
        f = click.option(
            flag,
            name,
            metavar="URL",
            expose_value=False,
            callback=_remember_remote,
            help=f"{text} (env {env}).",
        )(f)
    return click.option(
        "--store",
        "store_path",
        metavar="PATH",
        help="The store folder (env LGKG_STORE; default: the user data dir's lgkg/store).",
    )(f)


def _remote_options() -> dict[str, str]:
    ctx = click.get_current_context(silent=True)
    return dict(ctx.meta.get(REMOTE_META, {})) if ctx is not None else {}


def open_store_for_cli(store_path: str | None, *, write: bool = False):
    """Open the store ``--store``/``--endpoint`` (or the environment) names.

    Reading a local store that does not exist is an error with a hint;
    ``--store`` with ``--endpoint``, or an update or graph-store URL without
    a query endpoint, is a usage error.
    """
    from lgkg.graph.store import StoreError, default_store_path, open_store

    remote = _remote_options()
    if store_path is not None and "endpoint" in remote:
        raise click.UsageError("give --store or --endpoint, not both")
    is_remote = "endpoint" in remote or (store_path is None and os.environ.get("LGKG_ENDPOINT"))
    if not is_remote and remote:
        flag = "--" + next(iter(remote)).replace("_", "-")
        raise click.UsageError(f"{flag} needs --endpoint (a SPARQL query endpoint)")
    if not is_remote:
        path = store_path or str(default_store_path())
        if not write and path != ":memory:" and not Path(path).exists():
            raise click.ClickException(
                f"no store at {path}: ingest documents first (lgkg ingest PATH) or pass --store"
            )
        store_path = path
    try:
        return open_store(
            store_path,
            read_only=not write and store_path != ":memory:",
            **remote,
        )
    except StoreError as err:
        raise click.ClickException(str(err)) from err
