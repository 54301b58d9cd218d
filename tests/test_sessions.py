"""The session interface that keeps its serializer (webapp.sessions) signs and reads cookies
exactly as Flask's own does, and follows a change of secret key; the CSRF token it signs is
Flask-WTF's."""

from __future__ import annotations

from datetime import timezone

import flask
import pytest
from flask.sessions import SecureCookieSessionInterface, session_json_serializer
from flask_wtf.csrf import generate_csrf, validate_csrf
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms import ValidationError

from webapp import create_app
from webapp.sessions import KeptSerializerSessionInterface, SessionJSON, csrf_token

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


# ------------------------------------------------------------------ the CSRF token

def test_the_templates_csrf_token_is_ours():
    app = _app()
    assert app.jinja_env.globals["csrf_token"] is csrf_token
    from webapp import templating

    for env in app.extensions[templating.EXTENSION_KEY].values():
        assert env.globals["csrf_token"] is csrf_token


def test_our_csrf_token_is_flask_wtfs_and_it_validates_it():
    app = _app()
    with app.test_request_context("/"):
        ours = csrf_token()
        raw = flask.session["csrf_token"]
        assert len(raw) == 40 and csrf_token() == ours  # one token for the request
        validate_csrf(ours)  # Flask-WTF's check: raises when the token is not right
        del flask.g.csrf_token
        theirs = generate_csrf()
        assert flask.session["csrf_token"] == raw
        # both sign the same raw token with the same key and salt (same second: same bytes)
        assert theirs.split(".")[0] == ours.split(".")[0]
        with pytest.raises(ValidationError):
            validate_csrf(ours[:-2] + ("AA" if not ours.endswith("AA") else "BB"))


def test_a_new_secret_key_signs_new_tokens():
    app = _app()
    with app.test_request_context("/"):
        first = csrf_token()
    app.secret_key = app.config["SECRET_KEY"] = "n" * 64
    with app.test_request_context("/"):
        flask.session["csrf_token"] = "0" * 40
        second = csrf_token()
        validate_csrf(second)
        with pytest.raises(ValidationError):
            validate_csrf(first)


def test_a_dedicated_csrf_key_is_used_when_configured():
    app = _app()
    app.config["WTF_CSRF_SECRET_KEY"] = "c" * 64
    with app.test_request_context("/"):
        token = csrf_token()
        validate_csrf(token)
        with pytest.raises(ValidationError):
            validate_csrf(token, secret_key=app.secret_key)


# ------------------------------------------------------------------ reading the payload

_keys = st.one_of(st.text(max_size=8), st.sampled_from([" t", " di", " b", " m", " u", " d",
                                                        " x", '{\\" ', 'a{" ', "{"]))
_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=12), st.sampled_from(['{" t', '{" ', '"{" di"', "\\"]),
                    st.binary(max_size=6), st.builds(Markup, st.text(max_size=6)),
                    st.uuids(), st.datetimes(timezones=st.just(timezone.utc)).map(
                        lambda d: d.replace(microsecond=0)))
_values = st.recursive(_leaves, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner),
    st.dictionaries(_keys, inner, max_size=4)), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _values, max_size=5))
def test_the_payload_reads_as_flasks_tagged_json_reads_it(value):
    payload = session_json_serializer.dumps(value)
    assert SessionJSON().dumps(value) == payload
    assert SessionJSON().loads(payload) == session_json_serializer.loads(payload)


def test_our_answers_take_the_plain_json_path():
    payload = session_json_serializer.dumps(SESSION)
    assert '{" ' not in payload
    assert SessionJSON().loads(payload) == SESSION


def test_pages_sign_their_tokens_with_ours(monkeypatch):
    """Flask-WTF's generate_csrf is never called to render a page (CSRFProtect puts it in
    every template's context; ours must win), and the token on the page is accepted."""
    import flask_wtf.csrf

    def refuse(*args, **kwargs):
        raise AssertionError("flask_wtf.csrf.generate_csrf called")

    app = _app()
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/en/")
    with monkeypatch.context() as patched:
        patched.setattr(flask_wtf.csrf, "generate_csrf", refuse)
        for path in ("/en/", "/fr/", "/en/purpose"):
            page = client.get(path)
            assert page.status_code == 200 and 'name="csrf_token"' in page.get_data(as_text=True)
    # a post builds a Flask-WTF form, which signs a token of its own: Flask-WTF's function
    token = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    r = client.post("/en/purpose", data={"csrf_token": token, "answer": "initial"})
    assert r.status_code == 302
    r = client.post("/en/purpose", data={"csrf_token": token[:-3] + "xyz", "answer": "initial"})
    assert r.status_code == 400
