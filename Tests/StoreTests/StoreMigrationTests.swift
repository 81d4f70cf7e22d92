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
    /// What reports read of each file: written with a report under its
    /// inputs, kept by an edit and a rename, dropped with a deleted file; and
    /// a store from before the marker gets one for the files its last report
    /// read (their modification time, rounded up to the millisecond).
    @Test func markersOfSessionsReadFollowTheirFiles() throws {
        let folder = try temporaryFolder()
        let path = folder + "/" + Store.fileName
        func analysed(_ name: String, modified: Int64) -> RegistryEntry {
            var entry = entry(name, reason: nil, code: nil)
            entry.modifiedNanoseconds = modified
            return entry
        }
        func report(_ sequence: Int64, roots: [String] = ["/root"]) -> ReportRecord {
            ReportRecord(
                generatedAt: "2026-12-01T00:00:00Z", trigger: "manual", markdownPath: "r.md", jsonPath: "r.json", sequence: sequence,
                roots: roots, digest: "")
        }
        do {
            let store = try Store(directory: folder)
            let sequence = try store.apply([
                .ingested(analysed("read.csv", modified: 1_700_000_000_123_400_000), digest: [1]),
                .ingested(analysed("later.csv", modified: 1_700_000_000_000_000_000), digest: [1]),
            ])
            try store.recordReport(report(sequence))
            try store.apply([.ingested(analysed("later.csv", modified: 1_700_000_500_000_000_000), digest: [2])])
        }
        // Back to the schema v4 left: no markers, no record of v5 and v6.
        _ = try python(
            """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("ALTER TABLE file DROP COLUMN reported_until")
            c.execute("ALTER TABLE file DROP COLUMN reported_scope")
            c.execute("ALTER TABLE file ADD COLUMN updated_at TEXT NOT NULL DEFAULT ''")
            c.execute("DELETE FROM grdb_migrations WHERE identifier LIKE 'v5%' OR identifier LIKE 'v6%'")
            c.commit()
            """, path)
        let store = try Store(directory: folder)
        let scope = Store.scopeKey(["/root"])
        var entries = try store.entries(roots: ["/root"])
        #expect(entries.map(\.path) == ["later.csv", "read.csv"])
        #expect(entries[0].reportedUntil == nil, "changed after the last report: its sessions are new")
        #expect(entries[1].reportedUntil == 1_700_000_000.124 && entries[1].reportedScope == scope)

        // A report writes its own; an edit keeps it, a rename carries it, so does a file written after a deletion.
        try store.recordReport(
            report(try store.currentSequence(), roots: ["/root", "/other"]),
            sessionsRead: [.init(root: "/root", path: "later.csv", until: 1_700_000_400.0001)])
        entries = try store.entries(roots: ["/root"])
        #expect(entries[0].reportedUntil == 1_700_000_400.001 && entries[0].reportedScope == Store.scopeKey(["/root", "/other"]))
        // A pin keeps how far the data had reached, in the data's clock; an older pin's three fields still read.
        let pin = try store.pinBaseline(model: "", note: "release", at: "2026-12-03T12:00:00Z")
        #expect(pin.dataUntil == 1_700_000_400.001)
        #expect(try store.baselinePins().first?.dataUntil == 1_700_000_400.001)
        try store.write { db in
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'baseline_pin:'", arguments: [Store.text(["3", "then", ""])])
        }
        #expect(try store.baselinePins().map(\.sequence) == [3] && store.baselinePins().first?.dataUntil == nil)
        try store.apply([.ingested(analysed("later.csv", modified: 1_700_000_900_000_000_000), digest: [3])])
        try store.apply([.renamed(root: "/root", from: "later.csv", to: "moved.csv", isFolder: false)])
        let moved = try #require(try store.entries(root: "/root", paths: ["moved.csv"]).first)
        #expect(moved.reportedUntil == 1_700_000_400.001)
        // Deleted and put back as it was, or regenerated: what reports read of it stays.
        try store.apply([.deleted(root: "/root", path: "moved.csv")])
        try store.apply([.ingested(analysed("moved.csv", modified: 1_700_001_000_000_000_000), digest: [3])])
        #expect(try store.entries(root: "/root", paths: ["moved.csv"]).first?.reportedUntil == 1_700_000_400.001, "restored")
        try store.apply([.deleted(root: "/root", path: "moved.csv")])
        var other = analysed("moved.csv", modified: 1_700_001_100_000_000_000)
        other.contentHash = "other content"
        try store.apply([.ingested(other, digest: [4])])
        #expect(try store.entries(root: "/root", paths: ["moved.csv"]).first?.reportedUntil == 1_700_000_400.001, "regenerated")
    }

    /// A run file's sessions read stay while the file grows (a night
    /// appended) and go when the file is read anew otherwise: as it was,
    /// rewritten (not beginning with what was read) or by another parser,
    /// any of which may cut its sessions otherwise, and a session cut anew
    /// would pass for a night appended with an earlier date.
    @Test func theSessionsReadStayThroughAnAppendAndGoWithAReadingAnew() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store(directory: folder)
        var file = entry("runs.csv", reason: nil, code: nil)
        let report = ReportRecord(
            generatedAt: "2026-12-01T00:00:00Z", trigger: "manual", markdownPath: "r.md", jsonPath: "r.json", sequence: 0, roots: ["/root"],
            digest: "")
        func stored() throws -> String? { try store.entries(root: "/root", paths: ["runs.csv"]).first?.reportedSessions }
        func read(_ sessions: String) throws {
            try store.recordReport(report, sessionsRead: [.init(root: "/root", path: "runs.csv", until: 1_700_000_000, sessions: sessions)])
        }
        try store.apply([.ingested(file, digest: [1])])
        try read("ten nights")
        #expect(try stored() == "ten nights")
        file.contentHash = "h and a night more"
        try store.apply([.ingested(file, digest: [2])])
        #expect(try stored() == "ten nights", "appended: what was read stays")
        try read("eleven nights")
        try store.apply([.ingested(file, digest: [2])])
        #expect(try stored() == nil, "the same content read again")
        try read("eleven nights")
        file.contentHash = "rewritten, sorted by model"
        file.rewritesAnalysedContent = true
        try store.apply([.ingested(file, digest: [3])])
        #expect(try stored() == nil, "rewritten")
        try read("eleven nights")
        file.rewritesAnalysedContent = false
        file.parserVersion += 1
        file.contentHash = "h, two nights more"
        try store.apply([.ingested(file, digest: [4])])
        #expect(try stored() == nil, "another parser")
    }

    /// A store v18 left (a count of sessions per file) opens, its counts gone:
    /// they are no record of which sessions were read.
    @Test func aStoreWithCountsOfSessionsOpensWithoutThem() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        do {
            let store = try Store(directory: folder)
            try store.apply([.ingested(entry("runs.csv", reason: nil, code: nil), digest: [1])])
        }
        _ = try python(
            """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("UPDATE file SET reported_sessions = 10")
            c.execute("DELETE FROM grdb_migrations WHERE identifier LIKE 'v19%'")
            c.commit()
            """, folder + "/" + Store.fileName)
        let store = try Store(directory: folder)
        #expect(try store.entries(root: "/root", paths: ["runs.csv"]).first.map { $0.reportedSessions == nil } == true)
    }

    /// A store from before withdrawn regressions (v11: two resolutions
    /// allowed) keeps its regressions through the copy into a table that
    /// allows the third, which can then be saved.
    @Test func regressionsSurviveTheTableThatAllowsWithdrawal() throws {
        let folder = try temporaryFolder()
        let path = folder + "/" + Store.fileName
        func regression(_ id: Int64, resolution: String? = nil) -> Store.RegressionRow {
            var row = Store.RegressionRow(
                id: id, scope: "s", model: "m", configuration: [Parameter("num_ctx", "2048")], metric: "tokens_per_second",
                baselineMedian: 100, baselineCount: 20, baselineSessions: 2, currentMedian: 80, currentCount: 10, currentSources: ["a.csv"],
                changePercent: -20, intervalLow: -25, intervalHigh: -15, pValue: 0.001, qValue: 0.002, openedAt: "2026-12-01T00:00:00Z")
            row.environment = [Parameter("gpu", "RTX 4090")]
            row.sessionMeasuredAt = 1_795_000_000.5
            row.tool = id == 2 ? "hyperfine" : nil
            row.unit = id == 2 ? "/s" : nil
            row.basis = id == 2 ? "sessions" : nil
            if let resolution {
                row.resolvedAt = "2026-12-02T00:00:00Z"
                row.resolution = resolution
                row.resolutionSource = "b.csv"
                row.resolutionChange = -1
            }
            return row
        }
        do {
            let store = try Store(directory: folder)
            try store.recordReport(
                ReportRecord(
                    generatedAt: "2026-12-01T00:00:00Z", trigger: "manual", markdownPath: "r.md", jsonPath: "r.json", sequence: 1,
                    roots: ["/root"], digest: ""), opened: [regression(1), regression(2)], resolved: [regression(1, resolution: "recovered")])
        }
        // Back to v11's table: its CHECK allows two resolutions, and v12 to v14 are not recorded.
        _ = try python(
            """
            import re, sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            sql = c.execute("SELECT sql FROM sqlite_master WHERE name = 'regression'").fetchone()[0]
            sql = re.sub(r'CREATE TABLE "?regression"?', 'CREATE TABLE regression_v11', sql, count=1)
            c.execute(sql.replace("'recovered', 'acknowledged', 'withdrawn', 'deleted'", "'recovered', 'acknowledged'"))
            c.execute("INSERT INTO regression_v11 SELECT * FROM regression")
            c.execute("DROP TABLE regression")
            c.execute("ALTER TABLE regression_v11 RENAME TO regression")
            c.execute("ALTER TABLE regression DROP COLUMN baseline_sources")
            c.execute("ALTER TABLE regression DROP COLUMN recovered_session_at")
            c.execute("ALTER TABLE regression DROP COLUMN reopened_at")
            c.execute("ALTER TABLE regression DROP COLUMN reopen_count")
            c.execute("ALTER TABLE regression DROP COLUMN reopen_reason")
            c.execute("DELETE FROM grdb_migrations WHERE identifier LIKE 'v12%' OR identifier LIKE 'v13%' OR identifier LIKE 'v14%' OR identifier LIKE 'v16%' OR identifier LIKE 'v17%'")
            c.commit()
            """, path)
        let check = try python(
            "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT sql FROM sqlite_master WHERE name = 'regression'\").fetchone()[0])",
            path)
        #expect(!check.contains("withdrawn") && !check.contains("baseline_sources"))

        let store = try Store(directory: folder)
        #expect(try store.regression(id: 1) == regression(1, resolution: "recovered"))
        #expect(try store.regression(id: 2) == regression(2))
        var withdrawn = regression(2, resolution: "withdrawn")
        withdrawn.resolutionChange = nil
        try store.recordReport(
            ReportRecord(
                generatedAt: "2026-12-03T00:00:00Z", trigger: "manual", markdownPath: "r2.md", jsonPath: "r2.json", sequence: 2,
                roots: ["/root"], digest: ""), resolved: [withdrawn])
        #expect(try store.regression(id: 2)?.resolution == "withdrawn")
        // The baseline's files are kept from now on.
        var opened = regression(3)
        opened.baselineSources = ["n1.csv", "n2.csv"]
        try store.recordReport(
            ReportRecord(
                generatedAt: "2026-12-04T00:00:00Z", trigger: "manual", markdownPath: "r3.md", jsonPath: "r3.json", sequence: 3,
                roots: ["/root"], digest: ""), opened: [opened])
        #expect(try store.regression(id: 3) == opened)
        // And, resolved from now on, when the session that recovered it was measured (v13).
        var recovered = opened
        recovered.resolvedAt = "2026-12-05T00:00:00Z"
        recovered.resolution = "recovered"
        recovered.resolutionSource = "n4.csv"
        recovered.resolutionChange = 1
        recovered.recoveredSessionAt = 1_795_100_000
        try store.recordReport(
            ReportRecord(
                generatedAt: "2026-12-05T00:00:00Z", trigger: "manual", markdownPath: "r4.md", jsonPath: "r4.json", sequence: 4,
                roots: ["/root"], digest: ""), resolved: [recovered])
        #expect(try store.regression(id: 3) == recovered)
        #expect(try store.regression(id: 1)?.recoveredSessionAt == nil)
        // A session's files deleted resolve it (v14), and the rows before keep what they held.
        var deleted = regression(4)
        try store.recordReport(
            ReportRecord(
                generatedAt: "2026-12-06T00:00:00Z", trigger: "manual", markdownPath: "r5.md", jsonPath: "r5.json", sequence: 5,
                roots: ["/root"], digest: ""), opened: [deleted])
        deleted.resolvedAt = "2026-12-07T00:00:00Z"
        deleted.resolution = "deleted"
        try store.recordReport(
            ReportRecord(
                generatedAt: "2026-12-07T00:00:00Z", trigger: "manual", markdownPath: "r6.md", jsonPath: "r6.json", sequence: 6,
                roots: ["/root"], digest: ""), resolved: [deleted])
        #expect(try store.regression(id: 4) == deleted)
        #expect(try store.regression(id: 3) == recovered && store.regression(id: 2)?.resolution == "withdrawn")
    }

    /// A v15 store (before reopened regressions): its webhook outbox keeps
    /// its events through the copy into a table that takes a reopening's;
    /// a reopening clears the resolution and counts, and a reopening of one
    /// that is open or was acknowledged changes nothing.
    @Test func aRecoveredRegressionCanBeReopened() throws {
        let folder = try temporaryFolder()
        let path = folder + "/" + Store.fileName
        func regression(_ id: Int64) -> Store.RegressionRow {
            var row = Store.RegressionRow(
                id: id, scope: "s", model: "m", configuration: [], metric: "tokens_per_second", baselineMedian: 100, baselineCount: 20,
                baselineSessions: 2, currentMedian: 80, currentCount: 10, currentSources: ["a.csv"], changePercent: -20, intervalLow: -25,
                intervalHigh: -15, pValue: 0.001, qValue: 0.002, openedAt: "2026-12-01T00:00:00Z")
            row.sessionMeasuredAt = 1_795_000_000
            return row
        }
        func record(
            _ second: Int, opened: [Store.RegressionRow] = [], reopened: [Store.RegressionRow] = [], resolved: [Store.RegressionRow] = []
        )
            throws
        {
            let store = try Store(directory: folder)
            try store.recordReport(
                ReportRecord(
                    generatedAt: "2026-12-0\(second)T00:00:00Z", trigger: "manual", markdownPath: "r\(second).md", jsonPath: "r.json",
                    sequence: Int64(second), roots: ["/root"], digest: ""), opened: opened, reopened: reopened, resolved: resolved,
                notifications: second == 1 ? [.init(eventID: "urn:a:1:opened", kind: .opened, payload: "{}")] : [])
        }
        var recovered = regression(1)
        recovered.resolvedAt = "2026-12-02T00:00:00Z"
        recovered.resolution = "recovered"
        recovered.resolutionSource = "b.csv"
        recovered.resolutionChange = -1
        recovered.recoveredSessionAt = 1_795_086_400
        var acknowledged = regression(2)
        acknowledged.resolvedAt = "2026-12-02T00:00:00Z"
        acknowledged.resolution = "acknowledged"
        acknowledged.note = "expected"
        try record(1, opened: [regression(1), regression(2), regression(3)], resolved: [recovered, acknowledged])
        // Back to v15: no reopening columns, the outbox's CHECK without `reopened`.
        _ = try python(
            """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("ALTER TABLE regression DROP COLUMN reopened_at")
            c.execute("ALTER TABLE regression DROP COLUMN reopen_count")
            c.execute("ALTER TABLE regression DROP COLUMN reopen_reason")
            sql = c.execute("SELECT sql FROM sqlite_master WHERE name = 'notification'").fetchone()[0]
            c.execute(sql.replace("CREATE TABLE \\"notification\\"", "CREATE TABLE notification_v15").replace("CREATE TABLE notification ", "CREATE TABLE notification_v15 ").replace("'opened', 'reopened', 'resolved'", "'opened', 'resolved'"))
            c.execute("INSERT INTO notification_v15 SELECT * FROM notification")
            c.execute("DROP TABLE notification")
            c.execute("ALTER TABLE notification_v15 RENAME TO notification")
            c.execute("DELETE FROM grdb_migrations WHERE identifier LIKE 'v16%' OR identifier LIKE 'v17%'")
            c.commit()
            """, path)
        #expect(
            !(try python(
                "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT sql FROM sqlite_master WHERE name = 'notification'\").fetchone()[0])",
                path)).contains("reopened"))
        let store = try Store(directory: folder)
        #expect(try store.notificationStates().map(\.eventID) == ["urn:a:1:opened"], "the pending event kept")
        #expect(try store.regression(id: 1)?.reopenCount == 0 && store.regression(id: 1)?.reopenedAt == nil)
        var reopen = regression(1)
        reopen.reopenedAt = "2026-12-03T00:00:00Z"
        reopen.reopenReason = "deleted"
        var notRecovered = [regression(2), regression(3)]
        for index in notRecovered.indices { notRecovered[index].reopenedAt = "2026-12-03T00:00:00Z" }
        _ = try store.queueNotifications([.init(eventID: "urn:a:1:reopened", kind: .reopened, payload: "{}")])
        try record(3, reopened: [reopen] + notRecovered)
        let reopened = try #require(try store.regression(id: 1))
        #expect(reopened.resolvedAt == nil && reopened.resolution == nil && reopened.resolutionSource == nil)
        #expect(reopened.recoveredSessionAt == nil && reopened.reopenedAt == "2026-12-03T00:00:00Z" && reopened.reopenCount == 1)
        #expect(reopened.reopenReason == "deleted")
        #expect(try store.regression(id: 2) == acknowledged, "only a recovered one reopens")
        #expect(try store.regression(id: 3) == regression(3))
        #expect(try store.openRegressionCount() == 2)
    }
}
