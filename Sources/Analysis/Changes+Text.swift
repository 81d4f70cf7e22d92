/// How a move is worded, in one place: the findings, the executive summary,
/// the callout and the table all show the same digits.
extension Changes.Move {
    /// `median tok/s` or `median TTFT (s)`.
    package var metricLabel: String { isThroughput ? "median tok/s" : "median TTFT (s)" }

    package var previousText: String { format(previous) }
    package var currentText: String { format(current) }
    package var changeText: String { Figures.signedPercent(changePercent) }

    /// `alpha` or `alpha (num_ctx=2048)`.
    package var label: String { configuration.isEmpty ? model : "\(model) (\(configuration))" }

    /// `fell` or `rose`.
    package var verb: String { current < previous ? "fell" : "rose" }

    /// `4 → 250`, the metric's values before and after (`—` when unknown).
    package var runsText: String { (runsBefore.map(String.init) ?? "—") + " → " + String(runsAfter) }

    /// The verdict with its evidence: `significant (Mann-Whitney p = 0.003)`,
    /// `not significant (Mann-Whitney p = 0.41)`, `too few runs (3 before, 250 after)`.
    package var verdictText: String {
        switch verdict {
        case .significant, .notSignificant:
            let p = test.map { " (Mann-Whitney " + Figures.pClause($0.pValue) + ")" } ?? ""
            return verdict.rawValue + p
        case .tooFewRuns:
            return "too few runs (\(runsBefore.map(String.init) ?? "?") before, \(runsAfter) after)"
        case .notTested:
            return "not tested (the previous report kept no runs to test against)"
        }
    }

    /// The figures `verdictText` shows.
    package var verdictFigures: [String] {
        switch verdict {
        case .significant, .notSignificant: test.map { [Figures.pValue($0.pValue)] } ?? []
        case .tooFewRuns: (runsBefore.map { [String($0)] } ?? []) + [String(runsAfter)]
        case .notTested: []
        }
    }

    private func format(_ value: Double) -> String {
        isThroughput ? Figures.tokensPerSecond(value) : Figures.seconds(value)
    }
}
