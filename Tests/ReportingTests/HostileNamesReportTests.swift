import Analysis
import Foundation
import ModelInterface
import Records
import Testing

@testable import Narration
@testable import Reporting

/// A whole report whose every name, message, path and model-written sentence
/// is hostile, read back by cmark: it must have the structure the same report
/// has with ordinary names, and no HTML, link or control character of the inputs.
@Suite("Reports with hostile names")
struct HostileNamesReportTests {
    /// Names for each place input text reaches a report; `slot` keeps them apart.
    static func hostile(_ slot: Int) -> String {
        let pool = MarkdownLiteralTests.hostile
        let name = pool[slot % pool.count]
        return slot < pool.count ? name : name + " \(slot)"
    }

    static func benign(_ slot: Int) -> String { "name\(slot)" }

    static func files(_ name: (Int) -> String, zeta: [Double]) -> [(String, Extraction)] {
        [
            (
                "/in/\(name(0)).csv",
                Extraction(
                    shape: .ollamaRuns, environment: [Parameter(name(1), name(2))],
                    runSets: [
                        RunSet(
                            model: name(3), configuration: [Parameter(name(4), name(5))],
                            runs: ReportFixtures.runs(zeta, ttft: zeta.map { _ in 0.2 }))
                    ],
                    notes: [name(6)])
            ),
            (
                "/in/\(name(7)).csv",
                Extraction(
                    shape: .ollamaRuns,
                    runSets: [
                        RunSet(
                            model: name(8), configuration: [],
                            runs: ReportFixtures.runs([40, 41, 42], ttft: [3, 0.2, 0.2], load: [5, 0.1, 0.1])
                                + ReportFixtures.failedRuns(3, error: name(9), from: 3))
                    ])
            ),
            (
                "/in/\(name(10))_param_tuning.csv",
                Extraction(
                    shape: .parameterSweep,
                    // More configurations than the body shows: the ranking goes to the appendix.
                    runSets: (0..<12).map { index in
                        RunSet(
                            model: name(11), configuration: [Parameter(name(12), name(13) + "\(index)"), Parameter("temperature", "0.7")],
                            runs: ReportFixtures.runs([50 + 5 * Double(index), 51 + 5 * Double(index)], ttft: [0.3, 0.3]))
                    })
            ),
            (
                "/in/\(name(14)).json",
                Extraction(
                    shape: .compilationBench,
                    compilation: [
                        CompilationResult(
                            model: name(15), backend: "eager", succeeded: true, error: nil, compileSeconds: nil, meanMilliseconds: 10,
                            stddevMilliseconds: 0.5, minMilliseconds: 9, maxMilliseconds: 11, parameters: [Parameter(name(16), name(17))]),
                        CompilationResult(
                            model: name(15), backend: name(18), succeeded: true, error: nil, compileSeconds: 30, meanMilliseconds: 4,
                            stddevMilliseconds: 0.2, minMilliseconds: 3.5, maxMilliseconds: 5, parameters: [Parameter(name(16), name(17))]),
                        CompilationResult(
                            model: name(15), backend: name(19), succeeded: false, error: name(20), compileSeconds: nil,
                            meanMilliseconds: nil, stddevMilliseconds: nil, minMilliseconds: nil, maxMilliseconds: nil,
                            parameters: [Parameter(name(16), name(17))]),
                    ])
            ),
            (
                "/in/\(name(21)).json",
                Extraction(
                    shape: .llamaBenchJSON,
                    llamaBench: [
                        LlamaBenchResult(
                            model: name(22), test: "pp512", parameters: [Parameter(name(23), name(24))], tokensPerSecond: 1000,
                            stddevTokensPerSecond: 5, samples: [995, 1005]),
                        LlamaBenchResult(
                            model: name(22), test: name(25), parameters: [Parameter(name(23), name(24))], tokensPerSecond: 50,
                            stddevTokensPerSecond: 0.5, samples: [50, 50.5]),
                    ])
            ),
            (
                "/in/\(name(26)).json",
                Extraction(
                    shape: .hyperfine,
                    measurements: [
                        Measurement(tool: name(27), name: name(28), unit: name(29), mean: 0.5, median: 0.5, stddev: 0.01, count: 10),
                        Measurement(tool: name(27), name: name(30), unit: name(29), mean: 2, median: 2, stddev: 0.1, count: 10),
                    ])
            ),
            ("/in/\(name(31)).csv", Extraction(shape: .genericCSV, series: [Series(name: name(32), values: [1, 2, 3, 4])])),
        ]
    }

