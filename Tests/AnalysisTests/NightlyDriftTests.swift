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

    private func night(_ level: Double, runs: Int = 10) -> [LLMRun] {
        (0..<runs).map { index in
            LLMRun(
                ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: level * (0.99 + Double((index * 7) % 10) / 500),
                ttftSeconds: 0.1, evalCount: 10)
        }
    }

    /// The nights `levels` (one file each, a day apart), then a new night at
    /// `latest`: its tok/s comparison.
    private func comparison(nights levels: [Double], latest: Double, runs: Int = 10) throws -> SessionComparison {
        let facts = analysed(nights: levels, latest: latest, runs: runs)
        return try #require(facts.sessionComparisons.first { $0.metric == .tokensPerSecond })
    }

    /// The report's facts after the nights `levels`, then a new night at `latest`.
    private func analysed(nights levels: [Double], latest: Double, runs: Int = 10) -> Facts {
        var analyzer = Analyzer(catalog: [], now: afterTheNights)
        let all = levels + [latest]
        var paths: [String] = []
        for (index, level) in all.enumerated() {
            let path = "night-\(index).csv"
            paths.append(path)
            let modified = 1_800_000_000 + Double(index) * 86_400
            analyzer.add(
                path: path,
                extraction: Extraction(shape: .ollamaRuns, runSets: [RunSet(model: "m", configuration: [], runs: night(level, runs: runs))]),
                stamp: FileStamp(modifiedAt: modified, sequence: Int64(index + 1), reportedUntil: index < levels.count ? modified : nil))
        }
        let inputs = InputFacts(
            roots: [], filesSeen: all.count, filesAnalyzed: all.count, skipped: [], changed: [paths.last ?? ""], deleted: [], added: [])
        return analyzer.finish(inputs: inputs, previous: ReportDigest(groups: []), previousAt: "then", policy: .standard)
    }

    /// A night well above the nights is an improvement, stated as what its
    /// change is, and once: "against the sessions before it" twice read as a slip.
    @Test func aFasterNightIsAnImprovementStatedNightAgainstNight() throws {
        let nights = Self.drift.map { 100 * (1 + $0 / 100) }
        let facts = analysed(nights: nights, latest: 125)
        let improvement = try #require(facts.findings.first { $0.id == "improvement" })
        #expect(improvement.text.contains(" against the geometric mean of the sessions before it, 95% prediction interval "), "\(improvement.text)")
        #expect(improvement.text.components(separatedBy: "sessions before it").count == 2, "\(improvement.text)")
        #expect(improvement.figures.allSatisfy { improvement.text.contains($0) })
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
        // The change is said as what it is: beside the two medians, a distance
        // from the nights' mean is not their ratio (campaign B's D5).
        let opened = try #require(RegressionLedger.update(open: [], comparisons: [slower], policy: .standard, at: "now").opened.first)
        #expect(
            opened.changeText.text.contains(" against the geometric mean of the sessions before it, 95% prediction interval "),
            "\(opened.changeText.text)")
        // Two one-offs a week apart: the first, out of the baseline by then,
        // still widened the nights the second was tested against, and both
        // stayed in (lifecycle campaign: a 12% slowdown caught 16 times in 30).
        let twice = try comparison(nights: nights + [115] + Array(nights.prefix(6)) + [115] + Array(nights.suffix(3)), latest: 88)
        #expect(twice.verdict(.standard) == .worse, "\(String(describing: twice.test))")
        #expect(!twice.baselineSources.contains("night-17.csv"))
        // A fast spell of two to four nights that ended is left out whole, and
        // older nights make the baseline up to its ten (lifecycle campaign:
        // kept, two nights at +20% put detectable at 31% and hid a 12% slowdown).
        for length in 2...4 {
            let spell = try comparison(nights: nights + Array(repeating: 120, count: length) + [101, 99, 100], latest: 88)
            #expect(spell.verdict(.standard) == .worse, "\(length) nights: \(String(describing: spell.test))")
            #expect(spell.baselineSessions == 10 && !spell.baselineSources.contains("night-10.csv"), "\(spell.baselineSources)")
        }
        // A night as fast again is tested against the nights before the first, not beside it.
        let again = try comparison(nights: nights + [120], latest: 120)
        #expect(again.verdict(.standard) == .better && !again.baselineSources.contains("night-10.csv"))
    }

    /// An improvement that held for five nights (what a test night against
    /// night needs) is the level later nights are tested against: the nights
    /// after it are no change, and the loss of it is a regression (lifecycle
    /// campaign: against a mix of both levels, neither was ever seen). Before
    /// it holds, each faster night is tested against the level before the
    /// rise, and a night back at that level is no change.
    @Test func aFasterLevelThatHeldIsTheBaseline() throws {
        let nights = Self.drift.map { 100 * (1 + $0 / 100) }
        let faster = [121, 119, 120.5, 118.5, 121.5].map { Double($0) }
        let held = try comparison(nights: nights + faster, latest: 120)
        #expect(held.basis == .sessions && held.verdict(.standard) == .unchanged, "\(String(describing: held.test))")
        #expect(Set(held.baselineSources) == Set((10..<15).map { "night-\($0).csv" }))
        let lost = try comparison(nights: nights + faster + [119.5], latest: 100)
        #expect(lost.basis == .sessions && lost.verdict(.standard) == .worse, "\(String(describing: lost.test))")
        let change = try #require(lost.test?.changePercent)
        #expect(change > -19 && change < -15, "\(change)")
        // A faster night on top of the level that did not hold is left out too
        // (a review: it hid a 13% slowdown below the level).
        let onTop = try comparison(nights: nights + faster + [150, 120], latest: 105)
        #expect(onTop.verdict(.standard) == .worse && !onTop.baselineSources.contains("night-15.csv"), "\(String(describing: onTop.test))")
        // Drift within the new level is no change (on pooled runs of three nights it was).
        let drift = try comparison(nights: nights + faster, latest: 116.5)
        #expect(drift.verdict(.standard) == .unchanged, "\(String(describing: drift.test))")
        // Not yet held: the next faster night is tested against the level before the rise, and one back at it is no change.
        let rising = try comparison(nights: nights + faster.prefix(3), latest: 120)
        #expect(rising.verdict(.standard) == .better, "\(String(describing: rising.test))")
        #expect(rising.baselineSources.allSatisfy { !["night-10.csv", "night-11.csv", "night-12.csv"].contains($0) })
        let back = try comparison(nights: nights + faster.prefix(3), latest: 100)
        #expect(back.verdict(.standard) == .unchanged, "\(String(describing: back.test))")
    }

    /// Nights of a modest gain that straddle the threshold are kept or left
    /// out together, never one by one by their luck (a review: the nights
    /// that tested better were left out, the others kept, so the baseline
    /// leant low and a 12% slowdown read as 6%).
    @Test func aModestGainIsNotSiftedNightByNight() throws {
        let nights = Self.drift.map { 100 * (1 + $0 / 100) }
        let modest = [108, 104.5, 107.5, 105, 108.5].map { Double($0) }
        let slower = try comparison(nights: nights + modest, latest: 106 * 0.88)
        let kept = Set(slower.baselineSources)
        #expect(kept.isSuperset(of: (10..<15).map { "night-\($0).csv" }) || kept.isDisjoint(with: (10..<15).map { "night-\($0).csv" }))
        #expect(slower.verdict(.standard) != .better, "\(String(describing: slower.test))")
    }

    /// Nights of 3 or 4 runs (a suite of a few prompts) are too few for runs
    /// against runs, and are tested night against night (lifecycle campaign:
    /// a 40% collapse of 4-run nights was never tested); 2 runs are not.
    @Test func nightsOfAFewRunsAreTestedNightAgainstNight() throws {
        let nights = Self.drift.map { 100 * (1 + $0 / 100) }
        for runs in [3, 4] {
            let collapse = try comparison(nights: nights, latest: 60, runs: runs)
            #expect(collapse.basis == .sessions && collapse.verdict(.standard) == .worse, "\(runs) runs: \(String(describing: collapse.test))")
            let steady = try comparison(nights: nights, latest: 99, runs: runs)
            #expect(steady.verdict(.standard) == .unchanged, "\(runs) runs: \(String(describing: steady.test))")
        }
        #expect(try comparison(nights: nights, latest: 60, runs: 2).verdict(.standard) == .untested)
    }

    @Test func aSlowdownBeyondTheNightsScatterIsOne() throws {
        let slow = try comparison(nights: Self.drift.map { 100 * (1 + $0 / 100) }, latest: 80)
        #expect(slow.basis == .sessions && slow.verdict(.standard) == .worse, "\(String(describing: slow.test))")
        let change = try #require(slow.test?.changePercent)
        #expect(change > -22 && change < -18, "\(change)")
    }
}
