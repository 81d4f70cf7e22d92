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

    /// When start-up was last given more time (`EXTEND_TIMEOUT_USEC`), like `lastPing`.
    private let lastExtension = Atomic<Int64>(Int64.min)
    /// How much more time a start-up that makes progress asks for, and how often.
    private static let startExtension = Duration.seconds(60)
    private static let startExtensionSpacing = Duration.seconds(10)

    /// Pings unless a ping went out less than an interval ago.
    func beat() {
        guard let interval else { return }
        let now = WatchdogPacer.nanoseconds(ContinuousClock.now - origin)
        let last = lastPing.load(ordering: .relaxed)
        guard last == Int64.min || now - last >= WatchdogPacer.nanoseconds(interval) / 2 else { return }
        lastPing.store(now, ordering: .relaxed)
        notifier.watchdog()
    }

    /// During the first scan (before `READY=1`): besides the watchdog, asks
    /// systemd for more start-up time while the scan makes progress, so a very
    /// large first read is not killed by `TimeoutStartSec=`.
    func beatWhileStarting() {
        beat()
        let now = WatchdogPacer.nanoseconds(ContinuousClock.now - origin)
        let last = lastExtension.load(ordering: .relaxed)
        guard last == Int64.min || now - last >= WatchdogPacer.nanoseconds(WatchdogPacer.startExtensionSpacing) else { return }
        lastExtension.store(now, ordering: .relaxed)
        notifier.extendTimeout(by: WatchdogPacer.startExtension)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
