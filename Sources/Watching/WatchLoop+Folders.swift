import Glibc
import Logging
import Records

/// Adding and removing watches: whole trees, folders that could not be
/// watched, roots that vanish and come back, and the reconcile after lost events.
extension WatchLoop {
    /// Watches `start` and every folder under it, each before it is listed (so
    /// a folder created during the walk is either listed or reported by its
    /// parent's watch). Folders already watched under the same path are walked
    /// again, which makes this the repair for lost events too.
    ///
    /// `visited` holds the watches this walk (or a larger walk it belongs to)
    /// has reached: a folder reached twice (a link loop, a bind mount) is
    /// entered once. Returns whether `start` itself is watched.
    @discardableResult
    func watchTree(
        _ start: WatchedPath, absolute startAbsolute: String, isAnchor: Bool, at now: Instant, visited: inout Set<Int32>
    ) -> Bool {
        var startWatched = false
        var stack: [(path: WatchedPath, absolute: String, isAnchor: Bool)] = [(start, startAbsolute, isAnchor)]
        while let (path, absolute, anchor) = stack.popLast() {
            if isExcluded(absolute) || isOtherRoot(absolute, than: path.root) { continue }
            let watch: Int32
            // Only a root may be reached through a link (roots are resolved by
            // the caller, but a root given as a link still works).
            let isRootItself = anchor && path.path.isEmpty && absolute == path.root
            let mask = isRootItself ? InotifyMask.folderWatch.subtracting(.dontFollow) : .folderWatch
            switch inotify.addWatch(absolute, mask: mask) {
            case .success(let added): watch = added
            case .failure(let error):
                couldNotWatch(path, absolute: absolute, isAnchor: anchor, error, at: now)
                continue
            }
            guard let identity = WatchLoop.identity(of: absolute) else {
                // Gone again already; its parent's events say so. Keep no watch we cannot name.
                if table[watch] == nil {
                    inotify.removeWatch(watch)
                    retired.insert(watch)
                }
                continue
            }
            guard visited.insert(watch).inserted else { continue }
            if let known = table[watch], known.path != path, WatchLoop.identity(of: known.path.absolute) == identity {
                // A second way to a folder whose reported path still leads to it
                // (a second link, a bind mount): watched and reported once. When
                // the old path no longer leads to it, it moved while its events
                // were lost, and it is re-pointed below.
                logger.debug(
                    "folder already watched under another path; not entered twice",
                    metadata: ["folder": "\(path)", "watched_as": "\(known.path)"])
                continue
            }
            table.set(watch, WatchTable.Folder(path: path, absolute: absolute, identity: identity, isAnchor: anchor))
            unwatched[path] = nil
            retired.remove(watch)
            if path == start { startWatched = true }
            for entry in WatchLoop.subfolders(of: absolute, logger: logger) {
                let childPath = path.appending(entry.name)
                let childAbsolute = WatchLoop.join(absolute, entry.name)
                if !entry.isLink {
                    stack.append((childPath, childAbsolute, false))
                } else if followExternalLinks, let target = externalFolderTarget(of: childAbsolute, root: path.root) {
                    stack.append((childPath, target, true))
                }
            }
        }
        return startWatched
    }

