"""`impplus`: assess answers files, write instruction sheets, serve the web application.

    impplus assess FILE... [--on DATE] [--lang en|fr] [--format jsonl|csv]
    impplus sheet FILE [--on DATE] [--lang en|fr] -o OUT.pdf [--calendar OUT.ics]
    impplus check-permit FILE... [--lang en|fr] [--format jsonl|csv] [--pdf OUT.pdf]
    impplus serve [--port 5000]

A FILE is an answers file (JSON) or a PDF made by `impplus sheet` or the wizard, which carries
its answers inside; for `assess`, also a spreadsheet (CSV) of clients, one per row
(webapp.spreadsheet), each row assessed as a file named `clients.csv:3`.

`assess` prints one line per file (or row), in the order given; a file or row that cannot be
read gets a line with its error and the others are still assessed (exit status 2 when any could
not be read). From a terminal, a progress bar on standard error follows long batches.
`check-permit` does the same for permits as printed (impplus-permit/1 JSON files, or a permit
check's PDF, which carries its permit inside), and with --pdf writes the check of its one FILE
as a PDF.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import stat
import sys
from datetime import date
from pathlib import Path

from .i18n import LANGUAGES, localize
from .report import permit_check_report, report
from . import savefile, spreadsheet
from .rules import (Answers, AnswersError, assess, check_permit, loads_permit, msg,
                    parse_iso_date)


PIPE_WAIT = 10  # seconds a named pipe or device may send nothing before it is given up
PROGRESS_DELAY = 0.5  # seconds of work before the progress bar shows: none for a quick run


class _Silent(OSError):
    """A pipe or device that sent nothing for PIPE_WAIT seconds."""


def display(name: str) -> str:
    """A file name as it can be printed: bytes that are not UTF-8 (kept by Python as lone
    surrogates, which no UTF-8 output can encode) written as \\xNN."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _read(name: str, limit: int = savefile.MAX_BYTES + 1) -> bytes:
    """The file's bytes, `limit` at most (by default one more than savefile.MAX_BYTES:
    savefile.read refuses more). A named pipe or a device is opened without waiting for a
    writer and read with a deadline (PIPE_WAIT seconds without a byte: _Silent), so that no
    file name can hang the command."""
    if name == "-":
        if sys.stdin is None:  # started with standard input closed
            raise OSError("standard input is closed")
        return sys.stdin.buffer.read(limit)
    fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(name)
        if stat.S_ISREG(mode):
            os.set_blocking(fd, True)
            with os.fdopen(os.dup(fd), "rb") as f:
                return f.read(limit)
        data = b""
        while len(data) < limit:
            ready, _, _ = select.select([fd], [], [], PIPE_WAIT)
            if not ready:
                raise _Silent(name)
            try:
                chunk = os.read(fd, limit - len(data))
            except BlockingIOError:
                continue
            if not chunk:
                break
            data += chunk
        return data
    finally:
        os.close(fd)


def _load(name: str):
    return savefile.read(_read(name))


UNREADABLE = msg("This file cannot be read: it does not exist or is not readable.")


def _error_line(shown: str, error: AnswersError, lang: str, label: str | None = None) -> dict:
    """The line of a file or row that cannot be read: its first error, and every error with the
    dotted field it names (None for the file as a whole)."""
    return {"file": shown, "label": label, "error": localize(error.message, lang),
            "field": error.field,
            "errors": [{"field": f, "error": localize(t, lang)} for f, t in error.errors]}


