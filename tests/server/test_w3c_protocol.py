"""The W3C SPARQL 1.1 Protocol test suite (../shared/w3c/sparql11-protocol/manifest.ttl).

Each manifest entry is one or more HTTP requests with the status class, the
result format and (for ASK) the boolean a conforming endpoint must give.
Query tests run against the read-only server (whose store holds the suite's
data files in their named graphs); update tests against a server with updates
enabled, every request carrying its bearer token. Paths start with
``/sparql/``, replaced by the endpoint's ``/sparql``.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.parse
from dataclasses import dataclass, field

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF
from served_app import TOKEN, W3C

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
MANIFEST = W3C / "manifest.ttl"

TABULAR_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
BOOLEAN_TYPES = TABULAR_TYPES[:2]
RDF_TYPES = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/trig",
    "application/n-quads",
)
#: Manifest tests the server is allowed to fail, with the reason (none at present).
ALLOWED_FAILURES: dict[str, str] = {}


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]  # "2xx", "3xx", "4xx"
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    steps: list[Step] = field(default_factory=list)

    @property
    def is_update(self) -> bool:
        return "update" in self.name


def _items(graph: Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def load_manifest() -> list[ProtocolTest]:
    if not MANIFEST.exists():
        return []
    g = Graph().parse(MANIFEST, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in _items(g, g.value(manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[-1]
        test = ProtocolTest(name)
        action = g.value(entry, MF.action)
        for request in _items(g, g.value(action, HT.requests)):
            headers = {
                str(g.value(h, HT.fieldName)): str(g.value(h, HT.fieldValue))
                for h in _items(g, g.value(request, HT.headers))
            }
            body_node = g.value(request, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding.lower())
            resp = g.value(request, HT.resp)
            statuses = {str(s)[len(HTS) :].lower() for s in g.objects(resp, MF.expectedStatus)}
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            test.steps.append(
                Step(
                    method=str(g.value(request, HT.methodName)),
                    path=str(g.value(request, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses=statuses,
                    expected_format=None if fmt is None else str(fmt),
                    expected_boolean=None if boolean is None else bool(boolean.toPython()),
                )
            )
        tests.append(test)
    return tests


TESTS = load_manifest()


def send(base_url: str, step: Step, token: str | None) -> tuple[int, str, bytes]:
    """Send one request exactly as the manifest gives it (no header added but the token)."""
    parts = urllib.parse.urlsplit(base_url)
    path = re.sub(r"^/sparql/?", "/sparql", step.path)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = dict(step.headers)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(step.method, path, body=step.body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        conn.close()


def parse_boolean(media: str, body: bytes) -> bool:
    if media == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    match = re.search(rb"<boolean>\s*(true|false)\s*</boolean>", body)
    assert match, body
    return match.group(1) == b"true"


def check(step: Step, status: int, content_type: str, body: bytes) -> None:
    assert f"{status // 100}xx" in step.statuses, (status, body[:300])
    media = content_type.split(";")[0].strip().lower()
    if step.expected_format == "boolean":
        assert media in BOOLEAN_TYPES, media
    elif step.expected_format == "tabular":
        assert media in TABULAR_TYPES, media
    elif step.expected_format == "RDF":
        assert media in RDF_TYPES, media
    if step.expected_boolean is not None:
        assert parse_boolean(media, body) is step.expected_boolean


def run_test(test: ProtocolTest, base_url: str, token: str | None) -> None:
    for step in test.steps:
        check(step, *send(base_url, step, token))


def _params(tests: list[ProtocolTest]) -> list:
    return [
        pytest.param(
            t,
            id=t.name,
            marks=[pytest.mark.xfail(reason=ALLOWED_FAILURES[t.name], strict=True)]
            if t.name in ALLOWED_FAILURES
            else [],
        )
        for t in tests
    ]


QUERY_TESTS = [t for t in TESTS if not t.is_update]
UPDATE_TESTS = [t for t in TESTS if t.is_update]
needs_manifest = pytest.mark.skipif(not TESTS, reason=f"no W3C manifest at {MANIFEST}")


@needs_manifest
def test_w3c_manifest_has_the_suite() -> None:
    assert (len(QUERY_TESTS), len(UPDATE_TESTS)) == (20, 14)


@needs_manifest
@pytest.mark.parametrize("test", _params(QUERY_TESTS))
def test_w3c_protocol_query(test: ProtocolTest, served) -> None:
    run_test(test, served.url, None)


@needs_manifest
@pytest.mark.parametrize("test", _params(UPDATE_TESTS))
def test_w3c_protocol_update(test: ProtocolTest, served_rw) -> None:
    run_test(test, served_rw.url, TOKEN)


@needs_manifest
@pytest.mark.parametrize("test", _params(UPDATE_TESTS))
def test_w3c_protocol_update_refused_when_read_only(test: ProtocolTest, served) -> None:
    """On the read-only server each test's update request (its first) is refused with a 4xx."""
    status, _, body = send(served.url, test.steps[0], None)
    assert 400 <= status < 500, body
