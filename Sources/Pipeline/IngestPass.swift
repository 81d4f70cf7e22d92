#if canImport(Glibc)
import Glibc
#endif
import Analysis
import Foundation
import Ingest
import Logging
import Records
import Store

/// Brings the registry up to date with the files under the roots: stat every
/// file, read and hash only those whose size or mtime moved, re-parse only those
/// whose content (or the parser) changed, and record deletions.
public struct IngestPass: Sendable {
    public struct Outcome: Sendable {
        public var filesSeen: Int
        public var parsed: Int
        public var rehashedUnchanged: Int
        public var unchanged: Int
        public var deleted: Int
        /// Things under the roots that are not readable files, with the reason.
        public var problems: [ScanProblem]
        public var sequence: Int64
        /// What the pass covered: whole roots, or single files given as inputs.
        public var scope: [Scope]
        /// The registry under the covered roots after the pass (tombstones included).
        public var entries: [RegistryEntry]
    }

    /// A root folder, or one file in it when a file was given as input.
    public struct Scope: Sendable, Equatable {
        public var root: String
        public var onlyPath: String?

        public func contains(root: String, path: String) -> Bool {
            root == self.root && (onlyPath == nil || onlyPath == path)
        }
    }

    public var roots: [String]
    public var excluded: [String]
    public var ignorePatterns: [String]
    public var maxFileBytes: Int64
    /// Files written to the store per transaction.
    public var batchSize = 256

    public init(roots: [String], excluded: [String], ignorePatterns: [String], maxFileBytes: Int64) {
        self.roots = roots
        self.excluded = excluded
        self.ignorePatterns = ignorePatterns
        self.maxFileBytes = maxFileBytes
    }

    /// A file's identity in the registry: its root and its path under it.
    struct FileKey: Hashable {
        var root: String
        var path: String

        init(_ root: String, _ path: String) {
            self.root = root
            self.path = path
        }
    }

    private struct Work: Sendable {
        var file: ScannedFile
        var previous: RegistryEntry?
    }

