"""Production hardening: headers, cookies, CSRF on every form, request caps, the secret key,
and no answer in any log or file, checked in-process and against a real gunicorn server."""

from __future__ import annotations

import http.client
import io
import json
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pytest
from babel.dates import format_date

from tests.conftest import BASES, ROOT
from tests.test_pages import DK, LANGS, form_data, parse, url, walk
from webapp import create_app
from webapp.i18n import format_day
from webapp.flow import CHECK
from webapp.wizard import DOWNLOAD_PATHS


ANSWERS_PATH = {lang: f"/{lang}/{DOWNLOAD_PATHS['answers'][lang]}" for lang in ("en", "fr")}
PDF_PATH = {lang: f"/{lang}/{DOWNLOAD_PATHS['pdf'][lang]}" for lang in ("en", "fr")}

SECRET = "x" * 64


@pytest.fixture
def prod(monkeypatch):
    monkeypatch.setenv("IMPPLUS_SECRET_KEY", SECRET)
    return create_app("production")


@pytest.fixture
def https(prod):
    """A client of the production app that talks HTTPS, as behind the TLS proxy."""
    return prod.test_client()


def get(client, path, **kw):
    return client.get(path, base_url="https://impplus.example", **kw)


def token_of(response) -> str:
    return parse(response).one("input", name="csrf_token").get("value")


# ------------------------------------------------------------------ the secret key

def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("IMPPLUS_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="IMPPLUS_SECRET_KEY"):
        create_app("production")


def test_the_secret_key_comes_from_the_environment(prod):
    assert prod.config["SECRET_KEY"] == SECRET


@pytest.mark.slow  # a real gunicorn
def test_gunicorn_refuses_to_boot_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMPPLUS_")}
    env["IMPPLUS_BIND"] = f"127.0.0.1:{free_port()}"
    run = subprocess.run([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "IMPPLUS_SECRET_KEY must be set in production" in run.stderr


# ------------------------------------------------------------------ headers

PAGES_TO_CHECK = ["/en/", "/fr/", "/en/start-again", url("fr", "purpose"), "/api/v1/openapi.json",
                  "/en/no-such-page", "/healthz"]


@pytest.mark.parametrize("path", PAGES_TO_CHECK)
def test_security_headers_on_every_response(https, path):
    r = get(https, path)
    csp = r.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in r.headers["Permissions-Policy"]
    assert "geolocation=()" in r.headers["Permissions-Policy"]
    assert r.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert r.headers["Cache-Control"] == "no-store"
    assert_each_header_once(r)


SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                    "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy",
                    "Cross-Origin-Resource-Policy", "Strict-Transport-Security", "Cache-Control")


def assert_each_header_once(response):
    for name in SECURITY_HEADERS:
        assert len(response.headers.getlist(name)) == 1, (name, response.headers)


def test_downloads_redirects_and_refusals_carry_each_header_once():
    """The downloads set their own Cache-Control; the after_request hook leaves exactly one."""
    client = create_app("test").test_client()
    r = client.post("/en/resume", base_url="https://impplus.example", data={"answers_file": (
        io.BytesIO(json.dumps(BASES["outside"]).encode()), "mine.json")})
    assert r.status_code == 302
    assert_each_header_once(r)
    for path in ("/en/instruction-sheet.pdf", "/en/answers.json", "/en/dates.ics", "/",
                 "/en/check-your-answers", "/en/result"):
        r = get(client, path)
        assert r.status_code in (200, 302, 404), (path, r.status_code)
        assert r.headers["Cache-Control"] == "no-store", path
        assert_each_header_once(r)
    r = client.post("/en/resume", base_url="https://impplus.example", data={
        "answers_file": (io.BytesIO(b"x" * 3_000_000), "big.json")})
    assert r.status_code == 413
    assert_each_header_once(r)


def test_the_api_post_and_errors_carry_the_headers(https):
    r = https.post("/api/v1/assessments", data="{", content_type="application/json",
                   base_url="https://impplus.example")
    assert r.status_code == 400
    assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert r.headers["Cache-Control"] == "no-store"


def test_no_hsts_over_plain_http(prod):
    r = prod.test_client().get("/en/", base_url="http://impplus.example")
    assert "Strict-Transport-Security" not in r.headers
    assert r.headers["Content-Security-Policy"]


def test_static_files_may_be_cached_and_are_not_sniffed(https):
    r = get(https, "/static/style.css")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] != "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("template",
                         sorted(p.name for p in (ROOT / "webapp/templates").glob("*.html")))
def test_templates_have_no_inline_script_style_or_handlers(template):
    """The CSP forbids them: they would silently stop working."""
    text = (ROOT / "webapp/templates" / template).read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script>"
    assert "<style" not in text and " style=" not in text
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"
    assert "javascript:" not in text


