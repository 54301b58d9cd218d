"""The supply chain and the image: requirements.lock pins and hashes everything the image
installs, bandit finds no high-severity issue in our code (pip-audit runs outside the tests:
scripts/audit.sh); the Dockerfile's promises hold, and its build steps, run here without Docker,
give a server that answers in both languages from a read-only copy of what the image holds."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.conftest import ROOT
from tests.test_production import free_port, wait_until_up

pytestmark = pytest.mark.slow  # a minute or more in all: `pytest -m "not slow"` skips it

LOCK = ROOT / "requirements.lock"
DOCKERFILE = ROOT / "Dockerfile"


def locked() -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes) from requirements.lock."""
    text = LOCK.read_text().replace("\\\n", " ")
    out = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        spec, *options = line.split(" --hash=")
        name, _, version = spec.strip().partition("==")
        assert version, f"not pinned with ==: {line}"
        out[canonicalize_name(name)] = (version, [o.strip() for o in options])
    return out


def compiled_messages(path) -> dict:
    """{msgid: msgstr} of a compiled catalogue."""
    from babel.messages.mofile import read_mo

    with open(path, "rb") as f:
        return {m.id: m.string for m in read_mo(f) if m.id}  # not the header: it names Babel


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


# ------------------------------------------------------------------ the lock file

def test_every_locked_package_is_pinned_and_hashed():
    pins = locked()
    assert len(pins) >= 15
    for name, (version, hashes) in pins.items():
        assert re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", version), (name, version)
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name


def test_the_lock_holds_every_dependency_of_the_image_within_its_range():
    pins = locked()
    wanted = [Requirement(r) for r in
              project()["dependencies"] + project()["optional-dependencies"]["production"]]
    for req in wanted:
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock: run bash scripts/lock.sh"
        assert req.specifier.contains(pins[name][0], prereleases=True), (req, pins[name][0])
    assert "gunicorn" in pins


def test_the_lock_says_how_to_remake_it():
    assert "bash scripts/lock.sh" in LOCK.read_text()[:600]
    assert "--find-links" not in LOCK.read_text() and "--index-url" not in LOCK.read_text()


def test_the_audit_script_runs_pip_audits_own_command_line_on_the_lock():
    """pip-audit asks PyPI, so it runs outside the tests (scripts/audit.sh, documented in the
    README); here only that the script audits the lock strictly, through pip-audit's CLI."""
    script = (ROOT / "scripts" / "audit.sh").read_text()
    assert '-m pip_audit --requirement "$lock"' in script and "--strict" in script
    assert "requirements.lock" in script and "--disable-pip" in script


# ------------------------------------------------------------------ bandit

def test_bandit_finds_no_high_severity_issue():
    run = subprocess.run([sys.executable, "-m", "bandit", "--recursive", "--quiet", "--format",
                          "json", str(ROOT / "webapp"), str(ROOT / "gunicorn.conf.py")],
                         capture_output=True, text=True, timeout=300)
    report = json.loads(run.stdout)
    assert report["metrics"]["_totals"]["loc"] > 1000  # it really read the code
    high = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}"
            for r in report["results"] if r["issue_severity"] == "HIGH"]
    assert high == []
    assert report["errors"] == []


# ------------------------------------------------------------------ the Dockerfile

def instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
            for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_the_image_is_slim_unprivileged_and_checked():
    steps = instructions()
    bases = [arg for op, arg in steps if op == "ARG" and arg.startswith("PYTHON=")]
    assert bases and "-slim" in bases[0]
    final = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    tail = steps[final:]
    users = [arg for op, arg in tail if op == "USER"]
    assert users and not users[-1].startswith(("root", "0"))
    assert any(op == "HEALTHCHECK" and "/healthz" in arg for op, arg in tail)
    cmd = [json.loads(arg) for op, arg in tail if op == "CMD"][-1]
    assert cmd == ["gunicorn", "-c", "gunicorn.conf.py"]
    env = " ".join(arg for op, arg in tail if op == "ENV")
    assert "IMPPLUS_ENV=production" in env and "IMPPLUS_BIND=0.0.0.0:8000" in env
    assert "IMPPLUS_SECRET_KEY" not in env  # a secret is given at run time, never baked in
    runs = " ".join(arg for op, arg in steps if op == "RUN")
    assert "--require-hashes" in runs and "requirements.lock" in runs
    assert "scripts/i18n.py compile" in runs and "rm -f translations/*/LC_MESSAGES/*.mo" in runs


def build_copies() -> list[str]:
    """The sources the build stage copies from the context (COPY without --from)."""
    return [arg.split()[0] for op, arg in instructions()
            if op == "COPY" and not arg.startswith("--from")]


def test_dockerignore_lets_through_exactly_what_the_build_copies():
    allowed = {line[1:].rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.startswith("!")}
    assert allowed == set(build_copies())


def test_the_build_steps_give_a_server_that_answers_in_both_languages(tmp_path):
    """What `docker build` would do, without Docker (no engine runs on these machines): copy
    what the Dockerfile copies, compile the catalogues from the .po files as it does, make the
    copy read-only, and start gunicorn from it with the image's environment."""
    app_dir = tmp_path / "app"
    app_dir.mkdir()
    for source in build_copies():
        if source == "requirements.lock":
            continue  # installed by the test setup, from the same lock (scripts/setup-tests.sh)
        src, dst = ROOT / source, app_dir / source
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(src, dst)
    for mo in app_dir.glob("translations/*/LC_MESSAGES/*.mo"):
        mo.unlink()
    subprocess.run([sys.executable, "scripts/i18n.py", "compile"], cwd=app_dir, check=True,
                   capture_output=True)
    mo = "translations/fr/LC_MESSAGES/messages.mo"  # the same messages (Babel's version may
    assert compiled_messages(app_dir / mo) == compiled_messages(ROOT / mo)  # change the bytes)
    for path in [app_dir, *app_dir.rglob("*")]:  # the running server can write nothing here
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    files_before = sorted(p for p in app_dir.rglob("*"))
    port = free_port()
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(app_dir), "PYTHONDONTWRITEBYTECODE": "1",
           "IMPPLUS_ENV": "production", "IMPPLUS_BIND": f"127.0.0.1:{port}",
           "IMPPLUS_SECRET_KEY": "k" * 64, "HOME": str(tmp_path), "IMPPLUS_WORKERS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
                            cwd=app_dir, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        assert wait_until_up(proc, port, proc.stdout.read) == {"status": "ok"}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/fr/")
        page = conn.getresponse().read().decode()
        assert "Vérif PMI+" in page and 'lang="fr"' in page
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/static/style.css")
        assert conn.getresponse().status == 200
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
        for path in [app_dir, *app_dir.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    assert "Traceback" not in output, output
    assert sorted(p for p in app_dir.rglob("*")) == files_before  # even as root: nothing new
    assert str(app_dir) in output or "Listening at" in output
