"""The session cookie and the CSRF token, signed as Flask and Flask-WTF sign them, with the
work that is the same on every request done once.

Flask's `SecureCookieSessionInterface` builds a new `URLSafeTimedSerializer` for every request
(twice when the cookie is written back). Building one runs a trial JSON dump, and every
signature check derives the signing key from the secret key again (an HMAC). Both depend only
on the secret keys, so this interface keeps the serializer for as long as the keys stay the
same, and its signer keeps each derived key.

The cookie itself is unchanged: the same signature (HMAC-SHA1 over the "cookie-session" salt,
as Flask does it), the same compressed, timestamped payload, and the same JSON, so cookies
signed before and after this change are read alike. Flask-WTF's `generate_csrf` (the
`csrf_token()` of every form) builds a serializer per request too; `csrf_token` below signs
the same token with a kept one, and Flask-WTF still checks every post. A valid cookie is read,
and a token signed, without itsdangerous's objects (`_Kept`); anything else goes through
itsdangerous as before. Only the secret keys are kept, never anything from a cookie or a
token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import typing as t

from flask import Flask, current_app, g, session
from flask.sessions import (SecureCookieSession, SecureCookieSessionInterface,
                            session_json_serializer)
from itsdangerous import BadPayload, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import base64_decode, base64_encode, bytes_to_int, int_to_bytes


class _KeptKeySigner(TimestampSigner):
    """itsdangerous's TimestampSigner (what a timed serializer signs with), computing each
    derived key once per secret key.

    Its SHA-1 is hashlib's own function, where itsdangerous and Flask name a Python wrapper
    around it (`_lazy_sha1`, so that a build without SHA-1 fails only when it is used): the
    same HMAC-SHA1, but `hmac` computes it in C only when given hashlib's function, and in
    Python objects otherwise, a tenth of reading a cookie.
    """

    default_digest_method = staticmethod(hashlib.sha1)

    # (secret key, salt, derivation, digest) -> derived key; shared by the signers of all
    # requests. Only the app's own keys ever go in.
    _derived: dict[tuple, bytes] = {}

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        key = self.secret_keys[-1] if secret_key is None else secret_key
        kept = (key, self.salt, self.key_derivation, self.digest_method)
        try:
            return self._derived[kept]
        except KeyError:
            derived = self._derived[kept] = super().derive_key(secret_key)
            return derived


class SessionJSON:
    """Flask's session payload serializer (`TaggedJSONSerializer`), reading plain JSON quicker.

    Flask tags the values JSON cannot hold (tuples, bytes, Markup, dates, ...) as one-key
    dicts whose key starts with a space, and on reading walks every dict and list of the
    payload looking for them: a third of reading our cookie, which never holds such values
    (answers are JSON; `done` is a list). In compact JSON a key starting with a space shows as
    `{" `, and nothing else does (a quote inside a string is escaped), so a payload without it
    has no tag and `json.loads` reads it exactly as Flask would. Writing is Flask's own.
    """

    def dumps(self, value: t.Any) -> str:
        return session_json_serializer.dumps(value)

    def loads(self, value: str) -> t.Any:
        if '{" ' in value:
            return session_json_serializer.loads(value)
        return json.loads(value)


class _Kept:
    """A serializer built once for a set of keys and a salt, with the shortcuts below.

    itsdangerous reads and writes a signed value through a dozen small objects and calls
    (a signer per call, its algorithm, a generator of signers, checks of argument types): more
    than the cryptography itself, and a fifth of a question page. `signed_payload` and `sign`
    do the same steps with itsdangerous's own encoding functions and the HMAC in one call to
    hashlib. A value is accepted this way only when every step succeeds: then itsdangerous
    would accept it too, with the same result. Anything else (a bad or old signature, a
    fallback key, an expired or malformed value) goes to itsdangerous, which decides as ever.
    """

    def __init__(self, keys: tuple, salt: str, **kwargs: t.Any) -> None:
        self.keys = keys
        self.serializer = URLSafeTimedSerializer(list(keys), salt=salt, signer=_KeptKeySigner,
                                                 **kwargs)
        signer = self.serializer.make_signer()
        # The newest key, derived as itsdangerous derives it; a shortcut needs SHA-1 HMAC.
        self.key = signer.derive_key()
        self.quick = signer.digest_method is hashlib.sha1 and signer.sep == b"."

    def signed_payload(self, value: str, max_age: int) -> bytes | None:
        """The payload (base64, maybe compressed) of `value` when it is signed with the newest
        key less than `max_age` seconds ago; None when that is not plainly so."""
        if not self.quick:
            return None
        try:
            signed = value.encode("utf-8")
            body, signature = signed.rsplit(b".", 1)
            payload, stamp = body.rsplit(b".", 1)
            if not hmac.compare_digest(base64_decode(signature),
                                       hmac.digest(self.key, body, "sha1")):
                return None
            age = int(time.time()) - bytes_to_int(base64_decode(stamp))
        except Exception:  # itsdangerous says what is wrong
            return None
        return payload if 0 <= age <= max_age else None

    def sign(self, payload: bytes) -> str:
        """`payload` (from dump_payload) signed now with the newest key, as
        TimestampSigner.sign signs it."""
        body = payload + b"." + base64_encode(int_to_bytes(int(time.time())))
        return (body + b"." + base64_encode(hmac.digest(self.key, body, "sha1"))).decode()


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the serializer built once per set of keys, and a
    valid cookie read without itsdangerous's objects (`_Kept`)."""

    serializer = SessionJSON()
    digest_method = staticmethod(hashlib.sha1)  # Flask's _lazy_sha1, without the wrapper

    def __init__(self) -> None:
        self._kept: _Kept | None = None

    def _kept_for(self, app: Flask) -> _Kept | None:
        if not app.secret_key:
            return None
        keys: tuple[t.Any, ...] = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        kept = self._kept
        if kept is None or kept.keys != keys:
            # The same arguments as Flask's own, with a signer that keeps its derived keys.
            kept = _Kept(keys, self.salt, serializer=self.serializer, signer_kwargs={
                "key_derivation": self.key_derivation, "digest_method": self.digest_method})
            self._kept = kept  # one assignment: threads see the old one or the new
        return kept

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        kept = self._kept_for(app)
        return kept.serializer if kept else None

    def open_session(self, app: Flask, request) -> SecureCookieSession | None:
        kept = self._kept_for(app)
        if kept is None:
            return None  # no secret key: no session, as Flask does
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()  # no cookie: a new session, as Flask does
        max_age = int(app.permanent_session_lifetime.total_seconds())
        payload = kept.signed_payload(value, max_age)
        if payload is not None:
            try:
                return self.session_class(kept.serializer.load_payload(payload))
            except BadPayload:
                pass  # Flask's own path gives the empty session
        return super().open_session(app, request)


