/// One metric of one run group across its sessions: each session's figures,
/// and each new session compared with the sessions measured before it.
///
/// A group's values arrive file by file, so each session's values are one
/// contiguous stretch of the group's array (`spans`); nothing is copied per
/// session but the stretch being summarised.
///
///     let history = SessionHistory.analyse(
///         values: tokensPerSecond, spans: spans, chronological: order, isNew: isNew, window: 10)
///     history.outcomes.first?.test?.changePercent  // -19.2
struct SessionHistory: Sendable {
    /// One new session against its baseline.
    struct Outcome: Sendable {
        /// The session's index (in `spans`).
        var session: Int
        /// The sessions its baseline pools, oldest first.
        var baseline: [Int]
        var baselineMedian: Double
        var baselineCount: Int
        var currentMedian: Double
        var currentCount: Int
        var test: SessionComparison.Test?
        /// Runs against runs, or (with `minimumSessions` before it) the
        /// session's median against theirs; `baselineMedian` and
        /// `baselineCount` are then the sessions' centre and count.
        var basis = SessionComparison.Basis.runs
        /// Why there is no baseline although earlier sessions exist: what their
        /// environment and this session's disagree on.
        var environmentDifferences: [String] = []
        /// Earlier sessions exist, but none was stored by the group's pinned baseline.
        var pinnedBaselineEmpty = false
        /// No session was measured before it, yet the group has history: by
        /// its dates it precedes all of it (a clock set back, a copy that kept
        /// old dates), so it has nothing to be compared with.
        var predatesHistory = false
    }

    var figures: [SessionFigures]
    var outcomes: [Outcome]

    /// - Parameters:
    ///   - known: per session, its figures where they were computed before
    ///     (its file's digest); the others' are computed from `values`.
    ///   - chronological: the sessions' indices in the order they were measured.
    ///   - isNew: per session, whether it is tested (its file changed since the
    ///     previous report); new sessions never serve as a baseline.
    ///   - window: how many earlier sessions with values a baseline pools.
    ///   - baselineUpTo: with a pinned baseline, per session whether it was
    ///     stored by the pin; only those serve as a baseline.
    ///   - environments: per session, where it ran; a session is never
    ///     compared with one whose environment differs.
    ///   - accepted: per session, whether it may serve as a baseline after an
    ///     acknowledged regression (measured at or after the accepted session).
    ///   - improves: whether a night's test against the nights before it
    ///     shows an improvement that counts; with it, faster nights that did
    ///     not hold are no baseline, and one that held starts it (`Level`).
    static func analyse(
        values: [Double], spans: [Range<Int>], known: [SessionFigures?]? = nil, chronological: [Int], isNew: [Bool], window: Int,
        baselineUpTo pinned: [Bool]? = nil,
        environments: [SessionEnvironment]? = nil, accepted: [Bool]? = nil, improves: ((SessionComparison.Test) -> Bool)? = nil
    ) -> SessionHistory {
        var figures: [SessionFigures] = []
        figures.reserveCapacity(spans.count)
        let drawn = Set(chronological.suffix(SessionFigures.sessionsWithRuns))
        for (index, span) in spans.enumerated() {
            var sessionFigures: SessionFigures
            if let known, index < known.count, let figures = known[index], figures.n == span.count {
                sessionFigures = figures
            } else {
                var stretch = Array(values[span])
                sessionFigures = SessionFigures(&stretch)
            }
            if drawn.contains(index) { sessionFigures.runs = SessionFigures.spread(values[span]) }
            figures.append(sessionFigures)
        }
        var outcomes: [Outcome] = []
        let medians = figures.map(\.median)
        var positions = [Int](repeating: 0, count: spans.count)
        for (position, session) in chronological.enumerated() { positions[session] = position }
        // The nights of at least `runs` runs a night is tested against (see below), up to `count` of them.
        func nights(before position: Int, runs: Int, count: Int = window) -> [Int] {
            SessionHistory.baseline(
                of: position, chronological: chronological, isNew: isNew, usable: { spans[$0].count >= runs }, window: count,
                pinned: pinned, environments: environments, accepted: accepted
            ).sessions
        }
        for (position, session) in chronological.enumerated() where isNew[session] && !spans[session].isEmpty {
            var (baseline, differences, outsidePin) = SessionHistory.baseline(
                of: position, chronological: chronological, isNew: isNew, usable: { !spans[$0].isEmpty }, window: window,
                pinned: pinned, environments: environments, accepted: accepted)
            // A night is tested against nights of as many runs as it has, up
            // to the 5 a run-against-run test needs.
            let runs = min(spans[session].count, MannWhitney.minimumRuns)
            // Twice the window: a faster night just out of the baseline is
            // still in the nights its later nights were tested against.
            let looked = improves == nil ? [] : nights(before: position, runs: runs, count: 2 * window)
            let level = improves.map { improves in
                Level.find(
                    nights: looked, positions: positions, medians: medians, nightsBefore: { nights(before: $0, runs: runs) },
                    improves: improves)
            }
            // Nights left out are made up from older ones, as a regression's are.
            if let level {
                baseline = Array(
                    SessionHistory.baseline(
                        of: position, chronological: chronological, isNew: isNew, usable: { !spans[$0].isEmpty }, window: 2 * window,
                        pinned: pinned, environments: environments, accepted: accepted
                    ).sessions.filter(level.keeps).suffix(window))
            }
            guard !baseline.isEmpty else {
                let predates = SessionHistory.predatesHistory(
                    position, chronological: chronological, isNew: isNew, usable: { !spans[$0].isEmpty })
                if !differences.isEmpty || outsidePin > 0 || predates {
                    outcomes.append(
                        Outcome(
                            session: session, baseline: [], baselineMedian: .nan, baselineCount: 0,
                            currentMedian: figures[session].median ?? .nan, currentCount: spans[session].count, test: nil,
                            environmentDifferences: differences, pinnedBaselineEmpty: differences.isEmpty && outsidePin > 0,
                            predatesHistory: differences.isEmpty && outsidePin == 0 && predates))
                }
                continue
            }
            // Night against night once enough nights precede it: their medians
            // drift more than runs scatter within one, and pooled runs would
            // count that drift as a change (as for other benchmarks). Only
            // nights with the runs a test needs count as one: a smoke run's
            // single value is no night's median, and among nights of ten it
            // widened the spread until a 20% slowdown could not be seen. A
            // night of 3 or 4 runs (a suite of a few prompts) is tested
            // against nights of as many or more: its runs are too few for a
            // run-against-run test, and untested a 40% collapse went unseen.
            if baseline.count >= SessionComparison.minimumSessions, spans[session].count >= SessionHistory.minimumNightRuns,
                let current = figures[session].median
            {
                let earlier =
                    level.map { Array(looked.filter($0.keeps).suffix(window)) }
                    ?? nights(before: position, runs: runs)
                // Each earlier night's median over as many of its runs as this
                // night has (its first ones): a median of 3 scatters more than
                // one of 10, and judged by the spread of nights of 10, a night
                // of 3 (or a session still being written, read after its third
                // run) cried wolf.
                let runsTonight = spans[session].count
                let earlierMedians = earlier.compactMap { night -> Double? in
                    guard spans[night].count > runsTonight else { return medians[night] }
                    var first = Array(values[spans[night].prefix(runsTonight)])
                    return Summary.quantile(&first, 0.5)
                }
                if earlier.count >= SessionComparison.minimumSessions, earlierMedians.count == earlier.count,
                    let test = SessionComparison.testAgainstSessions(current: current, baseline: earlierMedians)
                {
                    outcomes.append(
                        Outcome(
                            session: session, baseline: earlier,
                            baselineMedian: SessionComparison.sessionsCentre(earlierMedians) ?? .nan, baselineCount: earlier.count,
                            currentMedian: current, currentCount: spans[session].count, test: test, basis: .sessions))
                    continue
                }
            }
            var pooled: [Double] = []
            for index in baseline { pooled += values[spans[index]] }
            let current = Array(values[spans[session]])
            // A long history is tested on a stratified sample of it (`Sample`),
            // so a test costs the same whatever the baseline's size.
            let tested = pooled.count > Sample.capacity ? Sample(drawingFrom: pooled).values : pooled
            let currentTested = current.count > Sample.capacity ? Sample(drawingFrom: current).values : current
            let test = SessionComparison.test(current: currentTested, baseline: tested)
            let baselineCount = pooled.count
            let baselineMedian = Summary.quantile(&pooled, 0.5) ?? .nan
            outcomes.append(
                Outcome(
                    session: session, baseline: baseline, baselineMedian: baselineMedian, baselineCount: baselineCount,
                    currentMedian: figures[session].median ?? .nan, currentCount: current.count, test: test))
        }
        return SessionHistory(figures: figures, outcomes: outcomes)
    }

