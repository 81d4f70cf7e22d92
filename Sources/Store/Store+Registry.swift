import Foundation
import GRDB
import Records

/// The registry: every file seen under the roots, its identity and status.
extension Store {
    /// Every entry under the given roots (including tombstones of deleted files).
    package func entries(roots: [String]) throws(Failure) -> [RegistryEntry] {
        try read { db in
            var entries: [RegistryEntry] = []
            for root in roots {
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT \(RegistryColumns.all.sql()) FROM file WHERE root = ? ORDER BY path", arguments: [root])
                while let row = try rows.next() { entries.append(RegistryColumns.all.entry(row)) }
            }
            return entries
        }
    }

    /// Every entry under the roots, without content hashes (see `contentHash(root:path:)`).
    package func lightEntries(roots: [String]) throws(Failure) -> [RegistryEntry] {
        try read { db in
            var entries: [RegistryEntry] = []
            for root in roots {
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT \(RegistryColumns.light.sql()) FROM file WHERE root = ? ORDER BY path", arguments: [root])
                while let row = try rows.next() { entries.append(RegistryColumns.light.entry(row, root: root)) }
            }
            return entries
        }
    }

    /// One file of a set whose files have the same content, or an earlier
    /// version the store keeps of a file (`isKeptVersion`).
    package struct SameContent: Sendable, Equatable {
        package var root: String
        package var path: String
        /// When the registry first had it: the earliest of a set is its original
        /// (a kept version: 0, it came first).
        package var createdSequence: Int64
        package var modifiedNanoseconds: Int64
        package var isKeptVersion: Bool

        package init(root: String, path: String, createdSequence: Int64, modifiedNanoseconds: Int64, isKeptVersion: Bool = false) {
            self.root = root
            self.path = path
            self.createdSequence = createdSequence
            self.modifiedNanoseconds = modifiedNanoseconds
            self.isKeptVersion = isKeptVersion
        }
    }

