import Foundation
import GRDB
import Records

/// Each analysed file's stored digest, read one file at a time.
extension Store {
    /// What is stored for one analysed file.
    package struct StoredBlobs {
        let row: Row

        /// The digest analysis made of the file's records (copied out of the
        /// row only when asked for: a report that reuses a group's figures skips it).
        package func digest() -> [UInt8]? {
            (row[Store.digestColumn] as Data?).map { [UInt8]($0) }
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
                        SELECT \(Store.entryColumns("f")), d.digest FROM file f LEFT JOIN file_digest d USING (root, path)
                        WHERE f.root = ? AND f.status = 'analyzed' ORDER BY f.path
                        """,
                    arguments: [root])
                while let row = try rows.next() {
                    try Store.visit(row, body, damaged: damaged)
                }
            }
        }
    }

    /// The same for a few files out of many, read by key: `body` gets each file
    /// of `files` that is stored as analysed, in order. Several calls may run at
    /// once, each on its own reader.
    package func forEachAnalyzed(
        files: [(root: String, path: String)], _ body: (RegistryEntry, StoredBlobs) throws -> Void,
        damaged: (RegistryEntry, String) -> Void = { _, _ in }
    ) throws(Failure) {
        try read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT \(Store.entryColumns("f")), d.digest FROM file f LEFT JOIN file_digest d USING (root, path)
                    WHERE f.root = ? AND f.path = ? AND f.status = 'analyzed'
                    """)
            for (root, path) in files {
                guard let row = try Row.fetchOne(statement, arguments: [root, path]) else { continue }
                try Store.visit(row, body, damaged: damaged)
            }
        }
    }

    static func visit(
        _ row: Row, _ body: (RegistryEntry, StoredBlobs) throws -> Void, damaged: (RegistryEntry, String) -> Void
    ) throws {
        let entry = Store.entry(row)
        do {
            try body(entry, StoredBlobs(row: row))
        } catch let failure as BinaryReader.Failure {
            damaged(entry, "\(failure)")
        }
    }
}
