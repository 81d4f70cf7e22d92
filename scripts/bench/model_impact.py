"""How much chimerad's managed model slows the benchmarks beside it; see scripts/bench-model-impact."""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time


def benchmark(cores, megabytes):
    """Wall seconds of `cores` sha256sum streams over `megabytes` of zeros each, side by side."""
    started = time.monotonic()
    streams = [
        subprocess.Popen(f"head -c {megabytes}M /dev/zero | sha256sum > /dev/null", shell=True) for _ in range(cores)
    ]
    for stream in streams:
        stream.wait()
    return time.monotonic() - started


class Daemon:
    """`chimerad run --model managed` over a watch folder that receives a result file every `interval` s."""

    def __init__(self, binary, examples, work, venv, priority):
        self.work = work
        self.watch = os.path.join(work, "watch")
        self.output = os.path.join(work, "out")
        os.makedirs(self.watch)
        self.sources = sorted(
            os.path.join(root, name) for root, _, names in os.walk(examples) for name in names if name.endswith((".csv", ".json")))
        config = os.path.join(work, "impact.yaml")
        with open(config, "w") as handle:
            handle.write(f"model:\n  priority: {priority}\n  timeout_seconds: 60\n  options:\n    seed: 1\n"
                         "report:\n  min_interval_ms: 0\nwatch:\n  settle_ms: 300\n")
        self.log = open(os.path.join(work, "daemon.log"), "w")
        self.process = subprocess.Popen(
            [binary, "run", "--config", config, "--watch", self.watch, "--output", self.output, "--state",
             os.path.join(work, "state"), "--model", "managed", "--log-target", "console"],
            stdout=self.log, stderr=self.log, env=dict(os.environ, CHIMERAD_VENV=venv))
        self.landed = 0

    def reports(self):
        if not os.path.isdir(self.output):
            return 0
        return sum(1 for name in os.listdir(self.output) if name.startswith("chimera-report-") and name.endswith(".json"))

    def land(self):
        """Copies the next example file into the watch folder under a new name."""
        source = self.sources[self.landed % len(self.sources)]
        stem, extension = os.path.splitext(os.path.basename(source))
        shutil.copy(source, os.path.join(self.watch, f"{stem}-{self.landed}{extension}"))
        self.landed += 1

    def cpu_seconds(self):
        """CPU time of the daemon and its children (the managed llama-server) so far."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # fields[1] is the parent pid; fields[11] and [12] utime and stime.
            if int(entry) == self.process.pid or int(fields[1]) == self.process.pid:
                total += (int(fields[11]) + int(fields[12])) / ticks
        return total

    def wait_quiet(self, limit=180):
        """Until the daemon and its model have used no CPU for a second: no
        narrative left over from the last timing runs into the next "alone"."""
        deadline = time.monotonic() + limit
        last = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(1)
            now = self.cpu_seconds()
            if now - last < 0.02:
                return
            last = now

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


def beside(daemon, cores, megabytes, interval):
    """The benchmark while files land in the daemon's folder every `interval` s."""
    started = time.monotonic()
    streams = [
        subprocess.Popen(f"head -c {megabytes}M /dev/zero | sha256sum > /dev/null", shell=True) for _ in range(cores)
    ]
    next_landing = started
    while any(s.poll() is None for s in streams):
        if time.monotonic() >= next_landing:
            daemon.land()
            next_landing += interval
        time.sleep(0.02)
    return time.monotonic() - started


def measure(binary, examples, venv, priority, pairs, cores, megabytes, interval):
    work = tempfile.mkdtemp(prefix=f"chimerad-impact-{priority}-")
    daemon = Daemon(binary, examples, work, venv, priority)
    try:
        # The startup report (and the model's load) first, on an otherwise idle machine.
        deadline = time.time() + 300
        while daemon.reports() == 0:
            if time.time() > deadline or daemon.process.poll() is not None:
                raise SystemExit(f"bench-model-impact: no startup report; see {work}/daemon.log")
            time.sleep(0.1)
        daemon.wait_quiet()
        alone, together = [], []
        for pair in range(pairs):
            # Alternating, so a drift of the machine's speed falls on both sides alike.
            first_alone = pair % 2 == 0
            for side in ((0, 1) if first_alone else (1, 0)):
                if side == 0:
                    alone.append(benchmark(cores, megabytes))
                else:
                    together.append(beside(daemon, cores, megabytes, interval))
                # Let the reports the landings started, and their narratives, finish first.
                daemon.wait_quiet()
        reports = daemon.reports()
    finally:
        daemon.stop()
    # Reports whose model call produced a reply (in time), and those whose
    # narrative kept at least one sentence after the checks.
    answered, narratives = 0, 0
    for name in os.listdir(daemon.output):
        if name.startswith("chimera-report-") and name.endswith(".json"):
            with open(os.path.join(daemon.output, name)) as handle:
                report = json.load(handle)
            answered += ((report.get("model_call") or {}).get("tokens_generated") or 0) > 0
            narratives += ((report.get("narrative") or {}).get("sentences_kept") or 0) > 0
    shutil.rmtree(work, ignore_errors=True)
    return alone, together, reports, (answered, narratives)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("examples")
    parser.add_argument("--venv", required=True)
    parser.add_argument("--pairs", type=int, default=6)
    parser.add_argument("--megabytes", type=int, default=1500)
    parser.add_argument("--interval", type=float, default=3.0)
    parser.add_argument("--priorities", default="idle,normal")
    parser.add_argument("--goal", type=float, default=10.0, help="largest slowdown in %% that passes (idle priority)")
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count() or 2
    print(f"benchmark: {cores} sha256sum streams of {args.megabytes} MB each, {args.pairs} alternating pairs per priority; "
          f"a result file lands every {args.interval:g} s beside it")
    failed = False
    for priority in args.priorities.split(","):
        alone, together, reports, narratives = measure(
            args.binary, args.examples, args.venv, priority, args.pairs, cores, args.megabytes, args.interval)
        slowdown = (statistics.median(together) / statistics.median(alone) - 1) * 100
        print(f"model.priority={priority}: alone median {statistics.median(alone):.2f} s "
              f"({', '.join(f'{t:.2f}' for t in alone)}); beside chimerad median {statistics.median(together):.2f} s "
              f"({', '.join(f'{t:.2f}' for t in together)}); slowdown {slowdown:+.1f}%; "
              f"{reports} reports written, {narratives[0]} with a model reply, {narratives[1]} with a narrative kept")
        if priority == "idle" and slowdown > args.goal:
            failed = True
            print(f"  FAIL: above the {args.goal:g}% this machine must stay within (the goal is 3%)")
    if failed and not args.no_fail:
        sys.exit(1)


if __name__ == "__main__":
    main()
