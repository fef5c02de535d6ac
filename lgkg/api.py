"""The Python API for notebooks: ``lgkg.open`` gives a :class:`Graph`.

A :class:`Graph` wraps one store (an embedded Oxigraph folder, an in-memory
store, or a SPARQL 1.1 endpoint) and offers what a researcher does with it:
ingest documents, run the named queries, run any SPARQL, and take the
council network into networkx.

Rows come back as a pandas ``DataFrame`` when pandas is installed, else as a
list of dicts (``as_frame=False`` always gives the list; ``as_frame=True``
needs pandas). Every cell is text, as ``lgkg query --format json`` prints
it: an IRI, a literal's lexical form, or "" when unbound.

>>> import lgkg
>>> from importlib.resources import files
>>> example = files("lgkg.ontology") / "examples" / "valid-document.ttl"
>>> with lgkg.open(":memory:") as g:
...     g.load(example.read_bytes(), "turtle", graph="https://w3id.org/lgkg/id/doc/a56ab77fcd2abfc7")
...     rows = g.query("events", as_frame=False)
...     net = g.network()
['https://w3id.org/lgkg/id/doc/a56ab77fcd2abfc7']
>>> [(r["council"], r["action"], r["status"]) for r in rows]
[('Stroud', 'provides', 'done'), ('Cotswold', 'formed', 'done'), ('Stroud', 'formed', 'done')]
>>> sorted(net.edges(data="partnerships"))
[('E07000079', 'E07000082', ['Stroud-Cotswold building control service'])]
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from rdflib import Dataset
from rdflib import Graph as RDFGraph

from lgkg.extract.vocabulary import PROPOSED
from lgkg.graph.sparql_scan import query_form
from lgkg.graph.store import Store, default_store_path, load_dataset, open_store

if TYPE_CHECKING:
    import networkx as nx

    from lgkg.corrections import DocumentReview
    from lgkg.extract.pipeline import Extractor
    from lgkg.ingest import DocResult, IngestSummary

_URL_SCHEMES = ("http://", "https://")


def _pandas() -> Any | None:
    try:
        import pandas
    except ImportError:
        return None
    return pandas


def records(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[dict[str, str]]:
    """Rows of terms as a list of dicts of text (the IRI, the lexical form, "" when unbound).

    >>> from rdflib import Literal, URIRef
    >>> records(["a", "b"], [[URIRef("https://x.org/1"), None], [Literal(2), Literal("x")]])
    [{'a': 'https://x.org/1', 'b': ''}, {'a': '2', 'b': 'x'}]
    """
    from lgkg.queries.named import cell_text

    return [{c: cell_text(v) for c, v in zip(columns, row, strict=True)} for row in rows]


def _rows_out(columns: Sequence[str], rows: Sequence[Sequence[Any]], as_frame: bool | None) -> Any:
    pandas = _pandas()
    if as_frame and pandas is None:
        raise ImportError("as_frame=True needs pandas (pip install pandas)")
    if as_frame is None:
        as_frame = pandas is not None
    out = records(columns, rows)
    if as_frame:
        return pandas.DataFrame(out, columns=list(columns))
    return out


class Graph:
    """The lgkg graph in one store; use :func:`open` to get one, and close it (or use ``with``)."""

    def __init__(self, store: Store, *, owned: bool = True) -> None:
        self.store = store
        self._owned = owned
        self._extractor: Extractor | None = None

    def __repr__(self) -> str:
        return f"lgkg.Graph({self.store!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the store (a store passed in to :func:`open` is left open)."""
        if self._owned:
            self.store.close()

    # -- writing ---------------------------------------------------------------------

    def _load_extractor(self) -> Extractor:
        if self._extractor is None:
            from lgkg.extract.pipeline import Extractor

            self._extractor = Extractor()
        return self._extractor

    def ingest(
        self,
        *sources: str | os.PathLike[str],
        force: bool = False,
        on_result: Callable[[DocResult], None] | None = None,
        allow_private: bool = False,
        **meta: str | None,
    ) -> IngestSummary:
        """Ingest documents, as ``lgkg ingest`` does, and return its summary.

        Each source is a file, a folder, an http(s) URL, or the text of a
        document itself (a string that names no file; it may open with a
        front-matter block giving its ``url``, ``title`` and ``published``). A
        text without a URL is recorded under the file name ``text-{hash}.txt``.
        ``meta`` (``url``, ``title``, ``published``) sets those of a single
        document. The spaCy model loads on the first document that needs it.
        URLs (and their redirects) are fetched from public addresses only;
        ``allow_private=True`` also fetches private, loopback and link-local
        ones, as ``lgkg ingest --allow-private`` does. Warnings (a
        ``published`` value that is no date) are in the summary's ``warnings``.
        """
        from lgkg.ingest import ingest

        return ingest(
            [_document(source, meta) for source in sources],
            self.store,
            self._load_extractor,
            force=force,
            on_result=on_result or (lambda r: None),
            allow_private=allow_private,
            **meta,
        )

    def load(
        self, data: bytes | str | os.PathLike[str], format: str = "trig", graph: str | None = None
    ) -> list[str]:
        """Load RDF (an ``lgkg export``, say) and return the graph IRIs it wrote.

        ``data`` is RDF text or bytes, or a file path. A dataset format
        (``trig``, ``nquads``) replaces each named graph it holds; a graph
        format (``turtle``, ``nt``, ``json-ld``, ``xml``) needs ``graph``, the
        IRI of the named graph its triples replace.
        """
        if isinstance(data, os.PathLike):
            data = Path(data).read_bytes()
        if graph is None:
            return load_dataset(self.store, data, format)
        triples = RDFGraph()
        triples.parse(data=data, format=format)
        self.store.replace_graph(graph, triples)
        return [graph]

    def resolve(self) -> tuple[int, int]:
        """Recompute which partnerships, across documents, are one, as ``lgkg resolve`` does
        (after :meth:`load` of documents' graphs, say): the numbers of descriptions and of
        partnerships (:mod:`lgkg.graph.identity`)."""
        from lgkg.graph.identity import resolve_store

        return resolve_store(self.store)

    # -- reading ---------------------------------------------------------------------

    def queries(self, as_frame: bool | None = None) -> Any:
        """The named queries: name, title, parameters and columns.

        >>> import lgkg
        >>> with lgkg.open(":memory:") as g:
        ...     "partners" in [q["name"] for q in g.queries(as_frame=False)]
        True
        """
        from lgkg.queries.named import list_queries

        rows = [
            [
                q.name,
                q.title,
                " ".join(p.name + ("" if p.required else "?") for p in q.params),
                " ".join(q.columns),
            ]
            for q in list_queries()
        ]
        return _rows_out(["name", "title", "params", "columns"], rows, as_frame)

    def query(self, name: str, *, as_frame: bool | None = None, **params: object) -> Any:
        """Run the named query ``name`` with its parameters (``council="Brent"``).

        Parameters are bound as typed terms, never pasted into the query;
        an unknown query or parameter raises ``KeyError`` or
        :class:`~lgkg.queries.named.QueryError`.
        """
        from lgkg.queries.named import run_query

        raw = {key: str(value) for key, value in params.items()}
        columns, rows = run_query(self.store, name, raw)
        return _rows_out(columns, rows, as_frame)

    def sparql(self, text: str, *, as_frame: bool | None = None) -> Any:
        """Run a SPARQL query: rows for SELECT, a bool for ASK, an rdflib Graph for CONSTRUCT.

        The usual prefixes (``lgkg``, ``id``, ``org``, ``prov``, ...) need no
        PREFIX line. On an embedded store the default graph is the union of
        all graphs.
        """
        form = query_form(text)
        if form == "SELECT":
            columns, rows = self.store.select(text)
            return _rows_out(columns, rows, as_frame)
        if form == "ASK":
            return self.store.ask(text)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return self.store.construct(text)
        raise ValueError("not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")

    def network(
        self, as_of: str | None = None, min_status: str = PROPOSED, metrics: bool = True
    ) -> nx.Graph:
        """The networkx graph of councils linked by shared partnerships (see ``lgkg.network``).

        ``as_of`` (ISO date) gives the network at that date; ``min_status``
        (``proposed``, ``agreed``, ``done``) leaves out weaker memberships;
        ``metrics`` sets each node's degree, weighted_degree, betweenness,
        community and component.
        """
        from lgkg.network import build_network

        return build_network(self.store, as_of, min_status, metrics)

    # -- analysts' corrections (lgkg.corrections) ------------------------------------

    def review(self, doc: str) -> DocumentReview:
        """The facts of a document, numbered, with their evidence and what analysts did to
        each (``.facts``, ``.table()``, ``.to_dict()``); ``doc`` as ``lgkg review`` takes it.

        >>> import lgkg
        >>> from importlib.resources import files
        >>> example = files("lgkg.ontology") / "examples" / "valid-document.ttl"
        >>> doc = "https://w3id.org/lgkg/id/doc/a56ab77fcd2abfc7"
        >>> with lgkg.open(":memory:") as g:
        ...     _ = g.load(example.read_bytes(), "turtle", graph=doc)
        ...     _ = g.reject(doc, 3, reason="no contract is stated", by="Jo")
        ...     _ = g.correct(doc, 2, "date", "2025-05", by="Jo")
        ...     [(f.number, f.state) for f in g.review(doc).facts][:3]
        ...     len(g.query("events", as_frame=False))
        [(1, 'extracted'), (2, 'corrected'), (3, 'rejected')]
        2
        """
        from lgkg.corrections import review

        return review(self.store, doc)

    def confirm(self, doc: str, fact: str | int, *, by: str | None = None, reason: str = "") -> Any:
        """Confirm a fact (its IRI, or its number in :meth:`review` of ``doc``); returns
        the stored correction."""
        from lgkg.corrections import CONFIRM, correct

        return correct(self.store, CONFIRM, fact, doc=doc, reason=reason, analyst=by)[1]

    def reject(self, doc: str, fact: str | int, *, reason: str, by: str | None = None) -> Any:
        """Reject a fact, saying why; returns the stored correction."""
        from lgkg.corrections import REJECT, correct

        return correct(self.store, REJECT, fact, doc=doc, reason=reason, analyst=by)[1]

    def correct(
        self,
        doc: str,
        fact: str | int,
        field: str,
        value: str,
        *,
        by: str | None = None,
        reason: str = "",
    ) -> Any:
        """Give one field of a fact a new value (as ``lgkg correct set``); returns the
        stored correction."""
        from lgkg.corrections import SET, correct

        return correct(
            self.store, SET, fact, doc=doc, field=field, value=value, reason=reason, analyst=by
        )[1]

    def add_fact(
        self,
        doc: str,
        kind: str,
        evidence: str | int,
        *,
        by: str | None = None,
        reason: str = "",
        **fields: str,
    ) -> Any:
        """Add a fact the extractor missed (``kind``: event, saving, quote) with its fields
        (``council="Worthing", action="joined", ...``), citing its sentence (its text, or the
        number of a fact whose sentence it is); returns the stored correction."""
        from lgkg.corrections import add_fact

        return add_fact(self.store, doc, kind, fields, str(evidence), reason=reason, analyst=by)[1]

    def export_gold(
        self, out_dir: str | os.PathLike[str], texts: Sequence[str] = (), fetch: bool = False
    ) -> Any:
        """Write the corrected documents as gold files with their texts (``lgkg export
        --gold``); returns what was written and what was not."""
        from lgkg.corrections import export_gold

        return export_gold(self.store, out_dir, texts, fetch=fetch)

    def dataset(self) -> Dataset:
        """The whole store as an rdflib ``Dataset`` (a copy; for small stores)."""
        ds = Dataset()
        ds.parse(data=self.store.dump("nquads"), format="nquads")
        return ds


