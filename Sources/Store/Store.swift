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
package final class Store: Sendable {
    /// Why the store could not be used: `kind` for code that decides (a full
    /// disk passes, a corrupt store does not), `reason` for people.
    package struct Failure: Error, CustomStringConvertible {
        package enum Kind: Sendable, Equatable {
            /// SQLite's "database or disk is full", or ENOSPC.
            case diskFull
            /// The file is a database, but damaged.
            case corrupt
            /// The file is not a SQLite database at all.
            case notADatabase
            /// No write permission, or a read-only file system.
            case readOnly
            case cannotOpen
            /// Another connection held a lock for longer than the busy timeout.
            case busy
            /// A symbolic link at one of chimerad's own names in the state folder.
            case symbolicLink
            /// A FIFO, device or folder at one of chimerad's own names.
            case notARegularFile
            case cannotCreateFolder
            case cannotLock
            /// Written by a newer chimerad: its schema holds changes this version does not know.
            case newerVersion
            case other
        }

        package var path: String
        package var kind: Kind
        package var reason: String
        /// The error behind it (SQLite's, the file system's), when there is one.
        package var underlying: (any Error)?
        package var description: String { "state store \(path): \(reason)" }

        package init(path: String, kind: Kind, reason: String, underlying: (any Error)? = nil) {
            self.path = path
            self.kind = kind
            self.reason = reason
            self.underlying = underlying
        }

        /// A failure of SQLite or the file system, described and classified.
        init(path: String, error: any Error) {
            self.init(path: path, kind: Store.kind(of: error), reason: Store.describe(error), underlying: error)
        }
    }

    package let path: String
    let pool: DatabasePool

    package static let fileName = "chimerad.sqlite"

    /// The files chimerad keeps in a state folder (the store, SQLite's
    /// companions, the lock): never benchmark input, even when a watched
    /// folder is, or holds, the state folder.
    package static func ownFiles(in directory: String) -> [String] {
        [fileName, fileName + "-wal", fileName + "-shm", fileName + "-journal", StateLock.fileName, StateLock.daemonFileName].map {
            directory + "/" + $0
        }
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
            throw Failure(
                path: path, kind: .symbolicLink,
                reason: "is a symbolic link; chimerad never writes through a link in its state folder (remove it)")
        default:
            throw Failure(path: path, kind: .notARegularFile, reason: "is not a regular file (remove it)")
        }
    }

    /// Creates the state folder when needed, and refuses a folder where one
    /// of chimerad's own files is a link or not a regular file: SQLite
    /// follows a link at the store's name, and names its companions after
    /// the target. The lock's name too, though `StateLock` opens it without
    /// following links: a link there is refused before the store is created beside it.
    package static func prepareFolder(_ directory: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            let kind = Store.kind(of: error)
            throw Failure(
                path: directory, kind: kind == .other ? .cannotCreateFolder : kind,
                reason: "cannot create the state folder (\(Store.describe(error)))", underlying: error)
        }
        for own in Store.ownFiles(in: directory) { try Store.refuseUnlessRegularOrAbsent(own) }
    }

    /// A store already opened (`init(readingOnly:)`).
    init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = pool
    }

    /// Opens (creating when needed) the store in `directory`.
    package init(directory: String) throws(Failure) {
        let path = (directory as NSString).appendingPathComponent(Store.fileName)
        self.path = path
        try Store.prepareFolder(directory)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // In WAL mode NORMAL never corrupts the store, even if the process is
            // killed mid-write; a power cut may lose the last batch, which the
            // next pass simply ingests again. It spares an fsync per commit.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Digests take a few KiB to hundreds: with 64 KiB pages a dozen
            // share one, where a 4 KiB page held one and spilled the rest into
            // a mostly empty overflow page (18 MB of pages for 13 MB of
            // digests). Bulk writes and scans touch a tenth of the pages. Only
            // a new store takes it; an older one keeps its page size.
            try db.execute(sql: "PRAGMA page_size = 65536")
            // The WAL is checkpointed every 512 pages (32 MiB of 64 KiB pages;
            // SQLite's default would let it reach 64 MiB) and cut back to 32
            // MiB after. A checkpoint syncs the disk twice, holding up the
            // writes behind it: at 8 MiB a cold report spent a tenth of its
            // time waiting for them.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 512")
            try db.execute(sql: "PRAGMA journal_size_limit = 33554432")
            // Statement journals and sorts stay in memory (they are small here):
            // a temporary file under /var/tmp cost a create, an unlink and,
            // under the service's PrivateTmp, a file system the store does not use.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            // Pages are read through a mapping, not copied by read(2): a
            // report after one changed file reads a few MB of digests, and the
            // copies were a tenth of its time. Reads only; writes still go
            // through the WAL.
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // Migrating reads the header and schema: a file that is not a database,
            // or a damaged one, fails here with a clear code. (An integrity check
            // of every page would cost as much as the report on a large store.)
            // An up-to-date store (the usual case) is only read: migrating takes
            // a write lock and a commit on every open.
            let migrator = Store.migrator
            if try !Store.isUpToDate(pool, path: path) {
                let applied = try pool.read(migrator.appliedIdentifiers)
                try migrator.migrate(pool)
                // A v1 store's records, dropped by v2, leave most of its pages
                // free: give them back once (cheap, as little is left).
                if applied.contains("v1") && !applied.contains("v2: digests only") {
                    try pool.writeWithoutTransaction { db in
                        // The copy VACUUM makes goes to a file, whatever the store's size.
                        try db.execute(sql: "PRAGMA temp_store = FILE")
                        try db.execute(sql: "VACUUM")
                        try db.execute(sql: "PRAGMA temp_store = MEMORY")
                        // In WAL mode the file shrinks at the checkpoint.
                        try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                    }
                }
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(path: path, error: error)
        }
    }

    /// Whether the store has every migration of this version, in one read
    /// (an open pays for it every report). Refuses a store a newer chimerad
    /// migrated: this version would write rows without what the newer one
    /// keeps in them.
    static func isUpToDate(_ pool: DatabasePool, path: String) throws -> Bool {
        let migrator = Store.migrator
        let (completed, superseded) = try pool.read { db in
            (try migrator.hasCompletedMigrations(db), try migrator.hasBeenSuperseded(db))
        }
        if superseded { throw newerVersion(path: path, pool: pool) }
        return completed
    }

    /// The refusal of a store a newer chimerad wrote, naming what it holds
    /// that this version does not know.
    static func newerVersion(path: String, pool: DatabasePool) -> Failure {
        let known = Set(Store.migrator.migrations)
        let unknown = ((try? pool.read(Store.migrator.appliedIdentifiers)) ?? []).filter { !known.contains($0) }.sorted()
        return Failure(
            path: path, kind: .newerVersion,
            reason: "was written by a newer chimerad (its schema has \(unknown.joined(separator: ", "))); "
                + "run that version, or give this one another state folder")
    }

    /// What kind of failure `error` (SQLite's, or the file system's) is.
    static func kind(of error: any Error) -> Failure.Kind {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_FULL: return .diskFull
            case .SQLITE_CORRUPT: return .corrupt
            case .SQLITE_NOTADB: return .notADatabase
            case .SQLITE_READONLY: return .readOnly
            case .SQLITE_CANTOPEN: return .cannotOpen
            case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy
            default: return .other
            }
        }
        // Foundation's file errors carry the errno as an NSError underneath.
        let cause = (error as? CocoaError)?.underlying ?? error
        if let posix = cause as? POSIXError { return kind(errno: posix.code.rawValue) }
        let bridged = cause as NSError
        return bridged.domain == NSPOSIXErrorDomain ? kind(errno: Int32(truncatingIfNeeded: bridged.code)) : .other
    }

    /// What kind of failure an `errno` is; `.other` for one no caller tells apart.
    static func kind(errno code: Int32) -> Failure.Kind {
        switch code {
        case ENOSPC, EDQUOT: .diskFull
        case EROFS, EACCES, EPERM: .readOnly
        default: .other
        }
    }

    /// An error as a message says it: SQLite's cases in words, a file
    /// system error in the system's words (`Not a directory`).
    package static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB: return "not a SQLite database (corrupt or foreign file); move it away to start afresh"
            case .SQLITE_CORRUPT: return "database is corrupt; move it away to start afresh"
            case .SQLITE_CANTOPEN: return "cannot open (\(error.message ?? "permission or path problem"))"
            case .SQLITE_READONLY: return "read-only (\(error.message ?? "no write permission"))"
            default: return error.message ?? "\(error)"
            }
        }
        if let error = error as? CocoaError, let underlying = error.underlying {
            // The system's own words ("Not a directory"), not Foundation's "The operation could not be completed".
            let system = underlying as NSError
            if system.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(system.code))) }
            return underlying.localizedDescription
        }
        return error.localizedDescription
    }

    // MARK: Plumbing

    func read<T>(_ body: (Database) throws -> T) throws(Failure) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Failure(path: path, error: error)
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(Failure) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Failure(path: path, error: error)
        }
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601)
    }
}

/// An error that keeps the error behind it, so a caller can look through
/// the layers that phrased it (a report's failure, the daemon's).
package protocol ErrorWithCause: Error {
    var cause: (any Error)? { get }
}

extension Store.Failure {
    /// Whether `error`, or an error it keeps as its cause, refuses a store a
    /// newer chimerad wrote: a configuration to change, not a failure that
    /// a restart mends (the unit does not restart on 78).
    package static func refusesNewerVersion(_ error: any Error) -> Bool {
        var current: (any Error)? = error
        // Bounded: causes form a short chain, never a cycle worth following.
        for _ in 0..<8 {
            guard let error = current else { return false }
            if let failure = error as? Store.Failure { return failure.kind == .newerVersion }
            current = (error as? any ErrorWithCause)?.cause
        }
        return false
    }
}
