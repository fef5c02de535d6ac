"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/store`` (served only with updates enabled).

``?graph=IRI`` names a graph, ``?default`` the default graph, and no
parameter the whole dataset (GET and POST only). GET (and HEAD) return the
graph in the negotiated RDF format; PUT replaces it and POST adds to it (the
body in any RDF syntax pyoxigraph reads, by its Content-Type); DELETE drops
it. Each write is one SPARQL update, so it is applied whole or not at all.

>>> target_of([("graph", "http://x.org/g")])
'http://x.org/g'
>>> target_of([("default", "")]) is DEFAULT
True
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from lgkg.graph.formats import DATASETS, FORMATS, offers
from lgkg.graph.sparql_scan import is_absolute_iri
from lgkg.graph.store import PREFIXES
from lgkg.graph.terms import ntriples_body
from lgkg.server.results import GRAPH, negotiate, triples_bytes

DEFAULT = object()  # the default graph
DATASET = object()  # the whole dataset
DATASET_TYPES = offers(DATASETS)  # [(application/n-quads, nquads), (application/trig, trig)]


class GraphStoreError(Exception):
    """A request the Graph Store Protocol refuses; ``status`` is the HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes = b""
    media_type: str = "text/plain"


def target_of(pairs: list[tuple[str, str]]) -> str | object:
    """The graph IRI a request names, or ``DEFAULT`` or ``DATASET``."""
    graphs = [v for k, v in pairs if k == "graph"]
    has_default = any(k == "default" for k, _ in pairs)
    if len(graphs) > 1 or (graphs and has_default):
        raise GraphStoreError(400, "name one graph: ?graph=IRI or ?default")
    if graphs:
        if not is_absolute_iri(graphs[0]):
            raise GraphStoreError(400, f"not an absolute IRI: {graphs[0]!r}")
        return graphs[0]
    return DEFAULT if has_default else DATASET


def _graph_name(target: str | object) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if target is DEFAULT else ox.NamedNode(target)  # type: ignore[arg-type]


def _exists(store: ox.Store, target: str | object) -> bool:
    if target is DEFAULT or target is DATASET:
        return True
    name = _graph_name(target)
    return next(iter(store.quads_for_pattern(None, None, None, name)), None) is not None


def _parse(body: bytes, content_type: str | None, target: str | object, base_iri: str) -> str:
    """The body's triples (or quads) as the inside of an ``INSERT DATA`` block."""
    media = (content_type or "").split(";")[0].strip().lower()
    fmt = ox.RdfFormat.from_media_type(media) if media else None
    if fmt is None:
        raise GraphStoreError(415, f"cannot read RDF sent as {media or 'no Content-Type'}")
    if target is DATASET and not fmt.supports_datasets:
        raise GraphStoreError(415, "POST a dataset to /store as TriG or N-Quads")
    try:
        quads = list(ox.parse(body, format=fmt, base_iri=base_iri))
    except SyntaxError as err:
        raise GraphStoreError(400, f"cannot parse the {media} body: {err}") from err
    if target is DATASET:
        blocks = []
        for graph in {q.graph_name for q in quads}:
            lines = ntriples_body(q for q in quads if q.graph_name == graph)
            named = not isinstance(graph, ox.DefaultGraph)
            blocks.append(f"GRAPH {graph} {{\n{lines}\n}}" if named else lines)
        return "\n".join(blocks)
    if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        raise GraphStoreError(400, "send triples to a graph, not quads")
    body_text = ntriples_body(quads)
    return body_text if target is DEFAULT else f"GRAPH <{target}> {{\n{body_text}\n}}"


def _drop(target: str | object) -> str:
    return "DROP SILENT DEFAULT" if target is DEFAULT else f"DROP SILENT GRAPH <{target}>"


def handle(
    store: ox.Store,
    method: str,
    pairs: list[tuple[str, str]],
    *,
    content_type: str | None,
    body: bytes,
    accept: str | None,
    base_iri: str,
) -> Reply:
    """Answer one Graph Store Protocol request."""
    target = target_of(pairs)
    if method in ("GET", "HEAD"):
        if target is DATASET:
            media, fmt = negotiate(accept, DATASET_TYPES)
            return Reply(200, store.dump(format=FORMATS[fmt].oxigraph), media)
        if not _exists(store, target):
            raise GraphStoreError(404, f"no graph {target}")
        media, fmt = negotiate(accept, GRAPH)
        triples = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, _graph_name(target))
        ]
        return Reply(200, triples_bytes(fmt, triples, PREFIXES), media)
    if method == "DELETE":
        if target is DATASET:
            raise GraphStoreError(400, "DELETE needs ?graph=IRI or ?default")
        if not _exists(store, target):
            raise GraphStoreError(404, f"no graph {target}")
        store.update(_drop(target))
        return Reply(204)
    if method in ("PUT", "POST"):
        if method == "PUT" and target is DATASET:
            raise GraphStoreError(400, "PUT needs ?graph=IRI or ?default")
        existed = _exists(store, target)
        data = _parse(body, content_type, target, base_iri)
        steps = [_drop(target)] if method == "PUT" else []
        if data.strip():
            steps.append(f"INSERT DATA {{\n{data}\n}}")
        if steps:
            store.update(" ;\n".join(steps))
        return Reply(204 if existed else 201)
    raise GraphStoreError(405, f"{method} is not allowed on /store")
