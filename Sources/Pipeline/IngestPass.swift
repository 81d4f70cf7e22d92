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
///
/// A pass is full (every file under the roots, the one-shot report and the
/// daemon's start and rescans) or targeted (the paths a settled inotify change
/// set names, the daemon's usual case). Either way it can start from the
/// registry as the previous pass left it, instead of reading it back.
package struct IngestPass: Sendable {
    /// A pass ended early because a stop was asked for (`run`'s `shouldStop`).
    package struct Stopped: Error, CustomStringConvertible {
        package var description: String { "stopped while reading files: the rest is read at the next start" }
    }

    package struct Ingested: Sendable {
        package var filesSeen: Int
        package var parsed: Int
        package var rehashedUnchanged: Int
        package var unchanged: Int
        package var deleted: Int
        /// Things under the roots that are not readable files, with the reason.
        package var problems: [ScanProblem]
        package var sequence: Int64
        /// What the pass covered: whole roots, or single files given as inputs.
        package var scope: [Scope]
        /// The registry under the covered roots after the pass (tombstones
        /// included), in (root, path) byte order.
        package var entries: [RegistryEntry]
        /// Files the pass found under a new name (their rows moved with them).
        package var renames: [Rename] = []
        /// Inputs that are not there (a root moved away or deleted): left
        /// out of `scope`, so their files are neither read nor deleted, but
        /// still part of what the report is about.
        package var missingRoots: [String] = []
        /// Roots reached through an input that is a symbolic link to a folder
        /// (`current -> runs/run-42`), with that link's path.
        package var linkedInputs: [String: String] = [:]

        /// What reports over these inputs are remembered under: every input,
        /// there or not, so a root that is briefly away does not make the next
        /// report "the first over these inputs" and hide its open regressions.
        /// A folder given through a link is remembered under the link: switched
        /// (`ln -sfn runs/run-43 current`), it keeps its reports, regressions
        /// and feed, where the folder it led to started a history of its own.
        package var reportKey: [String] { key { linkedInputs[$0] ?? $0 } }

        /// The key earlier builds remembered these inputs under: the folders
        /// links lead to, not the links (`ReportJob.adoptFolderHistory`).
        var folderReportKey: [String] { key { $0 } }

        /// Every input, a folder named by `named`.
        private func key(_ named: (String) -> String) -> [String] {
            (scope.map { item in item.onlyPath.map { item.root + "/" + $0 } ?? named(item.root) } + missingRoots.map(named)).sorted()
        }

        /// Files under the roots that are neither deleted nor out of scope.
        package var liveFiles: Int {
            entries.reduce(0) { count, entry in
                entry.status != .deleted && scope.contains { $0.contains(root: entry.root, path: entry.path) } ? count + 1 : count
            }
        }
    }

    /// A root folder, or one file in it when a file was given as input.
    package struct Scope: Sendable, Equatable {
        package var root: String
        package var onlyPath: String?

        package func contains(root: String, path: String) -> Bool {
            root == self.root && (onlyPath == nil || onlyPath == path)
        }
    }

    /// What a targeted pass looks at: paths relative to their (normalised) root.
    package struct Targets: Sendable {
        /// Files to stat: changed, new or gone. A path that turns out to be a
        /// folder is scanned whole.
        package var files: [Location]
        /// Folders to scan whole (`""` is the root itself): new, moved in, or
        /// not watchable. Registry entries under them that are gone are deleted.
        package var folders: [Location]
        /// Moves within a root, applied first: the files keep their records.
        package var renames: [Rename]

        package init(files: [Location] = [], folders: [Location] = [], renames: [Rename] = []) {
            self.files = files
            self.folders = folders
            self.renames = renames
        }

        package var isEmpty: Bool { files.isEmpty && folders.isEmpty && renames.isEmpty }
    }

    package struct Location: Sendable, Hashable {
        package var root: String
        package var path: String

        package init(root: String, path: String) {
            self.root = root
            self.path = path
        }
    }

    package struct Rename: Sendable, Equatable {
        package var root: String
        package var from: String
        package var to: String
        package var isFolder: Bool

        package init(root: String, from: String, to: String, isFolder: Bool) {
            self.root = root
            self.from = from
            self.to = to
            self.isFolder = isFolder
        }
    }

    package var roots: [String]
    /// Roots given through a symbolic link to a folder, with the link's path
    /// (`linkedRoots(of:)` of the paths as the user gave them, when they were
    /// resolved): reports over them are remembered under the link.
    package var linkedRoots: [String: String] = [:]
    package var excluded: [String]
    package var ignorePatterns: [String]
    package var maxFileBytes: Int64
    package var followExternalLinks = false
    /// Files written to the store per transaction.
    package var batchSize = 256
    /// The memory files being parsed at once may take together (`ParseBudget`).
    package var parseBudget = ParseBudget.standard
    /// Finished digests waiting for the store are written once they take this much.
    static let pendingLimit = 32 << 20

    /// What the store keeps of each parsed file (the report stage decides it:
    /// `FileSummarizer.analysis`).
    package var summarizer: FileSummarizer

    package init(roots: [String], excluded: [String], ignorePatterns: [String], maxFileBytes: Int64, summarizer: FileSummarizer) {
        self.summarizer = summarizer
        self.roots = roots
        self.excluded = excluded
        self.ignorePatterns = ignorePatterns
        self.maxFileBytes = maxFileBytes
    }

    /// What the pass saw, and which part of the registry it speaks for.
    private struct Observation {
        var files: [ScannedFile] = []
        var problems: [ScanProblem] = []
        /// Registry paths the observation covers: exact paths, and folders whose
        /// whole subtree was seen (`""`: the whole root).
        var exact: Set<Location> = []
        var subtrees: Set<Location> = []

        mutating func merge(_ other: Observation) {
            files += other.files
            problems += other.problems
            exact.formUnion(other.exact)
            subtrees.formUnion(other.subtrees)
        }

        func covers(_ root: String, _ path: String) -> Bool {
            if exact.contains(Location(root: root, path: path)) { return true }
            if subtrees.contains(Location(root: root, path: "")) { return true }
            var folder = Substring(path)
            while let slash = folder.utf8.lastIndex(of: UInt8(ascii: "/")) {
                folder = folder[..<slash]
                if subtrees.contains(Location(root: root, path: String(folder))) { return true }
            }
            return false
        }
    }

    /// Runs a pass. `previous` is the outcome of the last pass over the same
    /// roots (the daemon keeps it; its entries must still match the store);
    /// without it the registry is read from the store. Without `targets` every
    /// file is looked at. `heartbeat` is called between stages and batches, for
    /// the systemd watchdog. Once `shouldStop` says so (the daemon was asked
    /// to stop), no more files are started and the pass ends with `Stopped`:
    /// what was stored stays (the store is whole at every batch, as after a
    /// kill), and the rest is read at the next start.
    package func run(
        store: Store, logger: Logger, previous: Ingested? = nil, targets: Targets? = nil,
        heartbeat: @Sendable () -> Void = {}, shouldStop: @Sendable () -> Bool = { false }
    ) async throws -> Ingested {
        try await run(
            opening: .init(opened: store), logger: logger, previous: previous, targets: targets, heartbeat: heartbeat, shouldStop: shouldStop)
    }

    /// Runs a full pass whose store opens while the tree is stat'ed (a
    /// one-shot report: opening the store took 5 of its 90 milliseconds,
    /// mostly waiting on the disk); `opening.store()` is the store afterwards.
    package func run(opening: Store.Opening, logger: Logger) async throws -> Ingested {
        try await run(opening: opening, logger: logger, previous: nil, targets: nil, heartbeat: {}, shouldStop: { false })
    }

    private func run(
        opening: Store.Opening, logger: Logger, previous: Ingested?, targets: Targets?,
        heartbeat: @Sendable () -> Void, shouldStop: @Sendable () -> Bool
    ) async throws -> Ingested {
        let clock = ContinuousClock()
        let started = clock.now
        AllocatorSettings.applied
        let scanner = TreeScanner(excluded: excluded, followExternalLinks: followExternalLinks)
        let distinct = IngestPass.distinctRoots(roots)
        var scope: [Scope] = []
        var missingRoots: [String] = []
        for root in distinct {
            if let registered = TreeScanner.registryRoot(of: root) {
                scope.append(Scope(root: registered.root, onlyPath: registered.onlyPath))
            } else {
                missingRoots.append(TreeScanner.normalize(root))
            }
        }
        let scannedRoots = Array(Set(scope.map(\.root))).sorted(by: IngestPass.byteOrder)
        // Paths under roots this pass does not cover (a root nested in another
        // is registered under the outer one) are not its business.
        var targets = targets
        targets?.files.removeAll { !scannedRoots.contains($0.root) }
        targets?.folders.removeAll { !scannedRoots.contains($0.root) }
        targets?.renames.removeAll { !scannedRoots.contains($0.root) }
        // A link switched to another folder takes its files' histories
        // along first: a file at the same path there is tested against them.
        for (folder, link) in linkedRoots.sorted(by: { $0.key < $1.key }) where scannedRoots.contains(folder) {
            guard let left = try opening.store().follow(link: link, to: folder) else { continue }
            logger.info(
                "an input link leads to another folder: the history of its files goes with it",
                metadata: ["link": "\(link)", "from": "\(left)", "to": "\(folder)"])
        }
        // A file renamed from a name the registry never held (`results.csv.tmp`
        // written and moved over `results.csv` within one settle window) moves
        // no row: the file at its new name is read as any file written there
        // is, a rewrite that keeps the replaced version as its history. Taken
        // for a move, it was read afresh, its history lost.
        var renames: [Rename] = []
        for rename in targets?.renames ?? [] {
            let held = try rename.isFolder || !opening.store().entries(root: rename.root, paths: [rename.from]).isEmpty
            if held { renames.append(rename) }
        }
        if !renames.isEmpty {
            try opening.store().apply(renames.map { RegistryChange.renamed(root: $0.root, from: $0.from, to: $0.to, isFolder: $0.isFolder) })
        }
        // A file renamed to a name of another kind (`night.csv.new` to
        // `night.csv`, `hf.json` to `hf.json.old`) keeps its row and history,
        // and is parsed again: it gives what a scan of the tree would.
        let renamedToAnotherKind = Set(
            renames.filter { !$0.isFolder && !IngestPass.sameKind($0.from, $0.to) }.map { Location(root: $0.root, path: $0.to) })
        for location in renamedToAnotherKind where targets?.files.contains(location) == false { targets?.files.append(location) }

        var (registry, observation, covered) = try await scan(
            scanner: scanner, roots: distinct, scannedRoots: scannedRoots, previous: renames.isEmpty ? previous : nil,
            targets: targets, opening: opening, heartbeat: heartbeat)
        // A share not mounted leaves its mount point: an empty folder, not an emptied one.
        let vacant = targets == nil ? IngestPass.vacantMounts(scope: scope, registry: registry, files: observation.files) : []
        if !vacant.isEmpty {
            scope.removeAll { vacant.contains($0.root) }
            missingRoots += vacant
            registry.removeAll { vacant.contains($0.root) }
            covered.removeAll { vacant.contains($0.root) }
            observation.problems += vacant.map { ScanProblem(root: $0, relativePath: ".", skip: .shareNotMounted) }
            for root in vacant {
                logger.warning(
                    "watch folder holds none of its files and is on another file system than they were (a share not mounted?): its files are left out, not counted as deleted",
                    metadata: ["folder": "\(root)"])
            }
        }
        let store = try opening.store()
        let scannedAt = clock.now
        heartbeat()
        let classified = try classify(observation.files, covered: covered, scope: scope, store: store, reparse: renamedToAnotherKind)
        var sequence = try store.apply(classified.changes)
        let classifiedAt = clock.now
        heartbeat()
        if shouldStop() { throw Stopped() }
        let read = try await readAndStore(classified.work, store: store, after: sequence, heartbeat: heartbeat, shouldStop: shouldStop)
        sequence = read.sequence
        func ms(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> String {
            String(Int(((to - from).seconds * 1000).rounded()))
        }
        // An ignored name is ignored whatever it is: emacs' `.#runs.csv` lock
        // is a link to nowhere, and was listed (and reported) as a broken one.
        let ignore = IgnoreRules(ignorePatterns)
        var problems = observation.problems.map { problem in
            guard let pattern = ignore.match(problem.relativePath) else { return problem }
            return ScanProblem(root: problem.root, relativePath: problem.relativePath, skip: .ignored(pattern: pattern))
        }
        if targets != nil, let previous {
            // Problems elsewhere still stand; those the pass looked at again are replaced.
            problems = previous.problems.filter { !observation.covers($0.root, $0.relativePath) } + problems
            problems.sort { IngestPass.byteOrder(($0.root, $0.relativePath), ($1.root, $1.relativePath)) }
        }
        var outcome = Ingested(
            filesSeen: 0, parsed: read.parsed, rehashedUnchanged: read.rehashed, unchanged: classified.unchanged,
            deleted: classified.deleted + read.vanished, problems: problems, sequence: sequence, scope: scope,
            entries: try updatedEntries(registry, changedKeys: classified.touched, store: store))
        outcome.renames = classified.renames
        outcome.missingRoots = missingRoots
        // Every folder a link led to, there or not: one gone (`rm -rf run-43`)
        // or a share not mounted behind a link is still remembered under the link.
        outcome.linkedInputs = linkedRoots
        outcome.filesSeen = outcome.liveFiles + problems.count
        logger.debug(
            "ingest pass done",
            metadata: [
                "mode": "\(targets == nil ? "full" : "targeted")",
                "scan_ms": "\(ms(started, scannedAt))", "registry_ms": "\(ms(scannedAt, classifiedAt))",
                "read_ms": "\(ms(classifiedAt, clock.now))",
                "files_looked_at": "\(observation.files.count)", "parsed": "\(read.parsed)",
                "unchanged": "\(classified.unchanged + read.rehashed)", "deleted": "\(classified.deleted + read.vanished)",
            ])
        return outcome
    }

    /// Stats the tree (or the targets) and loads the registry beside it,
    /// unless the last pass's is at hand; both come back in (root, path) byte
    /// order, with the registry entries the observation speaks for.
    private func scan(
        scanner: TreeScanner, roots: [String], scannedRoots: [String], previous: Ingested?, targets: Targets?, opening: Store.Opening,
        heartbeat: () -> Void
    ) async throws -> (registry: [RegistryEntry], observation: Observation, covered: [RegistryEntry]) {
        var registry: [RegistryEntry]
        var observation: Observation
        if let previous {
            registry = previous.entries
            observation = try observe(scanner: scanner, roots: roots, targets: targets, heartbeat: heartbeat)
        } else {
            // The registry loads while the tree is stat'ed (the store opening
            // first, when it is not open yet): on a large tree these are the
            // largest costs of a pass that finds little changed.
            async let loaded = opening.store().lightEntries(roots: scannedRoots)
            observation = try observe(scanner: scanner, roots: roots, targets: targets, heartbeat: heartbeat)
            registry = try await loaded
        }
        if targets != nil {
            // A file written through one of its hard links changed under its
            // other names too, which no event names (`cp -al` snapshots,
            // `rsync --link-dest`): they are looked at with it.
            let others = IngestPass.otherNames(of: observation.files, in: registry, outside: observation)
            if !others.isEmpty {
                let more = try observe(scanner: scanner, roots: roots, targets: Targets(files: others), heartbeat: heartbeat)
                observation.merge(more)
            }
        }
        // Both lists in (root, path) byte order, so they are joined by one merge
        // walk instead of hashing every path of the tree (twice). SQLite's ORDER
        // BY gives this order; the check costs one comparison per row.
        if zip(registry, registry.dropFirst()).contains(where: { IngestPass.byteOrder(($1.root, $1.path), ($0.root, $0.path)) }) {
            registry.sort { IngestPass.byteOrder(($0.root, $0.path), ($1.root, $1.path)) }
        }
        observation.files.sort { IngestPass.byteOrder(($0.root, $0.relativePath), ($1.root, $1.relativePath)) }
        let covered = targets == nil ? registry : IngestPass.coveredEntries(registry, by: observation)
        return (registry, observation, covered)
    }

    /// Stats what the pass covers: every root, or just the targets.
    private func observe(scanner: TreeScanner, roots: [String], targets: Targets?, heartbeat: () -> Void) throws -> Observation {
        var observation = Observation()
        guard let targets else {
            for root in roots {
                do {
                    let result = try scanner.scan(root: root)
                    observation.files += result.files
                    observation.problems += result.problems
                } catch {
                    // A root that vanished (or cannot be read) does not stop the
                    // others; the scope leaves it out, and the report says so.
                    observation.problems.append(ScanProblem(root: TreeScanner.normalize(root), relativePath: ".", skip: error.cause))
                }
                heartbeat()
            }
            return observation
        }
        var folders = targets.folders
        for target in targets.files where !observation.exact.contains(target) {
            switch scanner.examine(root: target.root, relative: target.path) {
            case .file(let file): observation.files.append(file)
            case .problem(let problem): observation.problems.append(problem)
            case .folder:
                // Scanned whole below, like the folders the targets name.
                folders.append(target)
                continue
            case .nothing:
                // Gone: a file, or a folder with everything that was under it.
                observation.subtrees.insert(target)
            }
            observation.exact.insert(target)
        }
        // Outer folders first, so a folder inside one already scanned is skipped.
        for folder in Set(folders).sorted(by: { $0.path.utf8.count < $1.path.utf8.count }) {
            if observation.subtrees.contains(where: {
                $0.root == folder.root && ($0.path.isEmpty || folder.path == $0.path || folder.path.hasPrefix($0.path + "/"))
            }) {
                continue
            }
            let result = scanner.scan(root: folder.root, folder: folder.path)
            observation.subtrees.insert(folder)
            observation.exact.insert(folder)
            observation.files += result.files
            observation.problems += result.problems
        }
        // A file seen both on its own and inside a scanned folder counts once.
        var seen = Set<Location>()
        observation.files = observation.files.filter { seen.insert(Location(root: $0.root, path: $0.relativePath)).inserted }
        return observation
    }

    /// Registry paths that are hard links of files observed (the same device
    /// and inode) under another name the observation does not cover.
    private static func otherNames(of files: [ScannedFile], in registry: [RegistryEntry], outside observation: Observation) -> [Location] {
        // Only files with more than one name have others: usually none, and
        // the registry is not walked.
        let identities = Set(files.lazy.filter { $0.linkCount > 1 }.map(\.identity))
        guard !identities.isEmpty else { return [] }
        return registry.lazy
            .filter { $0.status != .deleted && identities.contains(FileIdentity(device: $0.device, inode: $0.inode)) }
            .filter { !observation.covers($0.root, $0.path) }
            .map { Location(root: $0.root, path: $0.path) }
    }

    /// The registry entries a targeted observation speaks for, in order: exact
    /// paths, and the contiguous byte-order range of each scanned subtree.
    private static func coveredEntries(_ registry: [RegistryEntry], by observation: Observation) -> [RegistryEntry] {
        func firstIndex(notBefore key: (root: String, path: String)) -> Int {
            IngestPass.firstIndex(in: registry, notBefore: key)
        }
        var indices = Set<Int>()
        for location in observation.exact {
            let at = firstIndex(notBefore: (location.root, location.path))
            if at < registry.count, registry[at].root == location.root, registry[at].path == location.path { indices.insert(at) }
        }
        for folder in observation.subtrees {
            let prefix = folder.path.isEmpty ? "" : folder.path + "/"
            var at = firstIndex(notBefore: (folder.root, prefix))
            while at < registry.count, registry[at].root == folder.root, registry[at].path.utf8.starts(with: prefix.utf8) {
                indices.insert(at)
                at += 1
            }
        }
        return indices.sorted().map { registry[$0] }
    }

    /// The registry as it stands after the pass: what was known at its start,
    /// with the entries it changed read back (few, in the usual pass), in
    /// (root, path) byte order.
    private func updatedEntries(
        _ registry: [RegistryEntry], changedKeys: [(root: String, path: String)], store: Store
    ) throws
        -> [RegistryEntry]
    {
        var entries = registry
        var added = false
        var vanished: Set<Int> = []
        for (root, paths) in Dictionary(grouping: changedKeys, by: \.root) {
            let fresh = try store.entries(root: root, paths: paths.map(\.path))
            for entry in fresh {
                let low = IngestPass.firstIndex(in: registry, notBefore: (entry.root, entry.path))
                if low < registry.count, registry[low].root == entry.root, registry[low].path == entry.path {
                    entries[low] = entry
                } else {
                    entries.append(entry)
                    added = true
                }
            }
            // A key the store no longer has was renamed away: its row moved.
            guard fresh.count < paths.count else { continue }
            let kept = Set(fresh.map(\.path))
            for path in paths.map(\.path) where !kept.contains(path) {
                let low = IngestPass.firstIndex(in: registry, notBefore: (root, path))
                if low < registry.count, registry[low].root == root, registry[low].path == path { vanished.insert(low) }
            }
        }
        if !vanished.isEmpty { entries = entries.enumerated().filter { !vanished.contains($0.offset) }.map(\.element) }
        // Only new files need placing; the rest are in order already.
        if added { entries.sort { IngestPass.byteOrder(($0.root, $0.path), ($1.root, $1.path)) } }
        return entries
    }

    /// The first position in `registry` (in byte order) whose entry is not
    /// before `key`: where the key's entry is, or would go.
    static func firstIndex(in registry: [RegistryEntry], notBefore key: (root: String, path: String)) -> Int {
        var low = 0
        var high = registry.count
        while low < high {
            let middle = (low + high) / 2
            if byteOrder((registry[middle].root, registry[middle].path), key) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The order the registry returns its rows in (SQLite compares text as
    /// bytes), for roots and for (root, path) pairs.
    static func byteOrder(_ a: String, _ b: String) -> Bool {
        ByteOrder.precedes(a, b)
    }

    static func byteOrder(_ a: (root: String, path: String), _ b: (root: String, path: String)) -> Bool {
        a.root == b.root ? byteOrder(a.path, b.path) : byteOrder(a.root, b.root)
    }

    /// The revision of parsing and of the stored summary together: files read
    /// by another are read again.
    static func parserVersion(_ summarizer: FileSummarizer) -> Int {
        ContentParser.version * 1_000_000_000_000 + Extraction.binaryVersion * 1_000_000_000 + summarizer.version
    }

    var parserVersion: Int { IngestPass.parserVersion(summarizer) }

    /// What a finished change holds in memory until it is stored.
    static func footprint(_ change: RegistryChange) -> Int {
        guard case .ingested(_, let digest) = change else { return 0 }
        return digest?.count ?? 0
    }

    /// Reads, hashes and (when the content is new) parses one file.
    /// Returns the change and whether the file was parsed.
    static func ingest(
        _ file: ScannedFile, previous: RegistryEntry?, limit: Int64, summarizer: FileSummarizer
    ) -> (RegistryChange, Bool) {
        let parserVersion = IngestPass.parserVersion(summarizer)
        func entry(
            _ file: ScannedFile, hash: String?, status: RegistryEntry.Status, shape: Shape?, reason: SkipReason?, hint: String?
        ) -> RegistryEntry {
            IngestPass.entry(file, hash: hash, status: status, shape: shape, reason: reason, hint: hint, version: parserVersion)
        }
        // Every read is hashed, so unchanged content behind a new mtime (a touch,
        // a copy of the same file) is recognised later without a re-parse.
        let read = FileReader.read(file.absolutePath, limit: limit, scanned: file.identity)
        switch consume read {
        case .vanished:
            // Gone between the scan and the read: it is a deletion, not a problem.
            return (.deleted(root: file.root, path: file.relativePath), false)
        case .failed(let reason):
            return (.ingested(entry(file, hash: nil, status: .skipped, shape: nil, reason: reason, hint: nil), digest: nil), true)
        case .contents(let bytes, let hash):
            // Not for an ignored file (its hash says nothing of what the content
            // yields), nor a reason stored without its code (parsed once, to store it).
            if let previous, previous.status != .deleted, previous.contentHash == hash,
                previous.parserVersion == parserVersion, previous.reasonCode != .ignored, previous.reasonCode != .legacy
            {
                // Touched but identical: keep the records, refresh the identity.
                return (
                    .restatted(
                        root: file.root, path: file.relativePath, device: file.device, inode: file.inode, size: file.size,
                        modifiedNanoseconds: file.modifiedNanoseconds), false
                )
            }
            let name = file.relativePath.split(separator: "/").last.map(String.init) ?? file.relativePath
            // Told before the parser takes the bytes: appended to, or rewritten?
            let continues = IngestPass.continues(previous, with: bytes)
            // A run table written afresh, whose earlier nights only the store can keep (benchmark files' versions are kept either way);
            // a log of appended undated runs appended to, whose version the file holds still (`Store.keepHistory`).
            let rewrites = previous?.shape?.carriesRuns == true && continues == false
            let appends = previous?.shape?.appendsUndatedRuns == true && previous?.status == .analyzed && continues == true
            // What the hash covers: a file still growing may hold more than the scan saw.
            let hashedSize = Int64(bytes.count)
            // The parser takes the bytes and lets them go when it can (a
            // transcoded file's), rather than this frame holding them throughout.
            switch ContentParser.parse(consume bytes, fileName: name, path: file.relativePath) {
            case .skipped(let reason):
                return (.ingested(entry(file, hash: hash, status: .skipped, shape: nil, reason: reason, hint: nil), digest: nil), true)
            case .extracted(let extraction):
                // A harness's `env.json` of names only is read for the machine it names.
                if extraction.isEmpty, !(extraction.shape == .genericJSON && !extraction.environment.isEmpty) {
                    // What the reading left out says why nothing is left.
                    let said = extraction.notes.first.map {
                        "; " + $0 + (extraction.notes.count > 1 ? " (and \(extraction.notes.count - 1) more)" : "")
                    }
                    let reason = SkipReason.noBenchmarkData("\(extraction.shape.title) with no values" + (said ?? ""))
                    return (
                        .ingested(entry(file, hash: hash, status: .skipped, shape: extraction.shape, reason: reason, hint: nil), digest: nil),
                        true
                    )
                }
                // What reports read, made now while the records are at hand:
                // the store keeps it and lets the records go.
                let summary = summarizer.summarize(extraction)
                var analysed = entry(file, hash: hash, status: .analyzed, shape: extraction.shape, reason: nil, hint: extraction.modelHint)
                analysed.groupKeys = summary.groupKeys
                analysed.rewritesAnalysedContent = rewrites
                analysed.appendsToAnalysedContent = appends
                analysed.size = hashedSize
                return (.ingested(analysed, digest: summary.digest), true)
            }
        }
    }

    /// Whether `bytes` begin with the content `previous` was read with (a
    /// file appended to) or not (rewritten); nil when that is not known
    /// (no such file, skipped, or of a kind where it does not matter). A
    /// deleted file's last version counts too: a harness that deletes its
    /// results before writing the next ones rewrites them all the same.
    static func continues(_ previous: RegistryEntry?, with bytes: [UInt8]) -> Bool? {
        guard let previous, previous.status != .skipped, let shape = previous.shape, shape.carriesRuns || shape.appendsUndatedRuns,
            let hash = previous.contentHash
        else { return nil }
        return FileReader.begins(bytes, withContentOf: previous.size, hash: hash)
    }

    private static func entry(
        _ file: ScannedFile, hash: String?, status: RegistryEntry.Status, shape: Shape?, reason: SkipReason?, hint: String?,
        version: Int
    ) -> RegistryEntry {
        RegistryEntry(
            root: file.root, path: file.relativePath, device: file.device, inode: file.inode, size: file.size,
            modifiedNanoseconds: file.modifiedNanoseconds, contentHash: hash, status: status, shape: shape, reason: reason?.text,
            reasonCode: reason?.code, modelHint: hint, parserVersion: version, changedSequence: 0)
    }

    func skipEntry(_ file: ScannedFile, _ previous: RegistryEntry?, reason: SkipReason) -> RegistryEntry {
        IngestPass.entry(file, hash: previous?.contentHash, status: .skipped, shape: nil, reason: reason, hint: nil, version: parserVersion)
    }

    /// The folders `paths` that are symbolic links lead to now, each with
    /// the link's path (the first such path's, when several lead to one).
    package static func linkedRoots(of paths: [String]) -> [String: String] {
        var linked: [String: String] = [:]
        for path in paths {
            guard let link = TreeScanner.linkPath(of: path), let registered = TreeScanner.registryRoot(of: path),
                registered.onlyPath == nil, registered.root != link, linked[registered.root] == nil
            else { continue }
            linked[registered.root] = link
        }
        return linked
    }

    /// The inputs without repeats, and without any that lies inside another
    /// input folder (it would be read, and counted, twice).
    package static func distinctRoots(_ roots: [String]) -> [String] {
        var normalized: [String] = []
        for root in roots.map(TreeScanner.normalize) where !normalized.contains(root) { normalized.append(root) }
        // A root that is not there counts as a folder: one inside it (away
        // with it) is still read under it when it comes back.
        let folders = normalized.filter { root in
            guard let info = TreeScanner.identity(of: root) else { return true }
            return (info.st_mode & S_IFMT) == S_IFDIR
        }
        return normalized.filter { root in
            !folders.contains { folder in folder != root && (folder == "/" || root.hasPrefix(folder + "/")) }
        }
    }

    /// The scanned roots that are a share's mount point while it is not
    /// mounted: nothing in them now, files in the registry under them, and
    /// none of those on the file system the folder is on now. Their files
    /// are left out of the reports, as a root that went away, where counting
    /// them deleted closed their open regressions as deleted with their
    /// files. A folder emptied on its own file system is emptied.
    static func vacantMounts(scope: [Scope], registry: [RegistryEntry], files: [ScannedFile]) -> [String] {
        let roots = Set(scope.filter { $0.onlyPath == nil }.map(\.root)).subtracting(files.map(\.root))
        guard !roots.isEmpty else { return [] }
        var devices: [String: Set<UInt64>] = [:]
        for entry in registry where entry.status != .deleted && roots.contains(entry.root) {
            devices[entry.root, default: []].insert(entry.device)
        }
        // Empty, not only of files: files deleted under a folder that is a
        // mount of its own leave the folder, and they are deleted.
        return devices.compactMap { root, devices in
            guard let folder = TreeScanner.identity(of: root), EmptyFolder.holdsNothing(root) else { return nil }
            return devices.contains(UInt64(folder.st_dev)) ? nil : root
        }.sorted()
    }

    /// A skip whose reason lies outside the file's content (permissions, the size
    /// limit, an ignore pattern, what the path was at the moment it was opened)
    /// is looked at again on every pass: fixing the cause does not change the
    /// file's size or mtime. So is one whose kind is not known (stored before
    /// reasons had codes). Decided by the code, never by the text.
    static func dependsOnSettings(_ entry: RegistryEntry) -> Bool {
        guard entry.status == .skipped, let code = entry.reasonCode else { return false }
        switch code {
        case .unreadable, .unreadableFolder, .tooLarge, .ignored, .notRegularFile, .becameSymbolicLink, .legacy:
            return true
        // Its ceilings are fixed: only new content or a new parser changes
        // the outcome. (While reasons were text, it began "too large" like the
        // size limit's, and was read and hashed again on every pass.)
        case .tooLargeToRead, .fileNameNotUTF8, .folderNameNotUTF8, .brokenSymbolicLink, .linkOutsideInput, .linkToInputFolder,
            .linkReadUnderTarget, .inputUnreadable, .inputNotFileOrFolder, .shareNotMounted, .emptyFile, .unsupportedType, .notText,
            .unparsable, .noBenchmarkData, .storedRecordsUnreadable, .copyOfAnother, .chimeradReport:
            return false
        }
    }
}
