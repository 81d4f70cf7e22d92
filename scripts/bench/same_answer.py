#!/usr/bin/env python3
"""Check that two answers in baseline.py's layout agree.

    same_answer.py EXPECTED_JSON ACTUAL_JSON

Per model: run counts equal, medians equal to 1e-9 relative (both null, or
both numbers). Exit status 0 when they agree, 1 otherwise.
"""

import json
import math
import sys


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        expected = json.load(handle)
    with open(sys.argv[2], encoding="utf-8") as handle:
        actual = json.load(handle)
    problems = []
    if sorted(expected) != sorted(actual):
        problems.append(f"models differ: {sorted(expected)} vs {sorted(actual)}")
    for model in sorted(set(expected) & set(actual)):
        for key in ("runs_ok", "runs_failed"):
            if expected[model][key] != actual[model][key]:
                problems.append(f"{model} {key}: {expected[model][key]} vs {actual[model][key]}")
        for key in ("median_tokens_s", "median_ttft_s"):
            a, b = expected[model][key], actual[model][key]
            if (a is None) != (b is None) or (a is not None and not math.isclose(a, b, rel_tol=1e-9)):
                problems.append(f"{model} {key}: {a} vs {b}")
    for problem in problems:
        print(f"  mismatch: {problem}")
    print(f"  {sys.argv[2]} agrees with {sys.argv[1]}: {'no' if problems else 'yes'} ({len(expected)} models)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
