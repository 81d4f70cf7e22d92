import Records

/// Rules that turn facts into findings and recommendations. Every figure a rule
/// writes is formatted by `Figures` from a fact, and listed in `figures`, so a
/// reader (or a check) can trace each number back.
enum FindingRules {
    static func derive(_ facts: Facts) -> (findings: [Finding], recommendations: [Finding]) {
        var findings: [Finding] = []
        var recommendations: [Finding] = []
        regressions(facts, &findings, &recommendations)
        newConfigurations(facts, &findings)
        throughput(facts, &findings)
        findings += facts.leaderboard.quantisationFindings()
        findings += backendComparisons(facts.leaderboard)
        failures(facts, &findings, &recommendations)
        coldStarts(facts, &findings, &recommendations)
        sweeps(facts, &findings, &recommendations)
        compilation(facts, &findings, &recommendations)
        llamaBench(facts, &findings)
        llamaBenchBuilds(facts, &findings)
        measurements(facts, &findings)
        fewRuns(facts, &recommendations)
        return (ranked(findings, by: findingRank), ranked(recommendations, by: recommendationRank))
    }

    /// What a reader acts on first: what got worse and stays so, what did not
    /// run, the comparisons people ask for; per-group figures last (the
    /// tables hold them). Unlisted kinds keep their place among themselves.
    static let findingRank = [
        "regression", "failing-now", "regression-resolved", "change-point", "llama-bench-slower", "harness-failure", "all-failed", "quantisation",
        "backend-comparison", "fastest-model", "some-failed", "session-limits", "new-configuration", "sweep-best", "sweep-effect", "compile-fastest",
        "compile-failed",
        "llama-bench",
        "improvement", "unconfirmed-change", "cold-start",
    ]
    static let recommendationRank = ["investigate-regression", "fix-harness", "fix-failures"]