def _inputs(name: str, lang: str) -> list[tuple[str, Answers | None, dict | None]]:
    """The work in one FILE: [(name shown, answers, None)], or [(name shown, None, error line)]
    when it cannot be read; for a spreadsheet of clients, one item per client row, named
    `FILE:ROW`. Columns of a spreadsheet that are no answer are said on standard error."""
    shown = display(name)
    try:
        data = _read(name, spreadsheet.MAX_BYTES + 1)
        if not spreadsheet.looks_like_spreadsheet(name, data):
            return [(shown, savefile.read(data), None)]
        sheet = spreadsheet.read(data)
    except AnswersError as e:
        return [(shown, None, _error_line(shown, e, lang))]
    except _Silent:
        return [(shown, None, _error_line(shown, AnswersError([(None, msg(
            "This file cannot be read: nothing came from it for %(seconds)s seconds.",
            seconds=PIPE_WAIT))]), lang))]
    except (OSError, UnicodeDecodeError, ValueError):
        return [(shown, None, _error_line(shown, AnswersError([(None, UNREADABLE)]), lang))]
    if sheet.ignored and sys.stderr is not None:
        print(localize(msg("%(file)s: these columns are not answers and were ignored: %(columns)s.",
                           file=shown, columns=", ".join(sheet.ignored)), lang), file=sys.stderr)
    return [(f"{shown}:{row.number}", row.answers, None) if row.answers is not None else
            (f"{shown}:{row.number}", None,
             _error_line(f"{shown}:{row.number}", AnswersError(list(row.errors)), lang,
                         row.label))
            for row in sheet.rows]


def _result(shown: str, answers: Answers, on: date | None, lang: str) -> dict:
    # The label is the person's own name for the file: printed here, on their machine, and on
    # the PDF; the report the API returns leaves it out.
    return {"file": shown, "label": answers.label, **report(assess(answers, on), lang)}


def _parse_on(value: str | None, lang: str) -> date | None:
    if value is None:
        return None
    day = parse_iso_date(value)
    if day is not None:
        return day
    print(localize(msg("--on: “%(value)s” is not a date in the form YYYY-MM-DD.",
                       value=value), lang), file=sys.stderr)
    raise SystemExit(2)


CSV_HEADER = ("file", "outcome", "not_met", "submission_deadline", "error", "unknown",
              "exemption_code", "form", "warnings", "file_id", "label", "field")


def _csv_row(name: str, result: dict) -> list[str | None]:
    """One CSV row of a report: ids joined with " / " (spreadsheet.JOIN), None for empty."""
    def ids(status: str) -> str:
        return spreadsheet.JOIN.join(c["id"] for c in result["criteria"]
                                     if c["status"] == status)

    return [name, result["outcome"], ids("not_met"), result["submission_deadline"], None,
            ids("unknown"), result["exemption_code"], result["form"],
            spreadsheet.JOIN.join(w["id"] for w in result["warnings"]), result["file_id"],
            result["label"], None]


def _csv_error_row(error: dict) -> list[str | None]:
    """The CSV row of a file or row that cannot be read: one row per file, whatever the number
    of errors, so that the spreadsheet keeps one row per client; its messages one per line in
    `error` (each names its field), the fields in `field`, joined with " / "."""
    fields = [e["field"] for e in error["errors"] if e["field"]]
    messages = [e["error"] for e in error["errors"]] or [error["error"]]
    return [error["file"], None, None, None, "\n".join(messages), None, None, None, None, None,
            error["label"], spreadsheet.JOIN.join(fields)]


def _progress(lang: str, total: int):
    """A progress bar (tqdm) on standard error, or None: only when standard error is a terminal
    and standard output is not (where the lines scroll past, they are the progress, and a bar
    would be drawn into them). It shows after PROGRESS_DELAY seconds of work."""
    err, out = sys.stderr, sys.stdout
    try:
        if err is None or not err.isatty() or out.isatty():
            return None
    except (AttributeError, ValueError, OSError):  # closed, or not a real stream
        return None
    from tqdm import tqdm

    return tqdm(total=total, file=err, delay=PROGRESS_DELAY, dynamic_ncols=True,
                desc=localize(msg("Assessing"), lang), unit=" " + localize(msg("file"), lang))


