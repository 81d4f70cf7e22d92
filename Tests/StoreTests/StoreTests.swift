import Foundation
import GRDB
import Records
import Testing

@testable import Store

@Suite struct StoreTests {
    private func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func entry(
        _ path: String, status: RegistryEntry.Status = .analyzed, size: Int64 = 10, hash: String? = "h"
    )
        -> RegistryEntry
    {
        RegistryEntry(
            root: "/root", path: path, device: 1, inode: 42, size: size, modifiedNanoseconds: 1000, contentHash: hash,
            status: status, shape: status == .analyzed ? .ollamaRuns : nil, reason: status == .skipped ? "empty file" : nil,
            reasonCode: status == .skipped ? .emptyFile : nil,
            modelHint: "m", parserVersion: 7, changedSequence: 0)
    }

    @Test func ingestedFilesRoundTripWithTheirDigest() throws {
        let store = try Store(directory: try temporaryFolder())
        let sequence = try store.apply([
            .ingested(entry("a.csv"), digest: [1, 2, 3]),
            .ingested(entry("b.md", status: .skipped), digest: nil),
        ])
        #expect(sequence == 1)
        let entries = try store.entries(roots: ["/root"])
        #expect(entries.map(\.path) == ["a.csv", "b.md"])
        #expect(entries[0].changedSequence == 1 && entries[0].createdSequence == 1)
        #expect(entries[1].reason == "empty file")
        var seen: [String] = []
        try store.forEachAnalyzed(roots: ["/root"]) { entry, blobs in
            seen.append(entry.path)
            #expect(blobs.digest() == [1, 2, 3])
        }
        #expect(seen == ["a.csv"])
    }

    /// Group keys come back as they were given, whatever they hold: a model
    /// named across two lines (a quoted newline in a CSV cell) was two keys,
    /// and its stored runs were left out of the next report.
    @Test func groupKeysRoundTripWithNewlinesAndBackslashes() throws {
        let keys = [
            "nl\nmodel\u{1}temperature=0.3", "crlf\r\nmodel\u{1}", "back\\slash\\n\u{1}", "trailing\\", "plain\u{1}", "\n\n", "\\\u{301}",
        ]
        var file = entry("a.csv")
        file.groupKeys = keys
        #expect(file.groupKeysText.split(separator: "\n").count == keys.count)
        let store = try Store(directory: try temporaryFolder())
        try store.apply([.ingested(file, digest: [1])])
        #expect(try store.entries(roots: ["/root"]).first?.groupKeys == keys)
    }

    @Test func digestsAreReadByKeyForTheEntriesGiven() throws {
        let store = try Store(directory: try temporaryFolder())
        _ = try store.apply([.ingested(entry("a.csv"), digest: [1, 2, 3]), .ingested(entry("b.csv"), digest: [4])])
        var seen: [String: [UInt8]] = [:]
        var damaged: [String] = []
        let asked = [entry("b.csv"), entry("gone.csv")]
        try store.forEachDigest(of: asked) { position, blobs in
            guard let digest = blobs.digest() else { throw BinaryReader.Failure.invalid("no digest stored") }
            seen[asked[position].path] = digest
        } damaged: { entry, _ in
            damaged.append(entry.path)
        }
        // Only the files asked for; one without a stored digest is reported, not fatal.
        #expect(seen == ["b.csv": [4]])
        #expect(damaged == ["gone.csv"])
    }

