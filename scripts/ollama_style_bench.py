#!/usr/bin/env python3
"""Ollama-style benchmark of a local GGUF model, driven through llama-server.

Produces the files a typical "benchmark my Ollama model" script writes, but the
numbers come from a real llama.cpp server running on this machine:

  <out>/gemma3-270m_runs.csv                 one row per request (Ollama run CSV shape)
  <out>/gemma3-270m_baseline.csv             the successful baseline runs (no model column)
  <out>/gemma3-270m_baseline.json            the same runs, {"model": ..., "results": [...]}
  <out>/gemma3-270m_param_tuning.csv         num_ctx x temperature sweep
  <out>/gemma3-270m_param_tuning_summary.csv per-config means of the sweep

Field mapping (Ollama /api/generate field -> what we measure here):
  ttft_s            client-side: request sent -> first streamed chunk with text
  prompt_eval_s     timings.prompt_ms / 1000      (Ollama: prompt_eval_duration)
  prompt_eval_count timings.prompt_n              (Ollama: prompt_eval_count)
  eval_s            timings.predicted_ms / 1000   (Ollama: eval_duration)
  eval_count        timings.predicted_n           (Ollama: eval_count)
  tokens_s          eval_count / eval_s
  load_s            see COLD-START NOTE below     (Ollama: load_duration)

COLD-START NOTE (load_s): Ollama reports load_duration for the request that
had to load the model and ~0 for requests hitting an already loaded model.
llama-server loads the model at process start, so for the FIRST request after
each server (re)start we record the server's cold start, i.e. the wall time
from spawning the process until GET /health first answered 200 OK.  Every
later request against the same, already-warm server gets load_s = 0.

Prompt caching is disabled per request ("cache_prompt": false) so that every
request really evaluates its whole prompt, like a fresh Ollama request would.

Failures are recorded the way the Ollama scripts do it: the row keeps its
timestamp/prompt/options, all numbers are 0 and `error` holds the exception
text.  The last request of the runs CSV is deliberately sent after the server
has been stopped, so it fails with a genuine "connection refused".

Only the Python standard library is used.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

MODEL = "gemma3:270m"          # Ollama-style model tag written to the CSV/JSON
FILE_STEM = "gemma3-270m"      # file-name-safe variant
HOST = "127.0.0.1"
N_PREDICT = 48
TOP_P = 0.9
BASELINE_TEMPERATURE = 0.3
BASELINE_CTX = 2048
THREADS = 2

PROMPTS = [
    "Roast my duo partner who missed three easy headshots in a row, keep it friendly.",
    "Write a one-line victory taunt for winning a 1v4 clutch in Valorant.",
    'My friend blamed "lag" after losing 0-5 in FIFA. Give me a comeback.',
    "Give a cheeky excuse for why I fell off the map in Fall Guys again.",
    "Hype up my squad before the final circle, in two sentences, gamer slang allowed.",
]
# Sent after the server is stopped -> genuine connection error row.
FAILED_PROMPT = "One more: trash talk the enemy team's healer, quick!"

TUNING_CTX = [1024, 4096]
TUNING_TEMPS = [0.2, 0.7, 1.0]
TUNING_RUNS = 2
TUNING_NUM_GPU = 0             # CPU-only machine
TUNING_PROMPT = PROMPTS[0]

RUNS_HEADER = ["timestamp", "model", "prompt_index", "prompt_text", "ttft_s", "tokens_s",
               "load_s", "prompt_eval_s", "eval_s", "prompt_eval_count", "eval_count",
               "response_chars", "error", "options"]
BASELINE_HEADER = ["prompt", "ttft_s", "tokens_s", "load_s", "prompt_eval_s", "eval_s",
                   "eval_count", "response_chars", "error"]
TUNING_HEADER = ["num_gpu", "num_ctx", "temperature", "config_name", "ttft_s", "tokens_s",
                 "load_s", "prompt_eval_s", "eval_s", "eval_count", "error"]
SUMMARY_HEADER = ["config_name", "num_gpu", "num_ctx", "temperature", "mean_tokens_s",
                  "mean_ttft_s", "mean_load_s"]


def log(msg: str) -> None:
    print(f"[ollama_style_bench] {msg}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """One llama-server process; .cold_start_s = spawn -> /health 200."""

    def __init__(self, binary: Path, model_path: Path, ctx: int, log_path: Path,
                 pid_file: Path | None):
        self.binary, self.model_path, self.ctx = binary, model_path, ctx
        self.log_path, self.pid_file = log_path, pid_file
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.cold_start_s = 0.0

    def start(self, timeout_s: float = 120.0) -> None:
        cmd = [str(self.binary), "--model", str(self.model_path),
               "--host", HOST, "--port", str(self.port),
               "--alias", MODEL, "-c", str(self.ctx), "-t", str(THREADS),
               "-np", "1", "--no-webui"]
        env = os.environ.copy()
        bin_dir = str(self.binary.parent)
        env["LD_LIBRARY_PATH"] = bin_dir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
        log(f"starting: {' '.join(cmd)}")
        logf = open(self.log_path, "ab")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, env=env, stdout=logf, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        logf.close()
        if self.pid_file:
            with open(self.pid_file, "a") as f:
                f.write(f"{self.proc.pid}\n")
        deadline = t0 + timeout_s
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama-server exited early with {self.proc.returncode}; see {self.log_path}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", "/health")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:   # 503 {"message":"Loading model"} while loading
                    self.cold_start_s = time.perf_counter() - t0
                    log(f"healthy on port {self.port} after {self.cold_start_s:.3f}s (ctx={self.ctx})")
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"llama-server not healthy after {timeout_s}s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def complete(port: int, prompt: str, temperature: float) -> dict:
    """Streamed /completion; returns measured fields (raises on failure)."""
    body = json.dumps({
        "prompt": prompt,
        "n_predict": N_PREDICT,
        "temperature": temperature,
        "top_p": TOP_P,
        "stream": True,
        "cache_prompt": False,
    })
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("POST", "/completion", body=body,
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        if resp.status != 200:
            raise RuntimeError(f"HTTP {resp.status}: {resp.read().decode(errors='replace')[:200]}")
        ttft = None
        text_parts: list[str] = []
        timings = None
        while True:
            line = resp.readline()
            if not line:
                break
            line = line.strip()
            if not line.startswith(b"data:"):
                continue
            payload = line[5:].strip()
            if payload == b"[DONE]":
                break
            chunk = json.loads(payload)
            if "error" in chunk:
                raise RuntimeError(f"server error: {chunk['error']}")
            content = chunk.get("content", "")
            if content and ttft is None:
                ttft = time.perf_counter() - t0
            text_parts.append(content)
            if chunk.get("stop"):
                timings = chunk.get("timings")
                break
    finally:
        conn.close()
    if timings is None:
        raise RuntimeError("stream ended without a final chunk carrying 'timings'")
    if ttft is None:  # model produced only empty pieces; fall back to end of stream
        ttft = time.perf_counter() - t0
    eval_s = round(timings["predicted_ms"] / 1000.0, 6)
    eval_count = int(timings["predicted_n"])
    return {
        "ttft_s": round(ttft, 4),
        "tokens_s": round(eval_count / eval_s, 3) if eval_s > 0 else 0.0,
        "prompt_eval_s": round(timings["prompt_ms"] / 1000.0, 6),
        "eval_s": eval_s,
        "prompt_eval_count": int(timings["prompt_n"]),
        "eval_count": eval_count,
        "response_chars": len("".join(text_parts)),
        "server_predicted_per_second": timings.get("predicted_per_second"),
    }


ZERO = {"ttft_s": 0.0, "tokens_s": 0.0, "prompt_eval_s": 0.0, "eval_s": 0.0,
        "prompt_eval_count": 0, "eval_count": 0, "response_chars": 0}


def measured_request(port: int, prompt: str, temperature: float, load_s: float) -> dict:
    ts = datetime.now(timezone.utc).isoformat(timespec="seconds")
    try:
        r = complete(port, prompt, temperature)
        r.pop("server_predicted_per_second", None)
        r["load_s"] = round(load_s, 4)
        r["error"] = ""
    except Exception as e:  # record the failure like the Ollama scripts do
        r = dict(ZERO, load_s=0.0, error=f"{type(e).__name__}: {e}")
    r["timestamp"] = ts
    return r


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    log(f"wrote {path} ({len(rows)} rows)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--server-bin", type=Path, required=True, help="path to llama-server")
    ap.add_argument("--model-path", type=Path, required=True, help="path to the .gguf")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--pid-file", type=Path, help="append spawned server PIDs here (for the caller's trap)")
    ap.add_argument("--server-log", type=Path, default=Path(os.devnull))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    # Turn SIGTERM into SystemExit so the finally-blocks stop the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    # ---- 1. baseline: 5 prompts against a fresh server, then one failed request
    runs: list[dict] = []
    options = {"temperature": BASELINE_TEMPERATURE, "top_p": TOP_P,
               "num_predict": N_PREDICT, "num_ctx": BASELINE_CTX}
    options_json = json.dumps(options, separators=(",", ":"))
    srv = Server(args.server_bin, args.model_path, BASELINE_CTX, args.server_log, args.pid_file)
    try:
        srv.start()
        for i, prompt in enumerate(PROMPTS):
            load_s = srv.cold_start_s if i == 0 else 0.0  # see COLD-START NOTE
            r = measured_request(srv.port, prompt, BASELINE_TEMPERATURE, load_s)
            if r["error"]:
                raise RuntimeError(f"baseline request {i} failed: {r['error']}")
            r.update(model=MODEL, prompt_index=i, prompt_text=prompt, prompt=prompt,
                     options=options_json)
            runs.append(r)
            log(f"prompt {i}: ttft={r['ttft_s']}s tokens/s={r['tokens_s']} eval_count={r['eval_count']}")
    finally:
        dead_port = srv.port
        srv.stop()

    # Server is gone: this request genuinely fails with "connection refused".
    r = measured_request(dead_port, FAILED_PROMPT, BASELINE_TEMPERATURE, 0.0)
    if not r["error"]:
        raise RuntimeError("expected the post-shutdown request to fail, but it succeeded")
    r.update(model=MODEL, prompt_index=len(PROMPTS), prompt_text=FAILED_PROMPT,
             prompt=FAILED_PROMPT, options=options_json)
    runs.append(r)
    log(f"prompt {len(PROMPTS)} (server stopped): error={r['error']!r}")

    write_csv(args.out / f"{FILE_STEM}_runs.csv", RUNS_HEADER, runs)

    # Baseline pair: the successful runs, identical floats in CSV and JSON.
    baseline = [{k: r[k] for k in BASELINE_HEADER} for r in runs if not r["error"]]
    write_csv(args.out / f"{FILE_STEM}_baseline.csv", BASELINE_HEADER, baseline)
    with open(args.out / f"{FILE_STEM}_baseline.json", "w", encoding="utf-8") as f:
        json.dump({"model": MODEL, "results": baseline}, f, indent=2)
        f.write("\n")
    log(f"wrote {args.out / (FILE_STEM + '_baseline.json')}")

    # ---- 2. parameter sweep: restart per num_ctx, vary temperature
    tuning: list[dict] = []
    for ctx in TUNING_CTX:
        srv = Server(args.server_bin, args.model_path, ctx, args.server_log, args.pid_file)
        try:
            srv.start()
            first = True
            for temp in TUNING_TEMPS:
                name = f"gpu{TUNING_NUM_GPU}_ctx{ctx}_temp{temp}"
                for _ in range(TUNING_RUNS):
                    load_s = srv.cold_start_s if first else 0.0  # see COLD-START NOTE
                    first = False
                    r = measured_request(srv.port, TUNING_PROMPT, temp, load_s)
                    r.update(num_gpu=TUNING_NUM_GPU, num_ctx=ctx, temperature=temp,
                             config_name=name)
                    tuning.append(r)
                    log(f"{name}: tokens/s={r['tokens_s']} ttft={r['ttft_s']} error={r['error']!r}")
        finally:
            srv.stop()
    write_csv(args.out / f"{FILE_STEM}_param_tuning.csv", TUNING_HEADER, tuning)

    summary: list[dict] = []
    for name in dict.fromkeys(r["config_name"] for r in tuning):
        rows = [r for r in tuning if r["config_name"] == name]
        ok = [r for r in rows if not r["error"]]
        summary.append({
            "config_name": name,
            "num_gpu": rows[0]["num_gpu"],
            "num_ctx": rows[0]["num_ctx"],
            "temperature": rows[0]["temperature"],
            "mean_tokens_s": round(statistics.fmean(r["tokens_s"] for r in ok), 3) if ok else 0.0,
            "mean_ttft_s": round(statistics.fmean(r["ttft_s"] for r in ok), 4) if ok else 0.0,
            "mean_load_s": round(statistics.fmean(r["load_s"] for r in ok), 4) if ok else 0.0,
        })
    write_csv(args.out / f"{FILE_STEM}_param_tuning_summary.csv", SUMMARY_HEADER, summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
