"""gunicorn's threaded worker, with a deadline on every read from a client.

gunicorn's gthread worker waits for a new connection's first bytes without holding a thread,
but once a request has begun, a thread reads it with a blocking socket and no time limit: a
few dozen clients that send half a request and then nothing ("slowloris") hold every thread
and the server stops answering anyone (seen here: 20 such connections froze 2 workers of 4
threads). This worker gives each client socket an operating-system receive timeout
(SO_RCVTIMEO), which survives gunicorn's switches between blocking and non-blocking mode: a
client that goes READ_TIMEOUT seconds without sending a byte in the middle of a request is
disconnected and its thread freed. Legitimate browsers never pause that long mid-request.

It does not stop a client that trickles one byte every few seconds; a buffering proxy in front
(nginx, or the platform's load balancer) does, and the README says to use one.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import ssl
import struct
from datetime import datetime

from gunicorn import util
from gunicorn.glogging import Logger
from gunicorn.http import errors as http_errors
from gunicorn.http.wsgi import Response, default_environ
from gunicorn.workers.gthread import ThreadWorker as _ThreadWorker

from .i18n import localize
from .rules import msg
from .security import HEADERS

# Seconds without a byte, mid-request (IMPPLUS_READ_TIMEOUT changes it).
READ_TIMEOUT = int(os.environ.get("IMPPLUS_READ_TIMEOUT", "10"))


class _SlowClientNote(logging.Filter):
    """gunicorn logs the timeout as a socket error with a traceback; one line says it better
    (and keeps an attack from flooding the log with tracebacks)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, BlockingIOError) and record.msg == "Socket error processing request.":
            record.msg, record.args, record.exc_info = (
                "Disconnected a client that sent nothing for %d s in the middle of a request.",
                (READ_TIMEOUT,), None)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


# ------------------------------------------------------------------ log lines that cannot be forged

_UNPRINTABLE = re.compile(r'[\x00-\x1f\x7f-\x9f"\\\u2028\u2029]')


def escape(text: str) -> str:
    """`text` with every control character (CR, LF, NUL, ESC, C1 controls, line and paragraph
    separators), the double quote and the backslash written as \\xNN or \\uNNNN: a log line
    stays one line, and a quoted field cannot be closed early."""
    return _UNPRINTABLE.sub(lambda m: "\\x%02x" % ord(m.group()) if ord(m.group()) < 256
                            else "\\u%04x" % ord(m.group()), text)


class _EscapeMessage(logging.Filter):
    """Escape the formatted message of every record a handler writes (see `escape`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = escape(record.getMessage()), ()
        return True


class SafeLogger(Logger):
    """gunicorn's logger (gunicorn.conf.py's logger_class) whose access log escapes what it
    quotes from the request (the path is percent-decoded: %0A, %0D and %00 forged lines), and
    whose error log escapes every message."""

    def setup(self, cfg):
        """gunicorn's set-up, then the escaping filter on each error-log handler."""
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.addFilter(_EscapeMessage())

    def atoms(self, resp, req, environ, request_time):
        """gunicorn's access-log atoms, each text escaped."""
        atoms = super().atoms(resp, req, environ, request_time)
        return {k: escape(v) if isinstance(v, str) else v for k, v in atoms.items()}


# ------------------------------------------------------------------ gunicorn's own error pages

# The status of each error gunicorn finds before the app sees the request (the first class
# that matches); its own page carried none of our headers and quoted the bad request line.
_STATUS = (
    ((http_errors.InvalidResponseHeader, http_errors.InvalidResponseHeaderName), 500,
     "Internal Server Error"),
    (http_errors.LimitRequestLine, 414, "URI Too Long"),
    (http_errors.LimitRequestHeaders, 431, "Request Header Fields Too Large"),
    (http_errors.ExpectationFailed, 417, "Expectation Failed"),
    (http_errors.ForbiddenProxyRequest, 403, "Forbidden"),
    (http_errors.UnsupportedTransferCoding, 501, "Not Implemented"),
    (http_errors.ConfigurationProblem, 500, "Internal Server Error"),
    (http_errors.ParseException, 400, "Bad Request"),
    (ssl.SSLError, 403, "Forbidden"),
)
_REFUSED = (msg("The request could not be read"),
            msg("Nothing you entered was stored. Go back and try again."))


def status_of(error: BaseException) -> tuple[int, str]:
    """(status, reason) of an error gunicorn met while reading or answering a request."""
    for kinds, status, reason in _STATUS:
        if isinstance(error, kinds):
            return status, reason
    return 500, "Internal Server Error"


def error_response(status: int, reason: str) -> bytes:
    """gunicorn's own error page, with our security headers, `no-store`, and a text in both
    languages from the catalogues (the request's language is not known yet)."""
    body = "\n\n".join("\n".join(localize(text, lang) for text in _REFUSED)
                        for lang in ("en", "fr")).encode("utf-8") + b"\n"
    head = [f"HTTP/1.1 {status} {reason}", "Connection: close",
            "Content-Type: text/plain; charset=utf-8", f"Content-Length: {len(body)}",
            "Cache-Control: no-store", *(f"{k}: {v}" for k, v in HEADERS.items())]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


class ThreadWorker(_ThreadWorker):
    """gunicorn's gthread worker whose client sockets time out after READ_TIMEOUT seconds
    without a byte mid-request (gunicorn.conf.py's worker_class)."""

    def init_process(self):
        """gunicorn's set-up, with the one-line note for slow clients in the error log."""
        self.log.error_log.addFilter(_SlowClientNote())
        super().init_process()

    def handle_error(self, req, client, addr, exc):
        """gunicorn's answer to a request it could not read (or an error outside the app): the
        same statuses, logged by the error's kind only (gunicorn's message quotes the request
        line or the body: answers), and a page with our headers."""
        status, reason = status_of(exc)
        if status < 500:
            self.log.warning("Refused a request: %s (%d).", type(exc).__name__, status)
        else:
            self.log.error("Error handling a request: %s.", type(exc).__name__)
        if req is not None:
            try:
                environ = default_environ(req, client, self.cfg)
                environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = (addr or ("", -1))[0], "-"
                resp = Response(req, client, self.cfg)
                resp.status = f"{status} {reason}"
                self.log.access(resp, req, environ, datetime.now() - datetime.now())
            except Exception:  # the access line is a courtesy; the answer still goes
                pass
        try:
            util.write_nonblock(client, error_response(status, reason))
        except Exception:
            self.log.debug("Failed to send error message.")

    def enqueue_req(self, conn):
        """Give the client socket its receive deadline, then queue it as gunicorn does."""
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                             struct.pack("ll", READ_TIMEOUT, 0))
        super().enqueue_req(conn)
