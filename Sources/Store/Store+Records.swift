import Foundation
import GRDB
import Records

/// Each analysed file's stored records and digest, read one file at a time.
extension Store {
    /// What is stored for one analysed file; the full records are read only when asked for.
    public struct StoredBlobs {
        let db: Database
        let entry: RegistryEntry
        let row: Row

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

    static func visit(
        _ row: Row, db: Database, _ body: (RegistryEntry, StoredBlobs) throws -> Void, damaged: (RegistryEntry, String) -> Void
    ) throws {
        let entry = Store.entry(row)
        do {
            try body(entry, StoredBlobs(db: db, entry: entry, row: row))
        } catch let failure as BinaryReader.Failure {
            damaged(entry, "\(failure)")
        }
    }
}