    public func run(store: Store, logger: Logger) async throws -> Outcome {
        let clock = ContinuousClock()
        let started = clock.now
        let scanner = Scanner(excluded: excluded)
        let distinct = IngestPass.distinctRoots(roots)
        let scope = distinct.compactMap { root in Scanner.registryRoot(of: root).map { Scope(root: $0.root, onlyPath: $0.onlyPath) } }
        let scannedRoots = Array(Set(scope.map(\.root))).sorted()
        // The registry loads while the tree is stat'ed: on a large tree these are
        // the two largest costs of a pass that finds little changed.
        async let loaded = store.lightEntries(roots: scannedRoots)
        var scanned: [ScannedFile] = []
        var problems: [ScanProblem] = []
        for root in distinct {
            let result = try scanner.scan(root: root)
            scanned += result.files
            problems += result.problems
        }
        let scannedAt = clock.now
        // Loaded in (root, path) byte order; the index finds an entry by key.
        let registry = try await loaded
        var known: [FileKey: Int] = [:]
        known.reserveCapacity(registry.count)
        for (index, entry) in registry.enumerated() { known[FileKey(entry.root, entry.path)] = index }

        let ignore = IgnoreRules(ignorePatterns)
        var work: [Work] = []
        var changes: [RegistryChange] = []
        var touched: [(root: String, path: String)] = []
        var unchanged = 0
        var present = Set<FileKey>()
        for file in scanned {
            let key = FileKey(file.root, file.relativePath)
            present.insert(key)
            let previous = known[key].map { registry[$0] }
            // Ignore patterns come first: a pattern added to the config applies to
            // files already analysed.
            if let pattern = ignore.match(file.relativePath) {
                let reason = "ignored (matches watch.ignore pattern \(pattern))"
                if previous?.reason != reason || previous?.status == .deleted {
                    changes.append(.ingested(skipEntry(file, previous, reason: reason), nil, digest: nil))
                    touched.append((file.root, file.relativePath))
                }
                continue
            }
            if let previous, previous.status != .deleted, previous.parserVersion == IngestPass.parserVersion,
                previous.size == file.size, previous.modifiedNanoseconds == file.modifiedNanoseconds,
                previous.inode == file.inode, previous.device == file.device,
                !IngestPass.dependsOnSettings(previous)
            {
                unchanged += 1
                continue
            }
            // Only files that moved need their stored hash, to tell a touch from an edit.
            var withHash = previous
            if let previous, previous.status != .deleted {
                withHash?.contentHash = try store.contentHash(root: previous.root, path: previous.path)
            }
            work.append(Work(file: file, previous: withHash))
            touched.append((file.root, file.relativePath))
        }
        var deleted = 0
        for entry in registry where entry.status != .deleted && !present.contains(FileKey(entry.root, entry.path)) {
            // Only what this pass covered can lose files.
            guard scope.contains(where: { $0.contains(root: entry.root, path: entry.path) }) else { continue }
            changes.append(.deleted(root: entry.root, path: entry.path))
            touched.append((entry.root, entry.path))
            deleted += 1
        }
        var sequence = try store.apply(changes)
        let classified = clock.now

        var parsed = 0
        var rehashed = 0
        var vanished = 0
        let limit = maxFileBytes
        let inFlight = max(1, ProcessInfo.processInfo.activeProcessorCount) * 2
        let batchSize = self.batchSize
        // One task group over all files: workers keep parsing while finished
        // results are written to the store in batches.
        sequence = try await withThrowingTaskGroup(of: (RegistryChange, Bool).self) { group in
            var next = 0
            var pending: [RegistryChange] = []
            var sequence = sequence
            func launch() {
                let item = work[next]
                next += 1
                group.addTask { IngestPass.ingest(item.file, previous: item.previous, limit: limit) }
            }
            while next < min(inFlight, work.count) { launch() }
            while let (change, reparsed) = try await group.next() {
                if case .deleted = change {
                    vanished += 1
                } else if reparsed {
                    parsed += 1
                } else {
                    rehashed += 1
                }
                pending.append(change)
                if next < work.count { launch() }
                if pending.count >= batchSize {
                    sequence = try store.apply(pending)
                    pending.removeAll(keepingCapacity: true)
                }
            }
            if !pending.isEmpty { sequence = try store.apply(pending) }
            return sequence
        }
        func ms(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> String {
            String(Int(((to - from).seconds * 1000).rounded()))
        }
        logger.debug(
            "ingest pass done",
            metadata: [
                "scan_ms": "\(ms(started, scannedAt))", "registry_ms": "\(ms(scannedAt, classified))",
                "read_ms": "\(ms(classified, clock.now))",
                "files_seen": "\(scanned.count)", "parsed": "\(parsed)", "unchanged": "\(unchanged + rehashed)",
                "deleted": "\(deleted)",
            ])
        return Outcome(
            filesSeen: scanned.count - vanished + problems.count, parsed: parsed, rehashedUnchanged: rehashed, unchanged: unchanged,
            deleted: deleted, problems: problems, sequence: sequence, scope: scope,
            entries: try updatedEntries(registry, index: known, changedKeys: touched, store: store))
    }

    /// The registry as it stands after the pass: what was loaded at its start,
    /// with the entries it changed read back (few, in the usual pass), in
    /// (root, path) byte order.
    private func updatedEntries(
        _ registry: [RegistryEntry], index: [FileKey: Int], changedKeys: [(root: String, path: String)], store: Store
    ) throws -> [RegistryEntry] {
        var entries = registry
        var added = false
        for (root, paths) in Dictionary(grouping: changedKeys, by: \.root) {
            for entry in try store.entries(root: root, paths: paths.map(\.path)) {
                if let at = index[FileKey(entry.root, entry.path)] {
                    entries[at] = entry
                } else {
                    entries.append(entry)
                    added = true
                }
            }
        }
        // The store returns its rows in this order already; only new files need placing.
        if added {
            entries.sort { a, b in
                a.root == b.root ? a.path.utf8.lexicographicallyPrecedes(b.path.utf8) : a.root.utf8.lexicographicallyPrecedes(b.root.utf8)
            }
        }
        return entries
    }

    /// The revision of parsing and of the stored format together.
    static let parserVersion = ContentParser.version * 1_000_000 + Extraction.binaryVersion * 1000 + FileDigest.binaryVersion

    /// Reads, hashes and (when the content is new) parses one file.
    /// Returns the change and whether the file was parsed.
    static func ingest(_ file: ScannedFile, previous: RegistryEntry?, limit: Int64) -> (RegistryChange, Bool) {
        // Every read is hashed, so unchanged content behind a new mtime (a touch,
        // a copy of the same file) is recognised later without a re-parse.
        switch FileReader.read(file.absolutePath, limit: limit) {
        case .vanished:
            // Gone between the scan and the read: it is a deletion, not a problem.
            return (.deleted(root: file.root, path: file.relativePath), false)
        case .failed(let reason):
            return (.ingested(entry(file, hash: nil, status: .skipped, shape: nil, reason: reason, hint: nil), nil, digest: nil), true)
        case .contents(let bytes, let hash):
            if let previous, previous.status != .deleted, previous.contentHash == hash,
                previous.parserVersion == parserVersion
            {
                // Touched but identical: keep the records, refresh the identity.
                return (
                    .restatted(
                        root: file.root, path: file.relativePath, device: file.device, inode: file.inode, size: file.size,
                        modifiedNanoseconds: file.modifiedNanoseconds), false
                )
            }
            let name = file.relativePath.split(separator: "/").last.map(String.init) ?? file.relativePath
            switch ContentParser.parse(bytes, fileName: name) {
            case .skipped(let reason):
                return (.ingested(entry(file, hash: hash, status: .skipped, shape: nil, reason: reason, hint: nil), nil, digest: nil), true)
            case .extracted(let extraction):
                if extraction.isEmpty {
                    let reason = "no benchmark data (\(extraction.shape.title) with no values)"
                    return (.ingested(entry(file, hash: hash, status: .skipped, shape: extraction.shape, reason: reason, hint: nil), nil, digest: nil), true)
                }
                // The digest analysis reads for reports, made now while the records are at hand.
                var noTwin: [RunFingerprint: Int]? = nil
                let digest = FileDigest(extraction, seen: &noTwin).encoded()
                var analysed = entry(file, hash: hash, status: .analyzed, shape: extraction.shape, reason: nil, hint: extraction.modelHint)
                analysed.groupKeys = extraction.runSets.map(Analyzer.rawGroupKey)
                var others = extraction
                others.runSets = []
                if !others.isEmpty || !others.notes.isEmpty || !others.environment.isEmpty {
                    analysed.groupKeys.append(ReportJob.otherResultsKey)
                }
                return (.ingested(analysed, extraction, digest: digest), true)
            }
        }
    }

    private static func entry(
        _ file: ScannedFile, hash: String?, status: RegistryEntry.Status, shape: Shape?, reason: String?, hint: String?
    ) -> RegistryEntry {
        RegistryEntry(
            root: file.root, path: file.relativePath, device: file.device, inode: file.inode, size: file.size,
            modifiedNanoseconds: file.modifiedNanoseconds, contentHash: hash, status: status, shape: shape, reason: reason,
            modelHint: hint, parserVersion: parserVersion, changedSequence: 0)
    }

    private func skipEntry(_ file: ScannedFile, _ previous: RegistryEntry?, reason: String) -> RegistryEntry {
        IngestPass.entry(file, hash: previous?.contentHash, status: .skipped, shape: nil, reason: reason, hint: nil)
    }

    /// The inputs without repeats, and without any that lies inside another
    /// input folder (it would be read, and counted, twice).
    static func distinctRoots(_ roots: [String]) -> [String] {
        var normalized: [String] = []
        for root in roots.map(Scanner.normalize) where !normalized.contains(root) { normalized.append(root) }
        let folders = normalized.filter { root in
            guard let info = Scanner.identity(of: root) else { return false }
            return (info.st_mode & S_IFMT) == S_IFDIR
        }
        return normalized.filter { root in
            !folders.contains { folder in folder != root && (folder == "/" || root.hasPrefix(folder + "/")) }
        }
    }

    /// A skip whose reason lies outside the file's content (permissions, the size
    /// limit, an ignore pattern) is looked at again on every pass: fixing the
    /// cause does not change the file's size or mtime.
    static func dependsOnSettings(_ entry: RegistryEntry) -> Bool {
        guard entry.status == .skipped, let reason = entry.reason else { return false }
        return reason.hasPrefix("unreadable") || reason.hasPrefix("too large") || reason.hasPrefix("ignored")
    }
}
