"""The document page's API: a document's facts with what analysts did to them
(``GET /api/doc/{id}``), and corrections (``POST /api/doc/{id}/corrections``), taken only
by a server started with updates enabled and only with its token.

Fixture: tests/fixtures/mini.trig (document A, 884f…: Brent and Lewisham share IT).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from served_app import ServedApp
from test_server import auth, request

DOC = "884f1ee6ffaf41b4"
SOURCE = "https://example.org/news/brent-lewisham-shared-it"
JSON = {"Content-Type": "application/json"}


def post(app: ServedApp, body: object, headers: dict | None = None, doc: str = DOC):
    data = json.dumps(body) if not isinstance(body, bytes) else body
    return request(app.url, "POST", f"/api/doc/{doc}/corrections", body=data, headers=headers)


def lewisham_in_a(app: ServedApp) -> list[dict[str, str]]:
    status, _, body = request(app.url, path="/api/query/events", params={"format": "csv"})
    assert status == 200
    rows = csv.DictReader(io.StringIO(body.decode("utf-8")))
    return [r for r in rows if r["source"] == SOURCE and r["council"] == "Lewisham"]


def test_doc_api_gives_the_review_read_only(served) -> None:
    status, head, body = request(served.url, path=f"/api/doc/{DOC}")
    assert status == 200 and head["content-type"].startswith("application/json")
    data = json.loads(body)
    assert data["editable"] is False and data["url"] == SOURCE
    assert [(f["number"], f["kind"], f["state"]) for f in data["facts"]][:2] == [
        (1, "event", "extracted"),
        (2, "event", "extracted"),
    ]
    assert data["facts"][0]["names"] == {"council": "Brent"}
    assert request(served.url, path="/api/doc/0000000000000000")[0] == 404
    assert request(served.url, path="/api/doc/not-a-doc")[0] == 404
    page = request(served.url, path=f"/doc/{DOC}")
    assert page[0] == 200 and b"document.js" in page[2]


def test_doc_api_read_only_server_refuses_corrections(served) -> None:
    body = {"verb": "reject", "fact": "2", "reason": "no"}
    status, _, text = post(served, body, {**JSON, **auth()})
    assert status == 403 and b"read-only" in text
    assert json.loads(request(served.url, path=f"/api/doc/{DOC}")[2])["facts"][1]["state"] == (
        "extracted"
    )


@pytest.mark.parametrize("headers", [JSON, {**JSON, **auth("wrong-token")}])
def test_doc_api_corrections_need_the_token(served_review, headers) -> None:
    status, head, _ = post(served_review, {"verb": "confirm", "fact": "1"}, headers)
    assert status == 401 and "bearer" in head["www-authenticate"].lower()
    facts = json.loads(request(served_review.url, path=f"/api/doc/{DOC}")[2])["facts"]
    assert facts[0]["state"] == "extracted"


def test_doc_api_correction_with_the_token_wins_in_the_queries(served_review) -> None:
    assert len(lewisham_in_a(served_review)) == 1
    body = {"verb": "reject", "fact": "2", "reason": "not stated", "analyst": "Jo"}
    status, _, text = post(served_review, body, {**JSON, **auth()})
    assert status == 200, text
    data = json.loads(text)
    assert data["editable"] is True
    assert data["facts"][1]["state"] == "rejected"
    assert data["facts"][1]["corrections"][0]["analyst"] == "Jo"
    assert lewisham_in_a(served_review) == []
    status, _, text = post(
        served_review,
        {"verb": "set", "fact": "1", "field": "status", "value": "done"},
        {**JSON, **auth()},
    )
    assert status == 200 and json.loads(text)["facts"][0]["content"]["status"] == "done"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", b"not JSON"),
        ([1, 2], b"JSON object"),
        ({"verb": "set", "fact": "1", "field": "colour", "value": "red"}, b"no field 'colour'"),
        ({"verb": "reject", "fact": "1"}, b"say why"),
        (
            {"verb": "add", "kind": "event", "fields": {"council": "Brent"}, "evidence": "1"},
            b"cannot be without",
        ),
    ],
)
def test_doc_api_bad_corrections_get_400(served_review, body, message) -> None:
    status, _, text = post(served_review, body, {**JSON, **auth()})
    assert status == 400 and message in text
