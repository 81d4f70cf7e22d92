#!/usr/bin/env python3
"""Recompute the LLM-run figures of a benchmark tree independently and compare
them with a chimerad report.json.

Usage: check-report-against-corpus.py TREE REPORT_JSON

Plain csv/json/statistics code, written apart from chimerad's Swift: run counts
per model, failures per message, and per (model, configuration) the median and
p95 of tokens/s. Exits 1 with a list of mismatches, 0 when everything agrees.
"""
import csv
import json
import math
import os
import statistics
import sys

PARAMS = ["num_gpu", "num_ctx", "temperature", "top_p", "top_k", "repeat_penalty", "tag"]
SUFFIXES = ["_summary", "_param_tuning", "_baseline", "_benchmark_runs", "_benchmark", "_runs", "_bench"]


def prefix(stem):
    changed = True
    while changed:
        changed = False
        for suffix in SUFFIXES:
            if stem.lower().endswith(suffix) and len(stem) > len(suffix):
                stem = stem[: -len(suffix)]
                changed = True
    return stem


def number(text):
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def canonical(value):
    value_number = number(value)
    if value_number is not None and value_number == int(value_number) and abs(value_number) < 1e15:
        return str(int(value_number))
    if value_number is not None:
        return repr(value_number)
    return str(value).strip()


def p95(values):
    ordered = sorted(values)
    position = 0.95 * (len(ordered) - 1)
    low = int(math.floor(position))
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def model_hints(tree):
    """Model names files declare: JSON "model" keys, and run CSVs naming one model."""
    hints = {}
    for folder, _, files in os.walk(tree):
        for name in files:
            path = os.path.join(folder, name)
            stem, ext = os.path.splitext(name)
            if ext == ".json":
                try:
                    with open(path, encoding="utf-8") as handle:
                        data = json.load(handle)
                except (ValueError, UnicodeDecodeError):
                    continue
                if isinstance(data, dict) and isinstance(data.get("model"), str) and "results" in data:
                    hints[(folder, stem)] = data["model"]
            elif ext == ".csv":
                with open(path, newline="", encoding="utf-8-sig") as handle:
                    reader = csv.DictReader(handle)
                    if reader.fieldnames and "model" in reader.fieldnames:
                        models = {row["model"] for row in reader if row.get("model")}
                        if len(models) == 1:
                            hints[(folder, stem)] = models.pop()
    return hints


def resolve(folder, stem, hints):
    for (hint_folder, hint_stem), model in sorted(hints.items()):
        if hint_folder == folder and hint_stem == stem:
            return model
    for (hint_folder, hint_stem), model in sorted(hints.items()):
        if hint_folder == folder and prefix(hint_stem) == prefix(stem):
            return model
    return prefix(stem)


def collect(tree):
    hints = model_hints(tree)
    groups = {}
    failures = {}
    csv_stems = set()
    for folder, _, files in os.walk(tree):
        for name in sorted(files):
            stem, ext = os.path.splitext(name)
            if ext != ".csv":
                continue
            with open(os.path.join(folder, name), newline="", encoding="utf-8-sig") as handle:
                reader = csv.DictReader(handle)
                if not reader.fieldnames or "tokens_s" not in reader.fieldnames:
                    continue
                csv_stems.add((folder, stem))
                rows = list(reader)
            sweep = any(p in reader.fieldnames for p in ("num_gpu", "num_ctx", "temperature"))
            for row in rows:
                model = row.get("model") or resolve(folder, stem, hints)
                config = {p: canonical(row[p]) for p in PARAMS if row.get(p, "").strip()}
                if row.get("options"):
                    for key, value in json.loads(row["options"]).items():
                        config[key] = canonical(value)
                key = (model, json.dumps(sorted(config.items())))
                group = groups.setdefault(key, {"ok": [], "failed": 0, "sweep": sweep})
                error = (row.get("error") or "").strip()
                eval_count = number(row.get("eval_count"))
                tokens = number(row.get("tokens_s"))
                no_tokens = (eval_count is not None and eval_count <= 0) or (eval_count is None and not tokens)
                # A throughput that is not a positive normal number measures nothing.
                impossible = tokens is not None and not (tokens > 0 and tokens >= sys.float_info.min)
                if error or no_tokens or impossible:
                    group["failed"] += 1
                    message = error or ("no tokens generated" if no_tokens else "tokens/s is not a positive number")
                    failures[message] = failures.get(message, 0) + 1
                else:
                    group["ok"].append(tokens)
    # JSON twins of a CSV hold the same runs: count them only when no CSV exists.
    for folder, _, files in os.walk(tree):
        for name in sorted(files):
            stem, ext = os.path.splitext(name)
            if ext != ".json" or (folder, stem) in csv_stems:
                continue
            try:
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    data = json.load(handle)
            except (ValueError, UnicodeDecodeError):
                continue
            if not (isinstance(data, dict) and isinstance(data.get("results"), list) and "model" in data):
                continue
            for run in data["results"]:
                if not isinstance(run, dict) or "tokens_s" not in run:
                    continue
                group = groups.setdefault((data["model"], "[]"), {"ok": [], "failed": 0, "sweep": False})
                tokens = number(run.get("tokens_s"))
                if run.get("error") or not run.get("eval_count") or tokens is None or not (tokens > 0 and tokens >= sys.float_info.min):
                    group["failed"] += 1
                else:
                    group["ok"].append(float(run["tokens_s"]))
    return groups, failures


def main():
    tree, report_path = sys.argv[1], sys.argv[2]
    with open(report_path, encoding="utf-8") as handle:
        report = json.load(handle)
    groups, failures = collect(tree)
    problems = []

    per_model = {}
    for (model, _), group in groups.items():
        totals = per_model.setdefault(model, [0, 0])
        totals[0] += len(group["ok"])
        totals[1] += group["failed"]
    reported = {}
    for entry in report["llm_runs"]:
        totals = reported.setdefault(entry["model"], [0, 0])
        totals[0] += entry["runs_ok"]
        totals[1] += entry["runs_failed"]
    if per_model != reported:
        problems.append(f"runs per model differ: expected {per_model}, report has {reported}")

    by_key = {}
    for entry in report["llm_runs"]:
        config = entry["config"] or {}
        by_key[(entry["model"], json.dumps(sorted(config.items())))] = entry
    for key, group in sorted(groups.items()):
        entry = by_key.get(key)
        if entry is None:
            problems.append(f"group {key} missing from the report")
            continue
        if entry["runs_ok"] != len(group["ok"]) or entry["runs_failed"] != group["failed"]:
            problems.append(f"group {key}: expected {len(group['ok'])} ok / {group['failed']} failed, "
                            f"report has {entry['runs_ok']} / {entry['runs_failed']}")
        if group["ok"]:
            stats = entry["tokens_per_second"]
            for label, expected, got in (("median", statistics.median(group["ok"]), stats["median"]),
                                         ("p95", p95(group["ok"]), stats["p95"])):
                if got is None or abs(expected - got) > 1e-9 * max(1.0, abs(expected)):
                    problems.append(f"group {key}: tokens/s {label} expected {expected!r}, report has {got!r}")

    reported_failures = {f["message"]: f["count"] for f in report["failures"]}
    if reported_failures != failures:
        problems.append(f"failures differ: expected {failures}, report has {reported_failures}")

    if problems:
        print("\n".join(problems))
        return 1
    print(f"ok: {len(groups)} groups, {sum(len(g['ok']) for g in groups.values())} successful runs, "
          f"{sum(failures.values())} failed runs agree with {report_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
