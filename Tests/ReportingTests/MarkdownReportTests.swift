import Narration
import Analysis
import Foundation
import Records
import Testing

@testable import Reporting

@Suite("MarkdownReport")
struct MarkdownReportTests {
    static let sectionOrder = [
        "# chimerad Benchmark Report",
        "## Executive Summary",
        "## Leaderboard",
        "## What Changed",
        "## LLM Runs by Model",
        "## Parameter Sweeps",
        "## Compilation",
        "## Other Benchmarks",
        "## Failures",
        "## Skipped Files",
        "## Workflow Summary",
        "## Metrics",
        "## Key Findings",
        "## Recommendations",
        "## Persona Prompt",
    ]

    /// The lines of a section, from its heading to the next `## ` heading.
    static func section(_ title: String, of markdown: String) throws -> [Substring] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0 == "## " + title }, "no section \(title)")
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("## ") || $0.hasPrefix("# ") } ?? lines.endIndex
        return Array(lines[(start + 1)..<end])
    }

    /// The cells of a table row, split at the `|` that are not escaped.
    static func cells(_ row: Substring) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in row {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "|" {
                cells.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        cells.append(current)
        // A row starts and ends with a pipe: drop the empty outsides.
        return Array(cells.dropFirst().dropLast()).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test("sections appear once each, in the documented order", arguments: ["rich", "basic", "empty"])
    func sectionOrder(fixture: String) throws {
        let facts =
            switch fixture {
            case "rich": ReportFixtures.rich()
            case "basic": ReportFixtures.basic()
            default: ReportFixtures.empty()
            }
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        let lines = markdown.split(separator: "\n").map(String.init)
        #expect(lines.first == "# chimerad Benchmark Report")
        let headings = lines.filter { $0.hasPrefix("# ") || $0.hasPrefix("## ") }
        #expect(headings == Self.sectionOrder)
    }

    @Test("the title block names the date, agent, model, configuration and trigger")
    func titleBlock() throws {
        let markdown = MarkdownReport.render(ReportFixtures.basic(), ReportFixtures.context())
        #expect(markdown.contains("**Date:** 2025-11-22 19:45:01 UTC"))
        #expect(markdown.contains("**Agent:** chimerad 0.1.0"))
        #expect(markdown.contains("**Model:** none"))
        #expect(markdown.contains("**Configuration:** inputs=/in, model=none"))
        #expect(markdown.contains("**Trigger:** manual"))
        #expect(markdown.hasSuffix("```\n" + NarrativePrompt.defaultPersona + "\n```\n"))
    }

    @Test("a | in a skipped file's path or reason is escaped, so every row keeps two columns")
    func pipesEscaped() throws {
        let markdown = MarkdownReport.render(ReportFixtures.basic(), ReportFixtures.context())
        let rows = try Self.section("Skipped Files", of: markdown).filter { $0.hasPrefix("|") }
        #expect(rows.count == 2 + ReportFixtures.skipped.count)
        for row in rows {
            #expect(Self.cells(row).count == 2, "row has the wrong column count: \(row)")
        }
        #expect(markdown.contains(#"| /in/odd\|name.csv | no known shape \| header: a\|b |"#))
    }

    @Test("every table row has as many cells as its header")
    func tablesKeepTheirShape() throws {
        let markdown = MarkdownReport.render(ReportFixtures.rich(), ReportFixtures.context())
        var columns: Int? = nil
        var tables = 0
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                columns = nil
                continue
            }
            let count = Self.cells(line).count
            if let columns {
                #expect(count == columns, "row does not match its header: \(line)")
            } else {
                columns = count
                tables += 1
            }
        }
        #expect(tables >= 8)
    }

    @Test("the skipped-files table lists every skipped file with its reason")
    func skippedTable() throws {
        let markdown = MarkdownReport.render(ReportFixtures.basic(), ReportFixtures.context())
        let rows = try Self.section("Skipped Files", of: markdown).filter { $0.hasPrefix("|") }
        #expect(Self.cells(try #require(rows.first)) == ["File", "Reason"])
        let listed = rows.dropFirst(2).map { row -> [String] in
            Self.cells(row).map { $0.replacingOccurrences(of: "\\|", with: "|") }
        }
        #expect(listed == ReportFixtures.skipped.map { [$0.path, $0.reason] })
        #expect(markdown.contains("3 skipped"))
    }

    @Test("with nothing skipped the section says so")
    func nothingSkipped() throws {
        let markdown = MarkdownReport.render(ReportFixtures.empty(), ReportFixtures.context())
        let lines = try Self.section("Skipped Files", of: markdown)
        #expect(lines.contains("None: every file was analysed."))
        #expect(!lines.contains { $0.hasPrefix("|") })
    }

    @Test("the run table shows a group's statistics as the figures format them")
    func runTable() throws {
        let markdown = MarkdownReport.render(ReportFixtures.basic(), ReportFixtures.context())
        let lines = try Self.section("LLM Runs by Model", of: markdown)
        let alpha = try #require(lines.firstIndex(of: "### alpha"))
        let row = try #require(lines[alpha...].first { $0.hasPrefix("| —") })
        let cells = Self.cells(row)
        #expect(cells.count == 11)
        #expect(Array(cells.prefix(5)) == ["—", "4", "0", "25.00", "38.50"])
        #expect(cells[5] == "25.00 ± 12.91")
        #expect(cells[6] == "10.00–40.00")
        #expect(cells[7] == "0.250")
        #expect(cells[8] == "0.385")
        // beta failed every run: no statistics, dashes.
        let beta = try #require(lines.firstIndex(of: "### beta"))
        let betaRow = Self.cells(try #require(lines[beta...].first { $0.hasPrefix("| num_ctx=2048") }))
        #expect(Array(betaRow.prefix(9)) == ["num_ctx=2048", "0", "2", "—", "—", "—", "—", "—", "—"])
    }

    @Test("Key Findings lists the facts' findings, and each cites every number it shows")
    func findingsCiteTheirNumbers() throws {
        let facts = ReportFixtures.rich()
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        let bullets = try Self.section("Key Findings", of: markdown).filter { $0.hasPrefix("- ") }.map { String($0.dropFirst(2)) }
        // The most important first, at most ten; report.json keeps the rest.
        #expect(bullets == facts.findings.prefix(MarkdownReport.shownLimit).map(\.text))
        #expect(facts.findings.count > MarkdownReport.shownLimit)
        #expect(markdown.contains("_And \(facts.findings.count - MarkdownReport.shownLimit) more in report.json._"))
        // The fixture is meant to raise each kind of finding.
        let ids = Set(facts.findings.map(\.id))
        for id in [
            "regression", "throughput", "fastest-model", "harness-failure", "some-failed", "cold-start", "sweep-best",
            "sweep-effect", "compile-fastest", "compile-failed", "llama-bench", "benchmark-spread",
        ] {
            #expect(ids.contains(id), "no \(id) finding")
        }
        for finding in facts.findings {
            Self.checkCitations(finding, facts)
        }
        for recommendation in facts.recommendations {
            Self.checkCitations(recommendation, facts)
        }
    }

    /// A cold start seen in two files: the count of first runs the finding shows
    /// is a number the text states, so it belongs in `figures`.
    @Test("a finding about several cold starts cites their count")
    func coldStartCountCited() throws {
        var files = ReportFixtures.richFiles()
        files.append(
            (
                "/in/delta-2.csv",
                Extraction(
                    shape: .ollamaRuns,
                    runSets: [
                        RunSet(
                            model: "delta", configuration: [],
                            runs: ReportFixtures.runs([36, 37, 38], ttft: [2.7, 0.25, 0.26], load: [7, 0.1, 0.1]))
                    ])
            ))
        let facts = ReportFixtures.facts(files)
        let finding = try #require(facts.findings.first { $0.id == "cold-start" })
        #expect(finding.text.hasPrefix("2 first runs of delta"))
        #expect(finding.figures.contains("2"))
    }

    /// Every figure appears in the text as listed, and every number in the text
    /// (after names, configurations and quoted messages are taken out) is a figure.
    static func checkCitations(_ finding: Finding, _ facts: Facts, sourceLocation: SourceLocation = #_sourceLocation) {
        for figure in finding.figures {
            #expect(finding.text.contains(figure), "\(finding.id): figure \(figure) is not in the text", sourceLocation: sourceLocation)
        }
        var text = finding.text
        for name in identifiers(facts).sorted(by: { $0.count > $1.count }) {
            text = text.replacingOccurrences(of: name, with: " ")
        }
        let cited = Set(finding.figures.flatMap { $0.matches(of: #/\d+(?:\.\d+)?/#).map { String($0.output) } })
        for match in text.matches(of: #/\d+(?:\.\d+)?/#) {
            let number = String(match.output)
            #expect(
                cited.contains(number), "\(finding.id): \(number) is shown but not cited in \(finding.figures): \(finding.text)",
                sourceLocation: sourceLocation)
        }
    }

    /// Text in findings that is a name, not a figure: models, configurations,
    /// parameter values, test and benchmark names, error messages.
    static func identifiers(_ facts: Facts) -> Set<String> {
        var names: Set<String> = []
        for group in facts.runGroups {
            names.insert(group.model)
            names.insert(group.configuration.rendered)
        }
        for failure in facts.failures { names.insert(failure.message) }
        for row in facts.leaderboard.rows {
            names.insert(row.family)
            if let quant = row.quant { names.insert(quant) }
        }
        for sweep in facts.sweeps {
            names.insert(sweep.model)
            for result in sweep.ranking { names.insert(result.configuration.rendered) }
            for effect in sweep.effects {
                for level in effect.levels { names.insert(level.value + ": ") }
            }
        }
        for bench in facts.compilation {
            names.insert(bench.model)
            names.insert(bench.parameters.rendered)
            for backend in bench.backends {
                names.insert(backend.backend)
                if let error = backend.error { names.insert(error) }
            }
        }
        for row in facts.llamaBench {
            names.insert(row.model)
            names.insert(row.test)
            names.insert(row.parameters.rendered)
        }
        for row in facts.measurements {
            names.insert(row.name)
            names.insert(row.tool)
        }
        names.remove("")
        // Labels that hold digits but are not figures.
        names.insert("p95")
        return names
    }

    @Test("the placeholder for the report time appears exactly once in each output while it is unknown")
    func pendingPlaceholder() throws {
        for facts in [ReportFixtures.rich(), ReportFixtures.basic(), ReportFixtures.empty()] {
            let context = ReportFixtures.context(reportSeconds: nil)
            let markdown = MarkdownReport.render(facts, context)
            let json = JSONReport.render(facts, context)
            #expect(Self.occurrences(of: ReportContext.Timings.pending, in: markdown) == 1)
            #expect(Self.occurrences(of: ReportContext.Timings.pending, in: json) == 1)
            // The caller's substitution yields the figure, in valid JSON.
            let substituted = json.replacingOccurrences(of: "\"" + ReportContext.Timings.pending + "\"", with: "0.42")
            let parsed = try #require(try parseJSON(substituted) as? [String: Any])
            #expect(try parsed.object("timings").number("report_seconds") == 0.42)
        }
    }

    @Test("with the report time known there is no placeholder, and the time is shown")
    func reportTimeKnown() throws {
        let context = ReportFixtures.context(reportSeconds: 0.375)
        let markdown = MarkdownReport.render(ReportFixtures.basic(), context)
        let json = JSONReport.render(ReportFixtures.basic(), context)
        #expect(!markdown.contains(ReportContext.Timings.pending))
        #expect(!json.contains(ReportContext.Timings.pending))
        #expect(markdown.contains("report 0.38s") || markdown.contains("report 0.37s"))
        #expect(markdown.contains("ingest 1.25s | analysis 0.50s"))
        #expect(markdown.contains("(1.75s before the report stage)"))
    }

    @Test("stage times under a tenth of a second are shown in milliseconds, not as 0.00s")
    func fastStagesInMilliseconds() {
        #expect(ReportContext.Timings.text(0.0042) == "4 ms")
        #expect(ReportContext.Timings.text(0.0996) == "100 ms")
        #expect(ReportContext.Timings.text(0.1) == "0.10s")
        #expect(ReportContext.Timings.text(0) == "0 ms")
        // Shown parts add up to the shown total: 21 ms + 3 ms is 24 ms, not 23.
        let sum = ReportContext.Timings.asShown(0.0206) + ReportContext.Timings.asShown(0.0026)
        #expect(ReportContext.Timings.text(sum) == "24 ms")
    }

    @Test("What Changed names the files, then the moves: regressions, unconfirmed worse moves, improvements")
    func whatChanged() throws {
        let rich = try Self.section("What Changed", of: MarkdownReport.render(ReportFixtures.rich(), ReportFixtures.context()))
        #expect(rich.contains("Since the previous report (2025-11-21 08:00:00 UTC):"))
        #expect(rich.contains("- New: `/in/latency.csv`"))
        #expect(rich.contains("- Modified: `/in/alpha.csv`, `/in/zeta.csv`"))
        let header = ["Model", "Configuration", "Metric", "Previous median", "New median", "Change", "Runs (before → after)", "Verdict"]
        #expect(Self.cells(try #require(rich.first { $0.hasPrefix("| Model |") })) == header)
        let regressions = try #require(rich.firstIndex(of: "**Worse, significant (pooled figures):**"))
        let unconfirmed = try #require(rich.firstIndex(of: "**Worse, not confirmed (not significant, or too few runs to test):**"))
        #expect(regressions < unconfirmed)
        let zeta = try #require(rich.firstIndex { $0.hasPrefix("| zeta | — | tok/s |") })
        let alpha = try #require(rich.firstIndex { $0.hasPrefix("| alpha | — | tok/s |") })
        #expect(regressions < zeta && zeta < unconfirmed && unconfirmed < alpha)
        #expect(
            Self.cells(rich[zeta]) == [
                "zeta", "—", "tok/s", "103.50", "83.50", "-19.3%", "8 → 8", "**significant (Mann-Whitney p < 0.001)**",
            ])
        #expect(
            Self.cells(rich[alpha]) == ["alpha", "—", "tok/s", "35.00", "25.00", "-28.6%", "4 → 4", "too few runs (4 before, 4 after)"])
        #expect(rich.contains { $0.hasPrefix("_Each move is tested with a two-sided Mann-Whitney U test") })

        let first = try Self.section("What Changed", of: MarkdownReport.render(ReportFixtures.basic(), ReportFixtures.context()))
        #expect(first.contains("First report over these inputs: nothing to compare with yet."))
    }

    @Test("nothing skipped and no regression open: the text does not point at what is not there")
    func noPointersToNothing() throws {
        var facts = ReportFixtures.rich()
        facts.inputs.skipped = []
        facts.apply(RegressionState(open: []))
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        #expect(markdown.contains(" files analysed (none skipped)."), "\(markdown.prefix(1200))")
        #expect(!markdown.contains("each with its reason below") && !markdown.contains("the open regressions above"))
    }

    @Test("a tool's times are shown in the unit that reads best at their size, not as 6.17e-07")
    func toolTimesInTheirBestUnit() {
        var facts = ReportFixtures.basic()
        facts.measurements = [
            MeasurementRow(
                Measurement(
                    tool: "pytest-benchmark", name: "test_sort", unit: "s", mean: 6.17e-07, median: 6.1e-07, stddev: 2e-08, min: 5.9e-07,
                    max: 7.4e-07, count: 100),
                source: "bench.json"),
            MeasurementRow(Measurement(tool: "vllm", name: "serve", unit: "req/s", higherIsBetter: true, mean: 9.5, count: 1), source: "serve.json"),
        ]
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        #expect(
            markdown.contains("| pytest-benchmark | test_sort | time | 617 ns | 610 ns | 20 ns | 590 ns | 740 ns | 100 | bench.json |"), "\(markdown)"
        )
        #expect(markdown.contains("| vllm | serve | req/s (higher is better) | 9.500 | — | — | — | — | 1 | serve.json |"), "\(markdown)")
    }

    @Test("new and gone groups are named as the tables name them: a group without settings by its model alone")
    func newAndGoneGroups() throws {
        var facts = ReportFixtures.rich()
        facts.changes.newGroups = ["bench_sort | ", "gemma3:270m | temperature=0.3"]
        facts.changes.goneGroups = ["old | "]
        let section = try Self.section("What Changed", of: MarkdownReport.render(facts, ReportFixtures.context()))
        #expect(section.contains("- New groups: `bench_sort`, `gemma3:270m | temperature=0.3`"), "\(section)")
        #expect(section.contains("- Groups no longer present: `old`"), "\(section)")
    }

    @Test("a significant regression leads: a callout under the title, then the summary's first sentence")
    func regressionsLead() throws {
        let facts = ReportFixtures.rich()
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let trigger = try #require(lines.firstIndex(of: "**Trigger:** manual"))
        let summary = try #require(lines.firstIndex(of: "## Executive Summary"))
        let callout = Array(lines[(trigger + 1)..<summary]).filter { !$0.isEmpty }
        let open =
            "#7 zeta: tok/s 103.50 → 83.50 (Hodges-Lehmann -19.3%, 95% CI -21.2% to -17.4%, q < 0.001); 8 runs in /in/zeta.csv against 8 runs of the 1 session before it; open since 2025-11-21T09:00:00Z."
        #expect(
            callout == [
                "> **1 open regression** (a new session worse than the sessions before it by at least 5.0%, at a false discovery rate of 5.0%):",
                ">", "> - " + MarkdownLiteral.inline(open),
            ])
        let body = try Self.section("Executive Summary", of: markdown).filter { !$0.isEmpty }
        let lead = MarkdownLiteral.inline("Regression " + open)
        #expect(body.first.map(String.init) == lead)
        #expect(Self.occurrences(of: lead, in: body.joined(separator: "\n")) == 1, "the lead is not repeated as a bullet")
        // The worse move over too few runs is no regression: not in the callout, not the lead.
        #expect(!callout.joined().contains("alpha"))

        // Without a significant regression there is no callout, and the summary opens with the counts.
        let basic = MarkdownReport.render(ReportFixtures.basic(), ReportFixtures.context())
        #expect(!basic.contains("open regression"))
        #expect(try Self.section("Executive Summary", of: basic).first { !$0.isEmpty }?.hasPrefix("2 of 5 files analysed") == true)
    }

    @Test("several open regressions: the largest leads and the others are counted")
    func severalRegressions() throws {
        var facts = ReportFixtures.basic()
        var small = ReportFixtures.zetaRegression
        small.id = 8
        small.model = "m"
        small.changePercent = -10
        var large = ReportFixtures.zetaRegression
        large.id = 9
        large.model = "n"
        large.changePercent = -50
        facts.apply(RegressionState(open: [small, large], opened: [large]))
        let lead = try #require(MarkdownReport.regressionLead(facts))
        #expect(lead.hasPrefix("Regression #9 n: tok/s 103.50 → 83.50 (Hodges-Lehmann -50.0%"))
        #expect(lead.hasSuffix(" 1 more open regression is listed above."))
        let markdown = MarkdownReport.render(facts, ReportFixtures.context())
        #expect(markdown.contains("> **2 open regressions**"))
        // The callout lists both; the summary does not list them again.
        #expect(markdown.contains("> - \\#8 m: tok/s 103.50 → 83.50 (Hodges-Lehmann -10.0%"), "\(markdown.prefix(1500))")
        let summary = try Self.section("Executive Summary", of: markdown)
        #expect(!summary.contains { $0.hasPrefix("- Regression #8") }, "\(summary)")
        for finding in facts.findings { Self.checkCitations(finding, facts) }
        // Past the callout's five, the lead says where the rest are.
        var many = ReportFixtures.basic()
        let seven = (1...7).map { index in
            var regression = ReportFixtures.zetaRegression
            regression.id = Int64(index)
            regression.model = "m\(index)"
            regression.changePercent = -10 - Double(index)
            return regression
        }
        many.apply(RegressionState(open: seven, opened: seven))
        let manyLead = try #require(MarkdownReport.regressionLead(many))
        #expect(
            manyLead.hasPrefix("Regression #7 m7:") && manyLead.hasSuffix(" 4 more open regressions are listed above, and 2 more in report.json."),
            "\(manyLead)")
        // The callout lists the largest five, the lead's among them: the second largest was in neither.
        let manyMarkdown = MarkdownReport.render(many, ReportFixtures.context())
        let listed = manyMarkdown.split(separator: "\n").filter { $0.hasPrefix("> - \\#") }.map { String($0.prefix(8)) }
        #expect(listed == ["> - \\#7 ", "> - \\#6 ", "> - \\#5 ", "> - \\#4 ", "> - \\#3 "], "\(listed)")
    }

    @Test("renamed files are listed as renamed, not as new and deleted")
    func renamedFiles() throws {
        var facts = ReportFixtures.rich()
        facts.inputs.added.append("/in/b.csv")
        facts.inputs.changed.append("/in/b.csv")
        facts.inputs.deleted = ["/in/a.csv", "/in/gone.csv"]
        facts.inputs.renamed = [InputFacts.Renamed(from: "/in/a.csv", to: "/in/b.csv")]
        let lines = try Self.section("What Changed", of: MarkdownReport.render(facts, ReportFixtures.context()))
        #expect(lines.contains("- New: `/in/latency.csv`"))
        #expect(lines.contains("- Renamed: `/in/a.csv` → `/in/b.csv`"))
        #expect(lines.contains("- Deleted (their records left this report): `/in/gone.csv`"))
    }

    @Test("the executive summary counts files and runs, and says why it is rule-based")
    func executiveSummary() throws {
        let lines = try Self.section("Executive Summary", of: MarkdownReport.render(ReportFixtures.basic(), ReportFixtures.context()))
        #expect(lines.contains("2 of 5 files analysed (3 skipped, each with its reason below). 6 LLM runs of 2 models: 4 succeeded, 2 failed."))
        #expect(lines.contains("_This summary is rule-based: model.backend is none._"))
    }

    @Test("empty sections say they are empty")
    func emptySections() throws {
        let markdown = MarkdownReport.render(ReportFixtures.empty(), ReportFixtures.context())
        #expect(try Self.section("LLM Runs by Model", of: markdown).contains("No LLM inference runs in the inputs."))
        #expect(try Self.section("Parameter Sweeps", of: markdown).contains("No parameter sweeps in the inputs."))
        #expect(try Self.section("Compilation", of: markdown).contains("No compilation benchmarks in the inputs."))
        #expect(try Self.section("Other Benchmarks", of: markdown).contains("No other benchmarks in the inputs."))
        #expect(try Self.section("Failures", of: markdown).contains("No failed runs."))
        #expect(try Self.section("Key Findings", of: markdown).contains("No findings: no benchmark data was analysed."))
        #expect(try Self.section("Recommendations", of: markdown).contains("No recommendations from the data analysed."))
        // Files analysed that no finding rule covers (Google Benchmark alone): the data is there, in the tables.
        let analysed = MarkdownReport.render(ReportFixtures.facts([], inputs: ReportFixtures.inputs(files: 3)), ReportFixtures.context())
        let findings = try Self.section("Key Findings", of: analysed)
        #expect(findings.contains("No findings: nothing in the data analysed met a finding's rule (the tables above hold every result)."))
        #expect(!findings.contains("no benchmark data was analysed"))
    }

    @Test("cells escape pipes and fold line breaks")
    func cellEscaping() {
        #expect(MarkdownLiteral.tableCell("a|b") == #"a\|b"#)
        #expect(MarkdownLiteral.tableCell("line\nbreak\r\nhere") == "line break here")
        #expect(MarkdownLiteral.tableCell("") == " ")
        var text = MarkdownText()
        text.table(["A", "B"], [["x|y", "z\nw"]])
        #expect(text.text == "| A | B |\n| --- | --- |\n| x\\|y | z w |\n\n")
    }
}
