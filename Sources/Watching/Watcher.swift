import Glibc
import Logging
import Synchronization

/// Why a `Watcher` could not be created or started.
package struct WatcherError: Error, CustomStringConvertible, Equatable {
    /// What failed.
    package enum Kind: Sendable, Equatable {
        /// The kernel refused an inotify instance (a limit, memory).
        case inotifyUnavailable
        /// The eventfd that wakes the reader could not be made.
        case wakeupUnavailable
        /// The reader thread could not be started.
        case readerThreadUnavailable
        /// `start()` on a watcher already started or stopped.
        case notStartable
    }

    package var kind: Kind
    package var description: String
    /// The system call's `errno`, when one failed.
    package var code: Int32?

    package init(_ kind: Kind, _ description: String, code: Int32? = nil) {
        self.kind = kind
        self.description = description
        self.code = code
    }
}

/// Watches folder trees with inotify and delivers what changed in them as
/// settled `ChangeSet`s.
///
/// Every folder under the roots gets a watch (no polling of the tree); new
/// folders are watched before they are reported, renames are paired, and lost
/// events (queue overflow) turn into a full rescan rather than lost files. The
/// blocking reads happen on a dedicated thread, never on Swift concurrency's
/// cooperative pool.
///
/// ```swift
/// let watcher = try Watcher(options: WatcherOptions(roots: ["/data/bench"]), logger: logger)
/// try watcher.start()          // every watch in place
/// scanEverything()             // cannot miss a file: later changes arrive below
/// for await changes in watcher.changes { ingest(changes) }
/// ```
package final class Watcher: Sendable {
    private enum Phase {
        case created(inotify: Int32)
        case running
        case stopped
    }

    /// Settled change sets, in order. Exactly one consumer (the daemon loop).
    /// Finishes after `stop()`, once the reader thread has closed its
    /// descriptors, or if reading events fails for good (logged as an error).
    package let changes: AsyncStream<ChangeSet>

    private let options: WatcherOptions
    private let logger: Logger
    private let continuation: AsyncStream<ChangeSet>.Continuation
    private let wakeup: Wakeup
    private let counts = WatchCounts()
    /// Guards the start/stop transitions only; the watching state itself
    /// belongs to the reader thread.
    private let phase: Mutex<Phase>

    /// Creates the inotify instance (the kernel sizes its event queue now).
    /// Throws when the kernel refuses one, saying which limit to raise.
    package init(options: WatcherOptions, logger: Logger) throws(WatcherError) {
        let inotify: Int32
        do {
            inotify = try Inotify.open()
        } catch {
            throw WatcherError(.inotifyUnavailable, Watcher.explain(error), code: error.code)
        }
        do {
            wakeup = try Wakeup()
        } catch {
            _ = close(inotify)
            throw WatcherError(
                .wakeupUnavailable, "cannot create the watcher's wake-up descriptor: \(error)", code: error.code)
        }
        self.options = options
        self.logger = logger
        self.phase = Mutex(.created(inotify: inotify))
        // Unbounded: change sets are few and small, and dropping one would lose changes.
        (changes, continuation) = AsyncStream.makeStream(of: ChangeSet.self, bufferingPolicy: .unbounded)
        // The consumer gone (its task cancelled) means nobody reads: stop reading too.
        continuation.onTermination = { [wakeup] _ in wakeup.signal() }
    }

    deinit {
        stop()
    }

    /// Adds the watches over every root, recursively, and starts reading
    /// events. Returns once every watch is in place, so a scan the caller
    /// starts afterwards cannot miss a file (events during that scan are
    /// delivered as change sets later).
    ///
    /// It walks every root (a system call or two per folder) on the calling
    /// thread, as the scan that follows will. A root that does not exist yet
    /// is logged and watched once it appears. Throws if the watcher was
    /// started or stopped before, or the reader thread cannot be created.
    package func start() throws(WatcherError) {
        let taken = phase.withLock { phase -> Int32? in
            guard case .created(let inotify) = phase else { return nil }
            phase = .running
            return inotify
        }
        guard let descriptor = taken else {
            throw WatcherError(.notStartable, isStopped ? "the watcher was stopped" : "the watcher is already started")
        }
        let loop = WatchLoop(
            options: options, logger: logger, inotify: Inotify(adopting: descriptor), wakeup: wakeup, counts: counts,
            output: continuation)
        // On this thread, before the reader exists: when start() returns, the watches are in place.
        loop.watchRoots()
        do {
            try ReaderThread.spawn(name: "chimerad-watch") { loop.run() }
        } catch {
            phase.withLock { $0 = .stopped }
            counts.update(watched: 0, unwatched: 0)
            continuation.finish()
            throw WatcherError(
                .readerThreadUnavailable, "cannot start the inotify reader thread: \(error)", code: error.code)
        }
        // A stop() that came during the walk signalled the eventfd: the reader sees it at once.
    }

    /// Stops reading and finishes `changes`. The reader thread wakes at once,
    /// closes the inotify descriptor (which removes every watch) and finishes
    /// the stream. Idempotent; safe from any task or thread; does not block.
    package func stop() {
        let unstarted = phase.withLock { phase -> Int32? in
            switch phase {
            case .created(let inotify):
                phase = .stopped
                return inotify
            case .running:
                phase = .stopped
                wakeup.signal()
                return nil
            case .stopped:
                return nil
            }
        }
        if let unstarted {
            _ = close(unstarted)
            continuation.finish()
        }
    }

    /// Folders with a watch.
    package var watchedFolderCount: Int { counts.watchedFolders }

    /// Folders that could not be watched (watch limit reached, permission
    /// denied) and are rescanned instead. Counts each such folder once, not
    /// the folders below it.
    package var unwatchedFolderCount: Int { counts.unwatchedFolders }

    private var isStopped: Bool {
        phase.withLock { phase in
            if case .stopped = phase { return true }
            return false
        }
    }

    private static func explain(_ error: SystemCallError) -> String {
        switch error.code {
        case EMFILE:
            let limit = WatchLoop.kernelSetting("max_user_instances") ?? "unknown"
            return "cannot watch folders: too many inotify instances (fs.inotify.max_user_instances = \(limit));"
                + " raise fs.inotify.max_user_instances, e.g. sysctl -w fs.inotify.max_user_instances=1024"
        case ENFILE:
            return "cannot watch folders: the system's limit on open files is reached (\(error))"
        case ENOMEM:
            return "cannot watch folders: out of kernel memory (\(error))"
        default:
            return "cannot watch folders: \(error)"
        }
    }
}
