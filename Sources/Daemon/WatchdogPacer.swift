import Synchronization
import Systemd

/// Sends `WATCHDOG=1` from the work itself (the daemon loop and the long
/// passes it runs), at most once per interval: a loop that hangs stops the
/// pings, and systemd restarts the service.
final class WatchdogPacer: Sendable {
    private let notifier: Notifier
    private let interval: Duration?
    /// When the last ping went out, in nanoseconds of the continuous clock since `origin`.
    private let lastPing = Atomic<Int64>(Int64.min)
    private let origin = ContinuousClock.now

    init(notifier: Notifier) {
        self.notifier = notifier
        interval = notifier.watchdogInterval
    }

    /// How often the loop should wake to ping, when systemd asked for a watchdog.
    var tickInterval: Duration? { interval }

    /// Pings unless a ping went out less than an interval ago.
    func beat() {
        guard let interval else { return }
        let elapsed = ContinuousClock.now - origin
        let now = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        let spacing = interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
        let last = lastPing.load(ordering: .relaxed)
        guard last == Int64.min || now - last >= spacing / 2 else { return }
        lastPing.store(now, ordering: .relaxed)
        notifier.watchdog()
    }
}
