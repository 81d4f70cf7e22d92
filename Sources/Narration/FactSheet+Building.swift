import Analysis
import Records

extension FactSheet {
    /// The fact sheet of an analysis: per run group (model, configuration) its
    /// runs, throughput and TTFT; failures; what moved since the previous
    /// report; sweeps' best configurations; compilation, llama-bench and other
    /// benchmarks. Figures are formatted by `Figures`, as the report shows them.
    ///
    /// What changes with every report (the counts of inputs, what moved since
    /// the previous one) comes last: llama-server reuses the evaluated prompt
    /// up to its first difference, so the next report re-evaluates only the
    /// tail instead of the whole table. Trimming goes by priority, not
    /// position, so regressions still outrank everything else.
    package init(_ facts: Facts) {
        var builder = FactSheetBuilder()
        builder.failures(facts.failures)
        builder.harnessFailures(facts.harnessFailures)
        builder.groups(facts.runGroups)
        builder.modelFailures(facts.runGroups)
        builder.sweeps(facts.sweeps)
        builder.compilation(facts.compilation)
        builder.llamaBench(facts.llamaBench)
        builder.llamaBenchBuilds(facts.llamaBenchBuilds)
        builder.measurements(facts.measurements)
        builder.series(facts.series)
        // A move its session's test answers is offered only as a regression: "not confirmed" beside it contradicts the test.
        let isAnswered = facts.isAnswered
        builder.moves(facts.changes.moves.filter { $0.isRegression || !isAnswered($0) })
        builder.inputs(facts)
        self.init(
            rows: builder.rows, models: builder.models(facts), files: builder.files(facts),
            configurationValues: builder.configurationValues(facts), vocabulary: builder.vocabulary(facts))
    }
}

/// Collects the rows; IDs come from each subject's identity (`StableID`).
struct FactSheetBuilder {
    var rows: [FactSheet.Row] = []

    /// Longest error text shown: the first line says what failed.
    static let messageLimit = 60

    // MARK: - Rows

    mutating func inputs(_ facts: Facts) {
        let id = "I"
        let ok = facts.runGroups.reduce(0) { $0 + $1.runsOK }
        let failed = facts.runGroups.reduce(0) { $0 + $1.runsFailed }
        let models = Set(facts.runGroups.map(\.model)).count
        var row = FactSheet.Row(id: id, subject: "inputs", facts: [])
        row.facts.append(count(id, "files.analysed", facts.inputs.filesAnalyzed, unit: "files", priority: 1))
        row.facts.append(count(id, "files.skipped", facts.inputs.skipped.count, unit: "files", priority: 2))
        if ok + failed > 0 {
            row.facts.append(count(id, "models", models, unit: "", priority: 1))
            row.facts.append(count(id, "runs.ok", ok, unit: "runs", family: "runs.total", priority: 0))
            row.facts.append(count(id, "runs.failed", failed, unit: "runs", family: "runs.total", priority: 0))
        }
        rows.append(row)
    }

    mutating func moves(_ moves: [Changes.Move]) {
        let ids = StableID.assign(kind: "M", identities: moves.map(Self.identity))
        for (move, id) in zip(moves, ids) {
            let metric = move.isThroughput ? "tps.median" : "ttft.median"
            let unit = move.isThroughput ? "tok/s" : "s"
            // Regressions lead; worse moves the test does not confirm next; then the rest.
            let priority = move.isRegression ? 0 : (move.worse ? 1 : 2)
            var row = FactSheet.Row(id: id, subject: Self.label(move.model, move.configuration) + " " + metric + " change", facts: [])
            row.facts.append(
                Fact(id: id + ".was", key: "was", shown: move.previousText, value: move.previous, unit: unit, family: id, priority: priority))
            row.facts.append(
                Fact(id: id + ".now", key: "now", shown: move.currentText, value: move.current, unit: unit, family: id, priority: priority))
            row.facts.append(
                Fact(id: id + ".change", key: "change", shown: move.changeText, value: move.changePercent, unit: "%", priority: priority))
            let verdict = move.isRegression ? "regression" : (move.worse ? "worse, " + move.verdict.rawValue : "better, " + move.verdict.rawValue)
            row.facts.append(text(id, "verdict", verdict, priority: priority))
            if let test = move.test {
                row.facts.append(
                    Fact(id: id + ".p", key: "p", shown: Figures.pValue(test.pValue), value: test.pValue, unit: "", priority: priority + 1))
            }
            if let before = move.runsBefore {
                row.facts.append(count(id, "runs.before", before, unit: "runs", priority: priority + 1))
            }
            row.facts.append(count(id, "runs.after", move.runsAfter, unit: "runs", priority: priority + 1))
            rows.append(row)
        }
    }

