import Analysis
import Records

/// The Markdown report, in the section order users of the original tool know:
/// title, executive summary, what changed, per-model tables, sweeps,
/// compilation, other benchmarks, failures, skipped files, workflow summary,
/// metrics, key findings, recommendations, persona prompt; then an appendix
/// holding whole the tables the sections show in part.
package enum MarkdownReport {
    /// Generic series beyond this many rows are left to report.json.
    static let seriesRowLimit = 40

    package static func render(_ facts: Facts, _ context: ReportContext) -> String {
        var out = MarkdownText()
        title(facts, context, &out)
        regressionCallout(facts, &out)
        executiveSummary(facts, context, &out)
        leaderboard(facts, context, &out)
        whatChanged(facts, &out)
        runGroups(facts, context, &out)
        sweeps(facts, context, &out)
        compilation(facts, context, &out)
        otherBenchmarks(facts, context, &out)
        failures(facts, &out)
        skipped(facts, &out)
        workflow(facts, context, &out)
        // Without a model there is nothing to measure and no persona in use.
        if context.modelConfigured { metrics(context, &out) }
        // Findings come from LLM runs, sweeps, compilation and llama-bench
        // results; a report of other benchmarks alone has data and no finding.
        let noFindings =
            facts.inputs.filesAnalyzed == 0
            ? "No findings: no benchmark data was analysed."
            : "No findings: nothing in the data analysed met a finding's rule (the tables above hold every result)."
        bullets("Key Findings", facts.findings, numbered: false, empty: noFindings, &out)
        bullets("Recommendations", facts.recommendations, numbered: true, empty: "No recommendations from the data analysed.", &out)
        if context.modelConfigured {
            out.heading(2, "Persona Prompt")
            out.line(MarkdownLiteral.codeBlock(context.persona))
        }
        out.appendixSection()
        return out.text
    }

    private static func title(_ facts: Facts, _ context: ReportContext, _ out: inout MarkdownText) {
        out.heading(1, "chimerad Benchmark Report")
        out.line("**Date:** \(Timestamps.readable(context.generatedAt))  ")
        out.line("**Agent:** \(MarkdownLiteral.inline(context.agent))  ")
        out.line("**Model:** \(MarkdownLiteral.inline(context.modelLine))  ")
        out.line("**Configuration:** \(MarkdownLiteral.inline(context.configurationLine))  ")
        out.line("**Trigger:** \(context.trigger.rawValue)")
        out.blank()
    }

    /// Most regressions the callout lists; the rest are under What Changed.
    static let calloutLimit = 5

    /// Open regressions, right under the title block: the first thing a
    /// reader sees while something is worse, in every report until a later
    /// session recovers or a user acknowledges it. A quote, not a section, so
    /// the section order stays what readers and scripts know.
    private static func regressionCallout(_ facts: Facts, _ out: inout MarkdownText) {
        let state = facts.regressions
        guard !state.open.isEmpty || !state.resolvedNow.isEmpty || !state.acknowledgedSince.isEmpty else { return }
        let count = state.open.count
        if count > 0 {
            let policy = facts.regressionPolicy
            out.line(
                "> **\(count == 1 ? "1 open regression" : "\(count) open regressions")** (a new session worse than the sessions before it by at least \(Figures.percent(policy.minimumEffectPercent)), at a false discovery rate of \(Figures.percent(policy.falseDiscoveryRate * 100))):"
            )
            out.line(">")
            // Largest first, as the findings and the summary's lead order them: the lead is always one listed here.
            for regression in state.openLargestFirst.prefix(calloutLimit) {
                // One group's regressions on two machines: each says where it ran.
                let twin = state.open.contains {
                    $0.id != regression.id && $0.groupKey == regression.groupKey && $0.metric == regression.metric
                }
                let place =
                    twin && !regression.environment.isEmpty
                    ? " (ran on " + regression.environment.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + ")" : ""
                out.line("> - " + MarkdownLiteral.inline(regression.openText.text + place))
            }
            if count > calloutLimit { out.line("> - and \(count - calloutLimit) more in report.json (`regressions.open`)") }
        }
        if !state.resolvedNow.isEmpty {
            if count > 0 { out.line(">") }
            out.line("> **Resolved by this report:**")
            out.line(">")
            for regression in state.resolvedNow.prefix(calloutLimit) {
                out.line("> - " + MarkdownLiteral.inline(regression.resolvedText.text))
            }
        }
        if !state.acknowledgedSince.isEmpty {
            if count > 0 || !state.resolvedNow.isEmpty { out.line(">") }
            out.line("> **Acknowledged since the last report** (`chimerad regressions ack`):")
            out.line(">")
            for regression in state.acknowledgedSince.prefix(calloutLimit) {
                out.line("> - " + MarkdownLiteral.inline(regression.resolvedText.text))
            }
        }
        out.blank()
    }

    /// The sentence that opens the executive summary when something regressed:
    /// the largest significant regression, as its finding states it, and how
    /// many more there are. It is written from the facts before any other
    /// summary text, rule-based or (later) a model's, so nothing displaces it.
    static func regressionLead(_ facts: Facts) -> String? {
        guard let first = facts.findings.first(where: { $0.id == "regression" }) else { return nil }
        let count = facts.regressions.open.count
        guard count > 1 else { return first.text }
        // The callout above lists the first `calloutLimit`; report.json has every one.
        let above = min(count, calloutLimit) - 1
        let beyond = count - min(count, calloutLimit)
        let listed = "\(above) more open regression\(above == 1 ? " is" : "s are") listed above"
        return first.text + " " + (beyond > 0 ? listed + ", and \(beyond) more in report.json." : listed + ".")
    }

    private static func executiveSummary(_ facts: Facts, _ context: ReportContext, _ out: inout MarkdownText) {
        out.heading(2, "Executive Summary")
        let lead = regressionLead(facts)
        if let lead {
            out.line(MarkdownLiteral.inline(lead))
            out.blank()
        }
        let inputs = facts.inputs
        let models = Set(facts.runGroups.map(\.model))
        let ok = facts.runGroups.reduce(0) { $0 + $1.runsOK }
        let failed = facts.runGroups.reduce(0) { $0 + $1.runsFailed }
        let skipped = inputs.skipped.count
        var overview =
            "\(inputs.filesAnalyzed) of \(inputs.filesSeen) files analysed"
            + (skipped == 0 ? " (none skipped)." : " (\(skipped) skipped, each with its reason below).")
        if ok + failed > 0 {
            overview += " \(ok + failed) LLM runs of \(models.count) model\(models.count == 1 ? "" : "s"): \(ok) succeeded, \(failed) failed."
        }
        out.line(overview)
        out.blank()
        if let quality = facts.findings.first(where: { $0.id == "harness-failure" }) {
            out.line("**Data quality:** " + MarkdownLiteral.inline(quality.text))
            out.blank()
        }
        // The callout above lists the open regressions and the lead states the largest: bullets
        // repeating them pushed the leaderboard off the first screen.
        var findings = facts.findings
        if lead != nil { findings.removeAll { $0.id == "regression" } }
        let bullets = headline(findings)
        for finding in bullets { out.line("- " + MarkdownLiteral.inline(finding.text)) }
        if !bullets.isEmpty { out.blank() }
        narrative(context, &out)
    }

    /// Regressions first, then configurations whose latest session failed
    /// whole, then what a reader acts on: whole models failing,
    /// comparisons of like with like (one model's quantisations, one model on
    /// several backends; the fastest model only when there is neither, and
    /// then set against a model of its own size or none), the best
    /// configurations and backends.
    static func headline(_ findings: [Finding]) -> [Finding] {
        let priority = [
            "regression", "failing-now", "llama-bench-slower", "change-point", "all-failed", "quantisation", "backend-comparison",
            "fastest-model", "sweep-best", "compile-fastest", "llama-bench", "throughput",
        ]
        let comparisons: Set<String> = ["quantisation", "backend-comparison"]
        var chosen: [Finding] = []
        for id in priority {
            if id == "fastest-model" && chosen.contains(where: { comparisons.contains($0.id) }) { continue }
            // The fastest model's figure is in the line that names it fastest.
            if id == "throughput" && chosen.contains(where: { $0.id == "fastest-model" }) { continue }
            let matching = findings.filter { $0.id == id }
            chosen += ["regression", "failing-now", "all-failed"].contains(id) ? Array(matching.prefix(3)) : Array(matching.prefix(1))
            if chosen.count >= 6 { break }
        }
        return Array(chosen.prefix(6))
    }

    private static func whatChanged(_ facts: Facts, _ out: inout MarkdownText) {
        out.heading(2, "What Changed")
        let inputs = facts.inputs
        guard let previous = facts.changes.previousReportAt else {
            out.line("First report over these inputs: nothing to compare with yet.")
            out.blank()
            return
        }
        out.line(MarkdownLiteral.inline("Since the previous report (\(previous)):"))
        out.blank()
        let files = inputs.changeLists
        if inputs.changed.isEmpty && inputs.deleted.isEmpty && files.renamed.isEmpty {
            out.line("- No file changed.")
        }
        if !files.new.isEmpty { out.line("- New: " + listing(files.new)) }
        if !files.modified.isEmpty { out.line("- Modified: " + listing(files.modified)) }
        if !files.renamed.isEmpty {
            let shown = files.renamed.prefix(20).map { MarkdownLiteral.codeSpan($0.from) + " → " + MarkdownLiteral.codeSpan($0.to) }
                .joined(separator: ", ")
            out.line("- Renamed: " + shown + (files.renamed.count > 20 ? " and \(files.renamed.count - 20) more" : ""))
        }
        if !files.deleted.isEmpty { out.line("- Deleted (their records left this report): " + listing(files.deleted)) }
        out.blank()
        // A move that shows as 0.0% says nothing: counted, not listed.
        let moves = facts.changes.moves.filter { abs($0.changePercent) >= 0.05 }
        let still = facts.changes.moves.count - moves.count
        if !moves.isEmpty {
            let classes: [(String, [Changes.Move])] = [
                ("Worse, significant (pooled figures)", moves.filter(\.isRegression)),
                ("Worse, not confirmed (not significant, or too few runs to test)", moves.filter { $0.worse && !$0.isRegression }),
                ("Better (pooled figures; each row's verdict says whether it counts)", moves.filter { !$0.worse }),
            ]
            for (title, members) in classes where !members.isEmpty {
                out.line("**\(title):**")
                out.blank()
                out.longTable(
                    "What Changed, " + title.lowercased(),
                    ["Model", "Configuration", "Metric", "Previous median", "New median", "Change", "Runs (before → after)", "Verdict"],
                    members.map(moveRow), strong: members.allSatisfy(\.isRegression) ? [7] : [])
            }
            out.line(
                "_Each move is tested with a two-sided Mann-Whitney U test of the previous report's runs against the current ones (up to \(Sample.capacity) runs a side, drawn evenly across the files), significant when p < \(Figures.fixed(MannWhitney.alpha, 2)); fewer than \(MannWhitney.minimumRuns) runs on either side is too few to test. Runs count the metric's values: TTFT counts warm runs only. Whether a new session regressed is decided apart, against the sessions before it\(facts.regressions.open.isEmpty ? "" : " (the open regressions above)").\(still > 0 ? " \(still) move\(still == 1 ? "" : "s") under 0.05% not listed." : "")_"
            )
            out.blank()
        } else if (!inputs.changed.isEmpty || !inputs.deleted.isEmpty) && !facts.runGroups.isEmpty {
            // Moves are the LLM run groups' pooled figures: other benchmarks' sessions are tested below.
            out.line("No LLM run group's median moved (of the groups in both reports).")
            out.blank()
        }
        newSessionTests(facts, &out)
        if !facts.changes.newGroups.isEmpty { out.line("- New groups: " + listing(facts.changes.newGroups.map(groupLabel))) }
        if !facts.changes.goneGroups.isEmpty { out.line("- Groups no longer present: " + listing(facts.changes.goneGroups.map(groupLabel))) }
        if !facts.changes.newGroups.isEmpty || !facts.changes.goneGroups.isEmpty { out.blank() }
    }

    /// The new sessions, each with its test against the sessions before it:
    /// "is this worse?" answered for every model, hyperfine command and test
    /// that landed, not only the regressions (a night 19% faster was said
    /// nowhere but in report.json, under a pooled move of +0.3%).
    private static func newSessionTests(_ facts: Facts, _ out: inout MarkdownText) {
        guard !facts.sessionComparisons.isEmpty else { return }
        // Worse first, then better, each shown in the body however many: the answer to "is this worse?"
        // must not sit in the appendix behind rows that are alphabetically first.
        func rank(_ verdict: SessionComparison.Verdict) -> Int {
            switch verdict {
            case .worse: 0
            case .better: 1
            case .differentEnvironment, .untested, .unchanged: 2
            }
        }
        let tests = facts.sessionComparisons.enumerated().sorted { a, b in
            let (x, y) = (rank(a.element.verdict(facts.regressionPolicy)), rank(b.element.verdict(facts.regressionPolicy)))
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
        let moved = tests.prefix { rank($0.verdict(facts.regressionPolicy)) < 2 }.count
        out.line("**New sessions, each against the sessions before it:**")
        out.blank()
        out.longTable(
            "What Changed, new sessions",
            ["Model or benchmark", "Configuration", "File", "Metric", "Before", "New", "Change (95% interval)", "Verdict"],
            tests.map { newSessionRow($0, policy: facts.regressionPolicy) }, leading: moved)
        out.line(
            "_Run against run where both sides hold each run's value (Mann-Whitney U; the Hodges-Lehmann change and its confidence interval); else the session's figure against those of the sessions before it (the distance from their geometric mean and its Student-t prediction interval, at least \(SessionComparison.minimumSessions) sessions). Worse or better needs at least \(Figures.percent(facts.regressionPolicy.minimumEffectPercent)) and q ≤ \(Figures.fixed(facts.regressionPolicy.falseDiscoveryRate, 2))._"
        )
        out.blank()
    }

    private static func newSessionRow(_ comparison: SessionComparison, policy: RegressionPolicy) -> [String] {
        let metric = comparison.metric
        func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        // A median with what it is of: runs (unless sessions' figures were tested), and sessions.
        func side(_ side: SessionComparison.Side, sessions: Int?) -> String {
            guard side.median.isFinite else { return "—" }
            let value = metric.text(side.median, unit: comparison.unit)
            let counts = (comparison.basis == .runs ? [counted(side.n, "run")] : []) + (sessions.map { [counted($0, "session")] } ?? [])
            return counts.isEmpty ? value : "\(value) (\(counts.joined(separator: ", ")))"
        }
        let change = comparison.test.map { test in
            "\(Figures.signedPercent(test.changePercent)) (\(Figures.signedPercent(test.intervalPercent.low)) to \(Figures.signedPercent(test.intervalPercent.high)))"
        }
        let verdict = comparison.verdict(policy)
        let verdictText: String
        switch verdict {
        case .differentEnvironment: verdictText = "not compared: " + comparison.environmentDifferences.prefix(2).joined(separator: "; ")
        case .untested where comparison.pinnedBaselineEmpty: verdictText = "not tested: the pinned baseline holds no session before it"
        case .untested where comparison.predatesHistory: verdictText = "not tested: dated before every earlier session"
        case .untested: verdictText = "too few to test"
        case .unchanged:
            // Significant but small: "unchanged" beside an interval that excludes zero read as a contradiction.
            if let test = comparison.test, test.qValue <= policy.falseDiscoveryRate, test.intervalPercent.low > 0 || test.intervalPercent.high < 0 {
                let smaller = abs(test.changePercent) < policy.minimumEffectPercent
                verdictText =
                    smaller
                    ? "unchanged: under the \(Figures.percent(policy.minimumEffectPercent)) minimum effect"
                    : "unchanged: within what these runs can tell from noise"
            } else {
                verdictText = verdict.rawValue
            }
        case .worse, .better: verdictText = verdict.rawValue
        }
        return [
            Regression.name(tool: comparison.tool, model: comparison.model),
            comparison.configuration.isEmpty ? "—" : comparison.configuration.rendered,
            comparison.source, metric.label, side(comparison.baseline, sessions: comparison.baselineSessions),
            side(comparison.current, sessions: nil),
            change ?? "—", verdictText,
        ]
    }

    private static func runGroups(_ facts: Facts, _ context: ReportContext, _ out: inout MarkdownText) {
        guard out.section("LLM Runs by Model", hasContent: !facts.runGroups.isEmpty, otherwise: "No LLM inference runs in the inputs.") else {
            return
        }
        out.line(
            "Decode throughput (tok/s) as the tools measured it (Ollama: eval_count / eval_duration). TTFT statistics cover warm runs; cold starts (a first run that loaded the model) are counted apart. Failed runs are excluded from every statistic."
        )
        out.blank()
        let charted = ReportFigures.chartedGroups(facts)
        if charted.eligible > charted.keys.count && !context.figures.isEmpty {
            out.line(
                "_Charts are drawn for \(charted.keys.count) of the \(charted.eligible) configurations: those with an open regression, then those with a new session, then the most recently measured._"
            )
            out.blank()
        }
        let byModel = Dictionary(grouping: facts.runGroups, by: \.model)
        for model in byModel.keys.sorted() {
            let all = byModel[model] ?? []
            let groups = all.filter { !$0.isSweep }
            let sweepGroups = all.filter(\.isSweep)
            out.heading(3, model)
            if let source = groups.first?.modelSource, source != "data" {
                out.line("_Model name from the \(MarkdownLiteral.inline(source)); the files themselves do not name it._")
                out.blank()
            }
            if !sweepGroups.isEmpty {
                let ok = sweepGroups.reduce(0) { $0 + $1.runsOK }
                let failed = sweepGroups.reduce(0) { $0 + $1.runsFailed }
                out.line(
                    "Parameter sweep: \(sweepGroups.count) configurations, \(ok) successful and \(failed) failed runs, ranked under Parameter Sweeps."
                )
                out.blank()
            }
            guard !groups.isEmpty else { continue }
            out.longTable(
                "LLM Runs by Model, \(model): every configuration",
                [
                    "Configuration", "OK", "Failed", "tok/s median", "tok/s p95", "tok/s mean ± sd", "tok/s min–max", "TTFT median (s)",
                    "TTFT p95 (s)", "Cold starts", "Sources",
                ],
                groups.map(groupRow))
            charts(.runGroups(model: model), context, &out)
        }
    }

    private static func moveRow(_ move: Changes.Move) -> [String] {
        [
            move.model, move.configuration.isEmpty ? "—" : move.configuration, move.isThroughput ? "tok/s" : "TTFT (s)",
            move.previousText, move.currentText, move.changeText, move.runsText, move.verdictText,
        ]
    }

    private static func groupRow(_ g: RunGroup) -> [String] {
        let t = g.tokensPerSecond
        let f = g.ttftSeconds
        var meanText = "—"
        if let mean = t.mean, mean.isFinite {
            meanText = Figures.tokensPerSecond(mean)
            if let sd = t.stddev, sd.isFinite { meanText += " ± " + Figures.tokensPerSecond(sd) }
        }
        var rangeText = "—"
        if let low = t.min, let high = t.max {
            rangeText = Figures.tokensPerSecond(low) + "–" + Figures.tokensPerSecond(high)
        }
        var cold = "0"
        if let c = g.coldStart { cold = "\(c.runs) (TTFT \(value(c.ttftSeconds.median, Figures.seconds)) s)" }
        var sources = shortList(g.sources)
        if g.duplicatesMerged > 0 { sources += " (\(g.duplicatesMerged) duplicate runs counted once)" }
        return [
            g.configuration.isEmpty ? "—" : g.configuration.rendered, String(g.runsOK), String(g.runsFailed),
            value(t.median, Figures.tokensPerSecond), value(t.p95, Figures.tokensPerSecond), meanText, rangeText,
            value(f.median, Figures.seconds), value(f.p95, Figures.seconds), cold, sources,
        ]
    }

    private static func sweeps(_ facts: Facts, _ context: ReportContext, _ out: inout MarkdownText) {
        guard out.section("Parameter Sweeps", hasContent: !facts.sweeps.isEmpty, otherwise: "No parameter sweeps in the inputs.") else { return }
        for (index, sweep) in facts.sweeps.enumerated() {
            out.heading(3, sweep.model)
            var line = "\(sweep.configurations) configurations of \(sweep.parameters.joined(separator: ", "))"
            line +=
                sweep.basis == "runs"
                ? ", \(sweep.runs) successful runs, \(sweep.failedRuns) failed" : ", from the tool's own summary (means; no per-run data)"
            out.line(MarkdownLiteral.inline(line + ". Sources: " + shortList(sweep.sources) + "."))
            out.blank()
            if let noise = sweep.noise {
                let source =
                    switch noise.source {
                    case .repeatedRuns: "pooled over the sweep's repeated runs"
                    case .baselineRuns: "from the model's runs outside the sweep"
                    case .residual: "what the parameters' main effects leave unexplained"
                    }
                let sd = Figures.percent(noise.sdPercent)
                out.line("- **Run-to-run noise:** sd \(sd) of a run's tok/s (\(source), \(noise.degreesOfFreedom) degrees of freedom)")
            } else if sweep.ranking.count > 1 {
                out.line("- **Run-to-run noise:** unknown (no repeated runs, no other runs of the model, too few configurations for a residual)")
            }
            if let best = sweep.bestThroughput {
                let basis = sweep.basis == "runs" ? "median of \(best.runs) run\(best.runs == 1 ? "" : "s")" : "mean from the tool's summary"
                var margin = sweep.bestMarginPercent.map { ", \(Figures.percent($0)) above the median configuration" } ?? ""
                if let interval = sweep.bestMarginInterval {
                    margin +=
                        "; 95% interval \(Figures.signedPercent(interval.lower)) to \(Figures.signedPercent(interval.upper)) allowing for picking the best: "
                        + (sweep.bestBeatsNoise ? "beyond the noise" : "within the noise, no configuration named")
                }
                out.line(
                    "- **\(sweep.bestBeatsNoise ? "Best throughput" : "Highest measured throughput"):** "
                        + MarkdownLiteral.inline(
                            "\(best.configuration.rendered): \(Figures.tokensPerSecond(best.tokensPerSecond)) tok/s (\(basis)\(margin))"))
            }
            if let needed = sweep.runsNeeded {
                out.line(
                    "- **Runs needed:** about \(needed.runs) per configuration to see a \(Figures.percent(needed.effectPercent)) difference")
            }
            if let best = sweep.bestTTFT, let ttft = best.ttftSeconds {
                out.line("- **Lowest warm TTFT:** " + MarkdownLiteral.inline("\(best.configuration.rendered): \(Figures.seconds(ttft)) s"))
            }
            out.blank()
            charts(.sweep(index: index), context, &out)
            let confounds = sweep.confounds.map { [$0.configuration.rendered, $0.reason] }
            if confounds.count > MarkdownText.bodyRowLimit {
                // One line: the findings say what the confounds share.
                let link = out.toAppendix("Parameter Sweeps, \(sweep.model): confounds", ["Configuration", "Why"], confounds)
                out.line(
                    "Confounds (a configuration's figure mixed with a load or warm-up): \(confounds.count) configurations, listed in \(link) of the Appendix."
                )
                out.blank()
            } else if !confounds.isEmpty {
                out.line("Confounds (a configuration's figure mixed with a load or warm-up):")
                out.blank()
                out.table(["Configuration", "Why"], confounds)
            }
            if sweep.ranking.count > 1 {
                out.line("Configurations by throughput:")
                out.blank()
                out.longTable(
                    "Parameter Sweeps, \(sweep.model): configurations by throughput", ["#", "Configuration", "Runs", "tok/s", "warm TTFT (s)"],
                    sweep.ranking.enumerated().map { index, result in
                        [
                            String(index + 1), result.configuration.rendered, sweep.basis == "runs" ? String(result.runs) : "—",
                            Figures.tokensPerSecond(result.tokensPerSecond), value(result.ttftSeconds, Figures.seconds),
                        ]
                    })
            }
            for effect in sweep.effects {
                var notes = ["throughput spread " + value(effect.throughputSpreadPercent, Figures.percent)]
                if let main = effect.mainEffectSpreadPercent { notes.append("main effect " + Figures.percent(main)) }
                if effect.sampling { notes.append("a sampling setting") }
                notes.append(sweep.noise == nil ? "noise unknown" : effect.beyondNoise ? "beyond the noise" : "within the noise")
                if effect.confounded { notes.append("coincides with the cold starts") }
                out.line("**\(MarkdownLiteral.inline(effect.parameter))** (\(notes.joined(separator: "; "))):")
                out.blank()
                out.table(
                    [effect.parameter, "Runs", "tok/s median", "warm TTFT median (s)"],
                    effect.levels.map {
                        [$0.value, String($0.runs), value($0.tokensPerSecond, Figures.tokensPerSecond), value($0.ttftSeconds, Figures.seconds)]
                    })
            }
        }
    }

    private static func compilation(_ facts: Facts, _ context: ReportContext, _ out: inout MarkdownText) {
        guard out.section("Compilation", hasContent: !facts.compilation.isEmpty, otherwise: "No compilation benchmarks in the inputs.") else {
            return
        }
        for (index, bench) in facts.compilation.enumerated() {
            let settings = bench.parameters.isEmpty ? "" : " (\(bench.parameters.rendered))"
            out.heading(3, "\(bench.model)\(settings)")
            out.line(
                "Source: \(MarkdownLiteral.inline(bench.source))"
                    + (bench.fastest.map { ". Fastest backend: **\(MarkdownLiteral.inline($0))**." } ?? "."))
            out.blank()
            out.longTable(
                "Compilation, \(bench.model)\(settings), \(bench.source): backends",
                ["Backend", "Status", "Compile (s)", "Mean (ms)", "Std (ms)", "Speedup vs eager"],
                bench.backends.map {
                    [
                        $0.backend, $0.succeeded ? "ok" : "failed: " + Figures.firstLine($0.error ?? "no error text", limit: 120),
                        value($0.compileSeconds, Figures.seconds), value($0.meanMilliseconds, Figures.milliseconds),
                        value($0.stddevMilliseconds, Figures.milliseconds), value($0.speedupVersusEager, Figures.ratio),
                    ]
                })
            charts(.compilation(index: index), context, &out)
        }
    }

    private static func otherBenchmarks(_ facts: Facts, _ context: ReportContext, _ out: inout MarkdownText) {
        out.heading(2, "Other Benchmarks")
        var any = false
        if !facts.llamaBench.isEmpty {
            any = true
            out.heading(3, "llama-bench")
            out.line("Prefill (pp) and decode (tg) are kept apart; every differing parameter is part of a row's key.")
            out.blank()
            // The build is a column only when the files hold several.
            let builds = Set(facts.llamaBench.map(\.build)).count > 1
            out.table(
                ["Model", "Test", "Phase", "Parameters"] + (builds ? ["Build"] : []) + ["t/s", "± sd", "Samples", "Source"],
                facts.llamaBench.map {
                    [$0.model, $0.test, $0.phase, $0.parameters.isEmpty ? "—" : $0.parameters.rendered] + (builds ? [$0.build ?? "—"] : []) + [
                        Figures.tokensPerSecond($0.tokensPerSecond), value($0.stddev, Figures.tokensPerSecond),
                        // llama-bench's CSV and Markdown do not list the samples.
                        $0.samples > 0 ? String($0.samples) : "—", $0.source,
                    ]
                })
            charts(.llamaBench, context, &out)
            llamaBenchBuilds(facts, &out)
        }
        if !facts.measurements.isEmpty {
            any = true
            out.heading(3, "Benchmarks with their own statistics")
            out.longTable(
                "Other Benchmarks, benchmarks with their own statistics",
                ["Tool", "Benchmark", "Unit", "Mean", "Median", "Stddev", "Min", "Max", "n", "Source"],
                facts.measurements.map(measurementRow))
        }
        if !facts.series.isEmpty {
            any = true
            out.heading(3, "Other numeric data")
            out.line("Numbers from files of no known benchmark shape, summarised per column or JSON path.")
            out.blank()
            out.longTable(
                "Other Benchmarks, other numeric data", ["Source", "Series", "n", "Mean", "Median", "Min", "Max"],
                facts.series.prefix(seriesRowLimit).map {
                    [
                        $0.source, $0.name, String($0.summary.n), value($0.summary.mean, Figures.general),
                        value($0.summary.median, Figures.general), value($0.summary.min, Figures.general),
                        value($0.summary.max, Figures.general),
                    ]
                })
            if facts.series.count > seriesRowLimit {
                out.line("_\(facts.series.count - seriesRowLimit) more series are listed in report.json._")
                out.blank()
            }
        }
        if !any {
            out.line("No other benchmarks in the inputs.")
            out.blank()
        }
    }

    private static func failures(_ facts: Facts, _ out: inout MarkdownText) {
        guard out.section("Failures", hasContent: !facts.failures.isEmpty, otherwise: "No failed runs.") else { return }
        out.longTable(
            "Failures", ["Error", "Runs", "Models", "Sources"],
            facts.failures.map { [$0.message, String($0.count), $0.models.joined(separator: ", "), shortList($0.sources)] })
    }

    private static func skipped(_ facts: Facts, _ out: inout MarkdownText) {
        guard out.section("Skipped Files", hasContent: !facts.inputs.skipped.isEmpty, otherwise: "None: every file was analysed.") else { return }
        out.longTable("Skipped Files", ["File", "Reason"], facts.inputs.skipped.map { [$0.path, $0.reason] })
    }

    private static func workflow(_ facts: Facts, _ context: ReportContext, _ out: inout MarkdownText) {
        out.heading(2, "Workflow Summary")
        let t = context.timings
        out.line("- Inputs: " + MarkdownLiteral.inline(facts.inputs.roots.joined(separator: ", ")))
        out.line("- Files analysed: \(facts.inputs.filesAnalyzed) of \(facts.inputs.filesSeen) seen (\(facts.inputs.skipped.count) skipped)")
        let shown = ReportContext.Timings.text
        let report = t.reportSeconds.map(shown) ?? ReportContext.Timings.pending
        let asShown = ReportContext.Timings.asShown
        var stages = "ingest \(shown(t.ingestSeconds)) | analysis \(shown(t.analysisSeconds))"
        var before = asShown(t.ingestSeconds) + asShown(t.analysisSeconds)
        if !context.narrative.calls.isEmpty {
            stages += " | narrative \(shown(t.narrativeSeconds))\(narrativeSplit(context.narrative))"
            before += asShown(t.narrativeSeconds)
        }
        out.line("- Execution time: \(stages) | report \(report) (\(shown(before)) before the report stage)")
        out.blank()
        if !facts.environment.isEmpty {
            out.line("Environment recorded in the files:")
            out.blank()
            for detail in facts.environment { out.line("- " + MarkdownLiteral.inline("\(detail.source): \(detail.items.joined(separator: ", "))")) }
            out.blank()
        }
        if !facts.notes.isEmpty {
            out.line("Notes from ingest:")
            out.blank()
            for detail in facts.notes { out.line("- " + MarkdownLiteral.inline("\(detail.source): \(detail.items.joined(separator: "; "))")) }
            out.blank()
        }
    }

    private static func bullets(
        _ title: String, _ items: [Finding], numbered: Bool, empty: String, _ out: inout MarkdownText
    ) {
        out.heading(2, title)
        guard !items.isEmpty else {
            out.line(empty)
            out.blank()
            return
        }
        // Ranked most important first (`FindingRules`): a report is read in a
        // minute, and report.json keeps every one.
        let shown = items.prefix(shownLimit)
        for (index, item) in shown.enumerated() { out.line((numbered ? "\(index + 1). " : "- ") + MarkdownLiteral.inline(item.text)) }
        if items.count > shown.count { out.line("\n_And \(items.count - shown.count) more in report.json._") }
        out.blank()
    }

    /// Most findings (and recommendations) the Markdown lists.
    static let shownLimit = 10

    /// A tool's measurement as its table row. Times in the unit that reads
    /// best at their size: pytest-benchmark's 6.17e-07 s is 617 ns.
    private static func measurementRow(_ row: MeasurementRow) -> [String] {
        let measurement = row.measurement
        let isTime = measurement.unit == "s"
        // The unit is its column's, but for times, which carry their own.
        let shown: (Double) -> String = { isTime ? Figures.measured($0, unit: "s") : Figures.general($0) }
        let unit = (isTime ? "time" : measurement.unit) + (measurement.higherIsBetter ? " (higher is better)" : "")
        let failed = measurement.failedRuns > 0 ? " (\(measurement.failedRuns) failed)" : ""
        let counted = (measurement.count.map { String($0) } ?? "—") + failed
        let name = measurement.name + (measurement.parameters.isEmpty ? "" : " (\(measurement.parameters.rendered))")
        let figures = [measurement.mean, measurement.median, measurement.stddev, measurement.min, measurement.max].map { value($0, shown) }
        return [measurement.tool, name, unit] + figures + [counted, row.source]
    }

    private static func value(_ number: Double?, _ format: (Double) -> String) -> String {
        number.map(format) ?? "—"
    }

    /// The first few items and a count of the rest: report.json has them all.
    static func shortList(_ items: [String], limit: Int = 3) -> String {
        guard items.count > limit else { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + " and \(items.count - limit) more"
    }

    /// A group's key as the report shows it: `model | settings`, or the
    /// model alone when the group has no settings (its key ends in " | ").
    static func groupLabel(_ key: String) -> String {
        key.hasSuffix(" | ") ? String(key.dropLast(3)) : key
    }

    private static func listing(_ paths: [String]) -> String {
        let shown = paths.prefix(20).map(MarkdownLiteral.codeSpan).joined(separator: ", ")
        return paths.count > 20 ? shown + " and \(paths.count - 20) more" : shown
    }
}
