import Foundation
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Systemd

@Suite struct LogHandlerTests {
    @Test func metadataKeysBecomeJournalFieldNames() {
        let expected: [String: String] = [
            "report_path": "REPORT_PATH",
            "message_id": "MESSAGE_ID",
            "error.message": "ERROR_MESSAGE",
            "http-status": "HTTP_STATUS",
            "Mixed Case": "MIXED_CASE",
            "_pid": "PID",
            "__": "KEY_",
            "": "KEY_",
            "2nd": "KEY_2ND",
            "größe": "GR__E",
            "priority": "METADATA_PRIORITY",
            "message": "METADATA_MESSAGE",
            "syslog_identifier": "METADATA_SYSLOG_IDENTIFIER",
            "code_line": "METADATA_CODE_LINE",
            String(repeating: "a", count: 80): String(repeating: "A", count: 64),
        ]
        for (key, field) in expected {
            #expect(JournalLogHandler.fieldName(forMetadataKey: key) == field, "\(key)")
        }
    }

    @Test func levelsMapToSyslogPriorities() {
        let expected: [Logger.Level: Int] = [.trace: 7, .debug: 7, .info: 6, .notice: 5, .warning: 4, .error: 3, .critical: 2]
        for level in Logger.Level.allCases {
            #expect(JournalLogHandler.priority(for: level) == expected[level], "\(level)")
        }
    }

