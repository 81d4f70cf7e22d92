import Foundation

/// The two-sided Mann-Whitney U test (Wilcoxon rank-sum) of "the runs before
/// and the runs after come from the same distribution".
///
/// Rank-based, so it needs no normality and one wild run cannot carry it,
/// which suits throughput and latency (skewed, with outliers). It follows
/// SciPy's `mannwhitneyu(after, before)` with its defaults, so every figure can
/// be checked against it:
///
/// - `u` is the U of the runs after: the number of (before, after) pairs in
///   which the after value is larger, ties counting one half. Half of all
///   pairs (`before × after / 2`) means no shift.
/// - Exact p-value when one side has at most 8 values and no value is tied:
///   the null distribution of U, counted (see `exactLowerTail`).
/// - Otherwise the normal approximation, with the tie correction of the
///   variance and a continuity correction of 0.5.
///
/// Both samples must be sorted ascending (a `Sample`'s values are): the ranks
/// come from one merge, in linear time.
package enum MannWhitney {
    /// Significance level: p below it is significant.
    package static let alpha = 0.05
    /// Fewest values on either side for a test. Below 5 a single run out of
    /// place decides the outcome, and with 3 against 3 no arrangement can reach
    /// p < 0.05 at all; it is also where the report already says a group has
    /// too few runs to tell a change from noise.
    package static let minimumRuns = 5
    /// One side at most this large and no ties: exact p-value (SciPy's rule).
    static let exactLimit = 8

    package struct Result: Sendable, Equatable {
        package enum Method: String, Sendable {
            case exact
            case normal = "normal approximation"
        }

        package var before: Int
        package var after: Int
        /// U of the runs after (see the type's comment).
        package var u: Double
        /// The standardised statistic, continuity-corrected and signed like the
        /// shift (positive: the runs after tend to be larger); nil when exact.
        package var z: Double?
        package var pValue: Double
        package var method: Method
        /// Rank-biserial correlation, 2U / (before × after) - 1: the share of
        /// pairs in which the value rose minus the share in which it fell,
        /// from -1 (every run after is below every run before) to +1.
        package var rankBiserial: Double
        package var hasTies: Bool

        package var isSignificant: Bool { pValue < MannWhitney.alpha }
    }

    /// Tests `before` against `after`, both ascending; nil when either is empty.
    package static func test(before: [Double], after: [Double]) -> Result? {
        let n1 = before.count
        let n2 = after.count
        guard n1 > 0, n2 > 0 else { return nil }
        // One merge of the two sorted lists: each run of equal values is a tie
        // group that shares the average of the ranks it spans.
        var i = 0
        var j = 0
        var ranked = 0
        var rankSumAfter = 0.0
        var tieTerm = 0.0
        while i < n1 || j < n2 {
            let value = i < n1 && (j >= n2 || before[i] <= after[j]) ? before[i] : after[j]
            var fromBefore = 0
            var fromAfter = 0
            while i < n1 && before[i] == value {
                fromBefore += 1
                i += 1
            }
            while j < n2 && after[j] == value {
                fromAfter += 1
                j += 1
            }
            let t = Double(fromBefore + fromAfter)
            // Ranks ranked+1 ... ranked+t, averaged.
            rankSumAfter += Double(fromAfter) * (Double(ranked) + (t + 1) / 2)
            if t > 1 { tieTerm += t * t * t - t }
            ranked += fromBefore + fromAfter
        }
        let pairs = Double(n1) * Double(n2)
        let u = rankSumAfter - Double(n2) * Double(n2 + 1) / 2
        let rankBiserial = 2 * u / pairs - 1
        let hasTies = tieTerm > 0
        if !hasTies && min(n1, n2) <= exactLimit {
            // U is a whole number without ties; the smaller tail, doubled.
            let smaller = Int(min(u, pairs - u).rounded())
            let p = min(1, 2 * exactLowerTail(smaller, n1, n2))
            return Result(before: n1, after: n2, u: u, z: nil, pValue: p, method: .exact, rankBiserial: rankBiserial, hasTies: false)
        }
        let n = Double(n1 + n2)
        let variance = pairs / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else {
            // Every value tied: no evidence of any shift.
            return Result(before: n1, after: n2, u: u, z: 0, pValue: 1, method: .normal, rankBiserial: rankBiserial, hasTies: hasTies)
        }
        let shift = u - pairs / 2
        let corrected = max(abs(shift) - 0.5, 0)
        let z = (shift < 0 ? -corrected : corrected) / variance.squareRoot()
        // Two-sided normal tail: 2(1 - Φ(|z|)) = erfc(|z| / √2).
        let p = min(1, erfc(abs(z) / 2.0.squareRoot()))
        return Result(before: n1, after: n2, u: u, z: z, pValue: p, method: .normal, rankBiserial: rankBiserial, hasTies: hasTies)
    }

    /// P(U ≤ k) for samples of `n1` and `n2` values without ties.
    ///
    /// The number of orderings with U = u is the coefficient of q^u in the
    /// Gaussian binomial [n1 + n2 choose m]_q (m the smaller size), which is
    /// the product over i = 1...m of (1 - q^(n+i)) / (1 - q^i), n the larger
    /// size. After each factor the coefficients are those of [n + i choose i]_q,
    /// whole numbers, so the counting stays exact in doubles for the sizes
    /// this is used for (m ≤ 8: below 2^53 up to n ≈ 500, and relative
    /// precision 1e-16 beyond).
    static func exactLowerTail(_ k: Int, _ n1: Int, _ n2: Int) -> Double {
        let m = min(n1, n2)
        let n = max(n1, n2)
        // Room for the intermediate degree i·n + i before each division.
        var counts = [Double](repeating: 0, count: m * n + m + 1)
        counts[0] = 1
        for i in stride(from: 1, through: m, by: 1) {
            let multiplier = n + i
            let degree = (i - 1) * n + multiplier
            // × (1 - q^(n+i)), from the top so each term reads the old values.
            var u = degree
            while u >= multiplier {
                counts[u] -= counts[u - multiplier]
                u -= 1
            }
            // ÷ (1 - q^i): a running sum with stride i, from the bottom.
            if degree >= i {
                for u in i...degree { counts[u] += counts[u - i] }
            }
        }
        var total = 0.0
        var tail = 0.0
        for (u, count) in counts.prefix(m * n + 1).enumerated() {
            total += count
            if u <= k { tail += count }
        }
        return total > 0 ? tail / total : 1
    }
}
