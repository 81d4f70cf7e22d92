@testable import Analysis
import Charts
import Foundation
import Records
import Testing

@testable import Reporting

/// Which charts a report draws from its facts, where the Markdown links them,
/// and what they mark: every group's runs, a history with its open regression,
/// a sweep, compilation backends and llama-bench, each under its own table.
@Suite("Report figures")
struct ReportFiguresTests {
    /// Four sessions of `m` (one file each, in name order), the last slower;
    /// the first has more runs than a session keeps for its chart.
    static func sessionFiles(_ count: Int = 4, last: Double = 63) -> [(String, Extraction)] {
        (0..<count).map { index in
            let level = index == count - 1 ? last : 78.0
            let count = index == 0 ? 50 : 10
            let values = (0..<count).map { level + Double($0 % 5) * 0.2 }
            return (
                String(format: "/in/s%02d.csv", index),
                Extraction(
                    shape: .ollamaRuns,
                    runSets: [RunSet(model: "m", configuration: [], runs: ReportFixtures.runs(values, ttft: values.map { 12 / $0 }))])
            )
        }
    }

    static func openRegression() -> Regression {
        Regression(
            id: 7, model: "m", configuration: [], metric: .tokensPerSecond, baseline: .init(median: 78.4, n: 70), baselineSessions: 3,
            current: .init(median: 63.4, n: 10), currentSources: ["/in/s03.csv"], changePercent: -19.1, intervalPercent: -20...(-18),
            pValue: 0.0002, qValue: 0.0004, openedAt: "2026-12-02T10:00:00Z")
    }

    @Test("sessions are labelled without their year only when every one is in this year")
    func sessionLabelsSayTheYearWhenItIsNotThisOne() {
        func session(_ iso: String) -> Session {
            let seconds = ISO8601DateFormatter().date(from: iso)?.timeIntervalSince1970 ?? 0
            return Session(
                source: "runs.csv", startedAt: seconds, measuredAt: seconds, runsOK: 5, runsFailed: 0, failureMessages: [],
                tokensPerSecond: .empty, ttftSeconds: .empty, isNew: false)
        }
        let now = ISO8601DateFormatter().date(from: "2026-12-06T18:00:00Z") ?? Date()
        let thisYear = [session("2026-11-01T02:00:00Z"), session("2026-12-01T02:05:00Z")]
        #expect(ReportFigures.labels(thisYear, now: now) == ["11-01 02:00", "12-01 02:05"])
        // A year apart, the same day and hour read alike without it.
        let yearApart = [session("2025-11-01T02:00:00Z"), session("2026-11-01T02:00:00Z")]
        #expect(ReportFigures.labels(yearApart, now: now) == ["2025-11-01 02:00", "2026-11-01 02:00"])
        #expect(ReportFigures.labels([session("2025-12-06T18:07:00Z")], now: now) == ["2025-12-06 18:07"])
    }

    @Test("a group's runs by session and its history, the open regression ringed, both linked under the model's table")
    func groupCharts() throws {
        var facts = ReportFixtures.facts(Self.sessionFiles())
        facts.apply(RegressionState(open: [Self.openRegression()]))
        let figures = ReportFigures.figures(facts)
        let runs = try #require(figures.first { $0.kind == .runs })
        let history = try #require(figures.first { $0.kind == .history })
        #expect(runs.place == .runGroups(model: "m") && history.place == .runGroups(model: "m"))
        // Four rows of dots: 40 of the first session's 50 runs, all of the others'.
        #expect(runs.svg.contains("/in/s00.csv): median 78.40 tok/s, 40 of 50 runs drawn"))
        #expect(runs.svg.contains("/in/s03.csv): median 63.40 tok/s, 10 runs"))
        #expect(runs.svg.components(separatedBy: "<circle").count - 1 == 2 * (40 + 30))
        #expect(history.svg.contains(">regression #7: -19.1%</text>"))
        #expect(history.svg.contains("baseline of regression #7: 3 sessions"))

        var context = ReportFixtures.context()
        context.figures = figures
        context.chartsPath = "charts/chimera-report-20251122T194501Z"
        let markdown = MarkdownReport.render(facts, context)
        let section = try #require(markdown.components(separatedBy: "## LLM Runs by Model").last)
        for figure in [runs, history] {
            #expect(section.contains("](charts/chimera-report-20251122T194501Z/\(figure.name))"), "\(figure.name)")
        }
    }

