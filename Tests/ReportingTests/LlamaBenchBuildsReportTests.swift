import Analysis
import Foundation
import Records
import Testing

@testable import Narration
@testable import Reporting

/// The builds-compared table and `llama_bench_builds`: what each shows of a
/// comparison, and every name from the inputs (model, setting, build, file)
/// escaped for its place.
@Suite("llama-bench builds in reports")
struct LlamaBenchBuildsReportTests {
    /// Two builds of one model in two files: decode 10% slower (every
    /// repetition below the old build's), prefill the same; two thread counts.
    static func files(_ name: (Int) -> String) -> [(String, Extraction)] {
        func result(_ test: String, threads: String, samples: [Double], commit: String, number: String, time: String) -> LlamaBenchResult {
            LlamaBenchResult(
                model: name(0), test: test, parameters: [Parameter(name(1), threads), Parameter("n_batch", "2048")],
                tokensPerSecond: samples.reduce(0, +) / Double(samples.count), stddevTokensPerSecond: 0.5, samples: samples,
                environment: [Parameter("build_commit", commit), Parameter("build_number", number), Parameter("cpu_info", name(2))],
                testTime: time)
        }
        var old: [LlamaBenchResult] = []
        var new: [LlamaBenchResult] = []
        for threads in ["1", "2"] {
            let scale = Double(threads) ?? 1
            old.append(
                result(
                    "pp512", threads: threads, samples: [119, 126, 121, 124, 120.5].map { $0 * scale }, commit: name(3), number: "5090",
                    time: "2026-11-20T10:00:00Z"))
            old.append(
                result(
                    "tg128", threads: threads, samples: [76, 77, 75.5, 76.5, 76.2].map { $0 * scale }, commit: name(3), number: "5090",
                    time: "2026-11-20T10:00:00Z"))
            new.append(
                result(
                    "pp512", threads: threads, samples: [122, 118, 125, 121.5, 123].map { $0 * scale }, commit: name(4), number: "5102",
                    time: "2026-11-21T10:00:00Z"))
            new.append(
                result(
                    "tg128", threads: threads, samples: [68.5, 69, 68, 68.8, 69.2].map { $0 * scale }, commit: name(4), number: "5102",
                    time: "2026-11-21T10:00:00Z"))
        }
        return [
            ("/in/\(name(5)).json", Extraction(shape: .llamaBenchJSON, llamaBench: old)),
            ("/in/\(name(6)).json", Extraction(shape: .llamaBenchJSON, llamaBench: new)),
        ]
    }

    static func benign(_ slot: Int) -> String {
        ["llama 7B Q4_0", "n_threads", "AMD EPYC", "1a2b3c4d", "9f8e7d6c", "old", "new"][slot]
    }

    /// Names that start structure, break cells or open code spans and HTML.
    static func hostile(_ slot: Int) -> String {
        ["m<script>x</script> | *7B*", "p|q", "cpu\n## Injected", "a`b", "``tick", "[old](javascript:x)", "new <img src=x>"][slot]
    }

