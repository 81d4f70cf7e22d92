import ModelInterface

/// One request to the model for a report's narrative, as the report lists it:
/// what it cost, and how it ended.
package struct ModelCall: Sendable, Equatable {
    package enum Ending: Sendable, Equatable {
        /// A reply whose JSON parsed into a draft.
        case drafted
        /// A reply, but not the JSON asked for; `detail` says what was wrong.
        case unparseable(String)
        /// No reply: the backend's error, as one line.
        case failed(String)
    }

    /// 1 for the first call, 2 for the retry after an unparseable reply.
    package var attempt: Int
    package var outcome: Ending
    /// Nil when the call failed before any reply.
    package var metrics: ModelCallMetrics?

    package init(attempt: Int, outcome: Ending, metrics: ModelCallMetrics?) {
        self.attempt = attempt
        self.outcome = outcome
        self.metrics = metrics
    }

    /// The outcome in a few words, for tables and the journal.
    package var outcomeText: String {
        switch outcome {
        case .drafted: "reply parsed"
        case .unparseable(let detail): "reply not usable: \(detail)"
        case .failed(let reason): "failed: \(reason)"
        }
    }
}
