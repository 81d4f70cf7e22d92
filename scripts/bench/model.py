"""The narrative's cost and yield with the managed llama-server; see scripts/bench-model.

    model.py CHIMERAD_BIN WORK --inputs DIR[,DIR] --venv VENV [--runs N] [--models a,b]
             [--narrative-wait SECONDS] [--no-fail]

Part 1: `chimerad run` over a copy of the first input: the startup report, then
one after a file lands. Each report is written at once with
`narrative.pending: true` and rewritten in place once the narrative is checked;
this waits (polling the report's JSON, at most --narrative-wait seconds) until
it is, then reads the figures: the latency split, the time from "report
written" to "narrative written" (the two console log lines, else the JSON's
mtimes), and whether the second report paid a model load.

Part 2: for each input and model, N one-shot `chimerad report` (seeds 1..N),
which exit once the narrative is in latest.json: items asked, kept and dropped
(and why), notes kept and dropped (and why), generation tok/s, prompt tokens
and time to the narrative, medians over the seeds; and a property check of
every report: every number in an item's `text` is in one of the `facts_cited`
lines of that item's `facts`, and every recommendation cites a fact.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

NARRATIVE_WRITTEN_ID = "fe8101d7fbda45e0befc3c1302460c09"
REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")

# A number as the report shows it: 1,350 or -19.3 or 0.127.
NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?")
# The token a number sits in (a model name such as gemma3:1b-it-qat, a quant such as q4_0, a path).
TOKEN_CHARS = re.compile(r"[A-Za-z0-9_.:/+\-]")


# ---------------------------------------------------------------- helpers

def read_json(path):
    """The JSON at `path`, or None while it is being replaced (a rename is atomic, but be lenient)."""
    try:
        with open(path) as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def report_jsons(output):
    if not os.path.isdir(output):
        return []
    return sorted(n for n in os.listdir(output) if n.startswith("chimera-report-") and n.endswith(".json"))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, spec=".0f", empty="-"):
    return empty if value is None else format(value, spec)


def tail(path, lines=15):
    try:
        with open(path, errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return ""


def log_events(path):
    """The "report written" and "narrative written" console lines: [(kind, time, report_path, duration_ms)]."""
    events = []
    pattern = re.compile(r"^(\S+) \S+ [^:]*: (report written|narrative written)(?= \w+=|$)(.*)$")
    try:
        with open(path, errors="replace") as handle:
            for line in handle:
                match = pattern.match(line.rstrip("\n"))
                if not match:
                    continue
                try:
                    stamp = datetime.datetime.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
                except ValueError:
                    continue
                fields = match.group(3)
                path_match = re.search(r'report_path=(?:"((?:[^"\\]|\\.)*)"|(\S+))', fields)
                report_path = (path_match.group(1) or path_match.group(2)) if path_match else None
                duration = re.search(r"duration_ms=(\d+)", fields)
                events.append((match.group(2), stamp, report_path, int(duration.group(1)) if duration else None))
    except OSError:
        pass
    return events


def stem(path):
    return os.path.splitext(os.path.basename(path or ""))[0]


# ---------------------------------------------------------------- part 1: the daemon

class Daemon:
    def __init__(self, binary, watch, output, state, config, venv, log_path):
        self.output, self.log_path = output, log_path
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            [binary, "run", "--config", config, "--watch", watch, "--output", output, "--state", state,
             "--model", "managed", "--log-target", "console"],
            stdout=self.log, stderr=self.log, env=dict(os.environ, CHIMERAD_VENV=venv))

    def check_alive(self):
        if self.process.poll() is not None:
            raise SystemExit(f"bench-model: chimerad run exited ({self.process.returncode}); its log ends:\n{tail(self.log_path)}")

    def wait_for_report(self, count, timeout):
        """The path of the (count+1)-th report's JSON, once it is there."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            names = report_jsons(self.output)
            if len(names) > count:
                return os.path.join(self.output, names[count])
            self.check_alive()
            time.sleep(0.05)
        raise SystemExit(f"bench-model: no report {count + 1} within {timeout:.0f} s; the daemon's log ends:\n{tail(self.log_path)}")

    def wait_for_narrative(self, path, timeout):
        """The report once its `narrative.pending` is false, with the JSON's mtime while pending (or None)."""
        deadline = time.time() + timeout
        pending_mtime = None
        while True:
            report = read_json(path)
            if report is not None:
                if not report["narrative"].get("pending", False):
                    return report, pending_mtime, os.stat(path).st_mtime
                if pending_mtime is None:
                    pending_mtime = os.stat(path).st_mtime
            if time.time() > deadline:
                raise SystemExit(
                    f"bench-model: the narrative of {os.path.basename(path)} was not written within {timeout / 60:.0f} min "
                    f"(narrative.pending is still true: the model is too slow here, or stuck); raise --narrative-wait. "
                    f"The daemon's log ends:\n{tail(self.log_path)}")
            self.check_alive()
            time.sleep(0.5)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def daemon_pass(binary, corpus, work, venv, narrative_wait):
    os.makedirs(work, exist_ok=True)
    watch, output = os.path.join(work, "watch"), os.path.join(work, "out")
    shutil.copytree(corpus, watch)
    config = os.path.join(work, "bench.yaml")
    with open(config, "w") as handle:
        handle.write("model:\n  timeout_seconds: 0\n  options:\n    seed: 1\n")
    started = time.time()
    daemon = Daemon(binary, watch, output, os.path.join(work, "state"), config, venv, os.path.join(work, "daemon.log"))
    try:
        path = daemon.wait_for_report(0, 300)
        first_written = time.time() - started
        first, first_pending_mtime, first_mtime = daemon.wait_for_narrative(path, narrative_wait)
        first_narrated = time.time() - started
        landed = time.time()
        shutil.copy(os.path.join(REPO, "examples", "results", "pytest-benchmark", "bench.json"),
                    os.path.join(watch, "landed-bench.json"))
        path2 = daemon.wait_for_report(1, 300)
        second_written = time.time() - landed
        second, second_pending_mtime, second_mtime = daemon.wait_for_narrative(path2, narrative_wait)
        second_narrated = time.time() - landed
    finally:
        daemon.stop()
    events = log_events(daemon.log_path)

    def narrative_delay(json_path, pending_mtime, final_mtime):
        """Seconds from the report written to its narrative written, and where that figure comes from."""
        written = [t for kind, t, p, _ in events if kind == "report written" and stem(p) == stem(json_path)]
        narrated = [(t, d) for kind, t, p, d in events if kind == "narrative written" and stem(p) == stem(json_path)]
        if written and narrated:
            return narrated[-1][0] - written[-1], narrated[-1][1], "log lines"
        if pending_mtime is not None:
            return final_mtime - pending_mtime, narrated[-1][1] if narrated else None, "JSON mtimes"
        return None, narrated[-1][1] if narrated else None, "not seen (the narrative came before the first poll)"

    return {
        "first": first, "second": second,
        "first_walls": (first_written, first_narrated), "second_walls": (second_written, second_narrated),
        "first_delay": narrative_delay(path, first_pending_mtime, first_mtime),
        "second_delay": narrative_delay(path2, second_pending_mtime, second_mtime),
        "narrative_lines": sum(1 for kind, *_ in events if kind == "narrative written"),
    }


