import Foundation
import Logging
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Systemd

/// Entries written to a real systemd-journald and read back with `journalctl -o json`.
@Suite(
    .serialized,
    .enabled(if: Journald.canProvide, "needs a running systemd-journald, or root to start one"),
    .standaloneJournald
)
struct JournalTests {
    @Test func theHandlerWritesTheContractFields() async throws {
        let journal = try #require(Journald.current)
        let marker = UUID().uuidString
        var logger = Logger(label: "chimerad.journal-test") {
            JournalLogHandler(label: $0, metadataProvider: Logger.MetadataProvider { ["provided": "by the provider"] })
        }
        logger.logLevel = .trace
        logger[metadataKey: "test_marker"] = "\(marker)"
        logger[metadataKey: "logger.key"] = "from the logger"

        let firstLine = #line + 1
        logger.trace("at trace")
        logger.debug("at debug")
        logger.info("at info")
        logger.notice("at notice")
        logger.warning("at warning")
        logger.error("at error")
        logger.critical("at critical")
        logger.notice(
            "report written\nsecond line",
            metadata: Logger.Metadata.reportWritten(
                path: "/reports/r.md", trigger: "change", filesChanged: 2, filesDeleted: 0, durationMilliseconds: 31
            )
            .merging(["multi_line": "first\nsecond", "_pid": "not trusted", "priority": "shadowed"]) { $1 })

        let entries = try await journal.entries(["TEST_MARKER=\(marker)"], atLeast: 8)
        #expect(entries.count == 8)
        let byMessage = Dictionary(entries.map { ($0["MESSAGE"] ?? "", $0) }) { first, _ in first }
        let levels: [(String, String)] = [
            ("at trace", "7"), ("at debug", "7"), ("at info", "6"), ("at notice", "5"), ("at warning", "4"), ("at error", "3"),
            ("at critical", "2"), ("report written\nsecond line", "5"),
        ]
        for (offset, (message, priority)) in levels.enumerated() {
            let entry = try #require(byMessage[message], "no entry \"\(message)\" in \(entries.map(\.fields))")
            #expect(entry["PRIORITY"] == priority, "\(message)")
            #expect(entry["SYSLOG_IDENTIFIER"] == "chimerad")
            #expect(entry["CODE_FILE"] == "SystemdTests/JournalTests.swift")
            #expect(entry["CODE_LINE"] == String(firstLine + offset))
            #expect(entry["CODE_FUNC"] == "theHandlerWritesTheContractFields()")
            #expect(entry["LOGGER_LABEL"] == "chimerad.journal-test")
            #expect(entry["LOGGER_KEY"] == "from the logger")
            #expect(entry["PROVIDED"] == "by the provider")
            #expect(entry["_PID"] == String(getpid()))
        }
        let report = try #require(byMessage["report written\nsecond line"])
        #expect(report["MESSAGE_ID"] == JournalMessageID.reportWritten)
        #expect(report["REPORT_PATH"] == "/reports/r.md")
        #expect(report["REPORT_TRIGGER"] == "change")
        #expect(report["FILES_CHANGED"] == "2")
        #expect(report["DURATION_MS"] == "31")
        #expect(report["MULTI_LINE"] == "first\nsecond")
        #expect(report["PID"] == "not trusted")
        #expect(report["METADATA_PRIORITY"] == "shadowed")
        #expect(report.fields["PRIORITY"] == ["5"])

        // The queries the README promises.
        let byTrigger = try await journal.entries(["-t", "chimerad", "REPORT_TRIGGER=change", "TEST_MARKER=\(marker)"])
        #expect(byTrigger.map { $0["MESSAGE_ID"] } == [JournalMessageID.reportWritten])
        let byID = try await journal.entries(["MESSAGE_ID=\(JournalMessageID.reportWritten)", "TEST_MARKER=\(marker)"])
        #expect(byID.count == 1)
    }

    @Test func anErrorBecomesFields() async throws {
        struct DiskFull: Error, CustomStringConvertible {
            var description: String { "no space left on /var/lib/chimerad" }
        }
        let journal = try #require(Journald.current)
        let marker = UUID().uuidString
        let logger = Logger(label: "chimerad") { JournalLogHandler(label: $0) }
        logger.error("report not written", error: DiskFull(), metadata: ["test_marker": "\(marker)"])
        let entry = try #require(try await journal.entries(["TEST_MARKER=\(marker)"]).first)
        #expect(entry["PRIORITY"] == "3")
        #expect(entry["ERROR_MESSAGE"] == "no space left on /var/lib/chimerad")
        #expect(entry["ERROR_TYPE"]?.hasSuffix("DiskFull") == true)
    }