def cmd_assess(args: argparse.Namespace) -> int:
    """`impplus assess`: one JSON line (the report, webapp.report) or CSV row per file (per
    client row of a spreadsheet), in order. Returns the exit status: 0, or 2 when a file or row
    could not be read. Exits with 2 for a malformed --on."""
    on = _parse_on(args.on, args.lang)
    out = sys.stdout
    if out is None:  # started with standard output closed: nowhere to write the lines
        return _fail(msg("Standard output is closed: there is nowhere to write the results."),
                     args.lang)
    failed = False
    writer = None
    if args.format == "csv":
        if hasattr(out, "reconfigure"):  # UTF-8 whatever the terminal's or system's encoding
            out.reconfigure(encoding="utf-8")
        writer = spreadsheet.Writer(out)
        # The first five columns are those of version 1, in their order; new ones follow.
        writer.row(CSV_HEADER)
    bar = _progress(args.lang, len(args.files))
    try:
        for name in args.files:
            items = _inputs(name, args.lang)
            if bar is not None and len(items) > 1:
                bar.total += len(items) - 1
                bar.refresh()
            for shown, answers, error in items:
                result = None if answers is None else _result(shown, answers, on, args.lang)
                failed |= error is not None
                if writer is None:
                    out.write(json.dumps(result or error, ensure_ascii=False) + "\n")
                elif error:
                    writer.row(_csv_error_row(error))
                else:
                    writer.row(_csv_row(shown, result))
                if bar is not None:
                    bar.update()
    finally:
        if bar is not None:
            bar.close()
    out.flush()
    return 2 if failed else 0


def _fail(text, lang: str) -> int:
    if sys.stderr is not None:
        print(localize(text, lang), file=sys.stderr)
    return 2


def cmd_sheet(args: argparse.Namespace) -> int:
    """`impplus sheet`: write the PDF (and with --calendar the .ics file) of one file. Returns
    the exit status: 0, or 2 when the file cannot be read or an output cannot be written."""
    from . import pdf
    from .ics import calendar_file
    from .sheet import InstructionSheet

    on = _parse_on(args.on, args.lang)
    shown = display(args.file)
    try:
        answers = _load(args.file)
    except AnswersError as e:
        return _fail(msg("%(file)s: %(error)s", file=shown, error=e.message), args.lang)
    except _Silent:
        return _fail(msg("%(file)s: %(error)s", file=shown, error=msg(
            "This file cannot be read: nothing came from it for %(seconds)s seconds.",
            seconds=PIPE_WAIT)), args.lang)
    except (OSError, UnicodeDecodeError, ValueError):
        return _fail(msg("%(file)s: this file cannot be read: it does not exist or is not "
                         "readable.", file=shown), args.lang)
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
            _fail(msg("No calendar file: there is no date ahead to remind you of."), args.lang)
            continue
        try:
            Path(path).write_bytes(data)
        except OSError as e:
            return _fail(msg("%(file)s: cannot write this file (%(reason)s).",
                             file=display(path), reason=e.strerror or str(e)), args.lang)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """`impplus serve`: serve the app with waitress, a production WSGI server that runs
    wherever Python does (gunicorn needs a POSIX system), on --host (127.0.0.1: this machine
    only) and --port, until stopped. Not Flask's development server, with its warning."""
    from waitress import serve

    from . import create_app

    app = create_app("development")
    print(f"IMP+ Check: http://{args.host}:{args.port}/", file=sys.stderr)
    # waitress ignores X-Forwarded-* (no trusted proxy) and shows no tracebacks to clients.
    serve(app, host=args.host, port=args.port, threads=4, ident="impplus")
    return 0


PERMIT_COLUMNS = ("file", "code", "differs", "cannot_tell", "ok", "what_to_do", "summary",
                  "error")


NOT_A_PERMIT_PDF = msg("This PDF holds no permit: it is not a permit check made by this tool, "
                       "or it is damaged or protected by a password.")


def _permit_bytes(data: bytes) -> bytes:
    """The permit file in `data`: the JSON itself, or the permit.json a permit check's PDF
    carries. Raises AnswersError for a PDF without one."""
    if data.lstrip()[:5] != b"%PDF-":
        return data
    from .permit_pdf import PERMIT_NAME

    try:
        inside = savefile.embedded(data, PERMIT_NAME)
    except AnswersError:
        inside = None
    if inside is None:
        raise AnswersError([(None, NOT_A_PERMIT_PDF)])
    return inside


