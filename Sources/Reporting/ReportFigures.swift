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
        /// Under the bullets of the sweep at this position in Parameter Sweeps.
        case sweep(index: Int)
        /// Under the table of the compilation benchmark at this position.
        case compilation(index: Int)
        /// Under the llama-bench table of Other Benchmarks.
        case llamaBench
        /// Under the table of this model and configuration in a fleet report.
        case fleetGroup(index: Int)
    }

    /// What it draws, and so its file's name.
    package enum Kind: String, Sendable {
        case leaderboard, history, runs, sweep, compilation
        /// A fleet report's group: one row per host and environment.
        case fleetGroup = "fleet-group"
        case llamaBenchPrefill = "llama-bench-prefill"
        case llamaBenchDecode = "llama-bench-decode"
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
    /// - Parameters:
    ///   - published: the newest report's charts: a group's chart drawn from
    ///     the same inputs as its file there is that file, not drawn again (a
    ///     report after one file landed redraws only that file's groups).
    ///   - seal: seals the charts drawn, and checks those taken from
    ///     `published` (none is taken without one).
    package static func figures(_ facts: Facts, published: PublishedCharts? = nil, seal: ChartSeal? = nil) -> [ReportFigure] {
        var drafts = [leaderboard(facts.leaderboard)].compactMap { $0 }
        // A model's charts in the order its table lists its groups (by configuration).
        let charted = chartedGroups(facts).keys
        let byModel = Dictionary(grouping: facts.runGroups.filter { !$0.isSweep && charted.contains($0.key) }, by: \.model)
        for model in byModel.keys.sorted() {
            for group in byModel[model] ?? [] {
                drafts += [runs(group), history(group, facts)].compactMap { $0 }
            }
        }
        drafts += facts.sweeps.enumerated().compactMap { sweep($1, index: $0) }
        drafts += facts.compilation.enumerated().compactMap { compilation($1, index: $0) }
        drafts += llamaBench(facts.llamaBench)
        // Each file name once, whatever the groups' hashes do: a name written twice would fail the report.
        var seen: [String: Int] = [:]
        for index in drafts.indices {
            let name = drafts[index].figure.name
            seen[name, default: 0] += 1
            if let count = seen[name], count > 1 { drafts[index].figure.name = String(name.dropLast(4)) + "-\(count).svg" }
        }
        if let published, let seal {
            for index in drafts.indices where drafts[index].inputsMark != nil {
                guard let text = published.text(of: drafts[index].figure.name), let reused = drafts[index].reusable(text, seal: seal) else {
                    continue
                }
                drafts[index].figure.svg = reused
            }
        }
        // Charts share nothing: drawn on every core.
        Parallel.update(&drafts) { draft in
            if draft.figure.svg.isEmpty { draft.figure.svg = draft.drawn(sealedWith: seal) }
        }
        return drafts.map(\.figure)
    }

    /// The leaderboard's decode throughput: median and p25–p75 per row, in its order.
    static func leaderboard(_ board: Leaderboard) -> Draft? {
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
        return Draft(ReportFigure(kind: .leaderboard, place: .leaderboard, name: "leaderboard.svg", title: chart.title, svg: ""), .range(chart))
    }

    /// A group of two sessions or more (not a sweep point): its decode
    /// throughput session by session, with its change points.
    static func history(_ group: RunGroup, _ facts: Facts) -> Draft? {
        guard !group.isSweep, group.sessions.count >= 2, group.sessions.contains(where: { $0.tokensPerSecond.median != nil }) else { return nil }
        // Only the sessions the chart shows are labelled: a group of thousands
        // of sessions must not format thousands of dates for forty columns.
        let shown = group.sessions.suffix(SessionChart.sessionLimit)
        let dropped = group.sessions.count - shown.count
        let sessions = zip(shown, labels(shown)).map { session, label in
            let figures = session.tokensPerSecond
            return SessionChart.Session(
                label: label, median: figures.median, lower: figures.lowerQuartile, upper: figures.upperQuartile,
                detail: "\(session.source), \(session.runsOK) ok and \(session.runsFailed) failed runs")
        }
        let changes = Set(group.changePoints.filter { $0.metric == .tokensPerSecond && $0.session >= dropped }.map { $0.session - dropped })
        let open = facts.regressions.open.filter { $0.groupKey == group.key && $0.metric == .tokensPerSecond }
        var marks: [Int: String] = [:]
        for regression in open {
            guard let index = session(of: regression, in: group.sessions), index >= dropped else { continue }
            marks[index - dropped] = "regression #\(regression.id): \(Figures.signedPercent(regression.changePercent))"
        }
        let subject = subject(group)
        let chart = SessionChart(
            title: "\(subject): decode throughput per session", unit: "tok/s", sessions: sessions, changesAt: changes,
            baseline: baseline(group, open: open, facts.sessionComparisons), regressions: marks)
        return Draft(
            ReportFigure(
                kind: .history, place: .runGroups(model: group.model), name: "history-\(hashed(group.key)).svg", title: chart.title,
                svg: ""), .session(chart))
    }

    /// The session an open regression was opened on: the one measured when
    /// it says, from one of its files; else the newest from one of them.
    static func session(of regression: Regression, in sessions: [Session]) -> Int? {
        let sources = Set(regression.currentSources)
        if let measured = regression.sessionMeasuredAt,
            let index = sessions.lastIndex(where: { $0.measuredAt == measured && sources.contains($0.source) })
        {
            return index
        }
        return sessions.lastIndex { sources.contains($0.source) }
    }

    /// The level the group's latest session was held against: an open
    /// regression's baseline first, else this report's comparison.
    static func baseline(
        _ group: RunGroup, open: [Regression], _ comparisons: [SessionComparison]
    ) -> (value: Double, label: String)? {
        if let regression = open.last, regression.baseline.median.isFinite {
            return (regression.baseline.median, "baseline of regression #\(regression.id): \(sessionCount(regression.baselineSessions))")
        }
        let compared = comparisons.last {
            $0.metric == .tokensPerSecond && $0.model == group.model && $0.configuration == group.configuration && $0.baselineSessions > 0
        }
        guard let compared, compared.baseline.median.isFinite else { return nil }
        return (compared.baseline.median, "baseline: \(sessionCount(compared.baselineSessions)) before the latest")
    }

    private static func sessionCount(_ count: Int) -> String { count == 1 ? "1 session" : "\(count) sessions" }

    /// Every run of a group's newest sessions as a dot, per session, for
    /// decode throughput and warm TTFT: the spread a median hides.
    static func runs(_ group: RunGroup) -> Draft? {
        let drawn = group.sessions.suffix(SessionFigures.sessionsWithRuns).filter {
            !$0.tokensPerSecond.runs.isEmpty || !$0.ttftSeconds.runs.isEmpty
        }
        guard !drawn.isEmpty else { return nil }
        let rows = zip(drawn, labels(drawn)).map { StripChart.Row(label: $1, detail: $0.source) }
        func panel(_ name: String, _ unit: String, _ figures: KeyPath<Session, SessionFigures>, decimals: Int) -> StripChart.Panel? {
            guard drawn.contains(where: { !$0[keyPath: figures].runs.isEmpty }) else { return nil }
            return StripChart.Panel(
                name: name, unit: unit, values: drawn.map { $0[keyPath: figures].runs }, medians: drawn.map { $0[keyPath: figures].median },
                counts: drawn.map { $0[keyPath: figures].n }, decimals: decimals)
        }
        // Decimals as the tables print them: tok/s to 2, seconds to 3.
        let panels = [
            panel("Decode throughput", "tok/s", \.tokensPerSecond, decimals: 2), panel("Warm TTFT", "s", \.ttftSeconds, decimals: 3),
        ].compactMap { $0 }
        let newest = group.sessions.count > drawn.count ? ", newest \(drawn.count) of \(group.sessions.count) sessions" : ""
        let chart = StripChart(title: "\(subject(group)): every run by session\(newest)", rows: rows, panels: panels)
        return Draft(
            ReportFigure(
                kind: .runs, place: .runGroups(model: group.model), name: "runs-\(hashed(group.key)).svg", title: chart.title, svg: ""), .strip(chart)
        )
    }

    /// A sweep's parameters, each a panel of its levels' median tok/s.
    static func sweep(_ sweep: Sweep, index: Int) -> Draft? {
        let panels = sweep.effects.filter { $0.levels.count > 1 }.map { effect in
            var notes: [String] = []
            notes.append(sweep.noise == nil ? "noise unknown" : effect.beyondNoise ? "beyond noise" : "within noise")
            if effect.sampling { notes.append("sampling") }
            if effect.confounded { notes.append("cold starts") }
            return EffectsChart.Panel(
                parameter: effect.parameter, levels: effect.levels.map { EffectsChart.Level(value: $0.value, median: $0.tokensPerSecond) },
                note: notes.joined(separator: " · "), muted: !effect.beyondNoise)
        }
        guard !panels.isEmpty else { return nil }
        // sdPercent is the sd of log tok/s times 100: about that percent of a run's throughput.
        let typical = sweep.ranking.isEmpty ? nil : sweep.ranking[sweep.ranking.count / 2].tokensPerSecond
        let noise = sweep.noise.flatMap { noise in typical.map { $0 * noise.sdPercent / 100 } }
        let chart = EffectsChart(
            title: "\(sweep.model) sweep: median decode throughput at each level", unit: "tok/s", panels: panels, noise: noise)
        var key = sweep.model
        for source in sweep.sources { key += "\u{1F}" + source }
        return Draft(
            ReportFigure(kind: .sweep, place: .sweep(index: index), name: "sweep-\(hashed(key)).svg", title: chart.title, svg: ""), .effects(chart))
    }

    /// A compilation benchmark's backends against eager, on a log scale.
    static func compilation(_ bench: CompilationBench, index: Int) -> Draft? {
        let rows = bench.backends.filter { $0.backend != "eager" }.map { backend in
            RatioChart.Row(
                label: backend.backend, ratio: backend.speedupVersusEager,
                shown: backend.speedupVersusEager.map(Figures.ratio) ?? (backend.succeeded ? "no speedup" : "failed"))
        }
        guard rows.contains(where: { $0.ratio != nil }) else { return nil }
        let chart = RatioChart(
            title: "\(bench.model): speedup against eager", subtitle: bench.parameters.isEmpty ? nil : bench.parameters.rendered,
            reference: "eager", rows: rows)
        return Draft(
            ReportFigure(
                kind: .compilation, place: .compilation(index: index),
                name: "compilation-\(hashed(bench.model + "\u{1F}" + bench.parameters.rendered + "\u{1F}" + bench.source)).svg",
                title: bench.parameters.isEmpty ? chart.title : "\(chart.title) (\(bench.parameters.rendered))", svg: ""), .ratio(chart))
    }

    /// llama-bench's prefill and decode rows, each phase on its own axis
    /// (thousands of tokens a second against tens), one colour per build.
    static func llamaBench(_ rows: [LlamaBenchRow]) -> [Draft] {
        let builds = Array(Set(rows.map { $0.build ?? "" })).sorted()
        let models = Set(rows.map(\.model))
        let sources = Set(rows.map(\.source))
        // The same results in a CSV, a JSON and a Markdown file of one name: the extension tells them apart.
        let names = Set(sources.map { $0.split(separator: "/").last.map(String.init) ?? $0 })
        let oneStem = Set(names.map { $0.split(separator: ".", omittingEmptySubsequences: false).first ?? "" }).count == 1
        func file(_ source: String) -> String {
            let name = source.split(separator: "/").last.map(String.init) ?? source
            guard oneStem, let dot = name.lastIndex(of: ".") else { return name }
            return String(name[dot...])
        }
        // A label names only what tells its row apart: the model, the build and
        // the file when they vary; a shared model goes under the title.
        func label(_ row: LlamaBenchRow) -> String {
            var parts = models.count > 1 ? [row.model, row.test] : [row.test]
            if !row.parameters.isEmpty { parts.append(row.parameters.rendered) }
            if builds.count > 1 { parts.append("@ " + (row.build ?? "unknown build")) }
            if sources.count > 1 { parts.append("(" + file(row.source) + ")") }
            return parts.joined(separator: " ")
        }
        func figure(_ phase: String, _ kind: ReportFigure.Kind, _ name: String) -> Draft? {
            let chartRows = rows.filter { $0.phase == phase }.map { row in
                RangeChart.Row(
                    label: label(row), median: row.tokensPerSecond, lower: row.stddev.map { row.tokensPerSecond - $0 },
                    upper: row.stddev.map { row.tokensPerSecond + $0 }, shown: Figures.tokensPerSecond(row.tokensPerSecond),
                    series: builds.firstIndex(of: row.build ?? "") ?? 0)
            }
            guard !chartRows.isEmpty else { return nil }
            let chart = RangeChart(
                title: "llama-bench \(name): t/s per test\(builds.count > 1 ? " and build" : "")",
                subtitle: models.count == 1 ? models.first : nil, unit: "t/s", rows: chartRows, spread: .standardDeviation)
            return Draft(ReportFigure(kind: kind, place: .llamaBench, name: "\(kind.rawValue).svg", title: chart.title, svg: ""), .range(chart))
        }
        return [figure("prefill", .llamaBenchPrefill, "prefill (pp)"), figure("decode", .llamaBenchDecode, "decode (tg)")].compactMap { $0 }
    }

    static func subject(_ group: RunGroup) -> String {
        group.configuration.isEmpty ? group.model : "\(group.model) (\(group.configuration.rendered))"
    }

    /// When each session was measured, as its column or row is labelled
    /// (UTC): `11-30 09:12` when every one is in this year, else with the
    /// year, `2025-11-30 09:12` (sessions a year apart read alike, and a
    /// corpus of last year's read as this year's).
    static func labels(_ sessions: some Collection<Session>, now: Date = Date()) -> [String] {
        let fields = sessions.map { Timestamps.fields(Date(timeIntervalSince1970: $0.measuredAt)) }
        let thisYear = Timestamps.fields(now).year
        let withYear = fields.contains { $0.year != thisYear }
        let two = DecimalText.twoDigits
        return fields.map { when in
            (withYear ? String(when.year) + "-" : "") + two(when.month) + "-" + two(when.day) + " " + two(when.hour) + ":"
                + two(when.minute)
        }
    }

    static func hashed(_ key: String) -> String {
        var hash = StableHash()
        hash.add(key)
        return String(hash.low, radix: 16)
    }
}
