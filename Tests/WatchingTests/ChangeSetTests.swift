import Testing

@testable import Watching

@Suite struct ChangeSetTests {
    @Test func mergingKeepsEveryPathAndTheRenameOrder() {
        let a = WatchedPath(root: "/r", path: "a.csv")
        let b = WatchedPath(root: "/r", path: "b.csv")
        var first = ChangeSet(written: [a], renamed: [.init(from: a, to: b, isFolder: false)])
        let later = ChangeSet(
            written: [b], removed: [a], renamed: [.init(from: b, to: a, isFolder: false)],
            foldersToScan: [WatchedPath(root: "/r", path: "new")], rescanAll: true)
        first.merge(later)
        #expect(first.written == [a, b])
        #expect(first.removed == [a])
        #expect(first.renamed.map(\.to) == [b, a])
        #expect(first.foldersToScan.count == 1)
        #expect(first.rescanAll)
        #expect(!first.isEmpty)
        #expect(ChangeSet().isEmpty)
    }

    @Test func pathsJoinTheirRootAndSortAsBytes() {
        #expect(WatchedPath(root: "/r", path: "").absolute == "/r")
        #expect(WatchedPath(root: "/r", path: "x/y").absolute == "/r/x/y")
        #expect(WatchedPath(root: "/", path: "x").absolute == "/x")
        #expect(WatchedPath(root: "/r", path: "B") < WatchedPath(root: "/r", path: "a"))
    }
}
