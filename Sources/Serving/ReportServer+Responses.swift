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
        let response = Response(
            status: HTTPResponse.Status(code: served.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: served.body)))
        return method == "HEAD" ? response.createHeadResponse() : response
    }
}