def _document(source: str | os.PathLike[str], meta: dict[str, str | None]) -> Any:
    """A path or URL as given, or a document's text as a :class:`SourceDoc` named
    ``text-{hash}.txt`` (``meta`` applies to it), or the :class:`BadInput` it makes."""
    from lgkg.extract.errors import BadInput
    from lgkg.extract.sources import source_from_text

    text = os.fspath(source)
    if isinstance(source, os.PathLike) or text.startswith(_URL_SCHEMES):
        return text
    if "\n" not in text and len(text) < 4096 and Path(text).exists():
        return text
    if "\n" not in text.strip():
        raise FileNotFoundError(f"no such file or folder: {text!r} (a document's text has lines)")
    name = f"text-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}.txt"
    try:
        return source_from_text(text, name=name, file_name=name, **meta)
    except BadInput as err:
        return err


def open(
    store_or_endpoint: str | os.PathLike[str] | Store | None = None,
    *,
    read_only: bool = False,
    update_endpoint: str | None = None,
) -> Graph:
    """Open the lgkg graph in a store folder, ``":memory:"``, a SPARQL endpoint or a Store.

    ``None`` opens ``LGKG_ENDPOINT`` or ``LGKG_STORE`` when set, else the
    default store folder (the one ``lgkg`` commands use). An ``http(s)://``
    URL opens a SPARQL 1.1 endpoint (``update_endpoint`` where updates go
    elsewhere). A store folder opened for writing is locked against other
    processes until :meth:`Graph.close`: pass ``read_only=True`` to read a
    store while, say, ``lgkg serve`` has it open. A :class:`Store` object is
    wrapped as it is and left open on close.

    >>> import lgkg
    >>> with lgkg.open(":memory:") as g:
    ...     g.sparql("ASK { GRAPH ?g { ?s a lgkg:PartnershipEvent } }")
    False
    """
    if isinstance(store_or_endpoint, Store):
        return Graph(store_or_endpoint, owned=False)
    if store_or_endpoint is None:
        if os.environ.get("LGKG_ENDPOINT"):
            return Graph(open_store(read_only=read_only))
        store_or_endpoint = default_store_path()
    target = os.fspath(store_or_endpoint)
    if target.startswith(_URL_SCHEMES):
        store = open_store(endpoint=target, update_endpoint=update_endpoint, read_only=read_only)
        return Graph(store)
    return Graph(open_store(target, read_only=read_only))