def split(report):
    """Latency of one report by stage, in milliseconds."""
    timings, call = report["timings"], report["model_call"] or {}
    return {
        "ingest": timings["ingest_seconds"] * 1000,
        "analysis": timings["analysis_seconds"] * 1000,
        "load": call.get("load_ms") or 0,
        "prompt eval": call.get("prompt_eval_ms") or 0,
        "generation": call.get("eval_ms") or 0,
        "narrative (all)": (timings.get("narrative_seconds") or 0) * 1000,
        "writing": timings["report_seconds"] * 1000,
    }


def print_daemon(result, corpus, targets):
    first, second = result["first"], result["second"]
    print(f"== chimerad run --model managed over a copy of {corpus}")
    print(f"{'stage (ms)':<26}{'first report':>14}{'second report':>15}")
    a, b = split(first), split(second)
    for key in a:
        print(f"{key:<26}{a[key]:>14.0f}{b[key]:>15.0f}")
    (d1, dur1, src1), (d2, dur2, src2) = result["first_delay"], result["second_delay"]
    print(f"{'report -> narrative':<26}{fmt(d1 * 1000 if d1 is not None else None):>14}{fmt(d2 * 1000 if d2 is not None else None):>15}"
          f"   (report written to narrative written; from {src1} / {src2})")
    print(f"{'narrative duration_ms':<26}{fmt(dur1):>14}{fmt(dur2):>15}   (the 'narrative written' line: asking and checking)")
    (w1, n1), (w2, n2) = result["first_walls"], result["second_walls"]
    print(f"{'wall to report (ms)':<26}{w1 * 1000:>14.0f}{w2 * 1000:>15.0f}   (start to first report; file landed to second)")
    print(f"{'wall to narrative (ms)':<26}{n1 * 1000:>14.0f}{n2 * 1000:>15.0f}   (start / file landed to narrative.pending false)")
    print(f"'narrative written' lines ({NARRATIVE_WRITTEN_ID}): {result['narrative_lines']}")
    for name, report in (("first", first), ("second", second)):
        call = report["model_call"] or {}
        narrative = report["narrative"]
        print(f"{name}: prompt {call.get('prompt_tokens')} tokens ({call.get('facts_in_prompt')} of {call.get('facts_total')} facts), "
              f"TTFT {call.get('ttft_ms') or 0:.0f} ms, {call.get('tokens_per_second') or 0:.1f} tok/s, "
              f"{call.get('tokens_generated')} tokens; items asked {narrative.get('items_asked')}, kept {narrative.get('items_kept')}, "
              f"dropped {narrative.get('items_dropped')}; completed_at {narrative.get('completed_at')}"
              + (f"; unavailable: {narrative['unavailable_reason']}" if narrative.get("unavailable_reason") else ""))
    prompt = (first["model_call"] or {}).get("prompt_tokens") or 0
    load = (second["model_call"] or {}).get("load_ms")
    targets.append(("daemon", [
        ("prompt under 2,000 tokens", 0 < prompt < 2000, f"{prompt} tokens"),
        ("second report: no model load", load == 0, f"load_ms {load}"),
        ("both narratives written", not first["narrative"].get("pending") and not second["narrative"].get("pending"),
         f"{result['narrative_lines']} 'narrative written' lines"),
    ]))


