#!/usr/bin/env bash
# Everything the tests need on a fresh Debian machine: the .venv of scripts/setup.sh (the locked
# dependencies of the image and the project), the test tools, and Chromium for the browser tests
# (Debian's package, driven by Playwright; never `playwright install`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ! -x /usr/bin/chromium ]; then
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
