"""Every route of the app, GET and POST, with hostile input (issue 14): generated query strings
(every name url_for takes among them), form values (huge numbers, control characters, Unicode
look-alikes, very long strings), body types (form, JSON, multipart with files in text fields, a
body whose reading fails as a malformed chunked body does under gunicorn) and headers (forged
Host, X-Forwarded-*, Accept-Language, Referer, X-CSRFToken), in every state of the session
(empty, part-way, complete for each kind of application, a year-9999 file restored).

Each request must answer below 500, within a bounded time, and leave in the log nothing that
was typed (every generated value carries a marker that is searched for in every log record).
In process, under the production configuration (CSRF on, with a valid token in the form or
the header so posts reach the handlers). Deterministic: hypothesis is derandomized and keeps
no example database. The fast set runs FAST_EXAMPLES cases; the slow set many more.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import re
import time
import urllib.parse

import pytest
from gunicorn.http.errors import InvalidChunkSize
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import build_answers, production_app
from webapp import flow
from webapp.wizard import PAGES

FAST_EXAMPLES = 150
SLOW_EXAMPLES = 2500
TIME_LIMIT = 2.0  # CPU seconds for one request, a PDF drawn or a 1 MB file read included
MARK = "zq7"  # every generated value contains it; no log record may
COOKIE = "impplus"

# Names url_for takes itself, names of our routes' arguments, and names our pages read.
URL_FOR_NAMES = ["lang", "slug", "endpoint", "_external", "_anchor", "_method", "_scheme",
                 "values", "filename", "change", "on", "csrf_token", "answer", "day", "month",
                 "year", "code", "dont_know"]
FIELDS = ["answer", "day", "month", "year", "code", "dont_know", "answers_file", "csrf_token",
          "change", "lang"]
SLUGS = sorted({q.slug(lang) for q in flow.QUESTIONS.values() for lang in ("en", "fr")}
               | {slug for slugs in PAGES.values() for slug in slugs.values()})
CHOICES = sorted({c.key for q in flow.QUESTIONS.values() for c in q.choices} | {"dont_know"})

HUGE = ["2147483648", "9" * 20, "9" * 4301, "-1", "0", "00", "1e9", "0x10", "+5", "１２",
        "٣", "²", "¹²", "𝟙𝟚", "Ⅻ", "9999", "10000", "0000", " 7 ", "1_000"]
ODD = ["\x00", "\r\n", "\n", "\x1b[31m", "\u202e", "\ufeff", "\ud7ff", "<script>", "'\"",
       "%0a", "%00", "{{7*7}}", "%(field)s", "A76", "a76", "Ａ７６", "А76", "…"]


@st.composite
def value(draw) -> str:
    """A form or query value, always with the marker somewhere (so the log can be searched)."""
    kind = draw(st.sampled_from(["huge", "odd", "text", "long", "choice", "slug"]))
    if kind == "huge":
        core = draw(st.sampled_from(HUGE))
    elif kind == "odd":
        core = draw(st.sampled_from(ODD))
    elif kind == "long":
        core = draw(st.sampled_from(["9", "a", "é", "\x01", "𝟗"])) * draw(
            st.sampled_from([300, 5000, 70_000]))
    elif kind == "choice":
        core = draw(st.sampled_from(CHOICES))
    elif kind == "slug":
        core = draw(st.sampled_from(SLUGS))
    else:
        core = draw(st.text(max_size=20))
    # Most values are the bare core (so "2147483648" reaches the date parser as a number);
    # the marker rides in the ones that are free text.
    return core if kind in ("huge", "choice", "slug", "odd") and draw(st.booleans()) else \
        core + MARK


def marked(text: str) -> bool:
    return MARK in text


@functools.cache
def evil_pdf(repeats: int = 100, entries: int = 50_000) -> bytes:
    """A small PDF whose embedded-files name tree lists the same child `repeats` times, the
    child holding `entries` names: 1,260 bytes, and pypdf walks repeats × entries entries."""
    from tests.test_pdf_budget import attachment_tree_pdf

    return attachment_tree_pdf(repeats, entries)


FILES = {
    "answers": lambda: json.dumps(build_answers("outside")).encode(),
    "year9999": lambda: json.dumps(build_answers("extension", {
        "current_permit_expiry": "9999-12-31", "assessment_date": "9999-12-01",
        "pr_application.aor_received": True})).encode(),
    "tree": lambda: evil_pdf(),
    "empty": lambda: b"",
    "junk": lambda: b"%PDF-1.7\n" + MARK.encode() * 10,
    "text": lambda: ("{\"purpose\": \"" + MARK + "\"}").encode(),
}


@st.composite
def hostile_request(draw) -> dict:
    # The question pages are most of the app: half the requests go to /<lang>/<slug>.
    rule = draw(st.sampled_from(RULES + [PAGE_RULE] * (2 * len(RULES))
                                + [RESUME_RULE] * (len(RULES) // 2)))
    state = draw(st.sampled_from(sorted(STATES)))
    lang = draw(st.sampled_from(["en", "fr"]) | st.sampled_from(["en", "fr", "de", "EN",
                                                                   "e\nn"]))
    # Mostly a question the person can reach (so a post reaches its handler), else any slug.
    reachable = [flow.QUESTIONS[q].slug(lang) for q in REACHABLE[state]] if lang in (
        "en", "fr") else []
    args = {"lang": lang,
            "slug": draw(st.sampled_from(reachable or SLUGS) if draw(st.integers(0, 3)) else
                         st.sampled_from(SLUGS + [MARK, "a" * 300, "..%2f", "%0d%0a"])),
            "filename": draw(st.sampled_from(["style.css", "app.js", "../app.py", MARK])),
            # the permit check's pages: /<lang>/check-permit/<slug>, /<lang>/verifier-permis/…
            "section": draw(st.sampled_from(["check-permit", "verifier-permis", MARK]))}
    path = rule.rule
    for name in rule.arguments - set(rule.defaults or ()):  # a default is not in the path
        converter = r"(?:[a-z]+(?:\([^)]*\))?:)?"  # any(...) takes arguments
        path = re.sub(r"<%s%s>" % (converter, name), urllib.parse.quote(args[name], safe=""), path)
    methods = sorted(rule.methods - {"OPTIONS"})
    # Where a route takes a post, mostly a post: that is where the input is read.
    method = draw(st.sampled_from(["POST"] * 3 * ("POST" in methods) + methods
                                  + ["POST", "GET", "PUT", "OPTIONS"]))
    query = draw(st.lists(st.tuples(
        st.sampled_from(URL_FOR_NAMES) | st.text(min_size=1, max_size=8), value()),
        max_size=4))
    asked = flow.BY_SLUG.get(lang, {}).get(args["slug"])
    shape = draw(st.sampled_from(([asked.kind] * 3 if asked else [])
                                 + ["date", "choice", "code", "any"]))
    if shape == "date":  # the three parts, mostly numbers, huge ones among them
        plain = {"day": ["1", "12", "31"], "month": ["2", "12"], "year": ["2024", "9999"]}
        fields = [(part, draw(st.sampled_from(plain[part]) if draw(st.integers(0, 2)) else
                              st.sampled_from(HUGE) | value()))
                  for part in ("day", "month", "year")]
    elif shape == "choice":
        fields = [("answer", draw(st.sampled_from(CHOICES) | value()))]
    elif shape == "code":
        fields = [("code", draw(value()))]
    else:
        fields = []
    fields += draw(st.lists(st.tuples(st.sampled_from(FIELDS), value()), max_size=4))
    body = draw(st.sampled_from(["form", "multipart"]) | st.sampled_from(
        ["none", "form", "multipart", "json", "json-odd", "raw", "broken"]))
    files = draw(st.lists(st.tuples(st.just("answers_file") | st.sampled_from(FIELDS),
                                    st.sampled_from(sorted(FILES))),
                          min_size=int(body == "multipart"), max_size=2))
    token = draw(st.sampled_from(["form", "form", "header", "header", "none", "wrong"]))
    headers = draw(st.dictionaries(st.sampled_from(
        ["Host", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-For", "Accept-Language",
         "Referer", "Origin", "Content-Type", "Accept", "Cookie2"]), value(), max_size=3))
    return {"path": path, "method": method, "query": query, "fields": fields, "files": files,
            "body": body, "token": token, "headers": headers,
            "state": state,
            "scheme": draw(st.sampled_from(["http", "https"]))}


class BrokenBody(io.RawIOBase):
    """A request body whose reading fails midway, as gunicorn's reader does on a malformed
    chunked body (its exception quotes the bytes it could not parse: answers, here)."""

    def __init__(self, data: bytes):
        self.data = data
        self.sent = False
        self.position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:  # the test client measures the body
        self.position = len(self.data) if whence == 2 else offset
        return self.position

    def tell(self) -> int:
        return self.position

    def readinto(self, buffer) -> int:
        if not self.sent:
            self.sent = True
            n = min(len(buffer), 10)
            buffer[:n] = self.data[:n]
            return n
        raise InvalidChunkSize(self.data)


def session_cookie(answers: dict | None) -> tuple[str, str]:
    """(session cookie, signed CSRF token) of a session holding `answers` as resumed."""
    app = production_app()
    client = app.test_client()
    client.get("/en/purpose")
    with client.session_transaction() as session:
        if answers is not None:
            state, done = flow.from_answers(answers)
            session["a"], session["done"] = state, sorted(done)
    page = client.get("/en/purpose").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    cookie = client.get_cookie(COOKIE)
    return cookie.value, token


STATES = {
    "empty": None,
    "partial": {"purpose": "initial"},
    "outside": build_answers("outside"),
    "in_canada": build_answers("in_canada"),
    "extension": build_answers("extension", {"current_permit_expiry": "2026-01-01"}),
    "family": build_answers("family"),
    "year9999": build_answers("extension", {"current_permit_expiry": "9999-12-31",
                                            "assessment_date": "9999-12-01",
                                            "pr_application.aor_received": True}),
    "deadline9999": build_answers("outside", {"assessment_date": "9999-12-30",
                                              "invitation.dated": "9999-12-29",
                                              "invitation.received_on": "9999-12-30",
                                              "csq.issued": "9999-01-01"}),
}
REACHABLE = {}
for _name, _answers in STATES.items():
    _state, _done = flow.from_answers(_answers) if _answers is not None else ({}, set())
    _visited, _next = flow.path(_state, _done)
    REACHABLE[_name] = [q for q in [*_visited, _next, "assessment_date", flow.FIRST]
                        if q in flow.QUESTIONS]
RULES = [r for r in production_app().url_map.iter_rules()]
PAGE_RULE = next(r for r in RULES if r.endpoint == "wizard.page")
RESUME_RULE = next(r for r in RULES if r.endpoint == "wizard.resume")


@functools.cache
def cookies() -> dict:
    return {name: session_cookie(answers) for name, answers in STATES.items()}


class Records(logging.Handler):
    """Every log record of the app and the libraries, formatted with its traceback."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record):
        self.lines.append(self.format(record))


