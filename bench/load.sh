#!/usr/bin/env bash
# Load test (issue 5, item 4): our pages against a hello-world Flask app, same gunicorn config,
# same run; then a soak mixing valid and invalid requests while the workers' memory is sampled.
#
#   bash bench/load.sh                                  # full run: about 5 minutes
#   LOAD_ROUNDS=1 LOAD_SECONDS=2 SOAK_SECONDS=10 bash bench/load.sh   # a quick check
#
# Both servers: `gunicorn -c gunicorn.conf.py -w 2 -b 127.0.0.1:PORT --max-requests 0` (gthread,
# 4 threads per worker, no worker recycling while measuring), ours with IMPPLUS_ENV=production and a throwaway IMPPLUS_SECRET_KEY, hello-world
# with `bench.hello:app`; access logs off (IMPPLUS_ACCESS_LOG=0), free loopback ports.
# wrk: LOAD_THREADS threads, LOAD_CONNECTIONS connections; LOAD_WARMUP s of warm-up per page
# (thrown away), then LOAD_ROUNDS rounds in which every page runs LOAD_SECONDS s between two
# hello-world runs. Each page's ratios are to the mean of the two hello-world runs around it,
# and the report gives the median over the rounds: on a machine whose speed drifts (these are
# shared virtual machines), both sides of a ratio move together.
# Soak: a fresh server with --max-requests 0 (so each worker's memory curve is that of one
# process: the config recycles a worker after 20000 +- 2000 requests, which a 60 s soak can
# reach), SOAK_SECONDS s at SOAK_CONNECTIONS connections, RSS of each worker every
# SOAK_SAMPLE s.
#
# Environment (defaults): LOAD_SECONDS (5) LOAD_ROUNDS (3) LOAD_WARMUP (3) LOAD_CONNECTIONS (50)
# LOAD_THREADS (2) LOAD_TIMEOUT (5s: a slower response counts as a timeout error, and wrk
# leaves it out of its latency figures, so keep it well above the p99 you expect)
# SOAK_SECONDS (60) SOAK_CONNECTIONS (100) SOAK_SAMPLE (5) LOAD_MEM_LIMIT_MB (5)
# LOAD_PARTS ("load soak": either or both) LOAD_STRICT (0; 1: exit 1 when a goal fails)
# LOAD_OUT (bench/out) PYTHON (python3).
#
# Output: a summary on stdout; bench/out/load.json, bench/out/soak.json, bench/out/load.md (the
# table for the README); wrk outputs, server logs and the requests sent in bench/out/load-run/.
# Exit status: 0, or 1 when a goal fails and LOAD_STRICT=1, or 2 when the run itself failed
# (a server did not start, a request did not get the expected answer before measuring).

set -euo pipefail
cd "$(dirname "$0")/.."

# The settings given on the command line, for the "Reproduce" line and the README.
GIVEN=()
for v in LOAD_SECONDS LOAD_ROUNDS LOAD_WARMUP LOAD_CONNECTIONS LOAD_THREADS LOAD_TIMEOUT SOAK_SECONDS \
  SOAK_CONNECTIONS SOAK_SAMPLE LOAD_MEM_LIMIT_MB LOAD_PARTS; do
  [[ -n ${!v+set} ]] && GIVEN+=("$v=${!v// /\\ }")
