"""Spreadsheets (CSV), both ways: what `impplus assess --format csv` writes, and the consultants'
CSV of clients, one per row, that `impplus assess clients.csv` reads; and its template.

Written (UTF-8 with a byte-order mark, so that Excel reads the accents right; every cell quoted):
a cell that a spreadsheet could take for a formula, one starting with `=`, `+`, `-`, `@`, a tab,
a carriage return or a line feed, gets a single quote in front (OWASP, "CSV Injection"), file
names and labels included. Lists of ids in a cell are joined with " / ": neither a comma nor a
semicolon, so no spreadsheet splits them into columns, whatever its locale's separator.

Read: UTF-8 with or without the byte-order mark, comma- or semicolon-separated (told from the
header row), the header naming the answers file's fields by their dotted paths (`csq.issued`,
`pr_application.status`; CONTRACT.md, "Answers"). Each row is one client's answers: an empty
cell is not answered, booleans are true/false, yes/no, oui/non or vrai/faux. A row whose first
cell starts with `#` is a note (the template has two) and an empty row is skipped; rows are
numbered as the spreadsheet shows them, the header being row 1.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from .i18n import localize
from .rules import Answers, AnswersError, msg, parse_answers
from .rules.answers import SCHEMA, Group, Spec
from .rules.text import Text

BOM = "\ufeff"
MAX_BYTES = 10 * 1024 * 1024  # a spreadsheet of clients: some 20,000 rows
JOIN = " / "  # between the ids in one cell: a French-locale spreadsheet splits on ";"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
TRUE_WORDS = frozenset({"true", "yes", "oui", "vrai"})
FALSE_WORDS = frozenset({"false", "no", "non", "faux"})
COMMENT = "#"


def _columns() -> tuple[tuple[str, Spec], ...]:
    """(dotted path, Spec) of every answer, `label` first (it names the client), then SCHEMA's
    order; `format` is no answer and has no column."""
    specs: list[tuple[str, Spec]] = []
    for item in SCHEMA:
        if isinstance(item, Group):
            specs += [(f"{item.key}.{m.key}", m) for m in item.members]
        elif item.key not in ("format", "label"):
            specs.append((item.key, item))
    label = next(item for item in SCHEMA if item.key == "label")
    return (("label", label), *specs)


COLUMNS = _columns()
# What a header may name: every column, and `format` (checked as in an answers file).
_SPECS = {**dict(COLUMNS), "format": next(item for item in SCHEMA if item.key == "format")}
_ORDER = {path: i for i, (path, _) in enumerate(COLUMNS)}


def cell(value: object) -> str:
    """A value as a safe spreadsheet cell: None is empty, anything else its text, with a single
    quote in front when it starts with a character that makes a formula (FORMULA_START)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class Writer:
    """CSV for spreadsheets onto a text stream: the byte-order mark first, every cell made safe
    by `cell` and quoted."""

    def __init__(self, out) -> None:
        out.write(BOM)
        self._csv = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")

    def row(self, values) -> None:
        """Write one row of `values` (None for an empty cell)."""
        self._csv.writerow([cell(v) for v in values])


# ------------------------------------------------------------------ the template

_EXAMPLE = {
    "purpose": "initial", "residence": "outside_canada", "holds_r206_permit": False,
    "intends_to_live_and_work_in_quebec": True, "csq.held": True,
    "csq.category": "skilled_worker", "csq.issued": "2024-06-01", "pr_application.submitted": True,
    "pr_application.submitted_on": "2024-09-01", "pr_application.status": "in_progress",
    "pr_application.aor_received": True, "invitation.received": True,
    "invitation.dated": "2024-12-10", "invitation.received_on": "2024-12-12",
    "channel": "online", "passport_expiry": "2027-05-01",
}


def _accepted(spec: Spec) -> Text | str:
    """What a column accepts, for the template's notes row."""
    if spec.kind == "bool":
        return msg("true or false (or yes, no, oui, non)")
    if spec.kind == "date":
        return msg("a date, YYYY-MM-DD")
    if spec.kind == "code":
        return msg("a permit code, such as A76")
    if spec.kind == "text":
        return msg("text, at most %(count)s characters", count=spec.max_length)
    return JOIN.join(spec.choices)


def template(lang: str) -> bytes:
    """The template of a spreadsheet of clients (UTF-8 CSV with a byte-order mark): the header
    of every column (COLUMNS, from SCHEMA), then two rows of notes, skipped when read, in `lang`:
    what each column accepts, and an example client."""
    notes = [localize(msg("%(label)s: %(accepted)s", label=spec.label,
                          accepted=_accepted(spec)), lang) for _, spec in COLUMNS]
    notes[0] = localize(msg("# Notes, not a client: a row whose first cell starts with # is "
                            "skipped, and an empty cell is not answered. %(note)s",
                            note=notes[0]), lang)
    yes, no = ("oui", "non") if lang == "fr" else ("true", "false")
    example = [{True: yes, False: no}.get(_EXAMPLE.get(path), _EXAMPLE.get(path))
               for path, _ in COLUMNS]
    example[0] = localize(msg("# Example, skipped: Client 42"), lang)
    out = io.StringIO()
    writer = Writer(out)
    writer.row([path for path, _ in COLUMNS])
    writer.row(notes)
    writer.row(example)
    return out.getvalue().encode("utf-8")


