import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What systemd does for `Type=notify`: a datagram Unix socket whose path is
/// put in `$NOTIFY_SOCKET`. Each `sd_notify` call arrives as one datagram.
final class NotifyListener {
    let path: String
    private let socketDescriptor: Int32

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-notify-\(UUID().uuidString.prefix(8))").path
        socketDescriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketDescriptor >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(socketDescriptor)
            throw Failure(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else {
            close(socketDescriptor)
            throw Failure(description: "bind \(path): errno \(errno)")
        }
        // A missing datagram fails the test after a short wait instead of hanging it.
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(socketDescriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit {
        close(socketDescriptor)
        unlink(path)
    }

    /// The next datagram, or `nil` when none arrives within two seconds.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(socketDescriptor, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }

    /// Whether a datagram is waiting, without waiting for one.
    func hasPending() -> Bool {
        var pollDescriptor = pollfd(fd: socketDescriptor, events: Int16(POLLIN), revents: 0)
        return poll(&pollDescriptor, 1, 0) > 0
    }
}

/// Sets environment variables (`nil` unsets) for `body` and puts the previous
/// values back afterwards; only for suites that run serialized.
func withEnvironment<T>(_ values: [String: String?], _ body: () throws -> T) rethrows -> T {
    var previous: [String: String?] = [:]
    for (name, value) in values {
        previous[name] = getenv(name).map { String(cString: $0) }
        if let value { setenv(name, value, 1) } else { unsetenv(name) }
    }
    defer {
        for (name, value) in previous {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
    }
    return try body()
}
