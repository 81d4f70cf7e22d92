import Analysis
import Logging
import Records
import Store
import Systemd

/// The report stage after analysis: the store's open regressions of the
/// report's scope, updated by the sessions new in this report (opened,
/// recovered), ready to show. Nothing is stored here: the moves are saved
/// with the report's record, so a report that does not land moves nothing.
struct RegressionUpdate {
    var state: RegressionState
    /// The moves as the store keeps them; `movedRows`, the open ones whose
    /// session grew (new figures) or whose
    /// session's file was renamed since (their sources follow it).
    var openedRows: [Store.RegressionRow]
    var movedRows: [Store.RegressionRow]
    var reopenedRows: [Store.RegressionRow]
    var resolvedRows: [Store.RegressionRow]

    /// How many resolved regressions a report lists.
    static let resolvedShown = 20

    /// - Parameter history: the scope's regressions as the store held them
    ///   before this report (read once, for the analysis too).
    init(facts: Facts, history: RegressionHistory, scope: String, store: Store, policy: RegressionPolicy, at now: String) throws {
        var stored = history.open.compactMap(Regression.init(row:))
        // A rotated or moved results file takes its regressions with it: the
        // line names where the slow session is now, not a file now holding others.
        var moved: [Regression] = []
        for index in stored.indices {
            let sources = stored[index].currentSources.map { RegressionUpdate.path($0, after: facts.inputs.renamed) }
            // Its baseline's files too: a withdrawal looks at the sessions it was tested against.
            let baseline = stored[index].baselineSources.map { RegressionUpdate.path($0, after: facts.inputs.renamed) }
            if sources != stored[index].currentSources || baseline != stored[index].baselineSources {
                stored[index].currentSources = sources
                stored[index].baselineSources = baseline
                moved.append(stored[index])
            }
        }
        // One whose session's file was deleted while a copy counts follows the copy.
        let deletedFiles = Set(facts.inputs.deleted)
        for followed in RegressionLedger.followToSurvivingCopy(&stored, deleted: deletedFiles, runGroups: facts.runGroups) {
            moved.removeAll { $0.id == followed.id }
            moved.append(followed)
        }
        // A regression whose session's file was deleted goes first: a later
        // night still as slow then opens one of its own.
        let deleted = RegressionLedger.resolveWhereSessionDeleted(
            &stored, deleted: Set(facts.inputs.deleted), runGroups: facts.runGroups, at: now)
        // Recovered ones, by the file their recovering session is in now: that session, grown, may reopen one.
        var recovered = history.recovered.compactMap(Regression.init(row:)).map { regression in
            var regression = regression
            if case .recovered(let source, let change) = regression.resolution {
                regression.resolution = .recovered(source: RegressionUpdate.path(source, after: facts.inputs.renamed), changePercent: change)
            }
            return regression
        }
        // One whose recovering session's file was deleted (a bad run
        // discarded) and is in no copy either never recovered: it is open
        // again before the new sessions are tested, so a slow night landing
        // now is its, not a second one's.
        let reopenedForDeletion = RegressionUpdate.reopenWhereRecoveryDeleted(
            &recovered, deleted: deletedFiles, runGroups: facts.runGroups, at: now)
        // One resolved as deleted whose file is back with its session: open
        // again, as if the file had never gone.
        let returned = RegressionUpdate.reopenWhereFileReturned(history.returned, runGroups: facts.runGroups, at: now)
        var moves = RegressionLedger.update(
            open: stored + reopenedForDeletion + returned, recovered: recovered, comparisons: facts.sessionComparisons, policy: policy,
            at: now)
        moves.reopened += reopenedForDeletion + returned
        moves.resolved += deleted
        // Ids for what opens now, in order, in place of the provisional ones,
        // so the report can name them (one that recovered at once too).
        var next = try store.nextRegressionID()
        var ids: [Int64: Int64] = [:]
        for index in moves.opened.indices {
            ids[moves.opened[index].id] = next
            moves.opened[index].id = next
            next += 1
        }
        for index in moves.open.indices {
            if let id = ids[moves.open[index].id] { moves.open[index].id = id }
        }
        RegressionLedger.withdrawWhereEnvironmentDiffers(&moves, runGroups: facts.runGroups, at: now)
        RegressionLedger.resolveRecoveredSince(&moves, runGroups: facts.runGroups, policy: policy, at: now)
        for index in moves.resolved.indices { if let id = ids[moves.resolved[index].id] { moves.resolved[index].id = id } }
        // After the ids: one opened and recovered now may be kept open, under its id.
        RegressionLedger.keepOpenWhileNewerSessionsAreWorse(&moves, runGroups: facts.runGroups, policy: policy)
        for index in moves.open.indices { moves.open[index].latest = moves.open[index].latestSession(in: facts.runGroups) }
        let earlierRows = try store.resolvedRegressions(scope: scope, limit: RegressionUpdate.resolvedShown)
        let earlier = earlierRows.compactMap(Regression.init(row:))
        let resolvedNow = moves.resolved.sorted { $0.id > $1.id }
        // A reopened one is no longer among the resolved ones the store listed.
        let reopenedIDs = Set(moves.reopened.map(\.id))
        state = RegressionState(
            open: moves.open,
            resolved: Array((resolvedNow + earlier.filter { !reopenedIDs.contains($0.id) }).prefix(RegressionUpdate.resolvedShown)),
            opened: moves.opened, resolvedNow: resolvedNow)
        // With the newest session each open one now has (the open list's copies);
        // one a later session recovered again in this report, as resolved.
        state.reopened = moves.reopened.map { reopened in
            moves.open.first { $0.id == reopened.id } ?? moves.resolved.first { $0.id == reopened.id } ?? reopened
        }
        // Times are ISO 8601 in UTC to the second: ordered as text. An ack in the
        // previous report's own second is not told apart from one just before
        // it, so it is not repeated (report.json lists it with the resolved ones).
        if let previous = facts.changes.previousReportAt {
            state.acknowledgedSince = earlier.filter { $0.isAcknowledged && ($0.resolvedAt ?? "") > previous }
            // Of this report's own inputs: a regression of narrower ones has
            // its event named by them (`chimerad regressions ack` posts it so).
            state.acknowledgedToPost = earlierRows.filter { $0.scope == scope }.compactMap(Regression.init(row:)).filter {
                $0.isAcknowledged && ($0.resolvedAt ?? "") >= previous
            }
        }
        openedRows = moves.opened.map { $0.row(scope: scope) }
        // Renamed sources and grown sessions both update the stored row: the
        // ledger's copy holds both (it was made from the moved one).
        let revisedIDs = Set(moves.revised.map(\.id))
        movedRows = (moved.filter { !revisedIDs.contains($0.id) } + moves.revised).map { $0.row(scope: scope) }
        // Recovered and acknowledged ones follow their files too: their
        // sessions still mark where a spell or an accepted level starts.
        for var row in history.recovered + history.acknowledged {
            var sources = row.currentSources.map { RegressionUpdate.path($0, after: facts.inputs.renamed) }
            // Or the copy counting in place of their deleted session's file.
            if let regression = Regression(row: row) {
                var one = [regression]
                if let followed = RegressionLedger.followToSurvivingCopy(&one, deleted: deletedFiles, runGroups: facts.runGroups).first {
                    sources = followed.currentSources
                }
            }
            guard sources != row.currentSources else { continue }
            row.currentSources = sources
            row.baselineSources = row.baselineSources.map { RegressionUpdate.path($0, after: facts.inputs.renamed) }
            movedRows.append(row)
        }
        reopenedRows = moves.reopened.map { $0.row(scope: scope) }
        resolvedRows = moves.resolved.map { $0.row(scope: scope) }
    }

