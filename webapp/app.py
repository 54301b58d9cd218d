"""The application factory: Flask, with Flask-Babel for the language, Flask-WTF's CSRFProtect
for every form, the security headers of `webapp.security`, the wizard and the JSON API."""

from __future__ import annotations

import os

from flask import Flask, jsonify, render_template, request, url_for
from flask_babel import Babel
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect

from . import security
from .config import CONFIGS, ProductionConfig, secret_key
from .i18n import LANGUAGES, normalise_language, static_dir

csrf = CSRFProtect()
babel = Babel()


def browser_language() -> str:
    """"en" or "fr": the one the browser's Accept-Language prefers, English when it names
    neither. Needs a request context."""
    return request.accept_languages.best_match(LANGUAGES) or "en"


def other_language(lang: str) -> str:
    """The other of our two languages: "fr" for "en", "en" for "fr" (the header's toggle)."""
    return "fr" if lang == "en" else "en"


def request_language() -> str:
    """The language of this request, "en" or "fr", decided here only: the URL's first segment
    (`/en/…`, `/fr/…`, whether or not the address matched a page), then the API's `?lang=`,
    then the browser's Accept-Language. Flask-Babel's locale selector, so every template and
    `flask_babel.gettext` of the request speak it. Needs a request context."""
    lang = (request.view_args or {}).get("lang")
    if lang in LANGUAGES:
        return lang
    first = request.path.lstrip("/").partition("/")[0]
    if first in LANGUAGES:
        return first
    if request.args.get("lang"):
        return normalise_language(request.args.get("lang"))
    return browser_language()


def _register_error_pages(app: Flask) -> None:
    """Not found (404), method not allowed (405) and server errors (500) as pages in the
    request's language, or as `{"error", "field": null}` under /api/."""

    def page(status: int):
        lang = request_language()
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
        other = other_language(lang)
        return render_template("error.html", lang=lang, other_lang=other, title=title,
                               message=message, errors=None,
                               toggle_url=url_for("wizard.start", lang=other)), status

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


def create_app(config: str | type | dict | None = None) -> Flask:
    """The web application.

    `config` is a name of `webapp.config.CONFIGS` ("development", "test", "production"), a
    configuration class, or a dict of settings applied over the configuration named by
    IMPPLUS_ENV (default "development"). Raises RuntimeError for production without
    IMPPLUS_SECRET_KEY (`ProductionConfig.check`)."""
    app = Flask(__name__, static_folder=str(static_dir()))
    name = config if isinstance(config, str) else os.environ.get("IMPPLUS_ENV", "development")
    cls = config if isinstance(config, type) else CONFIGS[name]
    if issubclass(cls, ProductionConfig):
        cls.check()
    app.config.from_object(cls)
    app.config["SECRET_KEY"] = secret_key(cls)
    if isinstance(config, dict):
        app.config.update(config)

    babel.init_app(app, locale_selector=request_language)
    csrf.init_app(app)  # checks every POST (the API is exempted below)
    security.init_app(app)

    from .api import api

    csrf.exempt(api)
    app.register_blueprint(api)

    from .wizard import wizard

    app.register_blueprint(wizard)
    _register_error_pages(app)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
