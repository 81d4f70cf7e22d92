/// A folder's identity on disk: what tells two paths to one folder apart from
/// two folders (link loops, bind mounts, a folder moved while events were lost).
struct FolderIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
}

/// Which folder each inotify watch descriptor stands for, and the reverse.
///
/// The kernel keeps one watch per inode and hands back the same descriptor
/// when a folder is added again under another path, so the table is keyed by
/// descriptor and also indexed by reported path and by identity.
struct WatchTable {
    struct Folder: Equatable {
        /// How events under it are reported: the root and the path as reached
        /// (under a followed link's name for a folder outside the root).
        var path: WatchedPath
        /// Where it really is, to list it and add watches under it.
        var absolute: String
        var identity: FolderIdentity
        /// A watch whose parent is not watched: a root, or the target of a
        /// followed link. Nobody else reports when it is deleted or moved.
        var isAnchor: Bool
    }

    private(set) var folders: [Int32: Folder] = [:]
    private var byPath: [WatchedPath: Int32] = [:]
    private var byIdentity: [FolderIdentity: Int32] = [:]

    var count: Int { folders.count }

    subscript(watch: Int32) -> Folder? { folders[watch] }

    func watch(at path: WatchedPath) -> Int32? { byPath[path] }

    func watch(of identity: FolderIdentity) -> Int32? { byIdentity[identity] }

    /// Records (or re-points) a watch.
    mutating func set(_ watch: Int32, _ folder: Folder) {
        if let old = folders[watch] {
            if byPath[old.path] == watch { byPath[old.path] = nil }
            if byIdentity[old.identity] == watch { byIdentity[old.identity] = nil }
        }
        folders[watch] = folder
        byPath[folder.path] = watch
        byIdentity[folder.identity] = watch
    }

    @discardableResult
    mutating func remove(_ watch: Int32) -> Folder? {
        guard let folder = folders.removeValue(forKey: watch) else { return nil }
        if byPath[folder.path] == watch { byPath[folder.path] = nil }
        if byIdentity[folder.identity] == watch { byIdentity[folder.identity] = nil }
        return folder
    }

    /// The watches of `folder` and every folder reported under it.
    func watches(atOrUnder folder: WatchedPath) -> [Int32] {
        folders.compactMap { $0.value.path.isAtOrUnder(folder) ? $0.key : nil }
    }

    /// The watches of every folder under a root.
    func watches(inRoot root: String) -> [Int32] {
        folders.compactMap { $0.value.path.root == root ? $0.key : nil }
    }

    /// A folder moved within the roots: every watch under it keeps its
    /// descriptor and takes the new path. Absolute paths move along unless
    /// they lead elsewhere (folders reached through a followed link).
    mutating func moveFolder(from: WatchedPath, to: WatchedPath, absoluteFrom: String, absoluteTo: String) {
        let moved = folders.compactMap { watch, folder -> (Int32, Folder)? in
            guard let path = folder.path.moved(from: from, to: to) else { return nil }
            var updated = folder
            updated.path = path
            if let absolute = WatchedPath.absolute(folder.absolute, movedFrom: absoluteFrom, to: absoluteTo) {
                updated.absolute = absolute
            }
            return (watch, updated)
        }
        // Clear every old path first: a child's new path may equal another's old one.
        for (watch, _) in moved {
            if let old = folders[watch], byPath[old.path] == watch { byPath[old.path] = nil }
        }
        for (watch, folder) in moved { set(watch, folder) }
    }
}