# ------------------------------------------------------------------ reading clients

@dataclass(frozen=True)
class Row:
    """One client row: its number as the spreadsheet shows it (the header is row 1), its
    answers, or the (dotted field, message) errors of its cells; `label` when it could be read
    (to name the row even when other cells are wrong)."""

    number: int
    answers: Answers | None
    errors: tuple[tuple[str | None, Text], ...]
    label: str | None


@dataclass(frozen=True)
class Sheet:
    """A spreadsheet read: its client rows, and the header's columns that are not answers
    (ignored, as the answers file ignores unknown keys)."""

    rows: tuple[Row, ...]
    ignored: tuple[str, ...]


def _key(name: str) -> str:
    return name.strip().strip('"').strip().lower()


def looks_like_spreadsheet(name: str, data: bytes) -> bool:
    """Whether `data` (a file's first bytes, or all of them) is a spreadsheet of clients rather
    than an answers file or a PDF: not JSON nor PDF, and either named *.csv or with a header
    naming at least one column of COLUMNS."""
    head = data[:8192].removeprefix(BOM.encode()).lstrip()
    if head[:1] in (b"{", b"[") or head.startswith(b"%PDF-"):
        return False
    if name.lower().endswith(".csv"):
        return True
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    return any(_key(c) in _SPECS for c in re.split("[,;]", first))


def _error(text: Text) -> AnswersError:
    return AnswersError([(None, text)])


def _value(spec: Spec, path: str, raw: str, errors: list) -> object:
    """The JSON value of a cell for parse_answers (None for a cell it cannot be), reading the
    words a spreadsheet has for booleans; parse_answers checks the rest."""
    if spec.kind == "bool":
        word = raw.lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        errors.append((path, msg("%(label)s (%(field)s): “%(value)s” is not one of: true, false, "
                                 "yes, no, oui, non (leave the cell empty when not known).",
                                 label=spec.label, field=path, value=raw[:40])))
        return None
    if spec.kind in ("enum", "const"):
        return raw.lower()
    return raw


def _label(raw: str) -> str | None:
    try:
        return parse_answers({"label": raw}).label
    except AnswersError:
        return None


def _client(number: int, cells: list[str], columns: dict[str, int]) -> Row | None:
    """The Row of one record, or None for an empty row or a note."""
    if not any(c.strip() for c in cells) or cells[0].lstrip().startswith(COMMENT):
        return None
    data: dict[str, object] = {}
    errors: list[tuple[str | None, Text]] = []
    for path, index in columns.items():
        raw = cells[index].strip() if index < len(cells) else ""
        if not raw:
            continue
        value = _value(_SPECS[path], path, raw, errors)
        if value is None:
            continue
        group, _, member = path.rpartition(".")
        (data.setdefault(group, {}) if group else data)[member] = value
    try:
        answers = parse_answers(data)
    except AnswersError as e:
        errors += e.errors
    if errors:
        errors.sort(key=lambda e: _ORDER.get(e[0], -1))
        index = columns.get("label")
        raw_label = cells[index] if index is not None and index < len(cells) else ""
        return Row(number, None, tuple(errors), _label(raw_label))
    return Row(number, answers, (), answers.label)


def read(data: bytes) -> Sheet:
    """The client rows of a spreadsheet's bytes (see the module's description). Raises
    AnswersError, with no field, when the spreadsheet as a whole cannot be read: too large, not
    UTF-8, not CSV, no column that is an answer, no client."""
    if len(data) > MAX_BYTES:
        raise _error(msg("This spreadsheet is larger than %(size)s MB: split it into smaller "
                         "ones.", size=MAX_BYTES // (1024 * 1024)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _error(msg("This spreadsheet is not UTF-8 text: save it as “CSV UTF-8” and try "
                         "again."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    # strict: a quote left open is an error, not a cell swallowing the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        records.extend(reader)
    except csv.Error:
        raise _error(msg("This spreadsheet cannot be read as CSV from row %(row)s on (a quote "
                         "left open, or a cell too long).", row=len(records) + 1))
    header = records[0] if records else []
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        key = _key(name)
        if key in _SPECS and key not in columns:
            columns[key] = index
        elif name.strip():
            ignored.append(name.strip())
    if not columns:
        raise _error(msg("The first row of this spreadsheet names none of the answers: it must "
                         "name the columns as the template does (label, purpose, csq.issued…)."))
    rows = tuple(row for number, cells in enumerate(records[1:], start=2)
                 if (row := _client(number, cells, columns)) is not None)
    if not rows:
        raise _error(msg("This spreadsheet has no client in it: only its header, notes or "
                         "empty rows."))
    return Sheet(rows, tuple(ignored))