    static func section(_ markdown: String) throws -> [Substring] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "### llama-bench: builds compared"))
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") || $0.hasPrefix("### ") } ?? lines.endIndex
        return Array(lines[start..<end])
    }

    @Test("the table: one row per test and setting, the differing setting as a column, each build's t/s, the speedup from them, the evidence")
    func markdownTable() throws {
        let facts = ReportFixtures.facts(Self.files(Self.benign))
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        // Placed with the llama-bench table, inside Other Benchmarks.
        let other = try MarkdownReportTests.section("Other Benchmarks", of: markdown)
        let llamaBench = try #require(other.firstIndex(of: "### llama-bench"))
        let builds = try #require(other.firstIndex(of: "### llama-bench: builds compared"))
        #expect(llamaBench < builds)
        let lines = try Self.section(markdown)
        #expect(lines.contains("#### llama 7B Q4_0"))
        #expect(lines.contains("Baseline build `1a2b3c4d (5090)`, current build `9f8e7d6c (5102)`."))
        let rows = lines.filter { $0.hasPrefix("| ") }.map(MarkdownReportTests.cells)
        #expect(rows.first == ["Test", "n_threads", "Baseline t/s", "Current t/s", "Speedup", "Change", "Evidence"])
        let body = Array(rows.dropFirst(2))
        #expect(body.count == 4)
        for comparison in facts.llamaBenchBuilds {
            let threads = try #require(comparison.parameters[name: "n_threads"])
            let row = try #require(body.first { $0[0] == comparison.test && $0[1] == threads })
            let expected = comparison.current.tokensPerSecond / comparison.baseline.tokensPerSecond
            #expect(row[2] == Figures.tokensPerSecond(comparison.baseline.tokensPerSecond) + " ± 0.50")
            #expect(row[3] == Figures.tokensPerSecond(comparison.current.tokensPerSecond) + " ± 0.50")
            #expect(row[4] == Figures.ratio(expected))
            #expect(row[6] == comparison.verdictText)
        }
        let decode = try #require(body.first { $0[0] == "tg128" && $0[1] == "1" })
        #expect(decode[4] == Figures.ratio(((68.5 + 69 + 68 + 68.8 + 69.2) / 5) / ((76 + 77 + 75.5 + 76.5 + 76.2) / 5)))
        #expect(decode[5].hasPrefix("-9.") || decode[5].hasPrefix("-10."))
        #expect(decode[6].hasPrefix("significant (Mann-Whitney p = 0.008, 5 and 5 repetitions)"))
        // n_batch is the same everywhere: not a column.
        #expect(!rows[0].contains("n_batch"))
        // The llama-bench table names each row's build.
        let table = other[llamaBench..<builds].filter { $0.hasPrefix("| ") }.map(MarkdownReportTests.cells)
        #expect(table.first?.contains("Build") == true)
        #expect(Set(table.dropFirst(2).compactMap { $0.count > 4 ? $0[4] : nil }) == ["1a2b3c4d (5090)", "9f8e7d6c (5102)"])
        // The slowdown is a finding.
        #expect(facts.findings.contains { $0.id == "llama-bench-slower" && $0.text.hasPrefix("llama-bench, llama 7B Q4_0: tg128 (n_threads=") })
    }

    @Test("builds that differ between rows get columns of their own")
    func buildColumnsWhenPairsDiffer() throws {
        var files = Self.files(Self.benign)
        // A third build measured only pp512 at 2 threads: that row compares 5090 with 5110.
        let third = LlamaBenchResult(
            model: "llama 7B Q4_0", test: "pp512", parameters: [Parameter("n_threads", "2"), Parameter("n_batch", "2048")],
            tokensPerSecond: 250, stddevTokensPerSecond: nil, samples: [],
            environment: [Parameter("build_commit", "0badc0de"), Parameter("build_number", "5110"), Parameter("cpu_info", "AMD EPYC")])
        files.append(("/in/third.csv", Extraction(shape: .llamaBenchCSV, llamaBench: [third])))
        let facts = ReportFixtures.facts(files)
        let lines = try Self.section(MarkdownReport.render(facts, ReportFixtures.context()))
        let rows = lines.filter { $0.hasPrefix("| ") }.map(MarkdownReportTests.cells)
        #expect(
            rows.first == ["Test", "n_threads", "Baseline build", "Current build", "Baseline t/s", "Current t/s", "Speedup", "Change", "Evidence"])
        let row = try #require(rows.first { $0[0] == "pp512" && $0[1] == "2" })
        #expect(Array(row[2...3]) == ["1a2b3c4d (5090)", "0badc0de (5110)"])
        #expect(row.last == "not tested (a build's files list no per-repetition t/s)")
        #expect(lines.contains("Builds in between also measured 1 of these tests; the llama-bench table lists them."))
    }

    @Test("hostile names add no element, break no row, and read back as they are")
    func hostileNames() throws {
        let hostile = MarkdownReport.render(ReportFixtures.facts(Self.files(Self.hostile)), ReportFixtures.context())
        let benign = MarkdownReport.render(ReportFixtures.facts(Self.files(Self.benign)), ReportFixtures.context())
        let html = try CommonMark.html(hostile)
        #expect(HostileNamesReportTests.structure(html) == HostileNamesReportTests.structure(try CommonMark.html(benign)))
        for raw in ["<script", "<img", "href=", "<a "] { #expect(!html.contains(raw), "the HTML holds \(raw)") }
        #expect(!html.contains("<h2>Injected"))
        let lines = try Self.section(hostile)
        // The model's name is the heading, escaped; the build names are code spans holding them whole.
        #expect(html.contains("<h4>" + CommonMark.escapedHTML(Self.hostile(0)) + "</h4>"))
        #expect(html.contains("<code>a`b (5090)</code>") && html.contains("<code>``tick (5102)</code>"))
        // Every row keeps its columns; the setting's name, with its pipe, is one header cell.
        let rows = lines.filter { $0.hasPrefix("|") }.map(MarkdownReportTests.cells)
        #expect(rows.allSatisfy { $0.count == rows[0].count })
        #expect(rows[0][1] == "p\\|q")
        // The machine's name is part of the match, not shown (one machine).
        #expect(!lines.joined().contains("Injected"))
    }

    @Test("llama_bench_builds: per model, test and setting, both builds, the speedup and the p-value")
    func json() throws {
        let facts = ReportFixtures.facts(Self.files(Self.hostile))
        let text = JSONReport.render(facts, ReportFixtures.context())
        let document = try #require(try parseJSON(text) as? [String: Any])
        let entries = try document.list("llama_bench_builds").map { try #require($0 as? [String: Any]) }
        #expect(entries.count == 4)
        let decode = try #require(
            entries.first { ($0["test"] as? String) == "tg128" && (($0["parameters"] as? [String: Any])?["p|q"] as? String) == "1" })
        #expect(try decode.text("model") == Self.hostile(0))
        #expect(try decode.text("phase") == "decode")
        let baseline = try decode.object("baseline")
        let current = try decode.object("current")
        #expect(try baseline.text("build") == "a`b (5090)" && baseline.text("build_commit") == "a`b")
        #expect(try baseline.integer("build_number") == 5090 && current.integer("build_number") == 5102)
        #expect(try baseline.integer("n") == 5 && current.integer("n") == 5 && baseline.integer("results") == 1)
        #expect(try baseline.list("sources") as? [String] == ["/in/\(Self.hostile(5)).json"])
        let was = try baseline.number("tokens_per_second")
        let now = try current.number("tokens_per_second")
        #expect(abs(was - (76 + 77 + 75.5 + 76.5 + 76.2) / 5) < 1e-9 && abs(now - (68.5 + 69 + 68 + 68.8 + 69.2) / 5) < 1e-9)
        #expect(abs(try decode.number("speedup") - now / was) < 1e-12)
        #expect(abs(try decode.number("change_percent") - (now / was - 1) * 100) < 1e-9)
        #expect(try decode.text("verdict") == "significant")
        #expect(try decode.number("p_value") < 0.05)
        #expect(try decode.integer("builds") == 2)
        #expect(try decode.list("unmatched_columns").isEmpty)
        // Every llama_bench row says its build; the other keys stay.
        let rows = try document.list("llama_bench").map { try #require($0 as? [String: Any]) }
        #expect(Set(try rows.map { try $0.text("build") }) == ["a`b (5090)", "``tick (5102)"])
        #expect(rows.allSatisfy { $0["tokens_per_second"] is Double && $0["source"] is String })
    }

    @Test("the fact sheet holds each comparison, and grounds every figure of the slowdown finding")
    func factSheet() throws {
        let facts = ReportFixtures.facts(Self.files(Self.benign))
        let sheet = FactSheet(facts)
        let rows = sheet.rows.filter { $0.subject.hasPrefix("llama-bench builds ") }
        #expect(rows.count == facts.llamaBenchBuilds.count)
        for comparison in facts.llamaBenchBuilds {
            let row = try #require(
                rows.first { $0.subject.contains(" " + comparison.test + " [n_threads=" + (comparison.parameters[name: "n_threads"] ?? "") + "]") })
            #expect(row.subject.hasSuffix("baseline=1a2b3c4d (5090) current=9f8e7d6c (5102)"))
            #expect(row.facts.first { $0.key == "speedup" }?.shown == Figures.ratio(comparison.speedup))
            #expect(row.facts.first { $0.key == "baseline.tps" }?.shown == Figures.tokensPerSecond(comparison.baseline.tokensPerSecond))
        }
        let grounding = Grounding(sheet: sheet, promptText: "")
        let finding = try #require(facts.findings.first { $0.id == "llama-bench-slower" })
        for figure in finding.figures {
            let grounded = NumberClaim.claims(in: figure).allSatisfy { grounding.numbers.grounds($0) }
            #expect(grounded, "\(figure)")
        }
    }

    @Test("without builds to compare, the section is absent and the key an empty list")
    func absent() throws {
        let facts = ReportFixtures.rich()
        #expect(facts.llamaBenchBuilds.isEmpty)
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        #expect(!markdown.contains("builds compared"))
        let document = try #require(try parseJSON(JSONReport.render(facts, ReportFixtures.context())) as? [String: Any])
        #expect(try document.list("llama_bench_builds").isEmpty)
        #expect(try document.list("llama_bench").map { try #require($0 as? [String: Any]) }.allSatisfy { $0["build"] is NSNull })
    }
}
