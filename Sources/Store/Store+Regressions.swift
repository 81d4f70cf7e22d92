import Foundation
import GRDB
import Records

/// Regressions, open and resolved, per report scope (the inputs a report
/// covers): the one-shot `report` and the daemon over the same inputs keep
/// and resolve the same ones.
extension Store {
    /// One stored regression, field for field (analysis's `Regression`
    /// without its types: the store knows rows, not analysis).
    package struct RegressionRow: Sendable, Equatable {
        package var id: Int64
        package var scope: String
        package var model: String
        package var configuration: [Parameter]
        package var environment: [Parameter] = []
        /// When the session that opened it was measured (seconds since 1970):
        /// an acknowledged regression's new level is the baseline from there on.
        package var sessionMeasuredAt: Double?
        package var metric: String
        /// A benchmark's tool and rate unit (nil for a run group's regression).
        package var tool: String?
        package var unit: String?
        /// `sessions` when a session's figure was tested against earlier
        /// sessions' figures; nil when runs were (`SessionComparison.Basis`).
        package var basis: String?
        package var baselineMedian: Double
        package var baselineCount: Int
        package var baselineSessions: Int
        /// The file of each baseline session, as a JSON array; empty for rows before v12.
        package var baselineSources: [String] = []
        package var currentMedian: Double
        package var currentCount: Int
        package var currentSources: [String]
        package var changePercent: Double
        package var intervalLow: Double
        package var intervalHigh: Double
        package var pValue: Double
        package var qValue: Double
        package var openedAt: String
        package var resolvedAt: String?
        /// `recovered` or `acknowledged` once resolved.
        package var resolution: String?
        package var resolutionSource: String?
        package var resolutionChange: Double?
        /// When the session that recovered it was measured (seconds since
        /// 1970); nil for rows resolved before v13 and other resolutions.
        package var recoveredSessionAt: Double?
        package var note: String?
        /// When it was last reopened (its recovering session turned out as
        /// slow), and how many times; nil and 0 for one never reopened.
        package var reopenedAt: String?
        package var reopenCount = 0
        /// `slower` or `deleted` (`Regression.ReopenReason`).
        package var reopenReason: String?

        package init(
            id: Int64, scope: String, model: String, configuration: [Parameter], metric: String, baselineMedian: Double,
            baselineCount: Int, baselineSessions: Int, currentMedian: Double, currentCount: Int, currentSources: [String],
            changePercent: Double, intervalLow: Double, intervalHigh: Double, pValue: Double, qValue: Double, openedAt: String,
            resolvedAt: String? = nil, resolution: String? = nil, resolutionSource: String? = nil, resolutionChange: Double? = nil,
            note: String? = nil
        ) {
            self.id = id
            self.scope = scope
            self.model = model
            self.configuration = configuration
            self.metric = metric
            self.baselineMedian = baselineMedian
            self.baselineCount = baselineCount
            self.baselineSessions = baselineSessions
            self.currentMedian = currentMedian
            self.currentCount = currentCount
            self.currentSources = currentSources
            self.changePercent = changePercent
            self.intervalLow = intervalLow
            self.intervalHigh = intervalHigh
            self.pValue = pValue
            self.qValue = qValue
            self.openedAt = openedAt
            self.resolvedAt = resolvedAt
            self.resolution = resolution
            self.resolutionSource = resolutionSource
            self.resolutionChange = resolutionChange
            self.note = note
        }
    }

    /// The scope's open regressions (see `scopes(within:)`), oldest first.
    package func openRegressions(scope: String) throws(Failure) -> [RegressionRow] {
        try read { db in
            let scopes = try Store.scopes(within: scope, in: db)
            return try Row.fetchAll(
                db, sql: "SELECT * FROM regression WHERE scope IN (\(Store.placeholders(scopes.count))) AND resolved_at IS NULL ORDER BY id",
                arguments: StatementArguments(scopes)
            ).map(Store.regression)
        }
    }

    /// The scopes a report over `scope` (its inputs joined by newlines)
    /// answers for: its own, and every scope whose inputs are all among its
    /// own. A watch root added to the daemon starts a new scope; what the old
    /// one had open stays open in it, resolved where it is resolved.
    static func scopes(within scope: String, in db: Database) throws -> [String] {
        let inputs = Set(scope.split(separator: "\n", omittingEmptySubsequences: false))
        let others = try String.fetchAll(db, sql: "SELECT DISTINCT scope FROM regression WHERE scope != ?", arguments: [scope])
        return [scope] + others.filter { $0.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy(inputs.contains) }
    }

