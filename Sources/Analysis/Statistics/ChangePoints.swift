/// A lasting change of level in a series, found by `ChangePoints.detect`.
package struct ChangePoint: Sendable, Equatable {
    /// Position in the series of the first point of the new segment.
    package var index: Int
    /// Medians of the adjacent segments of the final segmentation: the one
    /// that ends just before `index` and the one that starts at it.
    package var before: Double
    package var after: Double
    /// The permutation p-value of the split in the round that found it (see
    /// `ChangePoints`): at most `ChangePoints.alpha`, at least
    /// 1 / (`ChangePoints.permutations` + 1) = 0.005.
    package var pValue: Double

    /// after / before - 1; nil when `before` is 0.
    package var relativeChange: Double? { before != 0 ? after / before - 1 : nil }
}

/// Change points in a short series, such as a group's session medians in time
/// order: where the level moved and stayed moved.
///
/// E-divisive means (Matteson and James, "A nonparametric approach for
/// multiple change point analysis of multivariate data", 2014), the method
/// Apache Otava (formerly Hunter) is built on, with its permutation test:
///
/// - A candidate split of a segment is the τ, with the κ beyond it, whose
///   left part [start, τ) and right part [τ, κ) are furthest apart by energy
///   distance: the mean distance between the parts, twice, less the mean
///   distances within each, scaled by ab / (a + b) for parts of a and b
///   points. Looking only as far as κ keeps a later move back from hiding a
///   change (Otava's observation). With the test below it assumes no
///   distribution and no noise level (multiplying the series by any factor
///   changes nothing), and one outlier cannot make a change: it is far from
///   everything, its own part included.
/// - Hierarchical: the strongest candidate over all current segments is
///   tested; if significant, its segment is split and the search repeats,
///   else it stops.
/// - The test: the points inside each segment are shuffled
///   (`permutations` times) and the strongest candidate recomputed; p is the
///   share of shuffles at least as strong as the observed one, counting the
///   observed one. It stops early once p cannot come under α. The shuffles
///   come from SplitMix64 with a fixed seed, restarted on every call, so a
///   series always gets the same answer.
///
/// A steady slide has no single step: it comes out as a staircase of change
/// points along the slide, as many as the noise lets the test separate.
///
/// Segments have at least `minimumSegment` points, so a change is placed
/// only once that many sessions follow it, and a series of fewer than twice
/// as many points has none. (Whether the newest session regressed against
/// its baseline is `MannWhitney`'s question, not this one.)
///
/// Cost: O(L²) time and memory for one search over a segment of L points
/// (an (n + 1)² table of doubles for n points: 0.7 MB at 300), so a
/// significant round costs `permutations` × n² steps. A series with one
/// change (release build): 2 ms at 50 points, 12 ms at 100, 50 ms at 200,
/// 110 ms at 300, 350 ms at 500; the last, insignificant round usually stops
/// after a few shuffles. Hence `maximumLength`: of a longer series only the
/// most recent points are searched.
package enum ChangePoints {
    /// Fewest points on either side of a change point (at least 2 is needed
    /// for the mean distance within a part). Three also keeps a single
    /// outlying session from being a segment of its own.
    package static let minimumSegment = 3
    /// Significance level of each round's test. With it, 100 series of 20
    /// points of pure noise show about one change point between them.
    package static let alpha = 0.01
    /// Shuffles per test at most: p-values come in steps of 1/200, and at
    /// α = 0.01 a split is significant when at most one shuffle matches it
    /// (exactly level α under no change). 499 would resolve p further but
    /// cost 2.5 times as much for the same decisions on clear changes.
    package static let permutations = 199
    /// Most points searched (the most recent ones): the table of a search
    /// grows with the square of the length (2 MB at 500 points).
    package static let maximumLength = 500
    /// Seed of the shuffles; fixed, so results repeat.
    static let seed: UInt64 = 0x6368_696D_6572_6164

    /// The change points of `series`, ascending by index.
    ///
    /// `alpha` is each round's significance level; `minimumSegment` is taken
    /// as at least 2. Of a series longer than `maximumLength` only the last
    /// `maximumLength` points are searched (indices still count from the
    /// start of `series`). Empty when the series has fewer than 2 ×
    /// `minimumSegment` points, is constant, or holds a non-finite value.
    package static func detect(
        _ series: [Double], alpha: Double = ChangePoints.alpha, minimumSegment: Int = ChangePoints.minimumSegment
    ) -> [ChangePoint] {
        let offset = max(series.count - maximumLength, 0)
        guard offset == 0 else {
            return detect(Array(series[offset...]), alpha: alpha, minimumSegment: minimumSegment).map { point in
                var moved = point
                moved.index += offset
                return moved
            }
        }
        let minimum = max(minimumSegment, 2)
        guard series.count >= 2 * minimum, series.allSatisfy(\.isFinite) else { return [] }
        var search = Search(capacity: series.count, minimum: minimum)
        var generator = SplitMix64(seed: seed)
        // Segment boundaries, ascending: segment k is boundaries[k]..<boundaries[k + 1].
        var boundaries = [0, series.count]
        // Each segment's best split, by its start; kept until it is split.
        var candidates: [Int: Split] = [:]
        var found: [(index: Int, pValue: Double)] = []
        while true {
            var strongest: Split?
            for (start, end) in zip(boundaries, boundaries.dropFirst()) {
                if candidates[start] == nil, let split = search.best(series, start, end) { candidates[start] = split }
                if let split = candidates[start], split.statistic > strongest?.statistic ?? 0 { strongest = split }
            }
            guard let split = strongest else { break }
            let result = test(
                split.statistic, series: series, boundaries: boundaries, alpha: alpha, search: &search, generator: &generator)
            guard result.isSignificant, let position = boundaries.firstIndex(where: { $0 > split.index }) else { break }
            candidates[boundaries[position - 1]] = nil
            boundaries.insert(split.index, at: position)
            found.append((split.index, result.pValue))
        }
        return found.sorted { $0.index < $1.index }.compactMap { point in
            guard let position = boundaries.firstIndex(of: point.index),
                let before = median(series[boundaries[position - 1]..<point.index]),
                let after = median(series[point.index..<boundaries[position + 1]])
            else { return nil }
            return ChangePoint(index: point.index, before: before, after: after, pValue: point.pValue)
        }
    }

    /// The permutation test of `observed`, the strongest split over the
    /// segments between `boundaries`: its p-value, and whether that is at
    /// most `alpha`. Stops as soon as too many shuffles have matched it; p is
    /// then the share so far, which is above `alpha`.
    private static func test(
        _ observed: Double, series: [Double], boundaries: [Int], alpha: Double, search: inout Search,
        generator: inout SplitMix64
    ) -> (pValue: Double, isSignificant: Bool) {
        // p = (matches + 1) / (permutations + 1) ≤ α, counted in whole shuffles
        // (with a hair of tolerance: α × 200 is 2 in decimal, not always in binary).
        let allowed = Int((alpha * Double(permutations + 1) * (1 + 1e-9)).rounded(.down)) - 1
        var shuffled = series
        var matches = 0
        // A shuffle as strong up to rounding counts as stronger (conservative).
        let bar = observed * (1 - 1e-12)
        for done in 1...permutations {
            var strongest = -Double.infinity
            for (start, end) in zip(boundaries, boundaries.dropFirst()) where end - start >= 2 * search.minimum {
                generator.shuffle(&shuffled, start, end)
                if let split = search.best(shuffled, start, end) { strongest = max(strongest, split.statistic) }
            }
            if strongest >= bar {
                matches += 1
                if matches > allowed { return (Double(matches + 1) / Double(done + 1), false) }
            }
        }
        return (Double(matches + 1) / Double(permutations + 1), true)
    }

    private static func median(_ values: ArraySlice<Double>) -> Double? {
        var copy = Array(values)
        return Summary.quantile(&copy, 0.5)
    }

    /// A segment's best split: the first point of its right part, and the
    /// scaled energy distance of the parts.
    struct Split {
        var index: Int
        var statistic: Double
    }

    /// The search for a segment's best split, with its table reused across
    /// the many searches of the permutation test.
    struct Search {
        let minimum: Int
        /// w[i·(L + 1) + j] = Σ |x_p - x_q| over i ≤ p < q < j, positions
        /// relative to the segment's start.
        private var table: [Double]
        /// 1 / k for k up to the capacity (0 at 0, never used).
        private let reciprocal: [Double]

        init(capacity: Int, minimum: Int) {
            self.minimum = minimum
            table = [Double](repeating: 0, count: (capacity + 1) * (capacity + 1))
            reciprocal = (0...capacity).map { $0 > 0 ? 1 / Double($0) : 0 }
        }

        /// The best split of values[start..<end], or nil when the segment is
        /// too short for two parts of `minimum` points.
        mutating func best(_ values: [Double], _ start: Int, _ end: Int) -> Split? {
            let length = end - start
            guard length >= 2 * minimum else { return nil }
            let minimum = minimum
            // On raw pointers: the searches are the whole cost of the
            // permutation test, and checked accesses add to every step.
            let found = reciprocal.withUnsafeBufferPointer { reciprocal in
                values.withUnsafeBufferPointer { values in
                    table.withUnsafeMutableBufferPointer { table -> Split? in
                        guard let r = reciprocal.baseAddress, let x = values.baseAddress, let w = table.baseAddress else { return nil }
                        return Search.scan(x + start, length, minimum, w, r)
                    }
                }
            }
            return found.map { Split(index: start + $0.index, statistic: $0.statistic) }
        }

        /// The best split of x[0..<length] (index relative to x), filling `w`
        /// (see `table`) first; `r` holds reciprocals.
        private static func scan(
            _ x: UnsafePointer<Double>, _ length: Int, _ minimum: Int, _ w: UnsafeMutablePointer<Double>, _ r: UnsafePointer<Double>
        ) -> Split {
            let width = length + 1
            // Sums over [i, j) from those over [i, j - 1), [i + 1, j) and
            // [i + 1, j - 1): the pairs of the first two, less those counted
            // twice, plus the pair of the ends.
            var i = length
            while i >= 0 {
                let row = i * width
                w[row + i] = 0
                if i < length {
                    w[row + i + 1] = 0
                    let below = row + width
                    let first = x[i]
                    var j = i + 2
                    while j <= length {
                        w[row + j] = w[row + j - 1] + w[below + j] - w[below + j - 1] + (first - x[j - 1]).magnitude
                        j += 1
                    }
                }
                i -= 1
            }
            // ab / (a + b) × (2·between / ab - within left / C(a, 2) - within
            // right / C(b, 2)) with a + b = κ, written with reciprocals:
            // (2·between - 2b·left / (a - 1) - 2a·right / (b - 1)) / κ.
            var best = Split(index: -1, statistic: -.infinity)
            var tau = minimum
            while tau <= length - minimum {
                let a = Double(tau)
                let prefix = w[tau]
                let left = 2 * prefix * r[tau - 1]
                let row = tau * width
                var kappa = tau + minimum
                while kappa <= length {
                    let right = w[row + kappa]
                    let between = w[kappa] - prefix - right
                    let b = kappa - tau
                    let statistic = (2 * between - Double(b) * left - 2 * a * right * r[b - 1]) * r[kappa]
                    if statistic > best.statistic { best = Split(index: tau, statistic: statistic) }
                    kappa += 1
                }
                tau += 1
            }
            return best
        }
    }

    /// SplitMix64 (Steele, Lea and Flood, 2014): small, fast, and the same
    /// sequence everywhere, unlike the standard library's generators.
    struct SplitMix64 {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// Uniform in 0..<bound, without modulo bias (Lemire's method).
        mutating func below(_ bound: Int) -> Int {
            let range = UInt64(bound)
            var product = next().multipliedFullWidth(by: range)
            if product.low < range {
                let threshold = (0 &- range) % range
                while product.low < threshold { product = next().multipliedFullWidth(by: range) }
            }
            return Int(product.high)
        }

        /// Fisher-Yates over values[start..<end].
        mutating func shuffle(_ values: inout [Double], _ start: Int, _ end: Int) {
            var i = end - 1
            while i > start {
                values.swapAt(i, start + below(i - start + 1))
                i -= 1
            }
        }
    }
}
