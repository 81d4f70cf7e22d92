import Glibc
import Logging

/// A swift-log handler that writes structured entries to the systemd journal
/// over its native protocol (`sd_journal_sendv(3)`).
///
/// Every entry carries:
/// - `MESSAGE`: the message as logged, newlines and all, with other control
///   characters (ESC, U+009B) as escapes (see ``JournalEntry/shown(_:)``);
/// - `PRIORITY`: the syslog level, see ``priority(for:)``;
/// - `SYSLOG_IDENTIFIER`: `chimerad` unless told otherwise, so `journalctl -t chimerad` finds it;
/// - `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`: where it was logged (`CODE_FILE` is swift-log's `#fileID`, `Module/File.swift`);
/// - `LOGGER_LABEL`: the label of the `Logger`;
/// - one field per metadata key, from the handler (the logger's metadata), the
///   metadata provider and the call (later ones win for the same key), named by
///   ``fieldName(forMetadataKey:)``; an attached error adds `ERROR_MESSAGE` and `ERROR_TYPE`.
///
/// When no journald listens (its socket is missing, or left behind by one
/// that stopped) or the journal refuses an entry, the entry is written to standard error as a console line
/// instead, so it is not lost.
package struct JournalLogHandler: LogHandler {
    package static let defaultIdentifier = "chimerad"

    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let identifier: String

    package init(
        label: String, identifier: String = JournalLogHandler.defaultIdentifier,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.identifier = identifier
        self.metadataProvider = metadataProvider
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let record = LogRecord(event: event, label: label, handlerMetadata: metadata, provider: metadataProvider)
        JournalLogHandler.write(record, identifier: identifier)
    }

    /// Where journald listens for native entries (what `sd_journal_sendv` sends to).
    package static let socketPath = "/run/systemd/journal/socket"

    /// Whether a socket is at `socketPath`: libsystemd counts an entry for a
    /// missing one as sent, so it is not asked to send then.
    static func socketExists(at socketPath: String = socketPath) -> Bool {
        access(socketPath, F_OK) == 0
    }

    /// Whether a journald accepts entries at `socketPath` now. A socket file
    /// is not enough: one left behind by a journald that stopped refuses the
    /// connection, and entries sent there end up on standard error.
    static func journaldListens(at socketPath: String = socketPath) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        } == 0
    }

    static func write(_ record: LogRecord, identifier: String) {
        write(record, identifier: identifier, socketPath: socketPath, fallback: ConsoleLogHandler.standardError)
    }

    /// Sends `record` to the journal, or to `fallback` as a console line
    /// when no journald has its socket at `socketPath` (libsystemd counts a
    /// missing socket as sent: `--log-target journal` on a machine without
    /// journald dropped every line) or refuses it.
    static func write(_ record: LogRecord, identifier: String, socketPath: String, fallback: Int32) {
        guard socketExists(at: socketPath), JournalEntry(record: record, identifier: identifier).send() >= 0 else {
            ConsoleLogHandler.write(record, to: fallback)
            return
        }
    }

    /// The syslog priority journald stores in `PRIORITY`: trace and debug 7,
    /// info 6, notice 5, warning 4, error 3, critical 2.
    package static func priority(for level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// The journal field a metadata key becomes.
    ///
    /// Journal field names may only hold `A-Z`, `0-9` and `_`, must not start
    /// with `_` (journald reserves those for the fields it adds itself) or a
    /// digit, and are at most 64 characters. So:
    /// 1. ASCII letters are upper-cased, digits and `_` kept, every other
    ///    character becomes `_` (`report_path` → `REPORT_PATH`,
    ///    `error.message` → `ERROR_MESSAGE`, `http-status` → `HTTP_STATUS`);
    /// 2. leading `_` are dropped (`_pid` → `PID`);
    /// 3. a name that is then empty or starts with a digit gets `KEY_` in front (`2nd` → `KEY_2ND`);
    /// 4. a name the handler writes itself (`MESSAGE`, `PRIORITY`,
    ///    `SYSLOG_IDENTIFIER`, `CODE_FILE`, `CODE_LINE`, `CODE_FUNC`,
    ///    `LOGGER_LABEL`) gets `METADATA_` in front (`priority` → `METADATA_PRIORITY`);
    /// 5. the result is cut to 64 characters.
    ///
    /// `message_id` becomes `MESSAGE_ID`, which is how an entry gets its
    /// catalog id (see ``JournalMessageID``). Two keys that map to the same
    /// name (`a.b` and `a-b`) both land in that field: the journal keeps a
    /// field's several values.
    package static func fieldName(forMetadataKey key: String) -> String {
        let underscore = UInt8(ascii: "_")
        let bytes = key.unicodeScalars.map { scalar -> UInt8 in
            guard scalar.isASCII else { return underscore }
            let byte = UInt8(truncatingIfNeeded: scalar.value)
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - 32
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return byte
            default: return underscore
            }
        }
        var name = String(decoding: bytes.drop { $0 == underscore }, as: UTF8.self)
        if name.isEmpty || name.utf8.first.map({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) == true {
            name = "KEY_" + name
        }
        if JournalEntry.ownFields.contains(name) {
            name = "METADATA_" + name
        }
        return String(name.prefix(64))
    }
}
