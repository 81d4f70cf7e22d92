import Glibc
import Logging

/// Everything the reader thread owns: the inotify instance, which folder each
/// watch stands for, the settle window, and the timers for retries.
///
/// Built and filled (the first watches) by `Watcher.start()` on the caller's
/// thread, then handed over whole to the reader thread (`ReaderThread.spawn`
/// takes it as `sending`); from then on only that thread touches it, so the
/// state needs no lock. The outside world sees it through the change set
/// stream, the counters and the wake-up descriptor.
final class WatchLoop {
    typealias Instant = ContinuousClock.Instant

    /// An `IN_MOVED_FROM` waiting for its `IN_MOVED_TO` (same cookie).
    struct PendingMove {
        var path: WatchedPath
        var absolute: String
        var isFolder: Bool
        var isIgnored: Bool
        var arrivedAt: Instant
    }

    enum UnwatchedReason {
        /// `ENOSPC`: `fs.inotify.max_user_watches` reached. Rescanned every interval.
        case watchLimit
        /// `EACCES`/`EPERM`: scanned once (ingest reports it unreadable), retried
        /// when its permissions change and every interval.
        case denied
        /// Anything else the kernel refused. Rescanned every interval.
        case failed
    }

    struct UnwatchedFolder {
        var absolute: String
        var isAnchor: Bool
        var reason: UnwatchedReason
    }

    let roots: [String]
    let excluded: [String]
    let isIgnored: @Sendable (String) -> Bool
    let followExternalLinks: Bool
    let settle: Duration
    let maxDelay: Duration
    let rescanInterval: Duration
    /// How long an unpaired `IN_MOVED_FROM` waits for its other half. The
    /// kernel queues the two back to back, so this only covers a read that
    /// ended between them; it stays within the settle window.
    let pairingWait: Duration
    /// How often a vanished root is looked for. A `stat` per missing root, so
    /// it can be much shorter than the rescan interval.
    let rootCheckInterval: Duration
    let currentRoots: (@Sendable () -> [String])?
    /// The folders `currentRoots` last named, and when a rescan was last
    /// asked for them: a switch is said once, then once a rescan interval.
    var rootsLedTo: Set<String>
    var rootsAskedAt: Instant?
    let logger: Logger
    let inotify: Inotify
    /// Polled for mounts over watched folders, which inotify does not report.
    let mounts: MountTable?
    let wakeup: Wakeup
    let counts: WatchCounts
    let output: AsyncStream<ChangeSet>.Continuation
    let clock = ContinuousClock()

    var table = WatchTable()
    var window: SettleWindow
    var pendingMoves: [UInt32: PendingMove] = [:]
    /// Watches removed on purpose whose `IN_IGNORED` has not arrived yet:
    /// events still queued for them are stale, not a sign of lost events.
    var retired: Set<Int32> = []
    var unwatched: [WatchedPath: UnwatchedFolder] = [:]
    var missingRoots: Set<String> = []
    /// Roots whose file system was unmounted, with its device: the empty
    /// mount point left behind is not the root back (`restoreRoot`).
    var unmountedFrom: [String: UInt64] = [:]
    /// The watch limit is logged once per episode, not once per folder.
    var watchLimitReported = false
    var lastOverflowWarning: Instant?
    var needsReconcile = false
    var nextRescan: Instant
    var nextRootCheck: Instant

    init(
        options: WatcherOptions, logger: Logger, inotify: Inotify, wakeup: Wakeup, counts: WatchCounts,
        output: AsyncStream<ChangeSet>.Continuation
    ) {
        var roots: [String] = []
        for root in options.roots.map(WatchLoop.trimmed) where !roots.contains(root) { roots.append(root) }
        self.roots = roots
        self.excluded = options.excluded.map(WatchLoop.trimmed)
        self.isIgnored = options.isIgnored
        self.followExternalLinks = options.followExternalLinks
        self.settle = max(options.settle, .zero)
        self.maxDelay = max(options.maxDelay, .zero)
        self.rescanInterval = max(options.rescanInterval, .milliseconds(100))
        self.pairingWait = max(min(self.settle, .milliseconds(50)), .milliseconds(1))
        self.rootCheckInterval = min(self.rescanInterval, .seconds(2))
        self.currentRoots = options.currentRoots
        self.rootsLedTo = Set(roots)
        self.logger = logger
        self.inotify = inotify
        self.mounts = MountTable.open()
        self.wakeup = wakeup
        self.counts = counts
        self.output = output
        self.window = SettleWindow(settle: self.settle, maxDelay: self.maxDelay)
        let now = ContinuousClock.now
        self.nextRescan = now + self.rescanInterval
        self.nextRootCheck = now + self.rootCheckInterval
    }

    /// Adds the watches over every root. Runs on the caller of `start()`,
    /// before the thread exists: when it returns, every folder that exists is
    /// watched (or known to be unwatchable).
    func watchRoots() {
        let now = clock.now
        var visited = Set<Int32>()
        for root in roots {
            if isExcluded(root) {
                logger.warning("watch folder is inside an excluded folder; not watched", metadata: ["folder": "\(root)"])
                continue
            }
            guard WatchLoop.isFolder(root) else {
                logger.warning(
                    "watch folder does not exist or is not a folder; it is watched once it appears",
                    metadata: ["folder": "\(root)"])
                missingRoots.insert(root)
                continue
            }
            watchTree(WatchedPath(root: root, path: ""), absolute: root, isAnchor: true, at: now, visited: &visited)
        }
        // The caller scans every root next: what the first walk found needs no change set.
        window = SettleWindow(settle: settle, maxDelay: maxDelay)
        nextRescan = now + rescanInterval
        nextRootCheck = now + rootCheckInterval
        publishCounts()
        logger.debug(
            "watching",
            metadata: ["folders": "\(table.count)", "unwatched": "\(unwatched.count)", "roots": "\(roots.count)"])
    }