    /// The run groups' recovered regressions whose recovering session's file
    /// is deleted and whose session no copy holds, taken from `recovered`
    /// and reopened.
    static func reopenWhereRecoveryDeleted(
        _ recovered: inout [Regression], deleted: Set<String>, runGroups: [RunGroup], at now: String
    ) -> [Regression] {
        guard !deleted.isEmpty else { return [] }
        var reopened: [Regression] = []
        recovered.removeAll { regression in
            guard regression.tool == nil, case .recovered(let source, _) = regression.resolution, deleted.contains(source),
                let at = regression.recoveredSessionAt
            else { return false }
            if regression.group(in: runGroups)?.sessions.contains(where: { $0.measuredAt == at }) == true { return false }
            var again = regression
            again.reopen(at: now, because: .deleted)
            reopened.append(again)
            return true
        }
        return reopened
    }

    /// The regressions resolved as deleted whose file this report reads
    /// again (`RegressionHistory.returned`) and whose session is in their
    /// group again, reopened.
    static func reopenWhereFileReturned(_ rows: [Store.RegressionRow], runGroups: [RunGroup], at now: String) -> [Regression] {
        rows.compactMap(Regression.init(row:)).compactMap { regression in
            guard let at = regression.sessionMeasuredAt,
                regression.group(in: runGroups)?.sessions.contains(where: { $0.measuredAt == at }) == true
            else { return nil }
            var again = regression
            again.reopen(at: now, because: .fileReturned)
            return again
        }
    }