    /// `?, ?, ...` for `count` arguments.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// The scope's most recently resolved regressions, newest first.
    package func resolvedRegressions(scope: String, limit: Int) throws(Failure) -> [RegressionRow] {
        try read { db in
            let scopes = try Store.scopes(within: scope, in: db)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM regression WHERE scope IN (\(Store.placeholders(scopes.count))) AND resolved_at IS NOT NULL
                    ORDER BY resolved_at DESC, id DESC LIMIT ?
                    """,
                arguments: StatementArguments(scopes) + [limit]
            ).map(Store.regression)
        }
    }

    /// How many regressions are open, over every scope (`chimerad status`).
    package func openRegressionCount() throws(Failure) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM regression WHERE resolved_at IS NULL") ?? 0 }
    }

    /// The first `limit` regressions of every scope, open ones first, newest
    /// first, and how many there are, open and resolved: one read, so the
    /// counts are of the rows listed and a report landing between cannot part them.
    package func regressionListing(limit: Int) throws(Failure) -> (rows: [RegressionRow], open: Int, resolved: Int) {
        try read { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM regression ORDER BY resolved_at IS NOT NULL, id DESC LIMIT ?", arguments: [limit]
            ).map(Store.regression)
            let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM regression WHERE resolved_at IS NULL") ?? 0
            let all = try Int.fetchOne(db, sql: "SELECT count(*) FROM regression") ?? 0
            return (rows, open, all - open)
        }
    }

    /// How a regression was resolved, as the store spells it.
    package enum Resolution: String, Sendable {
        /// `chimerad regressions ack`: its level is accepted.
        case acknowledged
        /// A later session was back at the baseline's level.
        case recovered
        /// Its session's file was deleted (perhaps to be written again).
        case deleted
    }

    /// The regressions of a scope resolved as `resolution`, whose session is
    /// known, newest first. An acknowledged one's group and metric take its
    /// level as their baseline from its session on; a recovered one's session
    /// was an outlier, which later baselines leave out; a deleted one's file
    /// may be back.
    package func regressions(scope: String, resolvedAs resolution: Resolution) throws(Failure) -> [RegressionRow] {
        try read { db in
            let scopes = try Store.scopes(within: scope, in: db)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM regression WHERE scope IN (\(Store.placeholders(scopes.count)))
                    AND resolution = ? AND session_measured_at IS NOT NULL ORDER BY id DESC
                    """,
                arguments: StatementArguments(scopes) + [resolution.rawValue]
            ).map(Store.regression)
        }
    }

    package func regression(id: Int64) throws(Failure) -> RegressionRow? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM regression WHERE id = ?", arguments: [id]).map(Store.regression)
        }
    }

    /// The id the next regression opened will have (the caller holds the
    /// state lock, so no other process opens one in between).
    package func nextRegressionID() throws(Failure) -> Int64 {
        try read { db in
            (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM regression")) ?? 1
        }
    }

    /// Resolves an open regression as acknowledged; nil when there is no
    /// open regression with that id. `notification` gives the webhook's event
    /// for the resolved row (nil: none), queued in the same transaction.
    package func acknowledgeRegression(
        id: Int64, note: String, at time: String, notification: (RegressionRow) throws -> OutboxEntry? = { _ in nil }
    ) throws(Failure) -> RegressionRow? {
        try write { db in
            try db.execute(
                sql: """
                    UPDATE regression SET resolved_at = ?, resolution = 'acknowledged', note = ?
                    WHERE id = ? AND resolved_at IS NULL
                    """, arguments: [time, note, id])
            guard db.changesCount == 1 else { return nil }
            let row = try Row.fetchOne(db, sql: "SELECT * FROM regression WHERE id = ?", arguments: [id]).map(Store.regression)
            if let row, let entry = try notification(row) { _ = try Store.queue([entry], in: db) }
            return row
        }
    }

    /// Stores a report's moves: the regressions it opened (with the ids it
    /// gave them), those whose files were renamed or whose session grew
    /// (`moved`: their sources and figures) and those it resolved.
    static func save(
        opened: [RegressionRow], moved: [RegressionRow] = [], reopened: [RegressionRow] = [], resolved: [RegressionRow], in db: Database
    ) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO regression (id, scope, model, configuration, metric, baseline_median, baseline_n, baseline_sessions,
                    current_median, current_n, current_sources, change_percent, ci_low, ci_high, p_value, q_value, opened_at,
                    environment, session_measured_at, tool, unit, basis, baseline_sources)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for row in opened {
            try insert.execute(arguments: [
                row.id, row.scope, row.model, Store.text(row.configuration), row.metric, row.baselineMedian, row.baselineCount,
                row.baselineSessions, row.currentMedian, row.currentCount, Store.text(row.currentSources), row.changePercent,
                row.intervalLow, row.intervalHigh, row.pValue, row.qValue, row.openedAt, Store.text(row.environment),
                row.sessionMeasuredAt, row.tool, row.unit, row.basis, Store.text(row.baselineSources),
            ])
        }
        // A moved row's sources, a grown session's figures and an environment
        // learnt since (the same otherwise).
        let move = try db.cachedStatement(
            sql: """
                UPDATE regression SET current_sources = ?, current_median = ?, current_n = ?, baseline_median = ?, baseline_n = ?,
                    baseline_sessions = ?, change_percent = ?, ci_low = ?, ci_high = ?, p_value = ?, q_value = ?,
                    environment = ?, baseline_sources = ?
                WHERE id = ?
                """)
        for row in moved {
            try move.execute(arguments: [
                Store.text(row.currentSources), row.currentMedian, row.currentCount, row.baselineMedian, row.baselineCount,
                row.baselineSessions, row.changePercent, row.intervalLow, row.intervalHigh, row.pValue, row.qValue,
                Store.text(row.environment), Store.text(row.baselineSources), row.id,
            ])
        }
        // Before the resolutions: one reopened and recovered again in one report ends resolved.
        // A recovered one, or one deleted with its file, which came back (`file_returned`).
        let reopen = try db.cachedStatement(
            sql: """
                UPDATE regression SET resolved_at = NULL, resolution = NULL, resolution_source = NULL, resolution_change = NULL,
                    recovered_session_at = NULL, reopened_at = ?, reopen_count = reopen_count + 1, reopen_reason = ?
                WHERE id = ? AND resolution IN ('recovered', 'deleted')
                """)
        for row in reopened { try reopen.execute(arguments: [row.reopenedAt, row.reopenReason, row.id]) }
        let resolve = try db.cachedStatement(
            sql: """
                UPDATE regression SET resolved_at = ?, resolution = ?, resolution_source = ?, resolution_change = ?, note = ?,
                    recovered_session_at = ?
                WHERE id = ? AND resolved_at IS NULL
                """)
        for row in resolved {
            try resolve.execute(arguments: [
                row.resolvedAt, row.resolution, row.resolutionSource, row.resolutionChange, row.note, row.recoveredSessionAt, row.id,
            ])
        }
    }

    static func regression(_ row: Row) -> RegressionRow {
        var regression = RegressionRow(
            id: row["id"], scope: row["scope"], model: row["model"],
            configuration: Store.strings(row["configuration"]).pairs.map { Parameter($0.0, $0.1) }, metric: row["metric"],
            baselineMedian: row["baseline_median"], baselineCount: row["baseline_n"], baselineSessions: row["baseline_sessions"],
            currentMedian: row["current_median"], currentCount: row["current_n"],
            currentSources: Store.strings(row["current_sources"]), changePercent: row["change_percent"],
            intervalLow: row["ci_low"], intervalHigh: row["ci_high"], pValue: row["p_value"], qValue: row["q_value"],
            openedAt: row["opened_at"], resolvedAt: row["resolved_at"], resolution: row["resolution"],
            resolutionSource: row["resolution_source"], resolutionChange: row["resolution_change"], note: row["note"])
        regression.environment = Store.strings(row["environment"]).pairs.map { Parameter($0.0, $0.1) }
        regression.sessionMeasuredAt = row["session_measured_at"]
        regression.recoveredSessionAt = row["recovered_session_at"]
        regression.tool = row["tool"]
        regression.unit = row["unit"]
        regression.basis = row["basis"]
        regression.baselineSources = Store.strings(row["baseline_sources"])
        regression.reopenedAt = row["reopened_at"]
        regression.reopenCount = row["reopen_count"] ?? 0
        regression.reopenReason = row["reopen_reason"]
        return regression
    }

    /// Lists are kept as JSON arrays of strings: readable by `sqlite3` and
    /// any tool, and safe for any text a file name holds.
    package static func text(_ strings: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(strings), as: UTF8.self)) ?? "[]"
    }

    static func text(_ parameters: [Parameter]) -> String {
        text(parameters.flatMap { [$0.name, $0.value] })
    }

    package static func strings(_ text: String?) -> [String] {
        guard let text, let strings = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else { return [] }
        return strings
    }
}

extension Array where Element == String {
    /// Consecutive elements as (name, value) pairs.
    fileprivate var pairs: [(String, String)] {
        stride(from: 0, to: count - 1, by: 2).map { (self[$0], self[$0 + 1]) }
    }
}
