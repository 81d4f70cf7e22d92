import Analysis
import Foundation
import Records
import Store

/// The second stage of a report: the analyzer, given every file in scope,
/// with the figures of unchanged run groups taken from the cache and the
/// digests read only of the files whose groups must be computed afresh.
struct DigestLoad {
    var analyzer: Analyzer
    var plan: GroupCachePlan
    /// Files whose stored digest did not decode.
    var damaged: [DamagedFile] = []
    /// Time spent planning the cache and adopting it (the debug log's plan_ms, cache_ms).
    var timings: (plan: Duration, cache: Duration) = (.zero, .zero)

    /// A file whose stored data does not decode.
    struct DamagedFile {
        var root: String
        var storedPath: String
        var shownPath: String
        var reason: String
    }

    /// What the cache and the digests are kept under: the report's inputs.
    static func cacheScope(_ scope: ReportScope) -> String {
        scope.reportKey.joined(separator: "\n")
    }

    init(scope: ReportScope, store: Store) throws {
        let clock = ContinuousClock()
        let started = clock.now
        analyzer = Analyzer(catalog: scope.analysed.map { Analyzer.CatalogEntry(path: $0.path, shape: $0.shape, modelHint: $0.modelHint) })
        plan = GroupCachePlan()
        plan.prepare(scope.analysed, analyzer: &analyzer)
        let planned = clock.now
        plan.adopt(from: try store.cachedGroups(scope: DigestLoad.cacheScope(scope)), into: &analyzer)
        let adopted = clock.now
        try read(scope: scope, store: store)
        timings = (planned - started, adopted - planned)
    }

    /// Reads the digests the plan wants. Only files whose groups are not
    /// reused are read; when that is most of them, one pass over the table is
    /// cheaper than a lookup per file.
    private mutating func read(scope: ReportScope, store: Store) throws {
        let wanted = scope.analysed.filter { plan.needsReading($0) || analyzer.hasTwin(path: $0.path, shape: $0.shape) }
        var damaged: [DamagedFile] = []
        let labels = scope.labels
        func note(_ entry: RegistryEntry, _ reason: String) {
            damaged.append(
                DamagedFile(root: entry.root, storedPath: entry.path, shownPath: labels.path(entry.root, entry.path), reason: reason))
        }
        if wanted.count * 4 < scope.analysed.count {
            try store.forEachAnalyzed(
                files: wanted.map { ($0.root, labels.storedPath($0.root, $0.path)) }, { try take($0, $1, labels) }, damaged: note)
        } else {
            try store.forEachAnalyzed(roots: scope.roots) { entry, blobs in
                guard scope.contains(root: entry.root, path: entry.path) else { return }
                try take(entry, blobs, labels)
            } damaged: {
                note($0, $1)
            }
        }
        self.damaged = damaged
    }

    private mutating func take(_ entry: RegistryEntry, _ blobs: Store.StoredBlobs, _ labels: ReportJob.RootLabels) throws {
        let path = labels.path(entry.root, entry.path)
        // A file with a twin is read whole: its runs are counted against the twin's.
        let twin = analyzer.hasTwin(path: path, shape: entry.shape)
        let reading = twin ? GroupCachePlan.Reading(groups: nil, others: true) : plan.reading(path)
        guard !reading.isEmpty else { return }
        guard let digest = blobs.digest() else { throw BinaryReader.Failure.invalid("no digest stored") }
        analyzer.add(path: path, digest: try FileDigest(decoding: digest, ledgers: twin), only: reading.groups, others: reading.others)
    }
}
