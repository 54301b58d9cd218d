#!/usr/bin/env bash
# Regenerate requirements.lock: every package the production image installs (the project's
# dependencies and gunicorn), pinned, with the hashes of every file PyPI has for that version.
# The Docker image installs it with `pip install --require-hashes --no-deps`; the tests install
# it first too, so they run on exactly what the image ships.
# Needs pip-tools (`python3 -m pip install pip-tools`). Only PyPI is consulted: local wheel
# folders or mirrors set in the environment would put other files' hashes in the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_INDEX_URL PIP_CONFIG_FILE=/dev/null \
  CUSTOM_COMPILE_COMMAND="bash scripts/lock.sh" \
  python3 -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
    --extra production --index-url https://pypi.org/simple --no-emit-index-url \
    --no-emit-find-links --output-file requirements.lock pyproject.toml