CSRF_SALT = "wtf-csrf-token"  # Flask-WTF's, so that its validate_csrf reads our tokens
_csrf_kept: list[_Kept] = []


def csrf_token() -> str:
    """Flask-WTF's `generate_csrf()`: the signed form of the session's raw CSRF token (made
    when the session has none), the same for the whole request; signed as itsdangerous signs
    it, by a kept serializer (`_Kept.sign`)."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    token = g.get(field)
    if token is None:
        key = current_app.config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)
        kept = _csrf_kept[0] if _csrf_kept else None
        if kept is None or kept.keys != (key,):
            kept = _Kept((key,), CSRF_SALT)
            _csrf_kept[:] = [kept]
        if field not in session:  # 40 random hex digits, the form Flask-WTF gives it
            session[field] = secrets.token_hex(20)
        raw = session[field]
        token = (kept.sign(kept.serializer.dump_payload(raw)) if kept.quick
                 else kept.serializer.dumps(raw))
        setattr(g, field, token)
    return token


def init_app(app: Flask) -> None:
    """Call it after CSRFProtect's init_app, which sets the CSRF defaults this reads."""
    app.session_interface = KeptSerializerSessionInterface()
    app.jinja_env.globals["csrf_token"] = csrf_token
    # CSRFProtect also puts its own in every template's context, which wins over a global;
    # a context processor registered after it wins over that.
    app.context_processor(lambda: {"csrf_token": csrf_token})