    /// A stable sort by each kind's place in `rank` (unranked kinds after).
    static func ranked(_ items: [Finding], by rank: [String]) -> [Finding] {
        let position = Dictionary(uniqueKeysWithValues: rank.enumerated().map { ($1, $0) })
        return items.enumerated().sorted { a, b in
            let (x, y) = (position[a.element.id] ?? rank.count, position[b.element.id] ?? rank.count)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    /// What the new sessions' tests could and could not see: a session found
    /// unchanged says how large a change its runs would have shown; one with
    /// too few runs, or only sessions from elsewhere before it, says so.
    private static func sessionLimits(_ facts: Facts, _ findings: inout [Finding]) {
        var said = 0
        for comparison in facts.sessionComparisons where comparison.metric == .tokensPerSecond && said < 3 {
            let label = comparison.configuration.isEmpty ? comparison.model : "\(comparison.model) (\(comparison.configuration.rendered))"
            let runs = String(comparison.current.n)
            switch comparison.verdict(facts.regressionPolicy) {
            case .unchanged:
                guard let detectable = comparison.test?.detectablePercent, detectable.isFinite,
                    detectable > facts.regressionPolicy.minimumEffectPercent
                else { continue }
                let baseline = String(comparison.baseline.n)
                let limit = Figures.percent(detectable)
                // Night against night, the spread that hides a change is the nights', not the runs'.
                let (against, counts) =
                    comparison.basis == .sessions
                    ? ("its median against those of the \(baseline) sessions before it", [baseline])
                    : ("\(runs) runs against \(baseline)", [runs, baseline])
                findings.append(
                    Finding(
                        id: "session-limits",
                        text:
                            "The new session of \(label) in \(comparison.source) shows no change in tok/s that counts, but with \(against) a change under \(limit) could not be seen.",
                        figures: counts + [limit, comparison.source]))
            case .untested where comparison.pinnedBaselineEmpty:
                findings.append(
                    Finding(
                        id: "session-limits",
                        text:
                            "The new session of \(label) in \(comparison.source) was not tested: its pinned baseline holds none of the sessions before it (`chimerad baseline show`, `baseline clear`).",
                        figures: [comparison.source]))
            case .untested where comparison.predatesHistory:
                findings.append(
                    Finding(
                        id: "session-limits",
                        text:
                            "The new session of \(label) in \(comparison.source) was not tested: by its dates it was measured before every earlier session of its group, so none can be its baseline (a clock set back, or a copy that kept old dates?).",
                        figures: [comparison.source]))
            case .untested:
                // Untested, its medians still say what a reader asks: a 3-run night 30% slower was said nowhere.
                var measured = ""
                var measuredFigures: [String] = []
                let (now, before) = (comparison.current.median, comparison.baseline.median)
                if now.isFinite, before.isFinite, before > 0, comparison.baseline.n > 0 {
                    let (nowText, beforeText) = (comparison.metric.text(now), comparison.metric.text(before))
                    let change = Figures.signedPercent((now / before - 1) * 100)
                    measured = " (median \(nowText) against \(beforeText) before, \(change), untested)"
                    measuredFigures = [nowText, beforeText, change]
                }
                findings.append(
                    Finding(
                        id: "session-limits",
                        text:
                            "The new session of \(label) in \(comparison.source) has \(runs) run\(comparison.current.n == 1 ? "" : "s") with tok/s\(measured): too few to test against the sessions before it (at least \(MannWhitney.minimumRuns) a side, or \(SessionHistory.minimumNightRuns) against \(SessionComparison.minimumSessions) earlier sessions of as many).",
                        figures: [runs] + measuredFigures + [
                            String(MannWhitney.minimumRuns), String(SessionHistory.minimumNightRuns), String(SessionComparison.minimumSessions),
                            comparison.source,
                        ]))
            case .differentEnvironment:
                findings.append(
                    Finding(
                        id: "session-limits",
                        text:
                            "The new session of \(label) in \(comparison.source) was not compared: every session before it ran elsewhere (\(comparison.environmentDifferences.prefix(2).joined(separator: "; "))).",
                        figures: [comparison.source] + comparison.environmentDifferences.prefix(2)))
            case .worse, .better:
                continue
            }
            said += 1
        }
    }

    /// The largest lasting moves of groups' and other benchmarks' session
    /// histories (at least the minimum effect): a slide that no
    /// session-to-baseline test flags. A move the latest session has left
    /// (nearer the level before it than the one after: a slow spell that
    /// passed) is no lasting one, and is not said so; `change_points` lists it.
    private static func changePoints(_ facts: Facts, _ findings: inout [Finding]) {
        var candidates: [(change: Double, finding: Finding)] = []
        func add(_ point: GroupChangePoint, label: String, source: String, measuredAt: Double?, unit: String?, figures: String, latest: Double?) {
            guard let change = point.changePercent, abs(change) >= facts.regressionPolicy.minimumEffectPercent else { return }
            // Distances as ratios, so a halving and a doubling weigh alike.
            func distance(_ a: Double, _ b: Double) -> Double { max(a / b, b / a) }
            if let latest, latest > 0, point.before > 0, point.after > 0, distance(latest, point.after) > distance(latest, point.before) {
                return
            }
            let (was, now) = (point.metric.text(point.before, unit: unit), point.metric.text(point.after, unit: unit))
            let (changeText, p) = (Figures.signedPercent(change), Figures.pValue(point.pValue))
            let moved = point.metric.direction.isWorse(change) ? "worsened" : "improved"
            // When: a file a harness appends every night to names no night.
            let measured = Regression.measured(measuredAt)
            let session = measured.map { "\(source) (measured \($0))" } ?? source
            let finding = Finding(
                id: "change-point",
                text:
                    "\(label) \(point.metric.label) \(moved) lastingly from the session of \(session) on: median of session \(figures) \(was) before, \(now) from then on (\(changeText); change point, p \(p.hasPrefix("<") ? p : "= " + p)).",
                figures: [was, now, changeText, p, source] + (measured.map { [$0] } ?? []))
            candidates.append((abs(change), finding))
        }
        for group in facts.runGroups {
            let label = group.configuration.isEmpty ? group.model : "\(group.model) (\(group.configuration.rendered))"
            for point in group.changePoints where point.session < group.sessions.count {
                let figures = group.sessions.lazy.map { point.metric == .ttftSeconds ? $0.ttftSeconds : $0.tokensPerSecond }
                let session = group.sessions[point.session]
                add(
                    point, label: label, source: session.source, measuredAt: session.startedAt ?? session.measuredAt, unit: nil,
                    figures: "medians", latest: figures.last { $0.median != nil }?.median)
            }
        }
        for benchmark in facts.benchmarkChangePoints {
            add(
                benchmark.point, label: benchmark.label, source: benchmark.source, measuredAt: benchmark.startedAt ?? benchmark.measuredAt,
                unit: benchmark.unit, figures: "figures", latest: benchmark.latest)
        }
        findings += candidates.sorted { $0.change > $1.change }.prefix(5).map(\.finding)
    }

    /// Smallest worse move, in percent, that the test does not confirm but a
    /// finding still mentions.
    static let unconfirmedFloorPercent = 1.0

    /// Open regressions lead (each new session tested against the sessions
    /// before it, see `SessionComparison`); those this report resolved follow;
    /// worse moves of the pooled figures that no test confirms are said apart,
    /// so a reader sees them without being alarmed; significant improvements
    /// are worth a line too.
    private static func regressions(_ facts: Facts, _ findings: inout [Finding], _ recommendations: inout [Finding]) {
        let moves = facts.changes.moves
        for regression in facts.regressions.openLargestFirst.prefix(5) {
            let open = regression.openText
            findings.append(Finding(id: "regression", text: "Regression " + open.text, figures: open.figures))
            let change = regression.changeText
            recommendations.append(
                Finding(
                    id: "investigate-regression",
                    text:
                        "Investigate \(regression.label): \(change.text); compare the environment and configuration of \(regression.currentSources.joined(separator: ", ")) with the sessions before it, then land a session that recovers or acknowledge it (chimerad regressions ack \(regression.id) --note \"why\").",
                    figures: change.figures + [String(regression.id)]))
        }
        changePoints(facts, &findings)
        sessionLimits(facts, &findings)
        for regression in facts.regressions.resolvedNow.prefix(5) {
            let resolved = regression.resolvedText
            findings.append(Finding(id: "regression-resolved", text: "Resolved regression " + resolved.text, figures: resolved.figures))
        }
        // A move its session's test answers is that test's (`Facts.isAnswered`).
        let isAnswered = facts.isAnswered
        let unanswered = moves.filter { !isAnswered($0) }
        // A wiggle the test does not confirm is left to the What Changed table.
        for move in unanswered.filter({ $0.worse && !$0.isRegression && abs($0.changePercent) >= unconfirmedFloorPercent }).prefix(3) {
            let (was, now, change) = (move.previousText, move.currentText, move.changeText)
            let why =
                switch move.verdict {
                case .notSignificant: "the change is \(move.verdictText), within the runs' variation"
                case .tooFewRuns: "there are \(move.verdictText) to tell it from noise"
                case .notTested, .significant: "it is \(move.verdictText)"
                }
            findings.append(
                Finding(
                    id: "unconfirmed-change",
                    text:
                        "\(move.label) \(move.metricLabel) \(move.verb) from \(was) to \(now) (\(change)) since the previous report, but \(why): not a confirmed regression.",
                    figures: [was, now, change] + move.verdictFigures))
        }
        sessionImprovements(facts, &findings)
        for move in unanswered.filter({ !$0.worse && $0.verdict == .significant }).prefix(3) {
            let (was, now, change) = (move.previousText, move.currentText, move.changeText)
            findings.append(
                Finding(
                    id: "improvement",
                    text:
                        "Improvement: \(move.label) \(move.metricLabel) \(move.verb) from \(was) to \(now) (\(change)) since the previous report; \(move.verdictText).",
                    figures: [was, now, change] + move.verdictFigures))
        }
    }

    /// New sessions better than the sessions before them by what counts (the
    /// same test a regression opens by, the other way): a night 21% faster
    /// was said only in the New sessions table.
    private static func sessionImprovements(_ facts: Facts, _ findings: inout [Finding]) {
        let better = facts.sessionComparisons.filter { $0.verdict(facts.regressionPolicy) == .better }
        for comparison in better.sorted(by: { abs($0.test?.changePercent ?? 0) > abs($1.test?.changePercent ?? 0) }).prefix(3) {
            guard let test = comparison.test else { continue }
            let name = Regression.name(tool: comparison.tool, model: comparison.model)
            let label = comparison.configuration.isEmpty ? name : "\(name) (\(comparison.configuration.rendered))"
            let was = comparison.metric.text(comparison.baseline.median, unit: comparison.unit)
            let now = comparison.metric.text(comparison.current.median, unit: comparison.unit)
            let change = Figures.signedPercent(test.changePercent)
            let (low, high) = (Figures.signedPercent(test.intervalPercent.low), Figures.signedPercent(test.intervalPercent.high))
            let q = Figures.pValue(test.qValue)
            let qText = q.hasPrefix("<") ? "q " + q : "q = " + q
            // As a regression's line states it (`Regression.changeText`).
            let sameFigure = comparison.basis.isOneFigure(test.intervalPercent)
            let stated = comparison.basis.changeText(change, low: low, high: high, interval: test.intervalPercent, was: was)
            // Night against night, the change names the sessions before it already.
            let against = comparison.basis == .sessions ? "" : " against the sessions before it"
            findings.append(
                Finding(
                    id: "improvement",
                    text:
                        "Improvement: the new session of \(label) in \(comparison.source): \(comparison.metric.label) \(was) → \(now) (\(stated), \(qText))\(against).",
                    figures: sameFigure ? [was, now, change, was, q] : [was, now, change, "95%", low, high, q]))
        }
    }

    private static func representative(_ groups: [RunGroup]) -> RunGroup? {
        let measured = groups.filter { $0.runsOK > 0 && $0.tokensPerSecond.median != nil }
        return measured.max { a, b in
            let left: (Int, Double) = (a.runsOK, a.tokensPerSecond.median ?? 0)
            let right: (Int, Double) = (b.runsOK, b.tokensPerSecond.median ?? 0)
            return left < right
        }
    }

    private static func throughput(_ facts: Facts, _ findings: inout [Finding]) {
        // A model's headline figure comes from its repeated runs, not from single sweep points.
        let repeated = facts.runGroups.filter { !$0.isSweep }
        let byModel = Dictionary(grouping: repeated.isEmpty ? facts.runGroups : repeated, by: \.model)
        var leaders: [(model: String, median: Double)] = []
        // Fastest first: the summary takes the first, which named the
        // alphabetically first model as if it were the one to know about.
        let measured = byModel.keys.compactMap { model -> (model: String, group: RunGroup, median: Double)? in
            guard let group = representative(byModel[model] ?? []), let median = group.tokensPerSecond.median else { return nil }
            return (model, group, median)
        }
        for (model, group, median) in measured.sorted(by: { ($1.median, $0.model) < ($0.median, $1.model) }) {
            let tps = Figures.tokensPerSecond(median)
            var figures = [tps, String(group.tokensPerSecond.n)]
            var text = "\(model) decodes at a median \(tps) tok/s over \(group.tokensPerSecond.n) run\(group.tokensPerSecond.n == 1 ? "" : "s")"
            if !group.configuration.isEmpty { text += " (\(group.configuration.rendered))" }
            if let p95 = group.tokensPerSecond.p95, group.tokensPerSecond.n > 1 {
                let value = Figures.tokensPerSecond(p95)
                text += ", p95 \(value)"
                figures.append(value)
            }
            if let ttft = group.ttftSeconds.median {
                let value = Figures.seconds(ttft)
                text += "; warm TTFT median \(value) s"
                figures.append(value)
            }
            findings.append(Finding(id: "throughput", text: text + ".", figures: figures))
            leaders.append((model, median))
        }
        if let fastest = fastestModel(leaders) { findings.append(fastest) }
    }

    /// A run group whose newest session failed in every run, where earlier
    /// sessions ran (a larger context that no longer fits the GPU, a model
    /// that no longer loads): tonight's news, said on the first screen. Over
    /// the whole history its runs were a few percent failed, said far down.
    /// A session in which nothing of any model ran is the harness's, said once above.
    private static func failingNow(_ facts: Facts, harnessSources: Set<String>, _ findings: inout [Finding]) {
        var said = 0
        for group in facts.runGroups where said < 3 {
            guard let latest = group.sessions.max(by: { ($0.measuredAt, $0.source) < ($1.measuredAt, $1.source) }),
                latest.runsOK == 0, latest.runsFailed > 0, !harnessSources.contains(latest.source),
                group.sessions.contains(where: { $0.runsOK > 0 && $0.measuredAt < latest.measuredAt })
            else { continue }
            let label = group.configuration.isEmpty ? group.model : "\(group.model) (\(group.configuration.rendered))"
            let cause = latest.failureMessages.first.map { ": \"\(short($0))\"" } ?? ""
            let runs = String(latest.runsFailed)
            findings.append(
                Finding(
                    id: "failing-now",
                    text:
                        "Every run of \(label) failed in its latest session, \(latest.source) (\(runs) of \(runs))\(cause), where its earlier sessions ran: that session has no figures.",
                    figures: [runs]))
            said += 1
        }
    }

    /// Harness failures first (sessions in which nothing ran, once per
    /// cause), then each model's own failure rate over the sessions that did
    /// run, then what to fix.
    private static func failures(_ facts: Facts, _ findings: inout [Finding], _ recommendations: inout [Finding]) {
        let harness = facts.harnessFailures
        if !harness.isEmpty {
            let sessions = harness.reduce(0) { $0 + $1.sessions }
            let runs = harness.reduce(0) { $0 + $1.runs }
            let causes = harness.map { "\($0.cause.label) (\($0.sessions) session\($0.sessions == 1 ? "" : "s"))" }
            findings.append(
                Finding(
                    id: "harness-failure",
                    text:
                        "\(sessions) session\(sessions == 1 ? "" : "s") recorded no successful run (\(runs) runs): \(causes.joined(separator: "; ")). These look like harness failures, not model failures, and are kept out of the models' failure rates.",
                    figures: [String(sessions), String(runs)] + harness.map { String($0.sessions) }))
            for failure in harness {
                let environment = Array(Array(Set(failure.environment.flatMap(\.items))).sorted().prefix(3))
                let recorded = environment.isEmpty ? "" : " The files recorded \(environment.joined(separator: ", "))."
                recommendations.append(
                    Finding(
                        id: "fix-harness",
                        text:
                            "Fix the harness and re-run: in \(failure.sessions) session\(failure.sessions == 1 ? "" : "s") (\(failure.sources.prefix(3).joined(separator: ", "))\(failure.sources.count > 3 ? ", ..." : "")) every run failed (\(failure.cause.label)): \"\(short(failure.messages.first ?? failure.cause.label))\".\(recorded)",
                        figures: [String(failure.sessions)] + failure.sources.prefix(3) + failure.messages.prefix(1) + environment))
            }
        }
        let harnessSources = Set(harness.flatMap(\.sources))
        failingNow(facts, harnessSources: harnessSources, &findings)
        let byModel = Dictionary(grouping: facts.runGroups, by: \.model)
        // Messages that only dead sessions gave are the harness's, said above.
        // (Tested once per message, stopping at its first other source: a
        // message can name thousands of files.)
        let modelFailures = facts.failures.filter { $0.sources.contains { !harnessSources.contains($0) } }
        for model in byModel.keys.sorted() {
            let groups = byModel[model] ?? []
            let ok = groups.reduce(0) { $0 + $1.runsOK }
            let failed = groups.reduce(0) { $0 + $1.runsFailed - $1.runsFailedHarness }
            guard failed > 0 else { continue }
            let messages = modelFailures.filter { $0.models.contains(model) }.map(\.message)
            let cause = messages.first.map { " The error was: \"\(FindingRules.short($0))\"." } ?? ""
            if ok == 0 {
                findings.append(
                    Finding(
                        id: "all-failed",
                        text: "All \(failed) run\(failed == 1 ? "" : "s") of \(model) failed, so it has no performance figures.\(cause)",
                        figures: [String(failed)]))
            } else {
                let share = Figures.percent(Double(failed) / Double(ok + failed) * 100)
                findings.append(
                    Finding(
                        id: "some-failed",
                        text: "\(failed) of \(ok + failed) runs of \(model) failed (\(share)); they are excluded from its statistics.\(cause)",
                        figures: [String(failed), String(ok + failed), share]))
            }
        }
        for failure in modelFailures.prefix(3) {
            let files = failure.sources.count
            recommendations.append(
                Finding(
                    id: "fix-failures",
                    text:
                        "Fix the cause of \"\(short(failure.message))\" and re-run: it failed \(failure.count) run\(failure.count == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s") (\(failure.models.joined(separator: ", "))).",
                    figures: [String(failure.count), String(files)]))
        }
    }

    /// Cold TTFT over warm TTFT from which a cold start is worth a finding.
    static let coldFindingRatio = 1.5
    /// Runs per configuration to ask for when nothing measures a sweep's noise.
    static let enoughRuns = 5

    private static func coldStarts(_ facts: Facts, _ findings: inout [Finding], _ recommendations: inout [Finding]) {
        var worst: (ratio: Double, text: String, figures: [String])? = nil
        for group in facts.runGroups {
            guard let cold = group.coldStart, let load = cold.loadSeconds.median, let coldTTFT = cold.ttftSeconds.median,
                let warm = group.ttftSeconds.median, warm > 0
            else { continue }
            let l = Figures.seconds(load)
            let c = Figures.seconds(coldTTFT)
            let w = Figures.seconds(warm)
            let label = group.configuration.isEmpty ? group.model : "\(group.model) (\(group.configuration.rendered))"
            let ratio = coldTTFT / warm
            // A load that did not reach the first token (the tool timed it apart)
            // is in the tables, but is no finding.
            guard ratio >= coldFindingRatio else { continue }
            findings.append(
                Finding(
                    id: "cold-start",
                    text:
                        "\(cold.runs == 1 ? "The first run" : "\(cold.runs) first runs") of \(label) loaded the model (load \(cold.runs == 1 ? "" : "median ")\(l) s); TTFT \(cold.runs == 1 ? "" : "median ")\(c) s against a warm median of \(w) s. Cold runs are kept out of the TTFT statistics.",
                    figures: (cold.runs == 1 ? [] : [String(cold.runs)]) + [l, c, w]))
            if worst == nil || ratio > worst?.ratio ?? 0 {
                let r = Figures.ratio(ratio)
                worst = (
                    ratio,
                    "Warm the model before measuring (Ollama keep_alive, or one discarded request): a cold first run of \(group.model) took \(c) s to the first token, \(r) the warm median of \(w) s.",
                    [c, r, w]
                )
            }
        }
        if let worst { recommendations.append(Finding(id: "warm-up", text: worst.text, figures: worst.figures)) }
    }

    /// Each sweep's best, judged against run-to-run noise (`SweepNoise`),
    /// its parameters' effects, its confounds, and what to do about them.
    private static func sweeps(_ facts: Facts, _ findings: inout [Finding], _ recommendations: inout [Finding]) {
        for sweep in facts.sweeps {
            sweepFindings(sweep, &findings, &recommendations)
        }
    }

    private static func llamaBench(_ facts: Facts, _ findings: inout [Finding]) {
        let byModel = Dictionary(grouping: facts.llamaBench, by: \.model)
        for model in byModel.keys.sorted() {
            let rows = byModel[model] ?? []
            // Measured by several builds: the best figure says whose it is.
            let severalBuilds = Set(rows.compactMap(\.build)).count > 1
            var parts: [String] = []
            var figures: [String] = []
            for phase in ["prefill", "decode"] {
                guard let best = rows.filter({ $0.phase == phase }).max(by: { $0.tokensPerSecond < $1.tokensPerSecond }) else {
                    continue
                }
                let value = Figures.tokensPerSecond(best.tokensPerSecond)
                var setting = best.parameters.isEmpty ? [] : [best.parameters.rendered]
                if severalBuilds, let build = best.build { setting.append("build " + build) }
                let shown = setting.isEmpty ? "" : " (\(setting.joined(separator: ", ")))"
                parts.append("\(phase) up to \(value) t/s in \(best.test)\(shown)")
                figures.append(value)
            }
            guard !parts.isEmpty else { continue }
            findings.append(
                Finding(id: "llama-bench", text: "llama-bench, \(model): \(parts.joined(separator: "; ")).", figures: figures))
        }
    }

    private static func measurements(_ facts: Facts, _ findings: inout [Finding]) {
        // Only alternatives are compared: the commands of one hyperfine run, or the
        // benchmarks of one pytest-benchmark group. Unrelated benchmarks in one
        // file (a sort and a JSON dump) have no meaningful ratio.
        let comparable = facts.measurements.filter { $0.tool == "hyperfine" || $0.parameters[name: "group"] != nil }
        // A command that failed is no alternative, however fast.
        let usable = comparable.filter { ($0.mean ?? $0.median) != nil && !$0.higherIsBetter && $0.failedRuns == 0 }
        let bySource = Dictionary(grouping: usable) { $0.source + "\u{0}" + ($0.parameters[name: "group"] ?? "") }
        // The same alternatives measured night after night are said once, of
        // the last file (in path order: a dated folder's newest), with how
        // many other files measured them.
        var latest: [String: (key: String, others: Int)] = [:]
        var order: [String] = []
        for key in bySource.keys.sorted() where (bySource[key]?.count ?? 0) > 1 {
            let rows = bySource[key] ?? []
            let alternatives =
                ([rows.first?.tool ?? "", rows.first?.parameters[name: "group"] ?? ""]
                + rows.map { $0.name + "\u{1}" + $0.parameters.rendered }.sorted())
                .joined(separator: "\u{0}")
            if let known = latest[alternatives] {
                latest[alternatives] = (key, known.others + 1)
            } else {
                latest[alternatives] = (key, 0)
                order.append(alternatives)
            }
        }
        for alternatives in order {
            guard let (file, others) = latest[alternatives] else { continue }
            let rows = bySource[file] ?? []
            guard rows.count > 1,
                let fastest = rows.min(by: { ($0.mean ?? $0.median ?? 0) < ($1.mean ?? $1.median ?? 0) }),
                let slowest = rows.max(by: { ($0.mean ?? $0.median ?? 0) < ($1.mean ?? $1.median ?? 0) }),
                let a = fastest.mean ?? fastest.median, let b = slowest.mean ?? slowest.median, a > 0
            else { continue }
            let fa = Figures.measured(a, unit: fastest.unit)
            let fb = Figures.measured(b, unit: slowest.unit)
            let r = Figures.ratio(b / a)
            // Rows of one name (`hyperfine -L t 1,2 'sleep 0.001'`) are told apart by their settings.
            func label(_ row: MeasurementRow) -> String {
                let shared = rows.filter { $0.name == row.name }.count > 1
                return shared && !row.parameters.isEmpty ? "\(row.name) (\(row.parameters.rendered))" : row.name
            }
            let also = others == 0 ? "" : " (\(others) other file\(others == 1 ? "" : "s") measured the same)"
            findings.append(
                Finding(
                    id: "benchmark-spread",
                    text:
                        "\(fastest.tool)\(others == 0 ? "" : ", in " + fastest.source): fastest is \(label(fastest)) at \(fa) mean; slowest is \(label(slowest)) at \(fb) (\(r))\(also).",
                    figures: [fa, fb, r] + (others == 0 ? [] : [fastest.source, String(others)])))
        }
    }

    private static func fewRuns(_ facts: Facts, _ recommendations: inout [Finding]) {
        // Sweep configurations are judged with their sweep ("sweep-inconclusive").
        let thin = facts.runGroups.filter { $0.runsOK > 0 && $0.runsOK < 5 && !$0.isSweep }
        guard !thin.isEmpty else { return }
        let models = Set(thin.map(\.model)).sorted()
        recommendations.append(
            Finding(
                id: "more-runs",
                text:
                    "Repeat the runs of \(models.joined(separator: ", ")): \(thin.count) group\(thin.count == 1 ? " has" : "s have") fewer than 5 successful runs, too few to tell a real change from noise.",
                figures: [String(thin.count), "5"]))
    }

    /// The first line of a message, cut to a readable length.
    static func short(_ message: String) -> String {
        Figures.firstLine(message, limit: 160)
    }
}
