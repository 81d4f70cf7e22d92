import Foundation
import GRDB
import Records

/// What `chimerad status` shows, and the last error.
extension Store {
    package struct Summary: Sendable {
        package var analyzed: Int
        package var skipped: Int
        package var deleted: Int
        package var roots: [String]
        /// Of `roots`, those an input link led to at its last report, with the link.
        package var linkedRoots: [String: String] = [:]
        package var lastReport: ReportRecord?
        package var lastError: String?
    }

    package func summary() throws(Failure) -> Summary {
        try read { db in
            let counts = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM file GROUP BY status")
            var byStatus: [String: Int] = [:]
            for row in counts { byStatus[row["status"]] = row["n"] }
            let roots = try String.fetchAll(db, sql: "SELECT DISTINCT root FROM file WHERE status != 'deleted' ORDER BY root")
            let last = try Row.fetchOne(db, sql: "SELECT * FROM report ORDER BY id DESC LIMIT 1").map(Store.report)
            let error = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'last_error'")
            var summary = Summary(
                analyzed: byStatus["analyzed"] ?? 0, skipped: byStatus["skipped"] ?? 0, deleted: byStatus["deleted"] ?? 0,
                roots: roots, lastReport: last, lastError: error)
            for (link, folder) in try Store.metaEntries(db, prefix: Store.linkedFolderPrefix) {
                if roots.contains(folder), summary.linkedRoots[folder] == nil { summary.linkedRoots[folder] = link }
            }
            return summary
        }
    }

    /// Remembers the most recent failure (shown by `chimerad status`); `nil` clears it.
    package func setLastError(_ message: String?) throws(Failure) {
        if message == nil, try read({ db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'last_error'") }) == nil {
            return
        }
        try write { db in
            if let message {
                try db.execute(
                    sql: "INSERT INTO meta (key, value) VALUES ('last_error', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    arguments: [Store.timestamp() + " " + message])
            } else {
                try db.execute(sql: "DELETE FROM meta WHERE key = 'last_error'")
            }
        }
    }
}
