import Analysis
import Charts
import Foundation
import Records

/// A chart of a report and the table it draws.
package struct ReportFigure: Sendable, Equatable {
    /// Where the report shows it: under which table.
    package enum Place: Sendable, Equatable {
        /// Under the leaderboard.
        case leaderboard
        /// Under the table of this model in LLM Runs by Model.
        case runGroups(model: String)
    }

    /// What it draws, and so its file's name.
    package enum Kind: String, Sendable {
        case leaderboard, history
    }

    package var kind: Kind
    package var place: Place
    /// The file in the report's charts folder (`leaderboard.svg`, `history-<hash>.svg`).
    package var name: String
    /// The chart's title: its file's alternative text in the Markdown.
    package var title: String
    package var svg: String
}

/// The charts a report draws from its facts: each shows what a table of the
/// same section holds, so every figure in a chart is also in the report's text.
/// The Markdown links each under its table (`![title](charts/<report>/<name>)`),
/// and the HTML page draws it there, inline.
package enum ReportFigures {
    package static func figures(_ facts: Facts) -> [ReportFigure] {
        var figures = [leaderboard(facts.leaderboard)].compactMap { $0 } + facts.runGroups.compactMap(history)
        // Each file name once, whatever the groups' hashes do: a name written twice would fail the report.
        var seen: [String: Int] = [:]
        for index in figures.indices {
            let name = figures[index].name
            seen[name, default: 0] += 1
            if let count = seen[name], count > 1 { figures[index].name = String(name.dropLast(4)) + "-\(count).svg" }
        }
        return figures
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
        return ReportFigure(kind: .leaderboard, place: .leaderboard, name: "leaderboard.svg", title: chart.title, svg: chart.svg)
    }

    /// A group of two sessions or more (not a sweep point): its decode
    /// throughput session by session, with its change points.
    static func history(_ group: RunGroup) -> ReportFigure? {
        guard !group.isSweep, group.sessions.count >= 2, group.sessions.contains(where: { $0.tokensPerSecond.median != nil }) else { return nil }
        let sessions = group.sessions.map { session in
            let figures = session.tokensPerSecond
            let when = Timestamps.fields(Date(timeIntervalSince1970: session.measuredAt))
            let label = String(format: "%02d-%02d %02d:%02d", when.month, when.day, when.hour, when.minute)
            return SessionChart.Session(
                label: label, median: figures.median, lower: figures.lowerQuartile, upper: figures.upperQuartile,
                detail: "\(session.source), \(session.runsOK) ok and \(session.runsFailed) failed runs")
        }
        let changes = Set(group.changePoints.filter { $0.metric == .tokensPerSecond }.map(\.session))
        let subject = group.configuration.isEmpty ? group.model : "\(group.model) (\(group.configuration.rendered))"
        let chart = SessionChart(title: "\(subject): decode throughput per session", unit: "tok/s", sessions: sessions, changesAt: changes)
        var hash = StableHash()
        hash.add(group.key)
        return ReportFigure(
            kind: .history, place: .runGroups(model: group.model), name: "history-\(String(hash.low, radix: 16)).svg",
            title: "\(subject): decode throughput per session", svg: chart.svg)
    }
}
