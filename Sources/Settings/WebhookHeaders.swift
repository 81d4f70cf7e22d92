import Foundation

/// `notify.headers_file`: extra HTTP headers for the webhook (an
/// `Authorization: Bearer ...` token), one `Name: value` a line; blank lines
/// and lines starting with `#` are skipped. Kept out of the config file so the
/// config can be world-readable while the token is not.
///
/// Problems name the line, never its text: the file holds secrets, and its
/// values must not reach a log.
package struct WebhookHeaders: Sendable, Equatable {
    package struct Field: Sendable, Equatable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    package var fields: [Field] = []

    package init(fields: [Field] = []) {
        self.fields = fields
    }

    /// Headers chimerad sets itself, or the HTTP client does, or that would
    /// misdescribe the body: a file may not give them (a second
    /// `Content-Length` or `Host` makes the request ambiguous; the idempotency
    /// key is the event's id; `Content-Encoding: gzip` on plain JSON makes
    /// the receiver fail to read it; `Expect: 100-continue` waits for an
    /// answer the client never asks for).
    package static let reserved: Set<String> = [
        "content-length", "transfer-encoding", "host", "connection", "content-type", "idempotency-key", "upgrade", "te", "trailer",
        "content-encoding", "expect", "keep-alive", "proxy-connection",
    ]

    /// A file larger than this is no headers file.
    static let maximumBytes = 64 * 1024

    /// Reads and parses `path`; why not, as a config error's reason.
    package static func read(_ path: String) -> Result<WebhookHeaders, Problem> {
        SecretTextFile.read(path, maximumBytes: maximumBytes, limitText: "\(maximumBytes / 1024) KiB").mapError { Problem($0.reason) }
            .flatMap { text in parse(text).mapError { Problem("'\(path)' \($0.reason)") } }
    }

    /// The lines of a headers file as fields, or the first line that is not one.
    package static func parse(_ text: String) -> Result<WebhookHeaders, Problem> {
        var fields: [Field] = []
        // "\r\n" is one Character: split on it as on "\n" (a file from Windows).
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (index, line) in lines.enumerated() {
            let number = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                return .failure(Problem("line \(number): expected 'Name: value'"))
            }
            let name = String(line[..<colon])
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(isTokenCharacter) else {
                return .failure(Problem("line \(number): the header name is not an HTTP token (letters, digits, -, _ and a few more)"))
            }
            guard !reserved.contains(name.lowercased()) else {
                return .failure(Problem("line \(number): \(name) is reserved: chimerad sets it, or it would misdescribe the post"))
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: CharacterSet(charactersIn: " \t"))
            // Control characters (but tab) could end the header early or smuggle another.
            guard !value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else {
                return .failure(Problem("line \(number): the value of \(name) holds a control character"))
            }
            fields.append(Field(name: name, value: value))
        }
        return .success(WebhookHeaders(fields: fields))
    }

    /// RFC 9110's `tchar`.
    private static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "!", "#", "$", "%", "&", "'", "*", "+", "-", ".", "^", "_", "`", "|", "~": true
        default: false
        }
    }

    /// Why a headers file cannot be used.
    package struct Problem: Error, Sendable, Equatable {
        package var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}