    /// Where `path` is after the report's renames: each rename describes one
    /// file's (or folder's) move, so they apply together, never one after
    /// another (a swap of two names moves each once).
    static func path(_ path: String, after renames: [InputFacts.Renamed]) -> String {
        for rename in renames {
            if path == rename.from { return rename.to }
            if path.hasPrefix(rename.from + "/") { return rename.to + path.dropFirst(rename.from.count) }
        }
        return path
    }

    /// One journal entry per regression opened and per regression resolved,
    /// each with its own `MESSAGE_ID` (see `systemd/chimerad.catalog`).
    static func log(_ state: RegressionState, logger: Logger) {
        for regression in state.opened {
            logger.warning(
                "regression opened",
                metadata: regression.journalFields(messageID: JournalMessageID.regressionOpened).merging([
                    "change_percent": "\(Figures.fixed(regression.changePercent, 1))",
                    "source": "\(regression.currentSources.joined(separator: ", "))",
                ]) { $1 })
        }
        for regression in state.reopened {
            var fields: Logger.Metadata = ["reopen_count": "\(regression.reopenCount)"]
            fields["reopen_reason"] = "\(regression.reopenReason?.rawValue ?? "")"
            if let session = regression.reopenedBy {
                fields["source"] = "\(session.source)"
                if session.changePercent.isFinite { fields["change_percent"] = "\(Figures.fixed(session.changePercent, 1))" }
            } else if regression.reopenReason == .fileReturned {
                // Its own session, back with its file.
                fields["source"] = "\(regression.currentSources.joined(separator: ", "))"
                fields["change_percent"] = "\(Figures.fixed(regression.changePercent, 1))"
            }
            logger.warning(
                "regression reopened", metadata: regression.journalFields(messageID: JournalMessageID.regressionReopened).merging(fields) { $1 })
        }
        for regression in state.resolvedNow {
            var fields: Logger.Metadata = ["resolution": "\(regression.resolution?.kind ?? "")"]
            switch regression.resolution {
            // What mended it: the file of the session that recovered, and its change against the baseline.
            case .recovered(let source, let change):
                fields["recovered_by"] = "\(source)"
                if change.isFinite { fields["recovered_change_percent"] = "\(Figures.fixed(change, 1))" }
            case .withdrawn(let differences):
                fields["environment_differences"] = "\(differences.joined(separator: "; "))"
            case .acknowledged, .deleted, nil: break
            }
            logger.notice(
                "regression resolved", metadata: regression.journalFields(messageID: JournalMessageID.regressionResolved).merging(fields) { $1 })
        }
    }
}

