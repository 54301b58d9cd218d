#!/usr/bin/env bash
# The test command: install what the tests need (scripts/setup-tests.sh), check the code with
# ruff, then run pytest in the .venv. Arguments go to pytest:
#
#     bash scripts/test.sh                 # everything (what CI runs)
#     bash scripts/test.sh -m "not slow"   # all but servers, browsers and fuzzing, in seconds
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-tests.sh
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest "$@"
