import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that writes one readable line per entry, for a
/// terminal or any stderr that is not the journal:
///
///     2025-11-22T21:37:45.123Z info chimerad: report written files_changed=1 report_path=/var/lib/chimerad/reports/x.md
///
/// UTC time with milliseconds, the level, the logger's label, the message, then
/// the merged metadata (handler, provider, call; later wins) as `key=value`
/// sorted by key. A value that is empty or holds a space, `"`, `=` or a control
/// character is quoted with `\"`, `\\`, `\n`, `\r`, `\t` escapes; line breaks in
/// the message are written as `\n`, so an entry is always exactly one line, and
/// every other control (ESC, U+009B, see ``LogText``) as `\u{1b}`.
package struct ConsoleLogHandler: LogHandler {
    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?

    private let label: String
    private let output: Int32

    /// - Parameter fileDescriptor: where lines go; standard error unless a test wants them elsewhere.
    package init(label: String, fileDescriptor: Int32 = STDERR_FILENO, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = fileDescriptor
        self.metadataProvider = metadataProvider
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let record = LogRecord(event: event, label: label, handlerMetadata: metadata, provider: metadataProvider)
        ConsoleLogHandler.write(record, to: output)
    }

    static let standardError = STDERR_FILENO

    /// Lines from several threads must not interleave: one lock, one write per line.
    private static let writeLock = Mutex(())

    static func write(_ record: LogRecord, to fileDescriptor: Int32) {
        var line = Array(ConsoleLogHandler.line(for: record, at: ConsoleLogHandler.now()).utf8)
        line.append(UInt8(ascii: "\n"))
        writeLock.withLock { _ in
            line.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(fileDescriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // a closed or full stderr: nothing better to do with a log line
                    }
                }
            }
        }
    }

    static func line(for record: LogRecord, at time: timespec) -> String {
        var line = timestamp(time) + " " + record.level.rawValue + " " + LogText.escaped(record.label) + ": " + LogText.escaped(record.message)
        for (key, value) in record.metadata.sorted(by: { $0.key < $1.key }) {
            line += " " + LogText.escaped(key) + "=" + quotedIfNeeded(JournalEntry.text(of: value))
        }
        return line
    }

    static func now() -> timespec {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return time
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, UTC like the report names.
    static func timestamp(_ time: timespec) -> String {
        var seconds = time_t(time.tv_sec)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(parts.tm_year + 1900, 4) + "-" + padded(parts.tm_mon + 1, 2) + "-" + padded(parts.tm_mday, 2) + "T"
            + padded(parts.tm_hour, 2) + ":" + padded(parts.tm_min, 2) + ":" + padded(parts.tm_sec, 2) + "."
            + padded(Int32(time.tv_nsec / 1_000_000), 3) + "Z"
    }

    static func quotedIfNeeded(_ value: String) -> String {
        // Quoted when it has a blank, a quote or `=`, or anything written out (an emoji's joiner is not).
        let escaped = LogText.escaped(value)
        let needsQuotes = value.isEmpty || escaped != value || value.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" }
        return needsQuotes ? "\"" + LogText.escaped(value, quote: true) + "\"" : value
    }
}
