import Foundation
import Records

/// Whether a sweep's best configuration, and each parameter's effect, stand
/// out from run-to-run noise.
///
/// A sweep always has a best: 36 configurations of one run each, at 2.5%
/// noise, put the best about 5% above the median configuration by chance
/// alone (the expected largest of 36 normal draws is 2 sd). So the best is
/// named only when the interval of its margin excludes zero, an interval
/// widened for having picked the best of k (Šidák over the k configurations)
/// and for a spread itself estimated from few runs (Student's t).
///
/// The noise is learnt, in this order, from the sweep's repeated runs, from
/// the model's runs outside the sweep, or from what the parameters' main
/// effects leave unexplained (`AdditiveFit`); a source needs
/// `preferredFreedom` degrees of freedom to be preferred to the next.
package enum SweepNoise {
    /// One configuration as the sweep measured it.
    struct Configuration {
        var parameters: [Parameter]
        /// Its successful runs' throughput (a tool summary's mean: one value).
        var tokensPerSecond: [Double]
        /// The figure the ranking shows (the median of `tokensPerSecond`).
        var median: Double
    }

    /// Settings that change what the model writes, not how it runs.
    package static let samplingParameters: Set<String> = [
        "temperature", "top_p", "top_k", "min_p", "typical_p", "repeat_penalty", "repeat_last_n", "presence_penalty",
        "frequency_penalty", "seed", "mirostat", "mirostat_eta", "mirostat_tau", "tfs_z",
    ]
    /// Five runs: fewer give a spread so uncertain that the next source is better.
    static let preferredFreedom = 4
    package static let confidence = 0.95
    static let power = 0.8
    /// The difference `Sweep.runsNeeded` is stated for: about what a
    /// configuration change is worth making for.
    package static let targetEffectPercent = 3.0

    package static func isSampling(_ parameter: String) -> Bool {
        samplingParameters.contains(parameter.lowercased())
    }

    /// Sets the sweep's noise, its best's verdict and interval, the runs a
    /// 3% difference would need, and each effect's verdict.
    /// `baseline` holds the model's groups outside sweeps.
    static func judge(_ sweep: inout Sweep, configurations: [Configuration], baseline: [RunGroup]) {
        for index in sweep.effects.indices {
            sweep.effects[index].sampling = isSampling(sweep.effects[index].parameter)
        }
        let usable = configurations.filter { $0.median > 0 && $0.median.isFinite && !$0.tokensPerSecond.isEmpty }
        guard !usable.isEmpty else { return }
        let parameters = sweep.parameters
        var levelIndex: [[String: Int]] = parameters.map { _ in [:] }
        var levels: [[Int]] = parameters.map { _ in [] }
        for configuration in usable {
            for (p, name) in parameters.enumerated() {
                let value = configuration.parameters[name: name] ?? ""
                let index = levelIndex[p][value] ?? levelIndex[p].count
                levelIndex[p][value] = index
                levels[p].append(index)
            }
        }
        let values = usable.map { log($0.median) }
        let weights = usable.map { weight(runs: $0.tokensPerSecond.count) }
        let fit = AdditiveFit(values: values, weights: weights, levels: levels, levelCounts: levelIndex.map(\.count))
        let robust = AdditiveFit(
            values: values, weights: weights, levels: levels, levelCounts: levelIndex.map(\.count), robust: true)
        for index in sweep.effects.indices {
            guard let p = parameters.firstIndex(of: sweep.effects[index].parameter) else { continue }
            let effects = levelIndex[p].filter { !$0.key.isEmpty }.map { robust.effects[p][$0.value] }
            if let low = effects.min(), let high = effects.max(), effects.count > 1 {
                sweep.effects[index].mainEffectSpreadPercent = (exp(high - low) - 1) * 100
            }
        }
        let candidates: [(Sweep.Noise.Source, (variance: Double, freedom: Int)?)] = [
            (.repeatedRuns, repeatedRuns(usable)),
            (.baselineRuns, baselineRuns(baseline.filter { $0.model == sweep.model && !$0.isSweep })),
            (.residual, fit.residualVariance(weights: weights).map { ($0, fit.freedom) }),
        ]
        let measured = candidates.compactMap { source, estimate in
            estimate.flatMap { $0.variance > 0 && $0.freedom > 0 ? (source, $0.variance, $0.freedom) : nil }
        }
        guard
            let (source, variance, freedom) = measured.first(where: { $0.2 >= preferredFreedom })
                ?? measured.max(by: { $0.2 < $1.2 })
        else { return }
        let sd = variance.squareRoot()
        sweep.noise = Sweep.Noise(sdPercent: sd * 100, source: source, degreesOfFreedom: freedom)
        judgeBest(&sweep, usable: usable, sd: sd, freedom: freedom)
        judgeEffects(&sweep, fit: robust, levelIndex: levelIndex, sd: sd, freedom: freedom)
    }

    /// A value's precision relative to one run: its runs, less for a median
    /// of three or more (whose variance is up to π/2 times the mean's).
    static func weight(runs: Int) -> Double {
        runs <= 2 ? Double(max(runs, 1)) : Double(runs) / (Double.pi / 2)
    }

    /// Pooled within-configuration variance of log tok/s. Values equal to
    /// the last digit are copies, not measurements: a zero is no estimate.
    static func repeatedRuns(_ configurations: [Configuration]) -> (variance: Double, freedom: Int)? {
        var squares = 0.0
        var freedom = 0
        for configuration in configurations where configuration.tokensPerSecond.count >= 2 {
            let logs = configuration.tokensPerSecond.filter { $0 > 0 && $0.isFinite }.map { log($0) }
            guard logs.count >= 2 else { continue }
            let mean = logs.reduce(0, +) / Double(logs.count)
            squares += logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            freedom += logs.count - 1
        }
        return freedom > 0 ? (squares / Double(freedom), freedom) : nil
    }

    /// Pooled variance of log tok/s over the model's groups outside the
    /// sweep, from each group's kept sample. A group's cold starts are in its
    /// throughput; as many of its lowest values as it had cold starts are left
    /// out (a load slows the first decode if anything), so a baseline file's
    /// first run does not pass for run-to-run noise.
    static func baselineRuns(_ groups: [RunGroup]) -> (variance: Double, freedom: Int)? {
        var squares = 0.0
        var freedom = 0
        for group in groups {
            let ascending = group.tokensPerSecondSample.values.filter { $0 > 0 && $0.isFinite }
            let logs = ascending.dropFirst(min(group.coldStart?.runs ?? 0, ascending.count)).map { log($0) }
            guard logs.count >= 2 else { continue }
            let mean = logs.reduce(0, +) / Double(logs.count)
            squares += logs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            freedom += logs.count - 1
        }
        return freedom > 0 ? (squares / Double(freedom), freedom) : nil
    }

    /// The best against the median configuration: the margin on the log
    /// scale, its standard error (the best's own runs, and the median of k
    /// configurations), and the simultaneous interval over all k.
    ///
    /// Two configurations are one comparison: their median is their mean,
    /// so the margin is half their difference, with half its standard
    /// error, and picking the better of two is the two-sided test of that
    /// difference. The k-configuration formula counted the best twice (in
    /// its own runs and in the median) and corrected for two comparisons:
    /// an interval about twice as wide, which called "within the noise" a
    /// best whose parameter's effect the same report found beyond it.
    private static func judgeBest(_ sweep: inout Sweep, usable: [Configuration], sd: Double, freedom: Int) {
        let k = usable.count
        var medians = usable.map(\.median)
        guard k > 1, let best = sweep.bestThroughput, best.tokensPerSecond > 0,
            let median = Summary.quantile(&medians, 0.5), median > 0
        else { return }
        let bestIndex = usable.firstIndex { $0.parameters == best.configuration }
        let bestRuns = bestIndex.map { usable[$0].tokensPerSecond.count } ?? max(best.runs, 1)
        let standardError: Double
        let margin: Double
        if k == 2, let bestIndex {
            // Half the difference of the logarithms: the parameter's effect
            // (`judgeEffects`) halved, so the two verdicts cannot disagree.
            let other = usable[1 - bestIndex]
            margin = log(best.tokensPerSecond / other.median) / 2
            standardError = sd * (1 / weight(runs: bestRuns) + 1 / weight(runs: other.tokensPerSecond.count)).squareRoot() / 2
        } else {
            let meanInverseWeight = usable.reduce(0) { $0 + 1 / weight(runs: $1.tokensPerSecond.count) } / Double(k)
            standardError = sd * (1 / weight(runs: bestRuns) + Double.pi / 2 * meanInverseWeight / Double(k)).squareRoot()
            margin = log(best.tokensPerSecond / median)
        }
        let comparisons = k == 2 ? 1 : k
        let q = StudentDistribution.simultaneousQuantile(confidence: confidence, comparisons: comparisons, freedom: Double(freedom))
        guard q.isFinite else { return }
        let lower = margin - q * standardError
        sweep.bestMarginInterval = Sweep.Interval(lower: (exp(lower) - 1) * 100, upper: (exp(margin + q * standardError) - 1) * 100)
        sweep.bestBeatsNoise = lower > 0
        guard !sweep.bestBeatsNoise else { return }
        // Runs per configuration for the same test, with the normal quantile
        // (more runs, more freedom) and 80% power.
        let target = log(1 + targetEffectPercent / 100)
        let z =
            NormalDistribution.quantile(1 - (1 - pow(confidence, 1 / Double(comparisons))) / 2) + NormalDistribution.quantile(power)
        // The variance, in one run's, of what the target is a difference of:
        // a pair's two configurations (1 + 1), else the best and the median of k.
        let spread = (z * sd / target) * (z * sd / target) * (k == 2 ? 2 : 1 + Double.pi / (2 * Double(k)))
        var runs = spread.rounded(.up)
        if runs >= 3 { runs = (spread * Double.pi / 2).rounded(.up) }
        guard runs.isFinite, runs < 1e9 else { return }
        sweep.runsNeeded = Sweep.RunsNeeded(effectPercent: targetEffectPercent, runs: max(Int(runs), 1))
    }

    /// A parameter is beyond the noise when two of its levels' main effects
    /// (robust: medians over the level's configurations, the other
    /// parameters' effects taken out) differ by more than the simultaneous
    /// quantile over every pair of levels of every parameter allows.
    private static func judgeEffects(
        _ sweep: inout Sweep, fit: AdditiveFit, levelIndex: [[String: Int]], sd: Double, freedom: Int
    ) {
        let parameters = sweep.parameters
        var pairs: [Int: [(Double, Double)]] = [:]
        for (p, _) in parameters.enumerated() {
            let present = levelIndex[p].filter { !$0.key.isEmpty && fit.levelWeights[p][$0.value] > 0 }.map(\.value).sorted()
            var list: [(Double, Double)] = []
            for (i, a) in present.enumerated() {
                for b in present[(i + 1)...] {
                    let difference = abs(fit.effects[p][a] - fit.effects[p][b])
                    let error = sd * (levelVariance(fit, p, a) + levelVariance(fit, p, b)).squareRoot()
                    list.append((difference, error))
                }
            }
            pairs[p] = list
        }
        let comparisons = pairs.values.reduce(0) { $0 + $1.count }
        guard comparisons > 0 else { return }
        let q = StudentDistribution.simultaneousQuantile(confidence: confidence, comparisons: comparisons, freedom: Double(freedom))
        guard q.isFinite else { return }
        for index in sweep.effects.indices {
            guard let p = parameters.firstIndex(of: sweep.effects[index].parameter) else { continue }
            sweep.effects[index].beyondNoise = (pairs[p] ?? []).contains { $0.0 > q * $0.1 }
        }
    }

    /// A robust level effect's variance per unit noise: the inverse of its
    /// configurations' weight, times π/2 for a median of three or more.
    private static func levelVariance(_ fit: AdditiveFit, _ p: Int, _ level: Int) -> Double {
        (fit.levelSizes[p][level] >= 3 ? Double.pi / 2 : 1) / fit.levelWeights[p][level]
    }

    /// Configurations whose figure is mixed with a load: every run a cold
    /// start (`ColdStart`); or, in a sweep read from one file, its first
    /// configuration measured once and slower than the median configuration.
    /// `group` finds a configuration's run group.
    /// Sets the sweep's confounds, and marks the effect whose levels
    /// coincide with the cold starts (`Sweep.Effect.confounded`).
    static func markConfounds(_ sweep: inout Sweep, firstConfiguration: [Parameter]?, group: ([Parameter]) -> RunGroup?) {
        sweep.confounds = confounds(sweep, firstConfiguration: firstConfiguration, group: group)
        let cold = sweep.confounds.filter(\.cold).map(\.configuration)
        guard !cold.isEmpty else { return }
        for index in sweep.effects.indices {
            let parameter = sweep.effects[index].parameter
            let values = Set(cold.map { $0[name: parameter] ?? "" })
            guard values.count == 1, let value = values.first, !value.isEmpty else { continue }
            let withValue = sweep.ranking.filter { $0.configuration[name: parameter] == value }.count
            sweep.effects[index].confounded = 2 * cold.count >= withValue
        }
    }

    static func confounds(
        _ sweep: Sweep, firstConfiguration: [Parameter]?, group: ([Parameter]) -> RunGroup?
    ) -> [Sweep.Confound] {
        var medians = sweep.ranking.map(\.tokensPerSecond)
        let median = Summary.quantile(&medians, 0.5)
        var found: [Sweep.Confound] = []
        for result in sweep.ranking {
            if let group = group(result.configuration), let cold = group.coldStart, group.runsOK > 0, cold.runs >= group.runsOK {
                let load = cold.loadSeconds.median.map { Figures.seconds($0) + " s" } ?? "unknown"
                let reason =
                    group.runsOK == 1
                    ? "its only run was a cold start (the model loaded first, load \(load))"
                    : "all \(group.runsOK) of its runs were cold starts (load median \(load))"
                found.append(
                    Sweep.Confound(configuration: result.configuration, reason: reason, cold: true, loadSeconds: cold.loadSeconds.median))
            } else if result.configuration == firstConfiguration, result.runs == 1, let median,
                result.tokensPerSecond < median
            {
                found.append(
                    Sweep.Confound(
                        configuration: result.configuration,
                        reason: "its only run was the first of its file, slower than the median configuration: a load or warm-up may have slowed it",
                        cold: false))
            }
        }
        return found
    }
}
