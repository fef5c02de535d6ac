"""Showing extractions without storing them: an evidence table, JSON records, RDF.

The table puts each fact on one line (kind, body, action or amount, status
or date, confidence) with its evidence sentence indented below, so an
analyst can check every fact against its sentence at a glance.

>>> from lgkg.extract.records import Body, DocumentMeta, Event, Evidence, Extraction
>>> ev = Evidence("Brent and Lewisham formed a shared IT service.", 0, 46)
>>> e = Event(Body("Brent", "E09000005"), "formed", "Shared IT", "ict", "2016-04", "done",
...           None, ev, 0.8, "event.form")
>>> x = Extraction(DocumentMeta("0123456789abcdef", None, None, None, "a.txt", "ff"), ev.sentence,
...                events=(e,))
>>> print(extraction_table(x))  # doctest: +NORMALIZE_WHITESPACE
a.txt  https://w3id.org/lgkg/id/doc/0123456789abcdef
  published: unknown  1 event, 0 savings, 0 quotes
  event  Brent (E09000005)  formed ict: Shared IT  done 2016-04  0.80
      > Brent and Lewisham formed a shared IT service.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from rdflib import Dataset, Graph

from lgkg.extract.records import Body, Evidence, Extraction
from lgkg.graph.emit import doc_graph_iri, extraction_graph
from lgkg.graph.store import PREFIXES
from lgkg.ingest import plural
from lgkg.output import printable

EXTRACT_FORMATS = ("table", "json", "turtle", "nquads")


def _body(body: Body | None) -> str:
    if body is None:
        return "-"
    return f"{body.name} ({body.code})" if body.code else body.name


def _fact(kind: str, body: str, what: str, when: str, confidence: float, ev: Evidence) -> list:
    return [kind, body, what, when or "-", f"{confidence:.2f}", ev.sentence]


def fact_rows(x: Extraction) -> list[list[str]]:
    """One row per fact: kind, body, action/amount, status/date, confidence, evidence."""
    rows = []
    for e in x.events:
        what = f"{e.action} {e.service_area}: {e.partnership}"
        if e.client is not None:
            what += f" for {_body(e.client)}"
        rows.append(
            _fact(
                "event",
                _body(e.body),
                what,
                f"{e.status} {e.date}".strip(),
                e.confidence,
                e.evidence,
            )
        )
    for s in x.savings:
        what = f"{format(s.amount, 'f')} {s.currency} {s.period}".strip()
        said = f"said by {s.speaker}" if s.speaker else ""
        rows.append(_fact("saving", _body(s.who), what, said, s.confidence, s.evidence))
    for q in x.quotes:
        role = ", ".join(p for p in (q.role, _body(q.organisation) if q.organisation else "") if p)
        rows.append(_fact("quote", q.speaker, role or "-", "", q.confidence, q.evidence))
    return rows


def extraction_table(x: Extraction) -> str:
    """The facts of one document, each followed by its evidence sentence."""
    meta = x.doc
    name = meta.file_name or meta.url or meta.doc_id
    counts = ", ".join(
        (
            plural(len(x.events), "event"),
            plural(len(x.savings), "saving"),
            plural(len(x.quotes), "quote"),
        )
    )
    lines = [
        printable(f"{name}  {doc_graph_iri(x)}"),
        f"  published: {meta.published or 'unknown'}  {counts}",
    ]
    rows = fact_rows(x)
    widths = [max((len(r[i]) for r in rows), default=0) for i in range(4)]
    for row in rows:
        cells = [c.ljust(w) for c, w in zip(row[:4], widths, strict=True)]
        lines.append("  " + "  ".join([*cells, row[4]]))
        lines.append("      > " + " ".join(row[5].split()))
    lines.extend(f"  warning: {w}" for w in x.warnings)
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def extraction_record(x: Extraction) -> dict[str, Any]:
    """An extraction as a JSON-ready dict (Decimal as a string), with its graph IRI."""
    return {"graph": str(doc_graph_iri(x)), **dataclasses.asdict(x)}


def extractions_json(xs: Iterable[Extraction]) -> str:
    """The records of many extractions as a JSON list."""
    records = [extraction_record(x) for x in xs]
    return json.dumps(records, indent=2, ensure_ascii=False, default=_plain) + "\n"


def extractions_rdf(xs: Iterable[Extraction], fmt: str) -> str:
    """``turtle``: the union of the document graphs; ``nquads``: each in its named graph."""
    if fmt == "nquads":
        ds = Dataset()
        for x in xs:
            target = ds.graph(doc_graph_iri(x))
            for triple in extraction_graph(x):
                target.add(triple)
        return ds.serialize(format="nquads")
    union = Graph()
    for prefix, ns in PREFIXES.items():
        union.bind(prefix, ns, override=True)
    for x in xs:
        for triple in extraction_graph(x):
            union.add(triple)
    return union.serialize(format="turtle")
