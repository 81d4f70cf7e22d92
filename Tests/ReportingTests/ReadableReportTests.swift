import Analysis
import Foundation
import Records
import Testing

@testable import Reporting

/// A report read in a minute: long tables leave the body for an appendix,
/// the first screen still shows what matters, and the summary sets like
/// against like.
@Suite("Readable reports")
struct ReadableReportTests {
    /// 36 configurations of omega, one run each.
    static let longSweep: (String, Extraction) = ("/in/omega_param_tuning.csv", Extraction(shape: .parameterSweep, runSets: sweepRuns()))

    static func sweepRuns() -> [RunSet] {
        let contexts = ["1024", "2048", "4096"]
        let layers = ["40", "60", "80", "999"]
        let temperatures = ["0.2", "0.4", "0.8"]
        return (0..<36).map { index in
            let configuration = [
                Parameter("num_ctx", contexts[index % 3]), Parameter("num_gpu", layers[index / 3 % 4]),
                Parameter("temperature", temperatures[index / 12]),
            ]
            let tokensPerSecond: Double = 100 + Double(index) * 0.5
            let ttft: Double = 0.1 + Double(index) * 0.001
            return RunSet(model: "omega", configuration: configuration, runs: ReportFixtures.runs([tokensPerSecond], ttft: [ttft]))
        }
    }

    /// The rich fixture (an open regression, a harness failure, every
    /// section) with a 36-configuration sweep.
    static func longFacts() -> Facts {
        let before = ReportFixtures.facts(
            ReportFixtures.richFiles(alpha: [20, 30, 40, 50], zeta: (0..<8).map { 100 + Double($0) }) + [longSweep])
        let files = ReportFixtures.richFiles() + [longSweep]
        var facts = ReportFixtures.facts(
            files,
            inputs: ReportFixtures.inputs(files: files.count, skipped: ReportFixtures.skipped, changed: ["/in/zeta.csv"]),
            previous: ReportDigest(before.runGroups), previousAt: "2025-11-21 08:00:00 UTC")
        facts.apply(RegressionState(open: [ReportFixtures.zetaRegression], opened: [ReportFixtures.zetaRegression]))
        return facts
    }

    /// The report up to its appendix, and the appendix.
    static func split(_ markdown: String) throws -> (body: String, appendix: String) {
        let range = try #require(markdown.range(of: "\n## Appendix\n"), "no appendix")
        return (String(markdown[..<range.lowerBound]), String(markdown[range.lowerBound...]))
    }

    /// Rows of omega's ranking table: `| 12 | num_ctx=1024, num_gpu=...`.
    static func rankingRows(_ text: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.wholeMatch(of: #/\| \d+ \| num_ctx=\d+, num_gpu=.*/#) != nil }
    }

    @Test("a long table leaves the body: its first rows and a link stay, the appendix holds every row")
    func longTableGoesToTheAppendix() throws {
        let facts = Self.longFacts()
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        let (body, appendix) = try Self.split(markdown)
        let sweep = try #require(facts.sweeps.first { $0.model == "omega" })
        #expect(sweep.ranking.count == 36)
        #expect(Self.rankingRows(body).count == MarkdownText.bodySummaryRows)
        #expect(Self.rankingRows(appendix).count == 36)
        for (index, result) in sweep.ranking.enumerated() {
            let row = "| \(index + 1) | \(MarkdownLiteral.tableCell(result.configuration.rendered)) |"
            #expect(MarkdownReportTests.occurrences(of: row, in: appendix) == 1, "\(row) not in the appendix")
            #expect(index < MarkdownText.bodySummaryRows || !body.contains(row), "\(row) still in the body")
        }
        // The body says where the rest is, and the appendix has the heading it links to.
        #expect(body.contains("_The first 3 of 36 rows; all of them in [Table A1](#table-a1) of the Appendix._"))
        #expect(appendix.contains("\n### Table A1\n\nParameter Sweeps, omega: configurations by throughput.\n"))
        // Short tables stay whole in the body, and the appendix is the last section.
        #expect(try MarkdownReportTests.section("Compilation", of: markdown).contains { $0.hasPrefix("| tensorrt |") })
        let headings = markdown.split(separator: "\n").filter { $0.hasPrefix("## ") }
        #expect(headings.last == "## Appendix")
        #expect(headings.dropLast().map(String.init) == MarkdownReportTests.sectionOrder.filter { $0.hasPrefix("## ") })
        // report.json is unchanged: it keeps every configuration, and knows no appendix.
        let json = JSONReport.render(facts, ReportFixtures.context())
        #expect(!json.contains("Appendix") && !json.contains("table-a1"))
        let parsed = try #require(
            try parseJSON(json.replacingOccurrences(of: "\"" + ReportContext.Timings.pending + "\"", with: "0")) as? [String: Any])
        let omega = try #require(try parsed.list("sweeps").compactMap { $0 as? [String: Any] }.first { $0["model"] as? String == "omega" })
        #expect(try omega.list("ranking").count == 36)
    }

