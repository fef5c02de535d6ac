"""Where the graph lives: one small interface over Oxigraph, rdflib or a SPARQL server.

Every document is one named graph (MODEL.md); writers replace or drop whole
graphs, readers run SPARQL. Three backends implement :class:`Store`:

- :class:`OxigraphStore`: pyoxigraph on disk, the default;
- :class:`MemoryStore`: an rdflib ``Dataset`` in memory, for tests and small jobs;
- :class:`~lgkg.graph.remote.RemoteStore`: any SPARQL 1.1 server over HTTP
  (``--endpoint``); :func:`open_store` picks one.

Results come back as rdflib terms whichever backend answers.

>>> from rdflib import Graph, Literal, URIRef
>>> g = Graph()
>>> g.add((URIRef("https://example.org/a"), URIRef("https://example.org/p"), Literal("x")))
<Graph identifier=... (<class 'rdflib.graph.Graph'>)>
>>> with MemoryStore() as store:
...     store.replace_graph("https://example.org/g", g)
...     store.select("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
(['o'], [[rdflib.term.Literal('x')]])
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

# the interface (lgkg.graph.base) and the formats (lgkg.graph.formats), importable from here
from lgkg.graph.base import (
    PREFIXES,
    Rows,
    Store,
    StoreError,
    _BaseStore,
    _dedupe,
    _ox_union,
    _sorted_lines,
    column_indexes,
)
from lgkg.graph.base import REFERENCE_VERSION_PREDICATE as REFERENCE_VERSION_PREDICATE
from lgkg.graph.base import StoreUnavailable as StoreUnavailable
from lgkg.graph.base import load_dataset as load_dataset
from lgkg.graph.formats import DUMP_FORMATS, RESULT_FORMATS, graph_format, store_graph_rdflib
from lgkg.graph.formats import GRAPH_FORMATS as GRAPH_FORMATS
from lgkg.graph.sparql_scan import check_limits
from lgkg.graph.terms import ntriples_body, rdflib_rows, to_ox, to_ox_quads, unmarked

#: An on-disk store is flushed after this many triples written, so a bulk ingest's
#: memory stays flat (without it, RocksDB's write buffers grow with the run).
FLUSH_EVERY = 20_000


class StoreLockedError(StoreError):
    """Another process holds the store open for writing."""


def replace_update(graphs: Mapping[str, Sequence[ox.Quad]]) -> str:
    """One SPARQL Update that drops each graph and inserts its quads.

    Blank nodes keep their labels: callers give fresh ones
    (:func:`~lgkg.graph.terms.to_ox_quads`, :func:`named_graph_quads`).

    >>> from rdflib import Literal, URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://x.org/s"), URIRef("https://x.org/p"), Literal("o")))
    >>> print(replace_update({"https://x.org/g": list(to_ox_quads("https://x.org/g", g))}))
    DROP SILENT GRAPH <https://x.org/g> ;
    INSERT DATA {
    GRAPH <https://x.org/g> {
    <https://x.org/s> <https://x.org/p> "o" .
    }
    }
    """
    drops = []
    inserts = []
    for graph_iri, quads in graphs.items():
        name = ox.NamedNode(graph_iri)
        drops.append(f"DROP SILENT GRAPH {name}")
        if quads:
            inserts.append(f"GRAPH {name} {{\n{ntriples_body(quads)}\n}}")
    update = " ;\n".join(drops)
    if inserts:
        update += " ;\nINSERT DATA {\n" + "\n".join(inserts) + "\n}"
    return update


def named_graph_quads(data: bytes) -> dict[str, list[ox.Quad]]:
    """The quads of N-Quads ``data`` by named graph, blank nodes relabelled fresh.

    Default-graph quads are left out; ValueError if ``data`` is not N-Quads.

    >>> data = b'<https://x.org/s> <https://x.org/p> _:b1 <https://x.org/g> .\\n'
    >>> groups = named_graph_quads(data)
    >>> list(groups), groups["https://x.org/g"][0].object.value != "b1"
    (['https://x.org/g'], True)
    """
    fresh: dict[ox.BlankNode, ox.BlankNode] = {}

    def relabel(term):
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term, ox.BlankNode())
        return term

    groups: dict[str, list[ox.Quad]] = {}
    try:
        for q in ox.parse(data, format=ox.RdfFormat.N_QUADS):
            if isinstance(q.graph_name, ox.NamedNode):
                quad = ox.Quad(relabel(q.subject), q.predicate, relabel(q.object), q.graph_name)
                groups.setdefault(q.graph_name.value, []).append(quad)
    except SyntaxError as err:
        raise ValueError(f"invalid N-Quads: {err}") from err
    return groups


def _tsv_term(term: Node | None) -> str:
    return "" if term is None else term.n3()


class OxigraphStore(_BaseStore):
    """An embedded Oxigraph store on disk (or in memory when ``path`` is None).

    ``read_only=True`` opens an existing store for reading only; per Oxigraph,
    reading while another process writes is undefined, so serve a copy instead.
    ``union_default_graph`` makes the default graph of ad-hoc queries the union
    of all graphs (named queries do not need it: they use GRAPH patterns).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        read_only: bool = False,
        union_default_graph: bool = True,
    ):
        self.path = None if path is None else Path(path)
        self.read_only = read_only
        self.union_default_graph = union_default_graph
        self._unflushed = 0
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                if not self.path.exists():
                    raise StoreError(f"no store at {self.path}")
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as err:
            if "lock" in str(err).lower():
                raise StoreLockedError(
                    f"store {self.path} is in use by another lgkg process"
                ) from err
            raise StoreError(f"cannot open store {self.path}: {err}") from err

    def __repr__(self) -> str:
        return f"OxigraphStore({str(self.path) if self.path else None!r})"

    def in_memory_copy(self) -> OxigraphStore:
        """A read-only copy of this store held in memory, for serving queries.

        Oxigraph answers queries that read many rows several times faster from
        memory than from its on-disk store; the copy needs about as much RAM as
        the store's folder takes on disk, and it does not see later writes.

        >>> with OxigraphStore() as store, store.in_memory_copy() as copy:
        ...     copy.count() == store.count(), copy.read_only
        (True, True)
        """
        copy = OxigraphStore(None)
        copy.native.bulk_extend(self.native.quads_for_pattern(None, None, None, None))
        copy.read_only = True
        return copy

    @property
    def query_plan(self) -> str | None:
        """The kind of store for query plans (:mod:`lgkg.queries.named`): an on-disk store
        answers list queries faster in another shape; in memory the plain texts are best."""
        return "oxigraph-disk" if self.path is not None else None

    @property
    def native(self) -> ox.Store:
        """The pyoxigraph ``Store`` itself, for code that speaks SPARQL over HTTP (the server)."""
        return self._store

    # -- writing ---------------------------------------------------------

    def replace_graphs(self, items: Iterable[tuple[str, Graph]]) -> None:
        """Replace the graphs in one transaction: one SPARQL Update (applied atomically by
        Oxigraph), or, when none of them is stored yet, one insertion of their quads."""
        self._check_writable()
        merged = _dedupe(items)
        self._replace({iri: list(to_ox_quads(iri, g)) for iri, g in merged.items()})

    def load_quads(self, data: bytes) -> list[str]:
        """Parse with pyoxigraph (no rdflib round trip) and replace the graphs in one update."""
        self._check_writable()
        groups = named_graph_quads(data)
        self._replace(groups)
        return sorted(groups)

    def _replace(self, groups: Mapping[str, Sequence[ox.Quad]]) -> None:
        if not groups:
            return
        try:
            if any(self._store.contains_named_graph(ox.NamedNode(iri)) for iri in groups):
                self._store.update(replace_update(groups))
            else:  # nothing to drop: add the quads as they are, in one transaction too
                self._store.extend([q for quads in groups.values() for q in quads])
            self._unflushed += sum(len(quads) for quads in groups.values())
            if self.path is not None and self._unflushed >= FLUSH_EVERY:
                self._store.flush()  # bounds memory in long runs (RocksDB memtables)
                self._unflushed = 0
        except OSError as err:
            raise StoreError(f"cannot write to store {self.path}: {err}") from err

    def drop_graph(self, graph_iri: str) -> bool:
        self._check_writable()
        existed = self.has_graph(graph_iri)
        name = ox.NamedNode(graph_iri)
        if self._store.contains_named_graph(name):
            self._store.remove_graph(name)
        return existed

    # -- reading ---------------------------------------------------------

    def has_graph(self, graph_iri: str) -> bool:
        name = ox.NamedNode(graph_iri)
        return next(iter(self._store.quads_for_pattern(None, None, None, name)), None) is not None

    def graph_value(self, graph_iri: str, predicate: str) -> str | None:
        name = ox.NamedNode(graph_iri)
        values = [
            q.object.value
            for q in self._store.quads_for_pattern(name, ox.NamedNode(predicate), None, name)
        ]
        return min(values) if values else None

    def _query(self, query: str, bindings: Mapping[str, Node] | None):
        check_limits(query)  # a query deeper than Oxigraph's stack would kill the process
        substitutions = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        try:
            return self._store.query(
                query,
                prefixes=PREFIXES,
                use_default_graph_as_union=self.union_default_graph,
                substitutions=substitutions or None,
            )
        except SyntaxError as err:
            raise ValueError(f"invalid SPARQL: {err}") from err
        except RuntimeError as err:  # e.g. a binding for a variable the query does not project
            raise ValueError(f"cannot run the query: {err}") from err

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        unmark: Collection[str] = (),
    ) -> tuple[list[str], Rows]:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        columns = [v.value for v in result.variables]
        # a solution iterates its values in column order
        rows = rdflib_rows(result, column_indexes(columns, unmark))
        return columns, rows

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryBoolean):
            raise ValueError("ask() needs an ASK query")
        return bool(result)

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QueryTriples):
            raise ValueError("construct() needs a CONSTRUCT or DESCRIBE query")
        return _ox_union(result)

    def query_raw(self, query: str, result_format: str) -> bytes:
        result = self._query(query, None)
        if isinstance(result, ox.QueryTriples):
            return ox.serialize(result, format=graph_format(result_format), prefixes=PREFIXES)
        if result_format not in RESULT_FORMATS:
            raise ValueError(
                f"unknown result format {result_format!r}; use one of {', '.join(RESULT_FORMATS)}"
            )
        return result.serialize(format=RESULT_FORMATS[result_format])

    def dump(self, fmt: str = "nquads") -> bytes:
        if fmt == "nquads":
            return _sorted_lines(self._store.dump(format=ox.RdfFormat.N_QUADS))
        if fmt == "trig":
            return self._store.dump(format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
        if fmt == "jsonld":
            return self._store.dump(format=ox.RdfFormat.JSON_LD)
        if fmt == "turtle":
            triples = (
                ox.Triple(q.subject, q.predicate, q.object)
                for q in self._store.quads_for_pattern(None, None, None)
            )
            return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        raise ValueError(f"unknown dump format {fmt!r}; use one of {', '.join(DUMP_FORMATS)}")

    def count(self) -> int:
        return len(self._store)

    def graphs(self) -> list[str]:
        return sorted(
            g.value
            for g in self._store.named_graphs()
            if isinstance(g, ox.NamedNode) and self.has_graph(g.value)
        )

    def close(self) -> None:
        """Flush writes and release the store's lock."""
        store = getattr(self, "_store", None)
        if store is None:
            return
        if not self.read_only and self.path is not None:
            store.flush()
        del self._store
        self._store = None  # type: ignore[assignment]


class MemoryStore(_BaseStore):
    """An rdflib ``Dataset`` in memory (``default_union=True`` for ad-hoc queries)."""

    def __init__(self) -> None:
        self._ds = Dataset(default_union=True)
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return "MemoryStore()"

    def replace_graphs(self, items: Iterable[tuple[str, Graph]]) -> None:
        merged = _dedupe(items)
        with self._lock:
            for graph_iri, triples in merged.items():
                name = URIRef(graph_iri)
                self._ds.remove_graph(name)
                if len(triples):
                    target = self._ds.graph(name)
                    target.addN((s, p, o, target) for s, p, o in triples)

    def drop_graph(self, graph_iri: str) -> bool:
        with self._lock:
            existed = self.has_graph(graph_iri)
            self._ds.remove_graph(URIRef(graph_iri))
            return existed

    def has_graph(self, graph_iri: str) -> bool:
        with self._lock:
            graph = self._ds.graph(URIRef(graph_iri))
            found = next(iter(graph.triples((None, None, None))), None) is not None
            if not found:
                self._ds.remove_graph(URIRef(graph_iri))
            return found

    def graph_value(self, graph_iri: str, predicate: str) -> str | None:
        with self._lock:
            if not self.has_graph(graph_iri):
                return None
            name = URIRef(graph_iri)
            values = [str(v) for v in self._ds.graph(name).objects(name, URIRef(predicate))]
            return min(values) if values else None

    def _query(self, query: str, bindings: Mapping[str, Node] | None):
        check_limits(query)
        with self._lock:
            try:
                return self._ds.query(query, initNs=PREFIXES, initBindings=dict(bindings or {}))
            except Exception as err:  # rdflib raises pyparsing errors for bad syntax
                if type(err).__name__ in ("ParseException", "ParseSyntaxException"):
                    raise ValueError(f"invalid SPARQL: {err}") from err
                raise

    def select(
        self,
        query: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        unmark: Collection[str] = (),
    ) -> tuple[list[str], Rows]:
        result = self._query(query, bindings)
        if result.type != "SELECT":
            raise ValueError("select() needs a SELECT query")
        columns = [str(v) for v in result.vars or []]
        marked = column_indexes(columns, unmark)
        rows = [
            [unmarked(row[i]) if i in marked else row[i] for i in range(len(columns))]
            for row in result
        ]
        return columns, rows

    def ask(self, query: str, bindings: Mapping[str, Node] | None = None) -> bool:
        result = self._query(query, bindings)
        if result.type != "ASK":
            raise ValueError("ask() needs an ASK query")
        return bool(result.askAnswer)

    def construct(self, query: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        result = self._query(query, bindings)
        if result.type not in ("CONSTRUCT", "DESCRIBE"):
            raise ValueError("construct() needs a CONSTRUCT or DESCRIBE query")
        graph = Graph()
        for triple in result.graph or ():
            graph.add(triple)
        return graph

    def query_raw(self, query: str, result_format: str) -> bytes:
        result = self._query(query, None)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            graph = Graph()
            for prefix, ns in PREFIXES.items():
                graph.bind(prefix, ns)
            for triple in result.graph or ():
                graph.add(triple)
            graph_format(result_format)
            return graph.serialize(format=store_graph_rdflib(result_format), encoding="utf-8")
        if result_format not in RESULT_FORMATS:
            raise ValueError(
                f"unknown result format {result_format!r}; use one of {', '.join(RESULT_FORMATS)}"
            )
        if result_format == "tsv" and result.type == "SELECT":
            out = io.StringIO()
            out.write("\t".join(f"?{v}" for v in result.vars or []) + "\n")
            for row in result:
                out.write("\t".join(_tsv_term(t) for t in row) + "\n")
            return out.getvalue().encode("utf-8")
        if result_format == "tsv":  # ASK
            return (b"true" if result.askAnswer else b"false") + b"\n"
        return result.serialize(format=result_format) or b""

    def dump(self, fmt: str = "nquads") -> bytes:
        with self._lock:
            if fmt == "nquads":
                return _sorted_lines(self._ds.serialize(format="nquads", encoding="utf-8"))
            if fmt == "trig":
                return self._bound(self._ds).serialize(format="trig", encoding="utf-8")
            if fmt == "jsonld":
                return self._ds.serialize(format="json-ld", encoding="utf-8")
            if fmt == "turtle":
                union = self._bound(Graph())
                for s, p, o, _g in self._ds.quads((None, None, None, None)):
                    union.add((s, p, o))
                return union.serialize(format="turtle", encoding="utf-8")
        raise ValueError(f"unknown dump format {fmt!r}; use one of {', '.join(DUMP_FORMATS)}")

    @staticmethod
    def _bound(graph: Graph) -> Graph:
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, override=True)
        return graph

    def count(self) -> int:
        with self._lock:
            return sum(1 for _ in self._ds.quads((None, None, None, None)))

    def graphs(self) -> list[str]:
        with self._lock:
            names = [
                str(g.identifier)
                for g in self._ds.graphs()
                if g.identifier != self._ds.default_graph.identifier and len(g)
            ]
            return sorted(names)


def default_store_path() -> Path:
    """``LGKG_STORE`` if set, else the user data directory's ``store`` folder."""
    env = os.environ.get("LGKG_STORE")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("lgkg")) / "store"


