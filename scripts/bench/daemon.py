#!/usr/bin/env python3
"""Time `chimerad run` the way a user meets it: a file lands, a report follows.

    daemon.py CHIMERAD_BIN TREE WORK [--landings 50] [--settle-ms 300] [--idle-seconds 60]

TREE is a folder of run CSVs (scripts/bench/generate_tree.py); WORK is scratch
space (the daemon's output and state go there, and a copy of nothing else).

1. Start: the daemon watches TREE and reads every file into an empty state
   (not timed as a target; printed).
2. Landings: --landings times, write a new run CSV into TREE (open, write,
   close), then wait for a new report in the output folder. The latency is
   from the close to the moment the report's JSON is on disk (its rename into
   place), seen by polling the folder every millisecond. Landings are spaced
   by the daemon's minimum report interval (set to 0 here) plus a margin.
   Target: median <= settle window + 100 ms.
3. Restart: SIGTERM (must exit 0), start again with a NOTIFY_SOCKET this
   script listens on; the time from spawn to READY=1. Target: <= 2 s, with no
   file parsed again (the daemon's "watching" log line says parsed=0).
4. Idle: with no changes and no watchdog, the daemon's CPU time
   (/proc/PID/stat utime+stime, all threads) and context switches
   (/proc/PID/task/*/status) over --idle-seconds. Target: no wakeups beyond the
   watchdog, i.e. no CPU time and (almost) no context switches.

The landed files are removed at the end. Prints a table; exits 1 when a target
is missed (unless --no-fail).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

ROW = "2026-11-22T10:00:{s:02d}+00:00,bench:landing,{i},prompt,0.05,{tps},0.0,0.01,0.2,20,48,100,,{{}}\n"
HEADER = "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"


def start(binary: str, tree: str, work: str, settle: int, notify: str | None, log) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("WATCHDOG_USEC", None)
    env["CHIMERAD_CONFIG"] = os.path.join(work, "chimerad.yaml")
    if notify:
        env["NOTIFY_SOCKET"] = notify
    else:
        env.pop("NOTIFY_SOCKET", None)
    return subprocess.Popen(
        [binary, "run", "--watch", tree, "--output", os.path.join(work, "out"), "--state", os.path.join(work, "state"),
         "--settle", str(settle), "--log-target", "console"],
        env=env, stdout=log, stderr=subprocess.STDOUT)


def reports(out: str) -> set[str]:
    try:
        return {n for n in os.listdir(out) if n.startswith("chimera-report-") and n.endswith(".json")}
    except FileNotFoundError:
        return set()


def wait_for_report(out: str, before: set[str], timeout: float) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if reports(out) - before:
            return time.monotonic()
        time.sleep(0.001)
    return None


def cpu_and_switches(pid: int) -> tuple[int, dict[str, int]]:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (all threads)
    switches: dict[str, int] = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as handle:
                for line in handle:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        switches[task] = switches.get(task, 0) + int(line.split()[1])
        except FileNotFoundError:
            pass
    return ticks, switches


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("tree")
    parser.add_argument("work")
    parser.add_argument("--landings", type=int, default=50)
    parser.add_argument("--settle-ms", type=int, default=300)
    parser.add_argument("--idle-seconds", type=int, default=60)
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args()

    os.makedirs(args.work, exist_ok=True)
    for name in ("out", "state"):
        shutil.rmtree(os.path.join(args.work, name), ignore_errors=True)
    with open(os.path.join(args.work, "chimerad.yaml"), "w") as handle:
        handle.write("report:\n  min_interval_ms: 0\nmodel:\n  backend: none\n")
    out = os.path.join(args.work, "out")
    landing_dir = os.path.join(args.tree, "landings")
    shutil.rmtree(landing_dir, ignore_errors=True)
    tracked = sum(len(files) for _, _, files in os.walk(args.tree))
    log_path = os.path.join(args.work, "daemon.log")
    log = open(log_path, "w")
    failed: list[str] = []

    # 1. First start over an empty state.
    began = time.monotonic()
    daemon = start(args.binary, args.tree, args.work, args.settle_ms, None, log)
    first = wait_for_report(out, set(), 600)
    if first is None:
        print("no startup report; see", log_path)
        daemon.kill()
        return 1
    print(f"first start: {tracked} files read and reported in {first - began:.2f} s")

    # 2. Landings.
    os.makedirs(landing_dir)
    time.sleep(1.0)  # the new folder's own change set settles first
    latencies = []
    for index in range(args.landings):
        before = reports(out)
        path = os.path.join(landing_dir, f"landing_{index:03d}_benchmark_runs.csv")
        with open(path, "w") as handle:
            handle.write(HEADER)
            for row in range(20):
                handle.write(ROW.format(s=row, i=row, tps=100.0 + index + row / 10))
        closed = time.monotonic()
        seen = wait_for_report(out, before, 10)
        if seen is None:
            failed.append(f"landing {index}: no report within 10 s")
            continue
        latencies.append((seen - closed) * 1000)
        time.sleep(0.2)
    median = statistics.median(latencies) if latencies else float("nan")
    target = args.settle_ms + 100

    # 3. Restart with a notify socket.
    daemon.send_signal(signal.SIGTERM)
    stop_status = daemon.wait(timeout=30)
    if stop_status != 0:
        failed.append(f"SIGTERM exit status {stop_status}")
    notify_path = os.path.join(args.work, "notify.sock")
    if os.path.exists(notify_path):
        os.unlink(notify_path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(notify_path)
    listener.settimeout(30)
    log.write("---- restart ----\n")
    log.flush()
    spawned = time.monotonic()
    daemon = start(args.binary, args.tree, args.work, args.settle_ms, notify_path, log)
    ready_at = None
    while ready_at is None:
        try:
            message = listener.recv(4096).decode()
        except socket.timeout:
            break
        if "READY=1" in message:
            ready_at = time.monotonic()
    ready_seconds = (ready_at - spawned) if ready_at else float("nan")
    time.sleep(1.0)
    log.flush()
    restart_log = open(log_path).read().split("---- restart ----", 1)[-1]
    parsed_again = None
    for line in restart_log.splitlines():
        if "watching" in line and "parsed=" in line:
            parsed_again = int(line.split("parsed=", 1)[1].split()[0])

    # 4. Idle.
    time.sleep(2.0)
    ticks0, switches0 = cpu_and_switches(daemon.pid)
    time.sleep(args.idle_seconds)
    ticks1, switches1 = cpu_and_switches(daemon.pid)
    daemon.send_signal(signal.SIGTERM)
    daemon.wait(timeout=30)
    shutil.rmtree(landing_dir, ignore_errors=True)
    tick = os.sysconf("SC_CLK_TCK")

    print()
    print(f"tree: {tracked} tracked files; settle window {args.settle_ms} ms; {len(latencies)} landings")
    print(f"  {'measure':44} {'value':>12}  {'target':>12}  result")
    ok = lambda good: "PASS" if good else "FAIL"
    if latencies:
        print(f"  {'close -> report on disk, median':44} {median:9.1f} ms  {'<= ' + str(target) + ' ms':>12}  {ok(median <= target)}")
        print(f"  {'close -> report on disk, p90 / max':44} {statistics.quantiles(latencies, n=10)[-1]:6.1f}/{max(latencies):.0f} ms")
    print(f"  {'restart to READY=1':44} {ready_seconds:10.2f} s  {'<= 2 s':>12}  {ok(ready_seconds <= 2)}")
    print(f"  {'files parsed again at restart':44} {str(parsed_again):>12}  {'0':>12}  {ok(parsed_again == 0)}")
    print(f"  {'idle CPU time over ' + str(args.idle_seconds) + ' s':44} {(ticks1 - ticks0) / tick * 1000:9.0f} ms  {'0 ms':>12}  {ok(ticks1 == ticks0)}")
    # Threads present in both samples (the runtime may retire idle workers).
    woken = sum(switches1[t] - switches0[t] for t in switches1 if t in switches0)
    print(f"  {'idle context switches over ' + str(args.idle_seconds) + ' s':44} {woken:12d}")
    if not latencies or median > target:
        failed.append("landing latency")
    if not (ready_seconds <= 2):
        failed.append("restart READY time")
    if parsed_again != 0:
        failed.append("files parsed again at restart")
    if ticks1 != ticks0:
        failed.append("idle CPU time")
    if failed:
        print("missed:", ", ".join(failed))
        return 0 if args.no_fail else 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