# ---------------------------------------------------------------- part 2: one-shot reports

def one_shot(binary, corpus, work, venv, model, seed, tag):
    out, state = os.path.join(work, f"y-{tag}-{model}-{seed}"), os.path.join(work, f"s-{tag}-{model}-{seed}")
    config = os.path.join(work, f"seed-{seed}.yaml")
    with open(config, "w") as handle:
        handle.write(f"model:\n  timeout_seconds: 0\n  options:\n    seed: {seed}\n")
    log_path = os.path.join(work, f"report-{tag}-{model}-{seed}.log")
    started = time.time()
    with open(log_path, "w") as log:
        # The narrative's budget is at most 30 minutes; the report waits for it.
        result = subprocess.run([binary, "report", "--config", config, "--input", corpus, "--output", out, "--state", state,
                                 "--model", "managed", "--model-name", model, "--log-target", "console"],
                                env=dict(os.environ, CHIMERAD_VENV=venv), stdout=log, stderr=log, timeout=40 * 60)
    wall = time.time() - started
    if result.returncode != 0:
        raise SystemExit(f"bench-model: chimerad report exited {result.returncode} ({model}, seed {seed}, {corpus}); its log ends:\n{tail(log_path)}")
    report = read_json(os.path.join(out, "latest.json"))
    if report is None:
        raise SystemExit(f"bench-model: no latest.json in {out} after chimerad report")
    return report, wall


def number_check(narrative):
    """(numbers checked, [(item kind, number, text)] not among the item's cited lines, recommendations citing nothing)."""
    cited_all = narrative.get("facts_cited") or {}
    checked, unsupported, uncited = 0, [], 0
    for item in narrative.get("items") or []:
        facts = item.get("facts") or []
        lines = [cited_all[f] for f in facts if f in cited_all]
        if item.get("section") == "recommendations" and not lines:
            uncited += 1
        cited_numbers = {m.group(0) for line in lines for m in NUMBER.finditer(line)}
        text = item.get("text") or ""
        for match in NUMBER.finditer(text):
            checked += 1
            number = match.group(0)
            if number in cited_numbers:
                continue
            # Digits inside a name (gemma3:1b, q4_0, llama3.1:8b-instruct): fine if that token is cited.
            start, end = match.start(), match.end()
            while start > 0 and TOKEN_CHARS.match(text[start - 1]):
                start -= 1
            while end < len(text) and TOKEN_CHARS.match(text[end]):
                end += 1
            token = text[start:end].strip(".:,;-/")
            if token != number and any(token in line for line in lines):
                continue
            unsupported.append((item.get("kind"), number, text))
    return checked, unsupported, uncited