    /// The reader thread's body: `poll()` on the inotify descriptor and the
    /// wake-up eventfd, with a timeout that is the next settle or retry
    /// deadline. Returns after `stop()` (or a fatal read error), having closed
    /// the inotify descriptor and finished the stream.
    func run() {
        var events: [InotifyEvent] = []
        events.reserveCapacity(1024)
        var descriptors = [
            pollfd(fd: inotify.descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeup.descriptor, events: Int16(POLLIN), revents: 0),
            // A negative descriptor is skipped by poll.
            pollfd(fd: mounts?.descriptor ?? -1, events: Int16(POLLPRI), revents: 0),
        ]
        running: while true {
            let timeout = pollTimeout(now: clock.now)
            for index in descriptors.indices { descriptors[index].revents = 0 }
            if poll(&descriptors, nfds_t(descriptors.count), timeout) < 0 {
                let code = errno
                if code == EINTR { continue }
                logger.error(
                    "inotify reader stopped: poll failed", metadata: ["error": "\(String(cString: strerror(code)))"])
                break running
            }
            if descriptors[1].revents != 0 { break running }
            let inotifyEvents = descriptors[0].revents
            if inotifyEvents & Int16(POLLIN) == 0, inotifyEvents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 {
                logger.error("inotify reader stopped: the inotify descriptor failed")
                break running
            }
            // Read what is queued even when the poll timed out: on a busy
            // machine the thread may resume long after its deadline, with
            // events of a file still being appended waiting, and a settle
            // judged without them released the file half-way.
            guard drain(into: &events) else { break running }
            if MountTable.changed(descriptors[2].revents) { mountsChanged(at: clock.now) }
            maintain(at: clock.now)
        }
        shutDown()
    }

    /// Reads and handles what is queued, a bounded number of reads at a time
    /// so that timers still run under a flood of events.
    private func drain(into events: inout [InotifyEvent]) -> Bool {
        for _ in 0..<16 {
            events.removeAll(keepingCapacity: true)
            switch inotify.read(into: &events) {
            case .empty:
                return true
            case .failed(let error):
                logger.error("inotify reader stopped: reading events failed", metadata: ["error": "\(error)"])
                return false
            case .events:
                let now = clock.now
                for event in events { handle(event, at: now) }
            }
        }
        return true
    }

    /// Timers and bookkeeping after each wake-up: unpaired moves, a reconcile
    /// after lost events, the rescan interval (retries, and a check that each
    /// root is still the folder watched), missing roots, and the settled change set.
    func maintain(at now: Instant) {
        expireMoves(at: now)
        if needsReconcile { reconcile(at: now) }
        if now >= nextRescan {
            if !unwatched.isEmpty { retryUnwatched(at: now) }
            verifyRoots(at: now)
            nextRescan = now + rescanInterval
        }
        if now >= nextRootCheck, !missingRoots.isEmpty || currentRoots != nil {
            checkMissingRoots(at: now)
            checkWhereRootsLead(at: now)
            nextRootCheck = now + rootCheckInterval
        }
        // A move waiting for its other half belongs with the rest of its window.
        if pendingMoves.isEmpty, let changes = window.takeReady(at: now) {
            logger.debug(
                "change set settled",
                metadata: [
                    "written": "\(changes.written.count)", "removed": "\(changes.removed.count)",
                    "renamed": "\(changes.renamed.count)", "folders_to_scan": "\(changes.foldersToScan.count)",
                    "rescan_all": "\(changes.rescanAll)",
                ])
            output.yield(changes)
        }
        publishCounts()
    }

    private func pollTimeout(now: Instant) -> Int32 {
        if needsReconcile { return 0 }
        var deadlines: [Instant] = []
        if let deadline = window.deadline { deadlines.append(deadline) }
        if let oldest = pendingMoves.values.map(\.arrivedAt).min() { deadlines.append(oldest + pairingWait) }
        deadlines.append(nextRescan)
        if !missingRoots.isEmpty || currentRoots != nil { deadlines.append(nextRootCheck) }
        guard let next = deadlines.min() else { return -1 }
        return WatchLoop.milliseconds(roundingUp: next - now)
    }

    private func shutDown() {
        // Closing the instance drops every watch at once.
        inotify.close()
        mounts?.close()
        counts.update(watched: 0, unwatched: 0)
        output.finish()
        logger.debug("inotify reader stopped")
    }

    func publishCounts() {
        counts.update(watched: table.count, unwatched: unwatched.count)
    }

    // MARK: Paths

    /// Whether `absolute` is an excluded folder or inside one.
    func isExcluded(_ absolute: String) -> Bool {
        excluded.contains { WatchedPath.isAbsolute(absolute, atOrUnder: $0) }
    }

    /// Whether `absolute` is a root other than `root`: it is watched, and its
    /// files reported, as that root.
    func isOtherRoot(_ absolute: String, than root: String) -> Bool {
        absolute != root && roots.contains(absolute)
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder == "/" ? "/" + name : folder + "/" + name
    }

    /// Without trailing slashes (but "/" stays "/").
    static func trimmed(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    static func isFolder(_ absolute: String) -> Bool {
        var info = stat()
        return stat(absolute, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func milliseconds(roundingUp duration: Duration) -> Int32 {
        if duration <= .zero { return 0 }
        let (seconds, attoseconds) = duration.components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        let milliseconds = seconds * 1000 + (attoseconds + perMillisecond - 1) / perMillisecond
        return Int32(clamping: milliseconds)
    }
}
