/// The debouncing rule that turns a stream of events into few change sets,
/// apart from inotify and threads so it can be tested with explicit instants.
///
/// - A change set is ready once no event arrived for `settle`: a benchmark
///   writing thousands of files produces one change set, not one per file.
/// - Under constant activity it is forced out `maxDelay` after its first
///   event, holding back the files touched within the last `settle` (a file
///   still being appended is read once it is quiet, never half-way through a
///   burst of writes), and the new folders holding them with their quiet
///   files (a scan would list them). Everything else (removals, renames,
///   other folders, rescans) goes out with it.
///
/// Every file event counts as activity: a close after writing, a move in, a
/// create (links get no close), a modification without a close, a change of
/// attributes. A file is `written` once it has been quiet for `settle`.
struct SettleWindow: Sendable {
    typealias Instant = ContinuousClock.Instant

    let settle: Duration
    let maxDelay: Duration

    /// Everything but the written files, which are kept with their last activity.
    private var pending = ChangeSet()
    private var lastActivity: [WatchedPath: Instant] = [:]
    /// Folders a forced emission held back already: held once, never twice
    /// (a log appended every second would keep a scan back for good).
    private var heldOnce: Set<WatchedPath> = []
    /// When the oldest event not yet emitted arrived.
    private var openedAt: Instant?
    private var lastEventAt: Instant?

    init(settle: Duration, maxDelay: Duration) {
        self.settle = max(settle, .zero)
        self.maxDelay = max(maxDelay, .zero)
    }

    /// Nothing waits to be emitted.
    var isEmpty: Bool { pending.isEmpty && lastActivity.isEmpty }

    /// Files touched and not emitted yet (the pending `written` set).
    var activeFileCount: Int { lastActivity.count }

    /// A file was written, closed, created, moved in or changed its attributes.
    mutating func fileActivity(_ path: WatchedPath, at now: Instant) {
        lastActivity[path] = now
        note(now)
    }

    mutating func removed(_ path: WatchedPath, at now: Instant) {
        pending.removed.insert(path)
        note(now)
    }

    /// A rename within the roots. Pending files and folders to scan follow it:
    /// a folder created and then renamed within one window is scanned under
    /// its new name, where its files are.
    mutating func renamed(_ rename: ChangeSet.Rename, at now: Instant) {
        pending.renamed.append(rename)
        if rename.isFolder {
            let moving = lastActivity.filter { $0.key.isAtOrUnder(rename.from) }
            for (path, instant) in moving {
                lastActivity[path] = nil
                if let target = path.moved(from: rename.from, to: rename.to) { lastActivity[target] = instant }
            }
            let folders = pending.foldersToScan.filter { $0.isAtOrUnder(rename.from) }
            for folder in folders {
                pending.foldersToScan.remove(folder)
                if let target = folder.moved(from: rename.from, to: rename.to) { pending.foldersToScan.insert(target) }
            }
        } else if let instant = lastActivity.removeValue(forKey: rename.from) {
            lastActivity[rename.to] = instant
        }
        note(now)
    }

    /// A folder to list whole: new, moved in, or not watchable.
    mutating func folderToScan(_ path: WatchedPath, at now: Instant) {
        pending.foldersToScan.insert(path)
        note(now)
    }

    /// Events were lost: the next change set asks for a full rescan.
    mutating func rescanAll(at now: Instant) {
        pending.rescanAll = true
        note(now)
    }

    /// When `takeReady` can next return something, if anything is pending.
    var deadline: Instant? {
        guard let openedAt, let lastEventAt else { return nil }
        return min(lastEventAt + settle, openedAt + maxDelay)
    }

    /// The change set that has settled by `now`, if any.
    mutating func takeReady(at now: Instant) -> ChangeSet? {
        guard let openedAt, let lastEventAt else { return nil }
        if now >= lastEventAt + settle {
            var ready = pending
            ready.written.formUnion(lastActivity.keys)
            ready.foldersToScan = SettleWindow.outermost(ready.foldersToScan)
            reset(holding: [:])
            heldOnce = []
            return ready.isEmpty ? nil : ready
        }
        guard now >= openedAt + maxDelay else { return nil }
        var ready = pending
        var held: [WatchedPath: Instant] = [:]
        for (path, instant) in lastActivity {
            if now - instant >= settle { ready.written.insert(path) } else { held[path] = instant }
        }
        // A new folder whose file is still being written (`cp big.csv` into a
        // folder just made) waits with it, once: its scan would read the file
        // half-way. A whole watch folder's scan (one that came back) never waits.
        let busyFolders = ready.foldersToScan.filter { folder in
            !folder.path.isEmpty && !heldOnce.contains(folder) && held.keys.contains { $0.isAtOrUnder(folder) }
        }
        ready.foldersToScan.subtract(busyFolders)
        // Its quiet files wait with it: a report is a picture of one moment,
        // not the folder's later files without its first (which the scan
        // would find, the events having begun only once it was watched).
        if !busyFolders.isEmpty {
            for path in ready.written where busyFolders.contains(where: { path.isAtOrUnder($0) }) {
                ready.written.remove(path)
                held[path] = lastActivity[path]
            }
        }
        heldOnce = busyFolders
        ready.foldersToScan = SettleWindow.outermost(ready.foldersToScan)
        reset(holding: held)
        pending.foldersToScan = busyFolders
        if !held.isEmpty {
            // The held files start a new window now: the next forced emission is
            // `maxDelay` away, and a quiet `settle` still releases them sooner.
            self.openedAt = now
            self.lastEventAt = lastEventAt
        }
        return ready.isEmpty ? nil : ready
    }

    /// The folders not inside another of them: a scan is recursive, so a
    /// tree copied in folder by folder is scanned once, from its top.
    static func outermost(_ folders: Set<WatchedPath>) -> Set<WatchedPath> {
        guard folders.count > 1 else { return folders }
        return folders.filter { folder in
            guard !folder.path.isEmpty else { return true }
            if folders.contains(WatchedPath(root: folder.root, path: "")) { return false }
            var ancestor = Substring(folder.path)
            while let slash = ancestor.lastIndex(of: "/") {
                ancestor = ancestor[..<slash]
                if folders.contains(WatchedPath(root: folder.root, path: String(ancestor))) { return false }
            }
            return true
        }
    }

    private mutating func note(_ now: Instant) {
        if openedAt == nil { openedAt = now }
        if let last = lastEventAt, last > now { return }
        lastEventAt = now
    }

    private mutating func reset(holding held: [WatchedPath: Instant]) {
        pending = ChangeSet()
        lastActivity = held
        openedAt = nil
        lastEventAt = nil
    }
}
