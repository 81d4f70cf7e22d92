import Foundation
import GRDB
import Records

/// The reports written, for the next report's comparisons and `chimerad status`.
extension Store {
    /// What a report read of one file: the end of its latest session
    /// (seconds since 1970) and, for a run file, its sessions (as the
    /// analysis writes them: `ReadSessions.text`).
    package struct SessionsRead: Sendable, Equatable {
        package var root: String
        package var path: String
        package var until: Double
        package var sessions: String?

        package init(root: String, path: String, until: Double, sessions: String? = nil) {
            self.root = root
            self.path = path
            self.until = until
            self.sessions = sessions
        }
    }

    /// Remembers a report, and stores the regressions it opened and resolved
    /// and the sessions it read in the same transaction: a report that did
    /// not land moves nothing. `sessionsRead` gives, per file the report read
    /// afresh, the end of its latest session and its sessions; the marker
    /// is the report's inputs' (`scopeKey(report.roots)`). `notifications`
    /// (the webhook's events of this report) are queued in the same
    /// transaction; returns how many undelivered ones the outbox's bound dropped.
    /// `fleet` (what the fleet's PostgreSQL gets of this report) is queued in
    /// it too (see `Store+FleetOutbox`).
    @discardableResult
    package func recordReport(
        _ report: ReportRecord, opened: [RegressionRow] = [], moved: [RegressionRow] = [], reopened: [RegressionRow] = [],
        resolved: [RegressionRow] = [],
        sessionsRead: [SessionsRead] = [], notifications: [OutboxEntry] = [],
        fleet: FleetQueue? = nil
    ) throws(Failure) -> Int {
        try write { db in
            try Store.save(opened: opened, moved: moved, reopened: reopened, resolved: resolved, in: db)
            let dropped = try Store.queue(notifications, in: db)
            if let fleet { try Store.queue(fleet, in: db) }
            if !sessionsRead.isEmpty {
                let scope = Store.scopeKey(report.roots)
                let statement = try db.cachedStatement(
                    sql: "UPDATE file SET reported_until = ?, reported_scope = ?, reported_sessions = ? WHERE root = ? AND path = ?")
                for file in sessionsRead {
                    // Rounded up: a session ending within the stored millisecond was read.
                    let milliseconds = (file.until * 1000).rounded(.up)
                    guard milliseconds.isFinite, abs(milliseconds) < 9e15 else { continue }
                    try statement.execute(arguments: [Int64(milliseconds), scope, file.sessions, file.root, file.path])
                }
            }
            try db.execute(
                sql: """
                    INSERT INTO report (generated_at, trigger, markdown_path, json_path, seq, roots, digest)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    report.generatedAt, report.trigger, report.markdownPath, report.jsonPath, report.sequence,
                    report.roots.joined(separator: "\n"), report.digest,
                ])
            // Recorded: no longer a publication under way.
            try Store.clearPublication(markdownPath: report.markdownPath, in: db)
            // Old rows serve nothing once newer reports exist; keep a short history.
            try db.execute(sql: "DELETE FROM report WHERE id NOT IN (SELECT id FROM report ORDER BY id DESC LIMIT 100)")
            // Only the newest report over the same inputs is compared against:
            // older ones keep their paths and times, not their digests.
            try db.execute(
                sql: "UPDATE report SET digest = '' WHERE roots = ? AND id != ? AND digest != ''",
                arguments: [report.roots.joined(separator: "\n"), db.lastInsertedRowID])
            return dropped
        }
    }

    /// The newest report that covered exactly these roots.
    package func lastReport(roots: [String]) throws(Failure) -> ReportRecord? {
        let key = roots.joined(separator: "\n")
        return try read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM report WHERE roots = ? ORDER BY id DESC LIMIT 1", arguments: [key])
            else { return nil }
            return Store.report(row)
        }
    }

    /// Moves what reports over `old` inputs left (their records, cached
    /// groups, regressions and the markers of sessions read) to `new`, in
    /// one transaction: a folder given through a link was remembered under
    /// the folder by earlier builds, and is under the link now.
    package func moveReports(from old: [String], to new: [String]) throws(Failure) {
        let (from, to) = (old.joined(separator: "\n"), new.joined(separator: "\n"))
        try write { db in
            try db.execute(sql: "UPDATE report SET roots = ? WHERE roots = ?", arguments: [to, from])
            try db.execute(sql: "DELETE FROM group_cache WHERE scope = ?", arguments: [to])
            try db.execute(sql: "UPDATE group_cache SET scope = ? WHERE scope = ?", arguments: [to, from])
            try db.execute(sql: "UPDATE regression SET scope = ? WHERE scope = ?", arguments: [to, from])
            try db.execute(
                sql: "UPDATE file SET reported_scope = ? WHERE reported_scope = ?", arguments: [Store.scopeKey(new), Store.scopeKey(old)])
        }
    }

    package func lastReport() throws(Failure) -> ReportRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM report ORDER BY id DESC LIMIT 1").map(Store.report)
        }
    }

    static func report(_ row: Row) -> ReportRecord {
        ReportRecord(
            generatedAt: row["generated_at"], trigger: row["trigger"], markdownPath: row["markdown_path"],
            jsonPath: row["json_path"], sequence: row["seq"],
            roots: (row["roots"] as String).split(separator: "\n").map(String.init), digest: row["digest"])
    }
}
