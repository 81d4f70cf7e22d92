#!/usr/bin/env python3
"""Many hosts publishing to one PostgreSQL: the fleet's scale benchmark (issue 13).

    fleet.py CHIMERAD_BIN WORK [--hosts 5,50] [--seconds 180] [--interval 5]
             [--runs 20] [--settle-ms 300] [--drain-seconds 180] [--no-regression]

WORK is an empty scratch folder (scripts/bench-fleet makes one and removes it).
Only the standard library is used; psql and the server come from Debian's
postgresql package (/usr/lib/postgresql/N/bin).

1. PostgreSQL: initdb into WORK/pg (as the `postgres` user when run as root,
   password authentication), started on a free loopback port with the
   package's defaults (fsync and synchronous_commit on), max_connections 300.
2. Per host count N (a fresh database each, so each count's tables hold only
   its own run), `chimerad fleet migrate`, then N daemons, the real binary:
   `chimerad run --watch WORK/N/host-NN/in --output ... --state ...
   --fleet-url URL --host-id host-NN --model none`, each with its own folders
   and the default settings (settle 300 ms, min_interval_ms 1000). Each host's
   folder holds a llama-bench JSON that records its GPU (H100, L4 or RTX 4090
   by host number), backend and build, so the fleet's `hosts` rows and
   sessions carry an environment.
3. Once every host published its first report (its `hosts` row exists), the
   driver drops, for --seconds, one new Ollama-style run CSV (--runs runs of
   one of two models, one session) into every host's folder every --interval
   seconds, the hosts staggered evenly over the interval. Unless
   --no-regression, the H100 hosts' throughput drops 15% halfway through, so
   their daemons open regressions the fleet sees on several hosts.
4. Measured over the window, per N:
   - sessions/s: rows of chimerad.sessions whose published_at falls in the
     window, over its length (offered: files dropped over the window);
   - publish latency, p50/p99/max over every dropped file: from the file's
     close (wall clock, this machine) to its session row's published_at. That
     includes the settle window (300 ms), the daemon's ingest and local report
     (analysis, Markdown/JSON/HTML and charts written and synced), the outbox
     insert in the same SQLite transaction, the publisher's wake-up and any
     batch already in flight, up to the start of the PostgreSQL transaction
     that inserted the row (published_at is now(), the transaction's start; its
     commit follows within a few ms). A report delayed by min_interval_ms, or
     one report covering two landings, is in it too;
   - CPU: the daemons' (utime+stime of all N) and PostgreSQL's (postmaster,
     its children and those it reaped) over the window, in cores busy;
   - after the window, how long until every dropped file's session is in
     PostgreSQL (drain), duplicates (two rows for one file) and missing rows;
   - the fleet report over the resulting tables (`chimerad report --fleet
     --fleet-url URL --output DIR`), median of 3, when this build has it;
   - EXPLAIN ANALYZE execution time (median of 5, warm) of queries the fleet
     report needs, and the tables' rows and sizes.
5. A table at the end. Exits 0 (no target is set); 1 only when the benchmark
   could not run. Every daemon and the server are stopped, and WORK's contents
   removed by the caller, whatever happens (Ctrl-C included).
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

HEADER = "timestamp,model,prompt_index,prompt_text,ttft_s,tokens_s,load_s,prompt_eval_s,eval_s,prompt_eval_count,eval_count,response_chars,error,options\n"
MODELS = [
    ("llama3.1:8b", '"{""num_ctx"":4096,""temperature"":0.2}"', 95.0),
    ("qwen2.5:7b", '"{""num_ctx"":8192,""temperature"":0.2}"', 110.0),
]
GPUS = [("NVIDIA H100 80GB HBM3", 1.0), ("NVIDIA L4", 0.35), ("NVIDIA GeForce RTX 4090", 0.7)]
SUPERUSER = "bench_owner"

# Queries the fleet report needs, timed with EXPLAIN ANALYZE.
QUERIES = [
    (
        "per model+config per host: session medians",
        """SELECT model, configuration, host_id, count(*) AS sessions, sum(runs_ok) AS runs_ok,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY tokens_per_second_median) AS tps,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY ttft_seconds_median) AS ttft
           FROM chimerad.sessions GROUP BY model, configuration, host_id ORDER BY model, configuration, host_id""",
    ),
    (
        "per model+config per host: run medians (samples)",
        """SELECT s.model, s.configuration, s.host_id, count(*) AS values,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY p.value) AS tps
           FROM chimerad.sessions s JOIN chimerad.session_samples p
               USING (host_id, source_path, content_hash, session_index)
           WHERE p.metric = 'tokens_per_second'
           GROUP BY s.model, s.configuration, s.host_id""",
    ),
    (
        "latest session per host, model+config",
        """SELECT DISTINCT ON (model, configuration, host_id) model, configuration, host_id, measured_at,
               tokens_per_second_median
           FROM chimerad.sessions ORDER BY model, configuration, host_id, measured_at DESC""",
    ),
    (
        "one model+config, all hosts, last 7 days",
        """SELECT host_id, measured_at, tokens_per_second_median FROM chimerad.sessions
           WHERE model = 'llama3.1:8b' AND configuration = (SELECT configuration FROM chimerad.sessions
               WHERE model = 'llama3.1:8b' LIMIT 1) AND measured_at > now() - interval '7 days'
           ORDER BY measured_at""",
    ),
    (
        "open regressions across hosts, by GPU",
        """SELECT r.model, r.configuration, r.metric, h.gpu, count(DISTINCT r.host_id) AS hosts_regressed,
               (SELECT count(*) FROM chimerad.hosts k WHERE k.gpu IS NOT DISTINCT FROM h.gpu) AS hosts_of_kind,
               min(r.opened_at) AS since, min(r.build) AS build
           FROM chimerad.regressions r JOIN chimerad.hosts h USING (host_id)
           WHERE r.resolved_at IS NULL GROUP BY r.model, r.configuration, r.metric, h.gpu""",
    ),
    (
        "hosts by last_seen",
        "SELECT host_id, hostname, gpu, last_seen FROM chimerad.hosts ORDER BY last_seen LIMIT 50",
    ),
]


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg_binaries() -> str:
    versions = sorted((int(v) for v in os.listdir("/usr/lib/postgresql") if v.isdigit()), reverse=True)
    for version in versions:
        folder = f"/usr/lib/postgresql/{version}/bin"
        if all(os.access(f"{folder}/{tool}", os.X_OK) for tool in ("initdb", "postgres", "pg_ctl", "psql", "pg_isready")):
            return folder
    raise SystemExit("bench-fleet: PostgreSQL is not installed (no /usr/lib/postgresql/N/bin/initdb): scripts/setup-test-tools")


def cpu_ticks(pid: int, children: bool = False) -> int:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


class Postgres:
    """A server of our own in WORK/pg, stopped by stop() (idempotent)."""

    def __init__(self, work: str):
        self.bin = pg_binaries()
        self.folder = os.path.join(work, "pg")
        self.data = os.path.join(self.folder, "data")
        self.port = free_port()
        self.password = "bench-" + os.urandom(8).hex()
        self.process: subprocess.Popen | None = None
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            # initdb and postgres refuse root: the package's system user runs them.
            self.as_postgres = ["/usr/sbin/runuser", "-u", "postgres", "--"]

    def start(self) -> None:
        os.makedirs(self.folder)
        with open(os.path.join(self.folder, "pwfile"), "w") as handle:
            handle.write(self.password + "\n")
        if self.as_postgres:
            user = pwd.getpwnam("postgres")
            for path in (self.folder, os.path.join(self.folder, "pwfile")):
                os.chown(path, user.pw_uid, user.pw_gid)
            os.chmod(os.path.dirname(self.folder), 0o755)
        os.chmod(self.folder, 0o700)
        subprocess.run(
            self.as_postgres + [f"{self.bin}/initdb", "-D", self.data, "--auth=scram-sha-256", f"--username={SUPERUSER}",
                                f"--pwfile={self.folder}/pwfile", "--encoding=UTF8", "--locale=C"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.folder)
        self.log = open(os.path.join(self.folder, "server.log.out"), "w")
        self.process = subprocess.Popen(
            self.as_postgres + [f"{self.bin}/postgres", "-D", self.data, "-p", str(self.port), "-k", self.folder,
                                "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300",
                                "-c", "shared_buffers=256MB"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=self.folder, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("bench-fleet: PostgreSQL did not start; see " + self.log.name)
            ready = subprocess.run([f"{self.bin}/pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-t", "5"])
            if ready.returncode == 0:
                return
            time.sleep(0.2)
        raise SystemExit("bench-fleet: PostgreSQL did not accept connections within 120 s")

    def postmaster(self) -> int | None:
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as handle:
                return int(handle.readline())
        except (FileNotFoundError, ValueError):
            return None

    def cpu_ticks(self) -> int:
        """The postmaster's CPU, its live children's, and that of the children it reaped."""
        pid = self.postmaster()
        if pid is None:
            return 0
        return cpu_ticks(pid, children=True) + sum(cpu_ticks(child) for child in children_of(pid))

    def backends_memory(self) -> tuple[int, float]:
        """How many server processes, and their private memory on average (bytes)."""
        pid = self.postmaster()
        if pid is None:
            return 0, float("nan")
        sizes = []
        for child in children_of(pid):
            try:
                with open(f"/proc/{child}/smaps_rollup") as handle:
                    private = sum(int(line.split()[1]) for line in handle if line.startswith(("Private_Clean", "Private_Dirty")))
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                continue
            sizes.append(private * 1024)
        return len(sizes), (statistics.mean(sizes) if sizes else float("nan"))

    def url(self, database: str) -> str:
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{database}?sslmode=disable"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PGPASSWORD"] = self.password
        for key in ("PGHOST", "PGUSER", "CHIMERAD_CONFIG"):
            env.pop(key, None)
        return env

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [f"{self.bin}/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
             "-U", SUPERUSER, "-d", database, "-c", sql],
            env=self.env(), capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"psql: {result.stderr.strip()}\n{sql}")
        return result.stdout.strip()

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            subprocess.run(self.as_postgres + [f"{self.bin}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.folder)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None


class Host:
    def __init__(self, root: str, index: int, binary: str, pg: Postgres, database: str, settle_ms: int, pids_file: str):
        self.index = index
        self.host_id = f"host-{index + 1:02d}"
        self.root = os.path.join(root, self.host_id)
        self.input = os.path.join(self.root, "in")
        self.gpu, self.speed = GPUS[index % len(GPUS)]
        self.landed: dict[str, float] = {}  # source path -> wall-clock close time
        self.sequence = 0
        os.makedirs(self.input)
        with open(os.path.join(self.root, "chimerad.yaml"), "w") as handle:
            handle.write("model:\n  backend: none\n")
        self.environment_file()
        env = pg.env()
        env.pop("NOTIFY_SOCKET", None)
        env.pop("WATCHDOG_USEC", None)
        env.pop("CHIMERAD_CONFIG", None)
        self.log = open(os.path.join(self.root, "daemon.log"), "w")
        self.process = subprocess.Popen(
            [binary, "run", "--config", os.path.join(self.root, "chimerad.yaml"), "--watch", self.input,
             "--output", os.path.join(self.root, "out"), "--state", os.path.join(self.root, "state"),
             "--settle", str(settle_ms), "--model", "none", "--log-target", "console",
             "--fleet-url", pg.url(database), "--host-id", self.host_id],
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        with open(pids_file, "a") as handle:
            handle.write(f"{self.process.pid}\n")

    def environment_file(self) -> None:
        """A llama-bench result beside the run CSVs: its folder's environment (GPU, backend, build)."""
        result = [{
            "build_commit": "b4521", "build_number": 4521, "cpu_info": "AMD EPYC 9454", "gpu_info": self.gpu,
            "backends": "CUDA", "model_filename": "llama-3.1-8b-q4_k_m.gguf", "model_type": "llama 8B Q4_K - Medium",
            "model_size": 4920733696, "model_n_params": 8030261248, "n_batch": 2048, "n_ubatch": 512, "n_threads": 16,
            "type_k": "f16", "type_v": "f16", "n_gpu_layers": 99, "split_mode": "layer", "main_gpu": 0,
            "flash_attn": False, "n_prompt": 512, "n_gen": 0, "n_depth": 0, "test_time": "2026-12-01T10:00:00Z",
            "avg_ns": 100000000, "stddev_ns": 100000, "avg_ts": 5120.0 * self.speed, "stddev_ts": 5.0,
            "samples_ns": [100000000, 100100000, 99900000],
            "samples_ts": [5120.0 * self.speed, 5115.0 * self.speed, 5125.0 * self.speed],
        }]
        with open(os.path.join(self.input, "llama-bench-env.json"), "w") as handle:
            json.dump(result, handle, indent=1)

    def drop(self, rng: random.Random, runs: int, slowdown: float) -> None:
        """One session: `runs` runs of one model, written and closed; its close time kept."""
        model, options, base = MODELS[self.sequence % len(MODELS)]
        name = f"run-{self.sequence:05d}_benchmark_runs.csv"
        self.sequence += 1
        now = time.time()
        lines = [HEADER]
        for run in range(runs):
            stamp = datetime.fromtimestamp(now - (runs - run), timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
            tps = base * self.speed * slowdown * rng.gauss(1.0, 0.02)
            ttft = 0.05 / self.speed * rng.gauss(1.0, 0.03)
            lines.append(f"{stamp},{model},{run},prompt {run},{ttft:.4f},{tps:.3f},0.0,0.02,0.5,20,48,150,,{options}\n")
        path = os.path.join(self.input, name)
        with open(path, "w") as handle:
            handle.write("".join(lines))
        self.landed[name] = time.time()

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            return None


def explain_ms(pg: Postgres, database: str, sql: str, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        plan = json.loads(pg.psql("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, database))
        times.append(plan[0]["Planning Time"] + plan[0]["Execution Time"])
    return statistics.median(times)


def fleet_report_available(binary: str) -> bool:
    result = subprocess.run([binary, "report", "--help"], capture_output=True, text=True)
    return re.search(r"--fleet(?![-\w])", result.stdout + result.stderr) is not None


def time_fleet_report(binary: str, pg: Postgres, database: str, work: str, repeats: int = 3) -> tuple[float | None, str]:
    times = []
    for attempt in range(repeats):
        out = os.path.join(work, f"fleet-report-{attempt}")
        state = os.path.join(work, f"fleet-report-state-{attempt}")
        began = time.monotonic()
        result = subprocess.run(
            [binary, "report", "--fleet", "--fleet-url", pg.url(database), "--output", out, "--state", state, "--model", "none"],
            env=pg.env(), capture_output=True, text=True, timeout=600)
        elapsed = time.monotonic() - began
        if result.returncode != 0:
            return None, f"exit {result.returncode}: {result.stderr.strip()[-400:]}"
        times.append(elapsed)
    return statistics.median(times), ""


def run_count(args, binary: str, pg: Postgres, work: str, count: int, pids_file: str, fleet_report: bool) -> dict:
    database = f"fleet_{count}"
    pg.psql(f"CREATE DATABASE {database}")
    migrate = subprocess.run([binary, "fleet", "migrate", "--fleet-url", pg.url(database)], env=pg.env(), capture_output=True, text=True)
    if migrate.returncode != 0:
        raise SystemExit(f"bench-fleet: chimerad fleet migrate failed: {migrate.stdout}{migrate.stderr}")
    root = os.path.join(work, f"hosts-{count}")
    rng = random.Random(count)
    log(f"{count} hosts: starting {count} daemons")
    hosts = [Host(root, index, binary, pg, database, args.settle_ms, pids_file) for index in range(count)]
    result: dict = {"hosts": count}
    try:
        # Every host up and publishing: its first report's batch wrote its hosts row.
        deadline = time.monotonic() + 300
        while True:
            for host in hosts:
                if host.process.poll() is not None:
                    raise SystemExit(f"bench-fleet: {host.host_id}'s daemon exited ({host.process.returncode}); see {host.log.name}")
            up = int(pg.psql("SELECT count(*) FROM chimerad.hosts", database))
            if up == count:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"bench-fleet: only {up} of {count} hosts published within 300 s")
            time.sleep(0.5)
        log(f"{count} hosts: all published their first report; dropping a session per host every {args.interval} s for {args.seconds} s")
        time.sleep(1.0)
        daemon_ticks0 = sum(cpu_ticks(h.process.pid) for h in hosts)
        pg_ticks0 = pg.cpu_ticks()
        window_start = time.time()
        began = time.monotonic()
        # Host i drops at began + i * interval / N + k * interval.
        schedule = [(began + i * args.interval / count, host) for i, host in enumerate(hosts)]
        dropped = 0
        last_progress = began
        while True:
            schedule.sort(key=lambda entry: entry[0])
            due, host = schedule[0]
            if due - began >= args.seconds:
                break
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            halfway = (due - began) >= args.seconds / 2
            slowdown = 0.85 if (args.regression and halfway and host.index % len(GPUS) == 0) else 1.0
            host.drop(rng, args.runs, slowdown)
            dropped += 1
            schedule[0] = (due + args.interval, host)
            if time.monotonic() - last_progress >= 30:
                last_progress = time.monotonic()
                published = pg.psql(f"SELECT count(*) FROM chimerad.sessions WHERE published_at >= to_timestamp({window_start})", database)
                log(f"{count} hosts: {time.monotonic() - began:.0f} s, {dropped} files dropped, {published} sessions published")
        window_end = window_start + (time.monotonic() - began)
        daemon_ticks1 = sum(cpu_ticks(h.process.pid) for h in hosts)
        pg_ticks1 = pg.cpu_ticks()
        result["pg_processes"], result["pg_private_bytes"] = pg.backends_memory()
        window = window_end - window_start
        tick = os.sysconf("SC_CLK_TCK")
        result.update(
            window=window, dropped=dropped, offered=dropped / window,
            daemon_cores=(daemon_ticks1 - daemon_ticks0) / tick / window, pg_cores=(pg_ticks1 - pg_ticks0) / tick / window)
        in_window = int(pg.psql(
            f"SELECT count(*) FROM chimerad.sessions WHERE published_at >= to_timestamp({window_start}) "
            f"AND published_at < to_timestamp({window_end})", database))
        result["sustained"] = in_window / window
        # Drain: every dropped file's session in PostgreSQL.
        wanted = {(h.host_id, name) for h in hosts for name in h.landed}
        drain_began = time.monotonic()
        rows: list[tuple[str, str, float]] = []
        while True:
            text = pg.psql("SELECT host_id, source_path, extract(epoch FROM published_at) FROM chimerad.sessions "
                           "WHERE source_path LIKE 'run-%'", database)
            rows = [(a, b, float(c)) for a, b, c in (line.split("|") for line in text.splitlines() if line)]
            have = {(a, b) for a, b, _ in rows}
            if wanted <= have or time.monotonic() - drain_began > args.drain_seconds:
                break
            time.sleep(0.5)
        result["drain"] = time.monotonic() - drain_began
        have = {}
        duplicates = 0
        for host_id, path, published in rows:
            if (host_id, path) in have:
                duplicates += 1
            have[(host_id, path)] = published
        by_host = {h.host_id: h for h in hosts}
        latencies = [have[(h, p)] - by_host[h].landed[p] for (h, p) in wanted if (h, p) in have]
        missing = sorted(wanted - set(have))
        result.update(
            p50=percentile(latencies, 0.5), p99=percentile(latencies, 0.99), max=max(latencies) if latencies else float("nan"),
            duplicates=duplicates, missing=len(missing),
            missing_hosts=sorted({h for h, _ in missing}))
        result["errors"] = 0
        for host in hosts:
            host.log.flush()
            with open(host.log.name, errors="replace") as handle:
                result["errors"] += sum(1 for line in handle if "fleet publication failed" in line)
        result["regressions_open"] = int(pg.psql("SELECT count(*) FROM chimerad.regressions WHERE resolved_at IS NULL", database))
        result["regression_hosts"] = int(pg.psql("SELECT count(DISTINCT host_id) FROM chimerad.regressions", database))
    finally:
        statuses = [host.stop() for host in hosts]
        for host in hosts:
            host.log.close()
        result["bad_exits"] = sum(1 for status in statuses if status != 0)
    # The tables as the daemons left them (all stopped): sizes, the fleet report, the queries.
    pg.psql("VACUUM ANALYZE", database)
    for table in ("sessions", "session_samples", "regressions", "reports", "hosts"):
        result[f"rows_{table}"] = int(pg.psql(f"SELECT count(*) FROM chimerad.{table}", database))
        result[f"bytes_{table}"] = int(pg.psql(f"SELECT pg_total_relation_size('chimerad.{table}')", database))
    if fleet_report:
        seconds, error = time_fleet_report(binary, pg, database, os.path.join(work, f"fleet-report-{count}"))
        result["fleet_report"] = seconds
        result["fleet_report_error"] = error
    result["queries"] = [(label, explain_ms(pg, database, sql)) for label, sql in QUERIES]
    shutil.rmtree(root, ignore_errors=True)
    return result


def run_scaled(args, pg: Postgres, sessions_per_host: int, hosts: int, binary: str, work: str, fleet_report: bool) -> dict:
    """Synthetic tables shaped like the daemons' rows (same keys and widths, 20 runs a
    session, two models, three GPUs), `hosts` hosts of `sessions_per_host` sessions each
    spread over 30 days: the fleet report's queries at a size the daemons here cannot reach."""
    database = "fleet_scaled"
    pg.psql(f"CREATE DATABASE {database}")
    subprocess.run([binary, "fleet", "migrate", "--fleet-url", pg.url(database)], env=pg.env(), capture_output=True, check=True)
    result: dict = {"hosts": hosts, "sessions_per_host": sessions_per_host}
    log(f"scaled: inserting {hosts} hosts x {sessions_per_host} sessions with {2 * args.runs} samples each")
    began = time.monotonic()
    gpus = ", ".join("'" + gpu + "'" for gpu, _ in GPUS)
    pg.psql(f"""INSERT INTO chimerad.hosts (host_id, hostname, gpu, driver, backend, build, chimerad_version, last_seen)
        SELECT format('host-%s', lpad(h::text, 4, '0')), format('bench-%s', h), (ARRAY[{gpus}])[1 + h % 3], '550.54', 'CUDA', 'b4521',
            '0.0.0', now() - (h % 97) * interval '1 minute'
        FROM generate_series(1, {hosts}) h""", database)
    pg.psql(f"""INSERT INTO chimerad.sessions (host_id, source_path, content_hash, session_index, model, configuration, gpu, driver,
            backend, build, started_at, measured_at, runs_ok, runs_failed, tokens_per_second_median, tokens_per_second_p25,
            tokens_per_second_p75, tokens_per_second_n, ttft_seconds_median, ttft_seconds_p25, ttft_seconds_p75, ttft_seconds_n,
            published_at)
        SELECT format('host-%s', lpad(h::text, 4, '0')), format('run-%s_benchmark_runs.csv', lpad(k::text, 5, '0')),
            md5(h::text || '/' || k::text) || md5(k::text || '/' || h::text), 0,
            (ARRAY['llama3.1:8b', 'qwen2.5:7b'])[1 + k % 2],
            (ARRAY['{{"num_ctx":"4096","temperature":"0.2"}}', '{{"num_ctx":"8192","temperature":"0.2"}}'])[1 + k % 2],
            (ARRAY[{gpus}])[1 + h % 3], '550.54', 'CUDA', 'b4521',
            t - interval '20 seconds', t, {args.runs}, 0, 100 + random() * 5, 98, 102, {args.runs}, 0.05, 0.049, 0.051, {args.runs}, t
        FROM generate_series(1, {hosts}) h, generate_series(0, {sessions_per_host} - 1) k,
            LATERAL (SELECT now() - interval '30 days' * (1 - k::double precision / {sessions_per_host}) AS t) m""", database)
    pg.psql(f"""INSERT INTO chimerad.session_samples (host_id, source_path, content_hash, session_index, metric, ordinal, value)
        SELECT s.host_id, s.source_path, s.content_hash, 0, m.metric, o, s.tokens_per_second_median * (0.95 + random() * 0.1)
        FROM chimerad.sessions s, (VALUES ('tokens_per_second'), ('ttft_seconds')) m(metric), generate_series(0, {args.runs} - 1) o""",
            database)
    pg.psql(f"""INSERT INTO chimerad.regressions (host_id, local_id, model, configuration, metric, opened_at, change_percent, p_value,
            q_value, baseline_median, baseline_n, current_median, current_n, build)
        SELECT host_id, 1, 'llama3.1:8b', '{{"num_ctx":"4096","temperature":"0.2"}}', 'tokens_per_second', now() - interval '1 day',
            -15, 0.0001, 0.001, 100, 200, 85, 20, 'b4521'
        FROM chimerad.hosts WHERE gpu = '{GPUS[0][0]}'""", database)
    pg.psql("VACUUM ANALYZE", database)
    result["load_seconds"] = time.monotonic() - began
    for table in ("sessions", "session_samples"):
        result[f"rows_{table}"] = int(pg.psql(f"SELECT count(*) FROM chimerad.{table}", database))
        result[f"bytes_{table}"] = int(pg.psql(f"SELECT pg_total_relation_size('chimerad.{table}')", database))
    log("scaled: timing the queries")
    result["queries"] = [(label, explain_ms(pg, database, sql, repeats=3)) for label, sql in QUERIES]
    # A summary the fleet report could read instead: one row per model, configuration, host and day.
    began = time.monotonic()
    pg.psql("""CREATE MATERIALIZED VIEW chimerad.bench_daily AS
        SELECT model, configuration, host_id, date_trunc('day', measured_at) AS day, count(*) AS sessions, sum(runs_ok) AS runs_ok,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY tokens_per_second_median) AS tps_median
        FROM chimerad.sessions GROUP BY 1, 2, 3, 4""", database)
    result["summary_build_seconds"] = time.monotonic() - began
    result["summary_rows"] = int(pg.psql("SELECT count(*) FROM chimerad.bench_daily", database))
    result["summary_query_ms"] = explain_ms(pg, database, """SELECT model, configuration, host_id, sum(sessions), sum(runs_ok),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY tps_median) FROM chimerad.bench_daily
        WHERE day > now() - interval '30 days' GROUP BY 1, 2, 3""", repeats=3)
    if fleet_report:
        pg.psql("DROP MATERIALIZED VIEW chimerad.bench_daily", database)
        seconds, error = time_fleet_report(binary, pg, database, os.path.join(work, "fleet-report-scaled"), repeats=1)
        result["fleet_report"] = seconds
        result["fleet_report_error"] = error
    pg.psql(f"DROP DATABASE {database}")
    return result


def print_scaled(r: dict, fleet_report: bool) -> None:
    print()
    print(f"synthetic fleet: {r['hosts']} hosts x {r['sessions_per_host']} sessions over 30 days "
          f"({r['rows_sessions']} sessions, {r['rows_session_samples']} samples; loaded in {r['load_seconds']:.0f} s)")
    print(f"  size: sessions {r['bytes_sessions'] / 1e6:.0f} MB, session_samples {r['bytes_session_samples'] / 1e6:.0f} MB, "
          f"{(r['bytes_sessions'] + r['bytes_session_samples']) / r['rows_sessions']:.0f} bytes per session")
    for label, ms in r["queries"]:
        print(f"  {label:52} {ms:10.1f} ms")
    print(f"  {'daily summary (materialized view): build':52} {r['summary_build_seconds'] * 1000:10.1f} ms ({r['summary_rows']} rows)")
    print(f"  {'per model+config per host from the summary':52} {r['summary_query_ms']:10.1f} ms")
    if fleet_report:
        value = f"{r['fleet_report']:.2f} s" if r.get("fleet_report") is not None else "failed: " + r.get("fleet_report_error", "")
        print(f"  {'fleet report':52} {value}")


def fmt(value: float, digits: int = 2) -> str:
    return "n/a" if value != value else f"{value:.{digits}f}"


def print_table(results: list[dict], args, fleet_report: bool) -> None:
    print()
    print(f"chimerad fleet benchmark: {os.cpu_count()} cores; one session (one file of {args.runs} runs) per host every "
          f"{args.interval:g} s for {args.seconds:g} s; settle {args.settle_ms} ms")
    columns = [str(r["hosts"]) + " hosts" for r in results]
    width = max(12, *(len(c) for c in columns))

    def row(label: str, values: list[str]) -> None:
        print(f"  {label:52}" + "".join(f"{v:>{width + 2}}" for v in values))

    row("", columns)
    row("sessions offered (files/s)", [fmt(r["offered"]) for r in results])
    row("sessions/s sustained into PostgreSQL", [fmt(r["sustained"]) for r in results])
    row("publish latency p50 (s)", [fmt(r["p50"]) for r in results])
    row("publish latency p99 (s)", [fmt(r["p99"]) for r in results])
    row("publish latency max (s)", [fmt(r["max"]) for r in results])
    row("drain after the window (s)", [fmt(r["drain"], 1) for r in results])
    row("daemons' CPU (cores, all hosts)", [fmt(r["daemon_cores"]) for r in results])
    row("PostgreSQL's CPU (cores)", [fmt(r["pg_cores"]) for r in results])
    row("PostgreSQL processes, private MB each (avg)", [
        f"{r['pg_processes']}, {fmt(r['pg_private_bytes'] / 1e6, 1)}" for r in results])
    row("missing / duplicate sessions", [f"{r['missing']} / {r['duplicates']}" for r in results])
    row("publication errors logged", [str(r["errors"]) for r in results])
    row("daemons not exiting 0 on SIGTERM", [str(r["bad_exits"]) for r in results])
    row("regressions open (hosts)", [f"{r['regressions_open']} ({r['regression_hosts']})" for r in results])
    row("rows: sessions", [str(r["rows_sessions"]) for r in results])
    row("rows: session_samples", [str(r["rows_session_samples"]) for r in results])
    row("size: sessions + indexes (MB)", [fmt(r["bytes_sessions"] / 1e6) for r in results])
    row("size: session_samples + indexes (MB)", [fmt(r["bytes_session_samples"] / 1e6) for r in results])
    row("bytes per session, samples included", [
        fmt((r["bytes_sessions"] + r["bytes_session_samples"]) / max(r["rows_sessions"], 1), 0) for r in results])
    if fleet_report:
        row("fleet report (s, median of 3)", [
            fmt(r["fleet_report"]) if r.get("fleet_report") is not None else "failed" for r in results])
    else:
        print("  fleet report: not available in this build")
    print("  queries (EXPLAIN ANALYZE, planning + execution, ms, median of 5):")
    for index, (label, _) in enumerate(results[0]["queries"]):
        row("  " + label, [fmt(r["queries"][index][1]) for r in results])
    for r in results:
        if r.get("fleet_report_error"):
            print(f"  fleet report at {r['hosts']} hosts failed: {r['fleet_report_error']}")
        if r["missing_hosts"]:
            print(f"  {r['hosts']} hosts: sessions missing after the drain on {', '.join(r['missing_hosts'][:10])}")
    print("  latency: a file's close to its session row's published_at (the start of the PostgreSQL transaction"
          " that inserted it): settle window, ingest, local report, outbox, publisher wake-up and batch")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("work")
    parser.add_argument("--hosts", default="5,50")
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--interval", type=float, default=5)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--settle-ms", type=int, default=300)
    parser.add_argument("--drain-seconds", type=float, default=180)
    parser.add_argument("--no-regression", dest="regression", action="store_false")
    parser.add_argument("--no-fail", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--scale-hosts", type=int, default=0, help="then synthetic tables of this many hosts (0: none)")
    parser.add_argument("--scale-sessions", type=int, default=100, help="sessions per synthetic host, over 30 days")
    args = parser.parse_args()
    counts = [int(c) for c in args.hosts.split(",") if c.strip()]
    if not counts or min(counts) < 1:
        parser.error("--hosts takes a comma-separated list of positive counts")
    pids_file = os.path.join(args.work, "pids")
    pg = Postgres(args.work)

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    # SIGINT too: a shell without job control starts a background job with it ignored.
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    results = []
    try:
        log(f"starting PostgreSQL on 127.0.0.1:{pg.port}")
        pg.start()
        fleet_report = fleet_report_available(args.binary)
        if not fleet_report:
            log("fleet report: not available in this build (chimerad report --help has no --fleet)")
        for count in counts:
            results.append(run_count(args, args.binary, pg, args.work, count, pids_file, fleet_report))
            r = results[-1]
            log(f"{count} hosts: {r['sustained']:.2f} sessions/s, p50 {r['p50']:.2f} s, p99 {r['p99']:.2f} s")
        scaled = None
        if args.scale_hosts > 0:
            scaled = run_scaled(args, pg, args.scale_sessions, args.scale_hosts, args.binary, args.work, fleet_report)
        print_table(results, args, fleet_report)
        if scaled:
            print_scaled(scaled, fleet_report)
        if args.json:
            with open(args.json, "w") as handle:
                json.dump({"args": vars(args), "results": results, "scaled": scaled}, handle, indent=1, default=str)
        return 0
    except KeyboardInterrupt:
        log("interrupted: stopping the daemons and PostgreSQL")
        return 130
    finally:
        pg.stop()


if __name__ == "__main__":
    sys.exit(main())
