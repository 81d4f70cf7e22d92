/// A lasting change of level in a series, found by `ChangePoints.detect`.
package struct ChangePoint: Sendable, Equatable {
    /// Position in the series of the first point of the new segment.
    package var index: Int
    /// Medians of the adjacent segments of the final segmentation: the one
    /// that ends just before `index` and the one that starts at it.
    package var before: Double
    package var after: Double
    /// The permutation p-value of the split when it was found (see
    /// `ChangePoints`); at least 1 / (`ChangePoints.permutations` + 1).
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
///   change (Otava's observation). Rank-free and scale-free, it needs no
///   noise level, and one outlier cannot make a change: the outlier is far
///   from everything, its own part included.
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
/// Cost: O(L²) time and memory for one search over a segment of L points, so
/// a round costs up to `permutations` × n² for n points (about 0.1 s at
/// n = 200); the last, insignificant round usually stops after a few dozen
/// shuffles. Intended for series up to a few hundred points.
package enum ChangePoints {
    /// Fewest points on either side of a change point (at least 2 is needed
    /// for the mean distance within a part). Three also keeps a single
    /// outlying session from being a segment of its own.
    package static let minimumSegment = 3
    /// Significance level of each round's test. With it, 100 series of 20
    /// points of pure noise show about one change point between them.
    package static let alpha = 0.01
    /// Shuffles per test at most: p-values come in steps of 1/500.
    package static let permutations = 499
    /// Seed of the shuffles; fixed, so results repeat.
    static let seed: UInt64 = 0x6368_696D_6572_6164

    /// The change points of `series`, ascending by index.
    ///
    /// Empty when the series has fewer than 2 × `minimumSegment` points, is
    /// constant, or holds a non-finite value.
    package static func detect(
        _ series: [Double], alpha: Double = ChangePoints.alpha, minimumSegment: Int = ChangePoints.minimumSegment
    ) -> [ChangePoint] {
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
            let p = pValue(
                of: split.statistic, series: series, boundaries: boundaries, alpha: alpha, search: &search, generator: &generator)
            guard p <= alpha, let position = boundaries.firstIndex(where: { $0 > split.index }) else { break }
            candidates[boundaries[position - 1]] = nil
            boundaries.insert(split.index, at: position)
            found.append((split.index, p))
        }
        return found.sorted { $0.index < $1.index }.compactMap { point in
            guard let position = boundaries.firstIndex(of: point.index),
                let before = median(series[boundaries[position - 1]..<point.index]),
                let after = median(series[point.index..<boundaries[position + 1]])
            else { return nil }
            return ChangePoint(index: point.index, before: before, after: after, pValue: point.pValue)
        }
    }

    /// The permutation p-value of `observed`, the strongest split over the
    /// segments between `boundaries`; once it is certain to exceed `alpha`,
    /// an early estimate above `alpha` instead.
    private static func pValue(
        of observed: Double, series: [Double], boundaries: [Int], alpha: Double, search: inout Search,
        generator: inout SplitMix64
    ) -> Double {
        var shuffled = series
        var exceeding = 0
        // A shuffle as strong up to rounding counts as stronger (conservative).
        let bar = observed * (1 - 1e-12)
        for done in 1...permutations {
            var strongest = -Double.infinity
            for (start, end) in zip(boundaries, boundaries.dropFirst()) where end - start >= 2 * search.minimum {
                generator.shuffle(&shuffled, start, end)
                if let split = search.best(shuffled, start, end) { strongest = max(strongest, split.statistic) }
            }
            if strongest >= bar {
                exceeding += 1
                if Double(exceeding + 1) > alpha * Double(permutations + 1) {
                    return Double(exceeding + 1) / Double(done + 1)
                }
            }
        }
        return Double(exceeding + 1) / Double(permutations + 1)
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
            let width = length + 1
            let found = reciprocal.withUnsafeBufferPointer { reciprocal in
                values[start..<end].withUnsafeBufferPointer { x in
                table.withUnsafeMutableBufferPointer { w in
                    // Sums over [i, j) from those over [i, j - 1), [i + 1, j)
                    // and [i + 1, j - 1): the pairs of the first two, less those
                    // counted twice, plus the pair of the ends.
                    for i in stride(from: length, through: 0, by: -1) {
                        let row = i * width
                        w[row + i] = 0
                        guard i < length else { continue }
                        w[row + i + 1] = 0
                        let x0 = x[i]
                        var j = i + 2
                        while j <= length {
                            w[row + j] = w[row + j - 1] + w[row + width + j] - w[row + width + j - 1] + abs(x0 - x[j - 1])
                            j += 1
                        }
                    }
                    // ab / (a + b) × (2·between / ab - within left / C(a, 2) - within
                    // right / C(b, 2)), with a + b = κ, written with reciprocals:
                    // (2·between - 2b·left / (a - 1) - 2a·right / (b - 1)) / κ.
                    var best = Split(index: -1, statistic: -.infinity)
                    for tau in minimum...(length - minimum) {
                        let a = Double(tau)
                        let left = 2 * w[tau] * reciprocal[tau - 1]
                        let row = tau * width
                        for kappa in (tau + minimum)...length {
                            let right = w[row + kappa]
                            let between = w[kappa] - w[tau] - right
                            let b = kappa - tau
                            let statistic =
                                (2 * between - Double(b) * left - 2 * a * right * reciprocal[b - 1]) * reciprocal[kappa]
                            if statistic > best.statistic { best = Split(index: tau, statistic: statistic) }
                        }
                    }
                    return best
                }
                }
            }
            return Split(index: start + found.index, statistic: found.statistic)
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