    mutating func failures(_ failures: [FailureGroup]) {
        let ids = StableID.assign(kind: "F", identities: failures.map(\.message))
        for (failure, id) in zip(failures, ids) {
            var row = FactSheet.Row(id: id, subject: "failure", facts: [])
            row.facts.append(count(id, "runs", failure.count, unit: "runs", priority: 0))
            row.facts.append(text(id, "error", Figures.firstLine(failure.message, limit: Self.messageLimit), priority: 0))
            row.facts.append(text(id, "models", failure.models.joined(separator: ","), priority: 2))
            rows.append(row)
        }
    }

    /// Files in which nothing ran, by cause: the harness's failures, which
    /// the report keeps out of the models' failure rates.
    mutating func harnessFailures(_ failures: [HarnessFailure]) {
        guard !failures.isEmpty else { return }
        let ids = StableID.assign(kind: "H", identities: ["all"] + failures.map(\.cause.rawValue))
        var total = FactSheet.Row(id: ids[0], subject: "harness failures", facts: [])
        total.facts.append(count(ids[0], "sessions", failures.reduce(0) { $0 + $1.sessions }, unit: "sessions", priority: 0))
        total.facts.append(count(ids[0], "runs", failures.reduce(0) { $0 + $1.runs }, unit: "runs", priority: 0))
        rows.append(total)
        for (failure, id) in zip(failures, ids.dropFirst()) {
            var row = FactSheet.Row(id: id, subject: "harness failure", facts: [])
            row.facts.append(text(id, "cause", failure.cause.label, priority: 0))
            row.facts.append(count(id, "sessions", failure.sessions, unit: "sessions", priority: 0))
            row.facts.append(count(id, "runs", failure.runs, unit: "runs", priority: 0))
            row.facts.append(text(id, "models", failure.models.joined(separator: ","), priority: 2))
            rows.append(row)
        }
    }

    mutating func groups(_ groups: [RunGroup]) {
        // A sweep's configurations are summarised by its sweep row, not one row each.
        let shown = groups.filter { !$0.isSweep }
        let ids = StableID.assign(kind: "G", identities: shown.map(\.key))
        for (group, id) in zip(shown, ids) {
            let subject = group.configuration.isEmpty ? group.model : group.model + " " + Self.compact(group.configuration)
            var row = FactSheet.Row(id: id, subject: subject, facts: [])
            row.facts.append(count(id, "ok", group.runsOK, unit: "runs", priority: 0))
            row.facts.append(count(id, "failed", group.runsFailed, unit: "runs", priority: 0))
            if group.runsFailed > 0 && group.runsOK > 0 {
                let share = Double(group.runsFailed) / Double(group.runsOK + group.runsFailed) * 100
                row.facts.append(
                    Fact(id: id + ".failed.share", key: "failed.share", shown: Figures.percent(share), value: share, unit: "%", priority: 1))
            }
            let t = group.tokensPerSecond
            if let median = t.median {
                row.facts.append(tps(id, "tps.median", median, family: "tps.median", priority: 0))
            }
            if let p95 = t.p95, t.n > 1 {
                row.facts.append(tps(id, "tps.p95", p95, family: "tps.p95", priority: 1))
            }
            if let median = group.ttftSeconds.median {
                row.facts.append(seconds(id, "ttft.median", median, family: "ttft", priority: 1))
            }
            if let cold = group.coldStart {
                if let ttft = cold.ttftSeconds.median {
                    row.facts.append(seconds(id, "cold.ttft", ttft, family: "ttft", priority: 2))
                }
                if let load = cold.loadSeconds.median {
                    row.facts.append(seconds(id, "cold.load", load, family: "load", priority: 2))
                }
            }
            rows.append(row)
        }
    }

