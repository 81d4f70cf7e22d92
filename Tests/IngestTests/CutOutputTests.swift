import Records
import Testing

@testable import Ingest

/// A tool's output piped to a file (`./bench | tee bench.txt`) lands in the
/// pipe's blocks, cut anywhere and minutes apart, and a report may read it
/// in between: a last line with no line end is left out with a note, where
/// it gave a rate a million times too small, a throughput of 2 t/s and
/// events named `m` and `task-c`. A file whose last line end was stripped
/// keeps a last line a tool ends its output with.
@Suite struct CutOutputTests {
    private func extract(_ text: String, _ name: String) throws -> Extraction { try ParsedText.extract(text, name) }

    private let googleBenchmark = """
        2026-11-16T02:00:00+00:00
        ------------------------------------------------------------------------------------
        Benchmark                          Time             CPU   Iterations UserCounters...
        ------------------------------------------------------------------------------------
        BM_Sort/4096               180210 ns       180007 ns         3890 items_per_second=22.7547M/s
        BM_Sort/16384              873079 ns       748759 ns           94 items_per_second=21.8815M/s

        """

    /// llama-bench's table as it prints it (`-o md`, and above its `build:` line by default).
    private let table = """
        | model                  |       size |     params | backend    | threads |        test |              t/s |
        | ------------------------------ | ---------: | ---------: | ---------- | ------: | --------------: | -------------------: |
        | llama 256M Q4_1            |  92.10 MiB |   134.52 M | CPU        |       1 |           tg16 |         41.27 ± 0.80 |

        """

    @Test("a Google Benchmark row cut inside its counter is left out until its line ends")
    func googleBenchmarkRowCutInsideItsCounter() throws {
        let cut = String(googleBenchmark.dropLast(4))  // `...=21.8815` of `21.8815M/s\n\n`
        let e = try extract(cut, "bench.txt")
        #expect(e.measurements.map(\.name).contains("BM_Sort/4096") && !e.measurements.contains { $0.name.hasPrefix("BM_Sort/16384") })
        #expect(e.notes.first == "the last line (6) has no line end (output still being written, or cut off): left out, and read once it is ended")
        // The whole file: every row, and no note of a cut.
        let whole = try extract(googleBenchmark, "bench.txt")
        #expect(whole.measurements.contains { $0.name.hasPrefix("BM_Sort/16384") } && !whole.notes.contains { $0.contains("no line end") })
    }

    @Test("a llama-bench Markdown row cut inside a cell is left out; a note's last line without a line end is kept")
    func markdownRowCutInsideACell() throws {
        let cut = table + "| llama 256M Q4_1                |  92.10 MiB |   134.52 M | CPU        |       1 |           pp16 |         2"
        let e = try extract(cut, "lb.md")
        #expect(e.llamaBench.map(\.test) == ["tg16"], "\(e.llamaBench.map(\.test))")
        #expect(e.notes.first?.hasPrefix("the last line (4) has no line end") == true, "\(e.notes)")
        // Closed just after a cell: fewer cells than the row above, cut.
        let early = try extract(table + "| llama 256M Q4_1 |  92.10 MiB |   134.52 M | CPU |       1 |           pp16 |", "lb.md")
        #expect(early.llamaBench.map(\.test) == ["tg16"] && early.notes.first?.hasPrefix("the last line (4) has no line end") == true)
        // A hand-written note ending in a whole row without a line end: read whole, no note.
        let note = "| model | t/s |\n| --- | --- |\n| a | 41.2 |\n| b | 39.9 |"
        let kept = try extract(note, "notes.md")
        #expect(!kept.notes.contains { $0.contains("no line end") }, "\(kept.notes)")
    }

    @Test("perf stat's report cut inside an event makes no event of the cut; its -x lines keep the whole ones")
    func perfStatCutInsideAnEvent() throws {
        let report = """
             Performance counter stats for 'sleep 0.01' (3 runs):

                          0.79 msec task-clock                       #    0.056 CPUs utilized            ( +-  1.48% )
                             1      context-switches                 #    1.266 K/sec                    ( +- 50.00% )

            """
        let e = try extract(report + "                74      page-", "perf.txt")
        #expect(e.measurements.map(\.name) == ["task-clock", "context-switches"], "\(e.measurements.map(\.name))")
        #expect(e.notes.first?.hasPrefix("the last line (5) has no line end") == true, "\(e.notes)")
        // `-x,`: the events before a cut line are read, where the file held none.
        let csv =
            "# started on Fri Dec  4 11:54:43 2026\n\n0.81,msec,task-clock,1.48%,812345,100.00,0.056,CPUs utilized\n1,,context-switches,50.00%,812345,100.00,1.266,K/sec\n0,,cpu-m"
        let x = try extract(csv, "perfx.csv")
        #expect(x.shape == .perfStat && x.measurements.map(\.name) == ["task-clock", "context-switches"], "\(x.measurements.map(\.name))")
        #expect(x.notes.first?.hasPrefix("the last line (5) has no line end") == true, "\(x.notes)")
        // Under a text name the same; and whole but stripped of its line end, every event.
        #expect(try extract(csv, "perfx.txt").measurements.map(\.name) == ["task-clock", "context-switches"])
        let stripped = try extract(String(csv.dropLast(9)), "perfx.txt")
        #expect(stripped.measurements.map(\.name) == ["task-clock", "context-switches"] && stripped.notes.allSatisfy { !$0.contains("no line end") })
    }

