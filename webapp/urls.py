"""`url_for` for the wizard's own links, built once and kept.

Why: `flask.url_for` takes about 10 µs (request context, URL defaults, Werkzeug's rule builder,
quoting) and a page builds from 5 (a question) to 20 (check your answers, one Change link per
answer) links that are the same for every visitor: `/fr/objet`, `/en/purpose?change=1`,
`/static/style.css`. A link within the site depends only on the endpoint, its values and where
the server mounts the application (SCRIPT_NAME), so it is kept under those, per application, in a
bounded cache.

Only for values that are the same for everyone (languages, page slugs, static file names):
never pass anything a visitor sent, such as their query string, which would then be kept in
memory (see the README: nothing a visitor enters is kept). Anything this cannot key exactly goes
to `flask.url_for` every time: an endpoint relative to the blueprint, the `_anchor`, `_external`,
`_method` and `_scheme` options, URL defaults callbacks, host or subdomain matching, a link built
with a host.
"""

from __future__ import annotations

import typing as t
from functools import lru_cache

import flask
from flask.globals import request_ctx

EXTENSION_KEY = "impplus.urls"
CACHE_SIZE = 2048  # ~250 links a language today; the bound only matters if misused


def _builder(app: flask.Flask) -> t.Callable[[str, str, tuple], str | None] | None:
    """The cache of `app`'s links; None when a link may depend on more than its key (URL
    defaults callbacks, URL build error handlers, host or subdomain matching). Made at the first
    request, after which Flask refuses these settings."""
    if (app.url_map.host_matching or app.subdomain_matching
            or any(app.url_default_functions.values()) or app.url_build_error_handlers):
        return None

    @lru_cache(maxsize=CACHE_SIZE)
    def build(script_name: str, endpoint: str, values: tuple) -> str | None:
        """The link, or None when it is not to be kept (then built every time)."""
        if endpoint[:1] == "." or any(k[:1] == "_" for k, _v in values):
            return None  # relative to the request's blueprint, or url_for's own options
        url = flask.url_for(endpoint, **dict(values))
        # Within the site, Werkzeug gives "<script name>/<path>"; with a host ("//host/...",
        # a websocket or another subdomain) it depends on the request: not kept.
        return url if url.startswith("/") and not url.startswith("//") else None

    return build


def url_for(endpoint: str, **values: t.Any) -> str:
    """`flask.url_for(endpoint, **values)`, built once per application root."""
    try:
        # (the proxy's attribute access costs more than the rest of this function)
        ctx = request_ctx._get_current_object()  # type: ignore[attr-defined]
    except RuntimeError:  # outside a request Flask builds external URLs: not kept
        return flask.url_for(endpoint, **values)
    build = ctx.app.extensions.get(EXTENSION_KEY, False)
    if build is False:
        build = ctx.app.extensions.setdefault(EXTENSION_KEY, _builder(ctx.app))
    url = None
    if build is not None and ctx.url_adapter is not None:
        try:
            url = build(ctx.url_adapter.script_name, endpoint, tuple(sorted(values.items())))
        except TypeError:  # a value that cannot be a key (a list): not kept
            pass
    return url if url is not None else flask.url_for(endpoint, **values)