    /// Per model with failed runs, over all its groups (sweeps included): the
    /// totals the rule-based findings quote ("2 of 41 runs failed (4.9%)").
    mutating func modelFailures(_ groups: [RunGroup]) {
        let byModel = Dictionary(grouping: groups, by: \.model)
        let models = byModel.keys.sorted().filter { model in (byModel[model] ?? []).contains { $0.runsFailed > 0 } }
        let ids = StableID.assign(kind: "R", identities: models)
        for (model, id) in zip(models, ids) {
            let members = byModel[model] ?? []
            let ok = members.reduce(0) { $0 + $1.runsOK }
            let failed = members.reduce(0) { $0 + $1.runsFailed }
            var row = FactSheet.Row(id: id, subject: model + " all runs", facts: [])
            row.facts.append(count(id, "total", ok + failed, unit: "runs", priority: 1))
            row.facts.append(count(id, "failed", failed, unit: "runs", priority: 1))
            let share = Double(failed) / Double(ok + failed) * 100
            row.facts.append(Fact(id: id + ".failed.share", key: "failed.share", shown: Figures.percent(share), value: share, unit: "%", priority: 1))
            rows.append(row)
        }
    }

    mutating func sweeps(_ sweeps: [Sweep]) {
        let ids = StableID.assign(kind: "S", identities: sweeps.map(Self.identity))
        for (sweep, id) in zip(sweeps, ids) {
            var row = FactSheet.Row(id: id, subject: sweep.model + " sweep", facts: [])
            row.facts.append(count(id, "configs", sweep.configurations, unit: "", priority: 1))
            row.facts.append(count(id, "runs", sweep.runs, unit: "runs", priority: 2))
            if sweep.failedRuns > 0 { row.facts.append(count(id, "failed", sweep.failedRuns, unit: "runs", priority: 1)) }
            if let best = sweep.bestThroughput {
                row.facts.append(tps(id, "best.tps", best.tokensPerSecond, family: "tps.median", priority: 1))
                row.facts.append(text(id, "best.tps.config", Self.compact(best.configuration), priority: 1))
            }
            if let margin = sweep.bestMarginPercent {
                row.facts.append(
                    Fact(id: id + ".best.margin", key: "best.margin", shown: Figures.percent(margin), value: margin, unit: "%", priority: 2))
            }
            if let best = sweep.bestTTFT, let ttft = best.ttftSeconds {
                row.facts.append(seconds(id, "best.ttft", ttft, family: "ttft", priority: 2))
                row.facts.append(text(id, "best.ttft.config", Self.compact(best.configuration), priority: 2))
            }
            for effect in sweep.effects {
                guard let spread = effect.throughputSpreadPercent else { continue }
                row.facts.append(
                    Fact(
                        id: id + ".spread." + effect.parameter, key: effect.parameter + ".spread", shown: Figures.percent(spread), value: spread,
                        unit: "%", priority: 3))
            }
            sweepNoise(sweep, id: id, into: &row)
            rows.append(row)
        }
    }

    /// What the sweep findings quote about noise (`SweepNoise`): the noise,
    /// the best's interval and verdict, the runs a difference would need,
    /// which parameters move throughput beyond the noise, each one's main
    /// effect and levels, and the configurations measured only cold.
    private func sweepNoise(_ sweep: Sweep, id: String, into row: inout FactSheet.Row) {
        func percent(_ key: String, _ value: Double, signed: Bool = false, priority: Int) -> Fact {
            Fact(
                id: id + "." + key, key: key, shown: signed ? Figures.signedPercent(value) : Figures.percent(value), value: value, unit: "%",
                priority: priority)
        }
        if let noise = sweep.noise {
            row.facts.append(percent("noise.sd", noise.sdPercent, priority: 1))
            row.facts.append(text(id, "noise.source", noise.source.rawValue, priority: 2))
            row.facts.append(text(id, "best.beats_noise", sweep.bestBeatsNoise ? "yes" : "no", priority: 1))
            let beyond = sweep.effects.filter(\.beyondNoise).map(\.parameter)
            row.facts.append(text(id, "beyond_noise", beyond.isEmpty ? "none" : beyond.joined(separator: ","), priority: 1))
        }
        if let interval = sweep.bestMarginInterval {
            row.facts.append(percent("best.margin.low", interval.lower, signed: true, priority: 2))
            row.facts.append(percent("best.margin.high", interval.upper, signed: true, priority: 2))
        }
        if let needed = sweep.runsNeeded {
            row.facts.append(count(id, "runs_needed", needed.runs, unit: "runs", priority: 2))
            row.facts.append(percent("runs_needed.effect", needed.effectPercent, priority: 2))
        }
        let cold = sweep.confounds.filter(\.cold)
        if !cold.isEmpty {
            row.facts.append(count(id, "cold_only", cold.count, unit: "configs", priority: 2))
            var loads = cold.compactMap(\.loadSeconds)
            if let load = Summary.quantile(&loads, 0.5) { row.facts.append(seconds(id, "cold_only.load", load, family: "load", priority: 3)) }
        }
        for effect in sweep.effects {
            if let main = effect.mainEffectSpreadPercent { row.facts.append(percent(effect.parameter + ".main", main, priority: 3)) }
            for level in effect.levels {
                guard let value = level.tokensPerSecond else { continue }
                row.facts.append(tps(id, effect.parameter + "." + level.value + ".tps", value, family: id + ".levels", priority: 3))
            }
        }
    }

