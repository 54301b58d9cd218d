"""What every response carries for safety, and how uploads are read.

- Headers: a Content-Security-Policy that allows only our own script and style files (the
  templates have no inline script or style, so no 'unsafe-inline'), no framing, no MIME
  sniffing, no referrer to other sites, no powerful browser features, and HSTS when the request
  came over HTTPS (gunicorn sets the scheme from X-Forwarded-Proto for trusted proxies only).
- Caching: pages and downloads hold a person's answers or a CSRF token, so no browser or proxy
  may store them (`no-store`); only the static files may be cached.
- Uploads: Werkzeug spools a large upload to a temporary file on disk; ours stay in memory
  (the body is capped at config.MAX_CONTENT_LENGTH), so nothing anyone sends touches the disk.
"""

from __future__ import annotations

from io import BytesIO

from flask import Flask, Request, Response, request
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.formparser import FormDataParser

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])

# Features this tool never uses: a page cannot ask for them, even if someone injected one.
PERMISSIONS = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen",
    "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment",
    "picture-in-picture", "publickey-credentials-get", "screen-wake-lock", "usb",
    "xr-spatial-tracking", "browsing-topics"))

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    # Our own pages may send their address to our own server (Flask-WTF checks, over HTTPS, that
    # a form was posted from one of our pages); no other site ever receives it. Our URLs carry
    # no answers, only question names.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

HSTS = "max-age=63072000; includeSubDomains"  # two years
STATIC = "/static/"  # Flask's static route: the only responses that may be cached


def _in_memory(total_content_length, content_type, filename, content_length=None) -> BytesIO:
    """Werkzeug's stream factory signature: every uploaded file goes to a BytesIO."""
    return BytesIO()


class InMemoryRequest(Request):
    """A request whose uploaded files are read into memory, never spooled to disk."""

    def make_form_data_parser(self) -> FormDataParser:
        """Werkzeug's own parser and limits, with an in-memory stream for files."""
        return self.form_data_parser_class(
            stream_factory=_in_memory,
            max_form_memory_size=self.max_form_memory_size,
            max_content_length=self.max_content_length,
            max_form_parts=self.max_form_parts,
            cls=self.parameter_storage_class,
        )


class _GuardedInput:
    """A request body whose read errors become a 400: a server's own error while reading it
    (gunicorn's on a malformed chunked body, whose message quotes the bytes it could not
    parse, answers included) would otherwise be a 500 logged with that message."""

    def __init__(self, stream):
        self.stream = stream

    def _call(self, method, *args):
        try:
            return method(*args)
        except HTTPException:
            raise
        except Exception:  # any server's reader, any failure: the same answer, no message
            raise BadRequest() from None

    def read(self, *args):
        """The server's read, with its errors as a 400."""
        return self._call(self.stream.read, *args)

    def readline(self, *args):
        """The server's readline, with its errors as a 400."""
        return self._call(self.stream.readline, *args)

    def readlines(self, *args):
        """The server's readlines, with its errors as a 400."""
        return self._call(self.stream.readlines, *args)

    def __iter__(self):
        return iter(self.readline, b"")


class ReadGuard:
    """WSGI middleware: the request body is read through `_GuardedInput`."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.input") is not None:
            environ["wsgi.input"] = _GuardedInput(environ["wsgi.input"])
        return self.wsgi_app(environ, start_response)


def add_headers(response: Response) -> Response:
    """The headers above on `response` (an after_request hook, so error pages, redirects and
    downloads get them too), `Cache-Control: no-store` on all but static files, HSTS over
    HTTPS. Returns the same response."""
    response.headers.update(HEADERS)
    if not request.path.startswith(STATIC):  # pages and downloads hold answers or a CSRF token
        response.headers["Cache-Control"] = "no-store"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    """Read uploads in memory and add the headers to every response of `app`."""
    app.request_class = InMemoryRequest
    app.after_request(add_headers)
