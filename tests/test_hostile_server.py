"""A real gunicorn under hostile requests (issue 14): what reaches gunicorn's own parser, and
its logs. A malformed chunked body is a 400 whose bytes reach no log; a path with %0A, %0D or
%00 cannot forge a log line; gunicorn's own 400, 414 and 431 pages carry our headers; nothing
logs a traceback; in development without a key, every worker signs with the same key."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_production import Browser, free_port, wait_until_up

pytestmark = pytest.mark.slow  # real gunicorn servers

MARK = "zq7secret"
HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
           "Referrer-Policy", "Permissions-Policy", "Cache-Control")


def start(env_extra: dict, workers: str = "2"):
    """gunicorn with gunicorn.conf.py on a free port, logging at debug level into files."""
    port = free_port()
    logs = Path(tempfile.mkdtemp(prefix="impplus-hostile-"))
    env = dict(os.environ, IMPPLUS_BIND=f"127.0.0.1:{port}", IMPPLUS_WORKERS=workers,
               IMPPLUS_THREADS="4", IMPPLUS_LOG_LEVEL="debug", IMPPLUS_READ_TIMEOUT="2",
               PYTHONDONTWRITEBYTECODE="1", **env_extra)
    for name in ("IMPPLUS_ENV", "IMPPLUS_SECRET_KEY"):
        if name not in env_extra:
            env.pop(name, None)
    out, err = open(logs / "out.log", "w"), open(logs / "err.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c",
                             str(ROOT / "gunicorn.conf.py"), "--chdir", str(ROOT)],
                            cwd=logs, env=env, stdout=out, stderr=err)
    wait_until_up(proc, port, lambda: (logs / "err.log").read_text())
    return proc, port, logs, (out, err)


def stop(proc, files) -> None:
    proc.terminate()
    proc.wait(timeout=30)
    for f in files:
        f.close()


@pytest.fixture(scope="module")
def server():
    proc, port, logs, files = start({"IMPPLUS_SECRET_KEY": "hostile-tests-key"})
    yield port, logs
    stop(proc, files)


def raw(port: int, data: bytes) -> tuple[int, dict, bytes]:
    """Send `data` as it is; (status, headers, body) of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        answer = b""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return status, headers, body


def logs_of(logs: Path) -> str:
    time.sleep(0.5)  # let the logs reach their files
    return (logs / "out.log").read_text() + (logs / "err.log").read_text()


CHUNKED = [
    b"ZZZ\r\nday=17&month=" + MARK.encode() + b"\r\n0\r\n\r\n",  # not a hex size
    b"5\r\nday=1" + MARK.encode() + b"\r\n0\r\n\r\n",  # chunk longer than its size
    b"5;" + MARK.encode() * 30 + b"\r\nday=1\r\n0\r\n\r\n",  # a long chunk extension
]


@pytest.mark.parametrize("path", ["/en/passport", "/fr/resume", "/api/v1/assessments"])
@pytest.mark.parametrize("body", CHUNKED, ids=["size", "terminator", "extension"])
def test_a_malformed_chunked_body_is_a_400_and_reaches_no_log(server, path, body):
    port, logs = server
    status, headers, answer = raw(port, (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n\r\n").encode() + body)
    assert status == 400, answer[:300]
    for name in HEADERS:
        assert name in headers, (name, status)
    text = logs_of(logs)
    assert MARK not in text
    assert "Traceback" not in text


@pytest.mark.parametrize("forged", ["%0a", "%0d%0a", "%00", "%0d", "%1b[2J", "%22%20200"])
def test_a_path_cannot_forge_a_log_line(server, forged):
    port, logs = server
    access = logs / "out.log"  # the access log; the error log is err.log
    logs_of(logs)
    before = access.read_text().count("\n")
    status, _, _ = raw(port, f"GET /en/x{forged}FORGED-path HTTP/1.1\r\nHost: a\r\n\r\n"
                       .encode())
    assert status == 404
    text = logs_of(logs)
    assert access.read_text().count("\n") == before + 1  # one request, one line
    assert not re.search(r"^FORGED", text, re.M)
    assert "\x00" not in text and "\x1b" not in text


@pytest.mark.parametrize("request_bytes,expected", [
    (b"GET /" + b"a" * 3000 + b" HTTP/1.1\r\nHost: a\r\n\r\n", 414),
    (b"GET / HTTP/1.1\r\nHost: a\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(60))
     + b"\r\n", 431),
    (b"GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n", 431),
    (b"G\x00T /?q=" + MARK.encode() + b" HTTP/1.1\r\nHost: a\r\n\r\n", 400),
    (b"GET /?q=" + MARK.encode() + b" HTTP/9.9\r\nHost: a\r\n\r\n", 400),
    (b"GET / HTTP/1.1\r\nHost: a\r\nBad Header: " + MARK.encode() + b"\r\n\r\n", 400),
    (b"POST /api/v1/assessments HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
], ids=["414", "431-count", "431-size", "method", "version", "header-name", "cl-and-te"])
def test_gunicorn_s_own_error_pages_carry_the_headers_and_log_no_request(
        server, request_bytes, expected):
    port, logs = server
    status, headers, body = raw(port, request_bytes)
    assert status == expected, body[:200]
    for name in HEADERS:
        assert name in headers, (name, status)
    assert "Rien de ce que vous avez saisi" in body.decode("utf-8")
    text = logs_of(logs)
    assert MARK not in text
    assert "Traceback" not in text


def test_development_without_a_key_signs_with_one_key_in_every_worker():
    proc, port, logs, files = start({"IMPPLUS_ENV": "development"}, workers="2")
    try:
        b = Browser(port)
        token = b.token("/en/purpose")
        for _ in range(12):  # new connections, shared out among the two workers
            status, _, data = b.request(
                "POST", "/en/purpose", f"csrf_token={token}&answer=initial".encode(),
                "application/x-www-form-urlencoded")
            assert status == 302, data[:300]
    finally:
        stop(proc, files)