    @Test func anEntryHasTheContractFieldsThenSortedMetadata() {
        let event = LogEvent(
            level: .warning, message: "two\nlines", metadata: ["zeta": "last", "report_trigger": "change"], source: nil,
            file: "Daemon/Loop.swift", function: "run()", line: 42)
        let record = LogRecord(event: event, label: "chimerad.daemon", handlerMetadata: ["alpha": "first"], provider: nil)
        let fields = JournalEntry(record: record, identifier: "chimerad").fields
        #expect(
            fields == [
                "MESSAGE=two\nlines", "PRIORITY=4", "SYSLOG_IDENTIFIER=chimerad", "CODE_FILE=Daemon/Loop.swift", "CODE_LINE=42",
                "CODE_FUNC=run()", "LOGGER_LABEL=chimerad.daemon", "ALPHA=first", "REPORT_TRIGGER=change", "ZETA=last",
            ])
    }

    @Test func callMetadataWinsOverTheProviderWhichWinsOverTheLogger() {
        struct Failed: Error {}
        let provider = Logger.MetadataProvider { ["source": "provider", "request": "7"] }
        let event = LogEvent(
            level: .error, message: "m", error: Failed(), metadata: ["source": "call"], source: nil, file: "f", function: "g", line: 1)
        let record = LogRecord(
            event: event, label: "l", handlerMetadata: ["source": "logger", "request": "1", "logger_only": "yes"], provider: provider)
        #expect(record.metadata["source"] == "call")
        #expect(record.metadata["request"] == "7")
        #expect(record.metadata["logger_only"] == "yes")
        #expect(record.metadata["error.message"] == "Failed()")
        #expect(record.metadata["error.type"]?.description.hasSuffix("Failed") == true)
    }

    @Test func theReportEntryMetadataMapsToTheDocumentedFields() {
        let metadata = Logger.Metadata.reportWritten(
            path: "/var/lib/chimerad/reports/chimera-report-20250101T000000Z.md", trigger: "change", filesChanged: 3,
            filesDeleted: 1, durationMilliseconds: 120)
        let fields = Set(metadata.keys.map(JournalLogHandler.fieldName(forMetadataKey:)))
        #expect(fields == ["MESSAGE_ID", "REPORT_PATH", "REPORT_TRIGGER", "FILES_CHANGED", "FILES_DELETED", "DURATION_MS"])
        #expect(metadata["message_id"] == "\(JournalMessageID.reportWritten)")
        #expect(JournalMessageID.reportWritten.count == 32 && JournalMessageID.reportWritten.allSatisfy(\.isHexDigit))
    }

    @Test func aConsoleLineIsOneReadableLine() {
        let event = LogEvent(
            level: .notice, message: "report\nwritten", metadata: ["files_parsed": "14", "path": "/a b/c", "empty": "", "quote": "say \"hi\""],
            source: nil, file: "f", function: "g", line: 1)
        let record = LogRecord(event: event, label: "chimerad", handlerMetadata: [:], provider: nil)
        let line = ConsoleLogHandler.line(for: record, at: timespec(tv_sec: 1_700_000_000, tv_nsec: 7_000_000))
        #expect(
            line == #"2023-11-14T22:13:20.007Z notice chimerad: report\nwritten empty="" files_parsed=14 path="/a b/c" quote="say \"hi\"""#)
    }

    /// A file name with terminal controls and a line break in it: the console
    /// shows each as an escape, on the entry's own line.
    static let hostileName = "m\u{9B}2J\u{1B}[31mred\u{07}\n2025-01-01T00:00:00.000Z error chimerad: forged\u{2028}ls\u{85}nel\u{7F}"

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    @Test func aConsoleLineCarriesNoControlCharacterAndStaysOneLine() {
        let event = LogEvent(
            level: .warning, message: "skipped \(Self.hostileName)", metadata: ["path": "\(Self.hostileName)", "ok": "plain"],
            source: nil, file: "f", function: "g", line: 1)
        let record = LogRecord(event: event, label: "chimerad", handlerMetadata: [:], provider: nil)
        let line = ConsoleLogHandler.line(for: record, at: timespec(tv_sec: 1_700_000_000, tv_nsec: 0))
        #expect(!line.unicodeScalars.contains(where: Self.isControl), "\(line.debugDescription)")
        let escapedName = #"m\u{9b}2J\u{1b}[31mred\u{7}\n2025-01-01T00:00:00.000Z error chimerad: forged\u{2028}ls\u{85}nel\u{7f}"#
        #expect(line == "2023-11-14T22:13:20.000Z warning chimerad: skipped \(escapedName) ok=plain path=\"\(escapedName)\"")
    }

    /// Names that differ only by an invisible character (a zero-width space,
    /// a byte order mark) read alike in the journal and on the console: they
    /// are written out as in the reports, and quoted; a joiner inside an
    /// emoji sequence is kept (campaign s32b, #1).
    @Test func invisibleCharactersAreWrittenOutAsTheReportsDo() {
        let event = LogEvent(
            level: .warning, message: "regression opened",
            metadata: ["model": "llama3:8b\u{200B}", "other": "llama3:8b\u{FEFF}", "emoji": "coder-👩\u{200D}💻", "tag": "x\u{E0041}"],
            source: nil, file: "f", function: "g", line: 1)
        let record = LogRecord(event: event, label: "chimerad", handlerMetadata: [:], provider: nil)
        let line = ConsoleLogHandler.line(for: record, at: timespec(tv_sec: 1_700_000_000, tv_nsec: 0))
        #expect(line.contains(#"model="llama3:8b\u{200b}""#) && line.contains(#"other="llama3:8b\u{feff}""#), "\(line)")
        #expect(line.contains("emoji=coder-👩\u{200D}💻") && line.contains(#"tag="x\u{e0041}""#), "\(line)")
        // The literal text of that form is told from the character, as in the reports.
        #expect(LogText.escaped(#"a\u{200b}"#) == #"a\u{5c}u{200b}"# && LogText.escaped(#"C:\x"#) == #"C:\x"#)
    }

    @Test func theConsoleHandlerWritesAHostileNameOnItsEntrysLine() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        let logger = Logger(label: "chimerad") { ConsoleLogHandler(label: $0, fileDescriptor: descriptors[1]) }
        logger.warning("skipped \(Self.hostileName)", metadata: ["path": "\(Self.hostileName)"])
        close(descriptors[1])
        let output = FileHandle(fileDescriptor: descriptors[0]).readDataToEndOfFile()
        #expect(output.filter { $0 == UInt8(ascii: "\n") }.count == 1 && output.last == UInt8(ascii: "\n"))
        #expect(!output.contains(0x1B) && !output.contains(0x07) && !output.contains(0x7F))
        let text = String(decoding: output, as: UTF8.self)
        #expect(!text.unicodeScalars.dropLast().contains(where: Self.isControl), "\(text.debugDescription)")
    }

    @Test func journalFieldsKeepLineFeedsButEscapeOtherControls() {
        let event = LogEvent(
            level: .warning, message: "skipped \(Self.hostileName)\n\tdetail", metadata: ["path": "\(Self.hostileName)"],
            source: nil, file: "f", function: "g", line: 1)
        let record = LogRecord(event: event, label: "chimerad", handlerMetadata: [:], provider: nil)
        let fields = JournalEntry(record: record, identifier: "chimerad").fields
        let shown = #"m\u{9b}2J\u{1b}[31mred\u{7}"# + "\n" + #"2025-01-01T00:00:00.000Z error chimerad: forged\u{2028}ls\u{85}nel\u{7f}"#
        #expect(fields.first == "MESSAGE=skipped \(shown)\n\tdetail")
        #expect(fields.contains("PATH=\(shown)"))
        for field in fields {
            #expect(!field.unicodeScalars.contains { Self.isControl($0) && $0 != "\n" && $0 != "\t" }, "\(field.debugDescription)")
        }
    }

    @Test func theConsoleHandlerWritesWholeLinesToItsDescriptor() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        var logger = Logger(label: "chimerad") { ConsoleLogHandler(label: $0, fileDescriptor: descriptors[1]) }
        logger.logLevel = .debug
        logger[metadataKey: "run"] = "1"
        logger.debug("first", metadata: ["files_parsed": "0"])
        logger.trace("not shown")
        logger.error("second")
        close(descriptors[1])
        let output = String(decoding: FileHandle(fileDescriptor: descriptors[0]).readDataToEndOfFile(), as: UTF8.self)
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 3 && lines.last == "", "\(output)")
        #expect(lines[0].hasSuffix(" debug chimerad: first files_parsed=0 run=1"), "\(lines[0])")
        #expect(lines[1].hasSuffix(" error chimerad: second run=1"), "\(lines[1])")
        #expect(lines[0].range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z "#, options: .regularExpression) != nil)
    }

    /// libsystemd takes an entry for sent when journald's socket is missing:
    /// `--log-target journal` on a machine without journald lost every line.
    @Test func withNoJournaldAnEntryIsAConsoleLine() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        let event = LogEvent(level: .warning, message: "kept", metadata: nil, source: nil, file: "f", function: "g", line: 1)
        let record = LogRecord(event: event, label: "chimerad", handlerMetadata: [:], provider: nil)
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-journald-\(UUID().uuidString)/socket").path
        JournalLogHandler.write(record, identifier: "chimerad", socketPath: missing, fallback: descriptors[1])
        close(descriptors[1])
        let output = String(decoding: FileHandle(fileDescriptor: descriptors[0]).readDataToEndOfFile(), as: UTF8.self)
        #expect(output.hasSuffix(" warning chimerad: kept\n"), "\(output)")
    }

    /// A socket file left by a journald that stopped (a crash, a test's
    /// journald killed) refuses entries, which then go to standard error:
    /// a fatal error logged so was said twice there.
    @Test func aSocketLeftByAStoppedJournaldIsNotAListeningOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("journald-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/socket"
        #expect(!JournalLogHandler.journaldListens(at: path))
        let listener = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(listener >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        #expect(JournalLogHandler.journaldListens(at: path))
        close(listener)
        #expect(JournalLogHandler.socketExists(at: path))
        #expect(!JournalLogHandler.journaldListens(at: path), "the socket file outlived its listener")
    }

    @Test func journalStreamMatchesOnlyTheFileItNames() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-stream-\(UUID().uuidString)").path
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        #expect(descriptor >= 0)
        defer {
            close(descriptor)
            unlink(path)
        }
        var status = stat()
        #expect(fstat(descriptor, &status) == 0)
        let matching = "\(status.st_dev):\(status.st_ino)"
        #expect(LogDestination.isJournalStream(matching, fileDescriptor: descriptor))
        #expect(!LogDestination.isJournalStream("\(status.st_dev):\(status.st_ino + 1)", fileDescriptor: descriptor))
        #expect(!LogDestination.isJournalStream(nil, fileDescriptor: descriptor))
        #expect(!LogDestination.isJournalStream("", fileDescriptor: descriptor))
        #expect(!LogDestination.isJournalStream("garbage", fileDescriptor: descriptor))
        #expect(!LogDestination.isJournalStream("\(status.st_dev):", fileDescriptor: descriptor))
        #expect(!LogDestination.isJournalStream(matching, fileDescriptor: -1))
    }

    @Test func autoPicksTheJournalOnlyWhenStandardErrorIsItsStream() throws {
        var status = stat()
        #expect(fstat(STDERR_FILENO, &status) == 0)
        let stderrStream = "\(status.st_dev):\(status.st_ino)"
        #expect(LogDestination.automatic(journalStream: stderrStream) == .journal)
        #expect(LogDestination.automatic(journalStream: "\(status.st_dev):\(status.st_ino &+ 1)") == .console)
        #expect(LogDestination.automatic(journalStream: nil) == .console)
    }
}
