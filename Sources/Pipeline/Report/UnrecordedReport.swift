import Logging
import Reporting
import Store

/// A report a process published and the store never recorded: the process
/// was killed, or the store failed, between the two. Its webhook event was
/// never queued and its regressions never stored, so it is withdrawn, and
/// the next report (which covers its changes, the store having not moved)
/// takes its place.
///
///     try UnrecordedReport.withdraw(store: store, writer: writer, logger: logger)
///     try store.beginPublication(.init(directory: writer.directory, base: base))
///     // publish, then record (which clears the mark)
enum UnrecordedReport {
    /// Withdraws the report the store's mark names, if any, and clears the mark.
    static func withdraw(store: Store, writer: ReportWriter, logger: Logger) throws {
        guard let publication = try store.publicationUnderWay() else { return }
        // A mark of another output folder (the setting changed since) names
        // nothing here; that folder is not this writer's to touch.
        if publication.directory == writer.directory {
            let removed = try writer.withdraw(base: publication.base)
            if !removed.isEmpty {
                logger.notice(
                    "a report published by a process that stopped before recording it is withdrawn; the next report covers its changes",
                    metadata: ["report": "\(publication.base)", "files_removed": "\(removed.count)"])
            }
        }
        try store.endPublication()
    }
}
