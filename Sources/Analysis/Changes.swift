/// How the figures moved since the previous report over the same inputs.
package struct Changes: Sendable, Equatable {
    /// Whether a move is backed by the data: the Mann-Whitney test of the
    /// previous report's runs against the current ones.
    package enum Verdict: String, Sendable {
        /// p < α: the runs after differ from the runs before.
        case significant
        case notSignificant = "not significant"
        /// Fewer than `MannWhitney.minimumRuns` values on a side.
        case tooFewRuns = "too few runs"
        /// The previous report kept no runs to test against (an older chimerad).
        case notTested = "not tested"
    }

    package struct Move: Sendable, Equatable {
        package var model: String
        package var configuration: String
        /// `tokens_per_second` or `ttft_seconds`.
        package var metric: String
        package var previous: Double
        package var current: Double
        package var changePercent: Double
        /// Moved in the bad direction (throughput down, TTFT up).
        package var worse: Bool
        /// Successful runs of the group before and now.
        package var previousRuns: Int
        package var currentRuns: Int
        /// The metric's values before (nil when the previous report did not
        /// record them) and now: TTFT counts warm runs only.
        package var runsBefore: Int?
        package var runsAfter: Int
        package var verdict: Verdict
        /// The test's figures; nil unless it ran.
        package var test: MannWhitney.Result?

        /// Worse, and the test says it is no accident: what leads a report.
        package var isRegression: Bool { worse && verdict == .significant }

        package var isThroughput: Bool { metric == "tokens_per_second" }
    }

    package var previousReportAt: String?
    /// Regressions first, then worse moves the test does not confirm, then
    /// significant improvements, then the rest; the largest change first in each.
    package var moves: [Move]
    package var newGroups: [String]
    package var goneGroups: [String]

    package static let none = Changes(previousReportAt: nil, moves: [], newGroups: [], goneGroups: [])

    package var regressions: [Move] { moves.filter(\.isRegression) }

    /// Compares the groups now with a previous digest; unchanged medians are not moves.
    package static func between(_ previous: ReportDigest?, at date: String?, and current: [RunGroup]) -> Changes {
        guard let previous else { return .none }
        let before = Dictionary(previous.groups.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var moves: [Move] = []
        var newGroups: [String] = []
        for group in current {
            guard let old = before[group.key] else {
                newGroups.append(group.key)
                continue
            }
            let metrics: [(String, Double?, Double?, Sample?, Sample, Int, Bool)] = [
                (
                    "tokens_per_second", old.tokensPerSecondMedian, group.tokensPerSecond.median,
                    old.tokensPerSecondSample, group.tokensPerSecondSample, group.tokensPerSecond.n, true
                ),
                (
                    "ttft_seconds", old.ttftMedian, group.ttftSeconds.median, old.ttftSample, group.ttftSample,
                    group.ttftSeconds.n, false
                ),
            ]
            for (metric, was, now, sampleBefore, sampleAfter, runsAfter, higherIsBetter) in metrics {
                guard let was, let now, was != now, was != 0 else { continue }
                let (verdict, test) = judge(sampleBefore, sampleAfter)
                moves.append(
                    Move(
                        model: group.model, configuration: group.configuration.rendered, metric: metric,
                        previous: was, current: now, changePercent: (now - was) / was * 100,
                        worse: higherIsBetter ? now < was : now > was, previousRuns: old.runs,
                        currentRuns: group.runsOK, runsBefore: sampleBefore?.population, runsAfter: runsAfter,
                        verdict: verdict, test: test))
            }
        }
        let currentKeys = Set(current.map(\.key))
        let gone = previous.groups.map(\.key).filter { !currentKeys.contains($0) }
        moves.sort(by: leadsOver)
        return Changes(previousReportAt: date, moves: moves, newGroups: newGroups, goneGroups: gone)
    }

    /// Tests a metric's samples before and after.
    static func judge(_ before: Sample?, _ after: Sample) -> (Verdict, MannWhitney.Result?) {
        guard let before else { return (.notTested, nil) }
        guard before.count >= MannWhitney.minimumRuns, after.count >= MannWhitney.minimumRuns,
            let result = MannWhitney.test(before: before.values, after: after.values)
        else { return (.tooFewRuns, nil) }
        return (result.isSignificant ? .significant : .notSignificant, result)
    }

    /// Where a move stands in the report: regressions lead, worse moves the
    /// test does not confirm come apart from them, improvements follow.
    static func rank(_ move: Move) -> Int {
        switch (move.worse, move.verdict == .significant) {
        case (true, true): 0
        case (true, false): 1
        case (false, true): 2
        case (false, false): 3
        }
    }

    static func leadsOver(_ a: Move, _ b: Move) -> Bool {
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb }
        let (ca, cb) = (abs(a.changePercent), abs(b.changePercent))
        if ca != cb { return ca > cb }
        return (a.model, a.configuration, a.metric) < (b.model, b.configuration, b.metric)
    }
}
