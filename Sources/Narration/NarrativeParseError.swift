/// Why a model's reply gave no draft. The caller retries once, then falls back
/// to the rule-based text, with `description` as the reason.
package enum NarrativeParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reply was empty or white space.
    case emptyReply
    /// No JSON object anywhere in the reply; `excerpt` is its start, for the log.
    case noJSONObject(excerpt: String)
    /// JSON, but none of summary, findings, recommendations or risks held an item.
    case noNarrative(keys: [String])

    package var description: String {
        switch self {
        case .emptyReply: "the model's reply was empty"
        case .noJSONObject(let excerpt): "the model's reply held no JSON object (it began: \"\(excerpt)\")"
        case .noNarrative(let keys):
            keys.isEmpty
                ? "the model's JSON held no items (kind, facts, note) in summary, findings, recommendations or risks"
                : "the model's JSON held no items (kind, facts, note) in summary, findings, recommendations or risks (keys: \(keys.joined(separator: ", ")))"
        }
    }
}
