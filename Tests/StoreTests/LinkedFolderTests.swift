import Foundation
import Records
import Testing

@testable import Store

/// `Store.follow(link:to:inUse:)`: an input link's files move with it from
/// folder to folder, and only when it moved.
@Suite struct LinkedFolderTests {
    private func store() throws -> Store {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return try Store(directory: path)
    }

    private func entry(_ root: String, _ path: String, hash: String) -> RegistryEntry {
        RegistryEntry(
            root: root, path: path, device: 1, inode: 42, size: 10, modifiedNanoseconds: 1000, contentHash: hash, status: .analyzed,
            shape: .ollamaRuns, reason: nil, reasonCode: nil, modelHint: "m", parserVersion: 7, changedSequence: 0)
    }

    @Test func aLinkSwitchedToAnotherFolderTakesItsFilesThere() throws {
        let store = try store()
        try store.apply([.ingested(entry("/n/d1", "runs.csv", hash: "one"), digest: [1])])
        // The first look only remembers where the link leads.
        #expect(try store.follow(link: "/latest", to: "/n/d1", inUse: ["/n/d1"]) == nil)
        #expect(try store.follow(link: "/latest", to: "/n/d1", inUse: ["/n/d1"]) == nil)
        #expect(try store.follow(link: "/latest", to: "/n/d2", inUse: ["/n/d2"]) == "/n/d1")
        #expect(try store.entries(roots: ["/n/d1"]).isEmpty)
        let moved = try store.entries(roots: ["/n/d2"])
        #expect(moved.map(\.path) == ["runs.csv"] && moved.first?.contentHash == "one")
        var digests: [[UInt8]?] = []
        try store.forEachAnalyzed(roots: ["/n/d2"]) { _, blobs in digests.append(blobs.digest()) }
        #expect(digests == [[1]])
    }

    /// Switched back to a folder it led to before: what the registry held
    /// there from that visit gives way to the files that came since.
    @Test func aLinkSwitchedBackReplacesTheFoldersOlderEntries() throws {
        let store = try store()
        try store.apply([.ingested(entry("/n/blue", "runs.csv", hash: "old"), digest: [1])])
        _ = try store.follow(link: "/live", to: "/n/blue", inUse: ["/n/blue"])
        _ = try store.follow(link: "/live", to: "/n/green", inUse: ["/n/green"])
        try store.apply([.ingested(entry("/n/green", "runs.csv", hash: "new"), digest: [2])])
        #expect(try store.follow(link: "/live", to: "/n/blue", inUse: ["/n/blue"]) == "/n/green")
        #expect(try store.entries(roots: ["/n/blue"]).map(\.contentHash) == ["new"])
        #expect(try store.entries(roots: ["/n/green"]).isEmpty)
    }

    /// The folder it led to is an input of its own as well: its files stay
    /// where they are, and the link only remembers where it leads now.
    @Test func aFolderThatIsAlsoAnInputKeepsItsFiles() throws {
        let store = try store()
        try store.apply([.ingested(entry("/n/d1", "runs.csv", hash: "one"), digest: [1])])
        _ = try store.follow(link: "/latest", to: "/n/d1", inUse: ["/n/d1"])
        #expect(try store.follow(link: "/latest", to: "/n/d2", inUse: ["/n/d1", "/n/d2"]) == nil)
        #expect(try store.entries(roots: ["/n/d1"]).count == 1)
        #expect(try store.follow(link: "/latest", to: "/n/d2", inUse: ["/n/d2"]) == nil)
    }
}
