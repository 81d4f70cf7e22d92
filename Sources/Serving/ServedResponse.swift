import Reporting

/// A response as the site decides it, before it goes on the wire: a status,
/// a type and the body. Kept apart from the HTTP library's types so the
/// site's decisions are tested without a socket.
package struct ServedResponse: Sendable, Equatable {
    package var status: Int
    package var contentType: String
    package var body: ServedBody
    /// Methods allowed, for a 405.
    package var allow: String?

    package init(status: Int, contentType: String, body: ServedBody, allow: String? = nil) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.allow = allow
    }

    static func text(_ status: Int, _ text: String) -> ServedResponse {
        ServedResponse(status: status, contentType: "text/plain; charset=utf-8", body: .bytes(Array((text + "\n").utf8)))
    }

    /// The headers every response carries: the HTML report's own policy (no
    /// script, nothing fetched, styles and images inline only), no sniffing
    /// a type other than the one sent, and no caching without asking again
    /// (`latest.html` changes with every report).
    package static let commonHeaders: [(name: String, value: String)] = [
        ("Content-Security-Policy", HTMLReport.contentSecurityPolicy),
        ("X-Content-Type-Options", "nosniff"),
        ("Cache-Control", "no-cache"),
        ("Referrer-Policy", "no-referrer"),
    ]
}
