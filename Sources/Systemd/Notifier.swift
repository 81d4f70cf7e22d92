import CSystemd
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd where the service stands, over the socket in `$NOTIFY_SOCKET`
/// (`sd_notify(3)`). Outside systemd (no socket) every call does nothing, so
/// the daemon runs the same from a terminal.
package struct Notifier: Sendable {
    /// Set by `stopping`, shared by every copy: once STOPPING=1 is said, a
    /// READY=1 would tell systemd the opposite (a reload or a start that
    /// ends after the stop began says nothing).
    private final class Stopped: Sendable {
        let said = Atomic<Bool>(false)
    }

    private let stopped = Stopped()

    package init() {}

    /// Whether a service manager listens.
    package var isConnected: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// `READY=1`: start-up (or a reload) is done; `status` becomes the status line.
    package func ready(status: String? = nil) {
        guard !stopped.said.load(ordering: .acquiring) else { return }
        send(["READY=1"] + (status.map { ["STATUS=" + Notifier.oneLine($0)] } ?? []))
    }

    /// `STATUS=`: the one-line summary `systemctl status` shows.
    package func status(_ text: String) {
        send(["STATUS=" + Notifier.oneLine(text)])
    }

    /// `WATCHDOG=1`: the loop that does the work is alive.
    package func watchdog() {
        send(["WATCHDOG=1"])
    }

    /// `RELOADING=1` with the `CLOCK_MONOTONIC` time systemd needs to match it
    /// against the reload it asked for (`Type=notify-reload` and `systemctl reload`).
    package func reloading(status: String? = nil) {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        send(["RELOADING=1", "MONOTONIC_USEC=\(microseconds)"] + (status.map { ["STATUS=" + Notifier.oneLine($0)] } ?? []))
    }

    /// `STOPPING=1`: shutdown has begun.
    package func stopping(status: String? = nil) {
        stopped.said.store(true, ordering: .releasing)
        send(["STOPPING=1"] + (status.map { ["STATUS=" + Notifier.oneLine($0)] } ?? []))
    }

    /// How often to send `WATCHDOG=1`: half of `$WATCHDOG_USEC` when systemd
    /// set a watchdog for this process, else `nil`.
    package var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(clamping: microseconds / 2))
    }

    /// `EXTEND_TIMEOUT_USEC=`: the current phase (start-up before `READY=1`,
    /// a reload, a shutdown) needs up to `duration` more from now, beyond the
    /// unit's timeout; a long first scan sends this again while it makes progress.
    package func extendTimeout(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return }
        // Capped at 2^32 s (136 years) so the product cannot overflow.
        let microseconds = min(seconds, Int64(UInt32.max)) * 1_000_000 + attoseconds / 1_000_000_000_000
        send(["EXTEND_TIMEOUT_USEC=\(microseconds)"])
    }

    /// How long a message waits for room in a full queue before it is
    /// dropped: a status line not at all (the next one says more), the
    /// others (READY=1, WATCHDOG=1, STOPPING=1, ...) a while, as systemd
    /// acts on them.
    static func patience(_ assignments: [String]) -> Duration {
        assignments.allSatisfy { $0.hasPrefix("STATUS=") } ? .zero : .seconds(2)
    }

    private func send(_ assignments: [String]) {
        guard let address = getenv("NOTIFY_SOCKET").map({ String(cString: $0) }) else { return }
        let text = assignments.joined(separator: "\n")
        // Never blocked by a manager that reads slowly; an address only
        // libsystemd speaks (`vsock:`) goes through it.
        if NotifyDatagram.send(text, to: address, patience: Notifier.patience(assignments)) == .unsupportedAddress {
            _ = sd_notify(0, text)
        }
    }

    /// A status line is one line: newlines would start new assignments, and a
    /// NUL would end the C string early. Other controls (a file name's ESC
    /// sequence, in a last error) are shown escaped, as the journal shows
    /// them, so `systemctl status` never passes them to a terminal.
    static func oneLine(_ text: String) -> String {
        let flat = String(text.map { $0.isNewline || $0 == "\0" ? " " : $0 })
        return LogText.escaped(flat)
    }
}
