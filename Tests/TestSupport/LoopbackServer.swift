import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A scripted HTTP server on 127.0.0.1 for fault tests: plain blocking
/// sockets on threads of its own, so it shares nothing with the client's
/// event loops. Every answer closes its connection (`Connection: close`), so
/// each request arrives on a fresh one.
public final class LoopbackServer: Sendable {
    /// What to do with one request.
    public enum Answer: Sendable {
        /// Write these bytes, then close.
        case bytes(String)
        /// Write these bytes, then keep the connection open, silent, until `stop()`.
        case bytesThenHang(String)
        /// Write each piece on its own, `pause` after each but the last, then
        /// close: the client reads them in separate buffers.
        case pieces([String], pause: Duration)
        /// Nothing until `gate` opens, then `answer`: a reply the test lets
        /// arrive exactly when it wants (after something else happened).
        indirect case held(Answer, until: Gate)
    }

    /// Opened once by a test; held answers wait for it.
    public final class Gate: Sendable {
        private let isOpen = Mutex(false)

        public init() {}

        public func open() { isOpen.withLock { $0 = true } }

        /// Polls every 10 ms: a held answer waits on a server thread of its own.
        func wait() {
            while !isOpen.withLock({ $0 }) { Thread.sleep(forTimeInterval: 0.01) }
        }
    }

    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var body: String
        /// The head's fields by lower-cased name (the last one of a repeated name).
        public var headers: [String: String] = [:]
    }

    public let port: Int
    private let listener: Int32
    private let route: @Sendable (Request, Int) -> Answer
    private let received = Mutex<[Request]>([])
    private let hanging = Mutex<[Int32]>([])

    /// `route` gets each request and how many came before it.
    public init(route: @escaping @Sendable (Request, Int) -> Answer) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw LoopbackError.socket(errno)
        }
        listener = fd
        port = LoopbackServer.localPort(of: fd)
        self.route = route
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    public var url: String { "http://127.0.0.1:\(port)" }
    public var requests: [Request] { received.withLock { $0 } }

    /// Stops accepting and closes the silent connections. `shutdown` wakes the
    /// blocked `accept`, and the accept loop closes the listener as it leaves:
    /// closed here, its number could go to another test's new listener
    /// before the loop's next `accept`, which would then take that server's
    /// connections (its requests recorded and answered here, none there).
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        for fd in hanging.withLock({ $0 }) {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    /// A loopback port nobody listens on (bound, then closed).
    public static func closedPort() throws -> Int {
        // The socket stays bound, never listening, for the life of the test
        // process: a connection to it is refused, and no other test's server
        // can be given the port meanwhile. (Closed here, a webhook receiver
        // started beside got the port, took the model client's request and
        // answered it 500: two tests failed under load.)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(fd)
            throw LoopbackError.socket(errno)
        }
        return localPort(of: fd)
    }

    /// A loopback port where nobody answers: a listening socket no one
    /// accepts from, so the TCP handshake completes (the kernel's backlog)
    /// and nothing after it ever comes back. Close `descriptor` when done.
    public static func silentListener() throws -> (descriptor: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LoopbackError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 && listen(fd, 8) == 0
            }
        }
        guard bound else {
            close(fd)
            throw LoopbackError.socket(errno)
        }
        return (fd, UInt16(localPort(of: fd)))
    }

    private static func localPort(of fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                // Stopped (or failing): the only user of the listener lets it go.
                close(listener)
                return
            }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        guard let request = readRequest(connection) else {
            close(connection)
            return
        }
        let index = received.withLock {
            $0.append(request)
            return $0.count - 1
        }
        answer(route(request, index), on: connection)
    }

    private func answer(_ answer: Answer, on connection: Int32) {
        switch answer {
        case .held(let held, let gate):
            gate.wait()
            self.answer(held, on: connection)
        case .bytes(let text):
            write(text, to: connection)
            close(connection)
        case .bytesThenHang(let text):
            write(text, to: connection)
            hanging.withLock { $0.append(connection) }
        case .pieces(let pieces, let pause):
            let (seconds, attoseconds) = pause.components
            for (index, piece) in pieces.enumerated() {
                if index > 0 { Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18) }
                write(piece, to: connection)
            }
            close(connection)
        }
    }

    private func write(_ text: String, to connection: Int32) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Head up to the blank line, then `Content-Length` bytes of body.
    private func readRequest(_ connection: Int32) -> Request? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headEnd: Int?
        var bodyLength = 0
        while true {
            if let headEnd, data.count >= headEnd + bodyLength { break }
            let n = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return nil }
            data.append(contentsOf: buffer[0..<n])
            if headEnd == nil, let range = data.firstRange(of: Array("\r\n\r\n".utf8)) {
                headEnd = range.upperBound
                let head = String(decoding: data[0..<range.lowerBound], as: UTF8.self).lowercased()
                for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                    bodyLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        guard let headEnd else { return nil }
        let head = String(decoding: data[0..<headEnd], as: UTF8.self)
        let first = head.split(separator: " ", maxSplits: 2)
        guard first.count >= 2 else { return nil }
        var headers: [String: String] = [:]
        for line in head.split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(
            method: String(first[0]), path: String(first[1]), body: String(decoding: data[headEnd...], as: UTF8.self), headers: headers)
    }

    // MARK: - Answers

    public static func http(_ status: String, json: String) -> Answer {
        .bytes("HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\nConnection: close\r\n\r\n\(json)")
    }

    /// An event stream framed by closing the connection (as a plain HTTP/1.1 server may).
    public static func eventStream(_ events: [String]) -> Answer {
        .bytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + events.map { $0 + "\n\n" }.joined())
    }

    /// A chunked event stream cut after `events`, without the final zero-length chunk.
    public static func chunkedStreamCut(_ events: [String]) -> Answer {
        var text = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        for event in events {
            let payload = event + "\n\n"
            text += String(payload.utf8.count, radix: 16) + "\r\n" + payload + "\r\n"
        }
        return .bytes(text)
    }
}

public enum LoopbackError: Error {
    case socket(Int32)
}