def send(r: dict):
    """Send the request `r` to the production app; (response, seconds)."""
    app = production_app()
    cookie, token = cookies()[r["state"]]
    # A header value cannot hold CR or LF (the server splits lines there); the rest is sent.
    headers = {k: v.replace("\r", "").replace("\n", "").encode("utf-8", "surrogatepass")
               .decode("latin-1", "replace") for k, v in r["headers"].items()}
    headers["Cookie"] = f"{COOKIE}={cookie}"
    fields = list(r["fields"])
    if r["token"] == "form":
        fields.append(("csrf_token", token))
    elif r["token"] == "header":
        headers["X-CSRFToken"] = token
    elif r["token"] == "wrong":
        fields.append(("csrf_token", token[:-2] + MARK))
    kw: dict = {}
    if r["body"] == "form":
        kw["data"] = urllib.parse.urlencode(
            [(k, v.encode("utf-8", "surrogatepass")) for k, v in fields])
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif r["body"] == "multipart":
        data: dict = {}
        for k, v in fields:
            data.setdefault(k, []).append(v)
        for k, f in r["files"]:
            data.setdefault(k, []).append((io.BytesIO(FILES[f]()), f + MARK + ".pdf"))
        kw["data"] = data
        kw["content_type"] = "multipart/form-data"
        headers.pop("Content-Type", None)
    elif r["body"] in ("json", "json-odd"):
        obj: dict = {}
        for k, v in fields:
            obj[k] = v
        if r["body"] == "json-odd":  # not text: numbers, lists, objects, null
            obj = {k: [v, {"x": v}, 10**30, None, True][len(v) % 5] for k, v in obj.items()}
        kw["data"] = json.dumps(obj)
        headers["Content-Type"] = "application/json"
    elif r["body"] == "raw":
        kw["data"] = ("".join(v for _k, v in fields) or MARK).encode("utf-8", "surrogatepass")
    elif r["body"] == "broken":
        data = urllib.parse.urlencode(fields + [("day", MARK)]).encode()
        kw["input_stream"] = BrokenBody(data)
        # as gunicorn says of a chunked body: read it to its end (no Content-Length)
        kw["environ_overrides"] = {"wsgi.input_terminated": True}
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["Transfer-Encoding"] = "chunked"
    query = urllib.parse.urlencode([(k.encode("utf-8", "surrogatepass"),
                                     v.encode("utf-8", "surrogatepass"))
                                    for k, v in r["query"]])
    client = app.test_client(use_cookies=False)  # the Cookie header above, as sent
    started = time.thread_time()  # CPU of this thread: the test client runs the app in it
    response = client.open(r["path"], method=r["method"], query_string=query, headers=headers,
                           base_url=f"{r['scheme']}://localhost", **kw)
    response.get_data()
    return response, time.thread_time() - started


