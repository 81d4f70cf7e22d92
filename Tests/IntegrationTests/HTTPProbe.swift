import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A deliberately plain HTTP/1.1 client for the served reports: one request
/// per connection, the target sent exactly as given (no client library
/// would send `/reports/..%2F..` or `/..` unchanged), the answer read to the
/// end. Runs on a thread of its own (`BlockingCall`) with a deadline.
struct HTTPProbe {
    struct Answer: Sendable {
        var status: Int
        /// Header names in lower case.
        var headers: [String: String]
        var body: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int

    func request(_ method: String, _ target: String, timeout: Duration = .seconds(20)) async throws -> Answer {
        let port = self.port
        let outcome = try await BlockingCall.result(within: timeout) { () -> Result<Answer, Failure> in
            HTTPProbe.exchange(port: port, text: "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        }
        guard let outcome else { throw Failure(description: "\(method) \(target): no answer within \(timeout)") }
        return try outcome.get()
    }

    func get(_ target: String) async throws -> Answer { try await request("GET", target) }

    /// A free port on 127.0.0.1 right now (bound to port 0, then closed).
    static func freePort() throws -> Int {
        let (socket, port) = try listeningSocket()
        close(socket)
        return port
    }

    /// A socket listening on a port of 127.0.0.1 the system chose, and the
    /// port: the caller closes it.
    static func listeningSocket() throws -> (socket: Int32, port: Int) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        guard bound == 0, named == 0, listen(socket, 4) == 0 else {
            let code = errno
            close(socket)
            throw Failure(description: "bind, getsockname or listen: \(code)")
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A client that asks for `target` and then reads nothing: the socket,
    /// with a small receive buffer, for the caller to close.
    func requestWithoutReading(_ target: String) throws -> Int32 {
        let socket = try HTTPProbe.connected(port: port, receiveBuffer: 4096).get()
        let request = Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else {
            close(socket)
            throw Failure(description: "send to port \(port): \(errno)")
        }
        return socket
    }

    /// A client that sends a request's head and starts a long body it never
    /// finishes (slowloris): the socket, for the caller to trickle more
    /// bytes into and close.
    func unfinishedRequest() throws -> Int32 {
        let socket = try HTTPProbe.connected(port: port).get()
        let start = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n".utf8)
        guard start.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == start.count else {
            close(socket)
            throw Failure(description: "send to port \(port): \(errno)")
        }
        return socket
    }

    /// A socket connected to `port` on loopback, for the caller to close.
    private static func connected(port: Int, receiveBuffer: Int32? = nil) -> Result<Int32, Failure> {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return .failure(Failure(description: "socket: \(errno)")) }
        if var size = receiveBuffer { setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            return .failure(Failure(description: "connect to port \(port): \(reason)"))
        }
        return .success(socket)
    }

    private static func exchange(port: Int, text: String) -> Result<Answer, Failure> {
        let socket: Int32
        switch connected(port: port) {
        case .success(let opened): socket = opened
        case .failure(let failure): return .failure(failure)
        }
        defer { close(socket) }
        let request = Array(text.utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return .failure(Failure(description: "send: \(errno)")) }
            sent += count
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return parse(bytes)
    }

    /// Status line, headers and body of a response with a Content-Length (what the server sends).
    private static func parse(_ bytes: [UInt8]) -> Result<Answer, Failure> {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else {
            return .failure(Failure(description: "no complete head in \(bytes.count) bytes"))
        }
        let head = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            return .failure(Failure(description: "bad status line: \(head.first ?? "")"))
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return .success(Answer(status: status, headers: headers, body: String(decoding: bytes[(end + 4)...], as: UTF8.self)))
    }
}
