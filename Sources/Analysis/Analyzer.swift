import Records

/// Turns the records of every analysed file into `Facts`.
///
/// Files are added one at a time (the store streams them), and only what the
/// statistics need is kept: the metric columns of each run group, not the runs.
/// Files with a twin (same folder and stem, another format) are held back until
/// the end, so a run recorded in both counts once.
public struct Analyzer {
    public struct CatalogEntry: Sendable {
        public var path: String
        public var shape: Shape?
        public var modelHint: String?

        public init(path: String, shape: Shape?, modelHint: String?) {
            self.path = path
            self.shape = shape
            self.modelHint = modelHint
        }
    }

    private struct RunFingerprint: Hashable {
        var prompt: UInt64
        var tokensPerSecond: UInt64
        var ttft: UInt64
        var evalCount: UInt64
        var error: String?

        init(_ run: LLMRun) {
            prompt = run.promptKey
            tokensPerSecond = run.tokensPerSecond?.bitPattern ?? 0
            ttft = run.ttftSeconds?.bitPattern ?? 0
            evalCount = run.evalCount?.bitPattern ?? 0
            error = run.failureReason
        }
    }

    private struct GroupAccumulator {
        var model: String
        var modelSource: String
        var configuration: [Parameter]
        var sources: [String] = []
        var ok = 0
        var failed = 0
        var duplicates = 0
        var tokensPerSecond: [Double] = []
        var ttft: [Double] = []
        var coldTTFT: [Double] = []
        var coldLoad: [Double] = []
        var fromSweep = true

        mutating func addSource(_ path: String) {
            if sources.last != path && !sources.contains(path) { sources.append(path) }
        }
    }

    private struct FailureAccumulator {
        var count = 0
        var models: [String] = []
        var sources: [String] = []
    }

    private struct SweepConfig {
        var configuration: [Parameter]
        var tokensPerSecond: [Double] = []
        var ttft: [Double] = []
        var runs = 0
    }

    private struct SweepAccumulator {
        var sources: [String] = []
        var order: [String] = []
        var configs: [String: SweepConfig] = [:]
        var failed = 0
    }

    private let naming: ModelNaming
    private let twinKeys: Set<String>
    private var pendingTwins: [String: [(String, Extraction)]] = [:]
    private var groups: [String: GroupAccumulator] = [:]
    private var failures: [String: FailureAccumulator] = [:]
    private var sweeps: [String: SweepAccumulator] = [:]
    private var aggregateSweeps: [String: [(String, AggregateRow)]] = [:]
    private var compilation: [CompilationBench] = []
    private var llamaBench: [(String, LlamaBenchResult)] = []
    private var measurements: [MeasurementRow] = []
    private var series: [SeriesRow] = []
    private var environment: [SourceDetail] = []
    private var notes: [SourceDetail] = []

    /// - Parameter catalog: every analysed file (no records needed), so that runs
    ///   can be named from twins and siblings before those are read.
    public init(catalog: [CatalogEntry]) {
        naming = ModelNaming(catalog.map { ModelNaming.Entry(path: $0.path, modelHint: $0.modelHint) })
        var counts: [String: Int] = [:]
        for entry in catalog where entry.shape.map(ContentParserStem.isTwinCandidate) ?? false {
            counts[Analyzer.twinKey(entry.path), default: 0] += 1
        }
        twinKeys = Set(counts.filter { $0.value > 1 }.keys)
    }

    private static func twinKey(_ path: String) -> String {
        let (folder, stem) = ModelNaming.split(path)
        return folder + "/" + stem
    }

