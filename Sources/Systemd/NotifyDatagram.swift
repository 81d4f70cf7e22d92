#if canImport(Glibc)
import Glibc
#endif

/// One `sd_notify(3)` datagram, sent without ever blocking for long.
///
/// libsystemd's `sd_notify` blocks while the manager's socket queue is full
/// (`net.unix.max_dgram_qlen` datagrams, 10 where nothing raised it): a
/// supervisor that reads its socket slowly, or not at all, held the daemon
/// in a STATUS= update and no report was written. Here the datagram goes
/// over a non-blocking socket connected to `$NOTIFY_SOCKET`; on a full
/// queue it waits at most `patience` for room, then is dropped.
///
///     NotifyDatagram.send("STATUS=2 reports", to: "/run/systemd/notify", patience: .zero)  // .dropped if full
enum NotifyDatagram {
    enum Outcome: Equatable {
        case sent
        /// The queue stayed full for `patience`.
        case dropped
        /// An address this sender does not speak (`vsock:`, too long): libsystemd's turn.
        case unsupportedAddress
        case failed(errno: Int32)
    }

    /// Sends `text` to the socket `address` names: a path, or `@` and an
    /// abstract name (how systemd writes `$NOTIFY_SOCKET`).
    static func send(_ text: String, to address: String, patience: Duration) -> Outcome {
        guard var socketAddress = unixAddress(address) else { return .unsupportedAddress }
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { return .failed(errno: errno) }
        defer { close(descriptor) }
        // Connected, the socket is writable only while the manager's queue
        // has room, so poll(2) can wait for it (an unconnected one cannot tell).
        let connected = withUnsafePointer(to: &socketAddress.address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socketAddress.length) }
        }
        guard connected == 0 else { return .failed(errno: errno) }
        let deadline = ContinuousClock.now + patience
        let bytes = Array(text.utf8)
        while true {
            let count = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count >= 0 { return .sent }
            let code = errno
            if code == EINTR { continue }
            guard code == EAGAIN || code == EWOULDBLOCK else { return .failed(errno: code) }
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return .dropped }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let milliseconds = Int32(clamping: max(1, Int64((left / .milliseconds(1)).rounded(.up))))
            _ = poll(&waiting, 1, milliseconds)
        }
    }

    /// `sockaddr_un` for a path or an abstract name, and its length; nil for
    /// anything else, or a name too long for it.
    static func unixAddress(_ address: String) -> (address: sockaddr_un, length: socklen_t)? {
        var name = Array(address.utf8)
        guard let first = name.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "@") else { return nil }
        // An abstract name starts with a NUL byte where the text has '@'.
        if first == UInt8(ascii: "@") { name[0] = 0 }
        var result = sockaddr_un()
        result.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: result.sun_path)
        // A path needs room for its terminating NUL; an abstract name is counted by its length.
        guard name.count < capacity || (first == UInt8(ascii: "@") && name.count <= capacity), !name.dropFirst().contains(0) else {
            return nil
        }
        withUnsafeMutableBytes(of: &result.sun_path) { buffer in
            for (index, byte) in name.enumerated() { buffer[index] = byte }
        }
        let offset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        return (result, socklen_t(offset + name.count + (first == UInt8(ascii: "/") ? 1 : 0)))
    }
}
