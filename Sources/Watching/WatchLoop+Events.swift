import Glibc
import Logging

/// What each inotify event means for the watches and the pending change set.
extension WatchLoop {
    func handle(_ event: InotifyEvent, at now: Instant) {
        if event.mask.contains(.queueOverflow) {
            overflowed(at: now)
            return
        }
        guard let folder = table[event.watch] else {
            if event.mask.contains(.ignored) {
                retired.remove(event.watch)
            } else if !retired.contains(event.watch) {
                logger.warning(
                    "inotify event for an unknown watch; rescanning every root",
                    metadata: ["watch": "\(event.watch)", "name": "\(event.name)"])
                window.rescanAll(at: now)
                needsReconcile = true
            }
            return
        }
        if event.mask.contains(.ignored) {
            watchEnded(event.watch, folder, at: now)
        } else if event.name.isEmpty {
            folderItselfChanged(event, folder, at: now)
        } else if !event.nameIsUTF8 {
            // No path leads to the entry; the folder's scan lists it by its
            // escaped name. Its writes change nothing: it stays skipped.
            if !event.mask.isDisjoint(with: [.create, .delete, .movedFrom, .movedTo]) { window.folderToScan(folder.path, at: now) }
        } else {
            entryChanged(event, in: folder, at: now)
        }
    }

    // MARK: Lost events

    private func overflowed(at now: Instant) {
        // Once a minute at most: a flood overflows again and again.
        if let last = lastOverflowWarning, now - last < .seconds(60) {
            logger.debug("inotify event queue overflowed again")
        } else {
            lastOverflowWarning = now
            logger.warning(
                """
                inotify event queue overflowed: events were lost, rescanning every root \
                (raise fs.inotify.max_queued_events if this repeats)
                """,
                metadata: ["max_queued_events": "\(WatchLoop.kernelSetting("max_queued_events") ?? "unknown")"])
        }
        window.rescanAll(at: now)
        needsReconcile = true
    }

    // MARK: The watched folder itself

    /// `IN_IGNORED`: the kernel dropped the watch (folder deleted, file system
    /// unmounted) or confirmed our `inotify_rm_watch`.
    private func watchEnded(_ watch: Int32, _ folder: WatchTable.Folder, at now: Instant) {
        table.remove(watch)
        if isRoot(folder), !missingRoots.contains(folder.path.root) {
            rootGone(folder.path.root, because: "is no longer watchable", at: now)
        }
    }

    private func folderItselfChanged(_ event: InotifyEvent, _ folder: WatchTable.Folder, at now: Instant) {
        guard !event.mask.isDisjoint(with: [.deleteSelf, .moveSelf, .unmount]) else { return }
        if isRoot(folder) {
            let reason =
                event.mask.contains(.moveSelf)
                ? "was moved away"
                : event.mask.contains(.unmount) ? "was unmounted" : "was deleted"
            if event.mask.contains(.unmount) { unmountedFrom[folder.path.root] = folder.identity.device }
            rootGone(folder.path.root, because: reason, at: now)
        } else if folder.isAnchor {
            // The target of a followed link: no watched parent reports it.
            logger.info(
                "folder behind a followed link is gone",
                metadata: ["folder": "\(folder.absolute)", "link": "\(folder.path)"])
            removeWatches(atOrUnder: folder.path)
            window.removed(folder.path, at: now)
        } else if event.mask.contains(.unmount) {
            // The mount point is still there with other contents: list it again.
            window.rescanAll(at: now)
            needsReconcile = true
        }
        // Otherwise its parent's IN_DELETE / IN_MOVED_FROM has said it all.
    }

    private func isRoot(_ folder: WatchTable.Folder) -> Bool {
        folder.isAnchor && folder.path.path.isEmpty && folder.absolute == folder.path.root
    }

    // MARK: Entries of a watched folder

    private func entryChanged(_ event: InotifyEvent, in folder: WatchTable.Folder, at now: Instant) {
        let path = folder.path.appending(event.name)
        let absolute = WatchLoop.join(folder.absolute, event.name)
        let isFolder = event.mask.contains(.isFolder)
        if event.mask.contains(.movedTo) {
            movedIn(path, absolute: absolute, isFolder: isFolder, cookie: event.cookie, at: now)
            return
        }
        if isExcluded(absolute) || isOtherRoot(absolute, than: path.root) {
            if isFolder, event.mask.contains(.create) { rootMayHaveAppeared(absolute, at: now) }
            return
        }
        if event.mask.contains(.movedFrom) {
            pendingMoves[event.cookie] = PendingMove(
                path: path, absolute: absolute, isFolder: isFolder, isIgnored: !isFolder && isIgnored(path.path),
                arrivedAt: now)
            return
        }
        if isFolder {
            if event.mask.contains(.create) {
                folderArrived(path, absolute: absolute, at: now)
            } else if event.mask.contains(.delete) {
                logger.trace("folder deleted", metadata: ["folder": "\(path)"])
                dropUnwatched(atOrUnder: path)
                window.removed(path, at: now)
            } else if event.mask.contains(.attributes), let entry = unwatched[path], entry.reason == .denied {
                // Its permissions changed: it may be readable now.
                retry(path, entry, at: now)
            }
            return
        }
        if event.mask.contains(.delete) {
            entryDeparted(path, at: now)
        } else if event.mask.contains(.create) {
            nonFolderArrived(path, absolute: absolute, at: now)
        } else if !isIgnored(path.path) {
            // IN_MODIFY, IN_CLOSE_WRITE, IN_ATTRIB: the file is read once quiet.
            logger.trace("file activity", metadata: ["file": "\(path)"])
            window.fileActivity(path, at: now)
        }
    }

