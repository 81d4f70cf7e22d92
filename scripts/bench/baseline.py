#!/usr/bin/env python3
"""The script a user would write instead of running chimerad.

    baseline.py ROOT

Walks ROOT for .csv files, reads them with csv.DictReader and prints, per
model, the successful and failed run counts and the median tokens/s and TTFT
of the successful runs, as JSON on stdout.
"""

import csv
import json
import os
import statistics
import sys


def main():
    root = sys.argv[1]
    tokens = {}
    ttft = {}
    failed = {}
    for folder, _, names in os.walk(root):
        for name in names:
            if not name.endswith(".csv"):
                continue
            with open(os.path.join(folder, name), newline="", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    model = row["model"]
                    tokens.setdefault(model, [])
                    ttft.setdefault(model, [])
                    failed.setdefault(model, 0)
                    if row["error"] or float(row["eval_count"]) == 0:
                        failed[model] += 1
                        continue
                    tokens[model].append(float(row["tokens_s"]))
                    ttft[model].append(float(row["ttft_s"]))

    result = {}
    for model in sorted(failed):
        result[model] = {
            "runs_ok": len(tokens[model]),
            "runs_failed": failed[model],
            "median_tokens_s": statistics.median(tokens[model]) if tokens[model] else None,
            "median_ttft_s": statistics.median(ttft[model]) if ttft[model] else None,
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