    @Test("past the group limit: the regressed group, then one with a new session, then the most recently measured are drawn, and the report says so")
    func groupChartLimit() throws {
        let models = (0..<60).map { String(format: "m%02d", $0) }
        var facts = ReportFixtures.facts(
            models.flatMap { model in
                (0..<2).map { session in
                    let values = (0..<10).map { 70 + Double($0) }
                    return (
                        "/in/\(model)-\(session).csv",
                        Extraction(
                            shape: .ollamaRuns,
                            runSets: [RunSet(model: model, configuration: [], runs: ReportFixtures.runs(values, ttft: values.map { 12 / $0 }))])
                    )
                }
            })
        // m59 measured last, m00 first; m03 has a session this report read first.
        for group in facts.runGroups.indices {
            let order = Double(models.firstIndex(of: facts.runGroups[group].model) ?? 0)
            for session in facts.runGroups[group].sessions.indices {
                facts.runGroups[group].sessions[session].measuredAt = order * 10 + Double(session)
                facts.runGroups[group].sessions[session].isNew = false
            }
            if facts.runGroups[group].model == "m03" { facts.runGroups[group].sessions[1].isNew = true }
        }
        var regression = Self.openRegression()
        regression.model = "m01"
        facts.apply(RegressionState(open: [regression]))

        let charted = ReportFigures.chartedGroups(facts)
        #expect(charted.eligible == 60 && charted.keys.count == ReportFigures.chartedGroupLimit)
        let drawnModels = Set(charted.keys.map { String($0.prefix(3)) })
        #expect(drawnModels == Set(["m01", "m03"] + models.suffix(38)))
        let figures = ReportFigures.figures(facts)
        #expect(figures.filter { $0.kind == .runs }.count == 40 && figures.filter { $0.kind == .history }.count == 40)

        var context = ReportFixtures.context()
        context.figures = figures
        context.chartsPath = "charts/chimera-report-20251122T194501Z"
        let markdown = MarkdownReport.render(facts, context)
        #expect(markdown.contains("Charts are drawn for 40 of the 60 configurations"))
        // Under the limit nothing is left out, and nothing is said.
        var few = facts
        few.runGroups = Array(facts.runGroups.prefix(10))
        #expect(ReportFigures.chartedGroups(few).keys.count == 10)
        context.figures = ReportFigures.figures(few)
        #expect(!MarkdownReport.render(few, context).contains("Charts are drawn for"))
    }

    @Test("a long history draws its newest sessions, the open regression still ringed on the latest")
    func longHistory() throws {
        let count = SessionChart.sessionLimit + 5
        var facts = ReportFixtures.facts(Self.sessionFiles(count))
        var regression = Self.openRegression()
        regression.currentSources = [String(format: "/in/s%02d.csv", count - 1)]
        facts.apply(RegressionState(open: [regression]))
        let history = try #require(ReportFigures.figures(facts).first { $0.kind == .history })
        #expect(history.svg.components(separatedBy: "fill=\"none\"").count - 1 == 1)
        #expect(history.svg.contains(String(format: "/in/s%02d.csv, 10 ok and 0 failed runs", count - 1)))
        #expect(!history.svg.contains("/in/s04.csv,") && history.svg.contains("/in/s05.csv,"))
    }

    @Test("without an open regression the history shows the baseline its latest session was compared with, and no ring")
    func comparedBaseline() throws {
        let files = Self.sessionFiles()
        var analyzer = Analyzer(catalog: files.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        // The last file is new since the previous report: its session is compared.
        let facts = analyzer.finish(
            inputs: ReportFixtures.inputs(files: files.count, changed: ["/in/s03.csv"], added: ["/in/s03.csv"]),
            previous: ReportDigest([]), previousAt: "2026-12-01T10:00:00Z")
        let history = try #require(ReportFigures.figures(facts).first { $0.kind == .history })
        try #require(facts.sessionComparisons.contains { $0.metric == .tokensPerSecond && $0.baselineSessions == 3 })
        #expect(history.svg.contains("baseline: 3 sessions before the latest"))
        #expect(!history.svg.contains("fill=\"none\""))
    }

    @Test("the examples' kinds: a sweep, compilation backends and llama-bench, each placed under its own table")
    func otherKinds() throws {
        let sweep = (
            "/in/m_param_tuning.csv",
            Extraction(
                shape: .parameterSweep,
                runSets: (0..<6).map { index in
                    RunSet(
                        model: "sw", configuration: [Parameter("num_ctx", String(1024 << (index % 3))), Parameter("num_gpu", String(index / 3))],
                        runs: ReportFixtures.runs([100 + Double(index)]))
                })
        )
        var facts = ReportFixtures.facts([sweep])
        facts.compilation = [
            CompilationBench(
                model: "conv", parameters: [Parameter("batch_size", "4")], source: "/in/compile.json",
                backends: [
                    .init(backend: "eager", succeeded: true, meanMilliseconds: 10, speedupVersusEager: 1),
                    .init(backend: "onnx", succeeded: true, meanMilliseconds: 2, speedupVersusEager: 5),
                    .init(backend: "inductor", succeeded: false, error: "boom"),
                ], fastest: "onnx")
        ]
        facts.llamaBench = [
            LlamaBenchRow(
                model: "q", test: "pp512", phase: "prefill", parameters: [], tokensPerSecond: 1500, stddev: 20, samples: 5, source: "/in/b.json"),
            LlamaBenchRow(
                model: "q", test: "tg128", phase: "decode", parameters: [], tokensPerSecond: 40, stddev: 1, samples: 5, source: "/in/b.json"),
        ]
        let figures = ReportFigures.figures(facts)
        let kinds = figures.map(\.kind)
        #expect(kinds.contains(.sweep) && kinds.contains(.compilation))
        #expect(kinds.contains(.llamaBenchPrefill) && kinds.contains(.llamaBenchDecode))
        #expect(figures.first { $0.kind == .sweep }?.place == .sweep(index: 0))
        let compilation = try #require(figures.first { $0.kind == .compilation })
        #expect(compilation.place == .compilation(index: 0) && compilation.title.contains("(batch_size=4)"))
        // Eager is the reference, not a row; the failure is named.
        #expect(!compilation.svg.contains(">eager</text>\n<rect") && compilation.svg.contains(">× failed</text>"))
        #expect(Set(figures.map(\.name)).count == figures.count)

        var context = ReportFixtures.context()
        context.figures = figures
        context.chartsPath = "charts/r"
        let markdown = MarkdownReport.render(facts, context)
        func section(_ title: String) -> String {
            let start = markdown.range(of: "## " + title)?.upperBound ?? markdown.endIndex
            let rest = markdown[start...]
            let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
            return String(rest[..<end])
        }
        for (title, kind) in [("Parameter Sweeps", ReportFigure.Kind.sweep), ("Compilation", .compilation), ("Other Benchmarks", .llamaBenchPrefill)]
        {
            let figure = try #require(figures.first { $0.kind == kind })
            #expect(section(title).contains("](charts/r/\(figure.name))"), "\(title)")
        }
    }
    /// `svg` (a sealed chart) with `extra` before its closing tag, sealed again with `seal`, as chimerad would have written it.
    static func resealed(_ svg: String, adding extra: String, seal: ChartSeal) throws -> String {
        var lines = svg.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count > 2 && lines[1].hasPrefix("<!-- chimerad chart inputs "))
        let mark = lines[1].split(separator: " ").prefix(6).joined(separator: " ")
        lines.insert(extra, at: lines.count - 2)
        let opening = lines[0] + "\n"
        let rest = lines.dropFirst(2).joined(separator: "\n")
        return opening + mark + " " + seal.seal(mark + "\n" + opening + rest) + " -->\n" + rest
    }