    mutating func compilation(_ benches: [CompilationBench]) {
        let ids = StableID.assign(kind: "C", identities: benches.map(Self.identity))
        for (bench, id) in zip(benches, ids) {
            let device = bench.parameters[name: "device"].map { " on " + $0 } ?? ""
            var row = FactSheet.Row(id: id, subject: bench.model + device + " compilation", facts: [])
            if let fastest = bench.fastest { row.facts.append(text(id, "fastest", fastest, priority: 1)) }
            for backend in bench.backends {
                let key = backend.backend
                // The fastest backend and eager (the baseline of every speedup) matter most.
                let priority = key == bench.fastest || key == "eager" ? 1 : 2
                guard backend.succeeded else {
                    row.facts.append(text(id, key + ".failed", Figures.firstLine(backend.error ?? "no error text", limit: 60), priority: 2))
                    continue
                }
                if let mean = backend.meanMilliseconds {
                    row.facts.append(
                        Fact(
                            id: id + "." + key + ".mean", key: key + ".mean", shown: Figures.milliseconds(mean), value: mean, unit: "ms",
                            family: id + ".mean", priority: priority))
                }
                if let speedup = backend.speedupVersusEager, key != "eager" {
                    row.facts.append(
                        Fact(
                            id: id + "." + key + ".speedup", key: key + ".speedup", shown: Figures.ratio(speedup), value: speedup, unit: "×",
                            priority: priority))
                }
                if let compile = backend.compileSeconds {
                    row.facts.append(seconds(id, key + ".compile", compile, family: id + ".compile", priority: 3))
                }
            }
            rows.append(row)
        }
    }

    mutating func llamaBench(_ results: [LlamaBenchRow]) {
        let ids = StableID.assign(kind: "L", identities: results.map(Self.identity))
        for (result, id) in zip(results, ids) {
            let settings = result.parameters.isEmpty ? "" : " [" + result.parameters.rendered + "]"
            var row = FactSheet.Row(id: id, subject: "llama-bench " + result.model + " " + result.test + settings, facts: [])
            row.facts.append(tps(id, result.phase + ".tps", result.tokensPerSecond, family: "llama-bench." + result.phase, priority: 2))
            rows.append(row)
        }
    }

    mutating func measurements(_ measurements: [MeasurementRow]) {
        let ids = StableID.assign(kind: "B", identities: measurements.map(Self.identity))
        for (measurement, id) in zip(measurements, ids) {
            let settings = measurement.parameters.isEmpty ? "" : " [" + measurement.parameters.rendered + "]"
            var row = FactSheet.Row(id: id, subject: measurement.tool + " " + measurement.name + settings, facts: [])
            let family = measurement.tool + "|" + measurement.source + "|" + measurement.unit
            for (key, value) in [("mean", measurement.mean), ("median", measurement.median)] {
                guard let value else { continue }
                row.facts.append(
                    Fact(
                        id: id + "." + key, key: key, shown: Figures.general(value), value: value, unit: measurement.unit, family: family + "|" + key,
                        priority: 2))
            }
            if let n = measurement.count { row.facts.append(count(id, "n", n, unit: "", priority: 3)) }
            rows.append(row)
        }
    }

    /// Numbers from files of no known shape: last, the first to go when trimmed.
    mutating func series(_ series: [SeriesRow]) {
        let ids = StableID.assign(kind: "D", identities: series.map { $0.source + "|" + $0.name })
        for (item, id) in zip(series, ids) {
            guard let median = item.summary.median else { continue }
            var row = FactSheet.Row(id: id, subject: item.name, facts: [])
            row.facts.append(Fact(id: id + ".median", key: "median", shown: Figures.general(median), value: median, unit: "", priority: 4))
            row.facts.append(count(id, "n", item.summary.n, unit: "", priority: 4))
            rows.append(row)
        }
    }

    // MARK: - What grounding needs besides the rows