    /// `IN_MOVED_TO`: the second half of a rename within the roots, or
    /// something moved in from outside.
    private func movedIn(_ path: WatchedPath, absolute: String, isFolder: Bool, cookie: UInt32, at now: Instant) {
        let source = pendingMoves.removeValue(forKey: cookie)
        if isExcluded(absolute) || isOtherRoot(absolute, than: path.root) {
            // Moved where nothing is reported: gone, as far as the roots go.
            if let source { movedOut(source, at: now) }
            if isFolder { rootMayHaveAppeared(absolute, at: now) }
            return
        }
        guard let source else {
            if isFolder {
                folderArrived(path, absolute: absolute, at: now)
            } else {
                nonFolderArrived(path, absolute: absolute, at: now)
            }
            return
        }
        logger.trace("renamed", metadata: ["from": "\(source.path)", "to": "\(path)"])
        if isFolder {
            // An empty folder the move replaced: its watch is stale. (The guard
            // spares the walk over every watch for the usual rename to a new name.)
            if table.watch(at: path) != nil { removeWatches(atOrUnder: path) }
            dropUnwatched(atOrUnder: path)
            table.moveFolder(from: source.path, to: path, absoluteFrom: source.absolute, absoluteTo: absolute)
            moveUnwatched(from: source.path, to: path, absoluteFrom: source.absolute, absoluteTo: absolute)
            window.renamed(ChangeSet.Rename(from: source.path, to: path, isFolder: true), at: now)
            if table.watch(at: path) == nil, unwatched[path] == nil {
                // It was not watched under its old name (it appeared while events were lost).
                folderArrived(path, absolute: absolute, at: now)
            }
            return
        }
        if table.watch(at: source.path) != nil {
            // A followed link renamed: its watches keep their target, under the new name.
            if table.watch(at: path) != nil { removeWatches(atOrUnder: path) }
            table.moveFolder(from: source.path, to: path, absoluteFrom: source.absolute, absoluteTo: absolute)
            window.renamed(ChangeSet.Rename(from: source.path, to: path, isFolder: true), at: now)
            return
        }
        switch (source.isIgnored, isIgnored(path.path)) {
        case (false, false):
            window.renamed(ChangeSet.Rename(from: source.path, to: path, isFolder: false), at: now)
            nonFolderArrived(path, absolute: absolute, at: now)
        case (true, false):
            // An atomic writer's temporary file renamed into place: a write.
            nonFolderArrived(path, absolute: absolute, at: now)
        case (false, true):
            window.removed(source.path, at: now)
        case (true, true):
            break
        }
    }

    /// Unpaired `IN_MOVED_FROM`s whose wait is over: moved out of the roots.
    func expireMoves(at now: Instant) {
        let expired = pendingMoves.filter { now - $0.value.arrivedAt >= pairingWait }
        for (cookie, move) in expired.sorted(by: { $0.value.arrivedAt < $1.value.arrivedAt }) {
            pendingMoves[cookie] = nil
            movedOut(move, at: now)
        }
    }

    private func movedOut(_ move: PendingMove, at now: Instant) {
        logger.trace("moved out of the watched folders", metadata: ["path": "\(move.path)"])
        // Watches follow the inode: left in place they would report the folder's
        // new life outside the roots under its old path.
        let wasFolder = move.isFolder || table.watch(at: move.path) != nil
        if wasFolder {
            removeWatches(atOrUnder: move.path)
            dropUnwatched(atOrUnder: move.path)
        }
        if wasFolder || !move.isIgnored { window.removed(move.path, at: now) }
    }

    private func entryDeparted(_ path: WatchedPath, at now: Instant) {
        if table.watch(at: path) != nil {
            // A followed link deleted: its target is no longer part of the root.
            removeWatches(atOrUnder: path)
            window.removed(path, at: now)
        } else if !isIgnored(path.path) {
            window.removed(path, at: now)
        }
    }

    /// A new folder (created or moved in): watch it and everything under it
    /// first, then ask for a scan, so whatever was written before the watches
    /// existed is found by the scan and everything after by the watches.
    func folderArrived(_ path: WatchedPath, absolute: String, at now: Instant) {
        var visited = Set<Int32>()
        watchTree(path, absolute: absolute, isAnchor: false, at: now, visited: &visited)
        logger.debug("new folder watched", metadata: ["folder": "\(path)"])
        window.folderToScan(path, at: now)
    }

    /// A file, link or other non-folder created or moved in. Links and hard
    /// links get no `IN_CLOSE_WRITE`: arriving is their write.
    private func nonFolderArrived(_ path: WatchedPath, absolute: String, at now: Instant) {
        if table.watch(at: path) != nil {
            // It replaced a followed link.
            removeWatches(atOrUnder: path)
        }
        if isIgnored(path.path) { return }
        if followExternalLinks, let target = externalFolderTarget(of: absolute, root: path.root) {
            var visited = Set<Int32>()
            watchTree(path, absolute: target, isAnchor: true, at: now, visited: &visited)
            logger.debug("followed link to a folder outside the root", metadata: ["link": "\(path)", "folder": "\(target)"])
            window.folderToScan(path, at: now)
            return
        }
        window.fileActivity(path, at: now)
    }

    private func rootMayHaveAppeared(_ absolute: String, at now: Instant) {
        if missingRoots.contains(absolute) { restoreRoot(absolute, at: now) }
    }

    /// The contents of `/proc/sys/fs/inotify/<name>`, for messages.
    static func kernelSetting(_ name: String) -> String? {
        guard let file = fopen("/proc/sys/fs/inotify/" + name, "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 64)
        guard fgets(&line, Int32(line.count), file) != nil else { return nil }
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.trimmingWhitespace()
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(self.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
