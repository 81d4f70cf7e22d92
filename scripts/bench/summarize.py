#!/usr/bin/env python3
"""Final table of scripts/bench-ingest.

    summarize.py TIMES_FILE [--state STATE_FILE] [--daemon DAEMON_FILE] [--cpus N] [--no-fail]

TIMES_FILE has one line per timed run: `PHASE WALL_SECONDS MAX_RSS_KB
[CPU_SECONDS]`, PHASE being baseline, duckdb, cold, incremental or unchanged (a report with
nothing changed: shown beside the incremental one, no target). Times are the
median of each phase's runs; the cold run's peak RSS is the largest of the cold
runs; its CPU/wall ratio is the median of the cold runs' ratios. STATE_FILE has
a line `state STATE_BYTES TREE_BYTES` per cold run; the largest state counts.
DAEMON_FILE has a line `daemon SECONDS` per file appended
while `chimerad run` watched (close to report, less the settle window): shown
as a share of the cold run, no target. The CPU/wall target applies with 2 or more CPUs (--cpus). Exit status 1 when a
target is missed (0 with --no-fail).
"""

import argparse
import statistics
import sys

TARGET_COLD_DUCKDB_RATIO = 0.5
TARGET_COLD_RATIO = 0.333
TARGET_CPU_PER_WALL = 1.6
TARGET_RSS_MB = 128.0
TARGET_STATE_SHARE = 0.20
TARGET_INCREMENTAL_RATIO = 0.08


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("times")
    parser.add_argument("--state")
    parser.add_argument("--daemon")
    parser.add_argument("--cpus", type=int, default=1)
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args()

    runs = {}
    with open(args.times, encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if fields:
                cpu = float(fields[3]) if len(fields) > 3 else float("nan")
                runs.setdefault(fields[0], []).append((float(fields[1]), int(fields[2]), cpu))
    for phase in ("baseline", "cold", "incremental"):
        if phase not in runs:
            print(f"no {phase} runs recorded")
            return 1

    def wall(phase):
        return statistics.median(w for w, _, _ in runs[phase])

    def peak_mb(phase):
        return max(r for _, r, _ in runs[phase]) / 1024.0

    baseline, cold, incremental = wall("baseline"), wall("cold"), wall("incremental")
    cold_ratio = cold / baseline
    cold_rss = peak_mb("cold")
    incremental_ratio = incremental / cold
    cpu_per_wall = statistics.median(c / w for w, _, c in runs["cold"])
    checks = []
    if "duckdb" in runs:
        duckdb_ratio = cold / wall("duckdb")
        checks.append(("cold / DuckDB", f"{duckdb_ratio:.3f}", f"<= {TARGET_COLD_DUCKDB_RATIO}",
                       duckdb_ratio <= TARGET_COLD_DUCKDB_RATIO))
    checks.append(("cold / baseline", f"{cold_ratio:.3f}", f"<= {TARGET_COLD_RATIO}", cold_ratio <= TARGET_COLD_RATIO))
    if args.cpus >= 2:
        checks.append(("cold CPU / wall", f"{cpu_per_wall:.2f}", f">= {TARGET_CPU_PER_WALL}",
                       cpu_per_wall >= TARGET_CPU_PER_WALL))
    checks.append(("cold peak RSS", f"{cold_rss:.1f} MB", f"<= {TARGET_RSS_MB:.0f} MB", cold_rss <= TARGET_RSS_MB))
    if args.state:
        with open(args.state, encoding="utf-8") as handle:
            states = [line.split() for line in handle if line.strip()]
        share = max(int(state) / int(tree) for _, state, tree in states)
        checks.append(("state folder / tree bytes", f"{share:.3f}", f"<= {TARGET_STATE_SHARE}", share <= TARGET_STATE_SHARE))
    checks.append(("incremental / cold", f"{incremental_ratio:.3f}", f"<= {TARGET_INCREMENTAL_RATIO}",
                   incremental_ratio <= TARGET_INCREMENTAL_RATIO))

    print()
    print("runs (wall s / max RSS MB / CPU s):")
    for phase in ("baseline", "duckdb", "cold", "incremental", "unchanged"):
        if phase in runs:
            listed = ", ".join(f"{w:.3f}s/{r / 1024.0:.1f}MB/{c:.2f}s" for w, r, c in runs[phase])
            print(f"  {phase:<12} {listed}")
    print()
    print(f"  {'measure':<28}{'value':>14}")
    print(f"  {'baseline.py (median)':<28}{baseline:>13.3f}s   peak RSS {peak_mb('baseline'):.1f} MB")
    if "duckdb" in runs:
        print(f"  {'DuckDB query (median)':<28}{wall('duckdb'):>13.3f}s   peak RSS {peak_mb('duckdb'):.1f} MB")
    print(f"  {'chimerad cold (median)':<28}{cold:>13.3f}s")
    print(f"  {'chimerad incremental (med.)':<28}{incremental:>13.3f}s   peak RSS {peak_mb('incremental'):.1f} MB")
    if "unchanged" in runs:
        unchanged = wall("unchanged")
        print(f"  {'chimerad unchanged (median)':<28}{unchanged:>13.3f}s   {unchanged / cold:.3f} of cold: "
              f"paid whatever changed; the changed file adds {incremental - unchanged:.3f}s")
    if args.daemon:
        with open(args.daemon, encoding="utf-8") as handle:
            daemon = [float(line.split()[1]) for line in handle if line.strip()]
        if daemon:
            print(f"  {'chimerad run, one changed':<28}{statistics.median(daemon):>13.3f}s   "
                  f"{statistics.median(daemon) / cold:.3f} of cold: close to report, less the settle window")
    print()
    print(f"  {'target':<28}{'value':>14}  {'goal':<12}result")
    failed = False
    for name, value, goal, ok in checks:
        failed |= not ok
        print(f"  {name:<28}{value:>14}  {goal:<12}{'PASS' if ok else 'FAIL'}")
    print()
    if failed:
        print("performance targets: FAIL" + (" (reported only: --no-fail)" if args.no_fail else ""))
        return 0 if args.no_fail else 1
    print("performance targets: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
