#!/usr/bin/env bash
# A virtual environment in .venv with exactly what the Docker image installs (requirements.lock,
# pinned and hashed, wheels only) and the project itself, editable. Debian's own Python refuses
# to install into the system (PEP 668), hence the venv; on a Debian without the venv module, the
# script installs it first (python3-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv 2>/dev/null; then
    rm -rf .venv
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv .venv
  fi
fi
PIP=(.venv/bin/python -m pip --quiet --disable-pip-version-check)
"${PIP[@]}" install --require-hashes --only-binary=:all: -r requirements.lock
"${PIP[@]}" install --no-deps -e .
