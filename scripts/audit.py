"""pip-audit of requirements.lock (what the Docker image installs), failing on any known
vulnerability and on any package it could not audit.

    python3 scripts/audit.py [LOCK]     # exit 0: every pinned package audited, none vulnerable

It runs pip-audit's own command line against PyPI's vulnerability data. One adaptation: some
networks (this project's build machines among them) reach PyPI's JSON API for a project
(/pypi/NAME/json) but not for one release (/pypi/NAME/VERSION/json), which pip-audit asks for.
When the release URL is refused and the pinned version is PyPI's newest, the project URL
describes that same release, vulnerabilities included, so it is used instead. A pin that is
not the newest release then cannot be audited here, and the audit fails with a message to
refresh the lock (scripts/lock.sh) rather than pass without looking.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

import pip_audit._service.pypi as pypi_service
from pip_audit import _cli

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
RELEASE_URL = re.compile(r"https://pypi\.org/pypi/([^/]+)/([^/]+)/json")


class _ReleaseOrProject:
    """A requests session that answers a refused release URL with the project URL when the
    project's newest release is that release."""

    def __init__(self, inner):
        self.inner = inner

    def get(self, url, **kwargs):
        response = self.inner.get(url=url, **kwargs)
        found = RELEASE_URL.fullmatch(url)
        if response.status_code != 404 or not found:
            return response
        project = self.inner.get(url=f"https://pypi.org/pypi/{found[1]}/json", **kwargs)
        if project.ok and project.json().get("info", {}).get("version") == found[2]:
            return project
        return response

    def __getattr__(self, name):
        return getattr(self.inner, name)


def main(lock: Path = LOCK) -> int:
    original = pypi_service.caching_session
    pypi_service.caching_session = lambda *a, **k: _ReleaseOrProject(original(*a, **k))
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "audit.json"
        sys.argv = ["pip-audit", "--requirement", str(lock), "--require-hashes",
                    "--disable-pip", "--progress-spinner", "off", "--format", "json",
                    "--output", str(report_path)]
        try:
            _cli.audit()
        except SystemExit:
            pass  # the report tells; pip-audit exits 1 on findings
        if not report_path.exists():
            print("pip-audit wrote no report", file=sys.stderr)
            return 2
        report = json.loads(report_path.read_text())
    audited, skipped, vulnerable = [], [], []
    for dep in report["dependencies"]:
        if "skip_reason" in dep:
            skipped.append(f"{dep['name']}: {dep['skip_reason']}")
        else:
            audited.append(f"{dep['name']}=={dep['version']}")
            vulnerable += [f"{dep['name']}=={dep['version']}: {v['id']} "
                           f"(fixed in {', '.join(v['fix_versions']) or 'no release yet'})"
                           for v in dep["vulns"]]
    print(f"pip-audit: {len(audited)} packages audited, {len(vulnerable)} known "
          f"vulnerabilities, {len(skipped)} not audited")
    for line in vulnerable:
        print("  VULNERABLE", line)
    for line in skipped:
        print("  NOT AUDITED", line, "- refresh the lock: bash scripts/lock.sh")
    return 1 if vulnerable or skipped or not audited else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else LOCK))
