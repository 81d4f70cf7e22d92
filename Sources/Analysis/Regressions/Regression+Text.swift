import Foundation

/// How reports state a regression: one sentence, every figure from the
/// regression itself (and listed, so checks can trace each number).
extension Regression {
    /// The group as reports name it: the model (or the benchmark, after its
    /// tool), and its configuration if any.
    package var label: String {
        let name = Regression.name(tool: tool, model: model)
        return configuration.isEmpty ? name : "\(name) (\(configuration.rendered))"
    }

    package func value(_ value: Double) -> String {
        metric.text(value, unit: unit)
    }

    /// "tok/s 78.43 → 63.20 (Hodges-Lehmann -19.4%, 95% CI -23.0% to -15.1%, q = 0.0014)".
    package var changeText: (text: String, figures: [String]) {
        let was = value(baseline.median)
        let now = value(current.median)
        let change = Figures.signedPercent(changePercent)
        let low = Figures.signedPercent(intervalPercent.lowerBound)
        let high = Figures.signedPercent(intervalPercent.upperBound)
        let q = Figures.pValue(qValue)
        // "q < 0.001", or "q = 0.012".
        let qText = q.hasPrefix("<") ? "q " + q : "q = " + q
        // Sessions that all gave one figure leave no interval to state
        // (`SessionComparison.testAgainstSessions`): said so instead of "CI -47% to -47%".
        let interval = (low: intervalPercent.lowerBound, high: intervalPercent.upperBound)
        let stated = basis.changeText(change, low: low, high: high, interval: interval, was: was)
        return (
            "\(metric.label) \(was) → \(now) (\(stated), \(qText))",
            basis.isOneFigure(interval) ? [was, now, change, was, q] : [was, now, change, "95%", low, high, q]
        )
    }

    /// Its change as a resolution restates it, named as `changeText` names
    /// it: beside the recovery's ratio of medians, an unnamed Hodges-Lehmann
    /// figure read as another of the same kind.
    private var openedChange: String {
        basis.changeName(Figures.signedPercent(changePercent))
    }

    /// When a session was measured, as reports state times (ISO 8601, UTC,
    /// to the second): a file appended to every night names no night, and
    /// a backlog's regressions all open on the day it lands.
    package static func measured(_ seconds: Double?) -> String? {
        guard let seconds, seconds.isFinite, seconds > 0 else { return nil }
        return Date(timeIntervalSince1970: seconds.rounded(.down)).formatted(.iso8601)
    }

    /// Its session's files, and when that session was measured if known.
    private var sessionText: (text: String, figures: [String]) {
        let sources = currentSources.joined(separator: ", ")
        guard let measured = Regression.measured(sessionMeasuredAt) else { return (sources, []) }
        return ("\(sources) (measured \(measured))", [measured])
    }

    /// The whole sentence a report lists an open regression with.
    package var openText: (text: String, figures: [String]) {
        let change = changeText
        let runs = String(current.n)
        let baselineRuns = String(baseline.n)
        let sessions = String(baselineSessions)
        let session = sessionText
        let source = session.text
        // A later session still in it says where the group is now.
        var since = ""
        var sinceFigures: [String] = []
        if let latest {
            let now = value(latest.median)
            let move = Figures.signedPercent(latest.changePercent)
            // Its runs: a night of one run at the old speed is no recovery, and reads as none.
            let runs = String(latest.runs)
            since =
                "; the latest session, \(latest.source) (\(runs) run\(latest.runs == 1 ? "" : "s")): \(metric.label) \(now) (\(move) against the baseline)"
            sinceFigures = [runs, now, move]
        }
        // Reopened: a session that recovered it turned out as slow once it had all its runs.
        let why =
            switch reopenReason {
            case .deleted: "the file of the session that had recovered it being deleted"
            case .fileReturned: "its deleted file being written again with its session"
            case .slower, nil: "the session that had recovered it being as slow with more of its runs"
            }
        let reopened = reopenedAt.map { "; reopened \($0), \(why)" } ?? ""
        let reopenedFigures = reopenedAt.map { [$0] } ?? []
        if basis == .sessions {
            return (
                "#\(id) \(label): \(change.text); the figure of \(source) against those of the \(sessions) sessions before it; open since \(openedAt)\(reopened)\(since).",
                [String(id)] + change.figures + session.figures + [sessions, openedAt] + reopenedFigures + sinceFigures
            )
        }
        return (
            "#\(id) \(label): \(change.text); \(runs) runs in \(source) against \(baselineRuns) runs of the \(sessions) session\(baselineSessions == 1 ? "" : "s") before it; open since \(openedAt)\(reopened)\(since).",
            [String(id)] + change.figures + [runs] + session.figures + [baselineRuns, sessions, openedAt] + reopenedFigures + sinceFigures
        )
    }