extension Regression {
    fileprivate func journalFields(messageID: String) -> Logger.Metadata {
        [
            "message_id": "\(messageID)", "regression_id": "\(id)", "model": "\(model)",
            "configuration": "\(configuration.rendered)", "metric": "\(metric.rawValue)",
            // What change_percent is: the Hodges-Lehmann shift (runs) or the distance from the sessions' geometric mean.
            "basis": "\(basis.rawValue)",
        ].merging(tool.map { ["tool": "\($0)"] } ?? [:]) { $1 }
    }

    /// A stored row back as a regression; nil for a metric this version does not know.
    init?(row: Store.RegressionRow) {
        guard let metric = TestedMetric(rawValue: row.metric) else { return nil }
        let resolution: Resolution?
        switch row.resolution {
        case "recovered": resolution = .recovered(source: row.resolutionSource ?? "", changePercent: row.resolutionChange ?? .nan)
        case "acknowledged": resolution = .acknowledged(note: row.note ?? "")
        // Its differences in `resolution_source`, as the store keeps a list (values come from files: any text).
        case "withdrawn": resolution = .withdrawn(differences: Store.strings(row.resolutionSource))
        case "deleted": resolution = .deleted
        default: resolution = nil
        }
        self.init(
            id: row.id, model: row.model, configuration: Regression.currentConfiguration(tool: row.tool, row.configuration), metric: metric,
            baseline: .init(median: row.baselineMedian, n: row.baselineCount), baselineSessions: row.baselineSessions,
            current: .init(median: row.currentMedian, n: row.currentCount), currentSources: row.currentSources,
            changePercent: row.changePercent, intervalPercent: min(row.intervalLow, row.intervalHigh)...max(row.intervalLow, row.intervalHigh),
            pValue: row.pValue, qValue: row.qValue, openedAt: row.openedAt, resolvedAt: row.resolvedAt, resolution: resolution)
        environment = row.environment
        baselineSources = row.baselineSources
        sessionMeasuredAt = row.sessionMeasuredAt
        recoveredSessionAt = row.recoveredSessionAt
        reopenedAt = row.reopenedAt
        reopenCount = row.reopenCount
        reopenReason = row.reopenReason.flatMap(ReopenReason.init(rawValue:))
        tool = row.tool
        unit = row.unit
        basis = row.basis.flatMap(SessionComparison.Basis.init(rawValue:)) ?? .runs
    }

    func row(scope: String) -> Store.RegressionRow {
        var row = Store.RegressionRow(
            id: id, scope: scope, model: model, configuration: configuration, metric: metric.rawValue,
            baselineMedian: baseline.median, baselineCount: baseline.n, baselineSessions: baselineSessions,
            currentMedian: current.median, currentCount: current.n, currentSources: currentSources, changePercent: changePercent,
            intervalLow: intervalPercent.lowerBound, intervalHigh: intervalPercent.upperBound, pValue: pValue, qValue: qValue,
            openedAt: openedAt, resolvedAt: resolvedAt)
        row.environment = environment
        row.baselineSources = baselineSources
        row.sessionMeasuredAt = sessionMeasuredAt
        row.recoveredSessionAt = recoveredSessionAt
        row.reopenedAt = reopenedAt
        row.reopenCount = reopenCount
        row.reopenReason = reopenReason?.rawValue
        row.tool = tool
        row.unit = unit
        row.basis = basis == .runs ? nil : basis.rawValue
        row.resolution = resolution?.kind
        switch resolution {
        case .recovered(let source, let change):
            row.resolutionSource = source
            row.resolutionChange = change
        case .acknowledged(let note): row.note = note
        case .withdrawn(let differences): row.resolutionSource = Store.text(differences)
        case .deleted, nil: break
        }
        return row
    }

}