    /// Every section with content, a regression since a previous report, and
    /// files new, modified, renamed, deleted and skipped.
    static func facts(_ name: (Int) -> String) -> Facts {
        let before = ReportFixtures.facts(files(name, zeta: (0..<8).map { 100 + Double($0) }))
        let now = files(name, zeta: (0..<8).map { 80 + Double($0) })
        var inputs = ReportFixtures.inputs(
            files: now.count, skipped: [InputFacts.Skipped(path: "/in/\(name(33))", reason: name(34))],
            changed: [now[0].0, now[1].0, "/in/\(name(35))"], deleted: ["/in/\(name(36))", "/in/\(name(37))"],
            added: [now[1].0, "/in/\(name(35))"])
        inputs.roots = ["/in", name(38)]
        inputs.renamed = [InputFacts.Renamed(from: "/in/\(name(37))", to: "/in/\(name(35))")]
        return ReportFixtures.facts(now, inputs: inputs, previous: ReportDigest(before.runGroups), previousAt: name(39))
    }

    /// A model that was asked twice and whose kept words repeat hostile names.
    static func narrated(_ name: (Int) -> String) -> NarrativeOutcome {
        let metrics = ModelCallMetrics(
            ttftMilliseconds: 90, tokensPerSecond: 100, tokensGenerated: 200, promptTokens: 600, promptEvalMilliseconds: 10,
            evalMilliseconds: 2000, loadMilliseconds: 0, totalMilliseconds: 2100)
        // Statements quote the data's names, notes are the model's words, and
        // the cited rows are the table's lines: every one of them hostile.
        let narrative = GroundedNarrative(
            items: [
                .init(section: .summary, kind: .throughput, facts: ["Gaaaa"], statement: name(40), note: name(56)),
                .init(section: .findings, kind: .fastest, facts: ["Gaaaa"], statement: name(41), note: nil),
                .init(section: .findings, kind: .compare, facts: ["Gaaaa", "Gbbbb"], statement: name(42), note: name(57)),
                .init(section: .recommendations, kind: .fixFailures, facts: ["Fcccc"], statement: name(43), note: name(58)),
                .init(
                    section: .risks, kind: .fewRuns, facts: ["Gbbbb"], statement: name(44), note: name(59), mitigation: .rerunWithMoreRuns,
                    mitigationStatement: name(45)),
            ],
            dropped: [GroundedNarrative.Dropped(section: .summary, kind: name(46), reason: .unknownKind(name(47)))],
            droppedNotes: [GroundedNarrative.DroppedNote(section: .findings, kind: .fastest, reason: .unknownModel(name(60)))],
            factsCited: [
                .init(id: "Gaaaa", line: name(61)), .init(id: "Gbbbb", line: name(62)), .init(id: "Fcccc", line: name(63)),
            ])
        return NarrativeOutcome(
            model: ModelIdentity(backend: "ollama", baseURL: name(48), model: name(49), options: name(50)),
            calls: [
                ModelCall(attempt: 1, outcome: .unparseable(name(51)), metrics: metrics),
                ModelCall(attempt: 2, outcome: .drafted, metrics: metrics),
            ],
            narrative: narrative, unavailableReason: nil, promptTokens: 600, factsShown: 5, factsTotal: 9)
    }

    static func context(_ name: (Int) -> String, narrative: NarrativeOutcome) -> ReportContext {
        var context = ReportFixtures.context(reportSeconds: 0.5, narrative: narrative)
        context.agent = name(52)
        context.modelLine = name(53)
        context.configurationLine = name(54)
        // Several lines, a fence of its own and everything else in the pool.
        context.persona = "You are a reviewer.\n```\n## Injected\n" + MarkdownLiteralTests.hostile.joined(separator: "\n") + "\n````"
        return context
    }

    /// Both kinds of report: with a model's narrative, and without one for a hostile reason.
    static func reports(_ name: (Int) -> String) -> [(markdown: String, json: String)] {
        let facts = facts(name)
        return [narrated(name), .unavailable(name(55))].map { outcome in
            let context = context(name, narrative: outcome)
            return (MarkdownReport.render(facts, context), JSONReport.render(facts, context))
        }
    }

    /// How often each element that makes structure appears in `html`.
    static func structure(_ html: String) -> [String: Int] {
        let tags = [
            "<h1>", "<h2>", "<h3>", "<h4>", "<h5>", "<h6>", "<ul>", "<ol", "<li>", "<blockquote>", "<pre>", "<hr", "<p>", "<code>",
            "<strong>", "<em>", "<a ", "<img", "<table",
        ]
        return Dictionary(uniqueKeysWithValues: tags.map { ($0, MarkdownLiteralTests.occurrences(of: $0, in: html)) })
    }

    @Test("hostile names add no element: cmark sees the structure the report has with ordinary names")
    func sameStructure() throws {
        for (hostile, benign) in zip(Self.reports(Self.hostile), Self.reports(Self.benign)) {
            let html = try CommonMark.html(hostile.markdown)
            let expected = Self.structure(try CommonMark.html(benign.markdown))
            #expect(Self.structure(html) == expected)
            #expect(expected["<h3>", default: 0] >= 6, "the fixture should reach every per-name heading")
        }
    }