def _check_permit_file(name: str, lang: str, pdf_path: str | None = None):
    """(permit check report, None) or (None, error line) for one permit file (JSON, or a
    permit check's PDF); with `pdf_path`, the check is also written there as a PDF (an
    OSError when it cannot be)."""
    shown = display(name)
    try:
        data = _read(name)
        if len(data) > savefile.MAX_BYTES:
            raise AnswersError([(None, msg("The file is larger than 1 MB: it is not a permit "
                                           "file."))])
        permit = loads_permit(_permit_bytes(data))
    except AnswersError as e:
        return None, {"file": shown, "error": localize(e.message, lang), "field": e.field,
                      "errors": [{"field": f, "error": localize(t, lang)} for f, t in e.errors]}
    except _Silent:
        return None, {"file": shown, "error": localize(msg(
            "This file cannot be read: nothing came from it for %(seconds)s seconds.",
            seconds=PIPE_WAIT), lang), "field": None, "errors": []}
    except (OSError, ValueError):
        return None, {"file": shown, "error": localize(UNREADABLE, lang), "field": None,
                      "errors": []}
    result = permit_check_report(check_permit(permit), lang)
    if pdf_path is not None:
        from .permit_pdf import render
        from .rules.assessment import today

        Path(pdf_path).write_bytes(render(result, permit, today()))
    return {"file": shown, **result}, None


def _permit_row(result: dict) -> list[str]:
    """One CSV row of a permit check: check ids by status joined with ";", empty for null."""
    def ids(status: str) -> str:
        return ";".join(c["id"] for c in result["checks"] if c["status"] == status)

    return [result["file"], result["code"] or "", ids("differs"), ids("cannot_tell"), ids("ok"),
            ";".join(i["id"] for i in result["what_to_do"]), result["summary"], ""]


def cmd_check_permit(args: argparse.Namespace) -> int:
    """`impplus check-permit`: one JSON line (webapp.report.permit_check_report) or CSV row
    (PERMIT_COLUMNS) per permit file, in order; with --pdf, the one file's check also written
    as a PDF (webapp.permit_pdf). Returns the exit status: 0, or 2 when a file could not be
    read (its line holds the error, every wrong field named; the others are still checked),
    when --pdf is given more than one file or the PDF cannot be written."""
    out = sys.stdout
    if args.pdf is not None and len(args.files) != 1:
        return _fail(msg("--pdf: give one permit file, not %(count)s.", count=len(args.files)),
                     args.lang)
    if out is None:
        return _fail(msg("Standard output is closed: there is nowhere to write the results."),
                     args.lang)
    failed = False
    # the same CSV for spreadsheets as `assess` (byte-order mark, formula cells neutralised)
    writer = spreadsheet.Writer(out) if args.format == "csv" else None
    if writer is not None:
        writer.row(PERMIT_COLUMNS)
    for name in args.files:
        try:
            result, error = _check_permit_file(name, args.lang, args.pdf)
        except OSError as e:
            return _fail(msg("%(file)s: cannot write this file (%(reason)s).",
                             file=display(args.pdf), reason=e.strerror or str(e)), args.lang)
        failed |= error is not None
        if writer is None:
            out.write(json.dumps(result or error, ensure_ascii=False) + "\n")
        elif error:
            every = [e["error"] for e in error["errors"]] or [error["error"]]
            writer.row([error["file"], "", "", "", "", "", "", " | ".join(every)])
        else:
            writer.row(_permit_row(result))
    out.flush()
    return 2 if failed else 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the four commands."""
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

    p = sub.add_parser("check-permit", help="check permits already issued against IRCC's "
                       "instructions; one JSON line (or CSV row) each")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="permit file (impplus-permit/1 JSON) or a permit check's PDF, or - "
                        "for stdin")
    p.add_argument("--lang", choices=LANGUAGES, default="en")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    p.add_argument("--pdf", metavar="OUT.pdf",
                   help="also write the check of the one FILE as a PDF (the permit rides "
                        "inside it)")
    p.set_defaults(func=cmd_check_permit)

    p = sub.add_parser("serve", help="run the web application on this machine")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5000)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command of `argv` (default: sys.argv[1:]); returns its exit status. argparse
    exits with 2 on a usage error."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and send what Python still flushes at
        # exit nowhere, as Python's documentation advises (signal module, "Note on SIGPIPE").
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # as a shell reports a command stopped by SIGPIPE (128 + 13)


if __name__ == "__main__":
    sys.exit(main())
