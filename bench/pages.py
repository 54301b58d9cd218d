"""CPU time per request of a question page, the result page (EN, FR) and an API call,
in-process, against the hello-world app (bench/hello.py): what our code adds to Flask.

    IMPPLUS_SECRET_KEY=any python3 bench/pages.py [--rounds 9] [--requests 300] [--profile PAGE]

The requests are those of bench/traffic.py (signed cookies, paths and bodies), sent straight to
the WSGI app with the production config. Each round times
`--requests` requests of hello-world, then of every page, one after the other (thread CPU
time), so that a busy machine slows both sides of a ratio alike; the figures are the best
round. `--profile PAGE` prints cProfile's top functions for one page instead.

The budget (README, "Benchmarks"): a question page at most 15 times hello-world's cost, a result
page at most 40 times, an API call at most 10 times. It exits 1 when a page is over it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("IMPPLUS_SECRET_KEY", "bench-" + "k" * 58)
os.environ.setdefault("IMPPLUS_ENV", "production")

from werkzeug.test import EnvironBuilder  # noqa: E402

from bench import traffic  # noqa: E402
from bench.hello import app as hello_app  # noqa: E402

PAGES = ("question_en", "result_en", "result_fr", "api")
BUDGET = {"question_en": 15, "result_en": 40, "result_fr": 40, "api": 10}  # x hello-world


def _environ(spec: dict) -> tuple[dict, bytes]:
    path, _, query = spec["path"].partition("?")
    builder = EnvironBuilder(path=path, query_string=query or None, method=spec["method"],
                             headers=spec.get("headers") or {},
                             data=(spec.get("body") or "").encode(),
                             base_url="http://127.0.0.1:8000")
    environ = builder.get_environ()
    return environ, environ["wsgi.input"].read()


def _call(app, environ: dict, body: bytes) -> str:
    env = dict(environ)
    env["wsgi.input"] = io.BytesIO(body)
    status = []

    def start_response(s, headers, exc_info=None):
        status.append(s)

    for _chunk in app(env, start_response):
        pass
    return status[0]


def _time(app, environ, body, n: int) -> float:
    start = time.thread_time()
    for _ in range(n):
        _call(app, environ, body)
    return (time.thread_time() - start) / n * 1000


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", choices=PAGES)
    args = parser.parse_args(argv)

    from webapp import create_app

    app = create_app("production")
    specs = traffic.build_requests("http://127.0.0.1:8000")
    requests = {"hello": ({"REQUEST_METHOD": "GET", "PATH_INFO": "/", "SERVER_NAME": "x",
                           "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
                           "QUERY_STRING": "", "wsgi.url_scheme": "http"}, b"")}
    apps = {"hello": hello_app}
    for page in PAGES:
        requests[page] = _environ(specs[page][0])
        apps[page] = app
    for name, (environ, body) in requests.items():
        status = _call(apps[name], environ, body)
        expected = 200 if name == "hello" else specs[name][0]["expect"]
        if not status.startswith(str(expected)):
            print(f"{name}: {status}, expected {expected}", file=sys.stderr)
            return 2

    if args.profile:
        environ, body = requests[args.profile]
        profile = cProfile.Profile()
        profile.runcall(lambda: [_call(app, environ, body) for _ in range(args.requests * 5)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        return 0

    best = {name: float("inf") for name in requests}
    for _ in range(args.rounds):
        for name, (environ, body) in requests.items():
            best[name] = min(best[name], _time(apps[name], environ, body, args.requests))
    print(f"CPU per request, in-process, best of {args.rounds} rounds of {args.requests}:")
    print(f"{'page':<13}{'ms':>8}{'x hello':>9}{'budget':>8}")
    over = []
    for name, ms in best.items():
        ratio = ms / best["hello"]
        budget = BUDGET.get(name)
        print(f"{name:<13}{ms:8.3f}{ratio:9.1f}{budget or '':>8}")
        if budget and ratio > budget:
            over.append(name)
    if over:
        print(f"over budget: {', '.join(over)}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
