import GRDB
import Records

/// Input links switched from folder to folder (`latest -> nights/2026-12-06`,
/// then `ln -sfn nights/2026-12-07 latest`): the registry keys files by the
/// folder a link leads to, so each switch would start a tree with no past,
/// and a night 20% slower had no earlier night to be tested against. The
/// store remembers, per link (`linked_folder:<link>` in `meta`), the folder
/// it led to; when that changes, the history of each file analysed in the
/// old folder (its kept versions, and itself as it is) becomes the history
/// of the same path in the new one, as if that file had been rewritten in
/// place. The old folder's files themselves stay as they are (only their
/// kept versions move), so a report over that folder alone still finds
/// them, and no file counts as deleted: a link switched to a folder its
/// harness has not written yet holds no file to count as gone, and the
/// file written there later is tested against the history. (Two links
/// that trade folders in one pass mix their histories: the first finds the
/// folder still the other's and carries nothing, the second carries its
/// own into a folder whose files were the first's.)
extension Store {
    static let linkedFolderPrefix = "linked_folder:"

    /// Records that the input `link` leads to `folder` now; when it led to
    /// another folder, carries that folder's file histories to `folder`
    /// (moved, not copied: a link switched every night would otherwise
    /// copy every earlier night's versions again each night), unless another
    /// input link leads to `folder`: its history is that link's own. Returns
    /// the folder whose histories moved, nil when none did.
    package func follow(link: String, to folder: String) throws(Failure) -> String? {
        let key = Store.linkedFolderPrefix + link
        // Every pass asks, almost always of a link that did not move: a read, not a write.
        let remembered = try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
        guard remembered != folder else { return nil }
        return try write { db in
            let before = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [key, folder])
            guard let before, before != folder else { return nil }
            let owned = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM meta WHERE key >= ? AND key < ? AND key != ? AND value = ?)",
                arguments: Store.metaKeyRange(Store.linkedFolderPrefix) + [key, folder])
            guard owned != true else { return nil }
            return try Store.carryHistory(db, from: before, to: folder) ? before : nil
        }
    }

    /// Makes the kept versions of the files analysed under `from`, and each
    /// of those files as it is, the history of the same paths under `to`
    /// (at most `historyPerFile` a path, the newest); whether any came.
    private static func carryHistory(_ db: Database, from: String, to: String) throws -> Bool {
        let shapes = Shape.allCases.filter(\.keepsHistory).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let analysed = "SELECT path FROM file WHERE root = :from AND status = 'analyzed' AND shape IN (\(shapes))"
        let arguments: StatementArguments = ["from": from, "to": to]
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO file_history (root, path, mtime_ns, digest, content_hash)
                SELECT :to, path, mtime_ns, digest, content_hash FROM file_history WHERE root = :from AND path IN (\(analysed))
                """, arguments: arguments)
        var carried = db.changesCount
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO file_history (root, path, mtime_ns, digest, content_hash)
                SELECT :to, f.path, COALESCE(f.data_mtime_ns, f.mtime_ns), d.digest, f.content_hash
                FROM file f JOIN file_digest d ON d.root = f.root AND d.path = f.path
                WHERE f.root = :from AND f.status = 'analyzed' AND f.content_hash IS NOT NULL AND f.shape IN (\(shapes))
                """, arguments: arguments)
        carried += db.changesCount
        guard carried > 0 else { return false }
        try db.execute(sql: "DELETE FROM file_history WHERE root = :from AND path IN (\(analysed))", arguments: arguments)
        try db.execute(
            sql: """
                DELETE FROM file_history AS h WHERE h.root = :to AND (
                    SELECT count(*) FROM file_history AS g WHERE g.root = h.root AND g.path = h.path AND g.mtime_ns > h.mtime_ns) >= :kept
                """, arguments: ["to": to, "kept": Store.historyPerFile])
        return true
    }
}