    /// A benchmark file rewritten with other content keeps its earlier
    /// digest, by its modification time, up to `historyPerFile`; a touch or
    /// a re-parse (the same hash) keeps nothing; a rename moves them; a
    /// deletion keeps them, and the deleted file's last version joins them
    /// when a file of other content takes its place; a run table keeps none
    /// unless ingest saw it rewritten.
    /// Deleted files keep their history for a file written at their path,
    /// but only the most recently deleted ones: a harness that deletes a
    /// file each night does not grow the store without end.
    @Test func onlyTheLatestDeletedFilesKeepTheirHistory() throws {
        let store = try Store(directory: try temporaryFolder())
        let count = Store.deletedKeptAtLeast + 3
        func version(_ index: Int, _ night: Int64) -> RegistryEntry {
            var version = entry("night-\(index).json", hash: "h\(index)-\(night)")
            version.shape = .hyperfine
            version.modifiedNanoseconds = night
            return version
        }
        _ = try store.apply((0..<count).map { .ingested(version($0, 1), digest: [1]) })
        _ = try store.apply((0..<count).map { .ingested(version($0, 2), digest: [2]) })
        for index in 0..<count { _ = try store.apply([.deleted(root: "/root", path: "night-\(index).json")]) }
        let histories = try (0..<count).map { try store.history(of: [version($0, 0)]).count }
        #expect(histories == Array(repeating: 0, count: 3) + Array(repeating: 1, count: Store.deletedKeptAtLeast))

        // A folder of more files deleted in one pass (`rm -rf results`) keeps every file's.
        let folder = try Store(directory: try temporaryFolder())
        _ = try folder.apply((0..<count).map { .ingested(version($0, 1), digest: [1]) })
        _ = try folder.apply((0..<count).map { .ingested(version($0, 2), digest: [2]) })
        _ = try folder.apply((0..<count).map { .deleted(root: "/root", path: "night-\($0).json") })
        #expect(try (0..<count).allSatisfy { try folder.history(of: [version($0, 0)]).count == 1 })
    }

    @Test func rewrittenBenchmarkFilesKeepTheirEarlierDigests() throws {
        let store = try Store(directory: try temporaryFolder())
        func version(_ path: String, _ night: Int64, hash: String, shape: Shape = .hyperfine) -> RegistryEntry {
            var version = entry(path, hash: hash)
            version.shape = shape
            version.modifiedNanoseconds = night
            return version
        }
        for night in 1...(Int64(Store.historyPerFile) + 3) {
            _ = try store.apply([
                .ingested(version("results.json", night, hash: "h\(night)"), digest: [UInt8(night)]),
                .ingested(version("runs.csv", night, hash: "h\(night)", shape: .ollamaRuns), digest: [UInt8(night)]),
            ])
        }
        _ = try store.apply([.ingested(version("results.json", 99, hash: "h33"), digest: [99])])
        let kept = try store.history(of: [version("results.json", 0, hash: ""), version("runs.csv", 0, hash: "")])
        #expect(kept.count == Store.historyPerFile && kept.allSatisfy { $0.position == 0 })
        #expect(kept.map(\.modifiedNanoseconds) == Array(3...32), "the newest kept, oldest first; the same hash again keeps none")
        #expect(kept.last?.digest == [32])
        _ = try store.apply([.renamed(root: "/root", from: "results.json", to: "nightly.json", isFolder: false)])
        #expect(try store.history(of: [version("nightly.json", 0, hash: "")]).count == Store.historyPerFile)
        _ = try store.apply([.deleted(root: "/root", path: "nightly.json")])
        #expect(try store.history(of: [version("nightly.json", 0, hash: "")]).count == Store.historyPerFile)
        _ = try store.apply([.ingested(version("nightly.json", 100, hash: "h100"), digest: [100])])
        let afterDeletion = try store.history(of: [version("nightly.json", 0, hash: "")])
        #expect(afterDeletion.count == Store.historyPerFile && afterDeletion.last?.digest == [99], "the deleted file's last version")

        // A run table that ingest saw rewritten (not appended to) keeps its earlier digest.
        var rewritten = version("runs.csv", 40, hash: "h40", shape: .ollamaRuns)
        rewritten.rewritesAnalysedContent = true
        _ = try store.apply([.ingested(rewritten, digest: [40])])
        #expect(try store.history(of: [version("runs.csv", 0, hash: "")]).map(\.digest) == [[33]])
    }

