import Foundation
import Records

extension BenchmarkSessions {
    /// Adds a llama-bench file's tests as sessions (see `llamaBenchSessions`),
    /// dated by their `test_time`; false when none is tested.
    @discardableResult
    mutating func addLlamaBench(_ results: [LlamaBenchResult], source: String, path: String? = nil, stamp: FileStamp) -> Bool {
        let sessions = BenchmarkSessions.llamaBenchSessions(results)
        guard !sessions.isEmpty else { return false }
        let measuredAt = BenchmarkSessions.testTime(results)
        var tested = false
        for measurement in sessions { tested = add(measurement, source: source, path: path, stamp: stamp, measuredAt: measuredAt) || tested }
        return tested
    }

    /// A llama-bench file's tests as sessions of their own benchmarks
    /// (`llama-bench` `<model> <test>`, keyed on every setting of the row, in
    /// t/s, higher is better, its repetitions' `samples_ts` as runs): a
    /// nightly `llama-bench -o json` whose decode got slower is tested and
    /// opens a regression like any benchmark's, and a new build is the code
    /// under test, no other environment.
    ///
    /// A file that holds one test twice (two builds side by side, as
    /// `compare-llama-bench.py` reads them) gives none: its builds are
    /// compared as such (`LlamaBenchBuilds`), not pooled into one night.
    private static func llamaBenchSessions(_ results: [LlamaBenchResult]) -> [Records.Measurement] {
        guard !results.isEmpty else { return [] }
        var seen: Set<String> = []
        var measurements: [Records.Measurement] = []
        for result in results {
            let name = "\(result.model) \(result.test)"
            guard seen.insert(name + "\u{1}" + result.parameters.rendered).inserted else { return [] }
            measurements.append(
                Records.Measurement(
                    tool: "llama-bench", name: name, parameters: result.parameters, unit: "t/s", higherIsBetter: true,
                    mean: result.tokensPerSecond, stddev: result.stddevTokensPerSecond,
                    count: result.samples.isEmpty ? nil : result.samples.count, samples: result.samples))
        }
        return measurements
    }

    /// When the file's tests ran: the earliest `test_time` its rows give
    /// (nil: none, and the file's modification time dates them).
    private static func testTime(_ results: [LlamaBenchResult]) -> Double? {
        results.compactMap { $0.testTime.flatMap { try? Date($0, strategy: .iso8601).timeIntervalSince1970 } }.min()
    }
}
