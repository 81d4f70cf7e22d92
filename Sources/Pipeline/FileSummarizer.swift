import Analysis
import Records

/// What an ingest pass keeps of a parsed file: a summary the store holds in
/// place of the file's records, and the run groups the file feeds. Ingest
/// only calls it; the report stage, which reads the summaries, decides what
/// they are (`FileSummarizer.analysis`).
package struct FileSummarizer: Sendable {
    package struct Summary: Sendable {
        package var digest: [UInt8]
        /// The run groups the file holds (`Analyzer.rawGroupKey`), and
        /// `ReportJob.otherResultsKey` when it has other results.
        package var groupKeys: [String]

        package init(digest: [UInt8], groupKeys: [String]) {
            self.digest = digest
            self.groupKeys = groupKeys
        }
    }

    /// Bumped with the summary's format: files summarised by another version
    /// are read again.
    package var version: Int
    package var summarize: @Sendable (Extraction) -> Summary

    package init(version: Int, summarize: @escaping @Sendable (Extraction) -> Summary) {
        self.version = version
        self.summarize = summarize
    }

    /// The digest analysis reads (`FileDigest`), with the default session gap.
    package static let analysis = FileSummarizer.analysis(sessionGapMinutes: Int(FileDigest.defaultSessionGap / 60))

    /// The digest analysis reads (`FileDigest`): the gap that cuts sessions is
    /// part of its version, so a new gap reads the files again.
    package static func analysis(sessionGapMinutes: Int) -> FileSummarizer {
        FileSummarizer(version: FileDigest.binaryVersion * 100_000 + sessionGapMinutes) { extraction in
            var groupKeys = extraction.runSets.map(Analyzer.rawGroupKey)
            var others = extraction
            others.runSets = []
            if !others.isEmpty || !others.notes.isEmpty || !others.environment.isEmpty {
                groupKeys.append(ReportJob.otherResultsKey)
            }
            return Summary(digest: FileDigest(extraction, sessionGap: Double(sessionGapMinutes) * 60).encoded(), groupKeys: groupKeys)
        }
    }
}
