import Analysis
import Charts

/// A chart of a report and the section whose table it draws.
package struct ReportFigure: Sendable, Equatable {
    package enum Kind: String, Sendable, Equatable {
        case leaderboard
    }

    package var kind: Kind
    /// The chart's title: its file's alternative text in the Markdown.
    package var title: String
    package var svg: String

    /// The file in the report's charts folder.
    package var name: String { kind.rawValue + ".svg" }
}

/// The charts a report draws from its facts: each shows what a table of the
/// same section holds, so every figure in a chart is also in the report's text.
/// The Markdown links each under its table (`![title](charts/<report>/<kind>.svg)`),
/// and the HTML page draws it there, inline.
package enum ReportFigures {
    package static func figures(_ facts: Facts) -> [ReportFigure] {
        [leaderboard(facts.leaderboard)].compactMap { $0 }
    }

    /// The leaderboard's decode throughput: median and p25–p75 per row, in its order.
    static func leaderboard(_ board: Leaderboard) -> ReportFigure? {
        let backends = Set(board.rows.map(\.backend))
        let rows = board.rows.prefix(MarkdownReport.leaderboardRowLimit).compactMap { row -> RangeChart.Row? in
            guard let median = row.tokensPerSecondMedian else { return nil }
            let label = backends.count > 1 ? "\(row.model) (\(row.backend))" : row.model
            return RangeChart.Row(
                label: label, median: median, lower: row.tokensPerSecondLowerQuartile, upper: row.tokensPerSecondUpperQuartile,
                shown: Figures.tokensPerSecond(median))
        }
        guard !rows.isEmpty else { return nil }
        let chart = RangeChart(title: "Decode throughput per model: median and p25–p75 of the successful runs", unit: "tok/s", rows: rows)
        return ReportFigure(kind: .leaderboard, title: chart.title, svg: chart.svg)
    }
}
