#!/usr/bin/env python3
"""Final table of scripts/bench-ingest.

    summarize.py TIMES_FILE [--no-fail]

TIMES_FILE has one line per timed run: `PHASE WALL_SECONDS MAX_RSS_KB`, PHASE
being baseline, cold or incremental. Times are the median of each phase's runs;
the cold run's peak RSS is the largest of the cold runs. Exit status 1 when a
target is missed (0 with --no-fail).
"""

import argparse
import statistics
import sys

TARGET_COLD_RATIO = 0.333
TARGET_RSS_MB = 128.0
TARGET_INCREMENTAL_RATIO = 0.10


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("times")
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args()

    runs = {}
    with open(args.times, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                phase, wall, rss = line.split()
                runs.setdefault(phase, []).append((float(wall), int(rss)))
    for phase in ("baseline", "cold", "incremental"):
        if phase not in runs:
            print(f"no {phase} runs recorded")
            return 1

    def wall(phase):
        return statistics.median(w for w, _ in runs[phase])

    def peak_mb(phase):
        return max(r for _, r in runs[phase]) / 1024.0

    baseline, cold, incremental = wall("baseline"), wall("cold"), wall("incremental")
    cold_ratio = cold / baseline
    cold_rss = peak_mb("cold")
    incremental_ratio = incremental / cold
    checks = [
        ("cold / baseline", f"{cold_ratio:.3f}", f"<= {TARGET_COLD_RATIO}", cold_ratio <= TARGET_COLD_RATIO),
        ("cold peak RSS", f"{cold_rss:.1f} MB", f"<= {TARGET_RSS_MB:.0f} MB", cold_rss <= TARGET_RSS_MB),
        ("incremental / cold", f"{incremental_ratio:.3f}", f"<= {TARGET_INCREMENTAL_RATIO}",
         incremental_ratio <= TARGET_INCREMENTAL_RATIO),
    ]

    print()
    print("runs (wall s / max RSS MB):")
    for phase in ("baseline", "cold", "incremental"):
        listed = ", ".join(f"{w:.3f}s/{r / 1024.0:.1f}MB" for w, r in runs[phase])
        print(f"  {phase:<12} {listed}")
    print()
    print(f"  {'measure':<28}{'value':>14}")
    print(f"  {'baseline.py (median)':<28}{baseline:>13.3f}s   peak RSS {peak_mb('baseline'):.1f} MB")
    print(f"  {'chimerad cold (median)':<28}{cold:>13.3f}s")
    print(f"  {'chimerad incremental (med.)':<28}{incremental:>13.3f}s   peak RSS {peak_mb('incremental'):.1f} MB")
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