    /// The analysed files under `roots` that are byte for byte another's
    /// there, or an earlier version the store keeps of a file there, in sets
    /// (each of two members or more). The hashes are counted here first and
    /// the members read only of those seen twice: SQLite's `GROUP BY` sorted
    /// every hash of the tree to find the few repeated (3 ms of a report
    /// after one changed file on 2,000 files), and an index of the hashes
    /// cost about 190 bytes a file (each entry repeats the file's root and path).
    package func sameContent(roots: [String]) throws(Failure) -> [[SameContent]] {
        let wanted = Set(roots)
        return try read { db in
            // Kept by their hash values, not as text: a tree of 500,000 files
            // would hold 65 MB of hashes. A value seen twice names a hash
            // repeated (or, rarely, two that share it: the members are
            // grouped by the whole hash below); every second sighting of a
            // hash is caught, so no repeated hash is missed.
            var seen = Set<Int>()
            var repeated: [String] = []
            for sql in [
                "SELECT content_hash FROM file WHERE status = 'analyzed' AND content_hash IS NOT NULL",
                "SELECT content_hash FROM file_history WHERE content_hash IS NOT NULL",
            ] {
                let hashes = try String.fetchCursor(db, sql: sql)
                while let hash = try hashes.next() {
                    if !seen.insert(hash.hashValue).inserted { repeated.append(hash) }
                }
            }
            guard !repeated.isEmpty else { return [] }
            // The repeated hashes go in as one JSON array: a statement takes a
            // limited number of arguments, and a tree may repeat thousands.
            let list = String(decoding: try JSONEncoder().encode(Array(Set(repeated))), as: UTF8.self)
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    WITH wanted AS (SELECT value AS content_hash FROM json_each(?)),
                    kept AS (
                        SELECT content_hash, root, path, created_seq, COALESCE(data_mtime_ns, mtime_ns) AS mtime_ns, 0 AS version FROM file
                        WHERE status = 'analyzed' AND content_hash IN wanted
                        UNION ALL
                        SELECT content_hash, root, path, 0, mtime_ns, 1 FROM file_history WHERE content_hash IN wanted)
                    SELECT content_hash, root, path, created_seq, mtime_ns, version FROM kept
                    ORDER BY content_hash, root, path, version
                    """, arguments: [list])
            var sets: [[SameContent]] = []
            var hash: String?
            while let row = try rows.next() {
                let root: String = row[1]
                guard wanted.contains(root) else { continue }
                let current: String = row[0]
                if current != hash || sets.isEmpty {
                    hash = current
                    sets.append([])
                }
                sets[sets.count - 1].append(
                    SameContent(root: root, path: row[2], createdSequence: row[3], modifiedNanoseconds: row[4], isKeptVersion: row[5] == 1))
            }
            return sets.filter { $0.count > 1 }
        }
    }

    /// The stored content hash of one file.
    package func contentHash(root: String, path: String) throws(Failure) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT content_hash FROM file WHERE root = ? AND path = ?", arguments: [root, path])
        }
    }

    /// The current entries of the given files (those the registry has).
    package func entries(root: String, paths: [String]) throws(Failure) -> [RegistryEntry] {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(RegistryColumns.all.sql()) FROM file WHERE root = ? AND path = ?")
            return try paths.compactMap { path in
                try Row.fetchOne(statement, arguments: [root, path]).map { RegistryColumns.all.entry($0) }
            }
        }
    }

    /// Writes a batch of changes in one transaction and returns the new sequence.
    @discardableResult
    package func apply(_ changes: [RegistryChange]) throws(Failure) -> Int64 {
        guard !changes.isEmpty else { return try currentSequence() }
        return try write { db in
            let sequence = (Int64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'seq'") ?? "0") ?? 0) + 1
            // A file written where one was deleted keeps what reports read of
            // that one: put back as it was (from a backup), or regenerated by a
            // harness that deletes its results first, its sessions read before
            // are not new again, just as if the file had been rewritten.
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO file (root, path, device, inode, size, mtime_ns, content_hash, status, shape, reason,
                                      model_hint, group_keys, parser_version, changed_seq, created_seq, reason_code)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (root, path) DO UPDATE SET
                        device = excluded.device, inode = excluded.inode, size = excluded.size,
                        mtime_ns = excluded.mtime_ns, data_mtime_ns = NULL, content_hash = excluded.content_hash, status = excluded.status,
                        shape = excluded.shape, reason = excluded.reason, reason_code = excluded.reason_code,
                        model_hint = excluded.model_hint,
                        group_keys = excluded.group_keys,
                        parser_version = excluded.parser_version,
                        changed_seq = excluded.changed_seq,
                        reported_sessions = CASE
                            WHEN ? OR file.content_hash IS excluded.content_hash OR file.parser_version != excluded.parser_version THEN NULL
                            ELSE file.reported_sessions END,
                        created_seq = CASE WHEN file.status = 'deleted' THEN excluded.created_seq ELSE file.created_seq END
                    """)
            let restat = try db.cachedStatement(
                sql: """
                    UPDATE file SET device = ?, inode = ?, size = ?, data_mtime_ns = COALESCE(data_mtime_ns, mtime_ns), mtime_ns = ?
                    WHERE root = ? AND path = ?
                    """)
            let delete = try db.cachedStatement(
                sql: """
                    UPDATE file SET status = 'deleted', reason = NULL, reason_code = NULL, changed_seq = ?
                    WHERE root = ? AND path = ? AND status != 'deleted'
                    """)
            let putDigest = try db.cachedStatement(
                sql: """
                    INSERT INTO file_digest (root, path, digest) VALUES (?, ?, ?)
                    ON CONFLICT (root, path) DO UPDATE SET digest = excluded.digest
                    """)
            let dropDigest = try db.cachedStatement(sql: "DELETE FROM file_digest WHERE root = ? AND path = ?")
            // A deleted file that keeps history keeps its last digest and its
            // earlier versions: when a file takes its place (a harness that
            // deletes its results before writing the next ones), they are
            // that file's history. Nothing reads them until then.
            let historyShapes = Shape.allCases.filter(\.keepsHistory).map { "'\($0.rawValue)'" }.joined(separator: ", ")
            // (A file skipped now has no shape; the versions it kept while readable say what it was.)
            let dropDeleted = try ["file_digest", "file_history"].map { table in
                try db.cachedStatement(
                    sql: """
                        DELETE FROM \(table) WHERE root = :root AND path = :path AND NOT EXISTS (
                            SELECT 1 FROM file WHERE root = :root AND path = :path AND shape IN (\(historyShapes)))
                        AND NOT EXISTS (SELECT 1 FROM file_history WHERE root = :root AND path = :path)
                        """)
            }
            for change in changes {
                switch change {
                case .ingested(let entry, let digest):
                    if digest != nil, let shape = entry.shape, shape.carriesBenchmarks || entry.rewritesAnalysedContent {
                        try Store.keepHistory(db, of: entry)
                    } else if digest == nil {
                        // Now unreadable (a tool killed while writing it): its last version
                        // read stays its history, for the version that comes next.
                        try Store.keepHistory(db, of: entry, ifItsShapeIn: historyShapes)
                    }
                    try upsert.execute(arguments: [
                        entry.root, entry.path, Int64(bitPattern: entry.device), Int64(bitPattern: entry.inode),
                        entry.size, entry.modifiedNanoseconds, entry.contentHash, entry.status.rawValue,
                        entry.shape?.rawValue, entry.reason, entry.modelHint, entry.groupKeysText,
                        entry.parserVersion, sequence, sequence, entry.reasonCode?.rawValue,
                        // The sessions read are kept only across an append: a
                        // rewrite may re-cut or re-key its nights (a model
                        // renamed, times given a zone), which kept would all be new.
                        entry.rewritesAnalysedContent,
                    ])
                    if let digest {
                        try putDigest.execute(arguments: [entry.root, entry.path, Data(digest)])
                    } else {
                        try dropDigest.execute(arguments: [entry.root, entry.path])
                    }
                case .restatted(let root, let path, let device, let inode, let size, let modified):
                    try restat.execute(arguments: [
                        Int64(bitPattern: device), Int64(bitPattern: inode), size, modified, root, path,
                    ])
                case .deleted(let root, let path):
                    try delete.execute(arguments: [sequence, root, path])
                    for statement in dropDeleted { try statement.execute(arguments: ["root": root, "path": path]) }
                case .renamed(let root, let from, let to, let isFolder):
                    try Store.rename(db, root: root, from: from, to: to, isFolder: isFolder, sequence: sequence)
                }
            }
            let deletions = changes.count { if case .deleted = $0 { true } else { false } }
            if deletions > 0 { try Store.forgetOldDeletions(db, deletedNow: deletions) }
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'seq'", arguments: [String(sequence)])
            return sequence
        }
    }

    /// Moves a file's rows (or a folder's: every path under it) to a new path.
    /// Rows already at the destination belong to what the move replaced. The
    /// moved rows count as changed (their paths are what reports show).
    static func rename(
        _ db: Database, root: String, from: String, to: String, isFolder: Bool, sequence: Int64
    ) throws {
        guard from != to else { return }
        // A path equal to `p`, or under it when `p` is a folder; compared with
        // substr, not LIKE, so `%` and `_` in file names are plain characters.
        let under = isFolder ? " OR substr(path, 1, length(:p) + 1) = :p || '/'" : ""
        // Nothing at the old path (a rename applied already, by a pass that then
        // failed and is being retried): the rows at the new path are the moved ones.
        guard
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM file WHERE root = :root AND (path = :p\(under)))",
                arguments: ["root": root, "p": from]) == true
        else { return }
        // A file renamed over another (a harness writes `results.csv.tmp`,
        // then moves it over `results.csv`) replaces its content, as a
        // rewrite in place does: the replaced version and the versions before
        // it stay, the history of what took its place. They were dropped,
        // and the daemon tested that night against nothing.
        if !isFolder { try keepReplacedVersion(db, root: root, path: to) }
        for table in isFolder ? ["file", "file_digest", "file_history"] : ["file", "file_digest"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE root = :root AND (path = :p\(under))", arguments: ["root": root, "p": to])
        }
        let newPath = "CASE WHEN path = :p THEN :to ELSE :to || substr(path, length(:p) + 1) END"
        try db.execute(
            sql: "UPDATE file SET path = \(newPath), changed_seq = :seq WHERE root = :root AND (path = :p\(under))",
            arguments: ["root": root, "p": from, "to": to, "seq": sequence])
        for table in ["file_digest", "file_history"] {
            // A version of the moved file at the time of one of the replaced file's stays as it was.
            try db.execute(
                sql: "UPDATE OR IGNORE \(table) SET path = \(newPath) WHERE root = :root AND (path = :p\(under))",
                arguments: ["root": root, "p": from, "to": to])
            try db.execute(sql: "DELETE FROM \(table) WHERE root = :root AND (path = :p\(under))", arguments: ["root": root, "p": from])
        }
    }

    /// Keeps the analysed file at `path`, about to be replaced by another
    /// renamed over it, as a version of its history (as `keepHistory` keeps
    /// one rewritten in place), when it is of a kind whose history is kept.
    static func keepReplacedVersion(_ db: Database, root: String, path: String) throws {
        let shapes = Shape.allCases.filter(\.keepsHistory).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO file_history (root, path, mtime_ns, digest, content_hash)
                SELECT f.root, f.path, COALESCE(f.data_mtime_ns, f.mtime_ns), d.digest, f.content_hash
                FROM file f JOIN file_digest d ON d.root = f.root AND d.path = f.path
                WHERE f.root = ? AND f.path = ? AND f.status = 'analyzed' AND f.content_hash IS NOT NULL AND f.shape IN (\(shapes))
                """, arguments: [root, path])
        guard db.changesCount > 0 else { return }
        try db.execute(
            sql: """
                DELETE FROM file_history WHERE root = ? AND path = ? AND mtime_ns NOT IN (
                    SELECT mtime_ns FROM file_history WHERE root = ? AND path = ? ORDER BY mtime_ns DESC LIMIT ?)
                """, arguments: [root, path, root, path, Store.historyPerFile])
    }

    /// Marks files whose stored records or digest no longer decode: the next
    /// pass reads and parses them again, whatever their size and mtime.
    package func invalidate(_ files: [(root: String, path: String)]) throws(Failure) {
        guard !files.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(
                sql: "UPDATE file SET parser_version = 0, content_hash = NULL WHERE root = ? AND path = ?")
            for file in files { try statement.execute(arguments: [file.root, file.path]) }
        }
    }

    package func currentSequence() throws(Failure) -> Int64 {
        try read { db in Int64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'seq'") ?? "0") ?? 0 }
    }
}

extension Store {
    /// How many deleted files keep their last digest and earlier versions for
    /// a file written at their path, at least: as many as the store has
    /// analysed files (counting those deleted in the same pass), so a folder
    /// deleted and regenerated whole keeps its history, while a harness that
    /// rotates its files away (a new name each night, the old ones deleted)
    /// grows the store by no more than its tree.
    package static let deletedKeptAtLeast = 200

    /// Lets go of the digests and earlier versions of all but the most
    /// recently deleted files (see `deletedKeptAtLeast`); `deletedNow` were
    /// deleted by the batch being written, and count as analysed.
    static func forgetOldDeletions(_ db: Database, deletedNow: Int) throws {
        let analysed = try Int.fetchOne(db, sql: "SELECT count(*) FROM file WHERE status = 'analyzed'") ?? 0
        let kept = max(Store.deletedKeptAtLeast, analysed + deletedNow)
        for table in ["file_digest", "file_history"] {
            try db.execute(
                sql: """
                    DELETE FROM \(table) WHERE (root, path) IN (
                        SELECT root, path FROM file WHERE status = 'deleted' ORDER BY changed_seq DESC, root, path LIMIT -1 OFFSET ?)
                    """, arguments: [kept])
        }
    }

    /// How many earlier versions of a benchmark file, or of a run table
    /// rewritten in place, are kept: more than a baseline's default 10
    /// sessions, with room for a pin.
    package static let historyPerFile = 30

    /// Before a benchmark file's (or a rewritten run table's) new digest
    /// replaces its old one, or a deleted one's at its path: when the old one
    /// is of other content (a rewrite, not a touch, a re-parse or a file put
    /// back as it was), it is kept as the file's history, by the old
    /// modification time.
    /// `shapes` (SQL text, `'a', 'b'`): only an old version of one of them
    /// is kept (nil: whatever it was).
    static func keepHistory(_ db: Database, of entry: RegistryEntry, ifItsShapeIn shapes: String? = nil) throws {
        // A log of appended undated runs appended to again within the hour
        // (`Shape.appendsUndatedRuns`): the file holds that version still,
        // and the hour's last one marks the night (`AppendedNights`).
        if entry.appendsToAnalysedContent,
            let kept = try Int64.fetchOne(
                db, sql: "SELECT COALESCE(data_mtime_ns, mtime_ns) FROM file WHERE root = ? AND path = ?", arguments: [entry.root, entry.path]),
            Double(entry.modifiedNanoseconds - kept) < Measurement.AppendedRuns.nightGap * 1e9
        {
            return
        }
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO file_history (root, path, mtime_ns, digest, content_hash)
                SELECT f.root, f.path, COALESCE(f.data_mtime_ns, f.mtime_ns), d.digest, f.content_hash
                FROM file f JOIN file_digest d ON d.root = f.root AND d.path = f.path
                WHERE f.root = ? AND f.path = ? AND f.status IN ('analyzed', 'deleted') AND f.content_hash IS NOT NULL AND f.content_hash IS NOT ?
                \(shapes.map { "AND f.shape IN (\($0))" } ?? "")
                """, arguments: [entry.root, entry.path, entry.contentHash])
        guard db.changesCount > 0 else { return }
        try db.execute(
            sql: """
                DELETE FROM file_history WHERE root = ? AND path = ? AND mtime_ns NOT IN (
                    SELECT mtime_ns FROM file_history WHERE root = ? AND path = ? ORDER BY mtime_ns DESC LIMIT ?)
                """, arguments: [entry.root, entry.path, entry.root, entry.path, Store.historyPerFile])
    }

    /// The kept earlier versions of `entries` (as stored), oldest first:
    /// their position in `entries`, modification time (nanoseconds) and digest.
    package func history(of entries: [RegistryEntry]) throws(Failure) -> [(position: Int, modifiedNanoseconds: Int64, digest: [UInt8])] {
        guard !entries.isEmpty else { return [] }
        return try read { db in
            var found: [(Int, Int64, [UInt8])] = []
            // Most trees have no file rewritten: one look, rather than one per entry.
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM file_history)") == true else { return [] }
            let statement = try db.cachedStatement(
                sql: "SELECT mtime_ns, digest FROM file_history WHERE root = ? AND path = ? ORDER BY mtime_ns")
            for (position, entry) in entries.enumerated() {
                let rows = try Row.fetchCursor(statement, arguments: [entry.root, entry.path])
                while let row = try rows.next() {
                    let data: Data = row[1]
                    found.append((position, row[0], [UInt8](data)))
                }
            }
            return found
        }
    }
}
