"""The application factory."""

from __future__ import annotations

import os

from flask import Flask, jsonify, request
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect

from . import security, sessions
from .config import CONFIGS, ProductionConfig, secret_key
from .i18n import LANGUAGES, normalise_language, static_dir

csrf = CSRFProtect()
babel = Babel()


def browser_language() -> str:
    """The language the browser prefers among ours (English when it names neither)."""
    return request.accept_languages.best_match(LANGUAGES) or "en"


def request_language() -> str:
    """The language of this request: the URL prefix, then ?lang=, then Accept-Language."""
    args = request.view_args or {}
    if args.get("lang") in LANGUAGES:
        return args["lang"]
    if request.args.get("lang"):
        return normalise_language(request.args.get("lang"))
    return browser_language()


def _register_error_pages(app: Flask) -> None:
    """Not found and server errors as pages in the visitor's language (JSON under /api/)."""
    from flask import render_template
    from flask_babel import gettext as _
    from flask_babel import force_locale

    def page(status: int):
        parts = request.path.strip("/").split("/")
        lang = parts[0] if parts and parts[0] in LANGUAGES else browser_language()
        with force_locale(lang):
            if status == 404:
                title, message = _("Page not found"), _(
                    "Check the address, or start from the start page.")
            else:
                title, message = _("Sorry, something went wrong"), _(
                    "Nothing you entered was stored. Try again in a moment.")
            if request.path.startswith("/api/"):
                response = jsonify(error=message, field=None)
                response.headers["Content-Language"] = lang
                return response, status
            other = "fr" if lang == "en" else "en"
            return render_template("error.html", lang=lang, other_lang=other, title=title,
                                   message=message, errors=None,
                                   toggle_url=f"/{other}/"), status

    def not_allowed(error):
        """405 with the Allow header (RFC 9110); the page reads as "not found", which is what
        a person who typed such an address needs to know."""
        body, _status = page(404)
        response = app.make_response((body, 405))
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods or ()))
        return response

    app.register_error_handler(404, lambda e: page(404))
    app.register_error_handler(405, not_allowed)
    app.register_error_handler(500, lambda e: page(500))


def create_app(config=None) -> Flask:
    app = Flask(__name__, static_folder=str(static_dir()))
    name = config if isinstance(config, str) else os.environ.get("IMPPLUS_ENV", "development")
    cls = config if isinstance(config, type) else CONFIGS[name]
    if cls is ProductionConfig or issubclass(cls, ProductionConfig):
        cls.check()
    app.config.from_object(cls)
    app.config["SECRET_KEY"] = secret_key(cls)
    if isinstance(config, dict):
        app.config.update(config)

    babel.init_app(app, locale_selector=request_language)
    csrf.init_app(app)

    @app.before_request
    def check_csrf():
        """CSRFProtect's check on every post (put, patch, delete), API exempted."""
        if app.config["WTF_CSRF_ENABLED"] and request.method in app.config["WTF_CSRF_METHODS"]:
            csrf.protect(apply_exemptions=True)

    security.init_app(app)
    sessions.init_app(app)  # after csrf.init_app

    from .api import api

    csrf.exempt(api)
    app.register_blueprint(api)

    from .wizard import wizard

    app.register_blueprint(wizard)

    _register_error_pages(app)
    from . import templating

    templating.init_app(app)  # the wizard's templates, compiled per language

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
