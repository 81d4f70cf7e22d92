import TestSupport
import Logging
import Synchronization

@testable import Watching

/// A started watcher whose change sets are collected as they arrive, the way
/// the daemon's loop consumes them.
final class WatchSession: Sendable {
    /// How long a test waits for something that must happen.
    static let patience = Duration.seconds(20)

    let watcher: Watcher
    let logs: LogRecorder
    private let inbox: Inbox
    private let collector: Task<Void, Never>

    private final class Inbox: Sendable {
        let sets = Mutex<[ChangeSet]>([])
    }

    convenience init(_ options: WatcherOptions, logs: LogRecorder = LogRecorder()) throws {
        let watcher = try Watcher(options: options, logger: logs.logger)
        try watcher.start()
        self.init(started: watcher, logs: logs)
    }

    /// Collects from a watcher the test created and started itself.
    init(started watcher: Watcher, logs: LogRecorder) {
        self.watcher = watcher
        self.logs = logs
        let inbox = Inbox()
        let changes = watcher.changes
        self.inbox = inbox
        collector = Task {
            for await changes in changes {
                inbox.sets.withLock { $0.append(changes) }
            }
        }
    }

    /// Every change set so far, in order.
    var sets: [ChangeSet] { inbox.sets.withLock { $0 } }

    /// Every change set so far, merged as the daemon would.
    var merged: ChangeSet {
        sets.reduce(into: ChangeSet()) { $0.merge($1) }
    }

    /// Waits (polling what arrived, never longer than `timeout`) until the
    /// merged change sets satisfy `condition`.
    @discardableResult
    /// Waits for a change set that must come; the ceiling is generous because
    /// the whole test suite shares two cores, and a wait ends as soon as it comes.
    func waitUntil(timeout: Duration = WatchSession.patience, _ condition: (ChangeSet) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(merged) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(merged)
    }

    /// Waits until `count` change sets arrived.
    @discardableResult
    func waitForSets(_ count: Int, timeout: Duration = WatchSession.patience) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if sets.count >= count { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return sets.count >= count
    }

    /// Stops the watcher and waits for the stream to finish; returns how long that took.
    @discardableResult
    func stop() async -> Duration {
        let clock = ContinuousClock()
        return await clock.measure {
            watcher.stop()
            await collector.value
        }
    }
}

extension ChangeSet {
    /// Whether the daemon would look at `path`: written, or inside a folder
    /// to scan, or everything rescanned.
    func covers(_ path: WatchedPath) -> Bool {
        rescanAll || written.contains(path) || foldersToScan.contains { path.isAtOrUnder($0) }
    }
}
