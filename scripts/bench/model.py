"""The narrative's cost and yield with the managed llama-server; see scripts/bench-model."""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time


def wait_for_report(output, count, timeout):
    """The JSON of the (count+1)-th report in `output`, once it is there."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        names = sorted(n for n in os.listdir(output) if n.startswith("chimera-report-") and n.endswith(".json")) if os.path.isdir(output) else []
        if len(names) > count:
            with open(os.path.join(output, names[-1])) as handle:
                return json.load(handle)
        time.sleep(0.05)
    raise SystemExit(f"bench-model: no report {count + 1} within {timeout} s")


def split(report):
    """Latency of one report by stage, in milliseconds."""
    timings, call = report["timings"], report["model_call"] or {}
    return {
        "ingest": timings["ingest_seconds"] * 1000,
        "analysis": timings["analysis_seconds"] * 1000,
        "load": call.get("load_ms") or 0,
        "prompt eval": call.get("prompt_eval_ms") or 0,
        "generation": call.get("eval_ms") or 0,
        "narrative (all)": timings["narrative_seconds"] * 1000,
        "writing": timings["report_seconds"] * 1000,
    }


def daemon_pass(binary, corpus, work, venv):
    watch, output = os.path.join(work, "watch"), os.path.join(work, "out")
    shutil.copytree(corpus, watch)
    config = os.path.join(work, "bench.yaml")
    with open(config, "w") as handle:
        handle.write("model:\n  timeout_seconds: 120\n  options:\n    seed: 1\n")
    env = dict(os.environ, CHIMERAD_VENV=venv)
    log = open(os.path.join(work, "daemon.log"), "w")
    started = time.time()
    daemon = subprocess.Popen(
        [binary, "run", "--config", config, "--watch", watch, "--output", output, "--state", os.path.join(work, "state"),
         "--model", "managed", "--log-target", "console"], stdout=log, stderr=log, env=env)
    try:
        first = wait_for_report(output, 0, 300)
        first_wall = time.time() - started
        landed = time.time()
        shutil.copy(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "results", "pytest-benchmark", "bench.json"),
                    os.path.join(watch, "landed-bench.json"))
        second = wait_for_report(output, 1, 300)
        second_wall = time.time() - landed
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)
    return first, first_wall, second, second_wall


def yield_pass(binary, corpus, work, venv, model, seed):
    out, state = os.path.join(work, f"y-{model}-{seed}"), os.path.join(work, f"s-{model}-{seed}")
    config = os.path.join(work, f"seed-{seed}.yaml")
    with open(config, "w") as handle:
        handle.write(f"model:\n  timeout_seconds: 120\n  options:\n    seed: {seed}\n")
    env = dict(os.environ, CHIMERAD_VENV=venv)
    subprocess.run([binary, "report", "--config", config, "--input", corpus, "--output", out, "--state", state,
                    "--model", "managed", "--model-name", model, "--log-target", "console"],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(os.path.join(out, "latest.json")) as handle:
        return json.load(handle)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("corpus")
    parser.add_argument("work")
    parser.add_argument("--venv", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--models", default="smollm2-135m,gemma3-270m")
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args()
    failures = []

    first, first_wall, second, second_wall = daemon_pass(args.binary, args.corpus, os.path.join(args.work, "daemon"), args.venv)
    print(f"== chimerad run --model managed over {args.corpus}")
    print(f"{'stage (ms)':<18}{'first report':>14}{'second report':>15}")
    a, b = split(first), split(second)
    for key in a:
        print(f"{key:<18}{a[key]:>14.0f}{b[key]:>15.0f}")
    print(f"{'wall (ms)':<18}{first_wall * 1000:>14.0f}{second_wall * 1000:>15.0f}   (start to first report; file landed to second report)")
    for name, report in (("first", first), ("second", second)):
        call = report["model_call"] or {}
        narrative = report["narrative"]
        print(f"{name}: prompt {call.get('prompt_tokens')} tokens ({call.get('facts_in_prompt')} of {call.get('facts_total')} facts), "
              f"TTFT {call.get('ttft_ms') or 0:.0f} ms, {call.get('tokens_per_second') or 0:.1f} tok/s, "
              f"{call.get('tokens_generated')} tokens; kept {narrative['sentences_kept']}, dropped {narrative['sentences_dropped']}"
              + (f"; unavailable: {narrative['unavailable_reason']}" if narrative["unavailable_reason"] else ""))
    prompt = (first["model_call"] or {}).get("prompt_tokens") or 0
    if not 0 < prompt < 1500:
        failures.append(f"prompt of {prompt} tokens (target: under 1,500)")
    if (second["model_call"] or {}).get("load_ms") != 0:
        failures.append(f"the second report waited {second['model_call'].get('load_ms')} ms for a model load (target: 0)")

    print(f"\n== sentences that pass the checks, {args.runs} one-shot reports per model (seeds 1..{args.runs})")
    print(f"{'model':<16}{'kept':>6}{'dropped':>9}{'kept share':>12}{'narrative s (median)':>22}  dropped by reason")
    for model in args.models.split(","):
        kept = dropped = 0
        seconds, reasons = [], {}
        for seed in range(1, args.runs + 1):
            report = yield_pass(args.binary, args.corpus, args.work, args.venv, model, seed)
            narrative = report["narrative"]
            kept += narrative["sentences_kept"]
            dropped += narrative["sentences_dropped"]
            seconds.append(report["timings"]["narrative_seconds"])
            for reason, count in narrative["dropped_by_reason"].items():
                reasons[reason] = reasons.get(reason, 0) + count
        share = kept / (kept + dropped) if kept + dropped else 0
        seconds.sort()
        print(f"{model:<16}{kept:>6}{dropped:>9}{share:>12.1%}{seconds[len(seconds) // 2]:>22.2f}  {reasons}")

    for failure in failures:
        print(f"bench-model: target missed: {failure}", file=sys.stderr)
    if failures and not args.no_fail:
        sys.exit(1)


if __name__ == "__main__":
    main()
