import Foundation
import GRDB
import Records

/// Each analysed file's stored digest, read one file at a time.
extension Store {
    /// What is stored for one analysed file.
    package struct StoredBlobs {
        let row: Row
        var column = RegistryColumns.all.next

        /// The digest analysis made of the file's records (copied out of the
        /// row only when asked for: a report that reuses a group's figures skips it).
        package func digest() -> [UInt8]? {
            // One copy, straight out of SQLite's page (not via a Data of its own).
            guard column < row.count else { return nil }
            return try? row.withUnsafeData(atIndex: column) { $0.map { [UInt8]($0) } }
        }
    }

    /// Calls `body` for every analysed file under the roots, one at a time, so
    /// memory holds one file's blobs, not the tree's. An error `body` throws
    /// about a blob is reported to `damaged` (the caller re-ingests that file).
    package func forEachAnalyzed(
        roots: [String], _ body: (RegistryEntry, StoredBlobs) throws -> Void,
        damaged: (RegistryEntry, String) -> Void = { _, _ in }
    ) throws(Failure) {
        try read { db in
            for root in roots {
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT \(RegistryColumns.all.sql(alias: "f")), d.digest FROM file f LEFT JOIN file_digest d USING (root, path)
                        WHERE f.root = ? AND f.status = 'analyzed' ORDER BY f.path
                        """,
                    arguments: [root])
                while let row = try rows.next() {
                    try Store.visit(row, body, damaged: damaged)
                }
            }
        }
    }

    /// The same for a few files whose registry entries the caller holds (a
    /// report's scope, with paths as stored): only their digests are read, by
    /// key, and `body` gets each one's position in `entries`.
    package func forEachDigest(
        of entries: [RegistryEntry], _ body: (Int, StoredBlobs) throws -> Void,
        damaged: (RegistryEntry, String) -> Void = { _, _ in }
    ) throws(Failure) {
        try read { db in
            let statement = try db.cachedStatement(sql: "SELECT digest FROM file_digest WHERE root = ? AND path = ?")
            for (position, entry) in entries.enumerated() {
                // No row (a digest missing) reads as no digest: the file is read again.
                let row = try Row.fetchOne(statement, arguments: [entry.root, entry.path]) ?? Row()
                do {
                    try body(position, StoredBlobs(row: row, column: 0))
                } catch let failure as BinaryReader.Failure {
                    damaged(entry, "\(failure)")
                }
            }
        }
    }

    static func visit(
        _ row: Row, _ body: (RegistryEntry, StoredBlobs) throws -> Void, damaged: (RegistryEntry, String) -> Void
    ) throws {
        let entry = RegistryColumns.all.entry(row)
        do {
            try body(entry, StoredBlobs(row: row))
        } catch let failure as BinaryReader.Failure {
            damaged(entry, "\(failure)")
        }
    }
}