    @Test(.enabled(if: ChimeradBinary.supportsLogTarget, "needs `chimerad run --log-target` (the daemon) in the built binary"))
    func theDaemonLogsReportsToTheJournal() async throws {
        let journal = try #require(Journald.current)
        let binary = try #require(ChimeradBinary.path)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-journal-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for folder in ["watch", "out", "state"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
        let examples = ChimeradBinary.repository.appendingPathComponent("examples/results").path
        try FileManager.default.copyItem(atPath: examples + "/hyperfine/gzip_levels.json", toPath: root + "/watch/gzip_levels.json")
        try Data("log:\n  level: info\n".utf8).write(to: URL(fileURLWithPath: root + "/chimerad.yaml"))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "run", "--config", root + "/chimerad.yaml", "--watch", root + "/watch", "--output", root + "/out", "--state", root + "/state",
            // A model server that refuses: the narrative's fields and warning reach the journal too.
            "--model", "openai", "--model-url", "http://127.0.0.1:\(try LoopbackServer.closedPort())",
            "--settle", "100", "--log-target", "journal",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = nil
        environment["JOURNAL_STREAM"] = nil
        process.environment = environment
        let stderrPath = root + "/stderr"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let pid = "_PID=\(process.processIdentifier)"

        let first = try await journal.entries(["MESSAGE_ID=\(JournalMessageID.reportWritten)", pid], within: 20)
        let stderrText = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        let firstEntry = try #require(first.first, "no report entry; stderr: \(stderrText)")
        #expect(firstEntry["SYSLOG_IDENTIFIER"] == "chimerad")
        #expect(firstEntry["REPORT_PATH"].map { FileManager.default.fileExists(atPath: $0) } == true)
        #expect(["startup", "change"].contains(firstEntry["REPORT_TRIGGER"] ?? ""))
        #expect(firstEntry["DURATION_MS"].flatMap(Int.init) != nil)
        #expect(firstEntry["FILES_CHANGED"].flatMap(Int.init) != nil)
        #expect(["5", "6"].contains(firstEntry["PRIORITY"] ?? ""))
        #expect(firstEntry["CODE_FILE"]?.hasSuffix(".swift") == true)
        #expect(firstEntry["MODEL_BACKEND"] == "openai")
        #expect(firstEntry["NARRATIVE_KEPT"] == "0")
        // The daemon writes the report before the model answers; the
        // narrative's own entry, once the report is rewritten, has the call.
        let narrated = try await journal.entries(["MESSAGE_ID=\(JournalMessageID.narrativeWritten)", pid], within: 20)
        let narrativeEntry = try #require(narrated.first, "no narrative entry; stderr: \(stderrText)")
        #expect(narrativeEntry["REPORT_PATH"] == firstEntry["REPORT_PATH"])
        #expect(narrativeEntry["DURATION_MS"].flatMap(Int.init) != nil)
        #expect(narrativeEntry["MODEL_BACKEND"] == "openai")
        #expect(narrativeEntry["MODEL_CALLS"] == "1")
        #expect(narrativeEntry["MODEL_PROMPT_TOKENS"].flatMap(Int.init) != nil)
        #expect(narrativeEntry["NARRATIVE_KEPT"] == "0")
        #expect(narrativeEntry["NARRATIVE_UNAVAILABLE"]?.contains("connection refused") == true, "\(narrativeEntry)")
        let warnings = try await journal.entries(["-t", "chimerad", "PRIORITY=4", pid], within: 20)
        #expect(
            warnings.contains { $0["MESSAGE"] == "report written without a model narrative" && $0["REASON"]?.contains("connection refused") == true })

        try FileManager.default.copyItem(atPath: examples + "/pytest-benchmark/bench.json", toPath: root + "/watch/bench.json")
        let changed = try await journal.entries(["-t", "chimerad", "REPORT_TRIGGER=change", pid], within: 20)
        #expect(!changed.isEmpty, "no REPORT_TRIGGER=change entry after a new file")

        process.terminate()
        for _ in 0..<200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "chimerad run did not exit within 10 s of SIGTERM")
        try await process.waitForExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }
}

/// The built `chimerad` binary: `$CHIMERAD_BIN`, else the one beside this test bundle.
enum ChimeradBinary {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let path: String? = {
        if let path = ProcessInfo.processInfo.environment["CHIMERAD_BIN"] { return path }
        let folders =
            CommandLine.arguments.prefix(1).map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
            + [repository.appendingPathComponent(".build/debug")]
        return folders.map { $0.appendingPathComponent("chimerad").path }.first(where: FileManager.default.isExecutableFile(atPath:))
    }()

    /// Whether the binary has the daemon: `chimerad run --help` names `--log-target`.
    static let supportsLogTarget: Bool = {
        guard let path else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["run", "--help"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        guard (try? process.run()) != nil else { return false }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return process.terminationStatus == 0 && text.contains("--log-target")
    }()
}
