extension Settings {
    /// `notify.*`: a webhook told of every regression opened and resolved
    /// (and, if asked, of every report), beside the Atom feed. Empty URL: off.
    package struct Notify: Sendable, Equatable {
        /// Where events are POSTed; empty: no webhook, nothing is queued.
        package var webhookURL = ""
        /// A file of `Name: value` lines sent with every post (a token); empty: none.
        /// Read when the configuration loads; its values are never logged.
        package var headersFile = ""
        /// Also post one `report.written` event per report.
        package var onReport = false
        /// The body's shape: JSON, ntfy's plain text, or chosen by the URL.
        package var format = Format.auto
        /// The longest one post may take, connecting included, in seconds.
        package var timeoutSeconds = 0.0

        package enum Format: String, Sendable, CaseIterable {
            /// ntfy when the URL's host is `ntfy.sh` or starts with `ntfy.`, else JSON.
            case auto
            case json
            /// ntfy's publish API: a plain-text body, `Title`, `Tags` and `Priority` headers.
            case ntfy
        }

        /// Whether events are queued and posted at all.
        package var isEnabled: Bool { !webhookURL.isEmpty }
    }
}
