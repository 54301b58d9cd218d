#!/usr/bin/env bash
# Known vulnerabilities in what the image installs: pip-audit's own command line over
# requirements.lock (every package pinned and hashed, so no resolution is needed), failing on any
# vulnerability and on any package it cannot look up (--strict).
#
#     bash scripts/audit.sh [LOCK]
#
# It asks PyPI's vulnerability data about each pinned release, so its answer changes when the
# world does (a new advisory, a release PyPI no longer describes), not when our code does: it is
# not part of the test run. Run it before every release and on a schedule; on a failure, remake
# the lock (bash scripts/lock.sh) and run the tests. Needs the test extras (pip-audit).
set -euo pipefail
cd "$(dirname "$0")/.."
lock="${1:-requirements.lock}"
PY=python3; [ -x .venv/bin/python ] && PY=.venv/bin/python  # scripts/setup-tests.sh installs it there
exec "$PY" -m pip_audit --requirement "$lock" --disable-pip --strict --progress-spinner off
