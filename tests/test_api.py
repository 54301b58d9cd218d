"""POST /api/v1/assessments and /api/v1/openapi.json."""

import json

import pytest

from conftest import BASES
from webapp.rules import SCHEMA
from webapp.rules.answers import Group


def post(client, body, **kw):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/api/v1/assessments", data=data, content_type="application/json", **kw)


def test_assessment(client):
    r = post(client, BASES["outside"])
    assert r.status_code == 200
    body = r.get_json()
    assert body["outcome"] == "eligible" and body["lang"] == "en"
    assert body["submission_deadline"] == "2025-01-23"


def test_language_from_query_and_header(client):
    assert post(client, BASES["outside"], query_string={"lang": "fr"}).get_json()["lang"] == "fr"
    r = post(client, BASES["outside"], headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert r.get_json()["lang"] == "fr" and r.headers["Content-Language"] == "fr"
    german = post(client, BASES["outside"], headers={"Accept-Language": "de"})
    assert german.get_json()["lang"] == "en"


@pytest.mark.parametrize("body", [b"{not json", b"", "\ufeff{".encode(), b"\xff\xfe"])
def test_not_json_is_400(client, body):
    r = post(client, body)
    assert r.status_code == 400
    assert r.get_json()["field"] is None and r.get_json()["error"]


def test_invalid_answers_are_422_naming_the_field(client):
    r = post(client, {"csq": {"issued": "2024-02-30"}}, query_string={"lang": "fr"})
    assert r.status_code == 422
    body = r.get_json()
    assert body["field"] == "csq.issued"
    assert "csq.issued" in body["error"]
    assert body["errors"][0]["field"] == "csq.issued"


def test_json_that_is_not_an_object_is_422(client):
    r = post(client, [1, 2])
    assert r.status_code == 422 and r.get_json()["field"] is None


def test_too_large_is_413_json(client):
    r = post(client, b"[" + b"0," * 600_000 + b"0]")
    assert r.status_code == 413
    assert r.get_json()["error"]


def test_openapi_describes_what_the_parser_reads(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    props = doc["components"]["schemas"]["Answers"]["properties"]
    for item in SCHEMA:
        assert item.key in props
        if isinstance(item, Group):
            assert set(props[item.key]["properties"]) == {m.key for m in item.members}
        elif item.kind == "enum":
            assert props[item.key]["enum"] == [*item.choices, None]
    responses = doc["paths"]["/api/v1/assessments"]["post"]["responses"]
    assert {"200", "400", "422"} <= set(responses)


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
