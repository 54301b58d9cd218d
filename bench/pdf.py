"""Time to make one instruction sheet PDF, and the PDF download against the result page.

    python bench/pdf.py [--sheets 400] [--warmup 20] [--requests 100]

1. Sheets: each is the whole job of the "Download PDF" button but the web layer: parse the
   answers, assess them, build the instruction sheet and typeset it (webapp.pdf.render: Typst,
   tagged PDF/UA-1 with answers.json attached). The answers come from bench/assess.py's
   generator with a fixed seed, so every sheet differs (purpose, dates, outcome) and runs are
   comparable; English and French alternate. The first --warmup sheets (imports, fonts, caches
   filling) are not counted, and the first is reported apart as the cold start. Goal: a median
   of 40 ms at most.
2. Through the web app (in-process WSGI calls with the session of worked example e01, as
   bench/traffic.py builds them): the result page and the PDF download, in English and in
   French, --requests each, interleaved so that a busy machine slows both alike. Goal: the PDF
   at most 10 times the result page (median against median).

Figures are wall-clock milliseconds: median and 90th percentile.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("IMPPLUS_SECRET_KEY", "bench-" + "k" * 58)
os.environ.setdefault("IMPPLUS_ENV", "production")

from assess import make_answers  # noqa: E402

from webapp import pdf  # noqa: E402
from webapp.rules import assess, parse_answers  # noqa: E402
from webapp.sheet import InstructionSheet  # noqa: E402

GOAL_MS = 40.0
GOAL_RATIO = 10.0  # the PDF download against the result page


def stats(times: list[float]) -> tuple[float, float]:
    """(median, 90th percentile) of `times`."""
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.9)]


def sheet(doc: dict, lang: str, renderers: dict) -> dict[str, tuple[float, int]]:
    """{renderer: (ms, bytes)} for one sheet, the assessment and sheet built once for all."""
    t0 = time.perf_counter()
    answers = parse_answers(doc)
    made = InstructionSheet.build(assess(answers), lang)
    saved = answers.to_dict()
    build = (time.perf_counter() - t0) * 1000
    out = {}
    for name, render in renderers.items():
        t = time.perf_counter()
        body = render(made, saved)
        out[name] = (build + (time.perf_counter() - t) * 1000, len(body))
    return out


def sheets(args, renderers: dict) -> None:
    """Part 1: the renderers side by side on the same answers."""
    rng = random.Random(20250116)
    docs = [make_answers(rng) for _ in range(args.sheets + args.warmup)]
    cold = sheet(docs[0], "en", renderers)
    for i, doc in enumerate(docs[1:args.warmup]):
        sheet(doc, "fr" if i & 1 else "en", renderers)
    runs = [sheet(doc, "fr" if i & 1 else "en", renderers)
            for i, doc in enumerate(docs[args.warmup:])]
    print(f"sheets: {len(runs)} (after {args.warmup} warm-up), English and French alternating; "
          "assess + sheet + PDF")
    for name in renderers:
        median, p90 = stats([r[name][0] for r in runs])
        size = statistics.median(r[name][1] for r in runs) / 1024
        verdict = "within goal" if median <= GOAL_MS else "OVER GOAL"
        print(f"  {name:<10} median {median:6.1f} ms, 90th percentile {p90:6.1f} ms, "
              f"first {cold[name][0]:5.0f} ms, size {size:.0f} KB ({verdict}: {GOAL_MS:.0f} ms)")


def web(args) -> None:
    """Part 2: the result page and the PDF download through the web app."""
    from bench import traffic
    from bench.pages import _call, _environ
    from webapp import create_app

    app = create_app("production")
    specs = traffic.build_requests("http://127.0.0.1:8000")
    requests = {}
    for lang in ("en", "fr"):
        result = specs[f"result_{lang}"][0]
        download = dict(result, path=result["path"].rsplit("/", 1)[0] + "/"
                        + pdf_path(lang))
        requests[f"result page {lang.upper()}"] = _environ(result)
        requests[f"PDF {lang.upper()}"] = _environ(download)
    times: dict[str, list[float]] = {name: [] for name in requests}
    for name, (environ, body) in requests.items():
        status = _call(app, environ, body)
        if not status.startswith("200"):
            sys.exit(f"{name}: {status}")
    for _ in range(args.requests):
        for name, (environ, body) in requests.items():
            t = time.perf_counter()
            _call(app, environ, body)
            times[name].append((time.perf_counter() - t) * 1000)
    print(f"through the web app (worked example e01), {args.requests} requests each:")
    for name, values in times.items():
        median, p90 = stats(values)
        print(f"  {name:<16} median {median:6.2f} ms, 90th percentile {p90:6.2f} ms")
    for lang in ("EN", "FR"):
        ratio = stats(times[f"PDF {lang}"])[0] / stats(times[f"result page {lang}"])[0]
        verdict = "within goal" if ratio <= GOAL_RATIO else "OVER GOAL"
        print(f"  PDF / result page, {lang}: {ratio:.1f}x ({verdict}: {GOAL_RATIO:.0f}x)")


def pdf_path(lang: str) -> str:
    """The last part of the PDF download's address in `lang`."""
    from webapp.wizard import DOWNLOAD_PATHS

    return DOWNLOAD_PATHS["pdf"][lang]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    sheets(args, {"Typst": pdf.render})
    web(args)


if __name__ == "__main__":
    main()
