import Foundation

/// Student's t distribution, for intervals whose spread is itself estimated
/// from a handful of runs.
///
/// `HodgesLehmann.studentQuantile` (Cornish-Fisher) is fine for power at
/// central probabilities; a sweep's best of 36 configurations needs the
/// quantile at 0.9993 with as few as 4 degrees of freedom, where that
/// expansion is off by a third. This one inverts the exact CDF.
package enum StudentDistribution {
    /// P(T ≤ t) with `freedom` degrees of freedom (any positive real).
    package static func cdf(_ t: Double, freedom: Double) -> Double {
        guard freedom > 0, !t.isNaN else { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let x = freedom / (freedom + t * t)
        let tail = 0.5 * regularizedBeta(x, freedom / 2, 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = p, by bisection on the exact tail (to about
    /// 1e-12 relative): NaN outside (0, 1) or for a freedom that is not positive.
    package static func quantile(_ p: Double, freedom: Double) -> Double {
        guard freedom > 0, p > 0, p < 1 else { return .nan }
        if p == 0.5 { return 0 }
        let tail = min(p, 1 - p)
        // 0.5·I_x(ν/2, 1/2) grows with x = ν/(ν + t²) from 0 (t = ∞) to 0.5 (t = 0).
        var low = 0.0
        var high = 1.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if 0.5 * regularizedBeta(middle, freedom / 2, 0.5) < tail { low = middle } else { high = middle }
            if high - low <= 1e-15 * high { break }
        }
        let x = (low + high) / 2
        let t = (freedom * (1 - x) / x).squareRoot()
        return p < 0.5 ? -t : t
    }

    /// The two-sided quantile that holds for `comparisons` at once (Šidák):
    /// each comparison at 1 - (1 - confidence)^(1/comparisons), so the chance
    /// that any one of them strays is 1 - confidence when they are independent,
    /// and at most that when they are positively correlated.
    package static func simultaneousQuantile(confidence: Double, comparisons: Int, freedom: Double) -> Double {
        let each = pow(confidence, 1 / Double(max(comparisons, 1)))
        return quantile(1 - (1 - each) / 2, freedom: freedom)
    }

    /// I_x(a, b), by the continued fraction of Numerical Recipes (6.4),
    /// evaluated where it converges fast and mirrored elsewhere.
    static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a) + lgamma(b) - lgamma(a + b)
        let logPowers: Double = a * log(x) + b * log(1 - x)
        let logFront = logPowers - logBeta
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * continuedFraction(x, a, b) / a
        }
        return 1 - exp(logFront) * continuedFraction(1 - x, b, a) / b
    }

    /// The continued fraction of I_x(a, b) by the modified Lentz method.
    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...300 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d
            if abs(d) < tiny { d = tiny }
            c = 1 + even / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d
            if abs(d) < tiny { d = tiny }
            c = 1 + odd / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            result *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return result
    }
}
