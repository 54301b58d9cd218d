"""Deployment settings from the environment (issue 14): rotating the key keeps sessions
(IMPPLUS_SECRET_KEY_FALLBACKS), and behind a proxy that does not pass the public Host on, the
CSRF referrer check over HTTPS works once IMPPLUS_FORWARDED_HOST=1 (and fails without it)."""

from __future__ import annotations

import re

import pytest

from webapp import create_app


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("IMPPLUS_SECRET_KEY", "new-key")
    monkeypatch.delenv("IMPPLUS_SECRET_KEY_FALLBACKS", raising=False)
    monkeypatch.delenv("IMPPLUS_FORWARDED_HOST", raising=False)
    return monkeypatch


def answered_cookie(app) -> str:
    """The session cookie after answering the first question."""
    client = app.test_client()
    page = client.get("/en/purpose", base_url="https://impplus.example").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = client.post("/en/purpose", data={"csrf_token": token, "answer": "initial"},
                    base_url="https://impplus.example",
                    headers={"Referer": "https://impplus.example/en/purpose"})
    assert r.status_code == 302
    return client.get_cookie("impplus", domain="impplus.example").value


def answers_seen(app, cookie: str) -> bool:
    client = app.test_client()
    client.set_cookie("impplus", cookie, domain="impplus.example")
    page = client.get("/en/", base_url="https://impplus.example").get_data(as_text=True)
    return "Continue where you left off" in page


def test_rotating_the_key_with_the_old_one_as_fallback_keeps_the_answers(production):
    production.setenv("IMPPLUS_SECRET_KEY", "old-key")
    cookie = answered_cookie(create_app("production"))
    production.setenv("IMPPLUS_SECRET_KEY", "new-key")
    assert not answers_seen(create_app("production"), cookie)  # without the fallback: lost
    production.setenv("IMPPLUS_SECRET_KEY_FALLBACKS", "older-key, old-key")
    app = create_app("production")
    assert app.config["SECRET_KEY_FALLBACKS"] == ["older-key", "old-key"]
    assert answers_seen(app, cookie)


def post_through_a_proxy(app) -> int:
    """A form posted over HTTPS to impplus.example through a proxy that sends the upstream's
    own Host (app:8000) and the public one in X-Forwarded-Host."""
    client = app.test_client()
    proxy = {"Host": "app:8000", "X-Forwarded-Host": "impplus.example"}
    page = client.get("/en/purpose", base_url="https://app:8000", headers=proxy)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post("/en/purpose", data={"csrf_token": token, "answer": "initial"},
                       base_url="https://app:8000",
                       headers={**proxy, "Referer": "https://impplus.example/en/purpose"}
                       ).status_code


def test_behind_a_proxy_without_the_public_host_forms_fail(production):
    assert post_through_a_proxy(create_app("production")) == 400


def test_behind_a_proxy_forwarded_host_makes_forms_work(production):
    production.setenv("IMPPLUS_FORWARDED_HOST", "1")
    assert post_through_a_proxy(create_app("production")) == 302
