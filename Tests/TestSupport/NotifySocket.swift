import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What systemd offers a `Type=notify` service: a datagram Unix socket whose
/// path goes in `$NOTIFY_SOCKET`. Each `sd_notify` call is one datagram; this
/// keeps every one received, in order, for a test to wait on.
public final class NotifySocket {
    public let path: String
    private let descriptor: Int32
    /// Every datagram received so far.
    public private(set) var received: [String] = []

    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-notify-\(UUID().uuidString.prefix(8))").path
        descriptor = try SpecialFiles.bindSocket(at: path, type: SOCK_DGRAM)
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    /// The next datagram, waiting at most `timeout`; `nil` if none came.
    /// Polls the socket without blocking, every 20 ms, so a waiting test
    /// holds no thread of the cooperative pool.
    public func receive(timeout: Duration) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let message = receiveNow() { return message }
            if ContinuousClock.now >= deadline { return nil }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { return nil }
        }
    }

    /// A datagram that is already there, without waiting.
    private func receiveNow() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        guard count >= 0 else { return nil }
        let message = String(decoding: buffer[..<count], as: UTF8.self)
        received.append(message)
        return message
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
