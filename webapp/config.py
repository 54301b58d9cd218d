"""Layered configuration: Config, then Development, Test and Production on top of it."""

from __future__ import annotations

import os
import secrets

from .i18n import translations_dir
from .savefile import MAX_BYTES as MAX_UPLOAD_BYTES  # files brought back to resume


class Config:
    SECRET_KEY = os.environ.get("IMPPLUS_SECRET_KEY") or secrets.token_hex(32)
    MAX_CONTENT_LENGTH = MAX_UPLOAD_BYTES + 64 * 1024
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = str(translations_dir())
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "impplus"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session cookie
    JSON_SORT_KEYS = False
    TESTING = False


class DevelopmentConfig(Config):
    DEBUG = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    WTF_CSRF_ENABLED = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls) -> None:
        if not os.environ.get("IMPPLUS_SECRET_KEY"):
            raise RuntimeError("IMPPLUS_SECRET_KEY must be set in production: sessions are "
                               "signed with it.")


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": ProductionConfig}
