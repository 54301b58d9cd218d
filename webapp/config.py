"""Layered configuration: Config, then Development, Test and Production on top of it."""

from __future__ import annotations

import os
import secrets

from .i18n import translations_dir
from .savefile import MAX_BYTES as MAX_UPLOAD_BYTES  # files brought back to resume


class Config:
    """Settings every configuration shares: the caps on a body (bytes) and on a form's fields,
    the language, the session cookie's flags and CSRF tokens that live as long as it."""

    SECRET_KEY: str | None = None  # read from the environment when the app is built: secret_key()
    MAX_CONTENT_LENGTH = MAX_UPLOAD_BYTES + 64 * 1024  # the whole body, a file included
    # Werkzeug's own cap on one text field (500 KB) stays: it also bounds the parser's buffer,
    # which holds 64 KB chunks of an uploaded file, so a smaller one would refuse real files.
    MAX_FORM_PARTS = 32  # fields in one form (ours have at most six)
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(translations_dir())
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "impplus"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session cookie
    TESTING = False


class DevelopmentConfig(Config):
    """`impplus serve` on one machine, over plain HTTP."""

    DEBUG = False


class TestConfig(Config):
    """The tests' app: a fixed key, and CSRF off (tests/test_production.py checks it on)."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    WTF_CSRF_ENABLED = False


class ProductionConfig(Config):
    """Behind TLS: cookies sent only over HTTPS; refuses to start without IMPPLUS_SECRET_KEY."""

    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls) -> None:
        """Raise RuntimeError when IMPPLUS_SECRET_KEY is not set."""
        if not os.environ.get("IMPPLUS_SECRET_KEY"):
            raise RuntimeError("IMPPLUS_SECRET_KEY must be set in production: sessions are "
                               "signed with it.")


def secret_key(cls: type[Config]) -> str:
    """The key that signs the session cookie: the configuration's own (tests), else
    IMPPLUS_SECRET_KEY as it is when the app is built, else (development only: production has
    refused to start by then) a random key, so sessions last until the server restarts."""
    return cls.SECRET_KEY or os.environ.get("IMPPLUS_SECRET_KEY") or secrets.token_hex(32)


def secret_key_fallbacks() -> list[str]:
    """Earlier keys, still accepted when reading a session cookie (newest first): the
    comma-separated IMPPLUS_SECRET_KEY_FALLBACKS. Rotating the key with the old one here keeps
    everyone's answers; Flask signs new cookies with IMPPLUS_SECRET_KEY only."""
    raw = os.environ.get("IMPPLUS_SECRET_KEY_FALLBACKS", "")
    return [key.strip() for key in raw.split(",") if key.strip()]


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": ProductionConfig}