    /// Files byte for byte alike come in sets, per content, with the earlier
    /// versions the store keeps of rewritten files; a skipped file, a file of
    /// another root and a content seen once are no set's.
    @Test func filesWithTheSameContentComeInSets() throws {
        let store = try Store(directory: try temporaryFolder())
        func file(
            _ path: String, hash: String, root: String = "/root", status: RegistryEntry.Status = .analyzed, night: Int64 = 1
        )
            -> RegistryEntry
        {
            var file = entry(path, status: status, hash: hash)
            file.root = root
            file.modifiedNanoseconds = night
            return file
        }
        var results = file("results.json", hash: "z", night: 1)
        results.shape = .hyperfine
        _ = try store.apply([
            .ingested(file("a.csv", hash: "x"), digest: [1]), .ingested(file("b.csv", hash: "x"), digest: [1]),
            .ingested(file("c.csv", hash: "y"), digest: [2]), .ingested(file("d.csv", hash: "x", status: .skipped), digest: nil),
            .ingested(file("f.csv", hash: "x", root: "/other"), digest: [1]), .ingested(results, digest: [3]),
        ])
        // Rewritten, the benchmark file keeps its first version, which another file now repeats.
        results.contentHash = "w"
        results.modifiedNanoseconds = 2
        _ = try store.apply([.ingested(results, digest: [4]), .ingested(file("e.json", hash: "z"), digest: [3])])
        let sets = try store.sameContent(roots: ["/root"])
        #expect(sets.map { $0.map(\.path) } == [["a.csv", "b.csv"], ["e.json", "results.json"]])
        #expect(sets.last?.map(\.isKeptVersion) == [false, true] && sets.last?.last?.modifiedNanoseconds == 1)
        #expect(try store.sameContent(roots: ["/other"]).isEmpty, "alone in its root")
        #expect(try store.sameContent(roots: ["/root", "/other"]).first?.map(\.root) == ["/other", "/root", "/root"])

        // Hundreds of repeated contents at once.
        let many = try Store(directory: try temporaryFolder())
        _ = try many.apply(
            (0..<1200).map { index in .ingested(file("n\(index).csv", hash: String(format: "h%04d", index / 2)), digest: [1]) })
        let pairs = try many.sameContent(roots: ["/root"])
        #expect(pairs.count == 600 && pairs.allSatisfy { $0.count == 2 })
        #expect(pairs.first?.map(\.path) == ["n0.csv", "n1.csv"] && pairs.last?.map(\.path) == ["n1198.csv", "n1199.csv"])
    }

