#if canImport(Glibc)
import Glibc
#endif

/// Where logs should go, as configured (`log.target`, `--log-target`).
package enum LogTarget: String, Sendable, CaseIterable {
    /// The journal when standard error is connected to it (a service under
    /// systemd), else the console.
    case auto
    /// Always the journal's native protocol.
    case journal
    /// Always readable lines on standard error.
    case console

    /// The destination this target means for this process: `auto` asks
    /// ``LogDestination/isJournalStream(_:fileDescriptor:)`` about standard error.
    package func destination(journalStream: String? = LogDestination.journalStreamVariable()) -> LogDestination {
        switch self {
        case .journal: .journal
        case .console: .console
        case .auto: LogDestination.isJournalStream(journalStream, fileDescriptor: STDERR_FILENO) ? .journal : .console
        }
    }
}

/// Where log entries actually go.
package enum LogDestination: String, Sendable {
    case journal
    case console

    /// `$JOURNAL_STREAM`, which systemd sets to `device:inode` of the stream
    /// it connected to a service's stdout/stderr (`systemd.exec(5)`).
    package static func journalStreamVariable() -> String? {
        getenv("JOURNAL_STREAM").map { String(cString: $0) }
    }

    /// Whether `journalStream` (`device:inode`, both decimal) names the file
    /// behind `fileDescriptor`. The variable alone is not enough: it is
    /// inherited by children whose stderr a user redirected elsewhere, and
    /// their logs belong where they redirected them.
    package static func isJournalStream(_ journalStream: String?, fileDescriptor: Int32) -> Bool {
        guard let journalStream, let colon = journalStream.firstIndex(of: ":"),
            let device = UInt64(journalStream[..<colon]),
            let inode = UInt64(journalStream[journalStream.index(after: colon)...])
        else { return false }
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
