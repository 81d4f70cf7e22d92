/// What a narrative item says about the facts it cites: the closed vocabulary
/// a model chooses from and chimerad knows how to state and check. The raw
/// values are what the model writes (`"kind": "fastest"`).
package enum ItemKind: String, Sendable, CaseIterable, Comparable {
    // MARK: Summary and findings: what the data shows.

    /// A move the session test confirms is worse (What Changed).
    case regression
    /// A move the session test confirms is better.
    case improvement
    /// A move the test does not confirm (not significant, too few runs).
    case inconclusive
    /// The group with the highest median throughput.
    case fastest
    /// The group with the lowest median throughput.
    case slowest
    /// Two groups' median throughput, the faster cited first.
    case compare
    /// One group's median throughput, runs and TTFT.
    case throughput
    /// Failed runs: of a model, or with one error.
    case failures
    /// Sessions in which nothing ran: the harness's failure, not the model's.
    case harnessFailure = "harness_failure"
    /// A group whose first run took longer to its first token than the rest.
    case coldStart = "cold_start"
    /// A sweep's run-to-run noise.
    case noisy
    /// A sweep's best configuration.
    case bestConfig = "best_config"
    /// A compilation benchmark's fastest backend against eager.
    case fastestBackend = "fastest_backend"
    /// A llama-bench test the newer build runs slower.
    case buildSlower = "build_slower"
    /// Another benchmark's figures: a llama-bench test, a hyperfine command,
    /// a pytest-benchmark test.
    case benchmark

    // MARK: Recommendations, and the mitigations of risks.

    case investigate
    case rerunWithMoreRuns = "rerun_with_more_runs"
    case pinBaseline = "pin_baseline"
    case useConfig = "use_config"
    case fixHarness = "fix_harness"
    case fixFailures = "fix_failures"
    case warmUp = "warm_up"

    // MARK: Risks.

    /// A group with few runs: its figures may be noise.
    case fewRuns = "few_runs"
    /// A sweep whose noise is as large as the differences it ranks.
    case noisyResults = "noisy_results"
    /// Sessions that ran nothing: the harness may fail again.
    case harnessUnreliable = "harness_unreliable"
    /// A model whose failed runs leave its figures resting on fewer runs.
    case failuresHideFigures = "failures_hide_figures"
    /// Cold first runs that skew a group's TTFT.
    case coldStartSkews = "cold_start_skews"
    /// A move nobody has confirmed yet.
    case unconfirmedChange = "unconfirmed_change"
    /// A regression still open.
    case openRegression = "open_regression"

    /// The section an item of this kind belongs to. Summary items use the
    /// findings' kinds.
    package var sections: [GroundedNarrative.Section] {
        switch self {
        case .regression, .improvement, .inconclusive, .fastest, .slowest, .compare, .throughput, .failures, .harnessFailure,
            .coldStart, .noisy, .bestConfig, .fastestBackend, .buildSlower, .benchmark:
            [.summary, .findings]
        case .investigate, .rerunWithMoreRuns, .pinBaseline, .useConfig, .fixHarness, .fixFailures, .warmUp:
            [.recommendations]
        case .fewRuns, .noisyResults, .harnessUnreliable, .failuresHideFigures, .coldStartSkews, .unconfirmedChange,
            .openRegression:
            [.risks]
        }
    }

    /// The mitigations a risk of this kind may name (empty for other kinds).
    package var mitigations: [ItemKind] {
        switch self {
        case .fewRuns, .noisyResults, .unconfirmedChange: [.rerunWithMoreRuns]
        case .harnessUnreliable: [.fixHarness]
        case .failuresHideFigures: [.fixFailures, .rerunWithMoreRuns]
        case .coldStartSkews: [.warmUp]
        case .openRegression: [.investigate, .pinBaseline]
        default: []
        }
    }

    /// Reads a kind as models write it: any case, `-` or space for `_`.
    package init?(loosely text: String) {
        let key = text.trimmingWhiteSpace.lowercased().replacingAll("-", with: "_").replacingAll(" ", with: "_")
        self.init(rawValue: key)
    }

    package static func < (lhs: ItemKind, rhs: ItemKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
