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
    }

    /// Joins the scanned files with the registry entries they cover, both in
    /// (root, path) byte order, in one merge walk. A file whose size, mtime,
    /// inode and parser are as recorded is unchanged; an entry with no file
    /// left under it (in scope) is deleted; ignore patterns come first.
    func classify(
        _ files: [ScannedFile], covered: [RegistryEntry], scope: [Scope], store: Store
    ) throws -> Classification {
        let ignore = IgnoreRules(ignorePatterns)
        var result = Classification()
        var next = 0
        /// A registry entry with no file under it any more.
        func gone(_ entry: RegistryEntry) {
            // Only what this pass covered can lose files.
            guard entry.status != .deleted, scope.contains(where: { $0.contains(root: entry.root, path: entry.path) }) else { return }
            result.changes.append(.deleted(root: entry.root, path: entry.path))
            result.touched.append((entry.root, entry.path))
            result.deleted += 1
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
            if let previous, previous.status != .deleted, previous.parserVersion == parserVersion,
                previous.size == file.size, previous.modifiedNanoseconds == file.modifiedNanoseconds,
                previous.inode == file.inode, previous.device == file.device,
                !IngestPass.dependsOnSettings(previous)
            {
                result.unchanged += 1
                continue
            }
            // Only files that moved need their stored hash, to tell a touch from an edit.
            var withHash = previous
            if let previous, previous.status != .deleted {
                withHash?.contentHash = try store.contentHash(root: previous.root, path: previous.path)
            }
            result.work.append(Work(file: file, previous: withHash))
            result.touched.append((file.root, file.relativePath))
        }
        for entry in covered[next...] { gone(entry) }
        return result
    }
}
