import Ingest
import Records
import Store

extension IngestPass {
    /// A file the pass must read, with what the registry had for it (its
    /// content hash included, to tell a touch from an edit).
    struct Work: Sendable {
        var file: ScannedFile
        var previous: RegistryEntry?
    }

    /// What the scan says against the registry: files to read, changes
    /// known without reading (deletions, newly ignored files), and counts.
    struct Classification {
        var work: [Work] = []
        var changes: [RegistryChange] = []
        /// Every registry key the pass changes or reads.
        var touched: [(root: String, path: String)] = []
        var unchanged = 0
        var deleted = 0
        /// Files found under a new name (see `pairRenames`).
        var renames: [Rename] = []
    }

    /// Joins the scanned files with the registry entries they cover, both in
    /// (root, path) byte order, in one merge walk. A file whose size, mtime,
    /// inode and parser are as recorded is unchanged; an entry with no file
    /// left under it (in scope) is deleted, unless its file is found under a
    /// new name (`pairRenames`); ignore patterns come first. Files at
    /// `reparse` are parsed again whatever their registry says (renamed
    /// under the daemon's eyes to a name of another kind).
    func classify(
        _ files: [ScannedFile], covered: [RegistryEntry], scope: [Scope], store: Store, reparse: Set<Location> = []
    ) throws -> Classification {
        let ignore = IgnoreRules(ignorePatterns)
        var result = Classification()
        var next = 0
        var goneEntries: [RegistryEntry] = []
        /// Positions in `result.work` of files the registry did not have, or
        /// had as another file (another inode): where a moved file may be.
        var newFiles: [Int] = []
        /// Entries whose path now holds another file (another inode), with the
        /// position of that file's work: a results file rotated away
        /// (`mv results.csv results-1.csv`, then a new `results.csv`) may be
        /// found under its new name.
        var replaced: [(entry: RegistryEntry, position: Int)] = []
        /// A registry entry with no file under it any more.
        func gone(_ entry: RegistryEntry) {
            // Only what this pass covered can lose files.
            guard entry.status != .deleted, scope.contains(where: { $0.contains(root: entry.root, path: entry.path) }) else { return }
            goneEntries.append(entry)
        }
        for file in files {
            let key = (file.root, file.relativePath)
            while next < covered.count, IngestPass.byteOrder((covered[next].root, covered[next].path), key) {
                gone(covered[next])
                next += 1
            }
            var previous: RegistryEntry?
            if next < covered.count, covered[next].path == file.relativePath, covered[next].root == file.root {
                previous = covered[next]
                next += 1
            }
            // Ignore patterns come first: a pattern added to the config applies to
            // files already analysed.
            if let pattern = ignore.match(file.relativePath) {
                let reason = SkipReason.ignored(pattern: pattern)
                if previous?.reasonCode != reason.code || previous?.reason != reason.text || previous?.status == .deleted {
                    result.changes.append(.ingested(skipEntry(file, previous, reason: reason), digest: nil))
                    result.touched.append((file.root, file.relativePath))
                }
                continue
            }
            let mustParse = !reparse.isEmpty && reparse.contains(Location(root: file.root, path: file.relativePath))
            if let previous, previous.status != .deleted, previous.parserVersion == parserVersion,
                previous.size == file.size, previous.modifiedNanoseconds == file.modifiedNanoseconds,
                previous.inode == file.inode, previous.device == file.device,
                !IngestPass.dependsOnSettings(previous), !mustParse
            {
                result.unchanged += 1
                continue
            }
            // Only files that moved need their stored hash, to tell a touch from an edit;
            // and a file written where one that keeps history was deleted, to tell
            // whether that one's last version becomes history.
            var withHash = previous
            if mustParse {
                withHash?.contentHash = nil
            } else if let previous, previous.status != .deleted || previous.shape?.keepsHistory == true {
                withHash?.contentHash = try store.contentHash(root: previous.root, path: previous.path)
            }
            if let previous, previous.status != .deleted, previous.inode == file.inode, previous.device == file.device {
                // The same file as before, changed in place.
            } else {
                if let previous, previous.status != .deleted { replaced.append((previous, result.work.count)) }
                newFiles.append(result.work.count)
            }
            result.work.append(Work(file: file, previous: withHash))
            result.touched.append((file.root, file.relativePath))
        }
        for entry in covered[next...] { gone(entry) }
        let moved = try pairRenames(gone: goneEntries, replaced: replaced, new: newFiles, in: &result, store: store)
        for (index, entry) in goneEntries.enumerated() where !moved.contains(index) {
            result.changes.append(.deleted(root: entry.root, path: entry.path))
            result.touched.append((entry.root, entry.path))
            result.deleted += 1
        }
        return result
    }