    @Test("every link points at a table of the appendix, and each table is linked once")
    func linksMatchTheAppendix() throws {
        let markdown = MarkdownReport.render(Self.longFacts(), ReportFixtures.context())
        let (body, appendix) = try Self.split(markdown)
        let links = body.matches(of: #/\[Table A(\d+)\]\(#table-a(\d+)\)/#).map { ($0.output.1, $0.output.2) }
        #expect(!links.isEmpty)
        #expect(links.allSatisfy { $0.0 == $0.1 })
        let labels = appendix.matches(of: #/\n### Table A(\d+)\n/#).map { Int($0.output.1) ?? 0 }
        #expect(labels == Array(1...labels.count))
        #expect(links.map { Int($0.0) ?? 0 } == labels)
        // Nothing else in the report is a link.
        #expect(MarkdownReportTests.occurrences(of: "](", in: markdown) == links.count)
    }

    /// A model named `Table A1` has a heading above the appendix, which
    /// takes the anchor `table-a1` (on GitHub as on the page): the link to
    /// the appendix's table led to the model.
    @Test("a heading above that reads as an appendix table's: the link leads to the table, not to it")
    func aModelNamedLikeAnAppendixTable() throws {
        var sweep = Self.longSweep
        sweep.0 = "/in/table_param_tuning.csv"
        sweep.1.runSets = sweep.1.runSets.map {
            var runSet = $0; runSet.model = "Table A1"; return runSet
        }
        let facts = ReportFixtures.facts(ReportFixtures.richFiles() + [sweep])
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        let (body, appendix) = try Self.split(markdown)
        #expect(body.contains("\n### Table A1\n"), "the model's heading")
        #expect(appendix.contains("\n### Table A1\n"))
        let link = try #require(body.firstMatch(of: #/\[Table A1\]\(#([a-z0-9-]+)\)/#)).output.1
        #expect(link != "table-a1", "the model's anchor")
        // On the page, the anchor linked to is the appendix's table, the first heading after the appendix's own.
        let page = HTMLReport.render(markdown: markdown, title: "t")
        let appendixStart = try #require(page.range(of: "<h2 id=\"appendix\">"))
        let table = try #require(page[appendixStart.upperBound...].firstMatch(of: #/<h3 id="([^"]+)">Table A1</h3>/#))
        #expect(table.output.1 == link, "\(page)")
    }

    @Test("a report without long tables has no appendix")
    func noAppendixWithoutLongTables() {
        for facts in [ReportFixtures.rich(), ReportFixtures.basic(), ReportFixtures.empty()] {
            let markdown = MarkdownReport.render(facts, ReportFixtures.context())
            #expect(!markdown.contains("## Appendix") && !markdown.contains("#table-a"))
        }
    }

    @Test("the first screen shows the open regressions, the leaderboard and the data-quality line")
    func firstScreen() throws {
        let markdown = MarkdownReport.render(Self.longFacts(), ReportFixtures.context())
        let screen = markdown.split(separator: "\n", omittingEmptySubsequences: false).prefix(40)
        #expect(screen.contains { $0.hasPrefix("> **1 open regression**") })
        #expect(screen.contains { $0.hasPrefix("**Data quality:** ") })
        let board = try #require(screen.firstIndex(of: "## Leaderboard"))
        #expect(screen[board...].contains { $0.hasPrefix("| 1 | **") }, "the leaderboard's first row is on the first screen")
    }

    /// Model names a line mentions, longest first so a name inside another counts once.
    static func models(in line: Substring, of facts: Facts) -> [String] {
        var rest = String(line)
        var found: [String] = []
        for model in Set(facts.runGroups.map(\.model)).sorted(by: { $0.count > $1.count }) where rest.contains(model) {
            found.append(model)
            rest = rest.replacingOccurrences(of: model, with: " ")
        }
        return found
    }

    static func summaryBullets(_ facts: Facts) throws -> [Substring] {
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        return try MarkdownReportTests.section("Executive Summary", of: markdown).filter { $0.hasPrefix("- ") }
    }

    static func ollama(_ path: String, _ model: String, _ tokensPerSecond: [Double]) -> (String, Extraction) {
        (path, Extraction(shape: .ollamaRuns, runSets: [RunSet(model: model, configuration: [], runs: ReportFixtures.runs(tokensPerSecond))]))
    }

    @Test("the headline compares one model's quantisations, never models of different sizes")
    func headlineComparesLikeWithLike() throws {
        let facts = ReportFixtures.facts([
            Self.ollama("/in/a.csv", "gemma3:270m", [290, 295, 300]),
            Self.ollama("/in/b.csv", "gemma3:1b-it-qat", [180, 182, 184]),
            Self.ollama("/in/c.csv", "llama3.1:8b-instruct-q4_0", [76, 77, 78]),
            Self.ollama("/in/d.csv", "llama3.1:8b-instruct-q8_0", [46, 47, 48]),
        ])
        let bullets = try Self.summaryBullets(facts)
        #expect(!bullets.isEmpty)
        for bullet in bullets {
            let sizes = Set(Self.models(in: bullet, of: facts).map { ModelSize.of($0) ?? $0 })
            #expect(sizes.count <= 1, "the headline sets models of different sizes against each other: \(bullet)")
        }
        #expect(
            bullets.first
                == "- llama3.1:8b-instruct on ollama, median decode by quantisation: q4_0 77.00 tok/s, q8_0 47.00 (0.61×), each against the fastest.")
        #expect(!bullets.contains { $0.contains("fastest model") || $0.contains("decodes fastest") })
    }

    @Test("with only models of different sizes the headline states the fastest and its figure alone")
    func headlineStatesTheFastestAlone() throws {
        let facts = ReportFixtures.facts([
            Self.ollama("/in/a.csv", "gemma3:270m", [290, 295, 300]),
            Self.ollama("/in/b.csv", "gemma3:1b", [180, 182, 184]),
            Self.ollama("/in/c.csv", "llama3.1:8b", [76, 77, 78]),
        ])
        let bullets = try Self.summaryBullets(facts)
        let fastest = try #require(bullets.first)
        #expect(
            fastest
                == "- gemma3:270m decodes fastest of the 3 models measured, at a median 295.00 tok/s; no other model measured has its parameter count, so it is compared with none."
        )
        for bullet in bullets { #expect(Self.models(in: bullet, of: facts).count <= 1, "\(bullet)") }
    }
}
