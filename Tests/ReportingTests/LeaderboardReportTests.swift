import Analysis
import Foundation
import Records
import Testing

@testable import Reporting

/// The leaderboard as report.json and the Markdown show it.
@Suite("Leaderboard in reports")
struct LeaderboardReportTests {
    /// `count` models named by `name`, each measured once at its own speed
    /// (the first fastest), and one family (`name(count)`) at two quantisations.
    static func facts(_ name: (Int) -> String, count: Int) -> Facts {
        var files: [(String, Extraction)] = (0..<count).map { index in
            let speed = Double(200 - index)
            return (
                "/in/m\(index).csv",
                Extraction(
                    shape: .ollamaRuns,
                    runSets: [
                        RunSet(
                            model: name(index), configuration: [],
                            runs: ReportFixtures.runs([speed, speed + 1, speed + 2], ttft: [0.2, 0.3, 0.4]))
                    ])
            )
        }
        for (quant, speed) in [("q4_0", 300.0), ("q8_0", 150.0)] {
            files.append(
                (
                    "/in/\(quant).csv",
                    Extraction(
                        shape: .ollamaRuns,
                        runSets: [
                            RunSet(
                                model: name(count) + "-" + quant, configuration: [Parameter("num_ctx", "2048")],
                                runs: ReportFixtures.runs([speed, speed], ttft: [0.1, 0.1]))
                        ])
                ))
        }
        return ReportFixtures.facts(files)
    }

    static func section(_ facts: Facts) -> String {
        var out = MarkdownText()
        MarkdownReport.leaderboard(facts, ReportFixtures.context(), &out)
        return out.text
    }

    @Test("with a charts folder, the chart is linked under the table by its title; without one, nothing is")
    func chartLink() throws {
        let facts = Self.facts(HostileNamesReportTests.benign, count: 3)
        var context = ReportFixtures.context()
        context.figures = ReportFigures.figures(facts)
        context.chartsPath = "charts/chimera-report-20251122T194501Z"
        var out = MarkdownText()
        MarkdownReport.leaderboard(facts, context, &out)
        let link = "![Decode throughput per model: median and p25–p75 of the successful runs](charts/chimera-report-20251122T194501Z/leaderboard.svg)"
        #expect(out.text.contains("|\n\n" + link + "\n"), "\(out.text)")
        #expect(!Self.section(facts).contains("!["))
    }

    @Test("report.json holds every row and the quantisation comparisons with the contract's keys")
    func jsonKeys() throws {
        let facts = Self.facts(HostileNamesReportTests.benign, count: 20)
        let json = JSONReport.render(facts, ReportFixtures.context(reportSeconds: 0.5))
        let document = try #require(try parseJSON(json) as? [String: Any])
        let board = try document.object("leaderboard")
        let rows = try board.list("rows").compactMap { $0 as? [String: Any] }
        #expect(rows.count == 22)
        let first = try #require(rows.first)
        #expect(
            Set(first.keys) == [
                "model", "family", "quant", "backend", "configurations", "runs", "runs_failed", "runs_failed_harness", "sessions",
                "failed_sessions", "failed_sessions_harness", "tokens_per_second", "prefill_tokens_per_second", "ttft_seconds",
            ])
        #expect(try first.text("model") == "name20-q4_0")
        #expect(try first.text("family") == "name20")
        #expect(try first.text("quant") == "q4_0")
        #expect(try first.text("backend") == "ollama")
        #expect(try first.integer("configurations") == 1 && first.integer("runs") == 2 && first.integer("sessions") == 1)
        #expect(try first.integer("failed_sessions") == 0 && first.integer("failed_sessions_harness") == 0)
        // The harness's failures apart from the model's: they read as the model's.
        #expect(MarkdownReport.failed(3, harness: 0) == "3")
        #expect(MarkdownReport.failed(5, harness: 5) == "5 harness")
        #expect(MarkdownReport.failed(7, harness: 5) == "2 + 5 harness")
        #expect(Set(try first.object("tokens_per_second").keys) == ["median", "p25", "p75"])
        #expect(try first.object("tokens_per_second").number("median") == 300)
        #expect(first.isNull("prefill_tokens_per_second"))
        #expect(Set(try first.object("ttft_seconds").keys) == ["median", "p95"])
        #expect(rows[1].isNull("quant"), "name0 has no quantisation")
        let comparisons = try board.list("quantisation").compactMap { $0 as? [String: Any] }
        let comparison = try #require(comparisons.first)
        #expect(comparisons.count == 1)
        #expect(Set(comparison.keys) == ["family", "backend", "quants"])
        let quants = try comparison.list("quants").compactMap { $0 as? [String: Any] }
        #expect(quants.map { Set($0.keys) } == [["quant", "model", "median", "ratio"], ["quant", "model", "median", "ratio"]])
        #expect(try quants.map { try $0.text("quant") } == ["q4_0", "q8_0"])
        #expect(try quants.map { try $0.number("ratio") } == [1, 0.5])
    }

    @Test("the Markdown table shows the first 15 rows, one cell per column whatever the names, and the comparisons")
    func markdownTable() throws {
        let markdown = Self.section(Self.facts(HostileNamesReportTests.hostile, count: 20))
        #expect(markdown.hasPrefix("## Leaderboard\n"))
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        let table = lines.filter { $0.hasPrefix("|") }
        #expect(table.count == 2 + MarkdownReport.leaderboardRowLimit)
        let columns = MarkdownReportTests.cells(try #require(table.first)).count
        for row in table { #expect(MarkdownReportTests.cells(row).count == columns, "row does not match its header: \(row)") }
        #expect(markdown.contains("_And 7 more in report.json._"))
        #expect(lines.contains { $0.hasPrefix("- ") && $0.contains("median decode by quantisation: q4_0 300.00 tok/s, q8_0 150.00 (0.50×)") })
    }

    @Test("hostile model names add no element: cmark reads the section as it reads it with ordinary names")
    func hostileNames() throws {
        let hostile = try CommonMark.html(Self.section(Self.facts(HostileNamesReportTests.hostile, count: 20)))
        let benign = try CommonMark.html(Self.section(Self.facts(HostileNamesReportTests.benign, count: 20)))
        #expect(HostileNamesReportTests.structure(hostile) == HostileNamesReportTests.structure(benign))
        for raw in ["<script", "<img", "<!--", "<div", "href=", "<a ", "<h3", "<h1"] { #expect(!hostile.contains(raw), "the HTML holds \(raw)") }
    }

    @Test("no runs: the section says there is nothing to rank")
    func empty() {
        #expect(Self.section(ReportFixtures.facts([])) == "## Leaderboard\n\nNo repeated LLM runs to rank.\n\n")
    }
}
