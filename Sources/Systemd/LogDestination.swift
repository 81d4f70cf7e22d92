#if canImport(Glibc)
import Glibc
#endif

/// Where log entries actually go.
package enum LogDestination: String, Sendable {
    case journal
    case console

    /// The journal when standard error is connected to it (a service under
    /// systemd), else the console: what `log.target: auto` means.
    package static func automatic(journalStream: String? = journalStreamVariable()) -> LogDestination {
        isJournalStream(journalStream, fileDescriptor: STDERR_FILENO) ? .journal : .console
    }

    /// Whether an entry sent here is seen where standard error leads: on
    /// the console, or in the journal when standard error is its stream (a
    /// service) or no journald listens (the entry falls back to standard
    /// error). A fatal error logged so needs no second line there.
    package func reachesStandardError(journalStream: String? = journalStreamVariable()) -> Bool {
        switch self {
        case .console: true
        case .journal:
            !JournalLogHandler.journaldListens() || LogDestination.isJournalStream(journalStream, fileDescriptor: STDERR_FILENO)
        }
    }

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