    /// A folder the kernel would not watch. Each problem is said once: a
    /// retry that fails the same way stays quiet.
    private func couldNotWatch(
        _ path: WatchedPath, absolute: String, isAnchor: Bool, _ error: SystemCallError, at now: Instant
    ) {
        let known = unwatched[path]
        switch error.code {
        case ENOENT, ENOTDIR, ELOOP:
            // Gone, or replaced by a file or a link since it was listed: the
            // parent's events say what happened to it.
            logger.trace("folder vanished before it could be watched", metadata: ["folder": "\(absolute)"])
            unwatched[path] = nil
        case ENOSPC:
            if !watchLimitReported {
                watchLimitReported = true
                let current = WatchLoop.kernelSetting("max_user_watches") ?? "unknown"
                let suggested = max(524_288, (Int(current) ?? 0) * 2)
                logger.error(
                    """
                    inotify watch limit reached (fs.inotify.max_user_watches = \(current)): folders beyond it \
                    are rescanned every \(rescanInterval) instead of watched; \
                    raise it with: sysctl -w fs.inotify.max_user_watches=\(suggested)
                    """,
                    metadata: ["folder": "\(absolute)", "max_user_watches": "\(current)"])
            } else {
                logger.debug("watch limit: folder rescanned instead", metadata: ["folder": "\(absolute)"])
            }
            unwatched[path] = UnwatchedFolder(absolute: absolute, isAnchor: isAnchor, reason: .watchLimit)
        case EACCES, EPERM:
            if known?.reason != .denied {
                logger.warning(
                    "cannot watch folder: \(error); it is scanned once, and watched when its permissions allow",
                    metadata: ["folder": "\(absolute)"])
                window.folderToScan(path, at: now)
            }
            unwatched[path] = UnwatchedFolder(absolute: absolute, isAnchor: isAnchor, reason: .denied)
        default:
            if known == nil {
                logger.warning(
                    "cannot watch folder: \(error); rescanning everything, and retrying it every \(rescanInterval)",
                    metadata: ["folder": "\(absolute)"])
                window.rescanAll(at: now)
            }
            unwatched[path] = UnwatchedFolder(absolute: absolute, isAnchor: isAnchor, reason: .failed)
        }
    }

    /// Every rescan interval: the folders that could not be watched are
    /// scanned again and their watches retried. A folder denied to us is
    /// scanned again only once it can be watched (ingest has reported it).
    func retryUnwatched(at now: Instant) {
        let folders = unwatched.sorted { $0.key < $1.key }
        var visited = Set<Int32>()
        for (path, folder) in folders where unwatched[path] != nil {
            let watched = watchTree(path, absolute: folder.absolute, isAnchor: folder.isAnchor, at: now, visited: &visited)
            if folder.reason != .denied || watched { window.folderToScan(path, at: now) }
        }
        logger.debug(
            "rescanning folders that could not be watched",
            metadata: ["folders": "\(folders.count)", "still_unwatched": "\(unwatched.count)"])
        if watchLimitReported, !unwatched.values.contains(where: { $0.reason == .watchLimit }) {
            watchLimitReported = false
            logger.notice("inotify watch limit no longer reached: every folder is watched again")
        }
    }

    /// One folder's retry, when there is a reason to think it may work now.
    func retry(_ path: WatchedPath, _ folder: UnwatchedFolder, at now: Instant) {
        var visited = Set<Int32>()
        if watchTree(path, absolute: folder.absolute, isAnchor: folder.isAnchor, at: now, visited: &visited) {
            logger.info("folder can be watched now", metadata: ["folder": "\(folder.absolute)"])
            window.folderToScan(path, at: now)
        }
    }

    func dropUnwatched(atOrUnder folder: WatchedPath) {
        for path in unwatched.keys where path.isAtOrUnder(folder) { unwatched[path] = nil }
    }

    /// A folder moved within the roots: the unwatched folders under it follow.
    func moveUnwatched(from: WatchedPath, to: WatchedPath, absoluteFrom: String, absoluteTo: String) {
        for (path, folder) in unwatched where path.isAtOrUnder(from) {
            unwatched[path] = nil
            guard let target = path.moved(from: from, to: to) else { continue }
            var moved = folder
            moved.absolute =
                WatchedPath.absolute(folder.absolute, movedFrom: absoluteFrom, to: absoluteTo) ?? folder.absolute
            unwatched[target] = moved
        }
    }

    /// Removes the watches of `folder` and everything under it (moved out of
    /// the roots, replaced, or its root gone).
    func removeWatches(atOrUnder folder: WatchedPath) {
        for watch in table.watches(atOrUnder: folder) { retire(watch) }
    }

    private func retire(_ watch: Int32) {
        table.remove(watch)
        inotify.removeWatch(watch)
        retired.insert(watch)
    }

    // MARK: Roots

    /// A root was deleted, moved or unmounted: its watches go, every root is
    /// rescanned, and it is watched again once a folder is back at its path.
    func rootGone(_ root: String, because reason: String, at now: Instant) {
        logger.warning(
            "watch folder \(reason); rescanning, and watching it again when it reappears", metadata: ["folder": "\(root)"])
        for watch in table.watches(inRoot: root) { retire(watch) }
        for path in unwatched.keys where path.root == root { unwatched[path] = nil }
        for (cookie, move) in pendingMoves where move.path.root == root { pendingMoves[cookie] = nil }
        if missingRoots.isEmpty { nextRootCheck = now + rootCheckInterval }
        missingRoots.insert(root)
        window.rescanAll(at: now)
    }