def open_store(
    path: str | os.PathLike[str] | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    graph_store: str | None = None,
    *,
    read_only: bool = False,
) -> Store:
    """Open the store ``--store``/``--endpoint`` name, else what the environment names.

    ``endpoint`` (or ``LGKG_ENDPOINT``) gives a :class:`~lgkg.graph.remote.RemoteStore`
    with ``update_endpoint`` and ``graph_store`` (or ``LGKG_UPDATE_ENDPOINT``,
    ``LGKG_GRAPH_STORE``) and the credentials in ``LGKG_ENDPOINT_USER``,
    ``LGKG_ENDPOINT_PASSWORD`` or ``LGKG_ENDPOINT_TOKEN``. Otherwise ``path``,
    ``LGKG_STORE`` or the default location gives an :class:`OxigraphStore`;
    ``":memory:"`` gives a fresh :class:`MemoryStore`. An argument beats the
    environment; naming both a path and an endpoint at the same level is an error.
    """
    env = os.environ
    if path is not None and endpoint is not None:
        raise StoreError("give a store path or an endpoint, not both")
    if endpoint is None and path is None:
        if env.get("LGKG_ENDPOINT") and env.get("LGKG_STORE"):
            raise StoreError("both LGKG_STORE and LGKG_ENDPOINT are set: unset one")
        endpoint = env.get("LGKG_ENDPOINT") or None
    if endpoint is None:
        extra = [n for n, v in (("update", update_endpoint), ("graph-store", graph_store)) if v]
        if extra:
            raise StoreError(f"an {extra[0]} endpoint needs a query endpoint (--endpoint)")
        chosen = str(path) if path is not None else str(default_store_path())
        if chosen == ":memory:":
            return MemoryStore()
        return OxigraphStore(chosen, read_only=read_only)
    from lgkg.graph.remote import RemoteStore

    return RemoteStore(
        endpoint,
        update_endpoint or env.get("LGKG_UPDATE_ENDPOINT") or None,
        graph_store or env.get("LGKG_GRAPH_STORE") or None,
        user=env.get("LGKG_ENDPOINT_USER") or None,
        password=env.get("LGKG_ENDPOINT_PASSWORD") or None,
        token=env.get("LGKG_ENDPOINT_TOKEN") or None,
        read_only=read_only,
    )