    public mutating func add(path: String, extraction: Extraction) {
        if !extraction.environment.isEmpty {
            environment.append(SourceDetail(source: path, items: extraction.environment.map { "\($0.name)=\($0.value)" }))
        }
        if !extraction.notes.isEmpty { notes.append(SourceDetail(source: path, items: extraction.notes)) }
        if !extraction.runSets.isEmpty {
            let key = Analyzer.twinKey(path)
            if twinKeys.contains(key) && ContentParserStem.isTwinCandidate(extraction.shape) {
                pendingTwins[key, default: []].append((path, extraction))
            } else {
                var unused: Set<RunFingerprint>? = nil
                addRuns(path: path, extraction: extraction, seen: &unused)
            }
        }
        if extraction.shape == .sweepSummary {
            for row in extraction.aggregates {
                let model = row.model ?? naming.resolve(path).model
                aggregateSweeps[model, default: []].append((path, row))
            }
        }
        if !extraction.compilation.isEmpty { addCompilation(path: path, extraction.compilation) }
        llamaBench += extraction.llamaBench.map { (path, $0) }
        for m in extraction.measurements {
            measurements.append(
                MeasurementRow(
                    tool: m.tool, name: m.name, parameters: m.parameters, unit: m.unit,
                    higherIsBetter: m.higherIsBetter, mean: m.mean, median: m.median, stddev: m.stddev, min: m.min,
                    max: m.max, count: m.count, source: path))
        }
        for s in extraction.series {
            series.append(SeriesRow(source: path, name: s.name, summary: Summary(s.values)))
        }
    }

    private mutating func addRuns(path: String, extraction: Extraction, seen: inout Set<RunFingerprint>?) {
        // A cold start is a set's first run whose load time dwarfs the file's typical load.
        var loads = extraction.runSets.flatMap { set in
            set.runs.compactMap { $0.failureReason == nil ? $0.loadSeconds : nil }
        }
        let typicalLoad = Summary.quantile(&loads, 0.5) ?? 0
        let isSweep = extraction.shape == .parameterSweep
        for set in extraction.runSets {
            let (model, modelSource) = set.model.map { ($0, "data") } ?? naming.resolve(path)
            let key = model + " | " + set.configuration.rendered
            var group = groups[key] ?? GroupAccumulator(model: model, modelSource: modelSource, configuration: set.configuration)
            group.addSource(path)
            if !isSweep { group.fromSweep = false }
            var sweep = isSweep ? (sweeps[model] ?? SweepAccumulator()) : nil
            let configKey = set.configuration.rendered
            if sweep != nil, !(sweep?.sources.contains(path) ?? true) { sweep?.sources.append(path) }
            for (index, run) in set.runs.enumerated() {
                if seen != nil, !(seen?.insert(RunFingerprint(run)).inserted ?? true) {
                    group.duplicates += 1
                    continue
                }
                if let reason = run.failureReason {
                    group.failed += 1
                    var failure = failures[reason] ?? FailureAccumulator()
                    failure.count += 1
                    if !failure.models.contains(model) { failure.models.append(model) }
                    if !failure.sources.contains(path) { failure.sources.append(path) }
                    failures[reason] = failure
                    sweep?.failed += 1
                    continue
                }
                group.ok += 1
                if let value = run.tokensPerSecond { group.tokensPerSecond.append(value) }
                let load = run.loadSeconds ?? 0
                let cold = index == 0 && load >= 0.5 && load >= 3 * typicalLoad
                if cold {
                    if let ttft = run.ttftSeconds { group.coldTTFT.append(ttft) }
                    group.coldLoad.append(load)
                } else if let ttft = run.ttftSeconds {
                    group.ttft.append(ttft)
                }
                if sweep != nil {
                    var config = sweep?.configs[configKey] ?? SweepConfig(configuration: set.configuration)
                    if sweep?.configs[configKey] == nil { sweep?.order.append(configKey) }
                    config.runs += 1
                    if let value = run.tokensPerSecond { config.tokensPerSecond.append(value) }
                    if !cold, let ttft = run.ttftSeconds { config.ttft.append(ttft) }
                    sweep?.configs[configKey] = config
                }
            }
            groups[key] = group
            if let sweep { sweeps[model] = sweep }
        }
    }

    private mutating func addCompilation(path: String, _ results: [CompilationResult]) {
        var byModel: [String: [CompilationResult]] = [:]
        var order: [String] = []
        for result in results {
            if byModel[result.model] == nil { order.append(result.model) }
            byModel[result.model, default: []].append(result)
        }
        for model in order {
            let results = byModel[model] ?? []
            let eager = results.first { $0.backend == "eager" && $0.succeeded }?.meanMilliseconds
            let backends = results.map { r in
                CompilationBench.Backend(
                    backend: r.backend, succeeded: r.succeeded, error: r.error, compileSeconds: r.compileSeconds,
                    meanMilliseconds: r.meanMilliseconds, stddevMilliseconds: r.stddevMilliseconds,
                    speedupVersusEager: eager.flatMap { e in
                        r.meanMilliseconds.flatMap { $0 > 0 && r.succeeded ? e / $0 : nil }
                    })
            }
            let fastest = backends.filter { $0.succeeded && $0.meanMilliseconds != nil }
                .min { ($0.meanMilliseconds ?? .infinity) < ($1.meanMilliseconds ?? .infinity) }?.backend
            compilation.append(
                CompilationBench(
                    model: model, parameters: results.first?.parameters ?? [], source: path, backends: backends,
                    fastest: fastest))
        }
    }

