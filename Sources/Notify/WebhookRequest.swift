import Foundation
import Records
import Settings
import Store
import Systemd

/// One post of one queued event, before it meets the network: its headers
/// and body, for JSON receivers or for ntfy. Pure, so tests can read what
/// would be sent.
///
/// Header values are made of chimerad's own words and ids only; what comes
/// from benchmark files (model names, paths) goes into the body, where JSON
/// escapes it or, for ntfy's plain text, control characters are removed. A
/// newline in a model name can never reach a header.
package struct WebhookRequest: Sendable, Equatable {
    package var url: String
    package var headers: [WebhookHeaders.Field]
    package var body: [UInt8]

    package static let userAgent = "chimerad/0.1.0"

    /// The request for `entry` to `target`; throws when a stored body does
    /// not decode (ntfy's text is made from it).
    package init(entry: Store.OutboxEntry, target: WebhookTarget) throws {
        url = target.url
        let name = WebhookRequest.eventName(entry.kind)
        var headers: [WebhookHeaders.Field] = [
            .init(name: "User-Agent", value: WebhookRequest.userAgent),
            .init(name: "Idempotency-Key", value: WebhookRequest.headerValue(entry.eventID)),
            .init(name: "X-Chimerad-Event", value: name.rawValue),
        ]
        switch target.format {
        case .json:
            headers.insert(.init(name: "Content-Type", value: "application/json"), at: 0)
            body = Array(entry.payload.utf8)
        case .ntfy:
            let event = try WebhookEvent.decode(entry.payload)
            headers.insert(.init(name: "Content-Type", value: "text/plain; charset=utf-8"), at: 0)
            headers += WebhookRequest.ntfyHeaders(name)
            body = Array(WebhookRequest.plainText(event.title, limit: 1000).utf8)
        }
        // The headers file's fields win over chimerad's optional ones (a
        // `Priority:` of the user's); the reserved ones it cannot hold.
        let replaced = Set(target.headers.fields.map { $0.name.lowercased() })
        headers.removeAll { replaced.contains($0.name.lowercased()) }
        // A name the file repeats is sent as often as it gives it.
        self.headers = headers + target.headers.fields
    }

    static func eventName(_ kind: Store.OutboxEntry.Kind) -> WebhookEvent.Name {
        switch kind {
        case .opened: .regressionOpened
        case .reopened: .regressionReopened
        case .resolved: .regressionResolved
        case .report: .reportWritten
        }
    }

    /// ntfy's `Title`, `Tags` (emoji shortcodes) and `Priority` for an event.
    static func ntfyHeaders(_ name: WebhookEvent.Name) -> [WebhookHeaders.Field] {
        let (title, tags, priority) =
            switch name {
            case .regressionOpened: ("chimerad: regression opened", "warning,chart_with_downwards_trend", "high")
            case .regressionReopened: ("chimerad: regression reopened", "warning,repeat", "high")
            case .regressionResolved: ("chimerad: regression resolved", "white_check_mark", "default")
            case .reportWritten: ("chimerad: report written", "page_facing_up", "low")
            }
        return [.init(name: "Title", value: title), .init(name: "Tags", value: tags), .init(name: "Priority", value: priority)]
    }

    /// `text` as one line of plain text: control characters (line breaks
    /// included) become spaces, runs of spaces one, at most `limit` characters.
    package static func plainText(_ text: String, limit: Int) -> String {
        var out = ""
        var lastWasSpace = false
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            // C0, C1, line and paragraph separators, bidirectional controls and
            // invisible characters; the joiners inside a word or an emoji sequence are kept.
            if HiddenCharacters.isHidden(scalars, at: index) || scalar == " " {
                if !lastWasSpace && !out.isEmpty { out.append(" ") }
                lastWasSpace = true
            } else {
                out.unicodeScalars.append(scalar)
                lastWasSpace = false
            }
        }
        while out.hasSuffix(" ") { out.removeLast() }
        return out.count > limit ? String(out.prefix(limit - 1)) + "…" : out
    }

    /// A header value that is printable ASCII and nothing else (anything
    /// else is replaced by `?`): no line break, no byte a server could
    /// read as the start of another header.
    package static func headerValue(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.prefix(512).map { (0x20...0x7E).contains($0.value) ? $0 : "?" }))
    }
}
