#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import Analysis
@testable import Records

/// When these tests' reports are made: after their nights (2027, from
/// 1_800_000_000 on), so none is dated ahead of its report.
private let afterTheNights = 1_900_000_000.0

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
    private func analyse(_ files: [[Measurement]], environments: [[Parameter]] = [], policy: RegressionPolicy = .standard) -> Facts {
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
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
        return analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then", policy: policy)
    }

    /// A slow night whose regression a later night recovered is set aside:
    /// the next slow night is judged against the steady nights, not against
    /// a spread the outlier widened. Without that, the same history hides it.
    /// A new commit, build or version of the program measured is what
    /// sessions compare; a driver's version or another GPU is another environment.
    @Test func theCodeUnderTestIsNoDifferenceOfEnvironment() {
        let before = SessionEnvironment(parameters: [
            Parameter("gpu", "RTX 4090"), Parameter("ollama_version", "0.5.7"), Parameter("commit", "a1b2c3d"), Parameter("build_number", "5100"),
        ])
        let newer = SessionEnvironment(parameters: [
            Parameter("gpu", "RTX 4090"), Parameter("ollama_version", "0.6.2"), Parameter("commit", "e4f5a6b"), Parameter("build_number", "6500"),
        ])
        #expect(newer.differences(from: before).isEmpty)
        let elsewhere = SessionEnvironment(parameters: [Parameter("gpu", "RTX 3090"), Parameter("ollama_version", "0.6.2")])
        #expect(elsewhere.differences(from: before) == ["gpu: RTX 4090 → RTX 3090"])
        let driver = SessionEnvironment(parameters: [Parameter("gpu", "RTX 4090"), Parameter("driver_version", "550.54")])
        let newDriver = SessionEnvironment(parameters: [Parameter("gpu", "RTX 4090"), Parameter("driver_version", "560.28")])
        #expect(newDriver.differences(from: driver) == ["driver_version: 550.54 → 560.28"])
    }

    @Test func aRecoveredNightIsLeftOutOfLaterBaselines() throws {
        func night(_ milliseconds: Double) -> [Measurement] {
            [Measurement(tool: "vllm", name: "llama TTFT", unit: "ms", mean: milliseconds, median: milliseconds, count: 200)]
        }
        // Nights 1-8 steady, night 9 slow (its regression recovered by night 10), night 11 slow again.
        let levels: [Double] = [80, 81, 79, 80, 81, 80, 79, 80, 100, 80, 96]
        let files = levels.map(night)
        let plain = try #require(analyse(files).sessionComparisons.first)
        var policy = RegressionPolicy.standard
        let key = RegressionPolicy.acceptedKey(
            group: Regression.groupKey(tool: "vllm", model: "llama TTFT", configuration: []), metric: plain.metric)
        policy.setAside[key] = [.init(measuredAt: 1_800_000_000 + 8 * 86_400, source: "day9/bench.json")]
        let judged = try #require(analyse(files, policy: policy).sessionComparisons.first)
        #expect(plain.baselineSources.contains("day9/bench.json") && !judged.baselineSources.contains("day9/bench.json"))
        #expect(judged.baselineSessions == plain.baselineSessions - 1)
        #expect(plain.verdict(.standard) != .worse, "the outlier's spread hides it: \(String(describing: plain.test))")
        #expect(judged.verdict(.standard) == .worse, "\(String(describing: judged.test))")
    }

    /// hyperfine's `--export-json`, `--export-csv` and `--export-markdown` of
    /// one run are one session, measured by the JSON's runs: three would make
    /// two nights a baseline of six sessions, and test each night thrice.
    @Test func oneRunExportedInThreeFormatsIsOneSession() throws {
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
        let levels = [2.0, 2.0, 2.1]
        for (night, level) in levels.enumerated() {
            let times = runs(level)
            let mean = times.reduce(0, +) / Double(times.count)
            var sorted = times
            let median = Summary.quantile(&sorted, 0.5)
            let exports: [(String, Measurement)] = [
                ("md", Measurement(tool: "hyperfine", name: "make", unit: "s", mean: (mean * 1000).rounded() / 1000)),
                ("csv", Measurement(tool: "hyperfine", name: "make", unit: "s", mean: mean, median: median)),
                ("json", hyperfine("make", times)),
            ]
            // Written within a second of each other, the Markdown first.
            for (offset, (format, measurement)) in exports.enumerated() {
                let modified = 1_800_000_000 + Double(night) * 86_400 + Double(offset) * 0.3
                analyzer.add(
                    path: "night\(night)/bench.\(format)", extraction: Extraction(shape: .hyperfine, measurements: [measurement]),
                    stamp: FileStamp(
                        modifiedAt: modified, sequence: Int64(night * 3 + offset + 1), reportedUntil: night < 2 ? modified : nil))
            }
        }
        let inputs = InputFacts(
            roots: [], filesSeen: 9, filesAnalyzed: 9, skipped: [], changed: ["night2/bench.md", "night2/bench.csv", "night2/bench.json"],
            deleted: [], added: [])
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then", policy: .standard)
        let tested = try #require(facts.sessionComparisons.first)
        #expect(facts.sessionComparisons.count == 1, "\(facts.sessionComparisons.map(\.source))")
        #expect(tested.source == "night2/bench.json" && tested.basis == .runs && tested.current.n == 10)
        #expect(tested.baselineSessions == 2 && tested.baseline.n == 20, "\(tested.baselineSources)")
        #expect(tested.verdict(.standard) == .worse)
    }

    /// Two files of one name whose figures disagree are two runs, each with
    /// its history: `a.json` of a 10 ms command, `a.csv` of one five times slower.
    @Test func filesOfOneNameWithOtherFiguresAreNoExports() throws {
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
        for night in 0..<3 {
            for (format, level) in [("json", 0.010), ("csv", night == 2 ? 0.1 : 0.05)] {
                let modified = 1_800_000_000 + Double(night) * 86_400
                analyzer.add(
                    path: "night\(night)/a.\(format)",
                    extraction: Extraction(shape: .hyperfine, measurements: [hyperfine("work", runs(level))]),
                    stamp: FileStamp(modifiedAt: modified, sequence: Int64(night * 2 + 1), reportedUntil: night < 2 ? modified : nil))
            }
        }
        let inputs = InputFacts(
            roots: [], filesSeen: 6, filesAnalyzed: 6, skipped: [], changed: ["night2/a.json", "night2/a.csv"], deleted: [], added: [])
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then", policy: .standard)
        #expect(Set(facts.sessionComparisons.map(\.source)) == ["night2/a.json", "night2/a.csv"], "\(facts.sessionComparisons.map(\.source))")
    }

    /// A figure its tool derives from tested ones is listed, never tested.
    @Test func aFigureNotRegressionTestedOpensNothing() {
        func night(_ milliseconds: Double) -> [Measurement] {
            [Measurement(tool: "vllm", name: "m ITL", unit: "ms", mean: milliseconds, count: 100, isRegressionTested: false)]
        }
        let facts = analyse([80, 81, 79, 80, 81, 80, 120].map(night))
        #expect(facts.sessionComparisons.isEmpty)
        #expect(facts.measurements.count == 7)
    }

    /// One folder gathering several machines' saves (pytest-benchmark's
    /// `.benchmarks/<platform>/`): each file's own machine is its sessions',
    /// never its neighbour's, so another CPU is another environment.
    @Test func aFilesOwnMachineWinsOverItsFolders() throws {
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
        let files = [("a", "AMD EPYC 7B13", 1.0), ("b", "AMD EPYC 7B13", 1.0), ("c", "Intel Celeron N4020", 1.2)]
        for (index, (name, cpu, level)) in files.enumerated() {
            // A patch release between saves is the folder's, no other environment.
            let extraction = Extraction(
                shape: .hyperfine, environment: [Parameter("cpu", cpu), Parameter("python", index < 2 ? "3.11.4" : "3.11.6")],
                measurements: [hyperfine("pytest", runs(level))])
            let modified = 1_800_000_000 + Double(index) * 86_400
            analyzer.add(
                path: ".benchmarks/Linux-CPython-3.11-64bit/\(name).json", extraction: extraction,
                stamp: FileStamp(modifiedAt: modified, sequence: Int64(index + 1), reportedUntil: index < 2 ? modified : nil))
        }
        let inputs = InputFacts(
            roots: [], filesSeen: 3, filesAnalyzed: 3, skipped: [], changed: [".benchmarks/Linux-CPython-3.11-64bit/c.json"], deleted: [],
            added: [])
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then")
        let tested = try #require(facts.sessionComparisons.first)
        #expect(tested.verdict(.standard) == .differentEnvironment)
        #expect(tested.environmentDifferences == ["cpu: AMD EPYC 7B13 → Intel Celeron N4020"])
        #expect(tested.environment.values.first?.value == "Intel Celeron N4020")
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
        #expect(opened.changeText.text.hasPrefix("time 998 ms → 1.248 s (Hodges-Lehmann +25.0%, 95% CI"), "\(opened.changeText.text)")
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
        // The tool's figure alone is tested against earlier sessions' figures: two are too few.
        #expect(facts.sessionComparisons.map(\.model) == ["BM_Copy items_per_second", "m TTFT"])
        let comparison = try #require(facts.sessionComparisons.first)
        #expect(comparison.metric == .throughput && comparison.unit == "/s" && comparison.verdict(.standard) == .worse)
        let summary = try #require(facts.sessionComparisons.last)
        #expect(summary.basis == .sessions && summary.test == nil && summary.baselineSessions == 2)
        #expect(summary.verdict(.standard) == .untested && summary.current.median == 0.079)
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

    /// Files of one clone share their modification time and are named by
    /// commit: the time their tool wrote orders them.
    @Test func theToolsTimeOrdersSessionsOverTheFilesTime() throws {
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
        // By name, 1f0c... sorts first, but it was measured last.
        let files: [(path: String, day: Double, level: Double)] = [
            ("9ab3.json", 1, 1.0), ("c04e.json", 2, 1.0), ("e7d2.json", 3, 1.0), ("1f0c.json", 4, 1.3),
        ]
        for file in files {
            var extraction = Extraction(
                shape: .pytestBenchmark,
                measurements: [Measurement(tool: "pytest-benchmark", name: "test_parse", unit: "s", samples: runs(file.level))])
            extraction.measuredAt = 1_800_000_000 + file.day * 86_400
            let reported = file.path == "1f0c.json" ? nil : 1_700_000_000.0
            analyzer.add(path: file.path, extraction: extraction, stamp: FileStamp(modifiedAt: 1_700_000_000, sequence: 1, reportedUntil: reported))
        }
        let inputs = InputFacts(roots: [], filesSeen: 4, filesAnalyzed: 4, skipped: [], changed: ["1f0c.json"], deleted: [], added: [])
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then")
        let comparison = try #require(facts.sessionComparisons.first)
        #expect(comparison.baselineSources == ["9ab3.json", "c04e.json", "e7d2.json"] && comparison.verdict(.standard) == .worse)
        #expect(comparison.startedAt == Double(1_800_000_000 + 4 * 86_400))
    }

    /// pytest-benchmark run with `--benchmark-autosave --benchmark-json`: each
    /// night in two files, the autosave without its samples. One session a
    /// night, measured by the file with the samples; it was two, so five
    /// nights made a baseline of ten and the new night was tested twice.
    @Test func aNightSavedTwiceWithoutItsSamplesOnceIsOneSession() throws {
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
        var paths: [String] = []
        for (night, level) in [1.0, 1.0, 1.01, 0.99, 1.0, 1.5].enumerated() {
            let samples = runs(level)
            var sorted = samples.sorted()
            let median = Summary.quantile(&sorted, 0.5)
            for (path, withSamples) in [("output-\(night).json", true), (".benchmarks/000\(night)_autosave.json", false)] {
                var extraction = Extraction(
                    shape: .pytestBenchmark,
                    measurements: [
                        Measurement(
                            tool: "pytest-benchmark", name: "test_parse", unit: "s", mean: samples.reduce(0, +) / 10, median: median, count: 10,
                            samples: withSamples ? samples : [])
                    ])
                extraction.measuredAt = 1_800_000_000 + Double(night) * 86_400
                let last = night == 5
                analyzer.add(
                    path: path, extraction: extraction,
                    stamp: FileStamp(
                        modifiedAt: 1_800_000_000 + Double(night) * 86_400, sequence: Int64(night + 1), reportedUntil: last ? nil : 1_850_000_000))
                paths.append(path)
            }
        }
        let inputs = InputFacts(roots: [], filesSeen: 12, filesAnalyzed: 12, skipped: [], changed: Array(paths.suffix(2)), deleted: [], added: [])
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then")
        #expect(facts.sessionComparisons.count == 1, "\(facts.sessionComparisons.map(\.source))")
        let comparison = try #require(facts.sessionComparisons.first)
        #expect(comparison.baselineSessions == 5 && comparison.verdict(.standard) == .worse, "\(comparison.baselineSources)")
        #expect(comparison.current.n == 10)
    }

    /// perf's nights appended to one file, each dated by its `# started on`
    /// line: the latest is tested against the nights before it. Earlier
    /// versions of the file the store kept before chimerad read those dates
    /// (each night pooled into one undated benchmark) are no nights of their
    /// own: the dated nights already hold them.
    @Test func nightsDatedInOneFileAreSessionsAndUndatedCopiesOfThemAreNot() throws {
        let day = 86_400.0
        func night(_ index: Int, _ level: Double) -> Measurement {
            var measurement = Measurement(
                tool: "perf stat", name: "time elapsed", parameters: [Parameter("command", "make -j8")], unit: "s",
                mean: level * (1 + Double(index % 3) / 300), count: 5)
            measurement.measuredAt = 1_800_000_000 + Double(index) * day
            return measurement
        }
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
        let nights = (1...6).map { night($0, 13.4) } + [night(7, 16.1)]
        analyzer.add(
            path: "perf.txt", extraction: Extraction(shape: .perfStat, measurements: nights),
            stamp: FileStamp(modifiedAt: 1_800_000_000 + 7 * day, sequence: 7, reportedUntil: 1_800_000_000 + 6 * day))
        for kept in 3...5 {
            var pooled = Measurement(
                tool: "perf stat", name: "time elapsed", parameters: [Parameter("command", "make -j8")], unit: "s", mean: 13.4,
                count: kept, samples: Array(repeating: 13.4, count: kept))
            pooled.fillFromSamples()
            analyzer.addHistory(
                path: "perf.txt", digest: FileDigest(Extraction(shape: .perfStat, measurements: [pooled])),
                modifiedAt: 1_800_000_000 + Double(kept) * day + 60)
        }
        let inputs = InputFacts(roots: [], filesSeen: 1, filesAnalyzed: 1, skipped: [], changed: ["perf.txt"], deleted: [], added: [])
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then")
        #expect(facts.sessionComparisons.count == 1, "\(facts.sessionComparisons.map(\.source))")
        let tested = try #require(facts.sessionComparisons.first)
        #expect(tested.baselineSessions == 6 && tested.baselineSources.allSatisfy { $0 == "perf.txt" }, "\(tested.baselineSources)")
        #expect(tested.verdict(.standard) == .worse && tested.measuredAt == 1_800_000_000 + 7 * day)
        // The file's figure is its latest night's.
        #expect(facts.measurements.map(\.mean) == [nights[6].mean], "\(facts.measurements.map(\.mean))")
    }

    /// One perf report a file (`perf stat -o night-7.txt`), its `# started
    /// on` a local time read as UTC, an hour ahead of the file's true time
    /// (UTC+1): a file the previous report read is still read by when it
    /// was written, so upgrading tests none of the old nights again.
    @Test func aFileOfOneDatedNightIsReadByWhenItWasWritten() {
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
        for day in 1...7 {
            let written = 1_800_000_000 + Double(day) * 86_400
            var measurement = Measurement(
                tool: "perf stat", name: "time elapsed", parameters: [Parameter("command", "make -j8")], unit: "s",
                mean: day == 7 ? 16.1 : 13.4, count: 5)
            measurement.measuredAt = written + 3_600
            analyzer.add(
                path: "night-\(day).txt", extraction: Extraction(shape: .perfStat, measurements: [measurement]),
                stamp: FileStamp(modifiedAt: written, sequence: Int64(day), reportedUntil: written))
        }
        let inputs = InputFacts(roots: [], filesSeen: 7, filesAnalyzed: 7, skipped: [], changed: [], deleted: [], added: [])
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then")
        #expect(facts.sessionComparisons.isEmpty, "\(facts.sessionComparisons.map(\.source))")
    }

    /// The first report over a store tests nothing; a file the previous
    /// report read is history, not new.
    @Test func nothingIsNewWithoutAPreviousReport() {
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
        for day in 1...3 {
            analyzer.add(
                path: "day\(day).json", extraction: Extraction(shape: .hyperfine, measurements: [hyperfine("make", runs(Double(day)))]),
                stamp: FileStamp(modifiedAt: Double(day), sequence: Int64(day)))
        }
        let inputs = InputFacts(roots: [], filesSeen: 3, filesAnalyzed: 3, skipped: [], changed: ["day3.json"], deleted: [], added: [])
        #expect(analyzer.finish(inputs: inputs, previous: nil, previousAt: nil).sessionComparisons.isEmpty)
    }

    /// A reproducible stream of normal deviates (Box-Muller over the sweep
    /// tests' SplitMix64).
    private struct Noise {
        var generator: SweepNoiseTests.SeededGenerator
        init(state: UInt64) { generator = SweepNoiseTests.SeededGenerator(state: state) }
        mutating func uniform() -> Double { (Double(generator.next() >> 11) + 0.5) / Double(1 << 53) }
        mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * Double.pi * uniform()) }
    }

    /// vLLM's summary (a mean TTFT a night, no request's own): the new
    /// night's figure is tested against the nights before it. Over many
    /// histories with 3% noise between nights, a night 20% slower is flagged
    /// nearly always, one drawn like the others almost never.
    @Test func aSummaryOnlyNightIsTestedAgainstTheNightsBefore() throws {
        func night(_ milliseconds: Double) -> Measurement {
            Measurement(tool: "vllm", name: "llama TTFT", unit: "ms", mean: milliseconds, median: milliseconds, count: 200)
        }
        var noise = Noise(state: 7)
        var flaggedSlow = 0
        var flaggedSame = 0
        let histories = 200
        for _ in 0..<histories {
            let earlier = (0..<8).map { _ in [night(80 * exp(0.03 * noise.normal()))] }
            let slow = analyse(earlier + [[night(96 * exp(0.03 * noise.normal()))]])
            let same = analyse(earlier + [[night(80 * exp(0.03 * noise.normal()))]])
            let comparison = try #require(slow.sessionComparisons.first)
            #expect(comparison.basis == .sessions && comparison.baselineSessions == 8 && comparison.current.n == 200)
            if comparison.verdict(.standard) == .worse { flaggedSlow += 1 }
            if same.sessionComparisons.first?.verdict(.standard) == .worse { flaggedSame += 1 }
        }
        #expect(flaggedSlow >= histories * 95 / 100, "\(flaggedSlow) of \(histories)")
        #expect(flaggedSame <= histories * 3 / 100, "\(flaggedSame) of \(histories)")
    }

    /// vLLM's request rate, 9.5 req/s night after night (a rate the tool
    /// rounds): nights that all agree have no spread, so a night at 5 is
    /// outside everything seen and worse, one at 9.5 unchanged, one at 9.4
    /// (within the minimum effect) unchanged. It was "too few to test".
    @Test func aNightAfterNightsThatAllAgreeIsTested() throws {
        func night(_ rate: Double) -> [Measurement] {
            [Measurement(tool: "vllm", name: "llama request_throughput", unit: "req/s", higherIsBetter: true, mean: rate, count: 100)]
        }
        let steady = [[Measurement]](repeating: night(9.5), count: 6)
        let slow = try #require(analyse(steady + [night(5)]).sessionComparisons.first)
        #expect(slow.basis == .sessions && slow.baselineSessions == 6)
        #expect(slow.verdict(.standard) == .worse)
        let change = try #require(slow.test?.changePercent)
        #expect(abs(change - (5 / 9.5 - 1) * 100) < 1e-9)
        let opened = try #require(RegressionLedger.update(open: [], comparisons: [slow], policy: .standard, at: "then").opened.first)
        #expect(opened.openText.text.contains("(-47.4%; every session before it gave 9.500 req/s, q < 0.001)"), "\(opened.openText.text)")
        #expect(try #require(analyse(steady + [night(9.5)]).sessionComparisons.first).verdict(.standard) == .unchanged)
        #expect(try #require(analyse(steady + [night(9.4)]).sessionComparisons.first).verdict(.standard) == .unchanged)
        #expect(try #require(analyse(steady + [night(12)]).sessionComparisons.first).verdict(.standard) == .better)
    }

    /// Night against nights, the baseline shown is the figure the change is
    /// measured from (the nights' geometric mean, not their median): with
    /// one slow night among them, "before → after" and the percentage agree.
    @Test func aSessionsBaselineIsTheCentreItsChangeIsMeasuredFrom() throws {
        func night(_ milliseconds: Double) -> [Measurement] {
            [Measurement(tool: "vllm", name: "llama TTFT", unit: "ms", mean: milliseconds, median: milliseconds, count: 200)]
        }
        let levels: [Double] = [80, 81, 79, 80, 100, 80, 81, 79]
        let files: [[Measurement]] = levels.map(night) + [night(84)]
        let comparison = try #require(analyse(files).sessionComparisons.first)
        #expect(comparison.basis == SessionComparison.Basis.sessions)
        let logs: [Double] = levels.map { Glibc.log($0) }
        // Milliseconds are compared in seconds.
        let centre: Double = exp(logs.reduce(0, +) / Double(levels.count)) / 1000
        #expect(abs(comparison.baseline.median - centre) < 1e-12)
        let change = try #require(comparison.test?.changePercent)
        let shown: Double = (comparison.current.median / comparison.baseline.median - 1) * 100
        #expect(abs(shown - change) < 1e-9)
    }

    /// Google Benchmark, 5 repetitions a night, whose level drifts between
    /// nights (2.5%) more than its repetitions scatter (0.5%): with 5 nights
    /// or more before it, a night is judged against the nights, not their
    /// pooled repetitions, so the drift raises no regression, and a night 20%
    /// slower still does.
    @Test func nightsThatDriftAreJudgedAgainstTheNights() throws {
        var noise = Noise(state: 11)
        func night(_ level: Double) -> [Measurement] {
            let night = level * exp(0.025 * noise.normal())
            let repetitions = (0..<5).map { _ in night * exp(0.005 * noise.normal()) }
            return [Measurement(tool: "google-benchmark", name: "BM_Hash/4096", unit: "ns", samples: repetitions)]
        }
        var falseAlarms = 0
        var found = 0
        let histories = 200
        for _ in 0..<histories {
            let earlier = (0..<8).map { _ in night(2_000) }
            let same = analyse(earlier + [night(2_000)]).sessionComparisons
            let slow = analyse(earlier + [night(2_400)]).sessionComparisons
            #expect(same.first?.basis == .sessions && same.first?.current.n == 5)
            if same.first?.verdict(.standard) == .worse { falseAlarms += 1 }
            if slow.first?.verdict(.standard) == .worse { found += 1 }
        }
        #expect(falseAlarms <= histories * 2 / 100, "\(falseAlarms) of \(histories)")
        #expect(found >= histories * 95 / 100, "\(found) of \(histories)")
    }

    /// Three repetitions a night are too few for a test of runs: the night's
    /// median is tested against the nights before it; the regression it opens
    /// says so, and a later night back at the old level recovers it.
    @Test func fewRepetitionsAreTestedAsSessionsAndRecover() throws {
        func night(_ nanoseconds: Double) -> [Measurement] {
            let repetitions = [0.99, 1.0, 1.01].map { $0 * nanoseconds }
            return [Measurement(tool: "google-benchmark", name: "BM_Parse", unit: "ns", median: nanoseconds, samples: repetitions)]
        }
        let levels = [1000.0, 1010, 990, 1005, 995, 1000]
        let facts = analyse(levels.map(night) + [night(1300)])
        let comparison = try #require(facts.sessionComparisons.first)
        #expect(comparison.basis == .sessions && comparison.verdict(.standard) == .worse)
        #expect(comparison.current.median == 1.3e-6 && comparison.baseline.n == 6)
        let opened = try #require(
            RegressionLedger.update(open: [], comparisons: facts.sessionComparisons, policy: .standard, at: "then").opened.first)
        #expect(opened.basis == .sessions)
        #expect(
            opened.openText.text.contains(
                "; the figure of day7/bench.json (measured 2027-01-21T08:00:00Z) against those of the 6 sessions before it;"),
            "\(opened.openText.text)")
        var stored = opened
        stored.id = 1
        let later = analyse(levels.map(night) + [night(1300), night(1000)])
        let moves = RegressionLedger.update(open: [stored], comparisons: later.sessionComparisons, policy: .standard, at: "now")
        #expect(moves.open.isEmpty && moves.resolved.map(\.id) == [1])
    }

    /// Twelve nightly files of one command; from the seventh on it takes 15%
    /// longer, each night within ±0.4% of its level by a fixed pattern.
    private func nights(stepAt step: Int?) -> [[Measurement]] {
        (0..<12).map { night in
            let wobble = 1 + 0.004 * Double((night * 3) % 5 - 2) / 2
            let level = (step.map { night >= $0 } ?? false ? 1.15 : 1.0) * wobble
            return [hyperfine("make -j8", runs(level))]
        }
    }

    @Test func aLastingStepInABenchmarksNightsIsAChangePointWhereItStarts() throws {
        let facts = analyse(nights(stepAt: 6))
        let change = try #require(facts.benchmarkChangePoints.first)
        #expect(facts.benchmarkChangePoints.count == 1)
        #expect(change.tool == "hyperfine" && change.name == "make -j8" && change.point.metric == .time)
        #expect(change.point.session == 6 && change.source == "day7/bench.json")
        #expect(abs(change.point.before - 1.0) < 0.01 && abs(change.point.after - 1.15) < 0.02)
        let finding = try #require(facts.findings.first { $0.id == "change-point" })
        let expected =
            // When the session was measured: a file appended to every night names no night.
            "hyperfine make -j8 time worsened lastingly from the session of day7/bench.json (measured 2027-01-21T08:00:00Z) on: "
            + "median of session figures 997.00 ms before, 1.149 s from then on (+15.2%"
        #expect(finding.text.hasPrefix(expected), "\(finding.text)")
    }

    /// A slow spell that passed: the step is listed among the change points,
    /// but the latest nights are back, so no finding calls it lasting.
    @Test func aStepTheLatestNightsLeftIsNoLastingChange() throws {
        // Twelve nights stepping up at the seventh, then two back at the old level.
        let nights = nights(stepAt: 6) + [[hyperfine("make -j8", runs(1))], [hyperfine("make -j8", runs(1.001))]]
        let facts = analyse(nights)
        #expect(!facts.benchmarkChangePoints.isEmpty)
        #expect(facts.benchmarkChangePoints.allSatisfy { $0.latest.map { abs($0 - 1) < 0.02 } == true })
        #expect(!facts.findings.contains { $0.id == "change-point" }, "\(facts.findings.map(\.text))")
    }

    @Test func aSteadyBenchmarkHasNoChangePoint() {
        #expect(analyse(nights(stepAt: nil)).benchmarkChangePoints.isEmpty)
    }

    /// The same step where the nights moved to another host: the session
    /// tests say the environment differs, and no lasting change is found
    /// across the move; a step within one host's nights still is.
    @Test func aMoveToAnotherHostIsNoChangePoint() throws {
        let hosts = (0..<12).map { [Parameter("host_name", $0 >= 6 ? "b" : "a")] }
        #expect(analyse(nights(stepAt: 6), environments: hosts).benchmarkChangePoints.isEmpty)
        // Host b's nights alone hold a step (their last six would be a change of their own).
        let interleaved = (0..<12).map { [Parameter("host_name", $0 % 2 == 0 ? "a" : "b")] }
        let points = analyse(nights(stepAt: 6), environments: interleaved).benchmarkChangePoints
        #expect(points.isEmpty, "three nights a side in each host's series is too few to split: \(points)")
        func median(_ night: Int) -> Double? {
            let slow = night >= 12 && night % 2 == 1
            return slow ? 1.15 : 1.0 + Double(night % 3) / 1000
        }
        func environment(_ night: Int) -> SessionEnvironment {
            SessionEnvironment(parameters: [Parameter("host", night % 2 == 0 ? "a" : "b")])
        }
        let classes: [GroupChangePoint] = GroupChangePoint.detect(
            .time, medians: (0..<24).map(median), environments: (0..<24).map(environment))
        #expect(classes.map { $0.session } == [13], "host b's step, at its first slow night: \(classes)")
    }
}
