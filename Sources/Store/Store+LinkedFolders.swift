import GRDB

/// Input links switched from folder to folder (`latest -> nights/2026-12-06`,
/// then `ln -sfn nights/2026-12-07 latest`): the registry keys files by the
/// folder a link leads to, so each switch would start a tree with no past,
/// and a night 20% slower had no earlier night to be tested against. The
/// store remembers, per link (`linked_folder:<link>` in `meta`), the folder
/// it led to; when that changes, the old folder's files move to the new one
/// with their versions and what reports read of them. The scan that follows
/// then sees `latest/results.csv` rewritten, as a harness rewriting it in
/// place would leave it, and keeps the replaced version as its history.
extension Store {
    static let linkedFolderPrefix = "linked_folder:"

    /// Records that the input `link` leads to `folder` now; when it led to
    /// another folder that is not itself one of `inUse` (an input of its
    /// own), that folder's files move to `folder` first, replacing what the
    /// registry held under it (an earlier visit of a link switched back and
    /// forth: the moved files' versions are the newer history). Returns the
    /// folder whose files moved, nil when none did.
    package func follow(link: String, to folder: String, inUse: Set<String>) throws(Failure) -> String? {
        let key = Store.linkedFolderPrefix + link
        // Every pass asks, almost always of a link that did not move: a read, not a write.
        let remembered = try read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
        guard remembered != folder else { return nil }
        return try write { db in
            let before = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
            try db.execute(
                sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [key, folder])
            guard let before, before != folder, !inUse.contains(before),
                try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM file WHERE root = ?)", arguments: [before]) == true
            else { return nil }
            for table in ["file", "file_digest", "file_history"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE root = ?", arguments: [folder])
                try db.execute(sql: "UPDATE \(table) SET root = ? WHERE root = ?", arguments: [folder, before])
            }
            return before
        }
    }
}
