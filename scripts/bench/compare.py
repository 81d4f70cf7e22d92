#!/usr/bin/env python3
"""Cross-check chimerad's latest.json against baseline.py's answer.

    compare.py BASELINE_JSON LATEST_JSON [--label NAME]

Reads from LATEST_JSON the top-level `llm_runs` array (if there is none at the
top level, the first `llm_runs` array found anywhere in the document). Each
entry is read for:

    model                       string (null is reported as a mismatch)
    config                      null or an object (only counted, never compared)
    runs_ok, runs_failed        integers
    tokens_per_second.median    number or null (tokens_per_second may be null)
    ttft_seconds.median         number or null (ttft_seconds may be null)

Entries are grouped by model and runs_ok / runs_failed summed. Medians can only
be compared when a model has exactly one entry; then tokens/s must agree to
1e-9 relative. TTFT medians are printed side by side but never fail the check:
chimerad may leave cold starts out of its TTFT statistics and the baseline
does not. Exit status: 0 when everything compared agrees, 1 otherwise.
"""

import argparse
import json
import sys

REL_TOL = 1e-9


def find_llm_runs(document):
    if isinstance(document, dict):
        if isinstance(document.get("llm_runs"), list):
            return document["llm_runs"]
        children = document.values()
    elif isinstance(document, list):
        children = document
    else:
        return None
    for child in children:
        found = find_llm_runs(child)
        if found is not None:
            return found
    return None


def median_of(entry, key):
    value = entry.get(key)
    if isinstance(value, dict):
        return value.get("median")
    return None


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b))


def fmt(value):
    if value is None:
        return "null"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("baseline")
    parser.add_argument("latest")
    parser.add_argument("--label", default="chimerad")
    args = parser.parse_args()

    with open(args.baseline, encoding="utf-8") as handle:
        baseline = json.load(handle)
    try:
        with open(args.latest, encoding="utf-8") as handle:
            latest = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"[{args.label}] cannot read {args.latest}: {error}")
        return 1
    entries = find_llm_runs(latest)
    if entries is None:
        print(f"[{args.label}] {args.latest} has no `llm_runs` array")
        return 1

    grouped = {}
    for entry in entries:
        model = entry.get("model")
        key = model if isinstance(model, str) else "(null model)"
        group = grouped.setdefault(key, {"entries": 0, "configs": [], "ok": 0, "failed": 0, "tps": None, "ttft": None})
        group["entries"] += 1
        group["configs"].append(entry.get("config"))
        group["ok"] += int(entry.get("runs_ok") or 0)
        group["failed"] += int(entry.get("runs_failed") or 0)
        group["tps"] = median_of(entry, "tokens_per_second")
        group["ttft"] = median_of(entry, "ttft_seconds")

    problems = []
    print(f"[{args.label}] correctness: baseline.py vs {args.latest}")
    print(f"  {'model':<28}{'runs_ok b/c':>17}{'runs_failed b/c':>17}  {'tokens/s median (baseline | chimerad)':<44}"
          f"  ttft median (baseline | chimerad; info only)")
    for model in sorted(set(baseline) | set(grouped)):
        b = baseline.get(model)
        c = grouped.get(model)
        if b is None:
            problems.append(f"{model}: reported by chimerad ({c['ok']} ok) but not by the baseline")
            continue
        if c is None:
            problems.append(f"{model}: missing from chimerad's llm_runs")
            continue
        marks = []
        if b["runs_ok"] != c["ok"]:
            problems.append(f"{model}: runs_ok baseline {b['runs_ok']} != chimerad {c['ok']}")
            marks.append("runs_ok")
        if b["runs_failed"] != c["failed"]:
            problems.append(f"{model}: runs_failed baseline {b['runs_failed']} != chimerad {c['failed']}")
            marks.append("runs_failed")
        if c["entries"] == 1:
            tps_text = f"{fmt(b['median_tokens_s'])} | {fmt(c['tps'])}"
            if not close(b["median_tokens_s"], c["tps"]):
                problems.append(
                    f"{model}: tokens/s median baseline {fmt(b['median_tokens_s'])} != chimerad {fmt(c['tps'])}"
                )
                marks.append("tokens/s")
            ttft_text = f"{fmt(b['median_ttft_s'])} | {fmt(c['ttft'])}"
        else:
            tps_text = f"not compared: {c['entries']} config entries"
            ttft_text = "not compared"
        print(f"  {model:<28}{b['runs_ok']:>8}/{c['ok']:<8}{b['runs_failed']:>8}/{c['failed']:<8}  {tps_text:<44}"
              f"  {ttft_text}{'   <-- MISMATCH ' + ','.join(marks) if marks else ''}")
    configs = sorted({json.dumps(cfg, sort_keys=True) for g in grouped.values() for cfg in g["configs"]})
    print(f"  chimerad config values seen: {', '.join(configs[:5])}{' ...' if len(configs) > 5 else ''}")
    if problems:
        print(f"[{args.label}] correctness: FAIL")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print(f"[{args.label}] correctness: OK (run counts{' and tokens/s medians' if all(g['entries'] == 1 for g in grouped.values()) else ''} agree)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