def input_name(corpus):
    relative = os.path.relpath(os.path.abspath(corpus), os.path.abspath(REPO))
    return relative if not relative.startswith("..") else os.path.basename(os.path.normpath(corpus))


def yield_pass(args, inputs, models, targets):
    print(f"\n== one-shot reports: {args.runs} per input and model (seeds 1..{args.runs}); medians over the seeds")
    rows, details = [], []
    for tag, corpus in enumerate(inputs):
        for model in models:
            reports = []
            for seed in range(1, args.runs + 1):
                print(f"   {corpus} / {model} / seed {seed} ...", file=sys.stderr, flush=True)
                report, wall = one_shot(args.binary, corpus, args.work, args.venv, model, seed, tag)
                reports.append((report, wall))
                narrative = report["narrative"]
                print(f"     {wall:.0f} s: asked {narrative.get('items_asked')}, kept {narrative.get('items_kept')}"
                      + (f"; unavailable: {narrative['unavailable_reason']}" if narrative.get("unavailable_reason") else ""),
                      file=sys.stderr, flush=True)
            asked = kept = dropped = numbers = uncited = pending = 0
            reasons, note_reasons, unsupported, few_asked, unavailable = {}, {}, [], 0, []
            per = {k: [] for k in ("asked", "kept", "dropped", "unanswered", "gen_tokens", "notes_kept", "notes_dropped", "tps", "prompt", "seconds", "wall")}
            for report, wall in reports:
                narrative, call = report["narrative"], report["model_call"] or {}
                n_asked, n_kept, n_dropped = (narrative.get(k) or 0 for k in ("items_asked", "items_kept", "items_dropped"))
                notes_kept = sum(1 for item in narrative.get("items") or [] if item.get("note"))
                asked, kept, dropped = asked + n_asked, kept + n_kept, dropped + n_dropped
                few_asked += n_asked < 5
                pending += bool(narrative.get("pending"))
                if narrative.get("unavailable_reason"):
                    unavailable.append(narrative["unavailable_reason"])
                for key, value in (("asked", n_asked), ("kept", n_kept), ("dropped", n_dropped),
                                   ("unanswered", n_asked - n_kept - n_dropped), ("gen_tokens", call.get("tokens_generated")),
                                   ("notes_kept", notes_kept),
                                   ("notes_dropped", narrative.get("notes_dropped") or 0),
                                   ("tps", call.get("tokens_per_second")), ("prompt", call.get("prompt_tokens")),
                                   ("seconds", (report.get("timings") or {}).get("narrative_seconds")), ("wall", wall)):
                    per[key].append(value)
                for reason, count in (narrative.get("dropped_by_reason") or {}).items():
                    reasons[reason] = reasons.get(reason, 0) + count
                for reason, count in (narrative.get("notes_dropped_by_reason") or {}).items():
                    note_reasons[reason] = note_reasons.get(reason, 0) + count
                checked, bad, no_fact = number_check(narrative)
                numbers += checked
                unsupported += bad
                uncited += no_fact
            name = f"{input_name(corpus)}/{model}"
            share_asked = kept / asked if asked else None
            share_judged = kept / (kept + dropped) if kept + dropped else None
            rows.append((name, len(reports), median(per["asked"]), median(per["kept"]), median(per["dropped"]), median(per["unanswered"]),
                         share_asked, share_judged, median(per["notes_kept"]), median(per["notes_dropped"]),
                         median(per["tps"]), median(per["gen_tokens"]), median(per["prompt"]), median(per["seconds"]), median(per["wall"])))
            details.append((name, reasons, note_reasons, numbers, unsupported, unavailable, pending))
            targets.append((name, [
                (">= 5 items asked per report", few_asked == 0, f"{len(reports) - few_asked} of {len(reports)} reports"),
                (">= 80% of asked items kept", share_asked is not None and share_asked >= 0.8,
                 f"{kept} of {asked}" + (f" ({share_asked:.0%})" if share_asked is not None else "")),
                ("0 numbers not among the cited facts", not unsupported,
                 f"{len(unsupported)} of {numbers} numbers"),
                ("every recommendation cites a fact", uncited == 0, f"{uncited} without a cited fact"),
                ("narrative written (pending false)", pending == 0, f"{pending} still pending"),
            ]))

    header = (f"{'input/model':<36}{'runs':>5}{'asked':>7}{'kept':>6}{'dropped':>8}{'unanswered':>11}{'kept/asked':>11}{'kept/judged':>12}"
              f"{'notes kept':>11}{'notes dropped':>14}{'gen tok/s':>10}{'gen tok':>8}{'prompt tok':>11}{'narrative s':>12}{'wall s':>8}")
    print(header)
    print("-" * len(header))
    for (name, runs, a, k, d, u, sa, sj, nk, nd, tps, gen, prompt, seconds, wall) in rows:
        print(f"{name:<36}{runs:>5}{fmt(a, 'g'):>7}{fmt(k, 'g'):>6}{fmt(d, 'g'):>8}{fmt(u, 'g'):>11}{fmt(sa, '.0%'):>11}{fmt(sj, '.0%'):>12}"
              f"{fmt(nk, 'g'):>11}{fmt(nd, 'g'):>14}{fmt(tps, '.2f'):>10}{fmt(gen, '.0f'):>8}{fmt(prompt, '.0f'):>11}{fmt(seconds, '.1f'):>12}{fmt(wall, '.0f'):>8}")
    print("(unanswered: asked but neither kept nor dropped, e.g. a reply cut at num_predict; kept/asked and\n"
          " kept/judged = kept / (kept + dropped): totals over the seeds; gen tok: tokens generated)")
    for name, reasons, note_reasons, numbers, unsupported, unavailable, pending in details:
        print(f"\n{name}:")
        print(f"  items dropped by reason (all seeds): {reasons or 'none'}")
        print(f"  notes dropped by reason (all seeds): {note_reasons or 'none'}")
        print(f"  numbers in item texts: {numbers} checked, {len(unsupported)} not among the item's cited facts")
        for kind, number, text in unsupported[:5]:
            print(f"    {kind}: {number!r} in {text!r}")
        for reason in unavailable:
            print(f"  narrative unavailable: {reason}")