    func models(_ facts: Facts) -> [String] {
        var names = Set(facts.runGroups.map(\.model))
        names.formUnion(facts.sweeps.map(\.model))
        names.formUnion(facts.compilation.map(\.model))
        names.formUnion(facts.llamaBench.map(\.model))
        names.formUnion(facts.changes.moves.map(\.model))
        return names.sorted()
    }

    func files(_ facts: Facts) -> [String] {
        var paths = Set<String>()
        for group in facts.runGroups { paths.formUnion(group.sources) }
        for failure in facts.failures { paths.formUnion(failure.sources) }
        for sweep in facts.sweeps { paths.formUnion(sweep.sources) }
        paths.formUnion(facts.compilation.map(\.source))
        paths.formUnion(facts.llamaBench.map(\.source))
        for comparison in facts.llamaBenchBuilds { paths.formUnion(comparison.baseline.sources + comparison.current.sources) }
        paths.formUnion(facts.measurements.map(\.source))
        paths.formUnion(facts.series.map(\.source))
        paths.formUnion(facts.inputs.skipped.map(\.path))
        return paths.sorted()
    }

    func configurationValues(_ facts: Facts) -> [String] {
        var parameters: [Parameter] = facts.runGroups.flatMap(\.configuration)
        for sweep in facts.sweeps {
            parameters += sweep.ranking.flatMap(\.configuration)
        }
        parameters += facts.compilation.flatMap(\.parameters)
        parameters += facts.llamaBench.flatMap(\.parameters)
        parameters += facts.measurements.flatMap(\.parameters)
        return Set(parameters.map(\.value)).sorted()
    }

    func vocabulary(_ facts: Facts) -> [String] {
        var words = Set<String>()
        for group in facts.runGroups { words.formUnion(group.configuration.map(\.name)) }
        for sweep in facts.sweeps { words.formUnion(sweep.parameters) }
        for bench in facts.compilation {
            words.formUnion(bench.backends.map(\.backend))
            words.formUnion(bench.parameters.map(\.name))
        }
        words.formUnion(facts.llamaBench.map(\.test))
        words.formUnion(facts.llamaBench.compactMap(\.build))
        words.formUnion(facts.measurements.map(\.tool))
        words.formUnion(facts.measurements.map(\.name))
        return words.sorted()
    }

    // MARK: - Helpers

    /// `[num_ctx=1024,num_gpu=60]`: a configuration in as few tokens as it takes.
    static func compact(_ configuration: [Parameter]) -> String {
        "[" + configuration.map { $0.name + "=" + $0.value }.joined(separator: ",") + "]"
    }

    static func label(_ model: String, _ configuration: String) -> String {
        configuration.isEmpty ? model : model + " [" + configuration + "]"
    }

    static func identity(_ move: Changes.Move) -> String {
        move.model + "|" + move.configuration + "|" + move.metric
    }

    static func identity(_ sweep: Sweep) -> String {
        sweep.model + "|" + sweep.parameters.joined(separator: ",")
    }

    static func identity(_ bench: CompilationBench) -> String {
        bench.model + "|" + bench.parameters.rendered + "|" + bench.source
    }

    static func identity(_ row: LlamaBenchRow) -> String {
        row.model + "|" + row.test + "|" + row.phase + "|" + row.parameters.rendered + "|" + row.source
    }

    static func identity(_ row: MeasurementRow) -> String {
        row.tool + "|" + row.name + "|" + row.parameters.rendered + "|" + row.source
    }

    private func count(_ id: String, _ key: String, _ value: Int, unit: String, family: String? = nil, priority: Int) -> Fact {
        Fact(id: id + "." + key, key: key, shown: String(value), value: Double(value), unit: unit, family: family, priority: priority)
    }

    private func text(_ id: String, _ key: String, _ value: String, priority: Int) -> Fact {
        Fact(id: id + "." + key, key: key, shown: value, value: nil, unit: "", priority: priority)
    }

    private func tps(_ id: String, _ key: String, _ value: Double, family: String, priority: Int) -> Fact {
        Fact(id: id + "." + key, key: key, shown: Figures.tokensPerSecond(value), value: value, unit: "tok/s", family: family, priority: priority)
    }

    private func seconds(_ id: String, _ key: String, _ value: Double, family: String, priority: Int) -> Fact {
        Fact(id: id + "." + key, key: key, shown: Figures.seconds(value), value: value, unit: "s", family: family, priority: priority)
    }
}
