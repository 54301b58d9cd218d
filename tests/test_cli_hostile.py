"""The command line under hostile conditions (issue 14): a reader that goes away (`| head`),
standard output or input closed, a file name that is not UTF-8, a named pipe with no writer, a
directory, an endless device. No traceback, and the lines for the other files are all there."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time

import pytest

from conftest import ROOT, build_answers
from webapp import cli

GOOD = json.dumps(build_answers("outside")).encode()


def impplus(shell: str, cwd) -> subprocess.CompletedProcess:
    """Run `shell` with IMPPLUS standing for the command line, in bash, in `cwd`."""
    command = f"{sys.executable} -m webapp.cli"
    return subprocess.run(["bash", "-c", shell.replace("IMPPLUS", command)], cwd=cwd,
                          capture_output=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))


@pytest.fixture
def files(tmp_path):
    for i in range(200):
        (tmp_path / f"f{i:03}.json").write_bytes(GOOD)
    return tmp_path


def test_a_reader_that_goes_away_gets_no_traceback(files):
    done = impplus("IMPPLUS assess f*.json | head -1; echo \"status ${PIPESTATUS[0]}\"", files)
    assert done.stderr == b"", done.stderr.decode()
    lines = done.stdout.decode().splitlines()
    assert json.loads(lines[0])["outcome"] and lines[-1] == "status 141"


def test_closed_standard_output_is_said_on_standard_error(files):
    done = impplus("IMPPLUS assess f000.json >&-", files)
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr and b"Standard output is closed" in done.stderr


def test_closed_standard_input_is_one_file_that_cannot_be_read(files):
    done = impplus("IMPPLUS assess - f001.json <&-", files)
    lines = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert lines[0]["file"] == "-" and lines[0]["error"]
    assert lines[1]["file"] == "f001.json" and lines[1]["outcome"]


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped_and_the_next_files_follow(tmp_path, fmt):
    (tmp_path / os.fsdecode(b"caf\xe9.json")).write_bytes(GOOD)
    (tmp_path / "next.json").write_bytes(GOOD)
    done = subprocess.run([sys.executable, "-m", "webapp.cli", "assess", "--format", fmt,
                           os.fsdecode(b"caf\xe9.json"), os.fsdecode(b"missing\xff.json"),
                           "next.json"], cwd=tmp_path, capture_output=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 2 and done.stderr == b"", done.stderr.decode()
    out = done.stdout.decode("utf-8")
    if fmt == "jsonl":
        names = [json.loads(line)["file"] for line in out.splitlines()]
    else:
        names = [row[0] for row in csv.reader(io.StringIO(out.removeprefix("\ufeff")))][1:]
    assert names == ["caf\\xe9.json", "missing\\xff.json", "next.json"]


def test_sheet_with_a_name_that_is_not_utf8(tmp_path):
    done = subprocess.run([sys.executable, "-m", "webapp.cli", "sheet",
                           os.fsdecode(b"nope\xe9.json"), "-o", "out.pdf"], cwd=tmp_path,
                          capture_output=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 2 and b"nope\\xe9.json" in done.stderr
    assert b"Traceback" not in done.stderr


def test_a_named_pipe_with_no_writer_is_given_up(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "PIPE_WAIT", 0.5)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    good = tmp_path / "good.json"
    good.write_bytes(GOOD)
    started = time.monotonic()
    status = cli.main(["assess", str(fifo), str(good)])
    assert time.monotonic() - started < 5
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 2
    assert "nothing came from it" in lines[0]["error"] and lines[1]["outcome"]


def test_a_named_pipe_with_a_writer_is_read(tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["bash", "-c", f"sleep 0.3; cat > '{fifo}'"],
                              stdin=subprocess.PIPE)
    writer.stdin.write(GOOD)
    writer.stdin.close()
    status = cli.main(["assess", str(fifo)])
    writer.wait(timeout=10)
    assert status == 0
    assert json.loads(capsys.readouterr().out)["outcome"]


@pytest.mark.parametrize("name", ["/dev/zero", "/", "/dev/null"])
def test_devices_and_directories_are_refused_quickly(name, capsys):
    started = time.monotonic()
    assert cli.main(["assess", name]) == 2
    assert time.monotonic() - started < 5
    assert json.loads(capsys.readouterr().out)["error"]


def test_the_calendar_of_year_9999(tmp_path):
    answers = tmp_path / "far.json"
    answers.write_text(json.dumps(build_answers("extension", {
        "current_permit_expiry": "9999-12-31", "assessment_date": "9999-12-01"})))
    done = subprocess.run([sys.executable, "-m", "webapp.cli", "sheet", str(answers), "-o",
                           str(tmp_path / "far.pdf"), "--calendar", str(tmp_path / "far.ics")],
                          capture_output=True, timeout=60,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert done.returncode == 0, done.stderr.decode()
    assert b"DTSTART;VALUE=DATE:99991231" in (tmp_path / "far.ics").read_bytes()


def test_serve_runs_waitress_not_flask_s_development_server(monkeypatch):
    import waitress

    called = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kw: called.update(kw, app=app))
    assert cli.main(["serve", "--port", "5099"]) == 0
    assert called["host"] == "127.0.0.1" and called["port"] == 5099