    /// Files that left one name and appeared under another since the last
    /// pass (moved while nobody watched, or by a one-shot `report`), over a
    /// new name or an existing file's: the same device, inode, size and mtime
    /// to the nanosecond. They keep their registry row, so their history
    /// (what reports read of their sessions) moves with them; they are read
    /// again only when the parser or the settings that skipped them changed.
    /// A `replaced` entry (its name holds another file now) that moved leaves
    /// that other file a new row of its own: a rotated results file's
    /// sessions stay history, the new file's are new. Returns the positions
    /// in `gone` that moved.
    private func pairRenames(
        gone: [RegistryEntry], replaced: [(entry: RegistryEntry, position: Int)], new: [Int], in result: inout Classification,
        store: Store
    ) throws -> Set<Int> {
        struct Identity: Hashable {
            var root: String
            var device: UInt64
            var inode: UInt64
            var size: Int64
            var modified: Int64
        }
        guard !gone.isEmpty || !replaced.isEmpty, !new.isEmpty else { return [] }
        // Candidates by position: the gone entries, then the replaced ones.
        let candidates = gone + replaced.map(\.entry)
        var byIdentity: [Identity: Int] = [:]
        for (index, entry) in candidates.enumerated() {
            let identity = Identity(
                root: entry.root, device: entry.device, inode: entry.inode, size: entry.size, modified: entry.modifiedNanoseconds)
            // Two rows claiming one file: neither is taken for the other.
            byIdentity[identity] = byIdentity[identity] == nil ? index : -1
        }
        // Logs and run tables that grow, by file alone: one moved and then
        // appended to before the next pass has another size and time.
        var growing: [Identity: Int] = [:]
        for (index, entry) in candidates.enumerated() where entry.status == .analyzed && IngestPass.grows(entry.shape) {
            let identity = Identity(root: entry.root, device: entry.device, inode: entry.inode, size: 0, modified: 0)
            growing[identity] = growing[identity] == nil ? index : -1
        }
        var moved: Set<Int> = []
        var taken: Set<Int> = []
        for position in new {
            let file = result.work[position].file
            let identity = Identity(
                root: file.root, device: file.device, inode: file.inode, size: file.size, modified: file.modifiedNanoseconds)
            if byIdentity[identity] == nil,
                let index = growing[Identity(root: file.root, device: file.device, inode: file.inode, size: 0, modified: 0)], index >= 0,
                !moved.contains(index), var previous = try movedAndGrown(candidates[index], file, store: store)
            {
                // Read as the moved row changed: its new runs are a night of
                // its history, not a file whose every night is one.
                moved.insert(index)
                if index >= gone.count { result.work[replaced[index - gone.count].position].previous = nil }
                let from = previous.path
                previous.path = file.relativePath
                result.work[position].previous = previous
                result.renames.append(Rename(root: file.root, from: from, to: file.relativePath, isFolder: false))
                result.touched.append((file.root, from))
                continue
            }
            guard let index = byIdentity[identity], index >= 0, moved.insert(index).inserted else { continue }
            let from = candidates[index].path
            if index >= gone.count {
                // Its old name holds a new file now: that one is new, not this one changed.
                result.work[replaced[index - gone.count].position].previous = nil
            }
            // A file renamed to a name of another kind is read again, as a scan
            // of the tree would read it: the parser follows the extension
            // (`night.csv.new`, of no known type, renamed into place as
            // `night.csv`, is a run table; `hf.json` set aside as
            // `hf.json.old`, or `runs.csv` rotated to `runs.csv.1`, is
            // skipped: a one-shot or a new store never counted it).
            let keepsItsParse = IngestPass.sameKind(from, file.relativePath)
            if candidates[index].parserVersion == parserVersion && !IngestPass.dependsOnSettings(candidates[index]) && keepsItsParse {
                taken.insert(position)
            } else {
                // Read again as the moved row (its hash tells a re-parse from an
                // edit; under a name of another kind, the same bytes are parsed anew).
                var previous = candidates[index]
                previous.path = file.relativePath
                previous.contentHash = keepsItsParse ? try store.contentHash(root: previous.root, path: from) : nil
                result.work[position].previous = previous
            }
            result.renames.append(Rename(root: file.root, from: from, to: file.relativePath, isFolder: false))
            result.touched.append((file.root, from))
        }
        result.changes += IngestPass.registryOrder(result.renames)
        if !taken.isEmpty {
            result.work = result.work.enumerated().filter { !taken.contains($0.offset) }.map(\.element)
        }
        return moved.filter { $0 < gone.count }
    }

