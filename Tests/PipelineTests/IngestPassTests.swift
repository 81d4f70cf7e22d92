#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Analysis
import Ingest
import Logging
import Store
import Testing

@testable import Pipeline

/// Full and targeted passes over a real folder and a real store.
@Suite struct IngestPassTests {
    private let logger = Logger(label: "test")

    private static func runs(model: String, tokensPerSecond: Double) -> String {
        var text = "timestamp,model,prompt_index,ttft_s,tokens_s,load_s,eval_count,error\n"
        for index in 0..<5 {
            text += "2026-11-22T10:00:0\(index)Z,\(model),\(index),0.05,\(tokensPerSecond + Double(index)),0.0,48,\n"
        }
        return text
    }

    private func makeTree() throws -> (root: String, state: String) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-pass-\(UUID().uuidString)").path
        let root = base + "/results"
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        try IngestPassTests.runs(model: "m1", tokensPerSecond: 100).write(toFile: root + "/a/one.csv", atomically: true, encoding: .utf8)
        try IngestPassTests.runs(model: "m2", tokensPerSecond: 50).write(toFile: root + "/two.csv", atomically: true, encoding: .utf8)
        return (TreeScanner.normalize(root), base + "/state")
    }

    /// Moves files and folders under `root`, and gives the targets a
    /// watcher reports for the moves and for the files to read.
    private func move(
        _ moves: [(from: String, to: String, isFolder: Bool)], under root: String, reading files: [String]
    ) throws -> IngestPass.Targets {
        for move in moves { try FileManager.default.moveItem(atPath: root + "/" + move.from, toPath: root + "/" + move.to) }
        return IngestPass.Targets(
            files: files.map { .init(root: root, path: $0) },
            renames: moves.map { .init(root: root, from: $0.from, to: $0.to, isFolder: $0.isFolder) })
    }

    private func pass(_ root: String) -> IngestPass {
        IngestPass(roots: [root], excluded: [], ignorePatterns: ["*.swp"], maxFileBytes: 1 << 20, summarizer: .analysis)
    }

    @Test func aTargetedPassLooksOnlyAtWhatItIsToldAndKeepsTheRest() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let store = try Store(directory: state)
        let first = try await pass(root).run(store: store, logger: logger)
        #expect(first.parsed == 2)
        #expect(first.filesSeen == 2)

        // A new file in a new folder, an edit, a delete, and an edit the targets
        // do not name (it must stay as it was until a pass looks at it).
        try FileManager.default.createDirectory(atPath: root + "/new/deep", withIntermediateDirectories: true)
        try IngestPassTests.runs(model: "m3", tokensPerSecond: 10).write(toFile: root + "/new/deep/three.csv", atomically: true, encoding: .utf8)
        try IngestPassTests.runs(model: "m1", tokensPerSecond: 90).write(toFile: root + "/a/one.csv", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: root + "/two.csv")
        let targets = IngestPass.Targets(
            files: [.init(root: root, path: "a/one.csv"), .init(root: root, path: "two.csv")],
            folders: [.init(root: root, path: "new")])
        let second = try await pass(root).run(store: store, logger: logger, previous: first, targets: targets)
        #expect(second.parsed == 2)
        #expect(second.deleted == 1)
        let live = second.entries.filter { $0.status != .deleted }.map(\.path)
        #expect(live == ["a/one.csv", "new/deep/three.csv"])
        #expect(second.filesSeen == 2)
        #expect(second.entries.first { $0.path == "two.csv" }?.status == .deleted)
        // The registry the daemon keeps equals what the store holds.
        #expect(second.entries == (try store.entries(roots: [root])))
    }

    /// A file appended to through one of its hard links changed under the
    /// other name too: a targeted pass naming only the one written reads
    /// both (the other kept its old content, counted a second time).
    @Test func aTargetedPassReadsTheOtherHardLinksOfAFileWritten() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        try FileManager.default.createDirectory(atPath: root + "/snap", withIntermediateDirectories: true)
        #expect(link(root + "/two.csv", root + "/snap/two.csv") == 0)
        let store = try Store(directory: state)
        let first = try await pass(root).run(store: store, logger: logger)
        let hash = first.entries.first { $0.path == "two.csv" }?.contentHash
        #expect(hash != nil && first.entries.first { $0.path == "snap/two.csv" }?.contentHash == hash)
        // Appended in place, as a harness does: the inode stays, both names show the rows.
        let handle = try #require(FileHandle(forWritingAtPath: root + "/two.csv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2026-11-22T10:00:09Z,m2,9,0.05,55.0,0.0,48,\n".utf8))
        try handle.close()
        let second = try await pass(root).run(
            store: store, logger: logger, previous: first, targets: .init(files: [.init(root: root, path: "two.csv")]))
        let written = second.entries.first { $0.path == "two.csv" }
        let other = second.entries.first { $0.path == "snap/two.csv" }
        #expect(written?.contentHash != hash && other?.contentHash == written?.contentHash, "\(second.entries)")
        #expect(second.entries == (try store.entries(roots: [root])))
    }

    /// Content left as it was keeps the time it was first read with, when
    /// the file is touched forward or its time set back (`touch -d`,
    /// `rsync -a`): a time that moves on the same bytes re-dated sessions
    /// and had them tested again. No change, no parse.
    @Test func aModificationTimeMovedOnTheSameBytesKeepsTheContentsTime() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let path = root + "/two.csv"
        func setModified(_ seconds: Int) {
            var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
            #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
        }
        let store = try Store(directory: state)
        setModified(1_795_000_000)
        var previous = try await pass(root).run(store: store, logger: logger)
        func entry(_ ingested: IngestPass.Ingested) -> RegistryEntry? { ingested.entries.first { $0.path == "two.csv" } }
        let first = entry(previous)
        #expect(first?.contentModifiedNanoseconds == Int64(1_795_000_000) * 1_000_000_000)
        for seconds in [1_796_000_000, 1_790_000_000] {
            setModified(seconds)
            let next = try await pass(root).run(store: store, logger: logger, previous: previous)
            #expect(entry(next)?.contentModifiedNanoseconds == first?.contentModifiedNanoseconds, "moved to \(seconds)")
            #expect(entry(next)?.changedSequence == first?.changedSequence && next.parsed == 0)
            #expect(next.entries == (try store.entries(roots: [root])))
            previous = next
        }
    }

    /// A root moved away: not read, nothing of it deleted, and the report key
    /// is the one it had (a root nested in it, away with it, is not a root of its own).
    @Test func aRootThatIsAwayKeepsItsFilesAndItsReportKey() async throws {
        let (root, state) = try makeTree()
        let base = (root as NSString).deletingLastPathComponent
        defer { try? FileManager.default.removeItem(atPath: base) }
        let store = try Store(directory: state)
        let roots = [root, root + "/a"]
        let passOverBoth = IngestPass(roots: roots, excluded: [], ignorePatterns: [], maxFileBytes: 1 << 20, summarizer: .analysis)
        let first = try await passOverBoth.run(store: store, logger: logger)
        #expect(first.reportKey == [root])
        try FileManager.default.moveItem(atPath: root, toPath: base + "/away")
        #expect(IngestPass.distinctRoots(roots) == [root])
        let away = try await passOverBoth.run(store: store, logger: logger)
        #expect(away.missingRoots == [root] && away.reportKey == first.reportKey)
        #expect(try store.entries(roots: [root]).allSatisfy { $0.status != .deleted })
        try FileManager.default.moveItem(atPath: base + "/away", toPath: root)
        let back = try await passOverBoth.run(store: store, logger: logger)
        #expect(back.missingRoots.isEmpty && back.reportKey == first.reportKey && back.parsed == 0 && back.deleted == 0)
    }

    @Test func aDeletedFolderTakesEverythingUnderIt() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let store = try Store(directory: state)
        let first = try await pass(root).run(store: store, logger: logger)
        try FileManager.default.removeItem(atPath: root + "/a")
        let second = try await pass(root).run(
            store: store, logger: logger, previous: first, targets: .init(files: [.init(root: root, path: "a")]))
        #expect(second.deleted == 1)
        #expect(second.entries.filter { $0.status != .deleted }.map(\.path) == ["two.csv"])
    }

    /// A run table appended to keeps its earlier sessions itself: the store
    /// keeps no version of it. One rewritten with other content (a harness
    /// that writes the file afresh each night) has its earlier version kept.
    @Test func aRunTableRewrittenKeepsItsEarlierVersionAndOneAppendedToDoesNot() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let store = try Store(directory: state)
        let path = root + "/two.csv"
        func history() throws -> Int {
            let entry = RegistryEntry(
                root: root, path: "two.csv", device: 0, inode: 0, size: 0, modifiedNanoseconds: 0, contentHash: nil, status: .analyzed,
                shape: .ollamaRuns, reason: nil, reasonCode: nil, modelHint: nil, parserVersion: 0, changedSequence: 0)
            return try store.history(of: [entry]).count
        }
        var previous = try await pass(root).run(store: store, logger: logger)

        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2026-11-22T10:00:05Z,m2,5,0.05,56,0.0,48,\n".utf8))
        try handle.close()
        previous = try await pass(root).run(store: store, logger: logger, previous: previous)
        #expect(previous.parsed == 1)
        #expect(try history() == 0, "appended: its earlier runs are in it")

        try IngestPassTests.runs(model: "m2", tokensPerSecond: 40).write(toFile: path, atomically: true, encoding: .utf8)
        previous = try await pass(root).run(store: store, logger: logger, previous: previous)
        #expect(previous.parsed == 1)
        #expect(try history() == 1, "rewritten: the earlier version is kept")
    }

    /// A folder emptied on its own file system is emptied: only an empty
    /// folder on another file system than its files were (a share's mount
    /// point) leaves them out instead.
    @Test func aFolderEmptiedIsEmptiedAndAVacantMountPointIsNot() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let store = try Store(directory: state)
        let first = try await pass(root).run(store: store, logger: logger)
        try FileManager.default.removeItem(atPath: root + "/a")
        try FileManager.default.removeItem(atPath: root + "/two.csv")
        let emptied = try await pass(root).run(store: store, logger: logger, previous: first)
        #expect(emptied.deleted == 2 && emptied.missingRoots.isEmpty)
        // The same registry, its files on another device than the folder is now on.
        let device = try #require(TreeScanner.identity(of: root)).st_dev
        let elsewhere = first.entries.map { entry in
            var entry = entry
            entry.device = UInt64(device) &+ 1
            return entry
        }
        let scope = [IngestPass.Scope(root: root, onlyPath: nil)]
        #expect(IngestPass.vacantMounts(scope: scope, registry: elsewhere, files: []) == [root])
        #expect(IngestPass.vacantMounts(scope: scope, registry: first.entries, files: []).isEmpty)
        let deleted = elsewhere.map { entry in
            var entry = entry
            entry.status = .deleted
            return entry
        }
        #expect(IngestPass.vacantMounts(scope: scope, registry: deleted, files: []).isEmpty)
        // A folder left in it (a mount of its own, its files deleted) is no share's empty mount point.
        try FileManager.default.createDirectory(atPath: root + "/mounted", withIntermediateDirectories: true)
        #expect(IngestPass.vacantMounts(scope: scope, registry: elsewhere, files: []).isEmpty)
    }

    @Test func renamesKeepRecordsWithoutParsingAgain() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let store = try Store(directory: state)
        let first = try await pass(root).run(store: store, logger: logger)
        let before = try #require(first.entries.first { $0.path == "a/one.csv" })
        let targets = try move([("a", "b", true), ("two.csv", "b/two.csv", false)], under: root, reading: ["b/one.csv", "b/two.csv"])
        let second = try await pass(root).run(store: store, logger: logger, previous: first, targets: targets)
        #expect(second.parsed == 0)
        #expect(second.deleted == 0)
        #expect(second.entries.map(\.path) == ["b/one.csv", "b/two.csv"])
        let after = try #require(second.entries.first { $0.path == "b/one.csv" })
        #expect(after.createdSequence == before.createdSequence)
        #expect(after.changedSequence > before.changedSequence)
        #expect(after.status == .analyzed)
        var digests = 0
        try store.forEachAnalyzed(roots: [root]) { _, blobs in
            _ = try FileDigest(decoding: blobs.digest() ?? [])
            digests += 1
        }
        #expect(digests == 2)
    }

    /// A file renamed under the daemon's eyes to a name of another kind
    /// (`two.csv.1`, `one.csv.old`) gives what a scan of the tree gives on a
    /// new store: it is read again and skipped. The daemon kept the runs of
    /// both, a one-shot skipped both.
    @Test func aFileRenamedGivesWhatAScanOfTheTreeGives() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let store = try Store(directory: state)
        let first = try await pass(root).run(store: store, logger: logger)
        let targets = try move(
            [("two.csv", "two.csv.1", false), ("a/one.csv", "a/one.csv.old", false)], under: root, reading: ["two.csv.1", "a/one.csv.old"])
        let watched = try await pass(root).run(store: store, logger: logger, previous: first, targets: targets)
        #expect(watched.parsed == 2, "both are read again")
        func statuses(_ ingested: IngestPass.Ingested) -> [String] {
            ingested.entries.map { "\($0.path): \($0.status) \($0.reason ?? "")" }
        }
        let scanned = try await pass(root).run(store: try Store(directory: state + "-fresh"), logger: logger)
        #expect(statuses(watched) == statuses(scanned))
        #expect(
            statuses(scanned) == ["a/one.csv.old: skipped unsupported type (.old)", "two.csv.1: skipped unsupported type (.1)"],
            "\(statuses(scanned))")
        // A full pass over the watched store (a restart) agrees too.
        let restarted = try await pass(root).run(store: store, logger: logger)
        #expect(statuses(restarted) == statuses(scanned))
    }

    /// Files moved while nobody watched (a full pass, as `report` and a daemon's
    /// start make) are found by device, inode, size and mtime: they keep their
    /// rows and are not read again; a file whose content changed as it moved
    /// is read as new.
    @Test func aFullPassFindsFilesMovedWhileNobodyWatched() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let store = try Store(directory: state)
        let first = try await pass(root).run(store: store, logger: logger)
        let before = try #require(first.entries.first { $0.path == "a/one.csv" })
        try FileManager.default.moveItem(atPath: root + "/a/one.csv", toPath: root + "/uno.csv")
        try FileManager.default.moveItem(atPath: root + "/two.csv", toPath: root + "/a/dos.csv")
        try IngestPassTests.runs(model: "m2", tokensPerSecond: 70).write(toFile: root + "/a/dos.csv", atomically: true, encoding: .utf8)
        let second = try await pass(root).run(store: store, logger: logger)
        #expect(second.renames.map { "\($0.from) -> \($0.to)" } == ["a/one.csv -> uno.csv"])
        #expect(second.parsed == 1 && second.deleted == 1)
        let live = second.entries.filter { $0.status != .deleted }
        #expect(live.map(\.path) == ["a/dos.csv", "uno.csv"])
        let moved = try #require(live.first { $0.path == "uno.csv" })
        #expect(moved.createdSequence == before.createdSequence && moved.changedSequence > before.changedSequence)
        #expect(second.entries.contains { $0.path == "two.csv" && $0.status == .deleted })
        #expect(!second.entries.contains { $0.path == "a/one.csv" })
    }

    /// A file moved over another one while nobody watched takes its own row
    /// (and history) to the name; what was there is gone.
    @Test func aFileMovedOverAnotherKeepsItsOwnRow() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let store = try Store(directory: state)
        let first = try await pass(root).run(store: store, logger: logger)
        let moving = try #require(first.entries.first { $0.path == "a/one.csv" })
        #expect(rename(root + "/a/one.csv", root + "/two.csv") == 0, "rename(2) replaces the target, as mv does")
        let second = try await pass(root).run(store: store, logger: logger)
        #expect(second.renames.map { "\($0.from) -> \($0.to)" } == ["a/one.csv -> two.csv"])
        #expect(second.parsed == 0)
        let live = second.entries.filter { $0.status != .deleted }
        #expect(live.map(\.path) == ["two.csv"])
        #expect(live.first?.createdSequence == moving.createdSequence && live.first?.inode == moving.inode)
    }

    @Test func aPathThatBecameAFolderIsScannedWhole() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let store = try Store(directory: state)
        let first = try await pass(root).run(store: store, logger: logger)
        // The folder `a` is replaced by another one with a new file; the file `two.csv` by a folder.
        try FileManager.default.removeItem(atPath: root + "/a")
        try FileManager.default.createDirectory(atPath: root + "/a", withIntermediateDirectories: true)
        try IngestPassTests.runs(model: "m4", tokensPerSecond: 5).write(toFile: root + "/a/new.csv", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: root + "/two.csv")
        try FileManager.default.createDirectory(atPath: root + "/two.csv", withIntermediateDirectories: true)
        try IngestPassTests.runs(model: "m5", tokensPerSecond: 5).write(toFile: root + "/two.csv/in.csv", atomically: true, encoding: .utf8)
        let second = try await pass(root).run(
            store: store, logger: logger, previous: first,
            targets: .init(files: [.init(root: root, path: "a"), .init(root: root, path: "two.csv")]))
        #expect(second.entries.filter { $0.status != .deleted }.map(\.path) == ["a/new.csv", "two.csv/in.csv"])
        #expect(second.entries == (try store.entries(roots: [root])))
    }

    @Test func aRenameAppliedTwiceMovesNothingTheSecondTime() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let store = try Store(directory: state)
        _ = try await pass(root).run(store: store, logger: logger)
        try FileManager.default.moveItem(atPath: root + "/two.csv", toPath: root + "/moved.csv")
        let rename = RegistryChange.renamed(root: root, from: "two.csv", to: "moved.csv", isFolder: false)
        try store.apply([rename])
        // A retried pass applies it again: the moved row must survive.
        try store.apply([rename])
        #expect(try store.entries(roots: [root]).map(\.path) == ["a/one.csv", "moved.csv"])
    }

    @Test func aRootThatVanishedIsAProblemNotAFailure() async throws {
        let (root, state) = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent) }
        let other = (root as NSString).deletingLastPathComponent + "/other"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        let store = try Store(directory: state)
        let both = IngestPass(roots: [root, other], excluded: [], ignorePatterns: [], maxFileBytes: 1 << 20, summarizer: .analysis)
        _ = try await both.run(store: store, logger: logger)
        try FileManager.default.removeItem(atPath: other)
        let again = try await both.run(store: store, logger: logger)
        #expect(again.problems.map(\.relativePath) == ["."])
        #expect(again.scope.map(\.root) == [root])
    }
}