    /// The group's newest session after the one that opened this regression,
    /// where that one ran (an environment that does not differ), with its
    /// median of the metric: nil for a benchmark other than a run group, and
    /// when no later session of the group has a median.
    package func latestSession(in groups: [RunGroup]) -> Latest? {
        guard let newest = laterSessions(in: groups).last else { return nil }
        let figures = self.figures(of: newest)
        guard let median = figures.median, median.isFinite, baseline.median > 0 else { return nil }
        return Latest(
            median: median, source: newest.source, measuredAt: newest.measuredAt, changePercent: (median / baseline.median - 1) * 100,
            runs: figures.n, isNew: newest.isNew)
    }

    /// The first session measured after the one that opened this
    /// regression, where it ran, read before this report and with enough
    /// runs, that is not worse than the baseline by `minimumEffect`: the
    /// night a regression opened late (a file copied in out of order) was
    /// already back at. Nil for another benchmark's regression, and when
    /// every such session is still worse.
    package func firstSessionBack(in groups: [RunGroup], minimumEffect: Double) -> Latest? {
        guard baseline.median > 0 else { return nil }
        for session in laterSessions(in: groups) where !session.isNew {
            let figures = self.figures(of: session)
            guard let median = figures.median, median.isFinite, figures.n >= MannWhitney.minimumRuns else { continue }
            let change = (median / baseline.median - 1) * 100
            if metric.direction.isWorse(change) && abs(change) >= minimumEffect { continue }
            return Latest(
                median: median, source: session.source, measuredAt: session.measuredAt, changePercent: change, runs: figures.n, isNew: false)
        }
        return nil
    }

    /// The median of the newest session measured after `time` and read in
    /// an earlier report (a new one had its own say), with enough runs, where
    /// the regression ran; nil when there is none.
    func newestSessionRead(after time: Double, in groups: [RunGroup]) -> (median: Double, source: String)? {
        for session in laterSessions(in: groups).reversed() where !session.isNew && session.measuredAt > time {
            let figures = self.figures(of: session)
            guard let median = figures.median, median.isFinite, figures.n >= MannWhitney.minimumRuns else { continue }
            return (median, session.source)
        }
        return nil
    }

    /// Its run group among `groups`: nil for another benchmark's regression.
    package func group(in groups: [RunGroup]) -> RunGroup? {
        guard tool == nil else { return nil }
        return groups.first { $0.model == model && $0.configuration == configuration }
    }

    /// Its group's sessions measured after its own, where it ran, oldest first.
    private func laterSessions(in groups: [RunGroup]) -> [Session] {
        guard let opened = sessionMeasuredAt, let group = group(in: groups) else { return [] }
        let environment = SessionEnvironment(parameters: self.environment)
        return group.sessions.filter { $0.measuredAt > opened && $0.environment.of(metric).differences(from: environment).isEmpty }
            .sorted { ($0.measuredAt, $0.source) < ($1.measuredAt, $1.source) }
    }

    /// A session's figures of its metric.
    func figures(of session: Session) -> SessionFigures {
        metric == .ttftSeconds ? session.ttftSeconds : session.tokensPerSecond
    }

    /// How it was resolved, in a sentence.
    package var resolvedText: (text: String, figures: [String]) {
        switch resolution {
        case .recovered(let source, let change):
            // What it was, then what mended it: a night that slowed and the
            // next that recovered, in one report, are read in one line.
            let opened = Figures.signedPercent(changePercent)
            let changeText = Figures.signedPercent(change)
            let session = sessionText
            let recovered = Regression.measured(recoveredSessionAt)
            let recoveredBy = recovered.map { "\(source) (measured \($0))" } ?? source
            // Reopened before: the session that first "recovered" it turned out as slow.
            let why =
                switch reopenReason {
                case .deleted: "the file of the session that first recovered it was deleted"
                case .fileReturned: "its deleted file was written again with its session"
                case .slower, nil: "the session that first recovered it turned out as slow"
                }
            let reopened = reopenedAt.map { ", reopened \($0) (\(why))" } ?? ""
            return (
                "#\(id) \(label) \(metric.label): \(openedChange) in \(session.text)\(reopened), recovered by \(recoveredBy) (\(changeText) against the baseline of \(value(baseline.median))).",
                [String(id), opened] + session.figures + (reopenedAt.map { [$0] } ?? []) + (recovered.map { [$0] } ?? []) + [
                    changeText, value(baseline.median),
                ]
            )
        case .acknowledged(let note):
            return ("#\(id) \(label) \(metric.label): acknowledged (\(note)).", [String(id)])
        case .withdrawn(let differences):
            let opened = Figures.signedPercent(changePercent)
            let session = sessionText
            let shown = Array(differences.prefix(2))
            return (
                "#\(id) \(label) \(metric.label): \(openedChange) in \(session.text), withdrawn: that session ran elsewhere than its baseline (\(shown.joined(separator: "; "))), so they were not comparable.",
                [String(id), opened] + session.figures + shown
            )
        case .deleted:
            let opened = Figures.signedPercent(changePercent)
            let session = sessionText
            return (
                "#\(id) \(label) \(metric.label): \(openedChange) in \(session.text), deleted with its session's file.",
                [String(id), opened] + session.figures
            )
        case nil:
            return openText
        }
    }
}
