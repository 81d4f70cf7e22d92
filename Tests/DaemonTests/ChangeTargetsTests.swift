import Pipeline
import Store
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
        // Both ends of every move are looked at: the old path loses what was listed under it.
        #expect(files == ["/w|a.csv", "/w|gone.csv", "/w|old.csv", "/w|new.csv", "/w|x.csv", "/v|x.csv"])
        #expect(folders == ["/w|", "/w|fresh", "/w|d1", "/w|d2"])
        // Moves within a root keep the file's records; between roots they are a delete and a new file.
        #expect(
            targets.renames == [
                .init(root: "/w", from: "old.csv", to: "new.csv", isFolder: false),
                .init(root: "/w", from: "d1", to: "d2", isFolder: true),
            ])
    }

    @Test func renamesAreListedFileByFileFromWhereTheLastReportSawThem() {
        func entry(_ path: String) -> RegistryEntry {
            RegistryEntry(
                root: "/w", path: path, device: 1, inode: 1, size: 1, modifiedNanoseconds: 1, contentHash: nil,
                status: .analyzed, shape: nil, reason: nil, reasonCode: nil, modelHint: nil, parserVersion: 1, changedSequence: 1)
        }
        let before = [entry("b.csv"), entry("d/s/a.csv"), entry("x/y/z.csv")]
        var log = RenameLog()
        // One change set: d/s -> s2, d -> s2/d, b.csv -> s2/d/b.csv, s2 -> top.
        log.record(
            [
                .init(root: "/w", from: "d/s", to: "s2", isFolder: true),
                .init(root: "/w", from: "d", to: "s2/d", isFolder: true),
                .init(root: "/w", from: "b.csv", to: "s2/d/b.csv", isFolder: false),
                .init(root: "/w", from: "s2", to: "top", isFolder: true),
            ], before: before)
        // A later change set moves a folder that an earlier move created.
        log.record([.init(root: "/w", from: "x", to: "x2", isFolder: true)], before: before)
        #expect(log.moves.map { "\($0.from) -> \($0.to)" } == ["d/s/a.csv -> top/a.csv", "b.csv -> top/d/b.csv", "x/y/z.csv -> x2/y/z.csv"])
        log.clear()
        #expect(log.moves.isEmpty)
    }

    /// `sed -i` (a `sedX1b2Qz` written, then renamed over the file) or a
    /// harness's `results.csv.tmp` renamed into place: the file was written
    /// anew, not renamed; the report listed `Renamed: sedX1b2Qz → runs.csv`.
    @Test func aTemporaryRenamedIntoPlaceIsNoRename() {
        let known = RegistryEntry(
            root: "/w", path: "runs.csv", device: 1, inode: 1, size: 1, modifiedNanoseconds: 1, contentHash: nil,
            status: .analyzed, shape: nil, reason: nil, reasonCode: nil, modelHint: nil, parserVersion: 1, changedSequence: 1)
        var log = RenameLog()
        log.record(
            [
                .init(root: "/w", from: "sedX1b2Qz", to: "runs.csv", isFolder: false),
                .init(root: "/w", from: "new.csv.part", to: "new.csv", isFolder: false),
            ], before: [known])
        #expect(log.moves.isEmpty, "\(log.moves)")
        // A known file moved, then a temporary renamed to its old name: one move.
        log.record(
            [
                .init(root: "/w", from: "runs.csv", to: "runs-1.csv", isFolder: false),
                .init(root: "/w", from: "runs.csv.tmp", to: "runs.csv", isFolder: false),
            ], before: [known])
        #expect(log.moves.map { "\($0.from) -> \($0.to)" } == ["runs.csv -> runs-1.csv"])
    }

    /// Files moved while no daemon watched: the start-up pass finds the moves,
    /// and the registry it leaves has only the new names. They were dropped
    /// as temporaries' and the start-up report called the files modified.
    @Test func movesTheStartUpPassFoundAreRenames() {
        func entry(_ path: String) -> RegistryEntry {
            RegistryEntry(
                root: "/w", path: path, device: 1, inode: 1, size: 1, modifiedNanoseconds: 1, contentHash: nil, status: .analyzed, shape: nil,
                reason: nil, reasonCode: nil, modelHint: nil, parserVersion: 1, changedSequence: 1)
        }
        var log = RenameLog()
        log.recordFoundByPass(
            [
                .init(root: "/w", from: "hyperfine/gzip_levels.json", to: "hyperfine/gzip-renamed.json", isFolder: false),
                .init(root: "/w", from: "llama-bench/a.csv", to: "lb/a.csv", isFolder: false),
            ], after: [entry("hyperfine/gzip-renamed.json"), entry("lb/a.csv"), entry("other.csv")])
        #expect(
            log.moves.map { "\($0.from) -> \($0.to)" } == [
                "hyperfine/gzip_levels.json -> hyperfine/gzip-renamed.json", "llama-bench/a.csv -> lb/a.csv",
            ])
    }
}
