import Records
import Testing

@testable import Ingest

/// What a Google Benchmark binary prints by default, kept with `| tee
/// bench.txt` or in a CI log: it was "no benchmark data", and a kernel or
/// library benchmark's figures were lost unless it was run with
/// `--benchmark_format=json`.
@Suite struct GoogleBenchmarkConsoleTests {
    private let context = """
        2026-11-16T02:00:00+00:00
        Running ./build/bench_strings
        Run on (2 X 2400 MHz CPU s)
        CPU Caches:
          L1 Data 32 KiB (x2)
          L2 Unified 1024 KiB (x2)
        Load Average: 0.52, 0.58, 0.59
        ***WARNING*** CPU scaling is enabled, the benchmark real time measurements may be noisy and will incur extra overhead.

        """

    private func close(_ a: Double?, _ b: Double) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= 1e-9 * max(1, abs(b))
    }

    /// Each row as the JSON entry it stands for: the same benchmarks, times
    /// and counters as `--benchmark_format=json` gives, to the console's
    /// three digits; the date line dates the run.
    @Test func theConsoleTableGivesTheJSONsBenchmarks() throws {
        let console =
            context + """
                ------------------------------------------------------------------------------------
                Benchmark                          Time             CPU   Iterations UserCounters...
                ------------------------------------------------------------------------------------
                BM_StringCreation               5.25 ns         5.25 ns    132613825
                BM_memcpy/64                    2.66 ns         2.66 ns    263014087 bytes_per_second=22.4Gi/s items_per_second=376M/s
                BM_SetInsert/1024           28712 us        28700 us           24

                """
        let json = """
            {"context": {"date": "2026-11-16T02:00:00+00:00"}, "benchmarks": [
             {"name": "BM_StringCreation", "run_name": "BM_StringCreation", "run_type": "iteration", "iterations": 132613825,
              "real_time": 5.25, "cpu_time": 5.25, "time_unit": "ns"},
             {"name": "BM_memcpy/64", "run_name": "BM_memcpy/64", "run_type": "iteration", "iterations": 263014087,
              "real_time": 2.66, "cpu_time": 2.66, "time_unit": "ns", "bytes_per_second": 24051816857.6, "items_per_second": 376000000},
             {"name": "BM_SetInsert/1024", "run_name": "BM_SetInsert/1024", "run_type": "iteration", "iterations": 24,
              "real_time": 28712, "cpu_time": 28700, "time_unit": "us"}]}
            """
        let text = try ParsedText.extract(console, "bench.txt")
        let saved = try ParsedText.extract(json, "bench.json")
        #expect(text.shape == .googleBenchmarkText && saved.shape == .googleBenchmark)
        #expect(text.measurements.map(\.name) == saved.measurements.map(\.name))
        #expect(text.measurements.map(\.unit) == saved.measurements.map(\.unit))
        for (a, b) in zip(text.measurements, saved.measurements) {
            #expect(close(a.mean, b.mean ?? .nan), "\(a.name): \(a.mean ?? .nan) against \(b.mean ?? .nan)")
        }
        #expect(text.measuredAt == 1_794_794_400)
        // Logged by `docker compose logs` (with `-t` or without) or in a CI
        // step: the date line stays the table's, not taken for a log's time.
        for prefix in ["bench-1  | ", "bench-1  | 2026-12-04T02:00:01.123456789Z ", "2026-12-04T02:00:01.1234567Z "] {
            let logged = console.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
            let read = try ParsedText.extract(logged, "bench.log")
            #expect(read.measuredAt == 1_794_794_400, "\(prefix)")
            #expect(read.measurements.map(\.name) == text.measurements.map(\.name), "\(prefix)")
        }
    }

    /// `--benchmark_repetitions=3`: the repetitions and the aggregates the
    /// tool printed, its mean and median used, the `_cv` percentage and a
    /// complexity fit not taken for a benchmark.
    @Test func repetitionsAndAggregatesAreReadByTheirNames() throws {
        let console =
            context + """
                Benchmark                          Time             CPU   Iterations
                --------------------------------------------------------------------
                BM_Sort/1024                     10.0 us         10.0 us        70000
                BM_Sort/1024                     11.0 us         11.0 us        70000
                BM_Sort/1024                     12.0 us         12.0 us        70000
                BM_Sort/1024_mean                11.0 us         11.0 us            3
                BM_Sort/1024_median              11.0 us         11.0 us            3
                BM_Sort/1024_stddev              1.00 us         1.00 us            3
                BM_Sort/1024_cv                  9.09 %          9.09 %             3
                BM_Sort_BigO                     1.02 NlgN       1.02 NlgN
                BM_Sort_RMS                         2 %             2 %

                """
        let e = try ParsedText.extract(console, "sort.log")
        let sort = try #require(e.measurements.first { $0.name == "BM_Sort/1024" })
        #expect(sort.samples == [10, 11, 12] && sort.mean == 11 && sort.median == 11 && sort.stddev == 1 && sort.unit == "us")
        #expect(e.measurements.map(\.name) == ["BM_Sort/1024"], "the fit and the cv are no benchmarks")
        #expect(e.notes.contains { $0.contains("BM_Sort") && $0.contains("omplexity") }, "\(e.notes)")
        // Read before the rest of its aggregates were printed: the mean is BM_Sort/1024's, no benchmark of its own.
        let early = console.components(separatedBy: "BM_Sort/1024_median")[0]
        let partial = try ParsedText.extract(early, "sort.log")
        #expect(partial.measurements.map(\.name) == ["BM_Sort/1024"] && partial.measurements.first?.mean == 11, "\(partial.measurements.map(\.name))")
    }

    /// `SkipWithError` prints `ERROR OCCURRED`: a failed run, with the
    /// message; `SkipWithMessage` prints `SKIPPED`: noted, nothing measured.
    @Test func errorsFailAndSkipsAreNoted() throws {
        let console = """
            Benchmark                          Time             CPU   Iterations
            --------------------------------------------------------------------
            BM_Gpu                   ERROR OCCURRED: 'no CUDA device'
            BM_Avx512                SKIPPED: 'CPU lacks AVX-512'
            BM_Scalar                        3.1 ns          3.1 ns    225806451

            """
        let e = try ParsedText.extract(console, "ci.log")
        let gpu = try #require(e.measurements.first { $0.name == "BM_Gpu" })
        #expect(gpu.failedRuns == 1 && gpu.failure == "no CUDA device")
        #expect(e.notes.contains("BM_Avx512 skipped: CPU lacks AVX-512"))
        #expect(e.measurements.first { $0.name == "BM_Scalar" }?.mean == 3.1)
        #expect(e.measuredAt == nil, "no date line: the file's time dates it")
    }

    /// `--benchmark_counters_tabular=true`: each counter a column of its own.
    @Test func tabularCountersAreColumns() throws {
        let console = """
            Benchmark          Time             CPU   Iterations  Bytes  Items
            -----------------------------------------------------------------
            BM_Copy/8       2.31 ns         2.31 ns    302857436  3.5k   512m

            """
        let e = try ParsedText.extract(console, "t.out")
        #expect(e.measurements.first { $0.name.contains("Bytes") }?.mean == 3500)
        #expect(e.measurements.first { $0.name.contains("Items") }.map { close($0.mean, 0.512) } == true)
    }

    /// A counter the console prints per second (`Counter::kIsRate`) is a
    /// rate whatever its name: tested with higher better, as a
    /// `_per_second` one is; one printed without `/s` stays untested.
    @Test func countersPrintedPerSecondAreRates() throws {
        for (console, name) in [
            (
                """
                Benchmark               Time             CPU   Iterations UserCounters...
                -------------------------------------------------------------------------
                BM_Lookup/64         1.20 us         1.20 us       583000 hits=6.5M/s ratio=0.93

                """, "hits"
            ),
            (
                """
                Benchmark          Time             CPU   Iterations       Hits  Ratio
                -----------------------------------------------------------------------
                BM_Lookup/64    1.20 us         1.20 us       583000   6.5M/s  0.93

                """, "Hits"
            ),
        ] {
            let e = try ParsedText.extract(console, "bench.txt")
            let rate = try #require(e.measurements.first { $0.name == "BM_Lookup/64 \(name)" })
            #expect(rate.unit == "/s" && rate.higherIsBetter && rate.isRegressionTested && rate.mean == 6_500_000)
            let ratio = try #require(e.measurements.first { $0.name.hasPrefix("BM_Lookup/64 ") && $0.name.lowercased().hasSuffix("ratio") })
            #expect(!ratio.isRegressionTested)
            #expect(e.notes.contains { $0.hasPrefix("the counter \(ratio.name.split(separator: " ").last ?? "") listed, not tested") }, "\(e.notes)")
            #expect(!e.notes.contains { $0.contains("the counter \(name) ") })
        }
    }

    /// Multiples as the console prints them.
    @Test func counterMultiples() {
        #expect(GoogleBenchmarkFormat.counterValue("22.4Gi/s") == 22.4 * 1024 * 1024 * 1024)
        #expect(GoogleBenchmarkFormat.counterValue("35.6k/s") == 35.6 * 1000)
        #expect(GoogleBenchmarkFormat.counterValue("7") == 7 && GoogleBenchmarkFormat.counterValue("1.5M") == 1_500_000)
        #expect(GoogleBenchmarkFormat.counterValue("x/s") == nil && GoogleBenchmarkFormat.counterValue("") == nil)
    }

    /// A table's header alone, or a log that mentions iterations, is no benchmark.
    @Test func aHeaderWithoutRowsIsNoBenchmark() {
        let reason = ParsedText.skipReason("Benchmark Time CPU Iterations\n-----\nSegmentation fault\n", "crash.log")
        #expect(reason?.hasPrefix("no benchmark data (text without") == true, "\(reason ?? "read")")
    }

    /// A binary run nightly into one log (`./bench >> bench.log`): each run
    /// is dated by its own date line, so each night is a session of each
    /// benchmark (the slow last night is tested against the nights before).
    @Test func runsAppendedToOneLogAreEachDated() throws {
        let nights = (16...18).map { day in
            "2026-11-\(day)T02:00:00+00:00\nRunning ./bench\nBenchmark   Time   CPU   Iterations\n-----\n"
                + "BM_Parse   \(day == 18 ? 250 : 200) ns   \(day == 18 ? 250 : 200) ns   1000000\n\n"
        }
        let e = try ParsedText.extract(nights.joined(), "bench.log")
        #expect(e.measurements.map(\.name) == ["BM_Parse", "BM_Parse", "BM_Parse"])
        #expect(e.measurements.map(\.mean) == [200, 200, 250])
        #expect(e.measurements.map(\.measuredAt) == [1_794_794_400, 1_794_880_800, 1_794_967_200])
        #expect(e.notes.isEmpty, "\(e.notes)")
    }

    /// A template's name holds blanks (`BM_Template<int, 5>`), and a benchmark
    /// may print lines between rows: neither ends the table. A line with a
    /// time that reads as no row is left out and said.
    @Test func oddRowsDoNotEndTheTable() throws {
        let console = """
            Benchmark                          Time             CPU   Iterations
            --------------------------------------------------------------------
            BM_memcpy/64                    2.66 ns         2.66 ns    263014087
            BM_Template<int, 5>             10.5 ns         10.4 ns     67000000
            warming the cache...
            BM_Broken                       nan ns          ns          x
            BM_Sort/8                       20.0 ns         20.0 ns     35000000
            BM_Fails/threads:2       ERROR OCCURRED: 'out of memory'
            BM_x/repeats:2_mean               1.0 ns          1.0 ns            2
            BM_x/repeats:2_cv                 0.10 %          0.10 %            2

            """
        let e = try ParsedText.extract(console, "bench.txt")
        #expect(e.measurements.map(\.name).contains("BM_Template<int, 5>"), "\(e.measurements.map(\.name))")
        #expect(e.measurements.contains { $0.name == "BM_Sort/8" && $0.mean == 20 })
        #expect(e.measurements.contains { $0.name == "BM_Fails/threads:2" && $0.failure == "out of memory" })
        #expect(
            e.notes == [
                "1 line in the table with a time but not a row's layout left out (the first: 'BM_Broken                       nan ns          ns          x')"
            ])
    }
}
