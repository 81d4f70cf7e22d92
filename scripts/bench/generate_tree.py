#!/usr/bin/env python3
"""Generate a Chimeraforge-shaped tree of Ollama run CSVs for benchmarking chimerad.

    generate_tree.py OUT_DIR [--files 2000] [--runs 250] [--fail-rate 0.05] [--seed 1]

Layout: OUT_DIR/<group>/<YYYYMMDD-HHMMSS>/<model>_benchmark_runs.csv, with ~20
groups. Each timestamped folder is one "session" that ran the five models one
after another, so every model gets files/5 files. Every file holds --runs rows
with the header

    timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,
    prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options

Row 0 of every file is a cold start (load_s 1-5 s, ttft includes the load).
Durations are rounded to the millisecond, tokens_s is exactly
eval_count / eval_s written with Python's full repr (e.g. 181.69021320634138),
and about --fail-rate of the rows are failures: every number zero and `error`
set. `options` is the same JSON object for every row, so each model has one
configuration. Output is deterministic for a given --seed; each file has its
own random stream, so a file's content does not depend on --files.

`--append-row CSV` instead appends one valid (successful, warm) row to an
existing run CSV, continuing its timestamps; the benchmark uses it to make an
incremental change.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import sys

HEADER = [
    "timestamp", "model", "prompt_index", "prompt_text", "ttft_s", "tokens_s", "load_s",
    "prompt_eval_s", "eval_s", "prompt_eval_count", "eval_count", "response_chars", "error", "options",
]

# model -> (median decode tokens/s, relative prompt-processing speed, typical answer tokens)
MODELS = [
    ("gemma3:270m", 290.0, 1.0, 260),
    ("gemma3:1b-it-qat", 180.0, 1.3, 300),
    ("gemma3:latest", 100.0, 1.6, 340),
    ("llama3.1:8b-instruct-q4_0", 77.0, 1.8, 360),
    ("qwen2.5:7b", 60.0, 2.0, 380),
]

GROUPS = [
    "ollama", "ollama_rerun", "baseline", "baseline_tuned", "nightly", "adhoc",
    "tr108", "tr109", "tr110", "tr111", "tr112", "tr113", "tr114", "tr115",
    "tr116", "tr117", "tr118", "tr119", "tr120", "tr121",
]

# (prompt, answer-length factor). Several contain commas, double quotes or both,
# so the csv module has to quote (and double quotes inside) those fields.
PROMPTS = [
    ("Summarize RAG briefly.", 0.7),
    ("Compare TCP and UDP, with examples.", 1.2),
    ('What does "TTFT" measure?', 0.8),
    ("Write a haiku about GPUs.", 0.2),
    ("Uses of Rust, Go, and Swift?", 0.9),
    ('Translate "good morning" to French.', 0.3),
    ("Reverse a string in Python.", 0.6),
    ("Why is the sky blue?", 0.8),
    ('Explain "KV cache", simply.', 0.5),
    ("What is quantization?", 1.0),
    ("CPU vs GPU inference?", 1.1),
    ("Explain binary search.", 1.0),
    ('Is "top_p" a sampler? Yes, or no?', 0.6),
    ("SQL: count orders per customer.", 0.7),
    ("Pros, cons, and costs of local LLMs?", 1.4),
    ("Explain attention.", 1.3),
    ('Rewrite: "cat, hat, bat".', 0.2),
    ("Name five primes.", 0.1),
    ("How does speculative decoding work?", 1.3),
    ("Tips to cut chat latency?", 1.2),
]

ERRORS = [
    "Failed to connect to Ollama. Please check that Ollama is downloaded, running and accessible. "
    "https://ollama.com/download",
    "[WinError 10049] The requested address is not valid in its context",
    "model requires more system memory (8.2 GiB) than is available (6.1 GiB)",
]

OPTIONS = json.dumps({"temperature": 0.3, "top_p": 0.9}, separators=(",", ":"))

EPOCH = dt.datetime(2025, 8, 4, 9, 0, 0)


def model_file_name(model: str) -> str:
    return model.replace(":", "_").replace("/", "_") + "_benchmark_runs.csv"


def seconds(value: float) -> float:
    """Durations as the harness wrote them: rounded to the millisecond (never 0)."""
    return max(0.001, round(value, 3))


class RowMaker:
    def __init__(self, rng: random.Random, model_index: int, clock: dt.datetime):
        self.rng = rng
        self.model, self.tps, self.prompt_speed, self.answer_tokens = MODELS[model_index]
        # Each file was a different sitting: thermal state, background load.
        self.file_factor = rng.lognormvariate(0.0, 0.05)
        self.clock = clock

    def row(self, index: int, prompt_index: int, cold: bool, failed: bool) -> list:
        rng = self.rng
        prompt, answer_factor = PROMPTS[prompt_index]
        self.clock += dt.timedelta(microseconds=rng.randint(150_000, 900_000))
        stamp = self.clock.isoformat(timespec="seconds")
        if failed:
            error = ERRORS[rng.randrange(len(ERRORS))]
            self.clock += dt.timedelta(microseconds=rng.randint(2_000, 2_000_000))
            return [stamp, self.model, prompt_index, prompt, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0, error, OPTIONS]
        tps = self.tps * self.file_factor * rng.lognormvariate(0.0, 0.06)
        eval_count = max(1, int(self.answer_tokens * answer_factor * rng.lognormvariate(0.0, 0.35)))
        eval_s = seconds(eval_count / tps)
        tokens_s = eval_count / eval_s
        prompt_eval_count = 18 + len(prompt) // 4 + rng.randint(0, 3)
        # Prompt processing runs ~8-12x faster than decode on these machines.
        prompt_eval_s = seconds(prompt_eval_count / (tps * 10.0 / self.prompt_speed * rng.uniform(0.8, 1.2)))
        if cold:
            load_s = seconds(rng.uniform(1.0, 5.0))
            ttft = seconds(load_s + prompt_eval_s + rng.uniform(0.05, 0.3))
        else:
            load_s = seconds(rng.uniform(0.008, 0.06))
            ttft = seconds(min(0.3, max(0.05, prompt_eval_s + load_s + rng.uniform(0.02, 0.12))))
        response_chars = max(1, int(eval_count * rng.uniform(3.6, 4.8)))
        self.clock += dt.timedelta(seconds=ttft + eval_s)
        return [
            stamp, self.model, prompt_index, prompt, ttft, tokens_s, load_s, prompt_eval_s, eval_s,
            prompt_eval_count, eval_count, response_chars, "", OPTIONS,
        ]


def generate(out_dir: str, files: int, runs: int, fail_rate: float, seed: int) -> tuple[int, int]:
    os.makedirs(out_dir, exist_ok=True)
    total_bytes = 0
    sessions = math.ceil(files / len(MODELS))
    written = 0
    for session in range(sessions):
        session_rng = random.Random(f"{seed}:session:{session}")
        group = GROUPS[session % len(GROUPS)]
        start = EPOCH + dt.timedelta(hours=2 * session, seconds=session_rng.randint(0, 3599))
        folder = os.path.join(out_dir, group, start.strftime("%Y%m%d-%H%M%S"))
        os.makedirs(folder, exist_ok=True)
        clock = start
        for model_index in range(len(MODELS)):
            if written == files:
                break
            rng = random.Random(f"{seed}:file:{session}:{model_index}")
            maker = RowMaker(rng, model_index, clock)
            path = os.path.join(folder, model_file_name(MODELS[model_index][0]))
            with open(path, "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(HEADER)
                for index in range(runs):
                    prompt_index = index % len(PROMPTS)
                    failed = rng.random() < fail_rate
                    writer.writerow(maker.row(index, prompt_index, cold=index == 0, failed=failed))
            clock = maker.clock + dt.timedelta(seconds=rng.randint(5, 60))
            total_bytes += os.path.getsize(path)
            written += 1
    return written, total_bytes


def append_row(path: str, seed: int) -> None:
    """Append one successful warm row to an existing run CSV, after its last row."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if len(rows) < 2 or rows[0] != HEADER:
        raise SystemExit(f"{path}: not a generated run CSV")
    last = rows[-1]
    model = last[1]
    model_index = next(i for i, m in enumerate(MODELS) if m[0] == model)
    rng = random.Random(f"{seed}:append:{path}:{len(rows)}")
    clock = dt.datetime.fromisoformat(last[0]) + dt.timedelta(seconds=30)
    maker = RowMaker(rng, model_index, clock)
    prompt_index = (int(last[2]) + 1) % len(PROMPTS)
    with open(path, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(maker.row(len(rows) - 1, prompt_index, cold=False, failed=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", nargs="?", help="folder to create the tree in")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=250)
    parser.add_argument("--fail-rate", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--append-row", metavar="CSV", help="append one valid row to CSV and exit")
    args = parser.parse_args()
    if args.append_row:
        append_row(args.append_row, args.seed)
        return 0
    if not args.out_dir:
        parser.error("OUT_DIR is required")
    if args.files < 1 or args.runs < 1 or not 0.0 <= args.fail_rate <= 1.0:
        parser.error("--files and --runs must be >= 1 and --fail-rate within [0, 1]")
    written, total = generate(args.out_dir, args.files, args.runs, args.fail_rate, args.seed)
    print(f"wrote {written} files, {written * args.runs} rows, {total} bytes ({total / 1e6:.1f} MB) to {args.out_dir}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
