import Analysis

extension MarkdownReport {
    /// Leaderboard rows shown; report.json has every row.
    static let leaderboardRowLimit = 15

    /// The `## Leaderboard` section: models ranked by decode throughput per
    /// quantisation and backend, then each family's quantisations compared.
    /// Every name is a table cell or inline text escaped for its place: model
    /// names come from the inputs.
    static func leaderboard(_ facts: Facts, _ context: ReportContext, _ out: inout MarkdownText) {
        let board = facts.leaderboard
        out.heading(2, "Leaderboard")
        guard !board.rows.isEmpty else {
            out.line("No repeated LLM runs to rank.")
            out.blank()
            return
        }
        let showsPrefill = board.rows.contains { $0.prefillTokensPerSecond != nil }
        out.line(
            "Decode throughput per model, quantisation and backend, fastest first: median and interquartile range (p25–p75) of the successful runs of every configuration that is not a sweep point, pooled; "
                + (showsPrefill ? "prefill as prompt tokens over prompt seconds of the runs that record both; " : "")
                + "warm TTFT median and p95. A session counts as failed when every run in it failed; "
                + "harness failures (files where nothing ran) are counted apart, as `harness`."
        )
        out.blank()
        var header = ["#", "Model", "Quant", "Backend", "tok/s median", "tok/s p25–p75"]
        if showsPrefill { header.append("Prefill tok/s") }
        header += ["TTFT median (s)", "TTFT p95 (s)", "Runs OK (failed)", "Sessions (failed)", "Configs"]
        let shown = board.rows.prefix(leaderboardRowLimit).enumerated().map { index, row in
            var cells = [
                String(index + 1), row.model, row.quant ?? "—", row.backend, figure(row.tokensPerSecondMedian, Figures.tokensPerSecond),
                interquartileRange(row),
            ]
            if showsPrefill { cells.append(figure(row.prefillTokensPerSecond, Figures.tokensPerSecond)) }
            cells += [
                figure(row.ttftMedian, Figures.seconds), figure(row.ttftP95, Figures.seconds),
                "\(row.runsOK) (\(failed(row.runsFailed, harness: row.runsFailedHarness)))",
                "\(row.sessions) (\(failed(row.failedSessions, harness: row.failedSessionsHarness)))", String(row.configurations),
            ]
            return cells
        }
        out.table(header, shown, strong: [1])
        if board.rows.count > leaderboardRowLimit {
            out.line("_And \(board.rows.count - leaderboardRowLimit) more in report.json._")
            out.blank()
        }
        charts(.leaderboard, context, &out)
        let comparisons = board.quantisationFindings()
        guard !comparisons.isEmpty else { return }
        out.line("Quantisations of one family compared (median decode tok/s, ratio to the fastest):")
        out.blank()
        for comparison in comparisons { out.line("- " + MarkdownLiteral.inline(comparison.text)) }
        out.blank()
    }

    private static func interquartileRange(_ row: Leaderboard.Row) -> String {
        guard let low = row.tokensPerSecondLowerQuartile, let high = row.tokensPerSecondUpperQuartile else { return "—" }
        return Figures.tokensPerSecond(low) + "–" + Figures.tokensPerSecond(high)
    }

    private static func figure(_ number: Double?, _ format: (Double) -> String) -> String {
        number.map(format) ?? "—"
    }

    /// The failures that are the model's, then the harness's apart
    /// (`2 + 5 harness`, `5 harness`): they were shown as the model's, beside
    /// a finding that keeps them out of its failure rate.
    static func failed(_ total: Int, harness: Int) -> String {
        guard harness > 0 else { return String(total) }
        let own = total - harness
        return own > 0 ? "\(own) + \(harness) harness" : "\(harness) harness"
    }
}

extension MarkdownReport {
    /// Links to the charts placed at `place`, when the report has a charts
    /// folder: images whose text is the chart's title and whose address is
    /// the report's own.
    static func charts(_ place: ReportFigure.Place, _ context: ReportContext, _ out: inout MarkdownText) {
        for (link, figure) in context.linkedFigures where figure.place == place {
            out.line("![\(MarkdownLiteral.inline(figure.title))](\(link))")
            out.blank()
        }
    }
}
