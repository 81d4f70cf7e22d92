import Records
import Testing

@testable import Analysis

/// When these tests' reports are made: after their nights (2027, from
/// 1_800_000_000 on), so none is dated ahead of its report.
private let afterTheNights = 1_900_000_000.0

/// Run groups with a history of nights are tested night against night: a
/// night within what nights scatter by is no regression, however many runs
/// back it, and a slowdown well beyond it still is.
@Suite struct NightlyDriftTests {
    /// Nights of ten runs around 100 tok/s, each night's level moved by a
    /// fixed pattern of up to ±3% (what clocks and heat do), runs ±1% around it.
    private static let drift: [Double] = [0, 2.5, -3, 1, -1.5, 3, -2.5, 0.5, 2, -2]

    private func night(_ level: Double) -> [LLMRun] {
        (0..<10).map { index in
            LLMRun(
                ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: level * (0.99 + Double((index * 7) % 10) / 500),
                ttftSeconds: 0.1, evalCount: 10)
        }
    }

    /// The nights `levels` (one file each, a day apart), then a new night at
    /// `latest`: its tok/s comparison.
    private func comparison(nights levels: [Double], latest: Double) throws -> SessionComparison {
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
        let all = levels + [latest]
        var paths: [String] = []
        for (index, level) in all.enumerated() {
            let path = "night-\(index).csv"
            paths.append(path)
            let modified = 1_800_000_000 + Double(index) * 86_400
            analyzer.add(
                path: path, extraction: Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: night(level))]),
                stamp: FileStamp(modifiedAt: modified, sequence: Int64(index + 1), reportedUntil: index < levels.count ? modified : nil))
        }
        let inputs = InputFacts(
            roots: [], filesSeen: all.count, filesAnalyzed: all.count, skipped: [], changed: [paths.last ?? ""], deleted: [], added: [])
        let facts = analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then", policy: .standard)
        return try #require(facts.sessionComparisons.first { $0.metric == .tokensPerSecond })
    }

    @Test func aNightWithinTheNightsScatterIsNoRegression() throws {
        let nights = Self.drift.map { 100 * (1 + $0 / 100) }
        let slower = try comparison(nights: nights, latest: 94)
        #expect(slower.basis == .sessions && slower.baselineSessions == 10 && slower.current.n == 10)
        #expect(slower.verdict(.standard) == .unchanged, "\(String(describing: slower.test))")
        // Pooled, ten runs against a hundred call the same night a regression.
        let pooled = try comparison(nights: Array(nights.prefix(4)), latest: 94)
        #expect(pooled.basis == .runs && pooled.verdict(.standard) == .worse, "\(String(describing: pooled.test))")
    }

    @Test func aSlowdownBeyondTheNightsScatterIsOne() throws {
        let slow = try comparison(nights: Self.drift.map { 100 * (1 + $0 / 100) }, latest: 80)
        #expect(slow.basis == .sessions && slow.verdict(.standard) == .worse, "\(String(describing: slow.test))")
        let change = try #require(slow.test?.changePercent)
        #expect(change > -22 && change < -18, "\(change)")
    }
}
