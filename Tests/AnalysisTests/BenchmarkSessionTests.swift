import Testing

@testable import Analysis
@testable import Records

/// Benchmarks other than run groups (hyperfine, pytest-benchmark, Google
/// Benchmark) have sessions too: each file's measurement of a benchmark is one,
/// and a new one is tested against the ones before it.
@Suite struct BenchmarkSessionTests {
    /// Ten runs around `level`, spread by a fixed pattern (±2%).
    private func runs(_ level: Double) -> [Double] {
        (0..<10).map { level * (0.98 + Double(($0 * 7) % 10) / 250) }
    }

    private func hyperfine(_ command: String, _ times: [Double], failure: String? = nil) -> Measurement {
        Measurement(
            tool: "hyperfine", name: command, unit: "s", mean: times.reduce(0, +) / Double(max(times.count, 1)), count: times.count,
            samples: times, failure: failure, failedRuns: failure == nil ? 0 : times.count)
    }

    /// Files `day1` ... `dayN` (each modified a day after the one before), the
    /// last one new since the previous report.
    private func analyse(_ files: [[Measurement]], environments: [[Parameter]] = []) -> Facts {
        var analyzer = Analyzer(catalog: [])
        var paths: [String] = []
        for (index, measurements) in files.enumerated() {
            let path = "day\(index + 1)/bench.json"
            paths.append(path)
            let environment = index < environments.count ? environments[index] : []
            let extraction = Extraction(shape: .hyperfine, environment: environment, measurements: measurements)
            let modified = 1_800_000_000 + Double(index) * 86_400
            // Every file but the last was read by the previous report.
            analyzer.add(
                path: path, extraction: extraction,
                stamp: FileStamp(modifiedAt: modified, sequence: Int64(index + 1), reportedUntil: index + 1 < files.count ? modified : nil))
        }
        let inputs = InputFacts(
            roots: [], filesSeen: files.count, filesAnalyzed: files.count, skipped: [], changed: [paths.last ?? ""], deleted: [], added: [])
        return analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then")
    }

    @Test func aSlowerCommandIsTestedWorseAgainstTheFilesBeforeIt() throws {
        let facts = analyse([
            [hyperfine("make -j8", runs(1.0)), hyperfine("make -j1", runs(6.0))],
            [hyperfine("make -j8", runs(1.0)), hyperfine("make -j1", runs(6.0))],
            [hyperfine("make -j8", runs(1.25)), hyperfine("make -j1", runs(6.0))],
        ])
        #expect(facts.sessionComparisons.count == 2)
        let slower = try #require(facts.sessionComparisons.first { $0.model == "make -j8" })
        #expect(slower.tool == "hyperfine" && slower.metric == .time && slower.unit == nil)
        #expect(slower.source == "day3/bench.json" && slower.baselineSources == ["day1/bench.json", "day2/bench.json"])
        #expect(slower.baseline.n == 20 && slower.current.n == 10)
        #expect(slower.verdict(.standard) == .worse)
        let change = try #require(slower.test?.changePercent)
        #expect(change > 20 && change < 30, "\(change)")
        let same = try #require(facts.sessionComparisons.first { $0.model == "make -j1" })
        #expect(same.verdict(.standard) == .unchanged)
        let moves = RegressionLedger.update(open: [], comparisons: facts.sessionComparisons, policy: .standard, at: "now")
        let opened = try #require(moves.opened.first)
        #expect(moves.opened.count == 1 && opened.tool == "hyperfine" && opened.groupKey == "hyperfine: make -j8 | ")
        #expect(opened.label == "hyperfine make -j8")
        #expect(opened.changeText.text.hasPrefix("time 998 ms → 1.248 s (+25.0%, 95% CI"), "\(opened.changeText.text)")
    }

    /// A Google Benchmark written in nanoseconds one day and microseconds the
    /// next is the same speed: times compare in seconds.
    @Test func timesInOtherUnitsCompareInSeconds() throws {
        func benchmark(_ unit: String, _ scale: Double) -> Measurement {
            Measurement(tool: "google-benchmark", name: "BM_Sort/1024", unit: unit, samples: runs(48_000 * scale))
        }
        let facts = analyse([[benchmark("ns", 1)], [benchmark("ns", 1)], [benchmark("us", 0.001)]])
        let comparison = try #require(facts.sessionComparisons.first)
        #expect(facts.sessionComparisons.count == 1 && comparison.verdict(.standard) == .unchanged)
        #expect(abs(comparison.current.median - 48e-6) < 1e-6 && abs(comparison.baseline.median - 48e-6) < 1e-6)
    }

    /// Only a file that holds each run's value is tested; a failed command's
    /// times are no measure of it; a rate is tested with its direction.
    @Test func onlyRunValuesOfWorkingBenchmarksAreTested() throws {
        let summaryOnly = Measurement(tool: "vllm", name: "m TTFT", unit: "ms", mean: 80, median: 79, count: 100)
        let failing = { (times: [Double]) in hyperfine("false", times, failure: "command exited non-zero (exit code 1)") }
        let rate = { (level: Double) in
            Measurement(tool: "google-benchmark", name: "BM_Copy items_per_second", unit: "/s", higherIsBetter: true, samples: runs(level))
        }
        let facts = analyse([
            [summaryOnly, failing(runs(0.001)), rate(1e9)], [summaryOnly, failing(runs(0.001)), rate(1e9)],
            [summaryOnly, failing(runs(0.002)), rate(0.7e9)],
        ])
        #expect(facts.sessionComparisons.map(\.model) == ["BM_Copy items_per_second"])
        let comparison = try #require(facts.sessionComparisons.first)
        #expect(comparison.metric == .throughput && comparison.unit == "/s" && comparison.verdict(.standard) == .worse)
    }

    /// A new commit is what a benchmark's sessions compare, not another
    /// environment; another host is.
    @Test func aNewCommitIsComparedAnotherHostIsNot() throws {
        let files = [[hyperfine("make", runs(1.0))], [hyperfine("make", runs(1.0))], [hyperfine("make", runs(1.3))]]
        let commits = analyse(files, environments: [[Parameter("commit", "a1")], [Parameter("commit", "b2")], [Parameter("commit", "c3")]])
        #expect(commits.sessionComparisons.first?.verdict(.standard) == .worse)
        let hosts = analyse(
            files, environments: [[Parameter("host_name", "lab1")], [Parameter("host_name", "lab1")], [Parameter("host_name", "lab2")]])
        let comparison = try #require(hosts.sessionComparisons.first)
        #expect(comparison.verdict(.standard) == .differentEnvironment)
        #expect(comparison.environmentDifferences == ["host_name: lab1 → lab2"])
    }

    /// The first report over a store tests nothing; a file the previous
    /// report read is history, not new.
    @Test func nothingIsNewWithoutAPreviousReport() {
        var analyzer = Analyzer(catalog: [])
        for day in 1...3 {
            analyzer.add(
                path: "day\(day).json", extraction: Extraction(shape: .hyperfine, measurements: [hyperfine("make", runs(Double(day)))]),
                stamp: FileStamp(modifiedAt: Double(day), sequence: Int64(day)))
        }
        let inputs = InputFacts(roots: [], filesSeen: 3, filesAnalyzed: 3, skipped: [], changed: ["day3.json"], deleted: [], added: [])
        #expect(analyzer.finish(inputs: inputs, previous: nil, previousAt: nil).sessionComparisons.isEmpty)
    }
}
