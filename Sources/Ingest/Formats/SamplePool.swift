import Records

/// Benchmarks whose runs a text prints one line or one report each
/// (`go test -bench -count 5`, sysbench runs appended to one log): each
/// run's figure is a sample of its benchmark (its name and settings,
/// `StatisticsTable.key`), the benchmarks in the order they first appear,
/// their figures made from the samples at the end, marked as runs a log
/// may have gathered over many nights (`Measurement.appendedRuns`).
///
///     var pool = SamplePool()
///     if pool.add(512.3, to: Measurement(tool: "go", name: "BenchmarkParse", unit: "ns/op")) { /* a new benchmark */ }
///     let measurements = pool.measurements
struct SamplePool {
    private var order: [String] = []
    private var pooled: [String: Measurement] = [:]
    /// Benchmarks that failed, by `StatisticsTable.key`, and how many times
    /// (a log appended to each night fails again).
    private var failures: [(key: String, benchmark: Measurement, count: Int)] = []

    /// Whether it holds no timed benchmark (failures aside).
    var isEmpty: Bool { order.isEmpty }

    var hasFailures: Bool { !failures.isEmpty }

    /// How many benchmarks it holds.
    var count: Int { order.count }

    /// Adds `value` to the samples of `benchmark`'s benchmark (taken as its
    /// first run's when it is new); whether it is new.
    @discardableResult
    mutating func add(_ value: Double, to benchmark: Measurement) -> Bool {
        let key = StatisticsTable.key(benchmark)
        guard pooled[key] == nil else {
            pooled[key]?.samples.append(value)
            return false
        }
        var first = benchmark
        first.samples = [value]
        order.append(key)
        pooled[key] = first
        return true
    }

    /// Counts a failed run of `benchmark` (its tool, name, settings and unit).
    mutating func fail(_ benchmark: Measurement) {
        let key = StatisticsTable.key(benchmark)
        if let known = failures.firstIndex(where: { $0.key == key }) {
            failures[known].count += 1
        } else {
            failures.append((key, benchmark, 1))
        }
    }

    /// `measurements`, each failed benchmark saying so with `reason`: one
    /// timed before it failed keeps its times, one never timed is a
    /// measurement of its failures alone, after the rest; and how many were
    /// both timed and failed.
    func measurements(failing reason: String) -> (measurements: [Measurement], timedAndFailed: Int) {
        var measurements = self.measurements
        var timedAndFailed = 0
        for failure in failures {
            if let timed = order.firstIndex(of: failure.key) {
                measurements[timed].failure = reason
                measurements[timed].failedRuns = failure.count
                timedAndFailed += 1
            } else {
                var failed = failure.benchmark
                failed.failure = reason
                failed.failedRuns = failure.count
                failed.appendedRuns = .figures
                measurements.append(failed)
            }
        }
        return (measurements, timedAndFailed)
    }

    /// Each benchmark with its samples' count, median, mean, spread and extremes.
    var measurements: [Measurement] {
        order.compactMap { key in
            guard var measurement = pooled[key] else { return nil }
            measurement.count = measurement.samples.count
            measurement.fillFromSamples()
            // A log such runs are appended to holds each night's after the last.
            measurement.appendedRuns = .figures
            return measurement
        }
    }
}
