/// A file or folder under a watched root: the root as configured (normalised)
/// and the path relative to it (`""` for the root itself).
package struct WatchedPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    package var root: String
    package var path: String

    package init(root: String, path: String) {
        self.root = root
        self.path = path
    }

    package var absolute: String {
        path.isEmpty ? root : (root == "/" ? "/" + path : root + "/" + path)
    }

    package var description: String { absolute }

    package static func < (a: WatchedPath, b: WatchedPath) -> Bool {
        a.root == b.root ? a.path.utf8.lexicographicallyPrecedes(b.path.utf8) : a.root.utf8.lexicographicallyPrecedes(b.root.utf8)
    }
}

/// What settled under the watched roots since the last change set: the unit of
/// work the daemon re-ingests and reports on.
///
/// Paths are candidates, not verdicts: ingest stats each one and decides (a
/// file written then deleted within the window shows up in both `written` and
/// `removed`, and ingest finds it gone).
package struct ChangeSet: Sendable, Equatable {
    /// Files closed after writing, moved in, or quiet after being appended to.
    package var written: Set<WatchedPath> = []
    /// Files and folders deleted or moved out of the roots.
    package var removed: Set<WatchedPath> = []
    /// Renames within the roots (an `IN_MOVED_FROM`/`IN_MOVED_TO` pair), in the
    /// order they happened: the registry keeps the file's history.
    package var renamed: [Rename] = []
    /// Folders to scan whole, recursively: created or moved in (watched first,
    /// then listed, so nothing written in between is missed), or not
    /// watchable. A folder inside another one of the set is left out.
    package var foldersToScan: Set<WatchedPath> = []
    /// Rescan every root against the registry: events were lost (queue
    /// overflow, an unknown watch) and only a full stat-compare is safe.
    package var rescanAll = false

    package struct Rename: Sendable, Equatable {
        package var from: WatchedPath
        package var to: WatchedPath
        /// A folder moved: everything under `from` now lives under `to`.
        package var isFolder: Bool

        package init(from: WatchedPath, to: WatchedPath, isFolder: Bool) {
            self.from = from
            self.to = to
            self.isFolder = isFolder
        }
    }

    package init(
        written: Set<WatchedPath> = [], removed: Set<WatchedPath> = [], renamed: [Rename] = [],
        foldersToScan: Set<WatchedPath> = [], rescanAll: Bool = false
    ) {
        self.written = written
        self.removed = removed
        self.renamed = renamed
        self.foldersToScan = foldersToScan
        self.rescanAll = rescanAll
    }

    package var isEmpty: Bool {
        written.isEmpty && removed.isEmpty && renamed.isEmpty && foldersToScan.isEmpty && !rescanAll
    }

    /// Folds a later change set into this one (change sets that arrive while a
    /// report runs are merged into the next, never dropped).
    package mutating func merge(_ later: ChangeSet) {
        written.formUnion(later.written)
        removed.formUnion(later.removed)
        renamed += later.renamed
        foldersToScan.formUnion(later.foldersToScan)
        rescanAll = rescanAll || later.rescanAll
    }
}
