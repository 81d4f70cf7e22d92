import Foundation
import Settings

/// Where and how events are posted: the `notify.*` settings with the headers
/// file read and the body format decided. Made at start and at every reload,
/// so a rotated token in the headers file applies on `systemctl reload`.
package struct WebhookTarget: Sendable, Equatable {
    package enum Format: String, Sendable {
        case json
        /// ntfy's publish API: plain text, with `Title`, `Tags` and `Priority`.
        case ntfy
    }

    package var url: String
    package var format: Format
    package var headers: WebhookHeaders
    package var timeout: Duration

    package init(url: String, format: Format, headers: WebhookHeaders = WebhookHeaders(), timeout: Duration = .seconds(10)) {
        self.url = url
        self.format = format
        self.headers = headers
        self.timeout = timeout
    }

    /// The target `settings` configure, nil when no webhook is; the headers
    /// file's problem (it changed since the settings were checked) otherwise.
    package static func configured(by settings: Settings.Notify) -> Result<WebhookTarget?, WebhookHeaders.Problem> {
        guard settings.isEnabled else { return .success(nil) }
        var headers = WebhookHeaders()
        if !settings.headersFile.isEmpty {
            switch WebhookHeaders.read(settings.headersFile) {
            case .success(let read): headers = read
            case .failure(let problem): return .failure(problem)
            }
        }
        let format: Format
        switch settings.format {
        case .json: format = .json
        case .ntfy: format = .ntfy
        case .auto: format = isNtfyTopic(settings.webhookURL) ? .ntfy : .json
        }
        return .success(
            WebhookTarget(
                url: settings.webhookURL, format: format, headers: headers,
                timeout: .milliseconds(Int64((settings.timeoutSeconds * 1000).rounded()))))
    }

    /// `notify.format: auto`'s rule: ntfy when the URL's host is `ntfy.sh`
    /// (or under it), or its first label is `ntfy` (`ntfy.example.com`, the
    /// usual name of a self-hosted server). Anything else gets JSON; name
    /// `notify.format: ntfy` for a server called otherwise.
    package static func isNtfyTopic(_ url: String) -> Bool {
        guard let host = URL(string: url)?.host?.lowercased() else { return false }
        return host == "ntfy.sh" || host.hasSuffix(".ntfy.sh") || host.hasPrefix("ntfy.")
    }

    /// What logs may name: scheme, host and port, never the path (a Slack or
    /// Discord webhook's path is its secret) nor a query.
    package var loggedDestination: String {
        guard let parsed = URL(string: url), let scheme = parsed.scheme, let host = parsed.host else { return "(webhook)" }
        return "\(scheme)://\(host)" + (parsed.port.map { ":\($0)" } ?? "")
    }
}