# ------------------------------------------------------------------ cookies and CSRF

def test_session_cookie_is_secure_httponly_lax(https):
    r = get(https, "/en/")
    cookie = r.headers["Set-Cookie"]  # the CSRF token opens the session
    assert cookie.startswith("impplus=")
    flags = [f.strip().lower() for f in cookie.split(";")[1:]]
    assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags


def post_routes(app) -> list[str]:
    return sorted(r.rule for r in app.url_map.iter_rules()
                  if "POST" in r.methods and not r.rule.startswith("/api/"))


def test_every_form_route_is_known(prod):
    # a new POST route must be added to the CSRF test below
    assert post_routes(prod) == ["/<lang>/<any('check-permit', 'verifier-permis'):section>/<slug>",
                                 "/<lang>/<slug>", "/<lang>/restart", "/<lang>/resume"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["purpose", "passport_expiry", "restart", "resume", "check",
                                  "permit-code"])
def test_every_form_refuses_a_post_without_its_token(https, lang, path):
    if path == "permit-code":  # the permit check's pages
        target = f"/{lang}/{'verifier-permis' if lang == 'fr' else 'check-permit'}/code"
    else:
        target = f"/{lang}/{path}" if path in ("restart", "resume") else url(lang, path)
    get(https, f"/{lang}/")
    r = https.post(target, data={"answer": "initial"}, base_url="https://impplus.example",
                   headers={"Referer": f"https://impplus.example/{lang}/"})
    assert r.status_code == 400
    assert parse(r).one("html").get("lang") == lang
    with https.session_transaction(base_url="https://impplus.example") as s:
        assert "a" not in s


def test_a_post_from_another_site_is_refused_even_with_a_token(https):
    token = token_of(get(https, url("en", "purpose")))
    r = https.post(url("en", "purpose"), data={"answer": "initial", "csrf_token": token},
                   base_url="https://impplus.example",
                   headers={"Referer": "https://evil.example/en/purpose"})
    assert r.status_code == 400
    r = https.post(url("en", "purpose"), data={"answer": "initial", "csrf_token": token},
                   base_url="https://impplus.example",
                   headers={"Referer": "https://impplus.example/en/purpose"})
    assert r.status_code == 302


@pytest.mark.parametrize("page",
                         ["/en/", url("en", "purpose"), url("fr", "assessment_date"), "/fr/"])
def test_every_post_form_on_a_page_carries_a_token(https, page):
    text = get(https, page).get_data(as_text=True)
    forms = re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S)
    posts = [f for f in forms if 'method="post"' in f]
    assert posts
    for form in posts:
        assert 'name="csrf_token"' in form, form[:200]


# ------------------------------------------------------------------ request caps

def test_a_body_over_the_cap_is_refused_with_413(https):
    big = b"x" * (2 * 1024 * 1024)
    r = https.post("/api/v1/assessments", data=big, content_type="application/json",
                   base_url="https://impplus.example")
    assert r.status_code == 413
    r = https.post(url("en", "purpose"), data={"answer": "x" * (2 * 1024 * 1024)},
                   base_url="https://impplus.example")
    assert r.status_code == 413


def test_too_many_form_fields_are_refused(https):
    fields = {f"f{i}": "1" for i in range(100)}
    r = https.post(url("en", "purpose"), data=fields, content_type="multipart/form-data",
                   base_url="https://impplus.example")
    assert r.status_code == 413


