"""Spreadsheets (issue 15): `impplus assess --format csv` opens right in a spreadsheet (BOM, no
formula, French intact, one row per file); `impplus assess clients.csv` assesses a spreadsheet
of clients row by row; its template, generated from SCHEMA, on the start page and in docs/; the
progress bar of long batches on a terminal's standard error only."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import termios
import time

import pytest

from conftest import BASES, ROOT, build_answers
from webapp import cli, spreadsheet
from webapp.report import report
from webapp.rules import assess, parse_answers
from webapp.rules.answers import SCHEMA, Group
from webapp.spreadsheet import COLUMNS, FORMULA_START, cell, looks_like_spreadsheet, template

BOM = b"\xef\xbb\xbf"


def impplus(*argv, cwd, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "webapp.cli", *argv], cwd=cwd, input=stdin,
                          capture_output=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))


def read_csv(data: bytes) -> list[list[str]]:
    """A CSV as a spreadsheet would read it: the BOM first, then UTF-8 text."""
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def flat(answers: dict) -> dict[str, str]:
    """An answers file as one spreadsheet row: {dotted path: cell}."""
    row = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            row.update({f"{key}.{k}": v for k, v in value.items()})
        elif key != "format":
            row[key] = value
    return {k: "true" if v is True else "false" if v is False else ("" if v is None else str(v))
            for k, v in row.items()}


def clients_csv(rows: list[dict[str, str]], delimiter: str = ",", bom: bool = False,
                columns: list[str] | None = None) -> bytes:
    columns = columns or [path for path, _ in COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return (BOM if bom else b"") + out.getvalue().encode("utf-8")


# ------------------------------------------------------------------ CSV out

HOSTILE_NAMES = ["=HYPERLINK(\"evil.example\")", "+1.json", "-2.json", "@SUM(A1).json", "\tx.json"]


def test_the_csv_opens_right_bom_no_formula_french_intact_one_row_per_file(tmp_path):
    good = json.dumps(build_answers("outside", {"label": "=cmd|' /C calc'!A0"})).encode()
    for name in HOSTILE_NAMES:
        (tmp_path / name).write_bytes(good)
    (tmp_path / "three.json").write_text(json.dumps({
        "residence": "mars", "csq": {"issued": "15/01/2025"}, "channel": "pigeon"}))
    (tmp_path / "fails.json").write_text(json.dumps(build_answers("outside", {
        "channel": "port_of_entry", "residence": "quebec"})))
    done = impplus("assess", "--format", "csv", "--lang", "fr", "--", *HOSTILE_NAMES,
                   "three.json", "fails.json", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr == b"", done.stderr.decode()
    assert done.stdout[:4] == BOM + b'"'  # UTF-8's byte-order mark, then the header
    rows = read_csv(done.stdout)
    header, *rows = rows
    assert header == list(cli.CSV_HEADER)
    by = [dict(zip(header, row)) for row in rows]
    assert len(by) == len(HOSTILE_NAMES) + 2  # one row per file
    for row in rows:
        for value in row:
            assert not value.startswith(FORMULA_START), row
    assert [r["file"] for r in by[:5]] == ["'" + n for n in HOSTILE_NAMES]
    assert by[0]["label"] == "'=cmd|' /C calc'!A0" and by[0]["outcome"] == "eligible"
    # every wrong field of the file, its message in French, one per line
    three = by[5]
    assert three["field"] == "residence / csq.issued / channel"
    messages = three["error"].split("\n")
    assert len(messages) == 3
    assert "csq.issued" in messages[1] and "n’est pas une date au format AAAA-MM-JJ" in messages[1]
    assert "«\u00a015/01/2025\u00a0»" in messages[1]
    assert three["outcome"] == ""
    # the ids of criteria not met: never split by a spreadsheet on "," or ";"
    assert by[6]["not_met"] == "residence / channel"
    assert ";" not in by[6]["not_met"] and "," not in by[6]["not_met"]


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+33 1", "'+33 1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("\nx", "'\nx"), ("a=1", "a=1"), ("2025-01-15", "2025-01-15"), (None, ""),
    ("", ""), ("’quoted", "’quoted"),
])
def test_a_cell_that_could_be_a_formula_gets_a_single_quote(value, expected):
    assert cell(value) == expected


def test_the_csv_is_utf8_whatever_the_terminal_encoding(tmp_path):
    (tmp_path / "é.json").write_text(json.dumps(build_answers("outside")))
    done = subprocess.run([sys.executable, "-m", "webapp.cli", "assess", "é.json", "--format",
                           "csv", "--lang", "fr"], cwd=tmp_path, capture_output=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="latin-1"))
    assert done.returncode == 0, done.stderr.decode()
    assert read_csv(done.stdout)[1][0] == "é.json"


# ------------------------------------------------------------------ CSV in

def test_a_spreadsheet_of_clients_is_assessed_row_by_row(tmp_path):
    good = flat(build_answers("outside", {"label": "Client 1 – Tremblay"}))
    french = {**flat(build_answers("in_canada")), "label": "Client 2",
              "holds_r206_permit": "Non", "can_apply_from_inside_canada": "OUI",
              "intends_to_live_and_work_in_quebec": "vrai", "csq.held": "oui",
              "pr_application.submitted": "yes", "invitation.received": "TRUE"}
    bad = {**good, "label": "Client 3", "csq.held": "maybe", "csq.issued": "15/01/2025",
           "residence": "mars"}
    note = {"label": "# a note, not a client", "purpose": "extension"}
    (tmp_path / "clients.csv").write_bytes(clients_csv([good, french, {}, bad, note, good],
                                                       delimiter=";", bom=True))
    done = impplus("assess", "clients.csv", "--lang", "fr", cwd=tmp_path)
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 2 and done.stderr == b"", done.stderr.decode()
    # the header is row 1; the empty row (4) and the note (6) are skipped, still counted
    assert [line["file"] for line in lines] == [f"clients.csv:{n}" for n in (2, 3, 5, 7)]
    assert [line.get("outcome") for line in lines] == ["eligible", "eligible", None, "eligible"]
    assert [line["label"] for line in lines] == ["Client 1 – Tremblay", "Client 2", "Client 3",
                                                 "Client 1 – Tremblay"]
    # the row is assessed exactly as the same answers in a file
    same = report(assess(parse_answers(build_answers("outside", {"label": "x"}))), "fr")
    assert {k: v for k, v in lines[0].items() if k not in ("file", "label")} == \
        {k: v for k, v in same.items() if k != "label"}
    error = lines[2]
    assert [e["field"] for e in error["errors"]] == ["residence", "csq.held", "csq.issued"]
    assert error["field"] == "residence" and "mars" in error["error"]
    assert "«\u00a0maybe\u00a0»" in error["errors"][1]["error"]


@pytest.mark.parametrize("base", sorted(k for k in BASES if k != "empty"))
def test_every_column_reads_as_the_answers_file_does(tmp_path, base):
    answers = {**build_answers(base), "file_id": "0f8b8a52-6c1e-4c77-9d25-2a8f3b9d1e11",
               "label": "Dossier « 7 »"}
    sheet = spreadsheet.read(clients_csv([flat(answers)]))
    (row,) = sheet.rows
    del answers["format"]  # a row is no answers file, of no format version
    assert row.answers == parse_answers(answers) and row.number == 2 and sheet.ignored == ()


def test_columns_in_any_order_any_case_with_others_ignored_and_said(tmp_path):
    data = clients_csv([{"Phone": "514", "LABEL": "A", "Purpose": "Extension"}],
                       columns=["Phone", "LABEL", "Purpose", "notes"])
    sheet = spreadsheet.read(data)
    assert sheet.ignored == ("Phone", "notes")
    assert sheet.rows[0].answers.purpose == "extension" and sheet.rows[0].label == "A"
    (tmp_path / "c.csv").write_bytes(data)
    done = impplus("assess", "c.csv", cwd=tmp_path)
    assert done.returncode == 0
    assert b"Phone, notes" in done.stderr and b"ignored" in done.stderr


def test_a_spreadsheet_through_csv_out_and_from_standard_input(tmp_path):
    data = clients_csv([flat(build_answers("outside", {"label": "@home"})),
                        {"label": "x", "passport_expiry": "2030-02-30"}])
    done = impplus("assess", "-", "--format", "csv", cwd=tmp_path, stdin=data)
    rows = read_csv(done.stdout)
    assert done.returncode == 2
    assert [r[0] for r in rows[1:]] == ["'-:2", "'-:3"]
    assert rows[1][1] == "eligible" and rows[1][10] == "'@home"
    assert rows[2][10] == "x" and rows[2][11] == "passport_expiry"


@pytest.mark.parametrize("data, words", [
    ("label,purpose\nÉlise,initial\n".encode("cp1252"), "UTF-8"),
    (b"phone,notes\n514,x\n", "names none of the answers"),
    (b"label,purpose\n# note\n,\n", "no client"),
    (b'label,purpose\nA,initial\n"open,initial\nB,initial\n', "from row 3 on"),
    (b"label,purpose\nA," + b"x" * 200_000 + b"\n", "cannot be read as CSV"),
])
def test_a_spreadsheet_that_cannot_be_read_is_one_line_and_the_others_follow(tmp_path, data,
                                                                              words):
    (tmp_path / "bad.csv").write_bytes(data)
    (tmp_path / "good.json").write_text(json.dumps(build_answers("outside")))
    done = impplus("assess", "bad.csv", "good.json", cwd=tmp_path)
    first, second = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 2 and first["file"] == "bad.csv" and words in first["error"]
    assert second["outcome"] == "eligible"


def test_what_is_a_spreadsheet():
    assert looks_like_spreadsheet("a.CSV", b"anything")
    assert looks_like_spreadsheet("-", BOM + b"label;csq.issued\r\n")
    assert not looks_like_spreadsheet("a.csv", b' {"purpose": "initial"}')
    assert not looks_like_spreadsheet("a.csv", b"%PDF-1.7")
    assert not looks_like_spreadsheet("-", b"hello, world\n")


def test_a_large_spreadsheet_is_read(tmp_path):
    """Larger than an answers file may be (1 MB), up to spreadsheet.MAX_BYTES."""
    row = {**flat(build_answers("outside", {"label": "x" * 100})), "notes": "n" * 300}
    data = clients_csv([row] * 2500, columns=[*(path for path, _ in COLUMNS), "notes"])
    assert 1024 * 1024 < len(data) < spreadsheet.MAX_BYTES
    (tmp_path / "big.csv").write_bytes(data)
    done = impplus("assess", "big.csv", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 0 and len(read_csv(done.stdout)) == 2501


def test_a_spreadsheet_over_the_limit_is_refused_whole(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(spreadsheet, "MAX_BYTES", 1000)
    (tmp_path / "big.csv").write_bytes(clients_csv([{"label": "x" * 100}] * 20))
    assert cli.main(["assess", str(tmp_path / "big.csv"), "--lang", "fr"]) == 2
    (line,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert "divisez-le" in line["error"] and line["field"] is None


# ------------------------------------------------------------------ the template

def test_the_template_has_every_answer_of_schema_and_its_notes_are_skipped():
    paths = [f"{g.key}.{m.key}" for g in SCHEMA if isinstance(g, Group) for m in g.members]
    paths += [s.key for s in SCHEMA if not isinstance(s, Group) and s.key != "format"]
    for lang in ("en", "fr"):
        header, notes, example = read_csv(template(lang))
        assert sorted(header) == sorted(paths) and header[0] == "label"
        assert notes[0].startswith("# ") and example[0].startswith("# ")
        assert all(notes)  # a note for every column
        with pytest.raises(Exception, match="no client"):
            spreadsheet.read(template(lang))
        # the example, once its row is no longer a note, is a client read without error
        text = template(lang).decode("utf-8-sig").replace('"# ', '"', 2)
        (row,) = spreadsheet.read(text.encode()).rows[1:]
        assert row.errors == () and row.answers.purpose == "initial"


def test_the_committed_templates_match_schema():
    """docs/client-template*.csv are the generator's output: run
    `python scripts/client_template.py` after changing SCHEMA."""
    assert (ROOT / "docs" / "client-template.csv").read_bytes() == template("en")
    assert (ROOT / "docs" / "client-template.fr.csv").read_bytes() == template("fr")
    assert "docs/client-template.csv" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, name, words", [
    ("en", "impplus-client-template.csv", "Download the spreadsheet template (CSV)"),
    ("fr", "verif-pmi-modele-clients.csv", "Télécharger le modèle de tableur (CSV)"),
])
def test_the_template_is_downloadable_from_the_start_page(client, lang, name, words):
    page = client.get(f"/{lang}/").get_data(as_text=True)
    assert f'href="/{lang}/client-template.csv"' in page and words in page
    r = client.get(f"/{lang}/client-template.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert r.data == template(lang)
    notes = read_csv(r.data)[1]
    assert ("CSQ issue date" if lang == "en" else "date de délivrance du CSQ") in " ".join(notes)


# ------------------------------------------------------------------ the progress bar

def progress_run(tmp_path, stderr_tty: bool) -> tuple[int, bytes, bytes]:
    """`impplus assess` on 3 files and a spreadsheet of 3 clients, standard output to a pipe,
    standard error to a pseudo-terminal (a real TTY for the process) or to a pipe."""
    good = json.dumps(build_answers("outside")).encode()
    for i in range(3):
        (tmp_path / f"f{i}.json").write_bytes(good)
    (tmp_path / "c.csv").write_bytes(clients_csv([flat(build_answers("outside"))] * 3))
    code = ("import sys, webapp.cli as c; c.PROGRESS_DELAY = 0; "
            "sys.exit(c.main(['assess', 'f0.json', 'f1.json', 'c.csv', 'f2.json']))")
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="80")
    if not stderr_tty:
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                              capture_output=True, timeout=60)
        return done.returncode, done.stdout, done.stderr
    leader, follower = os.openpty()
    termios.tcsetwinsize(follower, (24, 80))  # a new pseudo-terminal is 0 columns wide
    with open(tmp_path / "out", "wb") as out:  # a file: a full pipe would block the process
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, env=env,
                                stdout=out, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    err = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the terminal's last writer, the process, has gone
            break
        if not chunk:
            break
        err += chunk
    proc.wait(timeout=10)
    os.close(leader)
    return proc.returncode, (tmp_path / "out").read_bytes(), err


def test_a_progress_bar_on_a_terminal(tmp_path):
    code, out, err = progress_run(tmp_path, stderr_tty=True)
    assert code == 0 and len(out.decode().splitlines()) == 6
    text = err.decode("utf-8", "replace")
    assert "Assessing" in text and "6/6" in text, text  # the spreadsheet's rows counted too


def test_no_progress_bar_when_standard_error_is_not_a_terminal(tmp_path):
    code, out, err = progress_run(tmp_path, stderr_tty=False)
    assert code == 0 and len(out.decode().splitlines()) == 6
    assert err == b""


def test_no_progress_bar_when_the_lines_go_to_the_terminal_too(monkeypatch, capsys, tmp_path):
    """Standard output on the terminal: its lines are the progress; no bar drawn into them."""
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    assert cli._progress("en", 10) is None
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    bar = cli._progress("fr", 10)
    assert bar is not None and bar.desc.startswith("Évaluation")
    bar.close()
