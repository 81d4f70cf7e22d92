import Foundation
import Records
import Testing

@testable import Ingest

/// `cargo bench` kept as text: criterion's report of each benchmark and
/// libtest's `ns/iter` lines, each run a sample. Both were no benchmark at all.
@Suite struct CargoBenchFormatTests {
    /// What `cargo bench | tee bench.log` keeps of one criterion run, progress lines included.
    static let criterionRun = """
           Compiling fib v0.1.0 (/home/u/fib)
            Finished `bench` profile [optimized] target(s) in 12.34s
             Running benches/fib.rs (target/release/deps/fib-1a2b3c4d5e6f7a8b)
        Gnuplot not found, using plotters backend
        Benchmarking fib 20
        Benchmarking fib 20: Warming up for 3.0000 s
        Benchmarking fib 20: Collecting 100 samples in estimated 5.0921 s (227k iterations)
        Benchmarking fib 20: Analyzing
        fib 20                  time:   [22.382 µs 22.398 µs 22.416 µs]
                                change: [-0.4167% -0.2012% +0.0090%] (p = 0.07 > 0.05)
                                No change in performance detected.
        Found 11 outliers among 100 measurements (11.00%)
          4 (4.00%) high mild
          7 (7.00%) high severe
        Benchmarking parse/serde_json/a_long_input_name_1024: Analyzing
        parse/serde_json/a_long_input_name_1024
                                time:   [998.12 ns 1.0012 µs 1.0045 µs]
                                thrpt:  [972.21 MiB/s 975.42 MiB/s 978.43 MiB/s]
                         change:
                                time:   [+1.0312% +1.5012% +1.9921%] (p = 0.00 < 0.05)
                                thrpt:  [-1.9532% -1.4790% -1.0207%]
                                Change within noise threshold.

        """

    private func parse(_ text: String) -> Extraction? {
        guard case .extracted(let extraction) = ContentParser.parse(Array(text.utf8), fileName: "bench.log", path: "bench.log") else {
            return nil
        }
        return extraction
    }

    @Test func criterionsReportIsATimeATestedBenchmarkAndItsThroughputListed() throws {
        let extraction = try #require(parse(Self.criterionRun))
        #expect(extraction.shape == .cargoBenchText && extraction.shape.appendsUndatedRuns)
        let names = extraction.measurements.map(\.name)
        #expect(names == ["fib 20", "parse/serde_json/a_long_input_name_1024", "parse/serde_json/a_long_input_name_1024 thrpt"], "\(names)")
        let fib = try #require(extraction.measurements.first)
        // The middle figure, in ns; criterion's change: block is not read.
        #expect(fib.tool == "cargo bench" && fib.unit == "ns" && fib.samples == [22398] && fib.isRegressionTested && !fib.higherIsBetter)
        #expect(fib.appendedRuns == .figures)
        // A long name on the line above its time; µs and ns in one figure.
        let long = extraction.measurements[1]
        #expect(abs((long.samples.first ?? 0) - 1001.2) < 1e-9, "\(long.samples)")
        let throughput = extraction.measurements[2]
        #expect(throughput.unit == "MiB/s" && throughput.samples == [975.42] && throughput.higherIsBetter && !throughput.isRegressionTested)
    }

    @Test func runsAppendedToOneLogAreSamplesOfTheirBenchmark() throws {
        let second = Self.criterionRun.replacingOccurrences(of: "22.398 µs", with: "22.5 µs").replacingOccurrences(
            of: "975.42 MiB/s", with: "1.0 GiB/s")
        let extraction = try #require(parse(Self.criterionRun + second))
        let fib = try #require(extraction.measurements.first { $0.name == "fib 20" })
        #expect(fib.samples == [22398, 22500] && fib.count == 2)
        // Criterion scales each figure its own way: GiB/s is read in MiB/s.
        let throughput = try #require(extraction.measurements.first { $0.name.hasSuffix("thrpt") })
        #expect(throughput.samples == [975.42, 1024])
    }

    @Test func libtestsLinesAreBenchmarksAndAFailedOneIsAFailure() throws {
        let text = """
            running 3 tests
            test bench_parse     ... bench:       1,234 ns/iter (+/- 56)
            test bench_render    ... bench:          87 ns/iter (+/- 3)
            test bench_broken    ... FAILED

            test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 4.12s

            """
        let extraction = try #require(parse(text))
        #expect(extraction.shape == .cargoBenchText)
        let parsing = try #require(extraction.measurements.first { $0.name == "bench_parse" })
        #expect(parsing.samples == [1234] && parsing.unit == "ns" && parsing.tool == "cargo bench")
        #expect(extraction.measurements.first { $0.name == "bench_render" }?.samples == [87])
        let broken = try #require(extraction.measurements.first { $0.name == "bench_broken" })
        #expect(broken.failure != nil && broken.failedRuns == 1)
    }

    @Test func textWithoutCargoBenchOutputIsNotRead() {
        #expect(CargoBenchFormat.extract(console: Array("real time: 3 s\nuser 1.2\n".utf8)[...]) == nil)
        // `time:` with figures that are no times (a change block alone) holds no benchmark.
        let changeOnly = "                        time:   [-1.0% +0.5% +2.1%] (p = 0.50 > 0.05)\n"
        #expect(CargoBenchFormat.extract(console: Array(changeOnly.utf8)[...]) == nil)
        // A `test ... FAILED` of `cargo test`, with no bench line, is no benchmark.
        #expect(CargoBenchFormat.extract(console: Array("test it_works ... FAILED\n test result: FAILED.\n".utf8)[...]) == nil)
    }

    @Test func hostileNamesAndFiguresAreBoundedOrLeftOut() throws {
        let text = """
            fib |<b>\u{1B}[31m      time:   [1.0 ns NaN ns 3.0 ns]
            ok                      time:   [1.0 ns 2.0 ns 3.0 ns]
            test bench_nan ... bench:       NaN ns/iter (+/- 1)

            """
        let extraction = try #require(parse(text))
        #expect(extraction.measurements.map(\.name) == ["ok"], "\(extraction.measurements.map(\.name))")
        #expect(extraction.notes.contains { $0.contains("2 time(s) that are no number") }, "\(extraction.notes)")
    }
}
