#!/usr/bin/env bash
# The production image, built from the Dockerfile and run for real, without a Docker engine:
#
#     bash scripts/test-image.sh            # base (first time, about 3 min), build, run, check
#     bash scripts/test-image.sh --base     # only make the local Debian base image
#
# 1. A local Debian bookworm base with python3, python3-venv and passwd (debootstrap
#    --variant=minbase, then `buildah from scratch`), standing in for python:3.11-slim-bookworm:
#    container registries are not reachable from our build machines, Debian's mirrors are. It is
#    kept in the store below and made again only when missing (IMPPLUS_REBUILD_BASE=1 forces it).
# 2. `buildah bud` of the project's own Dockerfile with --build-arg PYTHON=<that base>.
# 3. The image run with `buildah run` as the user its Dockerfile names (never root), with the
#    image's own CMD: the user can write nowhere in the image; /healthz, a French page, a whole
#    journey to the PDF download and the security headers (also on gunicorn's own 400 page) are
#    checked from outside, over 127.0.0.1.
#
# Needs root, buildah and debootstrap (apt-get install buildah debootstrap; installed here when
# missing). Every failure exits non-zero. Storage: vfs under $IMPPLUS_IMAGE_STORE.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STORE=${IMPPLUS_IMAGE_STORE:-/var/tmp/impplus-image-$(printf %s "$ROOT" | sha256sum | cut -c1-12)}
MIRROR=${IMPPLUS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
BASE=localhost/impplus-base:bookworm
IMAGE=localhost/impplus:test
PORT=${IMPPLUS_IMAGE_PORT:-18765}
B=(buildah --storage-driver vfs --root "$STORE/storage" --runroot "$STORE/run")
log() { printf '[test-image %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [ "$(id -u)" -ne 0 ]; then  # debootstrap and buildah's vfs store need root
  command -v sudo >/dev/null || { echo "test-image.sh: run as root (buildah, debootstrap)" >&2; exit 1; }
  exec sudo --preserve-env=PIP_CERT,IMPPLUS_IMAGE_STORE,IMPPLUS_IMAGE_PORT,IMPPLUS_DEBIAN_MIRROR \
    bash "$0" "$@"
fi
if ! command -v buildah >/dev/null || ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq buildah debootstrap >/dev/null
fi
mkdir -p "$STORE"

# ------------------------------------------------------------------ 1. the local base image
# The package index may be reached through a proxy with its own certificate (PIP_CERT here):
# the base then tells pip where that bundle will be, and the build mounts it there read-only.
HOST_CA=${PIP_CERT:-}
BUILD_CA=/etc/ssl/impplus-build-ca.crt
make_base() {
  local rootfs="$STORE/rootfs" started=$SECONDS ctr
  rm -rf "$rootfs"
  log "debootstrap bookworm (minbase) from $MIRROR"
  debootstrap --variant=minbase --include=python3,python3-venv,passwd \
    bookworm "$rootfs" "$MIRROR" >"$STORE/debootstrap.log" 2>&1 \
    || { tail -20 "$STORE/debootstrap.log" >&2; exit 1; }
  ln -sf python3 "$rootfs/usr/bin/python"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" --numeric-owner -cf "$STORE/rootfs.tar" .
  rm -rf "$rootfs"
  "${B[@]}" rmi -f "$BASE" >/dev/null 2>&1 || true
  ctr=$("${B[@]}" from scratch)
  "${B[@]}" add "$ctr" "$STORE/rootfs.tar" / >/dev/null
  rm -f "$STORE/rootfs.tar"
  "${B[@]}" config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env LANG=C.UTF-8 --cmd python3 "$ctr"
  if [ -n "$HOST_CA" ]; then "${B[@]}" config --env "PIP_CERT=$BUILD_CA" "$ctr"; fi
  "${B[@]}" commit --rm "$ctr" "$BASE" >/dev/null
  log "base image $BASE made in $((SECONDS - started)) s"
}
if [ "${IMPPLUS_REBUILD_BASE:-0}" = 1 ] || ! "${B[@]}" inspect --type image "$BASE" >/dev/null 2>&1; then
  make_base
else
  log "base image $BASE already in $STORE"
fi
[ "${1:-}" = --base ] && exit 0

# ------------------------------------------------------------------ 2. the project's Dockerfile
started=$SECONDS
VOLUMES=()
[ -n "$HOST_CA" ] && VOLUMES=(--volume "$HOST_CA:$BUILD_CA:ro")
log "buildah bud Dockerfile (PYTHON=$BASE)"
"${B[@]}" bud --isolation chroot --pull-never --layers=false "${VOLUMES[@]}" \
  --build-arg "PYTHON=$BASE" -f Dockerfile -t "$IMAGE" . >"$STORE/build.log" 2>&1 \
  || { tail -40 "$STORE/build.log" >&2; exit 1; }
log "image $IMAGE built in $((SECONDS - started)) s"

# ------------------------------------------------------------------ 3. run it and check it
"${B[@]}" inspect --type image "$IMAGE" >"$STORE/inspect.json"
config() { python3 -c 'import json, sys; c = json.load(open(sys.argv[1]))["OCIv1"]["config"]
print("\n".join(c[sys.argv[2]]) if isinstance(c[sys.argv[2]], list) else c[sys.argv[2]])' \
  "$STORE/inspect.json" "$1"; }
USER_SPEC=$(config User)
mapfile -t CMD < <(config Cmd)
case "$USER_SPEC" in ""|root|root:*|0|0:*) echo "the image runs as root ($USER_SPEC)" >&2; exit 1;; esac
log "the image runs ${CMD[*]} as $USER_SPEC"

CTR=$("${B[@]}" from --pull-never "$IMAGE")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  "${B[@]}" rm "$CTR" >/dev/null 2>&1 || true
  # vfs copies every layer: keep only the base, so that the store does not grow with each run
  "${B[@]}" rmi -f "$IMAGE" >/dev/null 2>&1 || true
  "${B[@]}" rmi --prune >/dev/null 2>&1 || true
}
trap cleanup EXIT
RUN=("${B[@]}" run --isolation chroot --user "$USER_SPEC")

# The app needs no writable file system: its user can write to nothing the image holds.
"${RUN[@]}" "$CTR" -- python -c '
import os, sys
skip = ("/proc", "/sys", "/dev", "/run", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname")
found = []
for top, dirs, files in os.walk("/", followlinks=False):
    if top.startswith(skip):
        dirs[:] = []
        continue
    dirs[:] = [d for d in dirs if not os.path.join(top, d).startswith(skip)]
    for name in [top] + [os.path.join(top, f) for f in files]:
        if not os.path.islink(name) and not name.startswith(skip) and os.access(name, os.W_OK):
            found.append(name)
print("writable for uid %d: %s" % (os.getuid(), found[:20]) if found else
      "uid %d can write nowhere in the image" % os.getuid())
sys.exit(1 if found or os.getuid() == 0 else 0)'

KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
"${RUN[@]}" --env "IMPPLUS_SECRET_KEY=$KEY" --env "IMPPLUS_BIND=127.0.0.1:$PORT" \
  --env IMPPLUS_WORKERS=2 "$CTR" -- "${CMD[@]}" >"$STORE/server.log" 2>&1 &
SERVER_PID=$!

python3 - "$PORT" "$STORE/server.log" <<'EOF'
"""Checks from outside the container, over 127.0.0.1, as a browser would."""
import http.client, re, sys, time

port, logfile = int(sys.argv[1]), sys.argv[2]
HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
           "Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy")
cookies = {}


def ask(method, path, body=None, headers=None, raw=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    if raw is not None:
        c.connect()
        c.sock.sendall(raw)
        r = http.client.HTTPResponse(c.sock, method="GET")
        r.begin()
    else:
        h = dict(headers or {})
        if cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
    data = r.read()
    for value in r.headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        cookies[name] = rest.split(";", 1)[0]
    c.close()
    return r, data


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        print(open(logfile, errors="replace").read()[-3000:])
        sys.exit(1)


deadline = time.monotonic() + 60
while True:
    try:
        r, body = ask("GET", "/healthz")
        break
    except OSError:
        if time.monotonic() > deadline:
            check(False, "the server answers within 60 s")
        time.sleep(0.5)
check(r.status == 200 and b'"ok"' in body, "GET /healthz: 200 {\"status\": \"ok\"}")
for h in HEADERS:
    check(h in r.headers, f"/healthz carries {h}")

r, body = ask("GET", "/fr/")
check(r.status == 200 and "Vérif PMI+".encode() in body and b'lang="fr"' in body,
      "GET /fr/: the French start page")
check(r.headers.get("Cache-Control") == "no-store", "pages are Cache-Control: no-store")
check("'unsafe-inline'" not in r.headers["Content-Security-Policy"], "CSP without unsafe-inline")

# A whole journey to the PDF: every question answered from the page's own first choice.
r, body = ask("GET", "/en/")
path = re.search(rb'href="(/en/[a-z0-9-]+)"[^>]*class="button', body) or \
       re.search(rb'class="button[^"]*"[^>]*href="(/en/[a-z0-9-]+)"', body)
check(path is not None, "the start page links to the first question")
path = path.group(1).decode()
for step in range(40):
    r, body = ask("GET", path)
    if path.endswith("check-your-answers"):
        break
    check(r.status == 200, f"GET {path}: 200")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()
    if b'name="day"' in body:
        form = "day=1&month=6&year=2024"
    elif b'name="code"' in body:
        form = "code=A76"
    else:
        form = "answer=" + re.search(rb'name="answer"[^>]*value="([^"]+)"', body).group(1).decode()
    r, body = ask("POST", path, f"csrf_token={token}&{form}",
                  {"Content-Type": "application/x-www-form-urlencoded"})
    check(r.status == 302, f"POST {path}: 302")
    path = r.headers["Location"].replace(f"http://127.0.0.1:{port}", "")
check(path.endswith("check-your-answers"), "the journey reaches the check page")
r, body = ask("GET", "/en/instruction-sheet.pdf")
check(r.status == 200 and body.startswith(b"%PDF-") and
      r.headers["Content-Type"] == "application/pdf", "GET the instruction sheet: a PDF")
check(r.headers.get("Cache-Control") == "no-store" and "X-Frame-Options" in r.headers,
      "the PDF download carries no-store and the security headers")
# The same file in French, at the address the French result page links to; the address it had
# before the French ones (/fr/instruction-sheet.pdf) moved there for good.
r, body = ask("GET", "/fr/resultat")
link = re.search(rb'href="(/fr/[^"/]+[.]pdf)"', body)
check(r.status == 200 and link is not None, "GET /fr/resultat: 200, a link to the PDF")
french = link.group(1).decode()
check(french == "/fr/fiche-instructions.pdf", f"the French PDF's address is French: {french}")
r, body = ask("GET", french)
check(r.status == 200 and body.startswith(b"%PDF-") and
      'filename="verif-pmi-fiche-' in r.headers.get("Content-Disposition", ""),
      f"GET {french}: the French instruction sheet, named in French")
r, body = ask("GET", "/fr/instruction-sheet.pdf")
check(r.status == 301 and r.headers.get("Location", "").endswith(french),
      f"GET /fr/instruction-sheet.pdf: 301 to {french}")

r, body = ask("GET", "", raw=b"GET /" + b"a" * 3000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
check(400 <= r.status < 500, f"gunicorn's own error page for a 3 KB request line: {r.status}")
for h in HEADERS:
    check(h in r.headers, f"gunicorn's own {r.status} page carries {h}")
log = open(logfile, errors="replace").read()
check("Traceback" not in log, "no traceback in the server's log")
print("PASS: the image serves")
EOF
log "the image serves: PASS"
