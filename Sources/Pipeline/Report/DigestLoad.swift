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
    /// Time spent planning the cache, adopting it (once loaded: see
    /// `CachedGroups`) and reading digests (the
    /// debug log's plan_ms, cache_ms, digests_ms), and how many digests and
    /// bytes were read (digests_read, digest_bytes).
    var timings: (plan: Duration, cache: Duration, digests: Duration) = (.zero, .zero, .zero)
    var digestsRead = 0
    var digestBytes = 0

    /// A file whose stored data does not decode.
    struct DamagedFile {
        var root: String
        var storedPath: String
        var shownPath: String
        var reason: String
    }

    /// What the cache and the digests are kept under: the report's inputs.
    static func cacheScope(_ scope: ReportScope) -> String {
        cacheScope(reportKey: scope.reportKey)
    }

    /// The same for a report's inputs as the store names them (`Ingested.reportKey`).
    static func cacheScope(reportKey: [String]) -> String {
        reportKey.joined(separator: "\n")
    }

    /// - Parameters:
    ///   - retested: the files of open regressions' sessions, with their groups (see `GroupCachePlan.prepare`).
    ///   - cached: the group cache of the scope, loaded (`CachedGroups`).
    init(scope: ReportScope, store: Store, retested: [String: Set<String>] = [:], cached: CachedGroups) throws {
        let clock = ContinuousClock()
        let started = clock.now
        // Thousands of files share a few key texts (one model, one configuration): each is split once.
        var keyTexts = Set<String>()
        for entry in scope.analysed { keyTexts.insert(entry.groupKeysText) }
        let models = Analyzer.modelsNamed(byRawKeys: keyTexts.lazy.flatMap(RegistryEntry.groupKeys(in:)))
        analyzer = Analyzer(
            catalog: scope.analysed.map { Analyzer.CatalogEntry(path: $0.path, shape: $0.shape, modelHint: $0.modelHint) }, models: models)
        plan = GroupCachePlan()
        plan.prepare(scope.analysed, analyzer: &analyzer, since: scope.previous?.sequence, retested: retested)
        let planned = clock.now
        plan.adopt(from: cached, into: &analyzer)
        let adopted = clock.now
        try read(scope: scope, store: store)
        try readHistory(scope: scope, store: store)
        timings = (planned - started, adopted - planned, clock.now - adopted)
    }

    /// The kept earlier versions of benchmark files and run tables
    /// (rewritten in place by their tool's next run): their sessions are
    /// history to test against. One that no longer decodes (an older format)
    /// is passed over; a run table with a twin has none (its runs are
    /// counted against the twin's).
    private mutating func readHistory(scope: ReportScope, store: Store) throws {
        let analysed = scope.analysed
        let benchmarkFiles = analysed.indices.filter { position in
            guard let shape = analysed[position].shape else { return false }
            // A run table's only for the groups computed afresh: a cached group holds them.
            return shape.carriesBenchmarks
                || (shape.carriesRuns && plan.needsReading(at: position) && !analyzer.hasTwin(path: analysed[position].path, shape: shape))
        }
        guard !benchmarkFiles.isEmpty else { return }
        let labels = scope.labels
        let stored = benchmarkFiles.map { position in
            var entry = analysed[position]
            entry.path = labels.storedPath(entry.root, entry.path)
            return entry
        }
        for version in try store.history(of: stored) {
            guard let digest = try? FileDigest(decoding: version.digest, ledgers: false) else { continue }
            analyzer.addHistory(
                path: analysed[benchmarkFiles[version.position]].path, digest: digest,
                modifiedAt: Double(version.modifiedNanoseconds) / 1e9)
        }
    }

    /// Reads the digests the plan wants. Only files whose groups are not
    /// reused are read; when that is most of them, one pass over the table is
    /// cheaper than a lookup per file.
    private mutating func read(scope: ReportScope, store: Store) throws {
        let analysed = scope.analysed
        let wanted = analysed.indices.filter {
            plan.needsReading(at: $0) || analyzer.hasTwin(path: analysed[$0].path, shape: analysed[$0].shape)
        }
        var damaged: [DamagedFile] = []
        let labels = scope.labels
        func note(_ entry: RegistryEntry, _ reason: String) {
            damaged.append(
                DamagedFile(root: entry.root, storedPath: entry.path, shownPath: labels.path(entry.root, entry.path), reason: reason))
        }
        if wanted.count * 4 < analysed.count {
            // The scope's entries, as stored (paths under their own root).
            let stored = wanted.map { position in
                var stored = analysed[position]
                stored.path = labels.storedPath(stored.root, stored.path)
                return stored
            }
            // What to take of each file, the files that want nothing left out.
            var taken: [(position: Int, stored: RegistryEntry, reading: GroupCachePlan.Reading)] = []
            var requests: [DigestPrefetch.Request] = []
            for (position, entry) in zip(wanted, stored) {
                let (reading, twin) = self.reading(of: analysed[position], at: position)
                guard !reading.isEmpty else { continue }
                taken.append((position, entry, reading))
                requests.append(DigestPrefetch.Request(entry: entry, ledgers: twin, othersSkippedAs: reading.others ? nil : entry.shape))
            }
            try DigestPrefetch.forEach(requests, store: store) { index, decoded in
                let file = taken[index]
                switch decoded {
                case .digest(let digest, let bytes):
                    count(bytes: bytes)
                    add(digest, of: analysed[file.position], reading: file.reading, scope: scope)
                case .damaged(let reason, let bytes):
                    if bytes > 0 { count(bytes: bytes) }
                    note(file.stored, reason)
                }
            }
        } else {
            plan.indexPaths()
            try store.forEachAnalyzed(roots: scope.roots) { entry, blobs in
                guard scope.contains(root: entry.root, path: entry.path),
                    let position = plan.position(of: labels.path(entry.root, entry.path))
                else { return }
                try take(blobs, of: analysed[position], at: position, scope: scope)
            } damaged: {
                note($0, $1)
            }
        }
        self.damaged = damaged
    }

    /// Adds what the plan wants of one file: `file` is its scope entry (its
    /// path as reports show it), at `position` in the scope.
    private mutating func take(
        _ blobs: Store.StoredBlobs, of file: RegistryEntry, at position: Int, scope: ReportScope
    ) throws {
        let (reading, twin) = self.reading(of: file, at: position)
        guard !reading.isEmpty else { return }
        guard let digest = blobs.digest() else { throw BinaryReader.Failure.invalid("no digest stored") }
        count(bytes: digest.count)
        // Other results not wanted are not decoded: the registry knows the shape.
        let decoded = try FileDigest(decoding: digest, ledgers: twin, othersSkippedAs: reading.others ? nil : file.shape)
        add(decoded, of: file, reading: reading, scope: scope)
    }

    /// Counts a digest read, decoded or not (the debug log's digests_read and digest_bytes).
    private mutating func count(bytes: Int) {
        digestsRead += 1
        digestBytes += bytes
    }

    /// What to take of the file at `position`, and whether it has a twin:
    /// a file with a twin is read whole, its runs counted against the twin's.
    private func reading(of file: RegistryEntry, at position: Int) -> (reading: GroupCachePlan.Reading, twin: Bool) {
        let twin = analyzer.hasTwin(path: file.path, shape: file.shape)
        return (twin ? GroupCachePlan.Reading(groups: nil, others: true) : plan.reading(at: position), twin)
    }

    /// Hands the analyzer one file's decoded digest.
    private mutating func add(_ decoded: FileDigest, of file: RegistryEntry, reading: GroupCachePlan.Reading, scope: ReportScope) {
        let path = file.path
        let marked = file.reportedScope == scope.markerKey
        var stamp = FileStamp(
            modifiedAt: Double(file.contentModifiedNanoseconds) / 1e9, sequence: file.createdSequence,
            reportedUntil: marked ? file.reportedUntil : nil)
        // A file unchanged since the last report holds nothing new: its sessions read are not looked at.
        stamp.isUnchanged = file.changedSequence <= scope.previous?.sequence ?? -1
        if marked, !stamp.isUnchanged { stamp.readSessions = file.reportedSessions.flatMap(ReadSessions.init(text:)) }
        analyzer.add(path: path, digest: decoded, only: reading.groups, others: reading.others, stamp: stamp)
    }
}
