#!/usr/bin/env python3
"""Times cold one-shot reports of one input folder by two chimerad binaries,
alternating, each run with fresh output and state folders; prints the medians
and minimums and whether the current one stays within --limit times the
baseline's median. Used by scripts/bench-report."""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(binary, inputs, work, config):
    out = os.path.join(work, "out")
    state = os.path.join(work, "state")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(state, ignore_errors=True)
    command = [binary, "report", "--input", inputs, "--output", out, "--state", state, "--model", "none", "--log-target", "console"]
    # A neutral config: no /etc/chimerad file changes what either binary does.
    env = dict(os.environ, CHIMERAD_CONFIG=config)
    started = time.perf_counter()
    finished = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - started
    if finished.returncode != 0:
        sys.exit(f"report-overhead: {binary} failed ({finished.returncode}): {finished.stderr.decode(errors='replace')[-2000:]}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--inputs", required=True)
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--current", required=True)
    parser.add_argument("--limit", type=float, default=1.20)
    parser.add_argument("--no-fail", action="store_true")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="chimerad-bench-report-") as work:
        config = os.path.join(work, "neutral.yaml")
        with open(config, "w") as file:
            file.write("log:\n  level: info\nmodel:\n  backend: none\n")
        times = {"baseline": [], "current": []}
        binaries = {"baseline": arguments.baseline, "current": arguments.current}
        for _ in range(3):
            for name, binary in binaries.items():
                run(binary, arguments.inputs, os.path.join(work, name), config)
        for index in range(arguments.runs):
            # Alternating, and in turn first: load on the machine falls on both alike.
            order = ["baseline", "current"] if index % 2 == 0 else ["current", "baseline"]
            for name in order:
                times[name].append(run(binaries[name], arguments.inputs, os.path.join(work, name), config))
        charts = os.path.join(work, "current", "out", "charts")
        drawn = sum(len(files) for _, _, files in os.walk(charts)) if os.path.isdir(charts) else 0
    median = {name: statistics.median(values) for name, values in times.items()}
    ratio = median["current"] / median["baseline"]
    print(f"inputs: {arguments.inputs} ({drawn} charts drawn by the current build)")
    for name in ("baseline", "current"):
        values = times[name]
        print(f"{name:9} median {median[name] * 1000:7.1f} ms   min {min(values) * 1000:7.1f} ms   ({len(values)} runs)")
    verdict = "PASS" if ratio <= arguments.limit else "FAIL"
    print(f"current/baseline (medians): {ratio:.3f}   target <= {arguments.limit:.2f}   {verdict}")
    if verdict == "FAIL" and not arguments.no_fail:
        sys.exit(1)


if __name__ == "__main__":
    main()