def test_an_upload_is_never_spooled_to_disk(monkeypatch):
    """A 1 MB answers file is read in memory: any temporary file would fail the request."""
    import tempfile as tf

    def refuse(*a, **k):
        raise AssertionError("an upload went to a temporary file")

    app = create_app("test")
    client = app.test_client()
    payload = json.dumps({"format": "impplus-answers/1", "purpose": "initial"}).encode()
    payload += b" " * (1024 * 1024 - len(payload))
    for name in ("SpooledTemporaryFile", "TemporaryFile", "NamedTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tf, name, refuse)
    import werkzeug.formparser as fp
    monkeypatch.setattr(fp, "SpooledTemporaryFile", refuse)
    r = client.post("/en/resume", data={"answers_file": (io.BytesIO(payload), "a.json")},
                    content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)[:300]


# ------------------------------------------------------------------ no answer in any log

# Answers chosen to be unlike anything else a log holds: odd dates and a made-up permit code.
MARKED = [  # as of a day within the letter's 90 days (after them the questions stop)
    ("assessment_date", "2024-11-14"), ("purpose", "initial"),
    ("residence", "canada_outside_quebec"), ("status_in_canada", "valid"),
    ("holds_r206_permit", "no"), ("can_apply_from_inside_canada", "yes"),
    ("intends_to_live_and_work_in_quebec", "yes"), ("csq_held", "yes"),
    ("csq_category", "skilled_worker"), ("csq_issued", "2023-07-19"), ("pr_submitted", "yes"),
    ("pr_submitted_on", "2024-03-13"), ("pr_status", "in_progress"),
    ("invitation_received", "yes"), ("invitation_dated", "2024-10-17"),
    ("invitation_received_on", "2024-10-23"), ("channel", "online"),
    ("passport_expiry", "2034-08-29"),
]
MARKED_EXTENSION = [("purpose", "extension"), ("current_permit_code", "QZ7X"),
                    ("current_permit_expiry", "2027-05-11"), ("pr_submitted", "yes"),
                    ("pr_status", "in_progress"), ("pr_aor_received", "yes"),
                    ("passport_expiry", "2036-02-27")]
FILE_ANSWERS = {"format": "impplus-answers/1", "purpose": "family", "family_member": "spouse",
                "principal": {"permit_code": "XQ93", "pr_submitted": False},
                "passport_expiry": "2037-06-14"}


def forms_of(value: str) -> list[str]:
    """Every way a logged answer could be written."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return [value, value.lower()]
    d = date.fromisoformat(value)
    return [value, d.strftime("%d/%m/%Y"), d.strftime("%m/%d/%Y"), d.strftime("%Y%m%d"),
            format_date(d, "long", locale="en"), format_date(d, "long", locale="fr_CA"),
            format_date(d, "medium", locale="en"),
            # as the tool writes them (French with non-breaking spaces)
            format_day(d, "en"), format_day(d, "fr")]


SECRETS = [form for _, v in MARKED + MARKED_EXTENSION if v not in ("yes", "no", DK)
           and (re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) or v.isupper())
           for form in forms_of(v)] + [f for v in ("XQ93", "2037-06-14") for f in forms_of(v)]


def test_the_marked_answers_are_all_searched_for():
    assert {"2023-07-19", "19 juillet 2023", "19\u00a0juillet\u00a02023", "July 19, 2023", "QZ7X",
            "XQ93", "29/08/2034"} <= set(SECRETS)


def assert_no_answer_in(text: str) -> None:
    found = [s for s in SECRETS if s in text]
    assert not found, f"answers found in the log: {found}"


def test_journeys_in_process_log_no_answer(caplog):
    caplog.set_level(logging.DEBUG)
    app = create_app("test")
    for lang in LANGS:
        client = app.test_client()
        walk(client, lang, MARKED, end=CHECK)
        for page in ("check", "result"):
            assert client.get(url(lang, page)).status_code == 200
        assert client.get(PDF_PATH[lang]).status_code == 200
        client = app.test_client()
        walk(client, lang, MARKED_EXTENSION, end=CHECK)
        assert client.get(url(lang, "result")).status_code == 200
        r = client.post(f"/{lang}/resume", data={"answers_file": (
            io.BytesIO(json.dumps(FILE_ANSWERS).encode()), "mine.json")})
        assert r.status_code == 302
        assert client.post(f"/api/v1/assessments?lang={lang}", json=FILE_ANSWERS).status_code \
            == 200
    assert_no_answer_in(caplog.text)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser for our forms: cookies (Secure ones too, as the site is
    behind an HTTPS proxy), CSRF tokens, the Referer, and redirects."""

    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{self.port}",
                   "Referer": f"https://127.0.0.1:{self.port}/en/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def token(self, path: str) -> str:
        status, _, data = self.request("GET", path)
        assert status == 200, (path, status)
        tag = re.search(rb'<input[^>]*name="csrf_token"[^>]*>', data).group(0)
        return re.search(rb'value="([^"]+)"', tag).group(1).decode()

    def post_form(self, path: str, fields: dict) -> tuple[int, dict, bytes]:
        fields = dict(fields, csrf_token=self.token(path))
        return self.request("POST", path, urlencode(fields).encode(),
                            "application/x-www-form-urlencoded")

    def walk(self, lang: str, steps) -> None:
        for node, value in steps:
            status, headers, data = self.post_form(url(lang, node), form_data(node, value))
            assert status == 302, (node, status, data[:300])


def wait_until_up(proc, port: int, output=lambda: "") -> dict:
    """Wait for the gunicorn in `proc` to answer GET /healthz (up to 30 s); its JSON body.
    `output` gives what the server said, shown if it stops instead."""
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            if response.status == 200:
                return json.loads(response.read())
        except OSError:
            pass
        assert proc.poll() is None, output()
        assert time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn with the production config, logging at debug level into files, started in an
    empty directory with its own HOME and TMPDIR so that any file it writes would show."""
    root = tmp_path_factory.mktemp("served")
    (root / "home").mkdir()
    (root / "tmp").mkdir()
    port = free_port()
    env = dict(os.environ, IMPPLUS_SECRET_KEY=SECRET, IMPPLUS_BIND=f"127.0.0.1:{port}",
               IMPPLUS_WORKERS="2", IMPPLUS_THREADS="4", IMPPLUS_READ_TIMEOUT="2",
               IMPPLUS_LOG_LEVEL="debug", HOME=str(root / "home"),
               TMPDIR=str(root / "tmp"), PYTHONDONTWRITEBYTECODE="1")
    env.pop("IMPPLUS_ENV", None)
    logs = tempfile.mkdtemp(prefix="impplus-logs-")
    out, err = open(Path(logs) / "out.log", "w"), open(Path(logs) / "err.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c",
                             str(ROOT / "gunicorn.conf.py"), "--chdir", str(ROOT)],
                            cwd=root, env=env, stdout=out, stderr=err)
    wait_until_up(proc, port, lambda: Path(logs, "err.log").read_text())
    yield port, root, Path(logs)
    proc.terminate()
    proc.wait(timeout=30)
    out.close()
    err.close()


def run_journeys(port: int) -> None:
    for lang in LANGS:
        b = Browser(port)
        b.walk(lang, MARKED)
        for page in ("check", "result"):
            assert b.request("GET", url(lang, page))[0] == 200
        status, headers, pdf = b.request("GET", PDF_PATH[lang])
        assert status == 200 and pdf.startswith(b"%PDF")
        assert b.request("GET", ANSWERS_PATH[lang])[0] == 200
        b = Browser(port)
        b.walk(lang, MARKED_EXTENSION)
        assert b.request("GET", url(lang, "result"))[0] == 200
        token = b.token(f"/{lang}/")
        boundary = "impplusboundary"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f"name=\"answers_file\"; filename=\"mine.json\"\r\nContent-Type: "
                f"application/json\r\n\r\n{json.dumps(FILE_ANSWERS)}\r\n--{boundary}--\r\n")
        status, headers, _ = b.request("POST", f"/{lang}/resume", body.encode(),
                                       f"multipart/form-data; boundary={boundary}")
        assert status == 302, status
        status, _, data = b.request("POST", f"/api/v1/assessments?lang={lang}",
                                    json.dumps(FILE_ANSWERS).encode(), "application/json")
        assert status == 200, data[:200]
        # a wrong answer, sent back as an error page, is not logged either
        assert b.post_form(url(lang, "assessment_date"),  # a date page always reachable
                           {"day": "29", "month": "8", "year": "20341"})[0] == 400


@pytest.mark.slow  # a real gunicorn
def test_a_real_server_logs_no_answer_and_writes_no_file(served):
    port, root, logs = served
    run_journeys(port)
    time.sleep(0.5)  # let the access log reach its file
    out, err = (logs / "out.log").read_text(), (logs / "err.log").read_text()
    assert "GET /en/result" in out or "GET /en/result" in err, "the access log is on"
    assert "csrf_token" not in out + err and "impplus=" not in out + err
    assert_no_answer_in(out + err)
    written = [p for p in root.rglob("*") if p.is_file()]
    assert written == [], written


@pytest.mark.slow  # a real gunicorn
def test_the_real_server_sends_the_headers_and_secure_cookies(served):
    port, _, _ = served
    b = Browser(port)
    status, headers, _ = b.request("GET", "/en/")
    assert status == 200
    assert headers["strict-transport-security"].startswith("max-age=")
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "secure" in headers["set-cookie"].lower()


@pytest.mark.slow  # a real gunicorn
def test_the_real_server_caps_hostile_requests(served):
    port, _, _ = served
    b = Browser(port)
    assert b.request("GET", "/en/" + "a" * 5000)[0] in (400, 414)
    status, _, _ = b.request("POST", "/api/v1/assessments", b"[" * (2 * 1024 * 1024),
                             "application/json")
    assert status == 413
    assert b.request("GET", "/healthz")[0] == 200  # and it is still up


@pytest.mark.slow  # a real gunicorn
def test_clients_that_stall_mid_request_are_cut_off(served):
    """Twelve clients that send half a request and then nothing would hold all 8 threads for
    ever (slowloris); with the read deadline (2 s here) the server answers again."""
    port, _, logs = served
    stalled = []
    for i in range(12):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /en/ HTTP/1.1\r\nHost: x\r\n" if i % 2 else
                  b"POST /api/v1/assessments HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
                  b"Content-Type: application/json\r\n\r\n{")
        stalled.append(s)
    time.sleep(0.5)
    try:
        started = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        conn.request("GET", "/healthz")
        assert conn.getresponse().status == 200
        assert time.monotonic() - started < 10
        time.sleep(3)  # past the deadline for every stalled client, before they hang up
    finally:
        for s in stalled:
            s.close()
    time.sleep(0.5)
    err = (logs / "err.log").read_text()
    assert "sent nothing for 2 s in the middle of a request" in err
    assert "Traceback" not in err