def print_targets(targets, failures):
    print("\n== targets")
    for name, checks in targets:
        for label, ok, detail in checks:
            print(f"{'PASS' if ok else 'FAIL'}  {name:<36}{label:<38}{detail}")
            if not ok:
                failures.append(f"{name}: {label} ({detail})")


# ---------------------------------------------------------------- main

def default_models(venv):
    models = ["smollm2-135m"]
    manifest = read_json(os.path.join(venv, "chimerad-models.json")) or {}
    if "qwen2.5-coder-0.5b" in (manifest.get("models") or {}):
        models.append("qwen2.5-coder-0.5b")
    return models


def main():
    parser = argparse.ArgumentParser(description="The narrative's cost and yield; see scripts/bench-model.")
    parser.add_argument("binary")
    parser.add_argument("work")
    parser.add_argument("--inputs", required=True, help="comma-separated folders; part 1 runs over the first")
    parser.add_argument("--venv", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--models", default=None, help="default: smollm2-135m, plus qwen2.5-coder-0.5b when the venv's manifest lists it")
    parser.add_argument("--narrative-wait", type=float, default=20 * 60, help="seconds to wait for a daemon report's narrative")
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args()
    inputs = [i for i in args.inputs.split(",") if i]
    models = [m for m in args.models.split(",") if m] if args.models else default_models(args.venv)
    for folder in inputs:
        if not os.path.isdir(folder):
            raise SystemExit(f"bench-model: input {folder}: not a folder")
    failures, targets = [], []
    began = time.time()
    print(f"bench-model: inputs {', '.join(inputs)}; models {', '.join(models)}; {args.runs} run(s) each", flush=True)

    result = daemon_pass(args.binary, inputs[0], os.path.join(args.work, "daemon"), args.venv, args.narrative_wait)
    print_daemon(result, inputs[0], targets)
    sys.stdout.flush()

    yield_pass(args, inputs, models, targets)
    print_targets(targets, failures)

    print(f"\nbench-model: took {time.time() - began:.0f} s")
    for failure in failures:
        print(f"bench-model: target missed: {failure}", file=sys.stderr)
    if failures and not args.no_fail:
        sys.exit(1)


if __name__ == "__main__":
    main()
