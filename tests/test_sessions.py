"""The session interface that keeps its serializer (webapp.sessions) signs and reads cookies
exactly as Flask's own does, and follows a change of secret key."""

from __future__ import annotations

import flask
import pytest
from flask.sessions import SecureCookieSessionInterface

from webapp import create_app
from webapp.sessions import KeptSerializerSessionInterface

SESSION = {"a": {"purpose": "initial", "csq": {"held": True, "issued": "2023-12-01"}},
           "done": ["purpose", "csq_held"], "csrf_token": "0123abcd"}


def _app(key: str = "k" * 64, fallbacks=None) -> flask.Flask:
    app = create_app({"TESTING": True, "SECRET_KEY": key, "SECRET_KEY_FALLBACKS": fallbacks})
    app.config["SECRET_KEY"] = key  # create_app reads the key from the environment first
    return app


def _sign(interface, app) -> str:
    return interface.get_signing_serializer(app).dumps(SESSION)


def _read(interface, app, cookie: str):
    with app.test_request_context("/", headers={"Cookie": f"impplus={cookie}"}):
        return interface.open_session(app, flask.request)


def test_the_app_uses_it():
    assert isinstance(_app().session_interface, KeptSerializerSessionInterface)


def test_flasks_cookies_are_read_and_ours_are_read_by_flask():
    app, ours, flasks = _app(), KeptSerializerSessionInterface(), SecureCookieSessionInterface()
    assert dict(_read(ours, app, _sign(flasks, app))) == SESSION
    assert dict(_read(flasks, app, _sign(ours, app))) == SESSION
    # the same payload: only the timestamp could differ, and within a second it does not
    assert _sign(ours, app).split(".")[0] == _sign(flasks, app).split(".")[0]


def test_the_serializer_is_kept_while_the_key_stays_the_same():
    app, ours = _app(), KeptSerializerSessionInterface()
    assert ours.get_signing_serializer(app) is ours.get_signing_serializer(app)


def test_a_new_key_gets_a_new_serializer_and_old_cookies_are_refused():
    app, ours = _app(), KeptSerializerSessionInterface()
    cookie = _sign(ours, app)
    first = ours.get_signing_serializer(app)
    app.config["SECRET_KEY"] = app.secret_key = "n" * 64
    assert ours.get_signing_serializer(app) is not first
    assert dict(_read(ours, app, cookie)) == {}  # signed with the old key: a fresh session
    assert dict(_read(ours, app, _sign(ours, app))) == SESSION


def test_fallback_keys_still_read_cookies_while_keys_rotate():
    old = _app("o" * 64)
    cookie = _sign(KeptSerializerSessionInterface(), old)
    rotated = _app("n" * 64, fallbacks=["o" * 64])
    assert dict(_read(KeptSerializerSessionInterface(), rotated, cookie)) == SESSION
    without = _app("n" * 64)
    assert dict(_read(KeptSerializerSessionInterface(), without, cookie)) == {}


@pytest.mark.parametrize("tamper", [
    lambda c: c[:-2] + ("AA" if not c.endswith("AA") else "BB"),  # the signature
    lambda c: "." + c[2:],  # the payload
    lambda c: "not-a-cookie",
])
def test_a_tampered_cookie_gives_an_empty_session(tamper):
    app, ours = _app(), KeptSerializerSessionInterface()
    assert dict(_read(ours, app, tamper(_sign(ours, app)))) == {}


def test_no_secret_key_means_no_sessions():
    app = _app()
    app.secret_key = None
    assert KeptSerializerSessionInterface().get_signing_serializer(app) is None