done
LOAD_COMMAND="${GIVEN[*]} bash bench/load.sh"
LOAD_COMMAND=${LOAD_COMMAND# }

LOAD_SECONDS=${LOAD_SECONDS:-5}
LOAD_ROUNDS=${LOAD_ROUNDS:-3}
LOAD_WARMUP=${LOAD_WARMUP:-3}
LOAD_CONNECTIONS=${LOAD_CONNECTIONS:-50}
LOAD_THREADS=${LOAD_THREADS:-2}
LOAD_TIMEOUT=${LOAD_TIMEOUT:-5s}
SOAK_SECONDS=${SOAK_SECONDS:-60}
SOAK_CONNECTIONS=${SOAK_CONNECTIONS:-100}
SOAK_SAMPLE=${SOAK_SAMPLE:-5}
LOAD_PARTS=${LOAD_PARTS:-load soak}
LOAD_STRICT=${LOAD_STRICT:-0}
OUT=${LOAD_OUT:-bench/out}
PY=${PYTHON:-python3}
RUN=$OUT/load-run
FIX=$RUN/fixtures
export LOAD_MEM_LIMIT_MB=${LOAD_MEM_LIMIT_MB:-5}

for tool in wrk curl "$PY"; do
  command -v "$tool" >/dev/null || { echo "load.sh: $tool not found" >&2; exit 2; }
done

rm -rf "$RUN"
mkdir -p "$RUN" "$FIX"

# ------------------------------------------------------------------ processes we start
STARTED=()  # pids of everything started in the background (servers, sampler, wrk)

stop_pid() {  # TERM (gunicorn: graceful stop), then KILL after 10 s
  local pid=$1 i
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null || true
  forget "$pid"
}

forget() {  # PID: done with it (so that a reused pid is never signalled)
  local keep=() p
  for p in "${STARTED[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  STARTED=("${keep[@]}")
}

cleanup() {
  local pid
  for pid in "${STARTED[@]}"; do stop_pid "$pid"; done
  STARTED=()
}
trap cleanup EXIT
trap 'echo "load.sh: interrupted" >&2; exit 130' INT
trap 'exit 143' TERM

fail() { echo "load.sh: $*" >&2; exit 2; }

KEY=$("$PY" -c 'import secrets; print(secrets.token_hex(32))')
read -r PORT_OURS PORT_HELLO PORT_SOAK <<<"$("$PY" bench/load_support.py ports 3)"

start_server() {  # NAME PORT [gunicorn args...]; sets SERVER_PID
  local name=$1 port=$2
  shift 2
  IMPPLUS_ENV=production IMPPLUS_SECRET_KEY=$KEY IMPPLUS_ACCESS_LOG=0 \
    "$PY" -m gunicorn -c gunicorn.conf.py -w 2 -b "127.0.0.1:$port" "$@" \
    >"$RUN/gunicorn-$name.log" 2>&1 &
  SERVER_PID=$!
  STARTED+=("$SERVER_PID")
}

wait_ready() {  # NAME URL PID
  local i
  for i in $(seq 300); do
    curl -fsS -o /dev/null --max-time 2 "$2" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || { tail -20 "$RUN/gunicorn-$1.log" >&2; fail "$1 server died"; }
    sleep 0.1
  done
  tail -20 "$RUN/gunicorn-$1.log" >&2
  fail "$1 server not ready after 30 s ($2)"
}

check() {  # SPEC PORT: each request of the spec once, with its expected status and content
  "$PY" bench/load_support.py check "$FIX/$1.json" "http://127.0.0.1:$2" ||
    fail "a request did not get the expected answer ($1): see above"
}

run_wrk() {  # OUTFILE SPEC PORT CONNECTIONS SECONDS [extra env assignments...]
  local out=$1 spec=$2 port=$3 conns=$4 secs=$5 pid
  shift 5
  # In the background, then `wait`: a trapped Ctrl-C or TERM is handled at once.
  env LOAD_SPEC="$FIX/$spec.lua" "$@" wrk -t"$LOAD_THREADS" -c"$conns" -d"${secs}s" \
    --timeout "$LOAD_TIMEOUT" -s bench/load/run.lua "http://127.0.0.1:$port/" >"$out" 2>&1 &
  pid=$!
  STARTED+=("$pid")
  wait "$pid" || { forget "$pid"; cat "$out" >&2; fail "wrk failed ($out)"; }
  forget "$pid"
}

report() {  # report-load | report-soak: exit 3 when a goal fails
  local rc=0
  "$PY" bench/load_support.py "$1" "$RUN" "$OUT" || rc=$?
  ((rc == 0 || rc == 3)) || fail "$1 failed"
  ((rc == 0)) || STRICT_FAIL=1
}

write_meta() {
  LOAD_RUNS="$*" LOAD_SECONDS=$LOAD_SECONDS LOAD_ROUNDS=$LOAD_ROUNDS LOAD_WARMUP=$LOAD_WARMUP \
    LOAD_CONNECTIONS=$LOAD_CONNECTIONS LOAD_THREADS=$LOAD_THREADS LOAD_TIMEOUT=$LOAD_TIMEOUT \
    SOAK_SECONDS=$SOAK_SECONDS SOAK_CONNECTIONS=$SOAK_CONNECTIONS SOAK_SAMPLE=$SOAK_SAMPLE \
    LOAD_START=$LOAD_START LOAD_LOADAVG_START="$LOAD_LOADAVG_START" \
    LOAD_COMMAND="$LOAD_COMMAND" "$PY" - "$RUN/meta.json" <<'EOF'
import json, os, subprocess, sys
e = os.environ
def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip().splitlines()[0]
    except Exception:
        return None
import gunicorn
meta = {
    "started": e["LOAD_START"], "commit": sh("git", "rev-parse", "--short", "HEAD"),
    # Uncommitted changes to what is served: the figures are then not those of the commit.
    "uncommitted": subprocess.run(
        ["git", "status", "--porcelain", "--", "webapp", "gunicorn.conf.py", "pyproject.toml"],
        capture_output=True, text=True).stdout.split("\n")[:-1],
    "cpus": os.cpu_count(), "loadavg_start": e["LOAD_LOADAVG_START"],
    "loadavg_end": open("/proc/loadavg").read().split()[:3],
    "gunicorn": gunicorn.__version__, "wrk": sh("sh", "-c", "wrk -v 2>&1"),
    "server": "gunicorn -c gunicorn.conf.py -w 2 --max-requests 0 (gthread, 4 threads), loopback, "
              "IMPPLUS_ENV=production, IMPPLUS_ACCESS_LOG=0 (access log off)",
    "threads": int(e["LOAD_THREADS"]), "connections": int(e["LOAD_CONNECTIONS"]),
    "seconds": int(e["LOAD_SECONDS"]), "rounds": int(e["LOAD_ROUNDS"]),
    "warmup": int(e["LOAD_WARMUP"]),
    "timeout": e["LOAD_TIMEOUT"],
    "soak_seconds": int(e["SOAK_SECONDS"]), "soak_connections": int(e["SOAK_CONNECTIONS"]),
    "soak_sample": float(e["SOAK_SAMPLE"]), "soak_server": "--max-requests 0",
    "load_runs": e["LOAD_RUNS"].split(),
    "soak_timeout": e["LOAD_TIMEOUT"], "command": e["LOAD_COMMAND"],
}
json.dump(meta, open(sys.argv[1], "w"), indent=1)
EOF
}

LOAD_START=$(date -Is)
LOAD_LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
echo "load.sh: $(nproc) CPUs, load average $LOAD_LOADAVG_START; gunicorn -w 2 on" \
  "127.0.0.1:$PORT_OURS (ours) and :$PORT_HELLO (hello-world); access logs off" \
  "(IMPPLUS_ACCESS_LOG=0)"

IMPPLUS_SECRET_KEY=$KEY "$PY" bench/load_support.py fixtures "$FIX" \
  "http://127.0.0.1:$PORT_OURS" >/dev/null || fail "could not build the requests"

STRICT_FAIL=0
LOAD_RUNS=()

# ------------------------------------------------------------------ pages against hello-world
if [[ " $LOAD_PARTS " == *" load "* ]]; then
  # Worker recycling off for both (the config's max_requests would restart hello-world's
  # workers every dozen seconds at its rate, and ours less often, flattering our ratios).
  start_server ours "$PORT_OURS" --max-requests 0
  OURS_PID=$SERVER_PID
  start_server hello "$PORT_HELLO" --max-requests 0 bench.hello:app
  HELLO_PID=$SERVER_PID
  wait_ready ours "http://127.0.0.1:$PORT_OURS/healthz" "$OURS_PID"
  wait_ready hello "http://127.0.0.1:$PORT_HELLO/" "$HELLO_PID"

  echo "Checking each request once before measuring it:"
  check hello "$PORT_HELLO"
  for spec in question_en result_en result_fr api; do check "$spec" "$PORT_OURS"; done

  port_of() { if [[ $1 == hello ]]; then echo "$PORT_HELLO"; else echo "$PORT_OURS"; fi; }
  echo "Warming up ($LOAD_WARMUP s each):"
  for spec in hello question_en result_en result_fr api; do
    run_wrk "$RUN/wrk-warmup-$spec.txt" "$spec" "$(port_of "$spec")" "$LOAD_CONNECTIONS" \
      "$LOAD_WARMUP"
  done
  # Each page runs between two hello-world runs, and is compared with their mean: a machine
  # whose speed drifts (other work, a neighbour on the host) moves both sides of a ratio
  # alike. LOAD_ROUNDS rounds; the report takes each page's median.
  echo "Measuring ($LOAD_ROUNDS rounds of $LOAD_SECONDS s per run, $LOAD_CONNECTIONS" \
    "connections; each page between two hello-world runs):"
  for round in $(seq "$LOAD_ROUNDS"); do
    for spec in hello question_en hello result_en hello result_fr hello api hello; do
      run="r$round-$(printf '%02d' ${#LOAD_RUNS[@]})-$spec"
      printf '  %-18s' "$run"
      run_wrk "$RUN/wrk-$run.txt" "$spec" "$(port_of "$spec")" "$LOAD_CONNECTIONS" \
        "$LOAD_SECONDS"
      LOAD_RUNS+=("$run")
      grep -E "Requests/sec|Non-2xx|Socket errors" "$RUN/wrk-$run.txt" | tr -s ' ' | tr '\n' ' '
      echo
    done
  done
  stop_pid "$OURS_PID"
  stop_pid "$HELLO_PID"
fi

if ((${#LOAD_RUNS[@]})); then
  write_meta "${LOAD_RUNS[@]}"
  report report-load
fi

# ------------------------------------------------------------------ soak
if [[ " $LOAD_PARTS " == *" soak "* ]]; then
  echo
  echo "Soak: $SOAK_SECONDS s at $SOAK_CONNECTIONS connections on a fresh server" \
    "(--max-requests 0, so no worker is recycled and each memory curve is one process)"
  write_meta "${LOAD_RUNS[@]}"
  start_server soak "$PORT_SOAK" --max-requests 0
  SOAK_PID=$SERVER_PID
  wait_ready soak "http://127.0.0.1:$PORT_SOAK/healthz" "$SOAK_PID"
  echo "Checking each request of the rotation once:"
  check soak_check "$PORT_SOAK"
  : >"$RUN/soak-rss.txt"
  "$PY" bench/load_support.py sample-rss "$SOAK_PID" "$SOAK_SAMPLE" "$RUN/soak-rss.txt" &
  SAMPLER_PID=$!
  STARTED+=("$SAMPLER_PID")
  run_wrk "$RUN/wrk-soak.txt" soak "$PORT_SOAK" "$SOAK_CONNECTIONS" "$SOAK_SECONDS" LOAD_COUNT=1
  # Stop sampling, and take one last sample at the end of the load.
  stop_pid "$SAMPLER_PID"
  "$PY" bench/load_support.py sample-rss "$SOAK_PID" 0 "$RUN/soak-rss.txt"
  stop_pid "$SOAK_PID"
  write_meta "${LOAD_RUNS[@]}"  # the load average at the end
  report report-soak
fi

"$PY" bench/load_support.py markdown "$RUN" "$OUT"
echo
echo "Results: $OUT/load.json, $OUT/soak.json, $OUT/load.md; details in $RUN/"
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (at the start:" \
  "$LOAD_LOADAVG_START; other work on the machine makes the figures noisy)"
echo "Reproduce: $LOAD_COMMAND"
if ((STRICT_FAIL)); then
  if [[ $LOAD_STRICT == 1 ]]; then exit 1; fi
  echo "(a goal failed; LOAD_STRICT=1 makes that exit 1)"
fi
exit 0
