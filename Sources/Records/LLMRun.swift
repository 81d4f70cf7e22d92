/// One inference request of an LLM benchmark, as the benchmark recorded it.
///
/// Absent measurements are `nil`. Times are seconds; `tokensPerSecond` is decode
/// throughput (Ollama's `eval_count / eval_duration`), as the tools report it.
public struct LLMRun: Sendable, Equatable {
    /// Position of the run in its file (0-based), so cold starts can be told apart.
    public var ordinal: Int
    /// A hash of the prompt text (0 when the file has none): identifies the same
    /// run recorded in two files without keeping every prompt in memory.
    public var promptKey: UInt64
    public var tokensPerSecond: Double?
    public var ttftSeconds: Double?
    public var loadSeconds: Double?
    public var promptEvalSeconds: Double?
    public var evalSeconds: Double?
    public var promptEvalCount: Double?
    public var evalCount: Double?
    /// The benchmark's own error text; a run with one is a failed run.
    public var error: String?

    public init(
        ordinal: Int,
        promptKey: UInt64 = 0,
        tokensPerSecond: Double? = nil,
        ttftSeconds: Double? = nil,
        loadSeconds: Double? = nil,
        promptEvalSeconds: Double? = nil,
        evalSeconds: Double? = nil,
        promptEvalCount: Double? = nil,
        evalCount: Double? = nil,
        error: String? = nil
    ) {
        self.ordinal = ordinal
        self.promptKey = promptKey
        self.tokensPerSecond = tokensPerSecond
        self.ttftSeconds = ttftSeconds
        self.loadSeconds = loadSeconds
        self.promptEvalSeconds = promptEvalSeconds
        self.evalSeconds = evalSeconds
        self.promptEvalCount = promptEvalCount
        self.evalCount = evalCount
        self.error = error
    }

    /// Why the run counts as failed, or `nil` when it succeeded.
    ///
    /// An error text fails a run; so does a run that produced no tokens (failed
    /// Ollama runs are written as rows of zeros, sometimes with no message).
    public var failureReason: String? {
        if let error, !error.isEmpty { return error }
        if let evalCount, evalCount <= 0 { return "no tokens generated" }
        if evalCount == nil, let tokensPerSecond, tokensPerSecond <= 0 { return "no tokens generated" }
        if tokensPerSecond == nil && ttftSeconds == nil { return "no measurements recorded" }
        return nil
    }
}

/// Runs of one model under one configuration, as one file recorded them.
public struct RunSet: Sendable, Equatable {
    /// The model named by the data itself; `nil` when the file does not say.
    public var model: String?
    /// Every parameter the runs were produced under, sorted by name.
    public var configuration: [Parameter]
    public var runs: [LLMRun]

    public init(model: String?, configuration: [Parameter], runs: [LLMRun]) {
        self.model = model
        self.configuration = configuration.sorted()
        self.runs = runs
    }
}
