"""The application factory: Flask, with Flask-Babel for the language, Flask-WTF's CSRFProtect
for every form, the security headers of `webapp.security`, the wizard and the JSON API."""

from __future__ import annotations

import os
import traceback

from flask import Flask, jsonify, render_template, request, url_for
from werkzeug.exceptions import BadHost
from werkzeug.middleware.proxy_fix import ProxyFix
from flask_babel import Babel
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect

from . import security
from .config import CONFIGS, ProductionConfig, secret_key, secret_key_fallbacks
from .i18n import LANGUAGES, normalise_language, static_dir

csrf = CSRFProtect()
babel = Babel()


class App(Flask):
    """Flask, whose log of an unexpected error says what kind of error and where in the code,
    never its message: an exception's message can quote what a person typed (a date part, a
    body a server could not parse), and nothing typed may reach a log."""

    def log_exception(self, exc_info) -> None:
        """Log the exception's class, the route and the code's file:line frames, no values."""
        kind, _error, tb = exc_info
        frames = traceback.extract_tb(tb)[-4:]
        where = " < ".join(f"{os.path.basename(f.filename)}:{f.lineno}" for f in reversed(frames))
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        self.logger.error("Unhandled %s on %s %s at %s", kind.__name__,
                          request.method if request.method.isalpha() else "?", rule, where)


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
        elif status == 400:
            title, message = _("The request could not be read"), _(
                "Nothing you entered was stored. Go back and try again.")
        else:
            title, message = _("Sorry, something went wrong"), _(
                "Nothing you entered was stored. Try again in a moment.")
        if request.path.startswith("/api/"):
            response = jsonify(error=message, field=None)
            response.headers["Content-Language"] = lang
            return response, status
        if isinstance(request.routing_exception, BadHost):  # no URL can be built for it
            return app.response_class(f"{title}\n{message}\n", status,
                                      mimetype="text/plain", headers={"Content-Language": lang})
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

    app.register_error_handler(400, lambda e: page(400))  # a body that cannot be read, …
    app.register_error_handler(404, lambda e: page(404))
    app.register_error_handler(405, not_allowed)
    app.register_error_handler(500, lambda e: page(500))


def create_app(config: str | type | dict | None = None) -> Flask:
    """The web application.

    `config` is a name of `webapp.config.CONFIGS` ("development", "test", "production"), a
    configuration class, or a dict of settings applied over the configuration named by
    IMPPLUS_ENV (default "development"). Raises RuntimeError for production without
    IMPPLUS_SECRET_KEY (`ProductionConfig.check`)."""
    app = App(__name__, static_folder=str(static_dir()))
    name = config if isinstance(config, str) else os.environ.get("IMPPLUS_ENV", "development")
    cls = config if isinstance(config, type) else CONFIGS[name]
    if issubclass(cls, ProductionConfig):
        cls.check()
    app.config.from_object(cls)
    app.config["SECRET_KEY"] = secret_key(cls)
    app.config["SECRET_KEY_FALLBACKS"] = secret_key_fallbacks()
    if isinstance(config, dict):
        app.config.update(config)
    if os.environ.get("IMPPLUS_FORWARDED_HOST") == "1":
        # Behind a proxy that cannot pass the public Host on: take it from X-Forwarded-Host
        # (README, "Behind a proxy"). Only when every request comes through that proxy.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=0, x_proto=0, x_host=1)
    app.wsgi_app = security.ReadGuard(app.wsgi_app)

    babel.init_app(app, locale_selector=request_language)
    csrf.init_app(app)  # checks every POST (the API is exempted below)
    security.init_app(app)

    from .api import api

    csrf.exempt(api)
    app.register_blueprint(api)

    from .permit_wizard import permit_wizard
    from .wizard import wizard

    app.register_blueprint(wizard)
    app.register_blueprint(permit_wizard)  # the permit check's pages, beside the wizard's
    _register_error_pages(app)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
