import CSystemd
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The fields of one journal entry, laid out as `NAME=value` byte strings in a
/// single buffer, sent with `sd_journal_sendv(3)`. Each field is its own iovec
/// with an explicit length, so values may hold newlines or any other byte:
/// libsystemd switches such a field to the native protocol's binary-safe form.
struct JournalEntry {
    private var bytes: [UInt8] = []
    private var fieldEnds: [Int] = []

    init() {
        bytes.reserveCapacity(512)
    }

    mutating func append(_ name: String, _ value: String) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: "="))
        bytes.append(contentsOf: value.utf8)
        fieldEnds.append(bytes.count)
    }

    /// The fields as written, for tests: `NAME=value` each.
    var fields: [String] {
        var start = 0
        return fieldEnds.map { end in
            defer { start = end }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
    }

    /// Sends the entry; 0 on success, else a negative errno (no journald listening: `-ENOENT`).
    func send() -> Int32 {
        bytes.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -EINVAL }
            var vectors: [iovec] = []
            vectors.reserveCapacity(fieldEnds.count)
            var start = 0
            for end in fieldEnds {
                vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: base + start), iov_len: end - start))
                start = end
            }
            return vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
    }
}

extension JournalEntry {
    /// The contract fields first, then one field per metadata key (sorted, so
    /// entries are reproducible).
    init(record: LogRecord, identifier: String) {
        self.init()
        append("MESSAGE", JournalEntry.shown(record.message))
        append("PRIORITY", String(JournalLogHandler.priority(for: record.level)))
        append("SYSLOG_IDENTIFIER", identifier)
        append("CODE_FILE", record.file)
        append("CODE_LINE", String(record.line))
        append("CODE_FUNC", record.function)
        append("LOGGER_LABEL", record.label)
        for (key, value) in record.metadata.sorted(by: { $0.key < $1.key }) {
            append(JournalLogHandler.fieldName(forMetadataKey: key), JournalEntry.shown(JournalEntry.text(of: value)))
        }
    }

    /// A value as the journal stores it. The native protocol carries any byte,
    /// and journalctl indents a multi-line field under its entry, so line feeds
    /// and tabs stay (a traceback keeps its lines); every other control becomes
    /// an escape, since `journalctl -a` writes fields to the terminal as they are.
    static func shown(_ value: String) -> String {
        LogText.escaped(value, keeping: ["\n", "\t"])
    }

    /// Field names the handler writes itself; metadata never replaces them.
    static let ownFields: Set<String> = [
        "MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER", "CODE_FILE", "CODE_LINE", "CODE_FUNC", "LOGGER_LABEL",
    ]

    /// A string stays as it is; anything else takes swift-log's description
    /// (`[a, b]` for arrays, `[k: v]` for dictionaries).
    static func text(of value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text): text
        case .stringConvertible(let convertible): convertible.description
        case .array, .dictionary: value.description
        }
    }
}
