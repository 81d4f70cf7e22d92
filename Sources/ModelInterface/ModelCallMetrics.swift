/// What a call cost, in the units report.json's `model_call` uses
/// (milliseconds, tokens, tokens per second). Nil where neither the server
/// nor the client's clocks can say.
package struct ModelCallMetrics: Sendable, Equatable {
    /// Client-side: from sending the request to the first non-empty content chunk.
    package var ttftMilliseconds: Double?
    /// Generation speed: the server's figure when given, else tokens over eval time.
    package var tokensPerSecond: Double?
    package var tokensGenerated: Int?
    /// Tokens of the whole prompt (cached ones included).
    package var promptTokens: Int?
    package var promptEvalMilliseconds: Double?
    package var evalMilliseconds: Double?
    /// Model load time; only servers that load per call (Ollama) report it.
    package var loadMilliseconds: Double?
    /// Client-side: from sending the request to the end of the stream.
    package var totalMilliseconds: Double?

    package init(
        ttftMilliseconds: Double? = nil, tokensPerSecond: Double? = nil, tokensGenerated: Int? = nil,
        promptTokens: Int? = nil, promptEvalMilliseconds: Double? = nil, evalMilliseconds: Double? = nil,
        loadMilliseconds: Double? = nil, totalMilliseconds: Double? = nil
    ) {
        self.ttftMilliseconds = ttftMilliseconds
        self.tokensPerSecond = tokensPerSecond
        self.tokensGenerated = tokensGenerated
        self.promptTokens = promptTokens
        self.promptEvalMilliseconds = promptEvalMilliseconds
        self.evalMilliseconds = evalMilliseconds
        self.loadMilliseconds = loadMilliseconds
        self.totalMilliseconds = totalMilliseconds
    }
}
