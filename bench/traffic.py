"""The requests that bench/pages.py times and bench/soak.py sends: session cookies signed with
the server's key (IMPPLUS_SECRET_KEY), holding e01's answers (complete, or half answered) and a
CSRF token; form posts with that token; JSON bodies for the API. Valid and invalid alike, each
with the status it must get and a string its body must hold.

    build_requests("http://127.0.0.1:8000") -> {"question_en": [request], "result_en": [...],
        "result_fr": [...], "api": [...], "soak": [17 requests], "soak_check": [19 requests]}

A request is {"name", "method", "path", "headers", "body" (str or None), "expect" (status),
"marker" (str or None)}.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "examples" / "e01_outside_canada_eligible.json"  # complete, eligible


def free_ports(n: int) -> list[int]:
    """`n` TCP ports on 127.0.0.1 that were free a moment ago."""
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


def _example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))["answers"]


def _sessions():
    """(app, cookie name, {"complete"|"partial": cookie value}, CSRF form token, flow module,
    the question a partial session asks next, the questions of the complete path). Signed with
    the server's own key (IMPPLUS_SECRET_KEY) and production config, so the server accepts
    them; both sessions hold the raw CSRF token that the form token signs."""
    os.environ.setdefault("IMPPLUS_ENV", "production")
    if not os.environ.get("IMPPLUS_SECRET_KEY"):
        sys.exit("bench/traffic.py: IMPPLUS_SECRET_KEY must be the server's key")
    from flask import session
    from flask_wtf.csrf import generate_csrf

    from webapp import create_app, flow

    app = create_app("production")
    with app.test_request_context():
        generate_csrf()  # puts a raw token in this (throwaway) session
        raw = session["csrf_token"]
        form_token = generate_csrf()
    serializer = app.session_interface.get_signing_serializer(app)

    state, done = flow.from_answers(_example())
    visited, nxt = flow.path(state, done)
    assert nxt == flow.CHECK, "the example should be complete"
    # Mid-journey: the first half of the questions answered, the next one to ask.
    mid = len(visited) // 2
    partial = {"assessment_date", *visited[:mid]}
    pending = visited[mid]
    assert flow.path(state, partial)[1] == pending
    cookies = {
        "complete": serializer.dumps({"a": state, "done": sorted(done), "csrf_token": raw}),
        "partial": serializer.dumps({"a": state, "done": sorted(partial), "csrf_token": raw}),
    }
    return app, app.config["SESSION_COOKIE_NAME"], cookies, form_token, flow, pending, visited


def build_requests(base: str) -> dict[str, list[dict]]:
    """{spec name: [request, ...]}: one request per measured page, a rotation for the soak.
    Each request: name, method, path, headers, body, and what `check` expects (status,
    marker: a string the body holds)."""
    app, cookie_name, cookies, token, flow, pending, visited = _sessions()
    # Valid POSTs answer again questions the partial session has answered (so they are
    # reachable): its first date question and its first choice question.
    answered = [flow.QUESTIONS[n] for n in visited[:visited.index(pending)]]
    date_q = next(q for q in answered if q.kind == "date")
    choice_q = next(q for q in answered if q.kind == "choice" and q.dont_know)
    answers = _example()
    host = urlsplit(base).netloc

    def cookie(which: str) -> dict:
        return {"Cookie": f"{cookie_name}={cookies[which]}"}

    def form(path: str, fields: dict, which: str = "partial") -> dict:
        return {"method": "POST", "path": path, "body": urlencode(fields),
                "headers": {**cookie(which), "Referer": f"http://{host}{path}",
                            "Content-Type": "application/x-www-form-urlencoded"}}

    def api(body: str, lang: str = "en") -> dict:
        return {"method": "POST", "path": f"/api/v1/assessments?lang={lang}", "body": body,
                "headers": {"Content-Type": "application/json"}}

    def get(path: str, which: str = "complete") -> dict:
        return {"method": "GET", "path": path, "headers": cookie(which), "body": None}

    def r(name: str, spec: dict, status: int, marker: str | None = None) -> dict:
        return {"name": name, **spec, "expect": status, "marker": marker}

    with app.test_request_context():
        from webapp.wizard import page_url, question_url

        question_en = question_url("en", pending)
        date_en = question_url("en", date_q.id)
        choice_en = question_url("en", choice_q.id)
        result_en, result_fr = page_url("en", "result"), page_url("fr", "result")
        choice_fr = question_url("fr", choice_q.id)

    y, m, d = flow.get(answers, date_q.field).split("-")
    good_date = {"csrf_token": token, "day": str(int(d)), "month": str(int(m)), "year": y}
    api_body = json.dumps(answers)
    pages = {
        "question_en": [r(f"GET {question_en} (question page mid-journey, EN)",
                          get(question_en, "partial"), 200, 'name="csrf_token"')],
        "result_en": [r(f"GET {result_en} (result page, e01, EN)", get(result_en), 200,
                        "IMM 1295")],
        "result_fr": [r(f"GET {result_fr} (result page, e01, FR)", get(result_fr), 200,
                        "IMM 1295")],
        "api": [r("POST /api/v1/assessments?lang=en (e01 JSON)", api(api_body), 200,
                  '"outcome"')],
    }
    soak = [
        r("valid: GET result page EN", get(result_en), 200, "IMM 1295"),
        r(f"valid: POST date {date_en}", form(date_en, good_date), 302),
        r(f"valid: POST choice {choice_en}",
          form(choice_en, {"csrf_token": token, "answer": choice_q.choices[0].key}), 302),
        r("valid: POST API e01", api(api_body), 200, '"outcome"'),
        r(f"valid: POST “I don't know” {date_en}",
          form(date_en, {"csrf_token": token, "dont_know": "1"}), 302),
        r("valid: GET question page", get(question_en, "partial"), 200, 'name="csrf_token"'),
        r("valid: POST API e01 in French", api(api_body, "fr"), 200, '"outcome"'),
        r("valid: GET result page FR", get(result_fr), 200, "IMM 1295"),
        r("invalid: date Feb 31", form(date_en, {**good_date, "day": "31", "month": "2"}), 400,
          "not a real date"),
        r("invalid: date parts not numbers",
          form(date_en, {**good_date, "day": "x"}), 400, "must be a number"),
        r("invalid: choice with no answer", form(choice_fr, {"csrf_token": token}), 400,
          "option"),
        r("invalid: no CSRF token", form(date_en, {k: v for k, v in good_date.items()
                                                    if k != "csrf_token"}), 400),
        r("invalid: wrong CSRF token", form(date_en, {**good_date, "csrf_token": token[:-4] +
                                                      "AAAA"}), 400),
        r("invalid: oversized field (64 KiB year)",
          form(date_en, {**good_date, "year": "9" * 65536}), 400),
        r("invalid: tampered session cookie",
          {**form(date_en, good_date),
           "headers": {**form(date_en, good_date)["headers"],
                       "Cookie": f"{cookie_name}={cookies['partial'][:-3]}xyz"}}, 400),
        r("invalid: API body not JSON", api('{"purpose": "initial",'), 400, '"error"'),
        r("invalid: API wrong answer", api(json.dumps({**answers, "residence": "mars",
                                                       "csq": {"held": "maybe"}})),
          422, '"errors"'),
    ]
    # Sent once before the soak, each on a connection of its own: the server answers 413 as
    # soon as it has read the headers and then closes the connection without reading the rest.
    too_large = [r("invalid: API body over 1 MB (sent once)",
                   api('{"x": "' + "a" * 1_200_000 + '"}'), 413, '"error"'),
                 r("invalid: form over 1 MB (sent once)",
                   form(date_en, {**good_date, "year": "9" * 1_200_000}), 413)]
    return {**pages, "soak": soak, "soak_check": soak + too_large}
