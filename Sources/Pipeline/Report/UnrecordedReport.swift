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
///     // write, marking the publication in `beforePublishing`; then record (which clears the mark)
enum UnrecordedReport {
    /// Withdraws the reports the store's marks name, each in the folder its
    /// mark names (the output setting may have changed since, or another
    /// command of the same state wrote elsewhere), and clears each mark once
    /// its report is withdrawn. One that cannot be withdrawn (a folder made
    /// read-only) is said and keeps its mark for a later report; it never
    /// fails this one.
    static func withdraw(store: Store, writer: ReportWriter, logger: Logger) throws {
        for publication in try store.publicationsUnderWay() {
            let folder = publication.directory == writer.directory ? writer : ReportWriter(directory: publication.directory, retain: 0)
            let name = folder.directory + "/" + publication.base
            // A folder that is gone took the report with it.
            if FileManager.default.fileExists(atPath: folder.directory) {
                do {
                    let files = publication.files.compactMap(ReportWriter.PublishedFile.init(text:))
                    let removed = try folder.withdraw(base: publication.base, files: files)
                    if !removed.isEmpty {
                        logger.notice(
                            "a report published by a process that stopped before recording it is withdrawn; the next report covers its changes",
                            metadata: ["report": "\(name)", "files_removed": "\(removed.count)"])
                    }
                } catch {
                    logger.error(
                        "a report published by a process that stopped before recording it could not be withdrawn; a later report tries again",
                        metadata: ["report": "\(name)", "error": "\(error)"])
                    continue
                }
            }
            try store.endPublication(publication)
        }
    }
}
