"""Soak: the production server under a steady mix of valid and invalid requests gives no server
error, drops no connection, and its workers' memory stays flat. Reliability, not speed.

    python3 bench/soak.py [--seconds 60] [--clients 16] [--workers 2]

It starts gunicorn with gunicorn.conf.py on a free port of 127.0.0.1 (production config, a
random key, access log off, worker recycling off so that each worker is one process throughout),
sends once each request of bench/traffic.py's check list (the two bodies over 1 MB included),
then has `--clients` threads, each on its own keep-alive connection, send the 17 requests of the
rotation in turn for `--seconds`. Every response must have the status the request expects (8
valid requests: question posts with their CSRF token, "I don't know", result pages, the API in
both languages; 9 invalid: February 31, non-numeric date parts, no answer, no or a wrong CSRF
token, a 64 KB field, a tampered cookie, a body that is not JSON, a wrong answer to the API) and
hold its marker. The resident memory of each worker is sampled every 5 s; growth from the second
sample to the last must stay under 5 MB. Results go to bench/out/soak.json; exit 1 on a failure.
Only loopback is ever contacted, and every loop is bounded by the time given.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("IMPPLUS_SECRET_KEY", secrets.token_hex(32))
os.environ["IMPPLUS_ENV"] = "production"

from bench import traffic  # noqa: E402

MEM_GROWTH_LIMIT_MB = 5
SAMPLE_EVERY = 5  # seconds


def send(conn: http.client.HTTPConnection, req: dict) -> tuple[int, bytes]:
    """(status, body) of one request on `conn`."""
    body = req["body"].encode() if req["body"] is not None else None
    conn.request(req["method"], req["path"], body=body, headers=req["headers"])
    response = conn.getresponse()
    return response.status, response.read()


def problem(req: dict, status: int, body: bytes) -> str | None:
    """What is wrong with the response to `req`, or None."""
    if status != req["expect"]:
        return f"{req['name']}: status {status}, expected {req['expect']}"
    if req["marker"] and req["marker"].encode() not in body:
        return f"{req['name']}: no {req['marker']!r} in the body"
    return None


def workers_of(master: int) -> list[int]:
    """The pids of gunicorn's workers (the master's children), from /proc."""
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def rss_mb(pid: int) -> float | None:
    """Resident memory of `pid` in MB, from /proc, or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def wait_until_up(port: int, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz")


def soak(seconds: float, clients: int, workers: int) -> dict:
    port = traffic.free_ports(1)[0]
    base = f"http://127.0.0.1:{port}"
    specs = traffic.build_requests(base)
    env = {**os.environ, "IMPPLUS_BIND": f"127.0.0.1:{port}", "IMPPLUS_WORKERS": str(workers),
           "IMPPLUS_ACCESS_LOG": "0", "IMPPLUS_LOG_LEVEL": "warning"}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py",
                             "--max-requests", "0"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    result: dict = {"seconds": seconds, "clients": clients, "workers": workers}
    try:
        wait_until_up(port, proc)
        checked = []
        for req in specs["soak_check"]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                checked.append(problem(req, *send(conn, req)))
            except OSError as e:  # the 413s may close before the whole body is sent
                response_seen = req["expect"] == 413 and isinstance(e, (BrokenPipeError,
                                                                        ConnectionResetError))
                checked.append(None if response_seen else f"{req['name']}: {e!r}")
            finally:
                conn.close()
        result["check"] = [p for p in checked if p]

        statuses: collections.Counter = collections.Counter()
        problems: collections.Counter = collections.Counter()
        errors: collections.Counter = collections.Counter()
        latencies: list[float] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def client(offset: int) -> None:
            rotation = specs["soak"]
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            i = offset
            while time.monotonic() < stop_at:
                req = rotation[i % len(rotation)]
                i += 1
                start = time.perf_counter()
                try:
                    status, body = send(conn, req)
                except (OSError, http.client.HTTPException) as e:
                    with lock:
                        errors[type(e).__name__] += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    continue
                elapsed = time.perf_counter() - start
                wrong = problem(req, status, body)
                with lock:
                    statuses[status] += 1
                    latencies.append(elapsed)
                    if wrong:
                        problems[wrong] += 1
            conn.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        samples: dict[int, list[float]] = collections.defaultdict(list)
        for t in threads:
            t.start()
        while time.monotonic() < stop_at:
            for pid in workers_of(proc.pid):
                mb = rss_mb(pid)
                if mb is not None:
                    samples[pid].append(mb)
            time.sleep(min(SAMPLE_EVERY, max(0.0, stop_at - time.monotonic())))
        for t in threads:
            t.join()
        for pid in workers_of(proc.pid):
            mb = rss_mb(pid)
            if mb is not None:
                samples[pid].append(mb)
        latencies.sort()
        result.update({
            "responses": sum(statuses.values()),
            "per_second": round(sum(statuses.values()) / seconds),
            "statuses": dict(sorted(statuses.items())),
            "server_errors": sum(n for s, n in statuses.items() if s >= 500),
            "unexpected": dict(problems),
            "connection_errors": dict(errors),
            "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
            "rss_mb": {str(pid): [round(s[0], 1), round(s[-1], 1)] for pid, s in samples.items()},
            "growth_mb": {str(pid): round(s[-1] - s[min(1, len(s) - 1)], 2)
                          for pid, s in samples.items()},
        })
    finally:
        proc.terminate()
        log = proc.communicate(timeout=30)[0]
    result["tracebacks_in_log"] = log.count("Traceback")
    failed = [name for name, bad in (
        ("check", result.get("check")),
        ("5xx", result.get("server_errors")),
        ("unexpected responses", result.get("unexpected")),
        ("connection errors", result.get("connection_errors")),
        ("tracebacks", result["tracebacks_in_log"]),
        ("memory", any(g > MEM_GROWTH_LIMIT_MB for g in result.get("growth_mb", {}).values())),
        ("workers replaced", len(result.get("rss_mb", {})) != workers),
    ) if bad]
    result["failed"] = failed
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    result = soak(args.seconds, args.clients, args.workers)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "soak.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    print("soak:", "PASS" if not result["failed"] else "FAIL (" + ", ".join(result["failed"]) + ")")
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
