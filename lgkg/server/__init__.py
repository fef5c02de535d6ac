"""``lgkg serve``: a SPARQL 1.1 Protocol endpoint and a query page over an Oxigraph store.

The application is a small Starlette ASGI app run by uvicorn: a real HTTP/1.1
server with keep-alive, whose event loop keeps answering (CORS preflights,
the page, the timeout's 503) while queries run in worker processes that
are killed at the deadline (see :mod:`lgkg.server.pool`).

The application is imported on first use, so ``lgkg --help`` and the
command line's defaults (:mod:`lgkg.server.defaults`) stay quick to load.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgkg.graph.store import OxigraphStore, StoreError

if TYPE_CHECKING:
    from lgkg.server.app import ServerConfig, create_app

__all__ = ["ServerConfig", "create_app", "open_served_store", "serve"]


def __getattr__(name: str) -> Any:
    if name in ("ServerConfig", "create_app"):
        from lgkg.server import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_served_store(path: str, *, writable: bool, in_memory: bool = False) -> OxigraphStore:
    """The store to serve: read-only unless updates are enabled; ``:memory:`` is a new empty one.

    Reading a store folder that another process writes (``lgkg ingest``) is
    undefined in Oxigraph: stop the writer, or serve a copy. ``in_memory``
    serves a read-only copy of the folder loaded into memory (faster queries;
    the folder is closed again, so ingest may go on writing to it).
    """
    if path == ":memory:":
        return OxigraphStore(None)
    if not writable and not Path(path).exists():
        raise StoreError(f"no store at {path}: ingest documents first (lgkg ingest PATH)")
    if in_memory:
        if writable:
            raise StoreError("an in-memory copy is read-only: it cannot take updates")
        with OxigraphStore(path, read_only=True) as disk:
            return disk.in_memory_copy()
    store = OxigraphStore(path, read_only=not writable)
    if writable:
        store.ensure_reference()
    return store


def serve(config: ServerConfig, host: str = "127.0.0.1", port: int = 7878) -> None:
    """Serve until interrupted (Ctrl-C)."""
    import uvicorn

    from lgkg.server.app import create_app

    uvicorn.run(create_app(config), host=host, port=port, log_level="info")