    @Test("a group's chart drawn from the same inputs is the newest report's file when its seal checks; a planted or edited one is drawn anew")
    func publishedChartsAreReused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chimerad-figures-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let writer = ReportWriter(directory: directory, retain: 0)
        try writer.prepare()
        let seal = ChartSeal(key: Array(repeating: 7, count: 32))
        let facts = ReportFixtures.facts(Self.sessionFiles())
        let figures = ReportFigures.figures(facts, published: writer.publishedCharts(), seal: seal)
        let runs = try #require(figures.first { $0.kind == .runs })
        #expect(runs.svg.contains("<!-- chimerad chart inputs runs "))
        func publish(_ charts: [ReportWriter.Chart], at offset: Double) throws {
            let base = writer.freeBase(at: ReportFixtures.date.addingTimeInterval(offset))
            _ = try writer.write(base: base, markdown: "# r\n", json: "{}\n", html: "<p>r</p>\n", charts: charts)
        }
        // Published with a comment no drawing writes, sealed: finding it again proves the file was taken.
        try publish(
            try figures.map { figure in
                let svg = figure.kind == .leaderboard ? figure.svg : try Self.resealed(figure.svg, adding: "<!-- published -->", seal: seal)
                return ReportWriter.Chart(name: figure.name, svg: svg)
            }, at: 1)
        let again = ReportFigures.figures(facts, published: writer.publishedCharts(), seal: seal)
        for figure in again where figure.kind == .runs || figure.kind == .history {
            #expect(figure.svg.contains("<!-- published -->"), "\(figure.name) was drawn again")
        }
        // Any drawing of the leaderboard is drawn again, and the same.
        #expect(again.first { $0.kind == .leaderboard }?.svg == figures.first { $0.kind == .leaderboard }?.svg)
        // The same files under another key, or edited after sealing: drawn anew.
        let otherKey = ReportFigures.figures(facts, published: writer.publishedCharts(), seal: ChartSeal(key: Array(repeating: 8, count: 32)))
        #expect(!otherKey.contains { $0.svg.contains("<!-- published -->") })
        try publish(
            figures.map { figure in
                ReportWriter.Chart(name: figure.name, svg: figure.svg.replacingOccurrences(of: "</svg>", with: "<!-- planted --></svg>"))
            }, at: 2)
        let planted = ReportFigures.figures(facts, published: writer.publishedCharts(), seal: seal)
        #expect(!planted.contains { $0.svg.contains("<!-- planted -->") })
        // The newest session a little slower: that group's charts are drawn again.
        try publish(again.map { ReportWriter.Chart(name: $0.name, svg: $0.svg) }, at: 3)
        let changed = ReportFigures.figures(ReportFixtures.facts(Self.sessionFiles(last: 63.5)), published: writer.publishedCharts(), seal: seal)
        for figure in changed where figure.kind == .runs || figure.kind == .history {
            #expect(!figure.svg.contains("<!-- published -->"), "\(figure.name) was not drawn again")
        }
    }
}
