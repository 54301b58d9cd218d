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
the same token with a kept one, and Flask-WTF still checks every post. Only the secret keys
are kept, never anything from a cookie or a token.
"""

from __future__ import annotations

import hashlib
import json
import os
import typing as t

from flask import Flask, current_app, g, session
from flask.sessions import SecureCookieSessionInterface, session_json_serializer
from itsdangerous import TimestampSigner, URLSafeTimedSerializer


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


class KeptSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the serializer built once per set of keys."""

    serializer = SessionJSON()
    digest_method = staticmethod(hashlib.sha1)  # Flask's _lazy_sha1, without the wrapper

    def __init__(self) -> None:
        self._kept: tuple[tuple, URLSafeTimedSerializer] | None = None  # (keys, serializer)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if not app.secret_key:
            return None
        keys: tuple[t.Any, ...] = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        kept = self._kept
        if kept is not None and kept[0] == keys:
            return kept[1]
        # The same arguments as Flask's own, with a signer that keeps its derived keys.
        serializer = _serializer(keys, self.salt, serializer=self.serializer, signer_kwargs={
            "key_derivation": self.key_derivation, "digest_method": self.digest_method})
        self._kept = (keys, serializer)  # one assignment: threads see the old pair or the new
        return serializer


def _serializer(keys: tuple, salt: str, **kwargs: t.Any) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(list(keys), salt=salt, signer=_KeptKeySigner, **kwargs)


CSRF_SALT = "wtf-csrf-token"  # Flask-WTF's, so that its validate_csrf reads our tokens
_csrf_kept: list[tuple[t.Any, URLSafeTimedSerializer]] = []  # [(secret key, serializer)]


def csrf_token() -> str:
    """Flask-WTF's `generate_csrf()`: the signed form of the session's raw CSRF token (made
    when the session has none), the same for the whole request; signed with a serializer
    kept between requests."""
    field = current_app.config["WTF_CSRF_FIELD_NAME"]
    token = g.get(field)
    if token is None:
        key = current_app.config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)
        kept = _csrf_kept[0] if _csrf_kept else None
        if kept is None or kept[0] != key:
            kept = (key, _serializer((key,), CSRF_SALT))
            _csrf_kept[:] = [kept]
        if field not in session:
            session[field] = hashlib.sha1(os.urandom(64)).hexdigest()
        token = kept[1].dumps(session[field])
        setattr(g, field, token)
    return token


def init_app(app: Flask) -> None:
    """Call it after CSRFProtect's init_app, which sets the CSRF defaults this reads."""
    app.session_interface = KeptSerializerSessionInterface()
    app.jinja_env.globals["csrf_token"] = csrf_token
    # CSRFProtect also puts its own in every template's context, which wins over a global;
    # a context processor registered after it wins over that.
    app.context_processor(lambda: {"csrf_token": csrf_token})
