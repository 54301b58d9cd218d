"""What every response carries for safety, and how requests are read.

- Headers: a Content-Security-Policy that allows only our own script and style files (the
  templates have no inline script or style, so no 'unsafe-inline'), no framing, no MIME
  sniffing, no referrer to other sites, no powerful browser features, and HSTS when the request came over
  HTTPS (gunicorn sets the scheme from X-Forwarded-Proto for trusted proxies only).
- Caching: pages and downloads hold a person's answers or a CSRF token, so no browser or proxy
  may store them (`no-store`); only the static files may be cached.
- Uploads: Werkzeug spools a large upload to a temporary file on disk; ours stay in memory
  (the body is capped at config.MAX_CONTENT_LENGTH), so nothing anyone sends touches the disk.
"""

from __future__ import annotations

from io import BytesIO

from flask import Flask, Request

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


class InMemoryRequest(Request):
    """A request whose uploaded files are read into memory, never spooled to disk."""

    def _get_file_stream(self, total_content_length, content_type, filename=None,
                         content_length=None):
        return BytesIO()


class SecureHeaders:
    """WSGI middleware that adds the headers above to every response.

    It works on the list of header pairs the app hands to the server, which are fixed strings
    built once, instead of setting each header on Flask's response object (which checks every
    name and value again on every request, a tenth of a small page's time).
    """

    STATIC = "/static/"  # Flask's static route: the only responses that may be cached
    ALWAYS = list(HEADERS.items())
    NO_STORE = ("Cache-Control", "no-store")
    HSTS = ("Strict-Transport-Security", HSTS)

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        # gunicorn sets the scheme from X-Forwarded-Proto for trusted proxies only
        secure = environ.get("wsgi.url_scheme") == "https"
        cacheable = environ.get("PATH_INFO", "").startswith(self.STATIC)

        def start(status, headers, exc_info=None):
            if not cacheable:  # pages and downloads hold answers or a CSRF token
                headers = [h for h in headers if h[0].lower() != "cache-control"]
                headers.append(self.NO_STORE)
            headers.extend(self.ALWAYS)
            if secure:
                headers.append(self.HSTS)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


def init_app(app: Flask) -> None:
    app.request_class = InMemoryRequest
    app.wsgi_app = SecureHeaders(app.wsgi_app)  # type: ignore[method-assign]
