import Foundation

/// Why a model call produced no reply. Each description is one line fit for
/// report.json's `narrative.unavailable_reason`, the journal and `STATUS=`.
package enum ModelCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing answered at the address (connection refused, no route, DNS);
    /// `cause` says which of the kinds callers act on it was.
    case unreachable(url: String, reason: String, cause: UnreachableCause = .other)
    /// The call (or a read) took longer than allowed.
    case timedOut(after: Duration)
    /// The server answered with an error status; `message` is its own words.
    case httpStatus(code: Int, message: String)
    /// The stream ended before the reply was complete.
    case streamClosedEarly(receivedCharacters: Int)
    /// The server's bytes were not the protocol's (garbage, broken JSON).
    case invalidReply(String)
    /// The prompt does not fit the model's context window.
    case contextOverflow(promptTokens: Int?, contextSize: Int?)
    /// The server does not have the model asked for.
    case modelNotFound(model: String, message: String)
    /// The server reported an error inside a stream that had started well.
    case serverError(String)
    /// The caller gave up on the call (the daemon is stopping).
    case cancelled(String)

    /// What kind of unreachable: a refused connection and a connect timeout
    /// are final; anything else may be a stale pooled connection, worth one
    /// retry on a new one.
    package enum UnreachableCause: Sendable, Equatable {
        case refused
        case connectTimedOut
        case other
    }

    package var description: String {
        switch self {
        case .unreachable(let url, let reason, _):
            return "model server unreachable at \(url): \(reason)"
        case .timedOut(let after):
            return "model call timed out after \(ModelCallError.seconds(after)) s"
        case .httpStatus(let code, let message):
            return message.isEmpty ? "model server answered HTTP \(code)" : "model server answered HTTP \(code): \(message)"
        case .streamClosedEarly(let received):
            return "model server closed the stream early (after \(received) characters of reply)"
        case .invalidReply(let detail):
            return "model server sent an invalid reply: \(detail)"
        case .contextOverflow(let prompt, let context):
            let promptPart = prompt.map { "prompt of \($0) tokens" } ?? "prompt"
            let contextPart = context.map { "the model's context of \($0) tokens" } ?? "the model's context"
            return "\(promptPart) exceeds \(contextPart)"
        case .modelNotFound(let model, let message):
            return message.isEmpty ? "model not found: \(model)" : "model not found: \(model) (\(message))"
        case .serverError(let message):
            return "model server reported an error mid-stream: \(message)"
        case .cancelled(let reason):
            return "model call abandoned: \(reason)"
        }
    }

    /// `2` or `0.5`: seconds as a person writes them.
    package static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return ModelOptions.format((value * 1000).rounded() / 1000)
    }

    /// One line, at most `limit` characters: server messages go into one-line fields.
    package static func oneLine(_ text: String, limit: Int = 200) -> String {
        let flat = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return flat.count > limit ? String(flat.prefix(limit)) + "…" : flat
    }
}
