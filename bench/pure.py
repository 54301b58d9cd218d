"""CPU time per call of the pure layer that every page and the API go through.

    python3 bench/pure.py [--rounds 7] [--save before.json] [--compare before.json]

Per result page the wizard calls flow.path, flow.effective_answers (which walks the path
again), parse_answers, assess and InstructionSheet.build (which calls report); the API calls
parse_answers, assess and report; a question page calls flow.path. Each is timed on its own
with time.process_time over the varied inputs of tests/test_pure_speed.py (the shared examples,
the scenario files, random walks along the flow's branches, random answers, wizard sessions
complete, half done or with answers left on another branch), then as whole requests. A figure
is the median of --rounds rounds, each a pass over every input (repeated up to --min-seconds).
--save writes the figures as JSON; --compare prints them beside a saved run.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_pure_speed import SEED, answers_files, shared_examples, wizard_states  # noqa: E402

from webapp import flow  # noqa: E402
from webapp.report import report  # noqa: E402
from webapp.rules import AnswersError, assess, parse_answers  # noqa: E402
from webapp.sheet import STATUS_ORDER, InstructionSheet  # noqa: E402


def read_page(sheet: InstructionSheet) -> None:
    """What templates/result.html reads from the sheet, besides `data`."""
    sheet.heading, sheet.criteria_in_order, sheet.instead, sheet.entries_by_form
    sheet.stopped, sheet.other_warnings, sheet.facts, sheet.reminders, sheet.fee_sources
    sheet.fee_total, [sheet.status_label(s) for s in STATUS_ORDER]


def readable(assessment) -> bool:
    """False for the few assessments whose reminders raise (an extension assessed before the
    reminder's parameter takes effect, 2022-05-24): the page would be an error, not a page."""
    try:
        InstructionSheet.build(assessment, "en").reminders
    except TypeError:
        return False
    return True


def inputs():
    """(answers files the API gets, wizard sessions, complete sessions, e01's session)."""
    files = []
    for data in answers_files():
        try:
            parse_answers(data)
        except AnswersError:
            continue
        files.append(data)
    states = wizard_states(files, random.Random(SEED + 1))
    complete = [(s, d) for s, d in states if flow.path(s, d)[1] == flow.CHECK
                and readable(assess(parse_answers(flow.effective_answers(s, d))))]
    e01 = flow.from_answers(shared_examples()[0])
    return files, states, complete, e01


def cases():
    """{name: (function of one input, inputs)}, in the order of the table."""
    files, states, complete, e01 = inputs()
    effective = [flow.effective_answers(s, d) for s, d in complete]
    parsed = [parse_answers(e) for e in effective] + [parse_answers(f) for f in files]
    assessed = [assess(a) for a in parsed]
    pages = [a for a in assessed if readable(a)]

    def result_page(state_done, lang):
        state, done = state_done
        flow.path(state, done)
        found = assess(parse_answers(flow.effective_answers(state, done)))
        return InstructionSheet.build(found, lang)

    def page_read(state_done, lang):
        read_page(result_page(state_done, lang))

    def api(data, lang):
        return report(assess(parse_answers(data)), lang)

    out = {
        "flow.path": (lambda sd: flow.path(*sd), states),
        "flow.effective_answers": (lambda sd: flow.effective_answers(*sd), states),
        "parse_answers": (parse_answers, effective + files),
        "assess": (assess, parsed),
        "report en": (lambda a: report(a, "en"), assessed),
        "report fr": (lambda a: report(a, "fr"), assessed),
        "InstructionSheet.build en": (lambda a: InstructionSheet.build(a, "en"), assessed),
        "InstructionSheet.build fr": (lambda a: InstructionSheet.build(a, "fr"), assessed),
        "sheet page reads en": (lambda a: read_page(InstructionSheet.build(a, "en")), pages),
        "sheet page reads fr": (lambda a: read_page(InstructionSheet.build(a, "fr")), pages),
        "= question page (path)": (lambda sd: flow.path(*sd), states),
        "= result page en (_assessed + build)": (lambda sd: result_page(sd, "en"), complete),
        "= result page fr (_assessed + build)": (lambda sd: result_page(sd, "fr"), complete),
        "= result page en, with page reads": (lambda sd: page_read(sd, "en"), complete),
        "= API en (parse + assess + report)": (lambda d: api(d, "en"), files),
        "= API fr (parse + assess + report)": (lambda d: api(d, "fr"), files),
        "= e01 result page en": (lambda sd: result_page(sd, "en"), [e01]),
        "= e01 result page fr": (lambda sd: result_page(sd, "fr"), [e01]),
        "= e01 API en": (lambda d: api(d, "en"), [shared_examples()[0]]),
    }
    return out, {"files": len(files), "sessions": len(states), "complete": len(complete)}


def measure(function, items, rounds: int, min_seconds: float) -> float:
    """Median over `rounds` of the CPU milliseconds per call."""
    for item in items[:50]:  # warm up
        function(item)
    per_call = []
    for _ in range(rounds):
        calls, spent = 0, 0.0
        while spent < min_seconds:
            start = time.process_time()
            for item in items:
                function(item)
            spent += time.process_time() - start
            calls += len(items)
        per_call.append(spent / calls * 1000)
    return statistics.median(per_call)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--min-seconds", type=float, default=0.2)
    parser.add_argument("--only", help="only the cases whose name contains this")
    parser.add_argument("--save", help="write the figures to this JSON file")
    parser.add_argument("--compare", help="a JSON file written by --save, shown beside")
    args = parser.parse_args(argv)
    table, counts = cases()
    before = json.loads(Path(args.compare).read_text()) if args.compare else {}
    print(f"inputs: {counts['files']} answers files, {counts['sessions']} sessions "
          f"({counts['complete']} complete); median of {args.rounds} rounds, CPU ms per call")
    head = f"{'':40} {'ms/call':>9}"
    print(head + (f" {'before':>9} {'after/before':>13}" if before else ""))
    figures = {}
    for name, (function, items) in table.items():
        if args.only and args.only not in name:
            continue
        figures[name] = ms = measure(function, items, args.rounds, args.min_seconds)
        line = f"{name:40} {ms:9.4f}"
        if name in before:
            line += f" {before[name]:9.4f} {ms / before[name]:12.2f}×"
        print(line, flush=True)
    if args.save:
        Path(args.save).write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