    /// Computes the facts. `previous` is the digest of the last report over the same roots.
    public mutating func finish(inputs: InputFacts, previous: Digest?, previousAt: String?) -> Facts {
        for key in pendingTwins.keys.sorted() {
            var seen: Set<RunFingerprint>? = []
            // JSON twins first: they carry the model name and the same runs.
            let members = (pendingTwins[key] ?? []).sorted { a, b in
                (a.1.shape == .baselineJSON ? 0 : 1, a.0) < (b.1.shape == .baselineJSON ? 0 : 1, b.0)
            }
            for (path, extraction) in members { addRuns(path: path, extraction: extraction, seen: &seen) }
        }
        pendingTwins = [:]
        let runGroups = groups.values.map { g -> RunGroup in
            var tps = g.tokensPerSecond
            var ttft = g.ttft
            var cold: ColdStart? = nil
            if !g.coldLoad.isEmpty {
                cold = ColdStart(runs: g.coldLoad.count, ttftSeconds: Summary(g.coldTTFT), loadSeconds: Summary(g.coldLoad))
            }
            return RunGroup(
                model: g.model, modelSource: g.modelSource, configuration: g.configuration, sources: g.sources,
                runsOK: g.ok, runsFailed: g.failed, duplicatesMerged: g.duplicates, tokensPerSecond: Summary(&tps),
                ttftSeconds: Summary(&ttft), coldStart: cold, isSweep: g.fromSweep)
        }.sorted { ($0.model, $0.configuration.rendered) < ($1.model, $1.configuration.rendered) }
        let failureGroups = failures.map {
            FailureGroup(message: $0.key, count: $0.value.count, models: $0.value.models, sources: $0.value.sources)
        }.sorted { ($1.count, $0.message) < ($0.count, $1.message) }
        var facts = Facts(
            inputs: inputs, runGroups: runGroups, failures: failureGroups, sweeps: finishSweeps(),
            compilation: compilation, llamaBench: finishLlamaBench(), measurements: measurements, series: series,
            environment: environment, notes: notes,
            changes: Changes.between(previous, at: previousAt, and: runGroups), findings: [], recommendations: [])
        (facts.findings, facts.recommendations) = FindingRules.derive(facts)
        return facts
    }