    @Test("output saved with its last line end stripped keeps the line a tool ends with")
    func strippedOutputKeepsItsLastLine() throws {
        let llamaBench = table + "\nbuild: 8e672efe (4153)"
        let e = try extract(llamaBench, "bench.txt")
        #expect(e.llamaBench.first?.environment.contains(Parameter("build_commit", "8e672efe")) == true)
        #expect(!e.notes.contains { $0.contains("no line end") }, "\(e.notes)")
        let time = "\tCommand being timed: \"make -j2\"\n\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:03.07\n\tExit status: 0"
        let timed = try extract(time, "time.txt")
        #expect(timed.measurements.first?.mean == 3.07 && !timed.notes.contains { $0.contains("no line end") }, "\(timed.measurements)")
        // `time -p`, whose run is whole only at its `sys` line.
        let posix = try extract("+ time -p make -j2\nreal 3.07\nuser 2.71\nsys 0.31", "build.log")
        #expect(posix.measurements.first?.mean == 3.07 && !posix.notes.contains { $0.contains("no line end") }, "\(posix.measurements)")
        // Cut inside the `sys` figure (`sys 31` of `sys 312.88`), or inside the build: it waits.
        for cut in ["+ time -p make -j2\nreal 212.67\nuser 2831.12\nsys 31", "+ time make -j2\nreal\t3m32.671s\nuser\t47m11.120s\nsys\t5"] {
            #expect(ParsedText.skipReason(cut, "build.log")?.contains("has no line end") == true, "\(cut)")
        }
        let cutBuild = llamaBench.replacingOccurrences(of: "build: 8e672efe (4153)", with: "build: 8e67")
        let waiting = try extract(cutBuild, "bench.txt")
        #expect(
            waiting.llamaBench.first?.environment.contains { $0.name == "build_commit" } != true, "\(waiting.llamaBench.first?.environment ?? [])")
        #expect(waiting.notes.first?.hasPrefix("the last line (5) has no line end") == true, "\(waiting.notes)")
        // fish's block, whole at its `sys time` line.
        let fish =
            "________________________________________________________\nExecuted in    3.07 secs    fish           external\n   usr time    2.71 secs    0.00 micros    2.71 secs\n   sys time    0.31 secs    0.00 micros    0.31 secs"
        #expect(try !extract(fish, "fish.txt").notes.contains { $0.contains("no line end") })
        // hyperfine's one run, and its warning that the command failed.
        let once = "Benchmark 1: sleep 1\n  Time (abs ≡):        1.002 s               [User: 0.001 s, System: 0.001 s]"
        #expect(try extract(once, "hf.txt").measurements.first?.mean == 1.002)
        let failing = once.replacingOccurrences(of: "sleep 1", with: "false") + "\n \n  Warning: Ignoring non-zero exit code."
        #expect(try extract(failing, "hf.txt").measurements.first?.failure != nil)
        // A closed table row: llama-batched-bench's last case.
        let batched = """
            main: n_kv_max = 4096, n_batch = 2048, n_ubatch = 512, flash_attn = 0, is_pp_shared = 0, n_gpu_layers = 0, n_threads = 2, n_threads_batch = 2

            |    PP |     TG |    B |   N_KV |   T_PP s | S_PP t/s |   T_TG s | S_TG t/s |      T s |    S t/s |
            |-------|--------|------|--------|----------|----------|----------|----------|----------|----------|
            |   128 |     32 |    1 |    160 |    0.512 |   250.00 |    0.800 |    40.00 |    1.312 |   121.95 |
            |   128 |     32 |    2 |    320 |    1.024 |   250.00 |    1.000 |    64.00 |    2.024 |   158.10 |
            """
        #expect(try extract(batched, "batched.txt").measurements.filter { $0.name.contains("decode") || $0.unit == "t/s" }.count >= 2)
    }

    @Test("a cut is found in the file as written: in a compose log, and when nothing came before it")
    func cutsInComposeLogsAndAlone() throws {
        // A tool's JSON a container printed is read as before.
        let json = #"{"results": [{"command": "sleep 0.1", "mean": 0.1, "stddev": 0.0, "median": 0.1, "min": 0.1, "max": 0.1, "times": [0.1]}]}"#
        let composed =
            String(json.split(separator: ", ").map { "bench-1  | \($0)," }.joined(separator: "\n").dropLast()) + "\nbench-1 exited with code 0\n"
        let e = try extract(composed, "bench.log")
        #expect(e.shape == .hyperfine && e.measurements.first?.name == "sleep 0.1", "\(e.shape)")
        // Only a cut line: the reason says it was left out.
        let reason = ParsedText.skipReason("BM_Sort/16384              873079 ns       748759 ns           94 items_per_second=21.88", "bench.txt")
        #expect(reason?.hasSuffix("its last line (1) has no line end and is left out until it is ended)") == false, "one line is kept whole")
        let header = "------------------------------------------------------------------------------------\nBenchmark   Time   CPU   Iterations\n"
        let alone = ParsedText.skipReason(
            header + "BM_Sort/16384              873079 ns       748759 ns           94 items_per_second=21.88", "b.txt")
        #expect(alone?.hasSuffix("its last line (3) has no line end and is left out until it is ended)") == true, "\(alone ?? "read")")
    }
}
