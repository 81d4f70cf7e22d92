import Foundation
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

    /// A manager that does not read its socket never holds the daemon: a
    /// status line finding the queue full is dropped at once, and READY=1,
    /// WATCHDOG=1 and the like wait a while for room, then are dropped too.
    /// (libsystemd's `sd_notify` blocked there for good.)
    @Test func aSocketNobodyReadsNeverHoldsTheSender() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-unread-\(UUID().uuidString.prefix(8))").path
        let unread = try SpecialFiles.bindSocket(at: path, type: SOCK_DGRAM)
        defer {
            close(unread)
            unlink(path)
        }
        // More than the queue holds: 10 where nothing raised it, 512 under systemd.
        let limit =
            (try? String(contentsOfFile: "/proc/sys/net/unix/max_dgram_qlen", encoding: .utf8))
            .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 512
        let done = DispatchSemaphore(value: 0)
        withEnvironment(["NOTIFY_SOCKET": path]) {
            Thread {
                for index in 0..<(limit + 20) { Notifier().status("report \(index)") }
                Notifier().watchdog()
                done.signal()
            }.start()
            #expect(done.wait(timeout: .now() + 60) == .success, "the sender was held by a full queue")
        }
        var received: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(unread, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count >= 0 else { break }
            received.append(String(decoding: buffer[..<count], as: UTF8.self))
        }
        #expect(received.first == "STATUS=report 0" && received.count < limit + 21)
        #expect(received == (0..<received.count).map { "STATUS=report \($0)" }, "in order, the rest dropped")
    }

    /// `$NOTIFY_SOCKET` may name an abstract socket (`@name`), as systemd's
    /// own may be; an address the sender does not speak goes to libsystemd.
    @Test func anAbstractSocketIsReached() throws {
        let name = "chimerad-notify-\(UUID().uuidString.prefix(8))"
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let address = try #require(NotifyDatagram.unixAddress("@" + name))
        var bound = address.address
        let result = withUnsafePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, address.length) }
        }
        try #require(result == 0)
        withEnvironment(["NOTIFY_SOCKET": "@" + name]) { Notifier().ready(status: "abstract") }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        #expect(count > 0 && String(decoding: buffer[..<max(count, 0)], as: UTF8.self) == "READY=1\nSTATUS=abstract")

        #expect(NotifyDatagram.unixAddress("vsock:2:1234") == nil && NotifyDatagram.unixAddress("run/notify") == nil)
        #expect(NotifyDatagram.unixAddress("/" + String(repeating: "x", count: 200)) == nil)
        #expect(NotifyDatagram.send("READY=1", to: "vsock:2:1234", patience: .zero) == .unsupportedAddress)
        #expect(Notifier.patience(["STATUS=x"]) == .zero && Notifier.patience(["READY=1", "STATUS=x"]) > .zero)
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
