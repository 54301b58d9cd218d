"""Helpers of bench/load.sh: free ports, the requests wrk sends (signed session cookies with a
CSRF token, form and JSON bodies), a check of each request against the running server before
it is measured, and the reports (bench/out/load.json, bench/out/soak.json).

    python3 bench/load_support.py ports N
    python3 bench/load_support.py fixtures OUTDIR BASE_URL      # needs IMPPLUS_SECRET_KEY
    python3 bench/load_support.py check SPEC.json BASE_URL
    python3 bench/load_support.py sample-rss MASTER_PID SECONDS FILE   # until killed
    python3 bench/load_support.py report-load RUNDIR OUTDIR     # exit 3: a goal failed
    python3 bench/load_support.py report-soak RUNDIR OUTDIR
    python3 bench/load_support.py markdown RUNDIR OUTDIR

The requests are written twice: as JSON (for `check`) and as a Lua file that
bench/load/run.lua loads (`return { {name=..., method=..., path=..., headers={...},
body=...}, ... }`), so what is checked is what wrk sends.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import socket
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path(os.environ.get("LOAD_EXAMPLES", ROOT.parent / "shared" / "examples"))
EXAMPLE = "e01_outside_canada_eligible.json"  # complete, eligible, with an assessment_date

# The goals of issue 5, item 4.
MIN_RPS_RATIO = 0.60  # our requests/s over hello-world's
MAX_P99_RATIO = 1.5  # our p99 latency over hello-world's, same run, same connections
MEM_GROWTH_LIMIT_MB = float(os.environ.get("LOAD_MEM_LIMIT_MB", "5"))
MIX_TOLERANCE = 0.02  # observed share of a status code vs its share of the request rotation


# ------------------------------------------------------------------ ports

def free_ports(n: int) -> list[int]:
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


# ------------------------------------------------------------------ requests

def _example() -> dict:
    return json.loads((EXAMPLES / EXAMPLE).read_text())["answers"]


def _sessions():
    """(app, cookie name, {"complete"|"partial": cookie value}, CSRF form token, flow module,
    the question a partial session asks next, the questions of the complete path). Signed with
    the server's own key (IMPPLUS_SECRET_KEY) and production config, so the server accepts
    them; both sessions hold the raw CSRF token that the form token signs."""
    os.environ.setdefault("IMPPLUS_ENV", "production")
    if not os.environ.get("IMPPLUS_SECRET_KEY"):
        sys.exit("load_support: IMPPLUS_SECRET_KEY must be the server's key")
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
    # Checked once before the soak, but not sent by wrk. The server answers 413 as soon as it
    # has read the headers, with "Connection: keep-alive", but then closes the connection
    # without reading the rest of the body (curl, sending two such requests on one
    # connection, finds it dead and reconnects). wrk reuses it at once and counts a read or a
    # write error for every 413 (one each in a 2 s run of 651 responses), which would hide
    # any real error of the soak.
    too_large = [r("invalid: API body over 1 MB (checked once, not in the wrk rotation)",
                   api('{"x": "' + "a" * 1_200_000 + '"}'), 413, '"error"'),
                 r("invalid: form over 1 MB (checked once, not in the wrk rotation)",
                   form(date_en, {**good_date, "year": "9" * 1_200_000}), 413)]
    return {**pages, "soak": soak, "soak_check": soak + too_large}


def lua_string(s: str) -> str:
    out = []
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append(f"\\{ch:03d}")
    return '"' + "".join(out) + '"'


def lua_requests(reqs: list[dict]) -> str:
    lines = ["-- written by bench/load_support.py fixtures; loaded by bench/load/run.lua",
             "return {"]
    for r in reqs:
        headers = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}"
                            for k, v in r["headers"].items())
        body = "nil" if r["body"] is None else lua_string(r["body"])
        lines.append(f"  {{name = {lua_string(r['name'])}, method = {lua_string(r['method'])}, "
                     f"path = {lua_string(r['path'])}, headers = {{{headers}}}, "
                     f"body = {body}, expect = {r['expect']}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def fixtures(outdir: str, base: str) -> None:
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    specs = build_requests(base)
    specs["hello"] = [{"name": "GET / (hello-world)", "method": "GET", "path": "/",
                       "headers": {}, "body": None, "expect": 200, "marker": "Hello, world!"}]
    for name, reqs in specs.items():
        (out / f"{name}.json").write_text(json.dumps(reqs, indent=1))
        (out / f"{name}.lua").write_text(lua_requests(reqs))
    print(" ".join(specs))


# ------------------------------------------------------------------ check

def check(spec: str, base: str) -> int:
    """Send each request once; the status and marker must be the expected ones (a wrong
    cookie would otherwise be measured as a fast redirect)."""
    u = urlsplit(base)
    bad = 0
    for r in json.loads(Path(spec).read_text()):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        body = r["body"].encode() if r["body"] is not None else None
        conn.request(r["method"], r["path"], body=body, headers=r["headers"])
        resp = conn.getresponse()
        text = resp.read().decode("utf-8", "replace")
        conn.close()
        ok = resp.status == r["expect"] and (not r.get("marker") or r["marker"] in text)
        where = f" -> {resp.getheader('Location')}" if 300 <= resp.status < 400 else ""
        print(f"  {'ok ' if ok else 'BAD'} {resp.status}{where} (expected {r['expect']}"
              f"{', ' + repr(r['marker']) if r.get('marker') else ''}) {r['name']}")
        bad += not ok
    return 1 if bad else 0


# ------------------------------------------------------------------ reports

def _wrk_json(path: Path) -> dict:
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("LOADJSON "):
            return json.loads(line[len("LOADJSON "):])
    raise SystemExit(f"load_support: no LOADJSON line in {path} (did wrk fail?)")


def _stats(w: dict) -> dict:
    secs = w["duration_us"] / 1e6
    socket_errors = {k: w[k] for k in ("connect", "read", "write", "timeout")}
    return {"requests": w["requests"], "seconds": round(secs, 2),
            "requests_per_s": round(w["requests"] / secs, 1) if secs else 0.0,
            "latency_ms": {k: round(w[f"{k}_us"] / 1000, 2) if w[f"{k}_us"] is not None
                           else None for k in ("mean", "p50", "p90", "p99", "max")},
            "non_2xx_3xx": w["status"], "socket_errors": socket_errors,
            "bytes": w["bytes"], "statuses": w.get("statuses") or {}}


def server_log(run: Path, name: str) -> dict:
    """What a server's log says: workers booted (2 at start; more: some were replaced) and
    lines that tell of a problem (tracebacks, worker timeouts, errors)."""
    path = run / f"gunicorn-{name}.log"
    text = path.read_text(errors="replace") if path.exists() else ""
    problems = [line for line in text.splitlines()
                if re.search(r"Traceback|WORKER TIMEOUT|\[ERROR\]|\[CRITICAL\]|"
                             r"was sent SIG", line)]
    booted = text.count("Booting worker")
    return {"log": str(path), "workers_booted": booted, "workers_replaced": max(0, booted - 2),
            "problem_lines": len(problems), "first_problems": problems[:5]}


def _print_server_log(name: str, log: dict) -> None:
    print(f"  {name} server: {log['workers_booted']} workers booted"
          + (f" ({log['workers_replaced']} replaced: max_requests)" if log["workers_replaced"]
             else "") + f", {log['problem_lines']} problem lines in its log"
          + "".join(f"\n    {line}" for line in log["first_problems"]))


def _meta(outdir: Path) -> dict:
    meta = outdir / "meta.json"
    return json.loads(meta.read_text()) if meta.exists() else {}


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def report_load(rundir: str, outdir: str) -> int:
    """Each page against the hello-world runs just before and after it, round by round; the
    medians over the rounds are the figures and the verdicts."""
    run, out = Path(rundir), Path(outdir)
    meta = _meta(run)
    order = meta.get("load_runs", [])  # r<round>-<index>-<spec>, in the order they ran
    runs = {name: _stats(_wrk_json(run / f"wrk-{name}.txt")) for name in order}
    spec = {name: name.split("-", 2)[2] for name in order}
    hellos = [runs[n] for n in order if spec[n] == "hello"]
    if not hellos:
        raise SystemExit("load_support: no hello-world run")
    by_page: dict[str, list[dict]] = {}
    for i, name in enumerate(order):
        if spec[name] == "hello":
            continue
        around = [runs[order[j]] for j in (i - 1, i + 1)
                  if 0 <= j < len(order) and spec[order[j]] == "hello"]
        if not around:
            raise SystemExit(f"load_support: no hello-world run next to {name}")
        base_rps = _median([h["requests_per_s"] for h in around])
        base_p99 = _median([h["latency_ms"]["p99"] for h in around])
        st = runs[name]
        by_page.setdefault(spec[name], []).append({
            "run": name, **st,
            "rps_ratio": st["requests_per_s"] / base_rps if base_rps else 0.0,
            "p99_ratio": st["latency_ms"]["p99"] / base_p99 if base_p99 else float("inf")})
    pages = {}
    failed = []
    for page, rounds in by_page.items():
        rps_ratio = _median([r["rps_ratio"] for r in rounds])
        p99_ratio = _median([r["p99_ratio"] for r in rounds])
        ok_rps, ok_p99 = rps_ratio >= MIN_RPS_RATIO, p99_ratio <= MAX_P99_RATIO
        clean = all(r["non_2xx_3xx"] == 0 and not any(r["socket_errors"].values())
                    for r in rounds)
        pages[page] = {
            "requests_per_s": round(_median([r["requests_per_s"] for r in rounds]), 1),
            "latency_ms": {k: round(_median([r["latency_ms"][k] for r in rounds]), 2)
                           for k in ("p50", "p99")},
            "rps_ratio": round(rps_ratio, 3), "p99_ratio": round(p99_ratio, 3),
            "rps_ratios": [round(r["rps_ratio"], 3) for r in rounds],
            "p99_ratios": [round(r["p99_ratio"], 3) for r in rounds],
            "rps_goal": "PASS" if ok_rps else "FAIL", "p99_goal": "PASS" if ok_p99 else "FAIL",
            "clean": clean, "rounds": rounds}
        if not (ok_rps and ok_p99 and clean):
            failed.append(page)
    hello_rps = [h["requests_per_s"] for h in hellos]
    spread = (max(hello_rps) / min(hello_rps) - 1) if min(hello_rps) else None
    hello = {"runs": len(hellos), "requests_per_s": round(_median(hello_rps), 1),
             "latency_ms": {k: round(_median([h["latency_ms"][k] for h in hellos]), 2)
                            for k in ("p50", "p99")},
             "requests_per_s_min": min(hello_rps), "requests_per_s_max": max(hello_rps),
             "spread": round(spread, 3) if spread is not None else None,
             "clean": all(h["non_2xx_3xx"] == 0 and not any(h["socket_errors"].values())
                          for h in hellos)}
    logs = {name: server_log(run, name) for name in ("ours", "hello")}
    result = {**meta, "goals": {"min_rps_ratio": MIN_RPS_RATIO, "max_p99_ratio": MAX_P99_RATIO},
              "server_logs": logs, "hello_world": hello, "pages": pages, "failed": failed}
    (out / "load.json").write_text(json.dumps(result, indent=1))

    print(f"\nLoad: wrk -t{meta.get('threads')} -c{meta.get('connections')}, "
          f"{meta.get('rounds')} rounds of {meta.get('seconds')} s per run, each page between "
          f"two hello-world runs (after a {meta.get('warmup')} s warm-up each); "
          f"gunicorn -w 2 gthread --max-requests 0, access log off; medians over the rounds")
    head = f"{'page':<14}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}" \
           f"{'rps/hello':>11}{'p99/hello':>11}  goals  (each round's rps/hello)"
    print(head)
    print("-" * len(head))
    lat = hello["latency_ms"]
    print(f"{'hello':<14}{hello['requests_per_s']:>9.0f}{lat['p50']:>9.2f}{lat['p99']:>9.2f}")
    for name, p in pages.items():
        lat = p["latency_ms"]
        print(f"{name:<14}{p['requests_per_s']:>9.0f}{lat['p50']:>9.2f}{lat['p99']:>9.2f}"
              f"{p['rps_ratio']:>11.2f}{p['p99_ratio']:>11.2f}  "
              f"rps {p['rps_goal']}, p99 {p['p99_goal']}"
              + ("" if p["clean"] else ", ERRORS")
              + "  (" + " ".join(f"{r:.2f}" for r in p["rps_ratios"]) + ")")
    print(f"hello-world: {hello['runs']} runs, {hello['requests_per_s_min']:.0f} to "
          f"{hello['requests_per_s_max']:.0f} req/s"
          + ("" if hello["clean"] else ", WITH ERRORS"))
    if spread is not None and spread > 0.15:
        print(f"  note: hello-world's runs differ by up to {spread:.0%}: the machine's speed "
              "drifted; the ratios compare neighbouring runs, which drift less")
    for name, log in logs.items():
        _print_server_log(name, log)
    verdict = "all PASS" if not failed else "FAIL " + ", ".join(failed)
    print(f"goals: requests/s >= {MIN_RPS_RATIO:.0%} of hello-world, p99 <= "
          f"{MAX_P99_RATIO}x hello-world: {verdict}")
    return 3 if failed else 0


def markdown(rundir: str, outdir: str) -> None:
    """bench/out/load.md: the figures of this run as the README shows them."""
    run, out = Path(rundir), Path(outdir)
    meta = _meta(run)
    found = {}
    for name in ("load", "soak"):
        path = out / f"{name}.json"
        if path.exists():
            data = json.loads(path.read_text())
            if data.get("started") == meta.get("started"):
                found[name] = data
    dirty = " (with uncommitted changes)" if meta.get("uncommitted") else ""
    lines = [f"Measured {meta.get('started', '?')[:16]} at commit {meta.get('commit')}{dirty} on "
             f"{meta.get('cpus')} CPUs (load average {meta.get('loadavg_start')} at the start, "
             f"{' '.join(meta.get('loadavg_end', []))} at the end), gunicorn "
             f"{meta.get('gunicorn')}, {meta.get('wrk')}: `{meta.get('command')}`", ""]
    r = found.get("load")
    if r:
        h = r["hello_world"]
        lines += [f"wrk -t{r['threads']} -c{r['connections']}, {r['rounds']} rounds of "
                  f"{r['seconds']} s per run after a {r['warmup']} s warm-up, each page between "
                  "two hello-world runs and compared with their mean; medians over the rounds. "
                  "Both servers `gunicorn -c gunicorn.conf.py -w 2 --max-requests 0` on loopback, "
                  "access log off. Goals: at least 60 % of hello-world's requests/s, p99 at most 1.5 times "
                  "hello-world's.", "",
                  "| page | requests/s | p50 ms | p99 ms | requests/s vs hello-world "
                  "| p99 vs hello-world |", "|---|---:|---:|---:|---:|---:|",
                  f"| hello-world ({h['runs']} runs: {h['requests_per_s_min']:.0f} to "
                  f"{h['requests_per_s_max']:.0f}) | {h['requests_per_s']:.0f} | "
                  f"{h['latency_ms']['p50']:.1f} | {h['latency_ms']['p99']:.1f} | | |"]
        for name, p in r["pages"].items():
            lat = p["latency_ms"]
            lines.append(f"| {name} | {p['requests_per_s']:.0f} | {lat['p50']:.1f} | "
                         f"{lat['p99']:.1f} | {p['rps_ratio']:.0%} ({p['rps_goal']}) | "
                         f"{p['p99_ratio']:.2f}× ({p['p99_goal']}) |")
        lines.append("")
    r = found.get("soak")
    if r:
        mem = r["memory"]["workers"].values()
        lines += [f"Soak: {r['seconds']:.0f} s at {r['soak_connections']} connections, "
                  f"{len(r['rotation'])} requests in rotation, {r['requests']} responses "
                  f"({r['requests_per_s']:.0f}/s, p99 {r['latency_ms']['p99']:.0f} ms): "
                  + ", ".join(f"{k} {v}" for k, v in r["by_class"].items())
                  + f"; errors (5xx, socket, timeout): {r['errors']['total']}; worker RSS "
                  + "; ".join(f"{w['start_mb']:.0f} → {w['end_mb']:.0f} MB (peak "
                              f"{w['peak_mb']:.0f})" for w in mem)
                  + f": {'PASS' if not r['failed'] else 'FAIL (' + ', '.join(r['failed']) + ')'}.",
                  ""]
    (out / "load.md").write_text("\n".join(lines))


def _rss_samples(path: Path) -> dict[int, list[tuple[float, int]]]:
    """{pid: [(seconds since the first sample, RSS kB), ...]} from `time pid kB` lines."""
    by_pid: dict[int, list[tuple[float, int]]] = {}
    t0 = None
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) != 3 or not parts[2].isdigit():
            continue
        t, pid, kb = float(parts[0]), int(parts[1]), int(parts[2])
        t0 = t if t0 is None else t0
        by_pid.setdefault(pid, []).append((round(t - t0, 1), kb))
    return by_pid


def report_soak(rundir: str, outdir: str) -> int:
    run, out = Path(rundir), Path(outdir)
    meta = _meta(run)
    st = _stats(_wrk_json(run / "wrk-soak.txt"))
    rotation = json.loads((run / "fixtures" / "soak.json").read_text())
    statuses = {int(k): v for k, v in st["statuses"].items()}
    total = sum(statuses.values())
    by_class = {}
    for code, n in statuses.items():
        by_class[f"{code // 100}xx"] = by_class.get(f"{code // 100}xx", 0) + n
    expected_share = {}
    for r in rotation:
        expected_share[r["expect"]] = expected_share.get(r["expect"], 0) + 1 / len(rotation)
    mix = []
    for code in sorted(set(statuses) | set(expected_share)):
        seen = statuses.get(code, 0) / total if total else 0.0
        want = expected_share.get(code, 0.0)
        mix.append({"status": code, "count": statuses.get(code, 0),
                    "share": round(seen, 4), "expected_share": round(want, 4),
                    "ok": abs(seen - want) <= MIX_TOLERANCE})
    server_errors = sum(n for c, n in statuses.items() if c >= 500)
    socket_errors = sum(st["socket_errors"].values())
    errors = server_errors + socket_errors

    samples = _rss_samples(run / "soak-rss.txt")
    workers = {}
    mem_ok = True
    for pid, pts in samples.items():
        kbs = [kb for _, kb in pts]
        growth = (kbs[-1] - kbs[1]) / 1024 if len(kbs) >= 2 else None
        flat = growth is not None and growth < MEM_GROWTH_LIMIT_MB
        mem_ok &= flat
        workers[str(pid)] = {"samples": [{"t": t, "rss_mb": round(kb / 1024, 1)} for t, kb in pts],
                             "start_mb": round(kbs[0] / 1024, 1),
                             "peak_mb": round(max(kbs) / 1024, 1),
                             "end_mb": round(kbs[-1] / 1024, 1),
                             "growth_mb_second_to_last": None if growth is None
                             else round(growth, 1),
                             "seen_from_s": pts[0][0], "seen_until_s": pts[-1][0],
                             "flat": flat}
    all_t = sorted({t for pts in samples.values() for t, _ in pts})
    replaced = [pid for pid, w in workers.items()
                if all_t and (w["seen_from_s"] > all_t[0] or w["seen_until_s"] < all_t[-1])]
    mix_ok = all(m["ok"] for m in mix)
    log = server_log(run, "soak")
    failed = []
    if log["problem_lines"]:
        failed.append("server log")
    if errors:
        failed.append("errors")
    if not mem_ok or replaced or len(workers) != 2:
        failed.append("memory")
    if not mix_ok:
        failed.append("status mix")
    result = {**meta, "requests": st["requests"], "seconds": st["seconds"],
              "requests_per_s": st["requests_per_s"], "latency_ms": st["latency_ms"],
              "statuses": {str(k): v for k, v in sorted(statuses.items())},
              "by_class": dict(sorted(by_class.items())),
              "errors": {"5xx": server_errors, **st["socket_errors"], "total": errors},
              "status_mix": mix, "rotation": [{"name": r["name"], "expect": r["expect"]}
                                              for r in rotation],
              "memory": {"growth_limit_mb": MEM_GROWTH_LIMIT_MB,
                         "sample_every_s": meta.get("soak_sample"),
                         "workers": workers, "replaced_workers": replaced},
              "server_log": log, "failed": failed}
    (out / "soak.json").write_text(json.dumps(result, indent=1))

    print(f"\nSoak: {meta.get('soak_seconds')}s at {meta.get('soak_connections')} connections, "
          f"{len(rotation)} requests in rotation ({sum(1 for r in rotation if r['expect'] < 400)}"
          f" valid, {sum(1 for r in rotation if r['expect'] >= 400)} invalid), "
          f"gunicorn --max-requests 0, wrk timeout {meta.get('soak_timeout')}")
    print(f"  {st['requests']} responses, {st['requests_per_s']:.0f}/s, p50 "
          f"{st['latency_ms']['p50']} ms, p99 {st['latency_ms']['p99']} ms, "
          f"max {st['latency_ms']['max']} ms")
    print("  by class: " + ", ".join(f"{k} {v}" for k, v in sorted(by_class.items())))
    print("  by status (share seen / share of the rotation): " + ", ".join(
        f"{m['status']}: {m['count']} ({m['share']:.1%}/{m['expected_share']:.1%})"
        + ("" if m["ok"] else " MISMATCH") for m in mix))
    print(f"  errors: 5xx {server_errors}, socket " + ", ".join(
        f"{k} {v}" for k, v in st["socket_errors"].items())
        + f" -> {'none' if not errors else 'FAIL'}")
    print(f"  memory (RSS of each worker, sampled every {meta.get('soak_sample')}s; flat = "
          f"growth from the 2nd to the last sample under {MEM_GROWTH_LIMIT_MB:g} MB):")
    for pid, w in workers.items():
        print(f"    worker {pid}: start {w['start_mb']} MB, peak {w['peak_mb']} MB, end "
              f"{w['end_mb']} MB, growth {w['growth_mb_second_to_last']} MB "
              f"-> {'flat' if w['flat'] else 'NOT FLAT'}  "
              f"[{' '.join(str(s['rss_mb']) for s in w['samples'])}]")
    if replaced:
        print(f"    workers replaced during the soak: {', '.join(replaced)}")
    _print_server_log("soak", log)
    print(f"  soak: {'PASS' if not failed else 'FAIL (' + ', '.join(failed) + ')'}")
    return 3 if failed else 0


def workers_of(master: int) -> list[int]:
    """The children of a gunicorn master (its workers), from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        if int(stat[stat.rindex(")") + 2:].split()[1]) == master:
            pids.append(int(entry.name))
    return sorted(pids)


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def sample_rss(master: str, every: str, path: str) -> None:
    """Append `time pid VmRSS-kB` for each worker of `master` every `every` seconds, until
    killed (SIGTERM) or the master is gone; `every` 0: one sample."""
    import signal
    import time

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    master_pid, interval = int(master), float(every)
    with open(path, "a") as f:
        while Path(f"/proc/{master_pid}").exists():
            t = time.time()
            for pid in workers_of(master_pid):
                kb = rss_kb(pid)
                if kb is not None:
                    f.write(f"{t:.3f} {pid} {kb}\n")
            f.flush()
            if interval <= 0:
                return
            time.sleep(max(0.0, interval - (time.time() - t)))


def main(argv: list[str]) -> int:
    cmd, *args = argv
    if cmd == "ports":
        print(" ".join(map(str, free_ports(int(args[0])))))
    elif cmd == "fixtures":
        fixtures(*args)
    elif cmd == "check":
        return check(*args)
    elif cmd == "sample-rss":
        sample_rss(*args)
    elif cmd == "workers":
        print(" ".join(map(str, workers_of(int(args[0])))))
    elif cmd == "report-load":
        return report_load(*args)
    elif cmd == "report-soak":
        return report_soak(*args)
    elif cmd == "markdown":
        markdown(*args)
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
