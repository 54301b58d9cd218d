#!/usr/bin/env bash
# Everything the tests need on a fresh Debian machine: Chromium for the browser tests (Debian's
# package, driven by Playwright; never `playwright install`), then the project and its test extras.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium >/dev/null
fi
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