    @Test("hostile names make no heading, raw HTML, link or open fence")
    func noInjection() throws {
        for report in Self.reports(Self.hostile) {
            let html = try CommonMark.html(report.markdown)
            let headings = html.matches(of: #/<h([1-6])>(.*?)</h\1>/#).map { String($0.output.2) }
            // A name may be a heading's title (`### nel ## Injected`); a forged heading starts with the injected text.
            #expect(!headings.contains { $0.hasPrefix("Injected") }, "\(headings)")
            #expect(headings.contains { $0.hasSuffix("## Injected") }, "the fixture should put a newline-and-heading name in a heading")
            for raw in ["<script", "<img", "<!--", "<div", "</div", "<?php", "<![CDATA"] {
                #expect(!html.contains(raw), "the HTML holds \(raw)")
            }
            // The only links are the report's own, each to a table of its appendix.
            let links = html.matches(of: #/<a [^>]*>/#).map { String($0.output) }
            #expect(!links.isEmpty, "the fixture should cut a table into the appendix")
            #expect(links.allSatisfy { $0.wholeMatch(of: #/<a href="#table-a\d+">/#) != nil }, "\(links)")
            #expect(MarkdownLiteralTests.occurrences(of: "href=", in: html) == links.count)
            // Every section is still a heading: no fence left open swallowed the rest.
            for title in MarkdownReportTests.sectionOrder {
                let level = title.prefix { $0 == "#" }.count
                let text = title.drop { $0 == "#" || $0 == " " }
                #expect(html.contains("<h\(level)>\(text)</h\(level)>"), "no heading \(title)")
            }
            // The persona, then the appendix: it is one code block holding all its lines.
            let after = try #require(html.components(separatedBy: "<h2>Persona Prompt</h2>\n").last)
            let persona = try #require(after.components(separatedBy: "<h2>Appendix</h2>").first)
            #expect(after.contains("<h2>Appendix</h2>"))
            #expect(persona.hasPrefix("<pre><code>You are a reviewer.\n```\n## Injected\n") && persona.hasSuffix("````\n</code></pre>\n"))
            #expect(MarkdownLiteralTests.occurrences(of: "<pre>", in: persona) == 1)
        }
    }

    @Test("the Markdown holds no control character but line feeds and the persona's tabs, and every table row keeps its columns")
    func noControlsAndTablesKeepShape() throws {
        for report in Self.reports(Self.hostile) {
            // A tab is literal in the persona's code block; one-line contexts turn it into a space.
            let persona = try #require(report.markdown.range(of: "## Persona Prompt\n"))
            #expect(!report.markdown[..<persona.lowerBound].contains("\t"))
            let controls = report.markdown.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) || (0x2028...0x2029).contains($0.value)
            }
            #expect(controls.isEmpty, "\(controls.map { String($0.value, radix: 16) })")
            var columns: Int? = nil
            for line in report.markdown.split(separator: "\n", omittingEmptySubsequences: false) {
                guard line.hasPrefix("|") else {
                    columns = nil
                    continue
                }
                let count = MarkdownReportTests.cells(line).count
                if let columns {
                    #expect(count == columns, "row does not match its header: \(line)")
                } else {
                    columns = count
                }
            }
        }
    }

    @Test("report.json keeps hostile names exactly, with every control character escaped")
    func json() throws {
        for report in Self.reports(Self.hostile) {
            let raw = report.json.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || (0x2028...0x2029).contains($0.value)
            }
            #expect(raw.isEmpty, "\(raw.map { String($0.value, radix: 16) })")
            let parsed = try #require(
                try parseJSON(report.json.replacingOccurrences(of: "\"" + ReportContext.Timings.pending + "\"", with: "0")) as? [String: Any])
            #expect(try parsed.text("agent") == Self.hostile(52))
        }
        // The narrative's items and cited rows, exactly as they were.
        let withNarrative = try #require(Self.reports(Self.hostile).first).json
        let narrated = try #require(
            try parseJSON(withNarrative.replacingOccurrences(of: "\"" + ReportContext.Timings.pending + "\"", with: "0")) as? [String: Any])
        let narrative = try narrated.object("narrative")
        let items = try #require(narrative["items"] as? [[String: Any]])
        #expect(items.count == 5)
        #expect(items.first?["text"] as? String == Self.hostile(40) + " " + Self.hostile(56))
        #expect(items.last?["mitigation_text"] as? String == Self.hostile(45))
        #expect((narrative["facts_cited"] as? [String: String])?["Gaaaa"] == Self.hostile(61))
        #expect(try narrative.integer("items_dropped") == 1)
        #expect(try narrative.integer("notes_dropped") == 1)
    }
}
