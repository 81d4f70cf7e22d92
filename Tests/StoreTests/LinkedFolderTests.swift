import Foundation
import GRDB
import Records
import Testing

@testable import Store

/// `Store.follow(link:to:)`: an input link's file histories go with it from
/// folder to folder, and nothing else moves.
@Suite struct LinkedFolderTests {
    private func store() throws -> Store {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return try Store(directory: path)
    }

    private func entry(_ root: String, _ path: String, hash: String, modified: Int64 = 1000) -> RegistryEntry {
        RegistryEntry(
            root: root, path: path, device: 1, inode: 42, size: 10, modifiedNanoseconds: modified, contentHash: hash, status: .analyzed,
            shape: .ollamaRuns, reason: nil, reasonCode: nil, modelHint: "m", parserVersion: 7, changedSequence: 0)
    }

    /// Keeps a version of `path` under `root`, as a rewrite in place keeps one.
    private func keep(_ store: Store, _ root: String, _ path: String, modified: Int64, digest: [UInt8]) throws {
        try store.pool.write { db in
            try db.execute(
                sql: "INSERT INTO file_history (root, path, mtime_ns, digest, content_hash) VALUES (?, ?, ?, ?, ?)",
                arguments: [root, path, modified, Data(digest), "kept-\(modified)"])
        }
    }

    /// The kept versions under `root`, as (path, modification time, digest), oldest first.
    private func versions(_ store: Store, _ root: String) throws -> [String] {
        try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT path, mtime_ns, digest FROM file_history WHERE root = ? ORDER BY path, mtime_ns", arguments: [root])
                .map { row in "\(row["path"] as String)@\(row["mtime_ns"] as Int64)=\([UInt8](row["digest"] as Data))" }
        }
    }

    @Test func aLinkSwitchedToAnotherFolderTakesItsFilesHistoryThere() throws {
        let store = try store()
        try keep(store, "/n/d1", "runs.csv", modified: 1000, digest: [1])
        try store.apply([.ingested(entry("/n/d1", "runs.csv", hash: "two", modified: 2000), digest: [2])])
        // The first look only remembers where the link leads.
        #expect(try store.follow(link: "/latest", to: "/n/d1") == nil)
        #expect(try store.follow(link: "/latest", to: "/n/d1") == nil)
        #expect(try store.follow(link: "/latest", to: "/n/d2") == "/n/d1")
        #expect(try versions(store, "/n/d2") == ["runs.csv@1000=[1]", "runs.csv@2000=[2]"])
        // Moved, not copied; the old folder's file itself stays for a report over that folder.
        #expect(try versions(store, "/n/d1").isEmpty)
        #expect(try store.entries(roots: ["/n/d1"]).map(\.contentHash) == ["two"])
        #expect(try store.entries(roots: ["/n/d2"]).isEmpty)
    }

    /// A folder another input link leads to keeps its history its own: two
    /// links that traded folders took, and then lost, each other's.
    @Test func aFolderAnotherLinkLeadsToIsLeftAlone() throws {
        let store = try store()
        try store.apply([.ingested(entry("/n/blue", "runs.csv", hash: "b"), digest: [1])])
        try store.apply([.ingested(entry("/n/green", "runs.csv", hash: "g"), digest: [2])])
        _ = try store.follow(link: "/live", to: "/n/blue")
        _ = try store.follow(link: "/staging", to: "/n/green")
        #expect(try store.follow(link: "/live", to: "/n/green") == nil)
        #expect(try versions(store, "/n/green").isEmpty)
        #expect(try store.entries(roots: ["/n/blue", "/n/green"]).map(\.contentHash) == ["b", "g"])
    }

    /// Only the newest `historyPerFile` versions of a path are kept.
    @Test func theCarriedHistoryKeepsItsBound() throws {
        let store = try store()
        for version in 1...(Store.historyPerFile + 2) { try keep(store, "/n/d1", "runs.csv", modified: Int64(version), digest: [UInt8(version)]) }
        let last = Store.historyPerFile + 3
        try store.apply([.ingested(entry("/n/d1", "runs.csv", hash: "v\(last)", modified: Int64(last)), digest: [UInt8(last)])])
        _ = try store.follow(link: "/latest", to: "/n/d1")
        #expect(try store.follow(link: "/latest", to: "/n/d2") == "/n/d1")
        let kept = try versions(store, "/n/d2")
        #expect(kept.count == Store.historyPerFile && kept.last == "runs.csv@\(Store.historyPerFile + 3)=[\(Store.historyPerFile + 3)]")
    }
}
