"""Time to make one instruction sheet PDF, median over varied answers. Goal: 40 ms at most.

    python bench/pdf.py [--sheets 400] [--warmup 20]

Each sheet is the whole job the "Download PDF" button does: parse the answers, assess them,
build the instruction sheet, draw it (ReportLab) and finish it (pypdf: metadata, /Lang, outline,
embedded answers.json). The answers come from bench/assess.py's generator with a fixed seed, so
every sheet differs (purpose, dates, outcome) and runs are comparable; English and French
alternate. The first --warmup sheets (font loading, imports, caches filling) are not counted,
and are reported apart as the cold start. Also printed: the median of each stage and the size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from assess import make_answers  # noqa: E402

from webapp import pdf  # noqa: E402
from webapp.rules import assess, parse_answers  # noqa: E402
from webapp.sheet import InstructionSheet  # noqa: E402

GOAL_MS = 40.0


def one(doc: dict, lang: str) -> tuple[float, float, float, int]:
    """(build, draw, finish) in ms and the size in bytes of one sheet."""
    t0 = time.perf_counter()
    answers = parse_answers(doc)
    sheet = InstructionSheet.build(assess(answers), lang)
    saved = answers.to_dict()
    t1 = time.perf_counter()
    drawn, outline = pdf.draw(sheet, saved)
    t2 = time.perf_counter()
    out = pdf.finish(drawn, outline, title=pdf.title(sheet), lang=lang, subject=sheet.heading,
                     answers_json=pdf.answers_json(saved), author=sheet.t(pdf.BRAND))
    t3 = time.perf_counter()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, len(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=400)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(20250116)
    docs = [make_answers(rng) for _ in range(args.sheets + args.warmup)]
    t = time.perf_counter()
    one(docs[0], "en")
    cold = (time.perf_counter() - t) * 1000
    for i, doc in enumerate(docs[1:args.warmup]):
        one(doc, "fr" if i & 1 else "en")
    runs = [one(doc, "fr" if i & 1 else "en") for i, doc in enumerate(docs[args.warmup:])]
    totals = sorted(b + d + f for b, d, f, _ in runs)
    median = statistics.median(totals)
    p90 = totals[int(len(totals) * 0.9)]
    print(f"sheets: {len(runs)} (after {args.warmup} warm-up), English and French alternating")
    print(f"first sheet in a fresh process (fonts, imports): {cold:.0f} ms")
    print(f"median per PDF: {median:.1f} ms (goal {GOAL_MS:.0f} ms), 90th percentile "
          f"{p90:.1f} ms")
    for name, k in (("assess + sheet", 0), ("draw (ReportLab)", 1), ("finish (pypdf)", 2)):
        print(f"  {name:<17} median {statistics.median(r[k] for r in runs):.1f} ms")
    print(f"size: median {statistics.median(r[3] for r in runs) / 1024:.0f} KB")
    print("within goal" if median <= GOAL_MS else "OVER GOAL")


if __name__ == "__main__":
    main()
