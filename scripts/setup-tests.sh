#!/usr/bin/env bash
# Everything the tests need on a fresh Debian machine: Chromium for the browser tests (Debian's
# package, driven by Playwright; never `playwright install`), the locked dependencies of the
# image, then the project and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium >/dev/null
fi
# First exactly what the Docker image installs (pinned, hashed), so the tests run on it; then
# the project itself and the test tools.
python3 -m pip install --quiet --disable-pip-version-check --require-hashes \
  --only-binary=:all: -r requirements.lock
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
