import ModelInterface

/// One request to the model for a report's narrative, as the report lists it:
/// what it cost, and how it ended.
public struct ModelCall: Sendable, Equatable {
    public enum Ending: Sendable, Equatable {
        /// A reply whose JSON parsed into a draft.
        case drafted
        /// A reply, but not the JSON asked for; `detail` says what was wrong.
        case unparseable(String)
        /// No reply: the backend's error, as one line.
        case failed(String)
    }

    /// 1 for the first call, 2 for the retry after an unparseable reply.
    public var attempt: Int
    public var outcome: Ending
    /// Nil when the call failed before any reply.
    public var metrics: ModelCallMetrics?

    public init(attempt: Int, outcome: Ending, metrics: ModelCallMetrics?) {
        self.attempt = attempt
        self.outcome = outcome
        self.metrics = metrics
    }

    /// The outcome in a few words, for tables and the journal.
    public var outcomeText: String {
        switch outcome {
        case .drafted: "reply parsed"
        case .unparseable(let detail): "reply not usable: \(detail)"
        case .failed(let reason): "failed: \(reason)"
        }
    }
}
