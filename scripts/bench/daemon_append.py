#!/usr/bin/env python3
"""The one-changed-file report as `chimerad run` makes it (scripts/bench-ingest, phase e).

    daemon_append.py CHIMERAD_BIN TREE OUT STATE RESULT CSV... [--settle-ms 100]

Starts `chimerad run` watching TREE on the OUT and STATE the one-shot runs
left (nothing is parsed again), waits for READY=1 and for the output folder to
be quiet, then for each CSV appends one valid row (generate_tree.py's
append_row, seed = its position) and times the close to the new report's JSON
on disk, polling every millisecond. The settle window (the daemon waiting for
the file to stay quiet, a deliberate delay) is subtracted: what is left is the
daemon's detection, ingest, analysis, rendering and writing. Appends one line
`daemon SECONDS` per CSV to RESULT and stops the daemon with SIGTERM (exit 0
expected). Exits 1 when a report does not follow within 10 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from daemon import reports, wait_for_report  # noqa: E402
from generate_tree import append_row  # noqa: E402


def wait_until_quiet(out: str, quiet: float, limit: float) -> None:
    """Returns once no new report has appeared in OUT for `quiet` seconds."""
    deadline = time.monotonic() + limit
    seen = reports(out)
    calm_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.05)
        now = reports(out)
        if now != seen:
            seen, calm_since = now, time.monotonic()
        elif time.monotonic() - calm_since >= quiet:
            return


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("tree")
    parser.add_argument("out")
    parser.add_argument("state")
    parser.add_argument("result")
    parser.add_argument("csvs", nargs="+")
    parser.add_argument("--settle-ms", type=int, default=100)
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="chimerad-bench-daemon-append.")
    config = os.path.join(scratch, "chimerad.yaml")
    with open(config, "w") as handle:
        handle.write("report:\n  min_interval_ms: 0\nmodel:\n  backend: none\n")
    notify_path = os.path.join(scratch, "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(notify_path)
    listener.settimeout(60)
    env = dict(os.environ, CHIMERAD_CONFIG=config, NOTIFY_SOCKET=notify_path)
    env.pop("WATCHDOG_USEC", None)
    log_path = os.path.join(scratch, "daemon.log")
    with open(log_path, "w") as log:
        daemon = subprocess.Popen(
            [args.binary, "run", "--watch", args.tree, "--output", args.out, "--state", args.state,
             "--settle", str(args.settle_ms), "--log-target", "console"],
            env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            ready = False
            while not ready:
                ready = "READY=1" in listener.recv(4096).decode()
        except socket.timeout:
            daemon.kill()
            print(f"daemon_append: no READY=1 within 60 s; see {log_path}", file=sys.stderr)
            return 1
        wait_until_quiet(args.out, quiet=1.0, limit=30)
        latencies = []
        for position, csv_path in enumerate(args.csvs, start=1):
            before = reports(args.out)
            append_row(csv_path, position)
            closed = time.monotonic()
            seen = wait_for_report(args.out, before, 10)
            if seen is None:
                daemon.kill()
                print(f"daemon_append: no report within 10 s of appending to {csv_path}; see {log_path}",
                      file=sys.stderr)
                return 1
            latencies.append(seen - closed - args.settle_ms / 1000)
            print(f"    appended a row to {os.path.relpath(csv_path, args.tree)}: report "
                  f"{(seen - closed) * 1000:.1f} ms after the close, {latencies[-1] * 1000:.1f} ms "
                  f"beyond the {args.settle_ms} ms settle window")
            wait_until_quiet(args.out, quiet=0.3, limit=10)
        daemon.send_signal(signal.SIGTERM)
        status = daemon.wait(timeout=30)
    if status != 0:
        print(f"daemon_append: the daemon exited {status} on SIGTERM; see {log_path}", file=sys.stderr)
        return 1
    with open(args.result, "a") as handle:
        for seconds in latencies:
            handle.write(f"daemon {seconds:.6f}\n")
    shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
