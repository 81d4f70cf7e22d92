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
        self.ttftMilliseconds = Self.figure(ttftMilliseconds)
        self.tokensPerSecond = Self.figure(tokensPerSecond)
        self.tokensGenerated = Self.count(tokensGenerated)
        self.promptTokens = Self.count(promptTokens)
        self.promptEvalMilliseconds = Self.figure(promptEvalMilliseconds)
        self.evalMilliseconds = Self.figure(evalMilliseconds)
        self.loadMilliseconds = Self.figure(loadMilliseconds)
        self.totalMilliseconds = Self.figure(totalMilliseconds)
    }

    /// The largest time or rate kept (about 30 years in milliseconds): these
    /// come from a server's reply, and one saying `"predicted_ms": 1e300`
    /// gives no figure (it would trap where it is shown as a whole number,
    /// and sums of such reach infinity).
    static let largestFigure = 1e12
    /// The largest token count kept, for the same reason (sums must not overflow).
    static let largestCount = 1 << 40

    private static func figure(_ value: Double?) -> Double? {
        guard let value, value.isFinite, value >= 0, value <= largestFigure else { return nil }
        return value
    }

    private static func count(_ value: Int?) -> Int? {
        guard let value, value >= 0, value <= largestCount else { return nil }
        return value
    }
}