def check(r: dict) -> None:
    records = Records()
    root = logging.getLogger()
    root.addHandler(records)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        response, seconds = send(r)
    finally:
        root.removeHandler(records)
        root.setLevel(old_level)
    assert response.status_code < 500, (response.status_code, r["method"], r["path"])
    assert seconds < TIME_LIMIT, (seconds, r["method"], r["path"])
    leaked = [line for line in records.lines if marked(line)]
    assert not leaked, leaked[:3]
    text = response.get_data().decode("utf-8", "replace")  # a PDF is searched as text too
    host = response.headers.get("Location", "") + text
    for name in ("Host", "X-Forwarded-Host"):  # a forged host never reaches a link we make
        forged = r["headers"].get(name, "")
        if marked(forged):
            assert "//" + forged not in host


HYPOTHESIS = dict(derandomize=True, database=None, deadline=None, print_blob=True,
                  suppress_health_check=list(HealthCheck))


@settings(max_examples=FAST_EXAMPLES, **HYPOTHESIS)
@given(hostile_request())
def test_no_route_gives_a_5xx_hangs_or_logs_what_was_typed(r):
    check(r)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, **HYPOTHESIS)
@given(hostile_request())
def test_no_route_gives_a_5xx_hangs_or_logs_what_was_typed_many_cases(r):
    check(r)


