import Records

/// The comparisons users ask for first: which model, at which quantisation
/// and on which backend decodes fastest, how widely its runs spread, how soon
/// it answers, and how a family's quantisations compare.
///
/// One row per model, quantisation and backend, pooling every run group of
/// that model that is not a sweep point (a sweep's single runs are ranked
/// under Parameter Sweeps): a model benchmarked under several configurations
/// (`num_ctx`, options) gets one row, which says how many it pooled. Rows are
/// made from `RunGroup`s alone, so a report that reuses cached groups ranks
/// the same way as one that read every run.
///
/// Where a row holds one measured group its figures are that group's own,
/// exact. Pooled over several, its median and quartiles come from the groups'
/// samples (`Sample.pooledQuantile`): exact while every group has at most
/// `Sample.capacity` runs, run-weighted estimates beyond.
package struct Leaderboard: Sendable, Equatable {
    package struct Row: Sendable, Equatable {
        package var model: String
        package var family: String
        package var quant: String?
        /// `ollama` for Ollama-shaped run files (the only ones that hold
        /// per-run records today), unless the configuration names a `backend`.
        package var backend: String
        /// Run groups pooled: configurations of the model that differ.
        package var configurations: Int
        package var runsOK: Int
        package var runsFailed: Int
        /// Of `runsFailed`, those of harness failures (`HarnessFailure`: files
        /// where nothing ran), kept out of the model's failure rate.
        package var runsFailedHarness = 0
        package var sessions: Int
        /// Sessions in which every run failed (`Session.isDead`).
        package var failedSessions: Int
        /// Of `failedSessions`, those of harness failures.
        package var failedSessionsHarness = 0
        /// Decode throughput over the successful runs: median and quartiles.
        package var tokensPerSecondMedian: Double?
        package var tokensPerSecondLowerQuartile: Double?
        package var tokensPerSecondUpperQuartile: Double?
        /// Prompt processing throughput: prompt tokens over prompt seconds,
        /// summed over the runs that record both (`prompt_eval_count`,
        /// `prompt_eval_s`). A ratio of totals, not a median: a per-run value
        /// would take the state folder over a fifth of its input's size.
        package var prefillTokensPerSecond: Double?
        /// Warm runs only, as in the run groups.
        package var ttftMedian: Double?
        package var ttftP95: Double?
    }

    /// A family's quantisations on one backend, fastest first.
    package struct QuantisationComparison: Sendable, Equatable {
        package struct Entry: Sendable, Equatable {
            package var quant: String
            package var model: String
            package var tokensPerSecondMedian: Double
            /// This quantisation's median over the fastest one's: 1 for the fastest.
            package var ratio: Double
        }

        package var family: String
        package var backend: String
        package var entries: [Entry]
    }

    /// Fastest decode first; rows without a successful run last.
    package var rows: [Row]
    /// Families with at least two quantisations measured, by family name.
    package var quantisation: [QuantisationComparison]

    package static let empty = Leaderboard(rows: [], quantisation: [])

    package init(rows: [Row], quantisation: [QuantisationComparison]) {
        self.rows = rows
        self.quantisation = quantisation
    }

    package init(runGroups: [RunGroup]) {
        var order: [RowKey] = []
        var pooled: [RowKey: [RunGroup]] = [:]
        for group in runGroups where !group.isSweep {
            let naming = ModelQuantisation(model: group.model, configuration: group.configuration)
            let key = RowKey(
                model: group.model, family: naming.family, quant: naming.quant, backend: Leaderboard.backend(group.configuration))
            if pooled[key] == nil { order.append(key) }
            pooled[key, default: []].append(group)
        }
        let rows = order.map { Leaderboard.row($0, pooled[$0] ?? []) }.sorted(by: Leaderboard.ranksAbove)
        self.init(rows: rows, quantisation: Leaderboard.comparisons(rows))
    }

    /// Backend of runs that do not say: every per-run record chimerad reads
    /// today comes from an Ollama-shaped run table (`Shape.ollamaRuns`,
    /// `.baselineCSV`, `.baselineJSON`, `.parameterSweep`).
    package static let defaultBackend = "ollama"

    /// One sentence per family with two or more quantisations: each one's
    /// median decode throughput and its ratio to the fastest, every number
    /// listed in `figures`.
    package func quantisationFindings() -> [Finding] {
        quantisation.map { comparison in
            var figures: [String] = []
            let parts = comparison.entries.enumerated().map { index, entry in
                let median = Figures.tokensPerSecond(entry.tokensPerSecondMedian)
                figures.append(median)
                guard index > 0 else { return "\(entry.quant) \(median) tok/s" }
                let ratio = Figures.ratio(entry.ratio)
                figures.append(ratio)
                return "\(entry.quant) \(median) (\(ratio))"
            }
            return Finding(
                id: "quantisation",
                text:
                    "\(comparison.family) on \(comparison.backend), median decode by quantisation: \(parts.joined(separator: ", ")), each against the fastest.",
                figures: figures)
        }
    }

    private struct RowKey: Hashable {
        var model: String
        var family: String
        var quant: String?
        var backend: String
    }

    private static func backend(_ configuration: [Parameter]) -> String {
        let named = configuration.first { $0.name.lowercased() == "backend" && !$0.value.isEmpty }
        return named?.value ?? defaultBackend
    }

    private static func row(_ key: RowKey, _ groups: [RunGroup]) -> Row {
        let measured = groups.filter { $0.tokensPerSecond.n > 0 }
        let timed = groups.filter { $0.ttftSeconds.n > 0 }
        // One measured group: its exact figures. Several: their pooled samples.
        let decoded = measured.count == 1 ? measured.first : nil
        let answered = timed.count == 1 ? timed.first : nil
        let throughput = measured.map(\.tokensPerSecondSample)
        let ttft = timed.map(\.ttftSample)
        let sessions = groups.flatMap(\.sessions)
        let prefillTokens = groups.reduce(0) { $0 + $1.prefillTokens }
        let prefillSeconds = groups.reduce(0) { $0 + $1.prefillSeconds }
        return Row(
            model: key.model, family: key.family, quant: key.quant, backend: key.backend, configurations: groups.count,
            runsOK: groups.reduce(0) { $0 + $1.runsOK }, runsFailed: groups.reduce(0) { $0 + $1.runsFailed },
            runsFailedHarness: groups.reduce(0) { $0 + $1.runsFailedHarness },
            sessions: sessions.count, failedSessions: sessions.filter(\.isDead).count,
            // As `HarnessFailure.mark` counted them over every group, also when
            // the report lists only some.
            failedSessionsHarness: groups.reduce(0) { $0 + $1.failedSessionsHarness },
            tokensPerSecondMedian: decoded?.tokensPerSecond.median ?? Sample.pooledQuantile(throughput, 0.5),
            tokensPerSecondLowerQuartile: decoded?.tokensPerSecondLowerQuartile ?? Sample.pooledQuantile(throughput, 0.25),
            tokensPerSecondUpperQuartile: decoded?.tokensPerSecondUpperQuartile ?? Sample.pooledQuantile(throughput, 0.75),
            prefillTokensPerSecond: rate(tokens: prefillTokens, seconds: prefillSeconds),
            ttftMedian: answered?.ttftSeconds.median ?? Sample.pooledQuantile(ttft, 0.5),
            ttftP95: answered?.ttftSeconds.p95 ?? Sample.pooledQuantile(ttft, 0.95))
    }

    /// Tokens over seconds, when both are positive and the ratio is finite
    /// (totals pooled over groups can still overflow).
    static func rate(tokens: Double, seconds: Double) -> Double? {
        guard tokens > 0, seconds > 0 else { return nil }
        let rate = tokens / seconds
        return rate.isFinite ? rate : nil
    }

    private static func ranksAbove(_ a: Row, _ b: Row) -> Bool {
        switch (a.tokensPerSecondMedian, b.tokensPerSecondMedian) {
        case (let x?, let y?) where x != y: return x > y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return (a.model, a.quant ?? "", a.backend) < (b.model, b.quant ?? "", b.backend)
        }
    }

    /// Per family and backend, each quantisation's best-measured row (most
    /// successful runs, where two models of a family share a quantisation),
    /// when there are at least two.
    private static func comparisons(_ rows: [Row]) -> [QuantisationComparison] {
        var byFamily: [String: [String: [Row]]] = [:]
        for row in rows where row.tokensPerSecondMedian != nil {
            guard let quant = row.quant else { continue }
            byFamily[row.family + "\u{1}" + row.backend, default: [:]][quant, default: []].append(row)
        }
        var comparisons: [QuantisationComparison] = []
        for quants in byFamily.values where quants.count > 1 {
            let chosen = quants.values.compactMap { candidates in candidates.max { $0.runsOK < $1.runsOK } }
                .sorted(by: ranksAbove)
            guard let fastest = chosen.first?.tokensPerSecondMedian, fastest > 0 else { continue }
            let entries = chosen.compactMap { row in
                row.quant.flatMap { quant in
                    row.tokensPerSecondMedian.map {
                        QuantisationComparison.Entry(quant: quant, model: row.model, tokensPerSecondMedian: $0, ratio: $0 / fastest)
                    }
                }
            }
            comparisons.append(QuantisationComparison(family: chosen[0].family, backend: chosen[0].backend, entries: entries))
        }
        return comparisons.sorted { ($0.family, $0.backend) < ($1.family, $1.backend) }
    }
}
