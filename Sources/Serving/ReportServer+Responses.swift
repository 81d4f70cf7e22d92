import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOPosix

extension ReportServer {
    /// The site's answer to `request`, as Hummingbird's response. The files
    /// are read on NIO's blocking-I/O pool: a read never holds a thread of
    /// the cooperative pool the daemon's loop needs.
    static func respond(to request: Request, site: ReportSite) async throws -> Response {
        let method = request.method.rawValue
        let target = request.head.path ?? "/"
        let served = try await NIOThreadPool.singleton.runIfActive { site.response(method: method, target: target) }
        var headers = HTTPFields()
        for (name, value) in ServedResponse.commonHeaders {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        headers[.contentType] = served.contentType
        if let allow = served.allow, let field = HTTPField.Name("Allow") { headers[field] = allow }
        let response = Response(status: HTTPResponse.Status(code: served.status), headers: headers, body: body(served.body))
        return method == "HEAD" ? response.createHeadResponse() : response
    }

    /// The bytes to send. A file goes out a chunk at a time, each read on
    /// the blocking-I/O pool and written only once the connection took the
    /// one before (the writer waits while the client is slow), so each
    /// client costs a chunk of memory whatever the report's size.
    static func body(_ body: ServedBody) -> ResponseBody {
        switch body {
        case .bytes(let bytes):
            return ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        case .file(let file):
            return ResponseBody(contentLength: file.size) { writer in
                var offset = 0
                while true {
                    let from = offset
                    guard let chunk = try await NIOThreadPool.singleton.runIfActive({ try file.chunk(at: from, limit: chunkSize) })
                    else { break }
                    offset += chunk.count
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                try await writer.finish(nil)
            }
        }
    }

    /// How much of a file is read and handed to a connection at a time.
    static let chunkSize = 64 << 10
}
