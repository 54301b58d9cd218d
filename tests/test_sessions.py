"""The session interface that keeps its serializer (webapp.sessions) signs and reads cookies
exactly as Flask's own does, and follows a change of secret key; the CSRF token it signs is
Flask-WTF's."""

from __future__ import annotations

import functools
from datetime import timezone

import flask
import pytest
from flask.sessions import SecureCookieSessionInterface, session_json_serializer
from flask_wtf.csrf import generate_csrf, validate_csrf
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from werkzeug.test import EnvironBuilder
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
    request = flask.Request(EnvironBuilder().get_environ())
    with app.app_context():
        assert KeptSerializerSessionInterface().open_session(app, request) is None
        assert SecureCookieSessionInterface().open_session(app, request) is None


@pytest.mark.parametrize("cookie", [None, ""])
def test_no_cookie_opens_a_new_session_as_flask_does(cookie):
    app = _app()
    headers = {} if cookie is None else {"Cookie": f"impplus={cookie}"}
    request = flask.Request(EnvironBuilder(headers=headers).get_environ())
    with app.app_context():
        ours = KeptSerializerSessionInterface().open_session(app, request)
        flasks = SecureCookieSessionInterface().open_session(app, request)
    assert type(ours) is type(flasks) and dict(ours) == dict(flasks) == {}
    assert not ours.modified and not ours.accessed


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


# ------------------------------------------------------------------ the shortcuts match itsdangerous

def _open(interface, app, cookie):
    """The session opened from `cookie`, as a dict, or the exception that opening raised
    (Flask lets a validly signed payload that is not JSON through, as BadPayload)."""
    request = flask.Request(EnvironBuilder(headers={"Cookie": f"impplus={cookie}"}).get_environ())
    with app.app_context():
        try:
            opened = interface.open_session(app, request)
        except Exception as e:  # compared below: both must raise alike
            return type(e)
        assert type(opened) is SecureCookieSessionInterface.session_class
        return dict(opened)


def _signed(app, payload: bytes, at: int) -> str:
    """`payload` (already base64, maybe with a leading dot) signed by Flask's own serializer
    at time `at`, so that any payload, well-formed or not, can be tried."""
    signer = SecureCookieSessionInterface().get_signing_serializer(app).make_signer()
    signer.get_timestamp = lambda: at
    return signer.sign(payload).decode()


_cookie_edits = st.one_of(
    st.just(lambda c: c),
    st.tuples(st.integers(0, 10_000), st.sampled_from("aZ09-_.=!é ")).map(
        lambda e: lambda c: c[:e[0] % (len(c) + 1)] + e[1] + c[e[0] % (len(c) + 1) + 1:]),
    st.integers(1, 12).map(lambda n: lambda c: c[:-n]),
    st.just(lambda c: c.replace(".", "", 1)),
    st.just(lambda c: "." + c),
)


@functools.cache
def _apps(fallback: bool) -> tuple[flask.Flask, flask.Flask]:
    """(the app that signs, the app that reads): the same key, or a rotated one."""
    signing = _app("o" * 64 if fallback else "n" * 64)
    return signing, _app("n" * 64, fallbacks=["o" * 64] if fallback else None)


@settings(max_examples=300, deadline=None)
@given(value=st.dictionaries(st.text(max_size=6), _values, max_size=4),
       age=st.sampled_from([0, 1, 5, 2_678_399, 2_678_400, 2_678_401, -1, -100, 10**9, -10**9]),
       edit=_cookie_edits, fallback=st.booleans())
def test_a_cookie_opens_as_flask_opens_it(value, age, edit, fallback):
    now = 1_800_000_000
    signing, reading = _apps(fallback)
    serializer = SecureCookieSessionInterface().get_signing_serializer(signing)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("time.time", lambda: now - age)
        cookie = edit(serializer.dumps(value))
        patch.setattr("time.time", lambda: now)
        ours = _open(KeptSerializerSessionInterface(), reading, cookie)
        flasks = _open(SecureCookieSessionInterface(), reading, cookie)
    assert ours == flasks


@pytest.mark.parametrize("payload", [b"", b".", b"e30", b".eJyrrgUAAXUA-Q", b".eJyrrgUAAXUA",
                                     b"not base64!", b"W10", b"Ij8i", b".AAAA", b"eyJhIjox",
                                     "é".encode()])
def test_any_validly_signed_payload_opens_as_flask_opens_it(monkeypatch, payload):
    app = _app()
    monkeypatch.setattr("time.time", lambda: 1_800_000_000)
    cookie = _signed(app, payload, 1_800_000_000 - 10)
    assert _open(KeptSerializerSessionInterface(), app, cookie) == \
        _open(SecureCookieSessionInterface(), app, cookie)


@settings(max_examples=200, deadline=None)
@given(raw=st.one_of(st.text(max_size=60), st.just("a" * 40), st.just("0" * 40),
                     st.binary(min_size=20, max_size=20).map(lambda b: b.hex())),
       dedicated=st.booleans())
def test_our_csrf_token_is_byte_for_byte_itsdangerouss(raw, dedicated):
    from itsdangerous import URLSafeTimedSerializer

    app = _apps(False)[1]
    app.config["WTF_CSRF_SECRET_KEY"] = "c" * 64 if dedicated else app.secret_key
    with pytest.MonkeyPatch.context() as patch, app.test_request_context("/"):
        patch.setattr("time.time", lambda: 1_800_000_123.7)
        flask.session["csrf_token"] = raw
        expected = URLSafeTimedSerializer(app.config["WTF_CSRF_SECRET_KEY"],
                                          salt="wtf-csrf-token").dumps(raw)
        assert csrf_token() == expected


def test_a_valid_cookie_and_a_token_take_the_shortcut(monkeypatch):
    """The shortcuts are used (so the comparisons above test them): a valid cookie opens and a
    token is signed with itsdangerous's loads and sign made to fail."""
    from itsdangerous import TimestampSigner, URLSafeTimedSerializer

    app, ours = _app(), KeptSerializerSessionInterface()
    cookie = _sign(ours, app)

    def refuse(*args, **kwargs):
        raise AssertionError("itsdangerous called")

    with app.test_request_context("/"):
        with monkeypatch.context() as patched:
            patched.setattr(URLSafeTimedSerializer, "loads", refuse)
            patched.setattr(TimestampSigner, "sign", refuse)
            assert _open(ours, app, cookie) == SESSION
            token = csrf_token()
        validate_csrf(token)