    private func finishSweeps() -> [Sweep] {
        var result: [Sweep] = []
        for (model, accumulator) in sweeps {
            let configs = accumulator.order.compactMap { accumulator.configs[$0] }
            var results: [Sweep.Result] = []
            for config in configs {
                var tps = config.tokensPerSecond
                var ttft = config.ttft
                guard let median = Summary.quantile(&tps, 0.5) else { continue }
                results.append(
                    Sweep.Result(
                        configuration: config.configuration, runs: config.runs, tokensPerSecond: median,
                        ttftSeconds: Summary.quantile(&ttft, 0.5)))
            }
            var effects: [Sweep.Effect] = []
            for parameter in Analyzer.sweptParameters(configs.map(\.configuration)) {
                var levels: [String: (runs: Int, tps: [Double], ttft: [Double])] = [:]
                for config in configs {
                    guard let value = config.configuration[name: parameter] else { continue }
                    var level = levels[value] ?? (0, [], [])
                    level.runs += config.runs
                    level.tps += config.tokensPerSecond
                    level.ttft += config.ttft
                    levels[value] = level
                }
                let ordered = levels.keys.sorted(by: Analyzer.naturalOrder)
                let effectLevels = ordered.map { value -> Sweep.Effect.Level in
                    var tps = levels[value]?.tps ?? []
                    var ttft = levels[value]?.ttft ?? []
                    return Sweep.Effect.Level(
                        value: value, runs: levels[value]?.runs ?? 0, tokensPerSecond: Summary.quantile(&tps, 0.5),
                        ttftSeconds: Summary.quantile(&ttft, 0.5))
                }
                let medians = effectLevels.compactMap(\.tokensPerSecond)
                let spread = medians.min().flatMap { low in
                    medians.max().map { high in low > 0 ? (high - low) / low * 100 : 0 }
                }
                effects.append(Sweep.Effect(parameter: parameter, levels: effectLevels, throughputSpreadPercent: spread))
            }
            var sources = accumulator.sources
            for (path, _) in aggregateSweeps[model] ?? [] where !sources.contains(path) { sources.append(path) }
            let ranking = results.sorted { $0.tokensPerSecond > $1.tokensPerSecond }
            result.append(
                Sweep(
                    model: model, sources: sources, basis: "runs",
                    parameters: Analyzer.sweptParameters(configs.map(\.configuration)), configurations: configs.count,
                    runs: configs.reduce(0) { $0 + $1.runs }, failedRuns: accumulator.failed,
                    bestThroughput: ranking.first,
                    bestTTFT: results.filter { $0.ttftSeconds != nil }.min {
                        ($0.ttftSeconds ?? .infinity) < ($1.ttftSeconds ?? .infinity)
                    }, effects: effects, ranking: ranking, bestMarginPercent: Analyzer.margin(ranking)))
        }
        // Sweeps known only from a tool's own summary (no per-run file beside it).
        for (model, rows) in aggregateSweeps where sweeps[model] == nil {
            let results = rows.compactMap { _, row -> Sweep.Result? in
                guard let tps = row.metrics.first(where: { $0.key.lowercased().contains("tokens_s") })?.value else {
                    return nil
                }
                let ttft = row.metrics.first { $0.key.lowercased().contains("ttft") }?.value
                return Sweep.Result(configuration: row.configuration, runs: 1, tokensPerSecond: tps, ttftSeconds: ttft)
            }
            var sources: [String] = []
            for (path, _) in rows where !sources.contains(path) { sources.append(path) }
            let ranking = results.sorted { $0.tokensPerSecond > $1.tokensPerSecond }
            result.append(
                Sweep(
                    model: model, sources: sources, basis: "tool summary",
                    parameters: Analyzer.sweptParameters(rows.map(\.1.configuration)), configurations: results.count,
                    runs: 0, failedRuns: 0, bestThroughput: ranking.first,
                    bestTTFT: results.filter { $0.ttftSeconds != nil }.min {
                        ($0.ttftSeconds ?? .infinity) < ($1.ttftSeconds ?? .infinity)
                    }, effects: [], ranking: ranking, bestMarginPercent: Analyzer.margin(ranking)))
        }
        return result.sorted { $0.model < $1.model }
    }

    static func margin(_ ranking: [Sweep.Result]) -> Double? {
        guard let best = ranking.first?.tokensPerSecond, ranking.count > 1 else { return nil }
        var values = ranking.map(\.tokensPerSecond)
        guard let median = Summary.quantile(&values, 0.5), median > 0 else { return nil }
        return (best - median) / median * 100
    }

    /// Parameters that take more than one value across the configurations.
    static func sweptParameters(_ configurations: [[Parameter]]) -> [String] {
        var values: [String: Set<String>] = [:]
        for configuration in configurations {
            for parameter in configuration { values[parameter.name, default: []].insert(parameter.value) }
        }
        return values.filter { $0.value.count > 1 }.keys.sorted()
    }

    /// Numbers by value, then text: `num_ctx` 1024 < 2048 < 4096.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x < y }
        return a < b
    }

    private func finishLlamaBench() -> [LlamaBenchRow] {
        let varying = Set(Analyzer.sweptParameters(llamaBench.map(\.1.parameters)))
        return llamaBench.map { source, result in
            LlamaBenchRow(
                model: result.model, test: result.test, phase: result.phase,
                parameters: result.parameters.filter { varying.contains($0.name) },
                tokensPerSecond: result.tokensPerSecond, stddev: result.stddevTokensPerSecond,
                samples: result.samples.count, source: source)
        }
    }
}
