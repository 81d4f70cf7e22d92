import Foundation
import GRDB
import Records
import Testing

@testable import Store

/// Store failures keep what went wrong as a kind, and the error behind it, so
/// a full disk and a damaged store are told apart without reading the text.
@Suite struct StoreFailureTests {
    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func entry(_ path: String) -> RegistryEntry {
        RegistryEntry(
            root: "/root", path: path, device: 1, inode: 42, size: 10, modifiedNanoseconds: 1000, contentHash: "h",
            status: .analyzed, shape: .ollamaRuns, reason: nil, reasonCode: nil, modelHint: nil, parserVersion: 7,
            changedSequence: 0)
    }

    @Test func aFullDiskIsAFullDisk() throws {
        let store = try Store(directory: try temporaryFolder())
        try store.apply([.ingested(entry("a.csv"), digest: [1])])
        // The writer may not grow the file: what SQLite says when the disk is full.
        try store.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
        do {
            try store.apply([.ingested(entry("b.csv"), digest: [UInt8](repeating: 7, count: 4 << 20))])
            Issue.record("a write past the last page succeeded")
        } catch {
            #expect(error.kind == .diskFull)
            #expect(error.underlying is DatabaseError)
            #expect(error.description.hasPrefix("state store \(store.path): "))
        }
    }

    @Test func garbageIsNotADatabase() throws {
        let folder = try temporaryFolder()
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: folder + "/" + Store.fileName))
        do {
            _ = try Store(directory: folder)
            Issue.record("opening garbage succeeded")
        } catch {
            #expect(error.kind == .notADatabase)
            #expect(error.kind != .diskFull)
            #expect(
                error.description
                    == "state store \(folder)/\(Store.fileName): not a SQLite database (corrupt or foreign file); move it away to start afresh")
        }
    }

    /// A store a newer chimerad migrated is refused, read-write and
    /// read-only, naming what it holds: this version wrote into it as if
    /// it were its own.
    @Test func aStoreFromANewerVersionIsRefused() throws {
        let folder = try temporaryFolder()
        do {
            let store = try Store(directory: folder)
            try store.apply([.ingested(entry("a.csv"), digest: [1])])
            try store.pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: future')") }
        }
        for readingOnly in [false, true] {
            do {
                _ = try readingOnly ? Store(readingOnly: folder) : Store(directory: folder)
                Issue.record("a newer store was opened (read-only: \(readingOnly))")
            } catch {
                #expect(error.kind == .newerVersion)
                #expect(error.description.contains("newer chimerad (its schema has v99: future)"), "\(error)")
                // Found through the errors that phrase it for a command: `run` and `report` exit 78 on it.
                struct Phrased: ErrorWithCause { var cause: (any Error)? }
                #expect(Store.Failure.refusesNewerVersion(Phrased(cause: Phrased(cause: error))))
                #expect(!Store.Failure.refusesNewerVersion(Phrased(cause: Store.Failure(path: "p", kind: .corrupt, reason: "r"))))
            }
        }
    }

    @Test func damagedPagesAreCorrupt() throws {
        let folder = try temporaryFolder()
        let path = folder + "/" + Store.fileName
        do {
            let store = try Store(directory: folder)
            try store.apply((0..<50).map { .ingested(entry("f\($0).csv"), digest: [UInt8](repeating: 1, count: 2000)) })
        }
        // A database header and schema, and garbage in every page after the first.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let stored = Int(bytes[16]) << 8 | Int(bytes[17])
        let pageSize = stored == 1 ? 65536 : stored
        try #require(bytes.count > pageSize)
        for index in pageSize..<bytes.count { bytes[index] = 0xFF }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        // Nothing of the store may survive in a WAL left beside it.
        for companion in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + companion) }
        do {
            let store = try Store(directory: folder)
            _ = try store.entries(roots: ["/root"])
            Issue.record("reading damaged pages succeeded")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.description.hasSuffix("database is corrupt; move it away to start afresh"))
        }
    }

    @Test func aLinkAtTheStoresNameIsRefusedByKind() throws {
        let folder = try temporaryFolder()
        try FileManager.default.createSymbolicLink(atPath: folder + "/" + Store.fileName, withDestinationPath: "/tmp/elsewhere")
        do {
            _ = try Store(directory: folder)
            Issue.record("opened a store through a link")
        } catch {
            #expect(error.kind == .symbolicLink)
        }
    }
}
