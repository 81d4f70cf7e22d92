/// A metric new sessions are tested on, with the direction that is better.
///
/// The raw value is the statistic's key in the JSON report's `llm_runs`, so a
/// regression names its metric as the report's figures do.
package enum TestedMetric: String, Sendable, CaseIterable, Codable {
    case tokensPerSecond = "tokens_per_second"
    case ttftSeconds = "ttft_seconds"

    /// Decode throughput is better higher; time to first token, lower.
    package var direction: Direction {
        switch self {
        case .tokensPerSecond: .higherIsBetter
        case .ttftSeconds: .lowerIsBetter
        }
    }

    /// How reports name the metric in text.
    package var label: String {
        switch self {
        case .tokensPerSecond: "tok/s"
        case .ttftSeconds: "warm TTFT"
        }
    }

    package enum Direction: String, Sendable, Codable {
        case higherIsBetter = "higher_is_better"
        case lowerIsBetter = "lower_is_better"

        /// Whether a change of `percent` (current against baseline) is for the worse.
        package func isWorse(_ percent: Double) -> Bool {
            self == .higherIsBetter ? percent < 0 : percent > 0
        }
    }
}
