import Foundation
import GRDB
import Records

/// The persistent state: a registry of every file seen under the input roots,
/// the records extracted from each, and the reports written.
///
/// SQLite in WAL mode, one transaction per batch of changes: a process killed at
/// any point leaves either the old or the new state of each batch, which the next
/// run accepts as it is (a file whose change was lost is simply seen as changed
/// again). Blobs from an older extraction format or parser are re-parsed.
public final class Store: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "state store \(path): \(reason)" }
    }

    public let path: String
    private let pool: DatabasePool

    public static let fileName = "chimerad.sqlite"

    /// The files chimerad keeps in a state folder (the store, SQLite's
    /// companions, the lock): never benchmark input, even when a watched
    /// folder is, or holds, the state folder.
    public static func ownFiles(in directory: String) -> [String] {
        [fileName, fileName + "-wal", fileName + "-shm", fileName + "-journal", StateLock.fileName].map { directory + "/" + $0 }
    }

    /// Throws when `path` exists as anything but a regular file: chimerad
    /// never writes through a symbolic link (or into a FIFO, device or
    /// folder) in its state folder.
    static func refuseUnlessRegularOrAbsent(_ path: String) throws(Failure) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFLNK:
            throw Failure(path: path, reason: "is a symbolic link; chimerad never writes through a link in its state folder (remove it)")
        default:
            throw Failure(path: path, reason: "is not a regular file (remove it)")
        }
    }

    /// Opens (creating when needed) the store in `directory`.
    public init(directory: String) throws(Failure) {
        let path = (directory as NSString).appendingPathComponent(Store.fileName)
        self.path = path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(path: directory, reason: "cannot create the state folder (\(Store.describe(error)))")
        }
        // SQLite follows a link at the store's name, and names its companions
        // after the target: refuse instead of writing wherever a link points.
        for own in [Store.fileName, Store.fileName + "-wal", Store.fileName + "-shm", Store.fileName + "-journal"] {
            try Store.refuseUnlessRegularOrAbsent(directory + "/" + own)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // In WAL mode NORMAL never corrupts the store, even if the process is
            // killed mid-write; a power cut may lose the last batch, which the
            // next pass simply ingests again. It spares an fsync per commit.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // Migrating reads the header and schema: a file that is not a database,
            // or a damaged one, fails here with a clear code. (An integrity check
            // of every page would cost as much as the report on a large store.)
            // An up-to-date store (the usual case) is only read: migrating takes
            // a write lock and a commit on every open.
            let migrator = Store.migrator
            if try !pool.read(migrator.hasCompletedMigrations) {
                try migrator.migrate(pool)
            }
        } catch {
            throw Failure(path: path, reason: Store.describe(error))
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB: return "not a SQLite database (corrupt or foreign file); move it away to start afresh"
            case .SQLITE_CORRUPT: return "database is corrupt; move it away to start afresh"
            case .SQLITE_CANTOPEN: return "cannot open (\(error.message ?? "permission or path problem"))"
            case .SQLITE_READONLY: return "read-only (\(error.message ?? "no write permission"))"
            default: return error.message ?? "\(error)"
            }
        }
        if let error = error as? CocoaError, let underlying = error.underlying { return underlying.localizedDescription }
        return error.localizedDescription
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE file (
                        root TEXT NOT NULL,
                        path TEXT NOT NULL,
                        device INTEGER NOT NULL,
                        inode INTEGER NOT NULL,
                        size INTEGER NOT NULL,
                        mtime_ns INTEGER NOT NULL,
                        content_hash TEXT,
                        status TEXT NOT NULL CHECK (status IN ('analyzed', 'skipped', 'deleted')),
                        shape TEXT,
                        reason TEXT,
                        model_hint TEXT,
                        group_keys TEXT NOT NULL DEFAULT '',
                        parser_version INTEGER NOT NULL,
                        digest BLOB,
                        changed_seq INTEGER NOT NULL,
                        created_seq INTEGER NOT NULL,
                        updated_at TEXT NOT NULL,
                        PRIMARY KEY (root, path)
                    ) WITHOUT ROWID;
                    -- Full records live apart from the registry: reports read digests,
                    -- and a registry row stays small enough to scan quickly.
                    CREATE TABLE file_records (
                        root TEXT NOT NULL,
                        path TEXT NOT NULL,
                        records BLOB NOT NULL,
                        UNIQUE (root, path)
                    );
                    CREATE TABLE report (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        generated_at TEXT NOT NULL,
                        trigger TEXT NOT NULL,
                        markdown_path TEXT NOT NULL,
                        json_path TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        roots TEXT NOT NULL,
                        digest TEXT NOT NULL
                    );
                    -- Finished figures of run groups, reused by the next report while the
                    -- files behind a group are unchanged (the fingerprint says so).
                    CREATE TABLE group_cache (
                        scope TEXT NOT NULL,
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        payload BLOB NOT NULL,
                        PRIMARY KEY (scope, key)
                    );
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                    INSERT INTO meta (key, value) VALUES ('seq', '0');
                    """)
        }
        return migrator
    }

    // MARK: Registry

    /// Every entry under the given roots (including tombstones of deleted files).
    public func entries(roots: [String]) throws(Failure) -> [RegistryEntry] {
        try read { db in
            var entries: [RegistryEntry] = []
            for root in roots {
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT \(Store.entryColumns) FROM file WHERE root = ? ORDER BY path", arguments: [root])
                while let row = try rows.next() { entries.append(Store.entry(row)) }
            }
            return entries
        }
    }

    /// The registry columns, in the order every registry query selects them
    /// (read by position: a name lookup per column per row adds up over a large tree).
    private static let entryColumns = """
        root, path, device, inode, size, mtime_ns, content_hash, status, shape, reason,
        model_hint, parser_version, changed_seq, created_seq, group_keys
        """

    /// The registry columns without the root (known from the query) and the hash
    /// (wanted only for files whose size or mtime moved): what a pass over
    /// thousands of unchanged files needs.
    private static let lightColumns = """
        path, device, inode, size, mtime_ns, status, shape, reason,
        model_hint, parser_version, changed_seq, created_seq, group_keys
        """

    private static func lightEntry(_ row: Row, root: String) -> RegistryEntry {
        RegistryEntry(
            root: root, path: row[0], device: UInt64(bitPattern: row[1]), inode: UInt64(bitPattern: row[2]),
            size: row[3], modifiedNanoseconds: row[4], contentHash: nil,
            status: RegistryEntry.Status(rawValue: row[5]) ?? .skipped,
            shape: (row[6] as String?).flatMap(Shape.init(rawValue:)), reason: row[7], modelHint: row[8],
            parserVersion: row[9], changedSequence: row[10], createdSequence: row[11], groupKeysText: row[12])
    }

    /// Every entry under the roots, without content hashes (see `contentHash(root:path:)`).
    public func lightEntries(roots: [String]) throws(Failure) -> [RegistryEntry] {
        try read { db in
            var entries: [RegistryEntry] = []
            for root in roots {
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT \(Store.lightColumns) FROM file WHERE root = ? ORDER BY path", arguments: [root])
                while let row = try rows.next() { entries.append(Store.lightEntry(row, root: root)) }
            }
            return entries
        }
    }

    /// The stored content hash of one file.
    public func contentHash(root: String, path: String) throws(Failure) -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT content_hash FROM file WHERE root = ? AND path = ?", arguments: [root, path])
        }
    }

    /// Position of `digest` after the registry columns in `forEachAnalyzed`'s query.
    fileprivate static let digestColumn = 15

    /// The current entries of the given files (those the registry has).
    public func entries(root: String, paths: [String]) throws(Failure) -> [RegistryEntry] {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Store.entryColumns) FROM file WHERE root = ? AND path = ?")
            return try paths.compactMap { path in
                try Row.fetchOne(statement, arguments: [root, path]).map(Store.entry)
            }
        }
    }

    private static func entry(_ row: Row) -> RegistryEntry {
        RegistryEntry(
            root: row[0], path: row[1], device: UInt64(bitPattern: row[2]), inode: UInt64(bitPattern: row[3]),
            size: row[4], modifiedNanoseconds: row[5], contentHash: row[6],
            status: RegistryEntry.Status(rawValue: row[7]) ?? .skipped,
            shape: (row[8] as String?).flatMap(Shape.init(rawValue:)), reason: row[9], modelHint: row[10],
            parserVersion: row[11], changedSequence: row[12], createdSequence: row[13], groupKeysText: row[14])
    }

    /// Writes a batch of changes in one transaction and returns the new sequence.
    @discardableResult
    public func apply(_ changes: [RegistryChange]) throws(Failure) -> Int64 {
        guard !changes.isEmpty else { return try currentSequence() }
        let now = Store.timestamp()
        return try write { db in
            let sequence = (Int64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'seq'") ?? "0") ?? 0) + 1
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO file (root, path, device, inode, size, mtime_ns, content_hash, status, shape, reason,
                                      model_hint, group_keys, parser_version, digest, changed_seq, created_seq, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (root, path) DO UPDATE SET
                        device = excluded.device, inode = excluded.inode, size = excluded.size,
                        mtime_ns = excluded.mtime_ns, content_hash = excluded.content_hash, status = excluded.status,
                        shape = excluded.shape, reason = excluded.reason, model_hint = excluded.model_hint,
                        group_keys = excluded.group_keys,
                        parser_version = excluded.parser_version, digest = excluded.digest,
                        changed_seq = excluded.changed_seq, updated_at = excluded.updated_at,
                        created_seq = CASE WHEN file.status = 'deleted' THEN excluded.created_seq ELSE file.created_seq END
                    """)
            let restat = try db.cachedStatement(
                sql: "UPDATE file SET device = ?, inode = ?, size = ?, mtime_ns = ?, updated_at = ? WHERE root = ? AND path = ?")
            let delete = try db.cachedStatement(
                sql: """
                    UPDATE file SET status = 'deleted', digest = NULL, reason = NULL, changed_seq = ?, updated_at = ?
                    WHERE root = ? AND path = ? AND status != 'deleted'
                    """)
            let putRecords = try db.cachedStatement(
                sql: """
                    INSERT INTO file_records (root, path, records) VALUES (?, ?, ?)
                    ON CONFLICT (root, path) DO UPDATE SET records = excluded.records
                    """)
            let dropRecords = try db.cachedStatement(sql: "DELETE FROM file_records WHERE root = ? AND path = ?")
            for change in changes {
                switch change {
                case .ingested(let entry, let extraction, let digest):
                    let blob = extraction.map { Data($0.encoded()) }
                    let digestBlob = digest.map { Data($0) }
                    try upsert.execute(arguments: [
                        entry.root, entry.path, Int64(bitPattern: entry.device), Int64(bitPattern: entry.inode),
                        entry.size, entry.modifiedNanoseconds, entry.contentHash, entry.status.rawValue,
                        entry.shape?.rawValue, entry.reason, entry.modelHint, entry.groupKeysText,
                        entry.parserVersion, digestBlob, sequence,
                        sequence, now,
                    ])
                    if let blob {
                        try putRecords.execute(arguments: [entry.root, entry.path, blob])
                    } else {
                        try dropRecords.execute(arguments: [entry.root, entry.path])
                    }
                case .restatted(let root, let path, let device, let inode, let size, let modified):
                    try restat.execute(arguments: [
                        Int64(bitPattern: device), Int64(bitPattern: inode), size, modified, now, root, path,
                    ])
                case .deleted(let root, let path):
                    try delete.execute(arguments: [sequence, now, root, path])
                    try dropRecords.execute(arguments: [root, path])
                case .renamed(let root, let from, let to, let isFolder):
                    try Store.rename(db, root: root, from: from, to: to, isFolder: isFolder, sequence: sequence, now: now)
                }
            }
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'seq'", arguments: [String(sequence)])
            return sequence
        }
    }

    /// Moves a file's rows (or a folder's: every path under it) to a new path.
    /// Rows already at the destination belong to what the move replaced. The
    /// moved rows count as changed (their paths are what reports show).
    private static func rename(
        _ db: Database, root: String, from: String, to: String, isFolder: Bool, sequence: Int64, now: String
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
        for table in ["file", "file_records"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE root = :root AND (path = :p\(under))", arguments: ["root": root, "p": to])
        }
        let newPath = "CASE WHEN path = :p THEN :to ELSE :to || substr(path, length(:p) + 1) END"
        try db.execute(
            sql: "UPDATE file SET path = \(newPath), changed_seq = :seq, updated_at = :now WHERE root = :root AND (path = :p\(under))",
            arguments: ["root": root, "p": from, "to": to, "seq": sequence, "now": now])
        try db.execute(
            sql: "UPDATE file_records SET path = \(newPath) WHERE root = :root AND (path = :p\(under))",
            arguments: ["root": root, "p": from, "to": to])
    }

    /// Marks files whose stored records or digest no longer decode: the next
    /// pass reads and parses them again, whatever their size and mtime.
    public func invalidate(_ files: [(root: String, path: String)]) throws(Failure) {
        guard !files.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(
                sql: "UPDATE file SET parser_version = 0, content_hash = NULL WHERE root = ? AND path = ?")
            for file in files { try statement.execute(arguments: [file.root, file.path]) }
        }
    }

    public func currentSequence() throws(Failure) -> Int64 {
        try read { db in Int64(try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'seq'") ?? "0") ?? 0 }
    }

    /// What is stored for one analysed file; the full records are read only when asked for.
    public struct StoredBlobs {
        fileprivate let db: Database
        fileprivate let entry: RegistryEntry
        fileprivate let row: Row

        /// The full records.
        public func extraction() throws -> Extraction {
            guard
                let blob = try Data.fetchOne(
                    db, sql: "SELECT records FROM file_records WHERE root = ? AND path = ?",
                    arguments: [entry.root, entry.path])
            else { throw BinaryReader.Failure.invalid("no records stored") }
            return try Extraction(decoding: [UInt8](blob))
        }

        /// The digest analysis stored with the records (read from the database
        /// only when asked for: a report that reuses a group's figures skips it).
        public func digest() -> [UInt8]? {
            (row[Store.digestColumn] as Data?).map { [UInt8]($0) }
        }
    }

    /// Calls `body` for every analysed file under the roots, one at a time, so
    /// memory holds one file's blobs, not the tree's. An error `body` throws
    /// about a blob is reported to `damaged` (the caller re-ingests that file).
    public func forEachAnalyzed(
        roots: [String], _ body: (RegistryEntry, StoredBlobs) throws -> Void,
        damaged: (RegistryEntry, String) -> Void = { _, _ in }
    ) throws(Failure) {
        try read { db in
            for root in roots {
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT \(Store.entryColumns), digest FROM file WHERE root = ? AND status = 'analyzed' ORDER BY path",
                    arguments: [root])
                while let row = try rows.next() {
                    try Store.visit(row, db: db, body, damaged: damaged)
                }
            }
        }
    }

    /// The same for a few files out of many, read by key: `body` gets each file
    /// of `files` that is stored as analysed, in order. Several calls may run at
    /// once, each on its own reader.
    public func forEachAnalyzed(
        files: [(root: String, path: String)], _ body: (RegistryEntry, StoredBlobs) throws -> Void,
        damaged: (RegistryEntry, String) -> Void = { _, _ in }
    ) throws(Failure) {
        try read { db in
            let statement = try db.cachedStatement(
                sql: "SELECT \(Store.entryColumns), digest FROM file WHERE root = ? AND path = ? AND status = 'analyzed'")
            for (root, path) in files {
                guard let row = try Row.fetchOne(statement, arguments: [root, path]) else { continue }
                try Store.visit(row, db: db, body, damaged: damaged)
            }
        }
    }

    private static func visit(
        _ row: Row, db: Database, _ body: (RegistryEntry, StoredBlobs) throws -> Void, damaged: (RegistryEntry, String) -> Void
    ) throws {
        let entry = Store.entry(row)
        do {
            try body(entry, StoredBlobs(db: db, entry: entry, row: row))
        } catch let failure as BinaryReader.Failure {
            damaged(entry, "\(failure)")
        }
    }

    // MARK: Group cache

    /// Cached group figures for one report scope, by group key: (fingerprint, payload).
    public func cachedGroups(scope: String) throws(Failure) -> [String: (fingerprint: String, payload: [UInt8])] {
        try read { db in
            var cache: [String: (fingerprint: String, payload: [UInt8])] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT key, fingerprint, payload FROM group_cache WHERE scope = ?", arguments: [scope])
            while let row = try rows.next() {
                cache[row[0]] = (row[1], [UInt8](row[2] as Data))
            }
            return cache
        }
    }

    /// Brings the scope's cached groups up to date: `changed` entries (key,
    /// fingerprint, payload) are written, and every key not in `keep` is removed.
    public func updateCachedGroups(
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

    // MARK: Reports

    public func recordReport(_ report: ReportRecord) throws(Failure) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO report (generated_at, trigger, markdown_path, json_path, seq, roots, digest)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    report.generatedAt, report.trigger, report.markdownPath, report.jsonPath, report.sequence,
                    report.roots.joined(separator: "\n"), report.digest,
                ])
            // Old rows serve nothing once newer reports exist; keep a short history.
            try db.execute(sql: "DELETE FROM report WHERE id NOT IN (SELECT id FROM report ORDER BY id DESC LIMIT 100)")
            // Only the newest report over the same inputs is compared against:
            // older ones keep their paths and times, not their digests.
            try db.execute(
                sql: "UPDATE report SET digest = '' WHERE roots = ? AND id != ? AND digest != ''",
                arguments: [report.roots.joined(separator: "\n"), db.lastInsertedRowID])
        }
    }

    /// The newest report that covered exactly these roots.
    public func lastReport(roots: [String]) throws(Failure) -> ReportRecord? {
        let key = roots.joined(separator: "\n")
        return try read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM report WHERE roots = ? ORDER BY id DESC LIMIT 1", arguments: [key])
            else { return nil }
            return Store.report(row)
        }
    }

    public func lastReport() throws(Failure) -> ReportRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM report ORDER BY id DESC LIMIT 1").map(Store.report)
        }
    }

    private static func report(_ row: Row) -> ReportRecord {
        ReportRecord(
            generatedAt: row["generated_at"], trigger: row["trigger"], markdownPath: row["markdown_path"],
            jsonPath: row["json_path"], sequence: row["seq"],
            roots: (row["roots"] as String).split(separator: "\n").map(String.init), digest: row["digest"])
    }

    // MARK: Status

    public struct Summary: Sendable {
        public var analyzed: Int
        public var skipped: Int
        public var deleted: Int
        public var roots: [String]
        public var lastReport: ReportRecord?
        public var lastError: String?
    }

    public func summary() throws(Failure) -> Summary {
        try read { db in
            let counts = try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM file GROUP BY status")
            var byStatus: [String: Int] = [:]
            for row in counts { byStatus[row["status"]] = row["n"] }
            let roots = try String.fetchAll(db, sql: "SELECT DISTINCT root FROM file WHERE status != 'deleted' ORDER BY root")
            let last = try Row.fetchOne(db, sql: "SELECT * FROM report ORDER BY id DESC LIMIT 1").map(Store.report)
            let error = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'last_error'")
            return Summary(
                analyzed: byStatus["analyzed"] ?? 0, skipped: byStatus["skipped"] ?? 0, deleted: byStatus["deleted"] ?? 0,
                roots: roots, lastReport: last, lastError: error)
        }
    }

    /// Remembers the most recent failure (shown by `chimerad status`); `nil` clears it.
    public func setLastError(_ message: String?) throws(Failure) {
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

    // MARK: Plumbing

    private func read<T>(_ body: (Database) throws -> T) throws(Failure) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Failure(path: path, reason: Store.describe(error))
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(Failure) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Failure(path: path, reason: Store.describe(error))
        }
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601)
    }
}
