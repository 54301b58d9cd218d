"""The application factory."""

from __future__ import annotations

import os

from flask import Flask, jsonify, request
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from .config import CONFIGS, ProductionConfig
from .i18n import LANGUAGES, normalise_language, static_dir

csrf = CSRFProtect()
babel = Babel()


def request_language() -> str:
    """The language of this request: the URL prefix, then ?lang=, then Accept-Language."""
    args = request.view_args or {}
    if args.get("lang") in LANGUAGES:
        return args["lang"]
    if request.args.get("lang"):
        return normalise_language(request.args.get("lang"))
    return request.accept_languages.best_match(LANGUAGES) or "en"


def create_app(config=None) -> Flask:
    app = Flask(__name__, static_folder=str(static_dir()))
    name = config if isinstance(config, str) else os.environ.get("IMPPLUS_ENV", "development")
    cls = config if isinstance(config, type) else CONFIGS[name]
    if cls is ProductionConfig or issubclass(cls, ProductionConfig):
        cls.check()
    app.config.from_object(cls)
    if isinstance(config, dict):
        app.config.update(config)

    babel.init_app(app, locale_selector=request_language)
    csrf.init_app(app)

    from .api import api

    csrf.exempt(api)
    app.register_blueprint(api)

    from .wizard import wizard

    app.register_blueprint(wizard)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
