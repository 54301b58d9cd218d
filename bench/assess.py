"""Assessments per second, in-process and through the CLI, on 10,000 answers files.

    python bench/assess.py [--files 10000] [--repeat 3]

In-process: parse + assess + the JSON report (English and French alternating), best of
--repeat runs; also the rules alone (assess only). CLI: one `impplus assess` over every file,
wall time including the interpreter's start. The answers are varied (every purpose, residence,
date and answer missing or not), generated from a fixed seed so runs are comparable.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from webapp.report import report  # noqa: E402
from webapp.rules import assess, parse_answers  # noqa: E402


def _day(rng: random.Random, start: date, span: int) -> str:
    return (start + timedelta(days=rng.randrange(span))).isoformat()


def make_answers(rng: random.Random) -> dict:
    def maybe(value):
        return value if rng.random() > 0.1 else None

    purpose = rng.choice(["initial"] * 8 + ["extension", "family"])
    letter = date(2022, 6, 1) + timedelta(days=rng.randrange(1000))
    return {
        "format": "impplus-answers/1",
        "assessment_date": maybe(_day(rng, date(2022, 5, 1), 1700)),
        "purpose": purpose,
        "residence": maybe(rng.choice(["outside_canada", "canada_outside_quebec", "quebec"])),
        "status_in_canada": maybe(rng.choice(["valid", "restorable", "none"])),
        "holds_r206_permit": maybe(rng.random() < 0.05),
        "can_apply_from_inside_canada": maybe(rng.random() < 0.9),
        "intends_to_live_and_work_in_quebec": maybe(rng.random() < 0.95),
        "csq": {"held": maybe(rng.random() < 0.95),
                "category": maybe(rng.choice(["skilled_worker", "pilot_ai_it_vfx", "other"])),
                "issued": maybe(_day(rng, date(2021, 1, 1), 1400))},
        "pr_application": {"submitted": maybe(rng.random() < 0.5),
                           "submitted_on": maybe(_day(rng, date(2022, 1, 1), 1200)),
                           "status": maybe(rng.choice(["in_progress", "approved", "refused"]))},
        "invitation": {"received": maybe(rng.random() < 0.9), "dated": maybe(letter.isoformat()),
                       "received_on": maybe(
                           (letter + timedelta(days=rng.randrange(10))).isoformat())},
        "channel": maybe(rng.choice(["online", "online", "paper", "port_of_entry"])),
        "passport_expiry": maybe(_day(rng, date(2024, 1, 1), 4000)),
        "family_member": rng.choice(["spouse", "child"]),
        "principal": {"permit_code": "A76", "pr_submitted": maybe(rng.random() < 0.5)},
        "current_permit_code": maybe("A76"),
    }


def in_process(docs: list[dict], repeat: int) -> tuple[float, float]:
    best_full = best_rules = float("inf")
    parsed = [parse_answers(d) for d in docs]
    for _ in range(repeat):
        t = time.perf_counter()
        for i, d in enumerate(docs):
            report(assess(parse_answers(d)), "fr" if i & 1 else "en")
        best_full = min(best_full, time.perf_counter() - t)
        t = time.perf_counter()
        for a in parsed:
            assess(a)
        best_rules = min(best_rules, time.perf_counter() - t)
    return len(docs) / best_full, len(docs) / best_rules


def through_cli(paths: list[str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "webapp.cli", "assess", *paths],
                          stdout=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - t
    lines = proc.stdout.count(b"\n")
    assert proc.returncode == 0 and lines == len(paths), (proc.returncode, lines)
    return len(paths) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20250116)
    docs = [make_answers(rng) for _ in range(args.files)]
    full, rules = in_process(docs, args.repeat)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, d in enumerate(docs):
            path = Path(tmp) / f"client-{i:05d}.json"
            path.write_text(json.dumps(d))
            paths.append(str(path))
        cli = through_cli(paths)
    print(f"files: {args.files}")
    print(f"in-process, parse + assess + JSON report: {full:,.0f} assessments/s")
    print(f"in-process, rules only (assess):          {rules:,.0f} assessments/s")
    print(f"CLI, one `impplus assess` over all files: {cli:,.0f} assessments/s")


if __name__ == "__main__":
    main()