    /// A root watched all along may have changed under us without an event
    /// (a parent folder renamed or replaced, a file system mounted over it):
    /// its path must still lead to the folder that is watched.
    func verifyRoots(at now: Instant) {
        for root in roots where !missingRoots.contains(root) {
            guard let watch = table.watch(at: WatchedPath(root: root, path: "")), let folder = table[watch] else {
                continue
            }
            if WatchLoop.identity(of: root) != folder.identity {
                rootGone(
                    root, because: "is no longer the folder that was watched (moved or replaced with a parent folder)",
                    at: now)
            }
        }
    }

    /// A watch path through a symbolic link leads to another folder now
    /// (`ln -sfn run-42 current`): the old folder is still there and still
    /// watched, and no event says so. The owner re-resolves the paths on the
    /// full rescan asked for here. Asked once per switch, and again every
    /// rescan interval while the folders watched are not those the paths
    /// lead to (the owner's switch failed: it tries again).
    func checkWhereRootsLead(at now: Instant) {
        guard let currentRoots else { return }
        let ledTo = Set(currentRoots().map(WatchLoop.trimmed))
        let switched = ledTo != rootsLedTo
        let stillElsewhere = ledTo != Set(roots) && rootsAskedAt.map { now - $0 >= rescanInterval } ?? true
        guard switched || stillElsewhere else { return }
        rootsLedTo = ledTo
        rootsAskedAt = now
        // The owner says what it watches instead; this is the why, for debugging.
        logger.debug(
            "a watch path passes through a link that leads elsewhere now; rescanning",
            metadata: ["now": "\(ledTo.sorted().joined(separator: ", "))"])
        window.rescanAll(at: now)
    }

    /// The mount table changed: a file system mounted over a watched folder
    /// (its files were never seen), or one over it unmounted. Watched
    /// folders whose path leads elsewhere now are walked again with the
    /// rest, and every root rescanned. Mounts elsewhere on the machine
    /// (containers, automounts) cost a `stat` per watched folder.
    func mountsChanged(at now: Instant) {
        let moved = table.folders.values.filter { WatchLoop.identity(of: $0.absolute) != $0.identity }
        guard !moved.isEmpty else { return }
        logger.notice(
            "a file system was mounted or unmounted inside a watch folder; rescanning",
            metadata: ["folders": "\(moved.map(\.absolute).sorted().prefix(5).joined(separator: ", "))"])
        needsReconcile = true
        window.rescanAll(at: now)
    }

    func checkMissingRoots(at now: Instant) {
        for root in missingRoots.sorted() where WatchLoop.isFolder(root) { restoreRoot(root, at: now) }
    }

    func restoreRoot(_ root: String, at now: Instant) {
        // An unmounted share leaves its mount point: empty, on the file system
        // below. Watched, the share mounted again over it went unseen for a
        // minute (until `verifyRoots`); waited for, it is back within a check.
        if let device = unmountedFrom[root] {
            if WatchLoop.isVacantMountPoint(root, leftBy: device) { return }
            unmountedFrom[root] = nil
        }
        missingRoots.remove(root)
        let rootPath = WatchedPath(root: root, path: "")
        var visited = Set<Int32>()
        let watched = watchTree(rootPath, absolute: root, isAnchor: true, at: now, visited: &visited)
        guard watched || unwatched[rootPath] != nil else {
            missingRoots.insert(root)
            return
        }
        logger.notice("watch folder is back; watching it again", metadata: ["folder": "\(root)"])
        window.folderToScan(rootPath, at: now)
    }

    // MARK: Reconcile

