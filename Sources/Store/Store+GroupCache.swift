import Foundation
import GRDB
import Records

/// Each run group's figures, cached by the fingerprint of its files.
extension Store {
    /// Cached group figures for one report scope, by group key: (fingerprint, payload).
    package func cachedGroups(scope: String) throws(Failure) -> [String: (fingerprint: String, payload: [UInt8])] {
        try read { db in
            var cache: [String: (fingerprint: String, payload: [UInt8])] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT key, fingerprint, payload FROM group_cache WHERE scope = ?", arguments: [scope])
            while let row = try rows.next() {
                cache[row["key"]] = (row["fingerprint"], [UInt8](row["payload"] as Data))
            }
            return cache
        }
    }

    /// The models of the groups the reports have cached (the group cache's
    /// keys are `model | configuration`), sorted: a hint (a report over
    /// damaged records caches nothing), never a check.
    package func knownModels() throws(Failure) -> [String] {
        try read { db in
            let keys = try String.fetchAll(db, sql: "SELECT DISTINCT key FROM group_cache")
            return Set(keys.map { key in key.range(of: " | ").map { String(key[..<$0.lowerBound]) } ?? key }).sorted()
        }
    }

    /// Brings the scope's cached groups up to date: `changed` entries (key,
    /// fingerprint, payload) are written, and every key not in `keep` is removed.
    package func updateCachedGroups(
        scope: String, changed: [(key: String, fingerprint: String, payload: [UInt8])], keep: Set<String>
    ) throws(Failure) {
        try write { db in
            let keys = try String.fetchAll(db, sql: "SELECT key FROM group_cache WHERE scope = ?", arguments: [scope])
            let remove = try db.cachedStatement(sql: "DELETE FROM group_cache WHERE scope = ? AND key = ?")
            for key in keys where !keep.contains(key) { try remove.execute(arguments: [scope, key]) }
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO group_cache (scope, key, fingerprint, payload) VALUES (?, ?, ?, ?)
                    ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint, payload = excluded.payload
                    """)
            for entry in changed {
                try upsert.execute(arguments: [scope, entry.key, entry.fingerprint, Data(entry.payload)])
            }
        }
    }
}
