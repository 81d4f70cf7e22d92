extension ModelCallMetrics {
    /// A report's figures over all its calls (a retry adds a second): times and
    /// token counts add up; TTFT is the first call's (when the reader first
    /// could have seen text); tokens per second is all tokens over all
    /// generation time, not an average of rates.
    package static func summed(_ calls: [ModelCallMetrics]) -> ModelCallMetrics? {
        guard let first = calls.first else { return nil }
        func sum(_ value: (ModelCallMetrics) -> Double?) -> Double? {
            let values = calls.compactMap(value)
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        func count(_ value: (ModelCallMetrics) -> Int?) -> Int? {
            let values = calls.compactMap(value)
            return values.isEmpty ? nil : values.reduce(0, +)
        }
        var total = ModelCallMetrics(
            ttftMilliseconds: first.ttftMilliseconds,
            tokensGenerated: count(\.tokensGenerated),
            promptTokens: count(\.promptTokens),
            promptEvalMilliseconds: sum(\.promptEvalMilliseconds),
            evalMilliseconds: sum(\.evalMilliseconds),
            loadMilliseconds: sum(\.loadMilliseconds),
            totalMilliseconds: sum(\.totalMilliseconds))
        if calls.count == 1 {
            total.tokensPerSecond = first.tokensPerSecond
        } else if let tokens = total.tokensGenerated, let eval = total.evalMilliseconds, eval > 0 {
            total.tokensPerSecond = Double(tokens) / eval * 1000
        }
        return total
    }
}