    /// After lost events: walk every root again. Adding a watch that exists
    /// returns its descriptor, so the walk re-adds what is missing, re-points
    /// folders that moved unseen, and whatever it did not reach is stale.
    func reconcile(at now: Instant) {
        needsReconcile = false
        // Their other halves may be among the lost events; the rescan covers them.
        pendingMoves.removeAll()
        var visited = Set<Int32>()
        for root in roots where !missingRoots.contains(root) && !isExcluded(root) {
            let rootPath = WatchedPath(root: root, path: "")
            // A share at the root unmounted: a subfolder's IN_UNMOUNT can bring
            // this walk before the root's own, which it would otherwise answer
            // by watching the empty mount point (the share mounted again was
            // then unseen until the next rescan, a minute later).
            if let watch = table.watch(at: rootPath), let folder = table[watch],
                WatchLoop.isVacantMountPoint(root, leftBy: folder.identity.device)
            {
                unmountedFrom[root] = folder.identity.device
                rootGone(root, because: "was unmounted", at: now)
                continue
            }
            let watched = watchTree(rootPath, absolute: root, isAnchor: true, at: now, visited: &visited)
            if !watched, unwatched[rootPath] == nil, !WatchLoop.isFolder(root) {
                rootGone(root, because: "is gone", at: now)
            }
        }
        let stale = table.folders.keys.filter { !visited.contains($0) }
        for watch in stale { retire(watch) }
        window.rescanAll(at: now)
        logger.info(
            "watches reconciled after lost events",
            metadata: ["folders": "\(table.count)", "stale": "\(stale.count)", "unwatched": "\(unwatched.count)"])
    }

    // MARK: The file system

    /// Where a symbolic link at `absolute` leads, when it leads to a folder
    /// out of `root` that is to be watched through it: not excluded, and not
    /// part of another root (watched there already).
    func externalFolderTarget(of absolute: String, root: String) -> String? {
        var info = stat()
        guard lstat(absolute, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { return nil }
        guard let resolved = realpath(absolute, nil) else { return nil }
        let target = String(cString: resolved)
        free(resolved)
        guard WatchLoop.isFolder(target), !WatchedPath.isAbsolute(target, atOrUnder: root), !isExcluded(target) else {
            return nil
        }
        if roots.contains(where: { $0 != root && WatchedPath.isAbsolute(target, atOrUnder: $0) }) { return nil }
        return target
    }

    /// Whether the folder at `absolute` is what an unmounted file system on
    /// `device` left: an empty folder on another device.
    static func isVacantMountPoint(_ absolute: String, leftBy device: UInt64) -> Bool {
        guard let identity = identity(of: absolute), identity.device != device else { return false }
        return EmptyFolder.holdsNothing(absolute)
    }

    /// Follows links: a root may be given through one; every other folder is
    /// watched with `IN_DONT_FOLLOW` or by its resolved path.
    static func identity(of absolute: String) -> FolderIdentity? {
        var info = stat()
        guard stat(absolute, &info) == 0 else { return nil }
        return FolderIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }

    /// The folders and symbolic links in a folder (links are candidates for
    /// following; everything else is not a folder to watch).
    static func subfolders(of absolute: String, logger: Logger) -> [(name: String, isLink: Bool)] {
        guard let directory = opendir(absolute) else {
            let code = errno
            if code != ENOENT && code != ENOTDIR {
                logger.warning(
                    "cannot list folder: \(String(cString: strerror(code)))", metadata: ["folder": "\(absolute)"])
            }
            return []
        }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        var entries: [(name: String, isLink: Bool)] = []
        while let entry = readdir(directory) {
            // Read in place, up to its NUL: copying the whole `d_name` array
            // reads past a short record at the end of readdir's buffer, into
            // an unmapped page (a crash seen in the overflow rescan test).
            // A name that is not UTF-8 has no path: the scan lists it, unentered.
            let name = withUnsafePointer(to: &entry.pointee.d_name) { field in
                field.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(validatingCString: $0) }
            }
            guard let name, name != ".", name != ".." else { continue }
            var kind = Int32(entry.pointee.d_type)
            if kind == Int32(DT_UNKNOWN) {
                // Some file systems do not fill d_type.
                var info = stat()
                guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                let mode = info.st_mode & S_IFMT
                kind = mode == S_IFDIR ? Int32(DT_DIR) : mode == S_IFLNK ? Int32(DT_LNK) : Int32(DT_REG)
            }
            if kind == Int32(DT_DIR) {
                entries.append((name, false))
            } else if kind == Int32(DT_LNK) {
                entries.append((name, true))
            }
        }
        return entries
    }
}
