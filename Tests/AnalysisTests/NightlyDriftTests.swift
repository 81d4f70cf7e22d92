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

    /// A night 20% faster that did not hold is no baseline of the nights
    /// after it (lifecycle campaign: it stayed in the next ten baselines and
    /// widened them until a 12% slowdown three nights later could not be seen).
    @Test func aFastNightThatDidNotHoldIsNoBaseline() throws {
        let nights = Self.drift.map { 100 * (1 + $0 / 100) }
        let slower = try comparison(nights: nights + [120, 101, 99], latest: 88)
        #expect(slower.basis == .sessions && slower.verdict(.standard) == .worse, "\(String(describing: slower.test))")
        #expect(!slower.baselineSources.contains("night-10.csv") && slower.baselineSources.contains("night-11.csv"))
        // A night as fast again is tested against the nights before the first, not beside it.
        let again = try comparison(nights: nights + [120], latest: 120)
        #expect(again.verdict(.standard) == .better && !again.baselineSources.contains("night-10.csv"))
    }

    /// An improvement that held for three nights is the level later nights
    /// are tested against: the nights after it are no change, and the loss of
    /// it is a regression (lifecycle campaign: against a mix of both levels,
    /// neither was ever seen).
    @Test func aFasterLevelThatHeldIsTheBaseline() throws {
        let nights = Self.drift.map { 100 * (1 + $0 / 100) }
        let faster = [121, 119, 120.5].map { Double($0) }
        let held = try comparison(nights: nights + faster, latest: 120)
        #expect(held.verdict(.standard) == .unchanged, "\(String(describing: held.test))")
        #expect(Set(held.baselineSources) == ["night-10.csv", "night-11.csv", "night-12.csv"])
        let lost = try comparison(nights: nights + faster + [119.5], latest: 100)
        #expect(lost.verdict(.standard) == .worse, "\(String(describing: lost.test))")
        let change = try #require(lost.test?.changePercent)
        #expect(change > -19 && change < -15, "\(change)")
        // Two faster nights are not yet a level: the third is tested against the nights before them.
        let third = try comparison(nights: nights + faster.prefix(2), latest: 120)
        #expect(third.verdict(.standard) == .better, "\(String(describing: third.test))")
        #expect(!third.baselineSources.contains("night-10.csv") && !third.baselineSources.contains("night-11.csv"))
    }

    @Test func aSlowdownBeyondTheNightsScatterIsOne() throws {
        let slow = try comparison(nights: Self.drift.map { 100 * (1 + $0 / 100) }, latest: 80)
        #expect(slow.basis == .sessions && slow.verdict(.standard) == .worse, "\(String(describing: slow.test))")
        let change = try #require(slow.test?.changePercent)
        #expect(change > -22 && change < -18, "\(change)")
    }
}
