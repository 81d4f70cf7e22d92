import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

@testable import Systemd

/// The datagrams `Notifier` sends, as received on a real `$NOTIFY_SOCKET`.
/// Serialized: the tests set process-wide environment variables.
@Suite(.serialized) struct NotifierTests {
    @Test func aStatusIsKeptOnOneLine() {
        #expect(Notifier.oneLine("a\nb\r\nc") == "a b c")
        #expect(Notifier.oneLine("a\0b") == "a b")
        // A terminal sequence from a file name is shown, not obeyed.
        #expect(Notifier.oneLine("last error: x\u{1B}[2Jy \u{9B}31m") == "last error: x\\u{1b}[2Jy \\u{9b}31m")
    }

    @Test func readySendsReadyWithItsStatus() async throws {
        let listener = try NotifySocket()
        withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            Notifier().ready(status: "watching 2 folders\n3 files")
            Notifier().ready()
        }
        #expect(await listener.receive(timeout: .seconds(2)) == "READY=1\nSTATUS=watching 2 folders 3 files")
        #expect(await listener.receive(timeout: .seconds(2)) == "READY=1")
    }

    @Test func statusAndWatchdogAreOneAssignmentEach() async throws {
        let listener = try NotifySocket()
        withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            Notifier().status("report written")
            Notifier().watchdog()
        }
        #expect(await listener.receive(timeout: .seconds(2)) == "STATUS=report written")
        #expect(await listener.receive(timeout: .seconds(2)) == "WATCHDOG=1")
    }

    @Test func reloadingCarriesTheMonotonicClock() async throws {
        let listener = try NotifySocket()
        let before = monotonicMicroseconds()
        withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            Notifier().reloading(status: "reloading the configuration")
        }
        let after = monotonicMicroseconds()
        let lines = try #require(await listener.receive(timeout: .seconds(2))).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first == "RELOADING=1")
        #expect(lines.last == "STATUS=reloading the configuration")
        let stamp = try #require(lines.first { $0.hasPrefix("MONOTONIC_USEC=") }.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        #expect(stamp >= before && stamp <= after)
    }

    @Test func stoppingAndExtendingTheTimeout() async throws {
        let listener = try NotifySocket()
        withEnvironment(["NOTIFY_SOCKET": listener.path]) {
            Notifier().stopping(status: "finishing the current report")
            Notifier().stopping()
            Notifier().extendTimeout(by: .seconds(90))
            Notifier().extendTimeout(by: .milliseconds(1500))
        }
        #expect(await listener.receive(timeout: .seconds(2)) == "STOPPING=1\nSTATUS=finishing the current report")
        #expect(await listener.receive(timeout: .seconds(2)) == "STOPPING=1")
        #expect(await listener.receive(timeout: .seconds(2)) == "EXTEND_TIMEOUT_USEC=90000000")
        #expect(await listener.receive(timeout: .seconds(2)) == "EXTEND_TIMEOUT_USEC=1500000")
    }

    @Test func withoutASocketNothingIsSent() async throws {
        let listener = try NotifySocket()
        let connected = withEnvironment(["NOTIFY_SOCKET": nil]) {
            Notifier().ready(status: "x")
            Notifier().watchdog()
            return Notifier().isConnected
        }
        #expect(!connected)
        #expect(await listener.receive(timeout: .zero) == nil)
        #expect(withEnvironment(["NOTIFY_SOCKET": listener.path]) { Notifier().isConnected })
    }

    @Test func theWatchdogIntervalIsHalfOfWatchdogUsec() {
        let ownPID = String(getpid())
        let cases: [(usec: String?, pid: String?, expected: Duration?)] = [
            ("30000000", ownPID, .seconds(15)),
            ("3000000", nil, .milliseconds(1500)),  // no WATCHDOG_PID: meant for whoever reads it
            ("30000000", String(getpid() + 1), nil),  // meant for another process
            (nil, nil, nil),
            ("soon", ownPID, nil),
            ("0", ownPID, nil),
        ]
        for item in cases {
            let interval = withEnvironment(["WATCHDOG_USEC": item.usec, "WATCHDOG_PID": item.pid]) { Notifier().watchdogInterval }
            #expect(interval == item.expected, "WATCHDOG_USEC=\(item.usec ?? "unset") WATCHDOG_PID=\(item.pid ?? "unset")")
        }
    }

    private func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}