    /// An opening opens its store once, whoever asks first, and gives every
    /// caller that store, or the same failure.
    @Test func anOpeningOpensItsStoreOnce() async throws {
        let folder = try temporaryFolder()
        let opening = Store.Opening(directory: folder)
        #expect(opening.opened == nil)
        async let first = opening.store()
        async let second = opening.store()
        let (a, b) = try await (first, second)
        let again = try opening.store()
        #expect(a === b && opening.opened === a && again === a)

        let linked = try temporaryFolder()
        #expect(symlink(folder + "/" + Store.fileName, linked + "/" + Store.fileName) == 0)
        let refused = Store.Opening(directory: linked)
        #expect(throws: Store.Failure.self) { try refused.store() }
        // The same failure again, though the link is gone: it is not opened twice.
        unlink(linked + "/" + Store.fileName)
        #expect {
            try refused.store()
        } throws: { error in
            (error as? Store.Failure)?.kind == .symbolicLink
        }
        #expect(refused.opened == nil)
        #expect((try? Store.Opening(directory: linked).store()) != nil, "a new opening opens it")
        #expect(Store.Opening(opened: a).directory == (a.path as NSString).deletingLastPathComponent)
    }

    /// A detached thread runs its work under its name (the first 15 bytes);
    /// the caller learns whether it started (see `DetachedThread`).
    @Test func aDetachedThreadRunsItsWorkUnderItsName() {
        final class Seen: @unchecked Sendable {
            var name = ""
            let done = DispatchSemaphore(value: 0)
        }
        let seen = Seen()
        let started = DetachedThread.start(name: "store checkpoint, named", stackSize: 64 * 1024) {
            seen.name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            seen.done.signal()
        }
        #expect(started == 0)
        #expect(seen.done.wait(timeout: .now() + 30) == .success)
        #expect(seen.name == "store checkpoin\n")
    }

    @Test func storeKeepsDigestsNotRecords() throws {
        let folder = try temporaryFolder()
        _ = try Store(directory: folder)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let pipe = Pipe()
        process.standardOutput = pipe
        process.arguments = [
            "python3", "-c",
            "import sqlite3,sys; print(' '.join(sorted(r[0] for r in sqlite3.connect(sys.argv[1]).execute(\"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'\"))))",
            folder + "/" + Store.fileName,
        ]
        try process.run()
        process.waitUntilExit()
        let tables = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(
            tables.trimmingCharacters(in: .whitespacesAndNewlines)
                == "file file_digest file_history fleet_outbox grdb_migrations group_cache meta notification regression report")
    }

    @Test func aVersionOneStoreLosesItsRecordsAndTheirPages() throws {
        let folder = try temporaryFolder()
        let path = folder + "/" + Store.fileName
        // A store as v1 left it: a registry row with its digest, and 8 MB of records.
        let v1 = """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("PRAGMA journal_mode = WAL")
            c.executescript(\"\"\"
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations VALUES ('v1');
            CREATE TABLE file (root TEXT NOT NULL, path TEXT NOT NULL, device INTEGER NOT NULL, inode INTEGER NOT NULL,
                size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, content_hash TEXT, status TEXT NOT NULL, shape TEXT,
                reason TEXT, model_hint TEXT, group_keys TEXT NOT NULL DEFAULT '', parser_version INTEGER NOT NULL,
                digest BLOB, changed_seq INTEGER NOT NULL, created_seq INTEGER NOT NULL, updated_at TEXT NOT NULL,
                PRIMARY KEY (root, path)) WITHOUT ROWID;
            CREATE TABLE file_records (root TEXT NOT NULL, path TEXT NOT NULL, records BLOB NOT NULL, UNIQUE (root, path));
            CREATE TABLE report (id INTEGER PRIMARY KEY AUTOINCREMENT, generated_at TEXT NOT NULL, trigger TEXT NOT NULL,
                markdown_path TEXT NOT NULL, json_path TEXT NOT NULL, seq INTEGER NOT NULL, roots TEXT NOT NULL, digest TEXT NOT NULL);
            CREATE TABLE group_cache (scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, payload BLOB NOT NULL,
                PRIMARY KEY (scope, key));
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
            INSERT INTO meta (key, value) VALUES ('seq', '1');
            \"\"\")
            c.execute("INSERT INTO file VALUES ('/root', 'a.csv', 1, 42, 10, 1000, 'h', 'analyzed', 'ollama-runs-csv', NULL, 'm', '', 7, x'09', 1, 1, 'now')")
            c.execute("INSERT INTO file_records VALUES ('/root', 'a.csv', zeroblob(8000000))")
            c.commit()
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", v1, path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let before = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(before > 8_000_000)

        let store = try Store(directory: folder)
        let entries = try store.entries(roots: ["/root"])
        #expect(entries.map(\.path) == ["a.csv"], "the registry survives the migration")
        var digests = 0
        try store.forEachAnalyzed(roots: ["/root"]) { _, blobs in
            #expect(blobs.digest() == nil, "v1 digests are dropped with the records: the file is read again")
            digests += 1
        }
        #expect(digests == 1)
        let after = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(after < 1_000_000, "the records' pages are given back (\(before) -> \(after) bytes)")
    }

    @Test func restatKeepsRecordsAndSequence() throws {
        let store = try Store(directory: try temporaryFolder())
        try store.apply([.ingested(entry("a.csv"), digest: [9])])
        let sequence = try store.apply([
            .restatted(root: "/root", path: "a.csv", device: 1, inode: 43, size: 10, modifiedNanoseconds: 2000)
        ])
        let stored = try #require(try store.entries(roots: ["/root"]).first)
        #expect(sequence == 2)
        #expect(stored.inode == 43 && stored.modifiedNanoseconds == 2000)
        #expect(stored.changedSequence == 1, "a touch is not a change")
    }

    @Test func deletionLeavesATombstoneAndAReturnIsNewAgain() throws {
        let store = try Store(directory: try temporaryFolder())
        try store.apply([.ingested(entry("a.csv"), digest: [9])])
        try store.apply([.deleted(root: "/root", path: "a.csv")])
        var stored = try #require(try store.entries(roots: ["/root"]).first)
        #expect(stored.status == .deleted && stored.changedSequence == 2)
        var count = 0
        try store.forEachAnalyzed(roots: ["/root"]) { _, _ in count += 1 }
        #expect(count == 0)
        try store.apply([.ingested(entry("a.csv"), digest: [8])])
        stored = try #require(try store.entries(roots: ["/root"]).first)
        #expect(stored.status == .analyzed && stored.createdSequence == 3)
    }

    @Test func reportsAreRememberedPerRoots() throws {
        let store = try Store(directory: try temporaryFolder())
        let a = ReportRecord(
            generatedAt: "2026-01-01T00:00:00Z", trigger: "manual", markdownPath: "/o/a.md", jsonPath: "/o/a.json", sequence: 3, roots: ["/x"],
            digest: "{}")
        let b = ReportRecord(
            generatedAt: "2026-01-02T00:00:00Z", trigger: "change", markdownPath: "/o/b.md", jsonPath: "/o/b.json", sequence: 5, roots: ["/y", "/z"],
            digest: "{}")
        try store.recordReport(a)
        try store.recordReport(b)
        #expect(try store.lastReport(roots: ["/x"]) == a)
        #expect(try store.lastReport(roots: ["/y", "/z"]) == b)
        #expect(try store.lastReport(roots: ["/nope"]) == nil)
        #expect(try store.lastReport() == b)
        // A newer report over /x keeps its digest; the older one's is dropped,
        // /y+/z's is untouched.
        var c = a
        c.sequence = 9
        c.digest = "{\"groups\":[]}"
        try store.recordReport(c)
        #expect(try store.lastReport(roots: ["/x"]) == c)
        #expect(try store.lastReport(roots: ["/y", "/z"])?.digest == "{}")
    }

    @Test func lastErrorIsKeptUntilCleared() throws {
        let store = try Store(directory: try temporaryFolder())
        try store.setLastError("disk full")
        #expect(try store.summary().lastError?.hasSuffix("disk full") == true)
        try store.setLastError(nil)
        #expect(try store.summary().lastError == nil)
    }

    @Test func aFileThatIsNotADatabaseIsNamedClearly() throws {
        let folder = try temporaryFolder()
        let path = folder + "/" + Store.fileName
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Store(directory: folder)
            Issue.record("opening garbage succeeded")
        } catch {
            #expect(error.description.contains(path))
            #expect(error.description.contains("not a SQLite database"))
        }
    }

    @Test func anUncreatableFolderIsNamedClearly() throws {
        let file = try temporaryFolder() + "/plain-file"
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        do {
            _ = try Store(directory: file + "/state")
            Issue.record("created a store under a file")
        } catch {
            #expect(error.description.contains(file))
        }
    }

    @Test func damagedRecordsAreReportedNotFatal() throws {
        let folder = try temporaryFolder()
        let store = try Store(directory: folder)
        try store.apply([.ingested(entry("a.csv"), digest: [9])])
        // Corrupt the stored digest the way a bad disk or an older format would.
        let path = folder + "/" + Store.fileName
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE file_digest SET digest = x'0102'\"); c.commit()", path,
        ]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        var damaged: [String] = []
        try store.forEachAnalyzed(roots: ["/root"]) { _, blobs in
            #expect(blobs.digest() == [1, 2])
            _ = try Extraction(decoding: blobs.digest() ?? [])
        } damaged: { entry, _ in
            damaged.append(entry.path)
        }
        #expect(damaged == ["a.csv"])
    }

    @Test func theChartSealKeyIsMadeOnceAndKept() throws {
        let folder = try temporaryFolder()
        let first = try Store(directory: folder).chartSealKey()
        #expect(first.count == 32 && Set(first).count > 4)
        #expect(try Store(directory: folder).chartSealKey() == first)
        #expect(try Store(directory: try temporaryFolder()).chartSealKey() != first)
    }

    /// A store file copied back alone after chimerad exited (a backup
    /// restored with the service stopped) is read as it was copied: closing
    /// leaves no WAL behind to be laid over it. (Leaving a small WAL for the
    /// next opening, tried once to spare its disk syncs, corrupted such a
    /// store silently.)
    @Test func aStoreFileRestoredAloneAfterAnExitIsReadAsItWas() throws {
        let folder = try temporaryFolder()
        let path = folder + "/" + Store.fileName
        let backup = try temporaryFolder() + "/backup.sqlite"
        do {
            let store = try Store(directory: folder)
            try store.apply([.ingested(entry("a.csv"), digest: [1, 2, 3])])
        }
        try FileManager.default.copyItem(atPath: path, toPath: backup)
        do {
            let store = try Store(directory: folder)
            try store.apply((0..<40).map { .ingested(entry("later\($0).csv"), digest: [UInt8](repeating: 5, count: 3000)) })
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: backup, toPath: path)
        let store = try Store(directory: folder)
        #expect(try store.entries(roots: ["/root"]).map(\.path) == ["a.csv"])
        let integrity = try store.pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
    }
}