# ------------------------------------------------------------------ the faults found, named

FOUND = [
    ("GET", "/en/purpose?lang=fr", {}, None),
    ("GET", "/en/purpose?slug=x", {}, None),
    ("GET", "/en/purpose?endpoint=x", {}, None),
    ("GET", "/fr/objet?_method=GET&_anchor=x&_scheme=https", {}, None),
]


@pytest.mark.parametrize("method,url,headers,body", FOUND, ids=[f[1] for f in FOUND])
def test_query_strings_that_collide_with_url_for(method, url, headers, body):
    path, _, query = url.partition("?")
    r = {"path": path, "method": method, "query": urllib.parse.parse_qsl(query), "fields": [],
         "files": [], "body": "none", "token": "none", "headers": headers, "state": "partial",
         "scheme": "http"}
    response, _ = send(r)
    assert response.status_code == 200


def test_external_with_a_forged_host_does_not_reach_the_toggle():
    r = {"path": "/en/purpose", "method": "GET", "query": [("_external", "1")], "fields": [],
         "files": [], "body": "none", "token": "none",
         "headers": {"Host": "evil.example"}, "state": "partial", "scheme": "http"}
    response, _ = send(r)
    assert response.status_code in (200, 400)
    assert "evil.example" not in response.get_data(as_text=True)


@pytest.mark.parametrize("part", ["day", "month", "year"])
@pytest.mark.parametrize("number", ["2147483648", "9" * 20, "9" * 4301])
def test_a_huge_number_in_a_date_is_a_400_naming_the_field(part, number):
    fields = {"day": "1", "month": "2", "year": "2024", part: number}
    r = {"path": "/fr/date-d-evaluation", "method": "POST", "query": [],
         "fields": list(fields.items()), "files": [], "body": "form", "token": "form",
         "headers": {}, "state": "partial", "scheme": "http"}
    slug = flow.QUESTIONS["assessment_date"].slug("fr")
    r["path"] = f"/fr/{slug}"
    response, _ = send(r)
    assert response.status_code == 400
    assert f'id="date-{part}"' in response.get_data(as_text=True)
    assert 'href="#date-' + part in response.get_data(as_text=True)


@pytest.mark.parametrize("body", ["json", "json-odd", "multipart"])
def test_a_question_posted_as_json_or_with_file_parts_is_a_400(body):
    slug = flow.QUESTIONS["passport_expiry"].slug("en")
    r = {"path": f"/en/{slug}", "method": "POST", "query": [],
         "fields": [("day", "1"), ("month", "2"), ("year", "2030")],
         "files": [("day", "answers"), ("month", "text")], "body": body, "token": "header",
         "headers": {}, "state": "outside", "scheme": "http"}
    response, _ = send(r)
    assert response.status_code in (302, 400)


@pytest.mark.parametrize("state", ["year9999", "deadline9999"])
@pytest.mark.parametrize("what", ["result", "instruction-sheet.pdf", "dates.ics",
                                  "answers.json"])
def test_year_9999_restored_gives_every_download(state, what):
    r = {"path": f"/en/{what}", "method": "GET", "query": [], "fields": [], "files": [],
         "body": "none", "token": "none", "headers": {}, "state": state, "scheme": "http"}
    response, _ = send(r)
    assert response.status_code in (200, 404), response.status_code


def test_a_malformed_chunked_body_is_a_400_and_logs_nothing_typed():
    slug = flow.QUESTIONS["passport_expiry"].slug("en")
    r = {"path": f"/en/{slug}", "method": "POST", "query": [],
         "fields": [("day", "17" + MARK)], "files": [], "body": "broken", "token": "none",
         "headers": {}, "state": "outside", "scheme": "http"}
    check(r)
    response, _ = send(r)
    assert response.status_code == 400
