"""`impplus`: assess answers files, write instruction sheets, serve the web application.

    impplus assess FILE... [--on DATE] [--lang en|fr] [--format jsonl|csv]
    impplus sheet FILE [--on DATE] [--lang en|fr] -o OUT.pdf [--calendar OUT.ics]
    impplus serve [--port 5000]

A FILE is an answers file (JSON) or a PDF made by `impplus sheet` or the wizard, which carries
its answers inside.

`assess` prints one line per file, in the order given; a file that cannot be read gets a line
with its error and the others are still assessed (exit status 2 when any could not be read).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from pathlib import Path

from .i18n import LANGUAGES, localize
from .report import report
from . import savefile
from .rules import AnswersError, assess, msg
from .rules.answers import _ISO_DATE


def _read(name: str) -> bytes:
    """The file's bytes, one more than savefile.MAX_BYTES at most: savefile.read refuses more."""
    if name == "-":
        return sys.stdin.buffer.read(savefile.MAX_BYTES + 1)
    with open(name, "rb") as f:
        return f.read(savefile.MAX_BYTES + 1)


def _load(name: str):
    return savefile.read(_read(name))


def _assess_file(name: str, on: date | None, lang: str):
    """(assessment report, None) or (None, error line) for one file (JSON, or one of our PDFs)."""
    try:
        answers = _load(name)
    except AnswersError as e:
        return None, {"file": name, "error": localize(e.message, lang), "field": e.field,
                      "errors": [{"field": f, "error": localize(t, lang)} for f, t in e.errors]}
    except (OSError, UnicodeDecodeError):
        return None, {"file": name, "error": localize(msg(
            "This file cannot be read: it does not exist or is not readable."), lang),
            "field": None, "errors": []}
    # The label is the person's own name for the file: printed here, on their machine, and on
    # the PDF; the report the API returns leaves it out.
    return {"file": name, "label": answers.label, **report(assess(answers, on), lang)}, None


def _parse_on(value: str | None, lang: str) -> date | None:
    if value is None:
        return None
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    print(localize(msg("--on: “%(value)s” is not a date in the form YYYY-MM-DD.",
                       value=value), lang), file=sys.stderr)
    raise SystemExit(2)


def _csv_row(name: str, result: dict) -> list[str]:
    """One CSV row of a report: ids joined with ";", empty cells for null."""
    def ids(status: str) -> str:
        return ";".join(c["id"] for c in result["criteria"] if c["status"] == status)

    return [name, result["outcome"], ids("not_met"), result["submission_deadline"] or "", "",
            ids("unknown"), result["exemption_code"] or "", result["form"] or "",
            ";".join(w["id"] for w in result["warnings"]), result["file_id"] or "",
            result["label"] or ""]


def cmd_assess(args: argparse.Namespace) -> int:
    """`impplus assess`: one JSON line (the report, webapp.report) or CSV row per file, in
    order. Returns the exit status: 0, or 2 when a file could not be read. Exits with 2 for a
    malformed --on."""
    on = _parse_on(args.on, args.lang)
    out = sys.stdout
    failed = False
    writer = None
    if args.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        # The first five columns are those of version 1, in their order; new ones follow.
        writer.writerow(["file", "outcome", "not_met", "submission_deadline", "error",
                         "unknown", "exemption_code", "form", "warnings", "file_id", "label"])
    for name in args.files:
        result, error = _assess_file(name, on, args.lang)
        failed |= error is not None
        if writer is None:
            out.write(json.dumps(result or error, ensure_ascii=False) + "\n")
        elif error:
            writer.writerow([name, "", "", "", error["error"], "", "", "", "", "", ""])
        else:
            writer.writerow(_csv_row(name, result))
    out.flush()
    return 2 if failed else 0


def _fail(text, lang: str) -> int:
    print(localize(text, lang), file=sys.stderr)
    return 2


def cmd_sheet(args: argparse.Namespace) -> int:
    """`impplus sheet`: write the PDF (and with --calendar the .ics file) of one file. Returns
    the exit status: 0, or 2 when the file cannot be read or an output cannot be written."""
    from . import pdf
    from .ics import calendar_file
    from .sheet import InstructionSheet

    on = _parse_on(args.on, args.lang)
    try:
        answers = _load(args.file)
    except AnswersError as e:
        return _fail(msg("%(file)s: %(error)s", file=args.file, error=e.message), args.lang)
    except (OSError, UnicodeDecodeError):
        return _fail(msg("%(file)s: this file cannot be read: it does not exist or is not "
                         "readable.", file=args.file), args.lang)
    answers = answers.with_file_id()  # CONTRACT.md v2: the PDF and the calendar share it
    saved = answers.to_dict()
    if on is not None:  # the sheet says "as of" this date; so do the answers inside it
        saved["assessment_date"] = on.isoformat()
    assessment = assess(answers, on)
    sheet = InstructionSheet.build(assessment, args.lang)
    outputs = [(args.output, lambda: pdf.render(sheet, saved))]
    if args.calendar:
        outputs.append((args.calendar, lambda: calendar_file(assessment, args.lang)))
    for path, make in outputs:
        data = make()
        if data is None:
            print(localize(msg("No calendar file: there is no date ahead to remind you of."),
                           args.lang), file=sys.stderr)
            continue
        try:
            Path(path).write_bytes(data)
        except OSError as e:
            return _fail(msg("%(file)s: cannot write this file (%(reason)s).", file=path,
                             reason=e.strerror or str(e)), args.lang)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """`impplus serve`: run the development server on --host and --port until stopped."""
    from . import create_app

    app = create_app("development")
    print(f"IMP+ Check: http://{args.host}:{args.port}/", file=sys.stderr)
    app.run(host=args.host, port=args.port, threaded=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the three commands."""
    parser = argparse.ArgumentParser(prog="impplus", description=(
        "IMP+ Check / Vérif PMI+: eligibility for the A76 open work permit for CSQ holders "
        "outside Quebec. Not IRCC, not MIFI, not legal advice."))
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("assess", help="assess answers files; one JSON line (or CSV row) each")
    p.add_argument("files", nargs="+", metavar="FILE", help="answers file, or - for stdin")
    p.add_argument("--on", metavar="DATE", help="assess as of this date (YYYY-MM-DD)")
    p.add_argument("--lang", choices=LANGUAGES, default="en")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.set_defaults(func=cmd_assess)

    p = sub.add_parser("sheet", help="write the instruction sheet and checklist as a PDF")
    p.add_argument("file", metavar="FILE", help="answers file (JSON) or one of our PDFs, or -")
    p.add_argument("--on", metavar="DATE", help="assess as of this date (YYYY-MM-DD)")
    p.add_argument("--lang", choices=LANGUAGES, default="en")
    p.add_argument("-o", "--output", metavar="OUT.pdf", required=True,
                   help="where to write the PDF (the answers ride inside it)")
    p.add_argument("--calendar", metavar="OUT.ics",
                   help="also write the dates to remember as an iCalendar file")
    p.set_defaults(func=cmd_sheet)

    p = sub.add_parser("serve", help="run the web application on this machine")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command of `argv` (default: sys.argv[1:]); returns its exit status. argparse
    exits with 2 on a usage error."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
