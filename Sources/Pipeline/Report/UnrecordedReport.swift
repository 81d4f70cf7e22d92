import Foundation
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
        // The mark names its folder: this store's report is withdrawn there,
        // whether the output setting changed since or another command of the
        // same state wrote elsewhere.
        let folder = publication.directory == writer.directory ? writer : ReportWriter(directory: publication.directory, retain: 0)
        let name = folder.directory + "/" + publication.base
        // A folder that is gone took the report with it; one that cannot be
        // opened is said, and never fails every report after it.
        if FileManager.default.fileExists(atPath: folder.directory) {
            do {
                let removed = try folder.withdraw(base: publication.base)
                if !removed.isEmpty {
                    logger.notice(
                        "a report published by a process that stopped before recording it is withdrawn; the next report covers its changes",
                        metadata: ["report": "\(name)", "files_removed": "\(removed.count)"])
                }
            } catch {
                logger.error(
                    "a report published by a process that stopped before recording it could not be withdrawn",
                    metadata: ["report": "\(name)", "error": "\(error)"])
            }
        }
        try store.endPublication()
    }
}
