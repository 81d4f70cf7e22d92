import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What systemd offers a `Type=notify` service: a datagram Unix socket whose
/// path goes in `$NOTIFY_SOCKET`. Each `sd_notify` call is one datagram; this
/// keeps every one received, in order, for a test to wait on.
///
/// A thread of its own reads the socket as it fills, as systemd does: a
/// datagram socket holds only `net.unix.max_dgram_qlen` datagrams (10 where
/// systemd did not raise it to 512), and a daemon whose STATUS= updates were
/// left unread blocked in `sd_notify` and wrote no more reports.
public final class NotifySocket {
    public let path: String
    private let descriptor: Int32
    private let state = State()
    private let readerDone = DispatchSemaphore(value: 0)

    /// What the reader thread and the test share, under one lock.
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var arrived: [String] = []
        /// How many `receive` and `wait` have handed out.
        var consumed = 0
        var reading = true
    }

    /// Every datagram received so far.
    public var received: [String] { state.lock.withLock { state.arrived } }

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-notify-\(UUID().uuidString.prefix(8))").path
        descriptor = try SpecialFiles.bindSocket(at: path, type: SOCK_DGRAM)
        let (descriptor, state, done) = (descriptor, state, readerDone)
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while state.lock.withLock({ state.reading }) {
                var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                guard poll(&waiting, 1, 50) > 0 else { continue }
                while true {
                    let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                    guard count >= 0 else { break }
                    let message = String(decoding: buffer[..<count], as: UTF8.self)
                    state.lock.withLock { state.arrived.append(message) }
                }
            }
            done.signal()
        }
        reader.name = "notify socket"
        reader.start()
    }

    deinit {
        state.lock.withLock { state.reading = false }
        readerDone.wait()
        close(descriptor)
        unlink(path)
    }

    /// The next datagram, waiting at most `timeout`; `nil` if none came.
    /// Polls without blocking, every 20 ms, so a waiting test holds no
    /// thread of the cooperative pool.
    public func receive(timeout: Duration) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let message = receiveNow() { return message }
            if ContinuousClock.now >= deadline { return nil }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { return nil }
        }
    }

    /// The next datagram already read, without waiting.
    private func receiveNow() -> String? {
        state.lock.withLock {
            guard state.consumed < state.arrived.count else { return nil }
            state.consumed += 1
            return state.arrived[state.consumed - 1]
        }
    }

    /// Waits until a datagram satisfies `matches` and returns it, or `nil`
    /// after `timeout`. Datagrams that do not match are kept in `received`.
    public func wait(timeout: Duration, for matches: (String) -> Bool) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            // What is already queued counts even when this task was kept from
            // running past the deadline (a cooperative pool busy with other
            // tests): a READY=1 sent in time was missed that way once.
            while let message = receiveNow() {
                if matches(message) { return message }
            }
            if ContinuousClock.now >= deadline { return nil }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { return nil }
        }
    }

    /// The value of `KEY=` in a datagram (one assignment per line).
    public static func value(_ key: String, in message: String) -> String? {
        message.split(separator: "\n").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }
}
