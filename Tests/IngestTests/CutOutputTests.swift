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
        let table = """
            | model                          |       size |     params | backend    | threads |            test |                  t/s |
            | ------------------------------ | ---------: | ---------: | ---------- | ------: | --------------: | -------------------: |
            | llama 256M Q4_1                |  92.10 MiB |   134.52 M | CPU        |       1 |           tg16 |         41.27 ± 0.80 |

            """
        let cut = table + "| llama 256M Q4_1                |  92.10 MiB |   134.52 M | CPU        |       1 |           pp16 |         2"
        let e = try extract(cut, "lb.md")
        #expect(e.llamaBench.map(\.test) == ["tg16"], "\(e.llamaBench.map(\.test))")
        #expect(e.notes.first?.hasPrefix("the last line (4) has no line end") == true, "\(e.notes)")
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
    }

    @Test("output saved with its last line end stripped keeps the line a tool ends with")
    func strippedOutputKeepsItsLastLine() throws {
        let llamaBench = """
            | model                          |       size |     params | backend    | threads |            test |                  t/s |
            | ------------------------------ | ---------: | ---------: | ---------- | ------: | --------------: | -------------------: |
            | llama 256M Q4_1                |  92.10 MiB |   134.52 M | CPU        |       1 |           tg16 |         41.27 ± 0.80 |

            build: 8e672efe (4153)
            """
        let e = try extract(llamaBench, "bench.txt")
        #expect(e.llamaBench.first?.environment.contains(Parameter("build_commit", "8e672efe")) == true)
        #expect(!e.notes.contains { $0.contains("no line end") }, "\(e.notes)")
        let time = "\tCommand being timed: \"make -j2\"\n\tElapsed (wall clock) time (h:mm:ss or m:ss): 0:03.07\n\tExit status: 0"
        #expect(try !extract(time, "time.txt").notes.contains { $0.contains("no line end") })
    }
}