    /// The fewest runs a night is tested with, night against night: its
    /// median against the nights before it of as many runs. Fewer (a smoke
    /// run's one or two values) are no night's figure.
    static let minimumNightRuns = 3

    /// Whether the session at `position` (in `chronological`) comes before
    /// every session that could be its baseline: the group's history, not new
    /// and `usable`, is all measured after it.
    static func predatesHistory(_ position: Int, chronological: [Int], isNew: [Bool], usable: (Int) -> Bool) -> Bool {
        func history(_ session: Int) -> Bool { !isNew[session] && usable(session) }
        return !chronological[..<position].contains(where: history) && chronological[(position + 1)...].contains(where: history)
    }

    /// The baseline of the session at `position` (in `chronological`): up to
    /// `window` sessions measured before it, newest first then returned oldest
    /// first, that are not new themselves, are `usable`, were stored by the
    /// pin and after an accepted level, and ran where it ran. Also what the
    /// sessions passed over for their environment differ in, and how many the
    /// pin left out.
    static func baseline(
        of position: Int, chronological: [Int], isNew: [Bool], usable: (Int) -> Bool, window: Int, pinned: [Bool]?,
        environments: [SessionEnvironment]?, accepted: [Bool]?
    ) -> (sessions: [Int], differences: [String], outsidePin: Int) {
        let session = chronological[position]
        var baseline: [Int] = []
        var differences: [String] = []
        var outsidePin = 0
        var earlier = position - 1
        while earlier >= 0, baseline.count < window {
            let candidate = chronological[earlier]
            earlier -= 1
            guard !isNew[candidate] && usable(candidate) && accepted?[candidate] ?? true else { continue }
            guard pinned?[candidate] ?? true else {
                outsidePin += 1
                continue
            }
            if let environments {
                let differs = environments[session].differences(from: environments[candidate])
                guard differs.isEmpty else {
                    for difference in differs where !differences.contains(difference) { differences.append(difference) }
                    continue
                }
            }
            baseline.append(candidate)
        }
        return (baseline.reversed(), differences, outsidePin)
    }
}
