/// A metric new sessions are tested on, with the direction that is better.
///
/// For run groups the raw value is the statistic's key in the JSON report's
/// `llm_runs`, so a regression names its metric as the report's figures do.
/// Other benchmarks (hyperfine, pytest-benchmark, Google Benchmark, vLLM) are
/// tested on what their tool measured per run: a time (in seconds, whatever
/// unit the file used) or a rate; the regression names the tool and the unit.
package enum TestedMetric: String, Sendable, CaseIterable, Codable {
    case tokensPerSecond = "tokens_per_second"
    case ttftSeconds = "ttft_seconds"
    /// A benchmark's time per run (hyperfine's `times`, pytest-benchmark's
    /// `data`, Google Benchmark's repetitions): lower is better.
    case time
    /// A benchmark's rate per run (a Google Benchmark `*_per_second`
    /// counter, vLLM's throughputs): higher is better.
    case throughput

    /// Decode throughput and rates are better higher; times, lower.
    package var direction: Direction {
        switch self {
        case .tokensPerSecond, .throughput: .higherIsBetter
        case .ttftSeconds, .time: .lowerIsBetter
        }
    }

    /// How reports name the metric in text.
    package var label: String {
        switch self {
        case .tokensPerSecond: "tok/s"
        case .ttftSeconds: "warm TTFT"
        case .time: "time"
        case .throughput: "throughput"
        }
    }

    /// The unit its medians are in; nil for a rate, which keeps its tool's own.
    package var unit: String? {
        switch self {
        case .tokensPerSecond: "tok/s"
        case .ttftSeconds, .time: "s"
        case .throughput: nil
        }
    }

    /// A median of this metric as reports write it; `unit` is a rate's own.
    package func text(_ value: Double, unit: String? = nil) -> String {
        switch self {
        case .tokensPerSecond: Figures.tokensPerSecond(value)
        case .ttftSeconds: Figures.seconds(value) + " s"
        case .time: Figures.duration(value)
        case .throughput: Figures.general(value) + (unit.map { " " + $0 } ?? "")
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
