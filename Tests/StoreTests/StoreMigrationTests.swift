import Foundation
import Records
import Testing

@testable import Store

/// The v3 migration: skip reasons get a code column; reasons stored before it
/// read back as `legacy`, so the files behind them are looked at again.
@Suite struct StoreMigrationTests {
    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func python(_ script: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func entry(_ path: String, reason: String?, code: SkipCode?) -> RegistryEntry {
        RegistryEntry(
            root: "/root", path: path, device: 1, inode: 42, size: 10, modifiedNanoseconds: 1000, contentHash: "h",
            status: reason == nil ? .analyzed : .skipped, shape: nil, reason: reason, reasonCode: code, modelHint: nil,
            parserVersion: 7, changedSequence: 0)
    }

    @Test func aVersionTwoStoreGetsTheColumnAndItsReasonsReadAsLegacy() throws {
        let folder = try temporaryFolder()
        let path = folder + "/" + Store.fileName
        do {
            let store = try Store(directory: folder)
            try store.apply([
                .ingested(entry("empty.csv", reason: "empty file", code: .emptyFile), digest: nil),
                .ingested(entry("good.csv", reason: nil, code: nil), digest: [1]),
            ])
        }
        // Back to the schema v2 left: no code column, no record of v3.
        _ = try python(
            """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("ALTER TABLE file DROP COLUMN reason_code")
            c.execute("DELETE FROM grdb_migrations WHERE identifier LIKE 'v3%'")
            c.commit()
            """, path)

        let store = try Store(directory: folder)
        let entries = try store.entries(roots: ["/root"])
        #expect(entries.map(\.path) == ["empty.csv", "good.csv"])
        #expect(entries[0].reason == "empty file" && entries[0].reasonCode == .legacy)
        #expect(entries[1].reason == nil && entries[1].reasonCode == nil)
        #expect(try store.lightEntries(roots: ["/root"]).map(\.reasonCode) == [.legacy, nil])

        // The column is there, and new reasons keep their code.
        try store.apply([.ingested(entry("empty.csv", reason: "empty file", code: .emptyFile), digest: nil)])
        #expect(try store.entries(roots: ["/root"]).first?.reasonCode == .emptyFile)
        let columns = try python(
            "import sqlite3, sys; print(' '.join(r[1] for r in sqlite3.connect(sys.argv[1]).execute('PRAGMA table_info(file)')))", path)
        #expect(columns.split(separator: " ").contains("reason_code"))
    }

    @Test func aDeletionClearsTheCodeWithTheReason() throws {
        let store = try Store(directory: try temporaryFolder())
        try store.apply([.ingested(entry("a.csv", reason: "empty file", code: .emptyFile), digest: nil)])
        try store.apply([.deleted(root: "/root", path: "a.csv")])
        let gone = try #require(try store.entries(roots: ["/root"]).first)
        #expect(gone.status == .deleted && gone.reason == nil && gone.reasonCode == nil)
    }
}
