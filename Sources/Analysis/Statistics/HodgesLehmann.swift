/// The Hodges-Lehmann estimate of the shift between the runs before and the
/// runs after, with the distribution-free confidence interval that goes with
/// the Mann-Whitney test.
///
/// The shift is the median of all before × after pairwise differences
/// `after[j] - before[i]`: the rank test's own measure of "how far did it
/// move", and as robust as the test: one wild run changes only its own row
/// of differences, so it moves the median past a few neighbouring
/// differences, never by its own size. The interval is the set of shifts d
/// for which the two-sided test of `after - d` against `before` would not
/// reject: the K-th smallest and K-th largest pairwise differences, K from
/// the null distribution of U.
///
/// On log-values it estimates a ratio, which is what a report wants for
/// throughput and latency:
///
///     let estimate = HodgesLehmann.shift(before: before.map(log), after: after.map(log))
///     // exp(estimate.shift) - 1 is the relative change, e.g. -0.042 for 4.2% slower;
///     // exp(estimate.lower) - 1 ... exp(estimate.upper) - 1 its interval.
///
/// (`log` keeps ascending values ascending, so sorted inputs stay sorted.)
package enum HodgesLehmann {
    /// Largest before × after count for the exact null distribution (about 50
    /// runs a side, R's `wilcox.test` rule); above it, or with tied values,
    /// the normal approximation, which is then accurate to a rank or so.
    static let exactPairLimit = 2500

    package struct Estimate: Sendable, Equatable {
        /// The median of the pairwise differences `after - before`.
        package var shift: Double
        /// The interval's ends, pairwise differences themselves.
        package var lower: Double
        package var upper: Double
        /// The coverage of [lower, upper]: when exact, the coverage actually
        /// achieved by the ranks chosen (at least the requested one; U is
        /// discrete, so 5 against 5 asked for 0.95 gives 0.968); with the
        /// normal approximation, the requested one.
        package var confidence: Double
        /// Exact null distribution, or the normal approximation (see `exactPairLimit`).
        package var method: MannWhitney.Result.Method
    }

    /// The shift from `before` to `after` (both ascending) with its interval.
    ///
    /// Nil when either side is empty or holds a value that is not finite,
    /// when `confidence` is not strictly between 0 and 1, or when the
    /// samples are too small for any interval
    /// of that confidence: even the widest, from the smallest to the largest
    /// pairwise difference, covers less (3 against 3 reaches only 0.90, 2
    /// against 7 only 0.944; 4 against 4 is the smallest balanced design that
    /// reaches 0.95). Such a group has too few runs to bound a change, and a
    /// shift alone would look more certain than it is. (When every run on both
    /// sides has the same value, the answer is 0 in [0, 0] whatever the sizes.)
    ///
    /// Cost: all m·n differences are materialised (250,000 for 500 runs a
    /// side, 2 MB) and three order statistics are selected from them in linear
    /// expected time; the exact distribution costs O(min(m, n) · m·n / 2),
    /// within `exactPairLimit` pairs (under 1 ms at 50 against 50; 5 ms in all
    /// for 500 against 500).
    package static func shift(before: [Double], after: [Double], confidence: Double = 0.95) -> Estimate? {
        let m = before.count
        let n = after.count
        guard m > 0, n > 0, confidence > 0, confidence < 1 else { return nil }
        // NaN or ±∞ (the log of a zero) has no place among the differences.
        guard before.allSatisfy(\.isFinite), after.allSatisfy(\.isFinite) else { return nil }
        let pairs = m * n
        let halfAlpha = (1 - confidence) / 2
        let ties = tieTerm(before, after)
        let method: MannWhitney.Result.Method = ties == 0 && pairs <= exactPairLimit ? .exact : .normal
        // K: the interval is [D(K), D(mn - K + 1)] of the sorted differences
        // (1-based), c = K - 1 the largest U with P(U ≤ c) ≤ α/2.
        var k: Int
        var achieved = confidence
        switch method {
        case .exact:
            // A hair of tolerance so that an exact boundary (3 against 3 at 90%:
            // P(U = 0) = 0.05) is not lost to 1 - 0.9 rounding below 0.1.
            let bound = halfAlpha * (1 + 1e-9)
            let tails = exactLowerTails(m, n, through: pairs / 2)
            // P(U ≤ c) grows with c: the last c within α/2.
            guard let c = tails.lastIndex(where: { $0 <= bound }) else { return nil }
            k = c + 1
            achieved = 1 - 2 * tails[c]
        case .normal:
            // P(U ≤ c) ≈ Φ((c + ½ - mn/2) / σ), continuity-corrected as the
            // test is, with the variance reduced for ties.
            let total = Double(m + n)
            let variance = Double(pairs) / 12 * ((total + 1) - ties / (total * (total - 1)))
            guard variance > 0 else {
                // One value on both sides: every difference is 0, at any confidence.
                return Estimate(shift: 0, lower: 0, upper: 0, confidence: confidence, method: .normal)
            }
            let z = NormalDistribution.quantile(1 - halfAlpha)
            let c = (Double(pairs) / 2 - 0.5 - z * variance.squareRoot()).rounded(.down)
            guard c >= 0 else { return nil }
            k = Int(c) + 1
        }
        k = min(k, (pairs + 1) / 2)
        var differences = [Double]()
        differences.reserveCapacity(pairs)
        for a in after {
            for b in before { differences.append(a - b) }
        }
        // Ascending positions (0-based) so each selection can start where the
        // previous one left everything below it in place.
        let lower = Summary.select(&differences, k - 1)
        guard let median = Summary.quantile(&differences, 0.5, from: k - 1) else { return nil }
        let upper = Summary.select(&differences, pairs - k, low: (pairs - 1) / 2)
        return Estimate(shift: median, lower: lower, upper: upper, confidence: achieved, method: method)
    }

    /// The smallest shift, in the units of `spread` (a standard deviation of
    /// one run), that a two-sided rank test at `alpha` on `beforeCount` and
    /// `afterCount` runs finds with probability `power`.
    ///
    /// Noether's approximation for the Wilcoxon-Mann-Whitney test under
    /// normal noise: the t-test's (t₁₋α/₂ + t_power) · spread · √(1/m + 1/n),
    /// with Student's t on m + n - 2 degrees of freedom, divided by √(3/π),
    /// the square root of the rank test's asymptotic relative efficiency
    /// (0.955) against the t-test. Student's t rather than the normal's z
    /// because the groups are small: with z, 5 runs a side would get a shift
    /// that the test finds only 59% of the time. Simulated power at the
    /// returned shift (normal noise, SciPy's `mannwhitneyu`): 0.66 at 4 runs a
    /// side, 0.71 at 5, 0.75 at 6, 0.78 at 10, 0.79 at 20, 0.80 at 50 (U is
    /// coarse in small samples, so the power falls short of the asked one).
    ///
    /// With log-values and `spread` the standard deviation of log(run),
    /// exp(result) - 1 is the relative change below which a change is likely
    /// to go unseen: 5 runs a side with 5% run-to-run spread (α = 0.05, power
    /// 0.8) gives 0.103, "a change under 11% cannot be seen".
    ///
    /// +∞ when no outcome at all could be significant (3 against 3: the two
    /// most extreme orderings alone have p = 0.1) or a count is below 1; 0
    /// when the spread is 0.
    package static func smallestDetectableChange(
        beforeCount: Int, afterCount: Int, spread: Double, alpha: Double = 0.05, power: Double = 0.8
    ) -> Double {
        guard beforeCount > 0, afterCount > 0 else { return .infinity }
        // The most extreme of the C(m + n, m) orderings, either way.
        var orderings = 1.0
        for i in 1...min(beforeCount, afterCount) {
            orderings *= Double(max(beforeCount, afterCount) + i) / Double(i)
        }
        let freedom = Double(beforeCount + afterCount - 2)
        guard 2 / orderings <= alpha, freedom >= 1 else { return .infinity }
        let t = studentQuantile(1 - alpha / 2, freedom) + studentQuantile(power, freedom)
        let sizes = (1 / Double(beforeCount) + 1 / Double(afterCount)).squareRoot()
        let efficiency = (3 / Double.pi).squareRoot()
        return t * abs(spread) * sizes / efficiency
    }

    /// Student's t quantile from the normal one by the Cornish-Fisher
    /// expansion (Abramowitz and Stegun 26.7.5, terms to ν⁻⁴): within 0.03%
    /// of the exact quantile from 4 degrees of freedom for p up to 0.975,
    /// ample for a power estimate.
    static func studentQuantile(_ p: Double, _ freedom: Double) -> Double {
        let z = NormalDistribution.quantile(p)
        let z2 = z * z
        let terms = [
            (z2 + 1) * z / 4,
            ((5 * z2 + 16) * z2 + 3) * z / 96,
            (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384,
            ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160,
        ]
        var power = 1.0
        var t = z
        for term in terms {
            power *= freedom
            t += term / power
        }
        return t
    }

    /// P(U ≤ u) for u = 0 ... `limit`, samples of `m` and `n` values without
    /// ties, in one pass.
    ///
    /// The counts of U are the coefficients of the Gaussian binomial
    /// [m + n choose m]_q = Π over i = 1...min(m, n) of (1 - q^(max + i)) /
    /// (1 - q^i), as in `MannWhitney.exactLowerTail`; multiplying by
    /// (1 - q^j) and dividing by (1 - q^i) change a coefficient only from
    /// those of lower degree, so the product can be kept up to `limit` alone:
    /// half the work for the lower half of the distribution, and all of its
    /// tail probabilities at once instead of one per call.
    static func exactLowerTails(_ m: Int, _ n: Int, through limit: Int) -> [Double] {
        let small = min(m, n)
        let large = max(m, n)
        var counts = [Double](repeating: 0, count: limit + 1)
        counts[0] = 1
        var total = 1.0
        for i in stride(from: 1, through: small, by: 1) {
            let multiplier = large + i
            // × (1 - q^(large + i)), from the top so each term reads the old values.
            var u = limit
            while u >= multiplier {
                counts[u] -= counts[u - multiplier]
                u -= 1
            }
            // ÷ (1 - q^i): a running sum with stride i, from the bottom.
            u = i
            while u <= limit {
                counts[u] += counts[u - i]
                u += 1
            }
            // C(large + i, i), the number of orderings so far.
            total = total * Double(multiplier) / Double(i)
        }
        var running = 0.0
        return counts.map { count in
            running += count
            return running / total
        }
    }

    /// Σ(t³ - t) over the groups of equal values of the two ascending samples
    /// merged, as in `MannWhitney.test`: 0 when no value is tied.
    private static func tieTerm(_ before: [Double], _ after: [Double]) -> Double {
        var i = 0
        var j = 0
        var term = 0.0
        while i < before.count || j < after.count {
            let value = i < before.count && (j >= after.count || before[i] <= after[j]) ? before[i] : after[j]
            var t = 0
            while i < before.count && before[i] == value {
                t += 1
                i += 1
            }
            while j < after.count && after[j] == value {
                t += 1
                j += 1
            }
            if t > 1 { term += Double(t) * Double(t) * Double(t) - Double(t) }
        }
        return term
    }
}
