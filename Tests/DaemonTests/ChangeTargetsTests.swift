import Pipeline
import Testing
import Watching

@testable import Daemon

@Suite struct ChangeTargetsTests {
    private func at(_ path: String, root: String = "/w") -> WatchedPath { WatchedPath(root: root, path: path) }

    @Test func everyPathOfAChangeSetBecomesATarget() {
        let set = ChangeSet(
            written: [at("a.csv"), at("")], removed: [at("gone.csv")],
            renamed: [
                .init(from: at("old.csv"), to: at("new.csv"), isFolder: false),
                .init(from: at("d1"), to: at("d2"), isFolder: true),
                .init(from: at("x.csv"), to: at("x.csv", root: "/v"), isFolder: false),
            ],
            foldersToScan: [at("fresh")])
        let targets = DaemonLoop.targets(for: set, roots: ["/v", "/w"])
        let files = Set(targets.files.map { "\($0.root)|\($0.path)" })
        let folders = Set(targets.folders.map { "\($0.root)|\($0.path)" })
        #expect(files == ["/w|a.csv", "/w|gone.csv", "/w|new.csv", "/w|x.csv", "/v|x.csv"])
        #expect(folders == ["/w|", "/w|fresh", "/w|d2"])
        // Moves within a root keep the file's records; between roots they are a delete and a new file.
        #expect(targets.renames == [
            .init(root: "/w", from: "old.csv", to: "new.csv", isFolder: false),
            .init(root: "/w", from: "d1", to: "d2", isFolder: true),
        ])
    }
}
