import Foundation
import Records

/// One new session of a run group against its baseline (the sessions
/// measured before it), on one metric: is it different, by how much, and how
/// sure can we be.
///
/// The change is the Hodges-Lehmann estimate of the shift between the two
/// samples' logarithms, as a ratio: the median of every (after / before) pair,
/// with its distribution-free confidence interval. It is robust to one wild
/// run, needs no normality, and reads as "tok/s -19% (95% CI -23% to -15%)".
/// Significance is the Mann-Whitney test of the same two samples; which of a
/// report's tests count is decided over all of them at once
/// (`SessionComparison.controlFalseDiscoveries`).
package struct SessionComparison: Sendable, Equatable {
    package var model: String
    package var configuration: [Parameter]
    package var metric: TestedMetric
    /// For a benchmark other than a run group: its tool and the unit of a
    /// rate (see `Regression.tool`); `model` is then the benchmark's name.
    package var tool: String? = nil
    package var unit: String? = nil
    /// What its sides count: runs, or (a benchmark other than a run group,
    /// once `minimumSessions` sessions precede it) the figures of sessions.
    package var basis = Basis.runs
    /// The new session: its file and when it started.
    package var source: String
    package var startedAt: Double?
    package var measuredAt: Double
    package var current: Side
    package var baseline: Side
    /// How many sessions the baseline pools, and their files.
    package var baselineSessions: Int
    package var baselineSources: [String]
    /// The test, when both sides have enough runs for one.
    package var test: Test?
    /// Why the session was not tested although earlier sessions exist: what
    /// their environment and its own disagree on ("ollama_host: localhost → 0.0.0.0").
    package var environmentDifferences: [String] = []
    /// Where the new session ran.
    package var environment = SessionEnvironment.empty
    /// Not tested: earlier sessions exist, but the group's pinned baseline
    /// holds none of them (pinned before any of its files was stored).
    package var pinnedBaselineEmpty = false
    /// Not tested: by its dates it was measured before every session of the
    /// group's history (a clock set back, a copy that kept old dates).
    package var predatesHistory = false
    /// Tested again, read before: an open regression's own session, whose
    /// folder has since said more of where it ran (`RegressionPolicy.openSessions`).
    package var environmentLearnt = false

    package struct Side: Sendable, Equatable {
        package var median: Double
        package var n: Int

        package init(median: Double, n: Int) {
            self.median = median
            self.n = n
        }
    }

    package struct Test: Sendable, Equatable {
        /// Current against baseline, in percent (Hodges-Lehmann, as a ratio).
        package var changePercent: Double
        /// The change's 95% confidence interval, in percent.
        package var intervalPercent: (low: Double, high: Double)
        package var pValue: Double
        /// The p-value adjusted over the report's tests (Benjamini-Hochberg).
        package var qValue: Double
        /// The smallest change these sample sizes and this spread show with
        /// 80% power, in percent: below it, "no change" means "cannot tell".
        package var detectablePercent: Double?

        package static func == (a: Test, b: Test) -> Bool {
            a.changePercent == b.changePercent && a.intervalPercent == b.intervalPercent && a.pValue == b.pValue
                && a.qValue == b.qValue && a.detectablePercent == b.detectablePercent
        }
    }

    package enum Basis: String, Sendable, Equatable {
        /// Each side's runs (Mann-Whitney and Hodges-Lehmann).
        case runs
        /// The new session's figure against the earlier sessions' figures
        /// (`testAgainstSessions`): `current.n` is the runs behind its
        /// figure, `baseline.n` the sessions.
        case sessions

        /// A test's change and interval as reports state them, saying what
        /// they are: beside the two medians they sit next to, a
        /// Hodges-Lehmann shift (or a distance from the earlier sessions'
        /// mean) is not the medians' ratio, and read as that ratio it
        /// looked wrong (100.27 → 80.63 beside -19.3%).
        /// Sessions that all gave one figure (`was`, with `interval` a point)
        /// leave no interval to state: "every session before it gave X".
        package func changeText(_ change: String, low: String, high: String, interval: (low: Double, high: Double), was: String) -> String {
            if isOneFigure(interval) { return "\(change); every session before it gave \(was)" }
            switch self {
            case .runs: return changeName(change) + ", 95% CI \(low) to \(high)"
            case .sessions: return changeName(change) + ", 95% prediction interval \(low) to \(high)"
            }
        }

        /// The change alone, named as `changeText` names it (a resolution restating it).
        package func changeName(_ change: String) -> String {
            switch self {
            case .runs: "Hodges-Lehmann \(change)"
            case .sessions: "\(change) against the geometric mean of the sessions before it"
            }
        }

        /// Whether `interval` is the point `testAgainstSessions` gives
        /// sessions that all gave one figure.
        package func isOneFigure(_ interval: (low: Double, high: Double)) -> Bool {
            self == .sessions && interval.low == interval.high
        }
    }

    /// The key of its group, as its regression's (`Regression.groupKey`).
    package var groupKey: String { Regression.groupKey(tool: tool, model: model, configuration: configuration) }

    /// What a comparison concludes under a policy.
    package enum Verdict: String, Sendable {
        /// Worse by at least the minimum effect, and significant.
        case worse
        /// Better by at least the minimum effect, and significant.
        case better
        /// Tested, and no change that counts.
        case unchanged
        /// Too few runs on one side for a test.
        case untested
        /// Every earlier session ran elsewhere (`environmentDifferences`).
        case differentEnvironment = "different environment"
    }

    /// A change counts when it is significant (q at most the policy's rate)
    /// and larger than both the minimum effect and the noise floor: the
    /// smallest change these run counts show with 80% power at the
    /// baseline's spread. Without the floor, a metric whose runs scatter by
    /// more than the minimum effect (TTFT, often 5-10% run to run) raised
    /// false regressions in about 2 of 100 reports of unchanged sessions
    /// (`scripts/sim-regressions`); with it, a 20% drop in 5 runs against 10
    /// is still flagged every time at the corpus's spreads.
    package func verdict(_ policy: RegressionPolicy) -> Verdict {
        guard let test else { return environmentDifferences.isEmpty ? .untested : .differentEnvironment }
        return SessionComparison.verdict(of: test, metric: metric, policy: policy)
    }

    /// What a test of `metric` concludes under a policy (`verdict`'s rule,
    /// for a test made outside a comparison: an earlier night's against the
    /// nights before it).
    package static func verdict(of test: Test, metric: TestedMetric, policy: RegressionPolicy) -> Verdict {
        // The detectable change is a ratio: a rise of +d% is, downwards, the
        // fall to 1/(1 + d) (+100% up is -50% down), so a fall is never held
        // to a floor it cannot reach.
        let detectable = test.detectablePercent.map { test.changePercent < 0 ? (1 - 100 / (100 + $0)) * 100 : $0 } ?? 0
        let floor = max(policy.minimumEffectPercent, detectable)
        guard abs(test.changePercent) >= floor, test.qValue <= policy.falseDiscoveryRate else {
            return .unchanged
        }
        return metric.direction.isWorse(test.changePercent) ? .worse : .better
    }

    /// Whether a test of `metric` shows an improvement that counts under a
    /// policy: what `SessionHistory.Level` leaves faster nights out by.
    package static func improves(_ metric: TestedMetric, policy: RegressionPolicy) -> @Sendable (Test) -> Bool {
        { verdict(of: $0, metric: metric, policy: policy) == .better }
    }

    /// Compares `current` (the new session's values) with `baseline` (the
    /// pooled values of the sessions before it); both any order. `qValue`
    /// starts equal to the p-value, for `controlFalseDiscoveries` to adjust.
    package static func test(current: [Double], baseline: [Double]) -> Test? {
        // Logarithms turn ratios into shifts; values must be positive.
        var after = current.compactMap { $0 > 0 && $0.isFinite ? log($0) : nil }
        var before = baseline.compactMap { $0 > 0 && $0.isFinite ? log($0) : nil }
        guard after.count >= MannWhitney.minimumRuns, before.count >= MannWhitney.minimumRuns else { return nil }
        after.sort()
        before.sort()
        guard let mannWhitney = MannWhitney.test(before: before, after: after),
            let estimate = HodgesLehmann.shift(before: before, after: after)
        else { return nil }
        func percent(_ logShift: Double) -> Double { (exp(logShift) - 1) * 100 }
        let spread = SessionComparison.standardDeviation(before)
        let detectable = spread.map { spread in
            percent(HodgesLehmann.smallestDetectableChange(beforeCount: before.count, afterCount: after.count, spread: spread))
        }
        return Test(
            changePercent: percent(estimate.shift), intervalPercent: (percent(estimate.lower), percent(estimate.upper)),
            pValue: mannWhitney.pValue, qValue: mannWhitney.pValue, detectablePercent: detectable)
    }

    /// The fewest earlier sessions a session's figure is tested against.
    package static let minimumSessions = 5

    /// Tests a session known by one figure (a tool's mean or median, the
    /// median of a few repetitions) against the figures of the sessions
    /// before it: is it outside what their spread predicts for one more
    /// session? On logarithms, so the change reads as a ratio: the new
    /// figure's distance from the baseline sessions' mean, over their standard
    /// deviation widened for one new value (`sqrt(1 + 1/n)`), is Student's t
    /// with n - 1 degrees of freedom; the interval is that prediction's.
    /// Session against session, the spread between nights (a machine's
    /// state, other load) is in the noise it is judged by, which a run-level
    /// test of a tool's summary would leave out and so cry wolf.
    package static func testAgainstSessions(current: Double, baseline: [Double]) -> Test? {
        let before = baseline.compactMap { $0 > 0 && $0.isFinite ? log($0) : nil }
        guard current > 0, current.isFinite, before.count >= minimumSessions, let spread = standardDeviation(before) else { return nil }
        let n = Double(before.count)
        let mean = before.reduce(0, +) / n
        let shift = log(current) - mean
        func percent(_ logShift: Double) -> Double { (exp(logShift) - 1) * 100 }
        if spread <= sameFigureSpread {
            // Every earlier session gave the same figure (a rate the tool
            // rounds, 9.5 req/s night after night): there is no spread to
            // scale a change by, and none to hide one in. The new figure is
            // that one again, or outside everything seen, and the minimum
            // effect decides whether the move counts.
            let same = abs(shift) <= sameFigureSpread
            return Test(
                changePercent: same ? 0 : percent(shift), intervalPercent: same ? (0, 0) : (percent(shift), percent(shift)),
                pValue: same ? 1 : 0, qValue: same ? 1 : 0, detectablePercent: 0)
        }
        let scale = spread * (1 + 1 / n).squareRoot()
        let freedom = n - 1
        let p = 2 * (1 - StudentDistribution.cdf(abs(shift) / scale, freedom: freedom))
        let critical = StudentDistribution.quantile(0.975, freedom: freedom)
        return Test(
            changePercent: percent(shift), intervalPercent: (percent(shift - critical * scale), percent(shift + critical * scale)),
            pValue: min(max(p, 0), 1), qValue: min(max(p, 0), 1),
            detectablePercent: percent((critical + StudentDistribution.quantile(0.8, freedom: freedom)) * scale))
    }

    /// The spread of logarithms below which sessions gave the same figure:
    /// a billionth, what rounding a figure's last digit leaves.
    static let sameFigureSpread = 1e-9

    /// The figure `testAgainstSessions` measures a change from: the
    /// geometric mean of the sessions' positive figures (nil without one).
    package static func sessionsCentre(_ figures: [Double]) -> Double? {
        let logs = figures.compactMap { $0 > 0 && $0.isFinite ? log($0) : nil }
        guard !logs.isEmpty else { return nil }
        return exp(logs.reduce(0, +) / Double(logs.count))
    }

    private static func standardDeviation(_ values: [Double]) -> Double? {
        guard values.count > 1 else { return nil }
        let mean = values.reduce(0, +) / Double(values.count)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (squares / Double(values.count - 1)).squareRoot()
    }

    /// Adjusts every test's q-value over the family of `comparisons` (the
    /// sessions new in one report): with hundreds of groups in a tree, an
    /// unadjusted 5% level would raise false regressions on every report.
    package static func controlFalseDiscoveries(_ comparisons: inout [SessionComparison]) {
        let tested = comparisons.indices.filter { comparisons[$0].test != nil }
        let adjusted = FalseDiscovery.benjaminiHochberg(tested.map { comparisons[$0].test?.pValue ?? 1 })
        for (index, q) in zip(tested, adjusted) { comparisons[index].test?.qValue = q }
    }
}
