"""`impplus assess`: JSON Lines or CSV, --on, --lang, stdin; one bad file never stops the rest."""

import csv
import io
import json
import subprocess
import sys

import pytest

from conftest import BASES, EXAMPLES
from webapp.cli import main

E01 = str(EXAMPLES / "e01_outside_canada_eligible.json")
E04 = str(EXAMPLES / "e04_today_window_closed.json")


def run(capsys, *argv):
    code = main(list(argv))
    return code, capsys.readouterr()


def test_good_files_exit_0(capsys):
    code, out = run(capsys, "assess", E01, E04)
    lines = [json.loads(line) for line in out.out.splitlines()]
    assert code == 0
    assert [line["outcome"] for line in lines] == ["eligible", "not_eligible"]
    assert lines[0]["file"] == E01 and lines[0]["format"] == "impplus-assessment/2"


def test_bad_files_among_good_ones(tmp_path, capsys):
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{oops")
    bad_value = tmp_path / "value.json"
    bad_value.write_text(json.dumps({"residence": "mars"}))
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (1024 * 1024 + 1))
    code, out = run(capsys, "assess", E01, str(bad_json), str(tmp_path / "missing.json"),
                    str(bad_value), str(big), E04)
    lines = [json.loads(line) for line in out.out.splitlines()]
    assert code == 2
    assert len(lines) == 6
    assert lines[0]["outcome"] == "eligible" and lines[-1]["outcome"] == "not_eligible"
    assert all("error" in line for line in lines[1:5])
    assert lines[3]["field"] == "residence" and "residence" in lines[3]["error"]


def test_on_overrides_the_date(capsys):
    code, out = run(capsys, "assess", E01, "--on", "2025-01-24")
    line = json.loads(out.out)
    assert line["assessment_date"] == "2025-01-24"
    assert line["outcome"] == "not_eligible"


def test_bad_on_date(capsys):
    with pytest.raises(SystemExit) as info:
        main(["assess", E01, "--on", "2025-02-30", "--lang", "fr"])
    assert info.value.code == 2
    assert "--on" in capsys.readouterr().err


def test_french(capsys):
    code, out = run(capsys, "assess", E01, "--lang", "fr")
    line = json.loads(out.out)
    assert line["lang"] == "fr"
    assert "janvier\u00a02025" in line["summary"]


def test_csv(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    code, out = run(capsys, "assess", E01, E04, str(bad), "--format", "csv")
    assert out.out.startswith("\ufeff")  # the byte-order mark: Excel then reads UTF-8
    rows = list(csv.reader(io.StringIO(out.out[1:])))
    assert code == 2
    # v1's five columns first, in their order; v2's after them
    assert rows[0] == ["file", "outcome", "not_met", "submission_deadline", "error", "unknown",
                       "exemption_code", "form", "warnings", "file_id", "label", "field"]
    assert rows[1][1:4] == ["eligible", "", "2025-01-23"]
    assert rows[1][6:8] == ["A76", "IMM 1295"]
    # CONTRACT.md v2: no deadline and no exemption code for someone not eligible
    assert rows[2][1:4] == ["not_eligible", "submission_window", ""]
    assert rows[2][6] == ""
    assert rows[3][0] == str(bad) and rows[3][4]


def test_console_script_reads_stdin():
    """The installed `impplus` command, reading one file from standard input."""
    proc = subprocess.run([sys.executable, "-m", "webapp.cli", "assess", "-", "--lang", "fr"],
                          input=json.dumps(BASES["in_canada"]), capture_output=True, text=True,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    line = json.loads(proc.stdout)
    assert line["outcome"] == "eligible" and line["form"] == "IMM 5710"
