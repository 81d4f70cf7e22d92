import Foundation

/// The main-effects model of a sweep on log throughput: each configuration's
/// value is an overall level plus one effect per parameter value, no
/// interactions. What it leaves unexplained is the sweep's own estimate of
/// run-to-run noise when nothing else measures it; its effects are each
/// parameter's share with the others held fixed, which level medians pooled
/// over an unbalanced grid (a failed cell) are not.
///
/// Fitted by backfitting (Gauss-Seidel on the normal equations): one pass
/// costs a read of every configuration per parameter, so a grid of thousands
/// of configurations needs no matrix. The robust fit takes medians where the
/// least-squares one takes weighted means (Tukey's median polish, one
/// parameter at a time): one stalled run moves a level's effect by a rank,
/// not by its own size.
struct AdditiveFit {
    /// Per parameter, the effect of each of its levels (weighted to mean zero).
    var effects: [[Double]]
    /// Per parameter and level, the summed weight of its configurations.
    var levelWeights: [[Double]]
    /// Per parameter and level, how many configurations it has.
    var levelSizes: [[Int]]
    /// Value minus fitted value, per configuration.
    var residuals: [Double]
    /// Configurations minus fitted coefficients; at most 0 leaves no residual spread.
    var freedom: Int

    /// - Parameters:
    ///   - values: one value per configuration (log tok/s).
    ///   - weights: each value's precision relative to one run (its runs,
    ///     less for a median).
    ///   - levels: per parameter, each configuration's level index.
    ///   - levelCounts: per parameter, how many levels it has.
    ///   - robust: medians instead of weighted means (median polish).
    init(values: [Double], weights: [Double], levels: [[Int]], levelCounts: [Int], robust: Bool = false) {
        let count = values.count
        let totalWeight = weights.reduce(0, +)
        var effects = levelCounts.map { [Double](repeating: 0, count: $0) }
        var levelWeights = levelCounts.map { [Double](repeating: 0, count: $0) }
        var levelSizes = levelCounts.map { [Int](repeating: 0, count: $0) }
        for p in levels.indices {
            for c in 0..<count {
                levelWeights[p][levels[p][c]] += weights[c]
                levelSizes[p][levels[p][c]] += 1
            }
        }
        var fitted = [Double](repeating: 0, count: count)
        var overall = 0.0
        for _ in 0..<(robust ? 20 : 500) {
            var change = 0.0
            // The overall level given the effects.
            let newOverall: Double
            if robust {
                var partial = (0..<count).map { values[$0] - (fitted[$0] - overall) }
                newOverall = Summary.quantile(&partial, 0.5) ?? 0
            } else {
                var sum = 0.0
                for c in 0..<count { sum += weights[c] * (values[c] - (fitted[c] - overall)) }
                newOverall = totalWeight > 0 ? sum / totalWeight : 0
            }
            for c in 0..<count { fitted[c] += newOverall - overall }
            change = max(change, abs(newOverall - overall))
            overall = newOverall
            for p in levels.indices {
                var updated: [Double]
                let centre: Double
                if robust {
                    var partials = [[Double]](repeating: [], count: levelCounts[p])
                    for c in 0..<count {
                        let level = levels[p][c]
                        partials[level].append(values[c] - fitted[c] + effects[p][level])
                    }
                    updated = partials.indices.map { Summary.quantile(&partials[$0], 0.5) ?? 0 }
                    var present = updated.indices.filter { levelWeights[p][$0] > 0 }.map { updated[$0] }
                    centre = Summary.quantile(&present, 0.5) ?? 0
                } else {
                    var sums = [Double](repeating: 0, count: levelCounts[p])
                    for c in 0..<count {
                        let level = levels[p][c]
                        sums[level] += weights[c] * (values[c] - fitted[c] + effects[p][level])
                    }
                    updated = sums.indices.map { levelWeights[p][$0] > 0 ? sums[$0] / levelWeights[p][$0] : 0 }
                    // Centred, so the overall level carries the mean.
                    centre = totalWeight > 0 ? zip(updated, levelWeights[p]).reduce(0) { $0 + $1.0 * $1.1 } / totalWeight : 0
                }
                for l in updated.indices { updated[l] -= centre }
                for c in 0..<count {
                    let level = levels[p][c]
                    fitted[c] += updated[level] - effects[p][level]
                }
                for l in updated.indices { change = max(change, abs(updated[l] - effects[p][l])) }
                effects[p] = updated
            }
            if change < 1e-13 { break }
        }
        self.effects = effects
        self.levelWeights = levelWeights
        self.levelSizes = levelSizes
        residuals = (0..<count).map { values[$0] - fitted[$0] }
        let used = levelWeights.reduce(0) { total, weights in total + max(weights.filter { $0 > 0 }.count - 1, 0) }
        freedom = count - 1 - used
    }

    /// The weighted residual variance per unit weight (one run), or nil
    /// without degrees of freedom.
    func residualVariance(weights: [Double]) -> Double? {
        guard freedom > 0 else { return nil }
        var sum = 0.0
        for c in residuals.indices { sum += weights[c] * residuals[c] * residuals[c] }
        return sum / Double(freedom)
    }
}
