import Analysis
import Records

/// What an ingest pass keeps of a parsed file: a summary the store holds in
/// place of the file's records, and the run groups the file feeds. Ingest
/// only calls it; the report stage, which reads the summaries, decides what
/// they are (`FileSummarizer.analysis`).
public struct FileSummarizer: Sendable {
    public struct Summary: Sendable {
        public var digest: [UInt8]
        /// The run groups the file holds (`Analyzer.rawGroupKey`), and
        /// `ReportJob.otherResultsKey` when it has other results.
        public var groupKeys: [String]

        public init(digest: [UInt8], groupKeys: [String]) {
            self.digest = digest
            self.groupKeys = groupKeys
        }
    }

    /// Bumped with the summary's format: files summarised by another version
    /// are read again.
    public var version: Int
    public var summarize: @Sendable (Extraction) -> Summary

    public init(version: Int, summarize: @escaping @Sendable (Extraction) -> Summary) {
        self.version = version
        self.summarize = summarize
    }

    /// The digest analysis reads (`FileDigest`).
    public static let analysis = FileSummarizer(version: FileDigest.binaryVersion) { extraction in
        var groupKeys = extraction.runSets.map(Analyzer.rawGroupKey)
        var others = extraction
        others.runSets = []
        if !others.isEmpty || !others.notes.isEmpty || !others.environment.isEmpty {
            groupKeys.append(ReportJob.otherResultsKey)
        }
        return Summary(digest: FileDigest(extraction).encoded(), groupKeys: groupKeys)
    }
}