    /// Shapes a harness appends to (run tables, undated logs).
    static func grows(_ shape: Shape?) -> Bool {
        shape.map { $0.carriesRuns || $0.appendsUndatedRuns } ?? false
    }

    /// `entry`, with its stored content hash, when `file` (the inode it was
    /// read from) is that file moved and then grown: larger, of the same
    /// kind, and continuing the content `entry` was read with (an inode
    /// freed and given to another file begins otherwise); nil when not.
    /// Reads the file; only a file of a growing kind that left one name and
    /// appeared larger under another gets here.
    private func movedAndGrown(_ entry: RegistryEntry, _ file: ScannedFile, store: Store) throws -> RegistryEntry? {
        guard file.size > entry.size, IngestPass.sameKind(entry.path, file.relativePath) else { return nil }
        var withHash = entry
        withHash.contentHash = try store.contentHash(root: entry.root, path: entry.path)
        guard case .contents(let bytes, _) = FileReader.read(file.absolutePath, limit: maxFileBytes, scanned: file.identity),
            IngestPass.continues(withHash, with: bytes) == true
        else { return nil }
        return withHash
    }

    /// Whether two paths name files of one kind: the same extension, case aside.
    static func sameKind(_ a: String, _ b: String) -> Bool {
        func fileExtension(_ path: String) -> String {
            ContentParser.fileExtension(String(path.split(separator: "/").last ?? Substring(path)))
        }
        return fileExtension(a) == fileExtension(b)
    }

    /// Renames in the order the registry can apply them, one row at a time:
    /// each after the one that empties its destination (`results-1 →
    /// results-2` before `results → results-1`, as a rotation moves them),
    /// and a cycle (two files swapped) through a temporary name no file has.
    static func registryOrder(_ renames: [Rename]) -> [RegistryChange] {
        struct Place: Hashable {
            var root: String
            var path: String
        }
        var bySource: [Place: Int] = [:]
        for (index, rename) in renames.enumerated() { bySource[Place(root: rename.root, path: rename.from)] = index }
        var done = Set<Int>()
        var changes: [RegistryChange] = []
        func change(_ rename: Rename, from: String? = nil, to: String? = nil) -> RegistryChange {
            .renamed(root: rename.root, from: from ?? rename.from, to: to ?? rename.to, isFolder: rename.isFolder)
        }
        for start in renames.indices where !done.contains(start) {
            // Follow the chain of renames whose source is this one's destination.
            var chain = [start]
            var isCycle = false
            var inChain: Set<Int> = [start]
            while let last = chain.last, let next = bySource[Place(root: renames[last].root, path: renames[last].to)], !done.contains(next) {
                // Each name is one rename's source and one's destination at most,
                // so a chain comes back only to its start.
                guard inChain.insert(next).inserted else {
                    isCycle = next == start
                    break
                }
                chain.append(next)
            }
            done.formUnion(chain)
            guard isCycle, let last = chain.last else {
                changes += chain.reversed().map { change(renames[$0]) }
                continue
            }
            // The last of the cycle waits under a name no scan finds ("\u{0}" is in no path).
            let parked = "\u{0}chimerad-rename-\(start)"
            changes.append(change(renames[last], to: parked))
            changes += chain.dropLast().reversed().map { change(renames[$0]) }
            changes.append(change(renames[last], from: parked))
        }
        return changes
    }
}
