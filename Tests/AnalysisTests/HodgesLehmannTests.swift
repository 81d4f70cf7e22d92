import Foundation
import Testing

@testable import Analysis

/// Reference values come from SciPy 1.17 and NumPy: the median of the brute-force
/// pairwise differences, and K from `scipy.stats._mannwhitneyu._MWU(m, n).cdf`
/// (exact) or `scipy.stats.norm.ppf` with the tie-corrected variance (normal),
/// computed on the same lists (the harness in /tmp/stats-check/compare.py).
@Suite struct HodgesLehmannTests {
    private func estimate(_ before: [Double], _ after: [Double], confidence: Double = 0.95) throws -> HodgesLehmann.Estimate {
        try #require(HodgesLehmann.shift(before: before.sorted(), after: after.sorted(), confidence: confidence))
    }

    private func close(_ a: Double, _ b: Double, relative: Double = 1e-12) -> Bool {
        abs(a - b) <= relative * max(abs(a), abs(b), 1e-300)
    }

    /// Differences of 6...10 and 1...5 run from 1 to 9, the value k (5 - |k - 5|)
    /// times: the 13th of 25 is 5. For 5 and 5, P(U ≤ 2) = 4/252 ≤ 0.025 <
    /// P(U ≤ 3) = 7/252, so K = 3: the 3rd smallest (2) and 3rd largest (8),
    /// covering 1 - 8/252.
    @Test func separatedSamplesByHand() throws {
        let result = try estimate([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        #expect(result.shift == 5 && result.lower == 2 && result.upper == 8)
        #expect(close(result.confidence, 1 - 8.0 / 252))
        #expect(result.method == .exact)
    }

    /// 3 against 3: P(U = 0) = 1/20 exactly half of 10%, so 90% is reachable
    /// (the full range of differences) and 95% is not.
    @Test func tooFewRunsForTheConfidenceGiveNil() throws {
        let ninety = try estimate([1, 2, 3], [4, 5, 6], confidence: 0.9)
        #expect(ninety.shift == 3 && ninety.lower == 1 && ninety.upper == 5 && close(ninety.confidence, 0.9))
        #expect(HodgesLehmann.shift(before: [1, 2, 3], after: [4, 5, 6]) == nil)
        #expect(HodgesLehmann.shift(before: [1, 2], after: [3, 4, 5, 6, 7, 8, 9]) == nil)
        #expect(HodgesLehmann.shift(before: [1, 2, 3, 4], after: [5, 6, 7, 8]) != nil)
        #expect(HodgesLehmann.shift(before: [], after: [1, 2, 3]) == nil)
        #expect(HodgesLehmann.shift(before: [1, 2, 3, 4, 5], after: [1, 2, 3, 4, 5], confidence: 1) == nil)
        #expect(HodgesLehmann.shift(before: [1, 2, 3, 4, 5], after: [1, 2, 3, 4, 5], confidence: 0) == nil)
    }

    @Test func oneValueEverywhereIsNoShiftAtAnyConfidence() throws {
        let result = try estimate([3, 3, 3, 3, 3], [3, 3, 3, 3, 3, 3])
        #expect(result.shift == 0 && result.lower == 0 && result.upper == 0)
    }

    @Test func exactIntervalsMatchSciPy() throws {
        let before = (0..<12).map { Double(($0 * 37) % 101) / 10 }
        let after = (0..<15).map { Double(($0 * 53) % 97) / 10 + 0.05 }
        let result = try estimate(before, after)
        #expect(result.method == .exact)
        #expect(close(result.shift, -0.20000000000000018))
        #expect(close(result.lower, -2.8500000000000005) && close(result.upper, 2.45))
        #expect(close(result.confidence, 0.953133653860535, relative: 1e-10))
        let wide = try estimate(before, after, confidence: 0.99)
        #expect(close(wide.lower, -3.7500000000000004) && close(wide.upper, 3.4499999999999993))
        #expect(close(wide.confidence, 0.9912903118179737, relative: 1e-10))
        // 6 against 400: 2,400 pairs, the largest exact design of this shape.
        let few = (0..<6).map { Double(($0 * 7919) % 1009) + 0.5 }
        let many = (0..<400).map { Double(($0 * 7907) % 1013) }
        let lopsided = try estimate(few, many)
        #expect(lopsided.method == .exact)
        #expect(lopsided.shift == 55 && lopsided.lower == -216.5 && lopsided.upper == 314.5)
        #expect(close(lopsided.confidence, 0.9501613344471556, relative: 1e-10))
    }

    @Test func normalApproximationMatchesSciPy() throws {
        let before = (0..<60).map { Double(($0 * 37) % 101) / 10 }
        let untied = try estimate(before, (0..<70).map { Double(($0 * 53) % 97) / 10 + 0.05 })
        #expect(untied.method == .normal && untied.confidence == 0.95)
        #expect(close(untied.shift, -0.25))
        #expect(close(untied.lower, -1.2500000000000009) && close(untied.upper, 0.7500000000000001))
        // 40 values shared between the lists: the tie-corrected variance.
        let tied = try estimate(before, (0..<70).map { Double(($0 * 53) % 97) / 10 + 0.5 })
        #expect(close(tied.shift, 0.20000000000000018))
        #expect(close(tied.lower, -0.8000000000000007) && close(tied.upper, 1.2000000000000002))
        // 500 against 500: 250,000 differences.
        let large = try estimate(
            (0..<500).map { 100 + Double(($0 * 7919) % 1009) / 100 }, (0..<500).map { 99.5 + Double(($0 * 7907) % 1013) / 100 })
        #expect(close(large.shift, -0.4199999999999946, relative: 1e-9))
        #expect(close(large.lower, -0.789999999999992, relative: 1e-9))
        #expect(close(large.upper, -0.04999999999999716, relative: 1e-9))
    }

    /// Shifting every run after by d shifts the estimate and its ends by d;
    /// swapping the sides negates and mirrors them. Values are multiples of
    /// 1/8 so every difference is exact.
    @Test func theEstimateMovesWithTheData() throws {
        var noise = Noise(seed: 11)
        for size in [(4, 4), (5, 9), (7, 7), (30, 45), (80, 60)] {
            let before = (0..<size.0).map { _ in (noise.gaussian() * 80).rounded() / 8 }.sorted()
            let after = (0..<size.1).map { _ in (noise.gaussian() * 80).rounded() / 8 + 1 }.sorted()
            let base = try estimate(before, after)
            #expect(base.lower <= base.shift && base.shift <= base.upper)
            let moved = try estimate(before, after.map { $0 + 2.5 })
            #expect(moved.shift == base.shift + 2.5 && moved.lower == base.lower + 2.5 && moved.upper == base.upper + 2.5)
            let swapped = try estimate(after, before)
            #expect(swapped.shift == -base.shift && swapped.lower == -base.upper && swapped.upper == -base.lower)
        }
    }

    /// The interval covers the true shift at least as often as it claims:
    /// exactly its achieved confidence when exact (0.968 for 5 and 5, 0.950
    /// for 6 and 9), about the requested one with the normal approximation
    /// (60 and 60). 1,000 tries each: one standard deviation of the measured
    /// coverage is 0.007, and the bar is 0.925.
    @Test func intervalsCoverTheTrueShift() throws {
        var noise = Noise(seed: 12)
        for (m, n) in [(5, 5), (6, 9), (60, 60)] {
            var covered = 0
            let tries = 1000
            for _ in 0..<tries {
                let before = (0..<m).map { _ in noise.gaussian() }.sorted()
                let after = (0..<n).map { _ in noise.gaussian() + 0.7 }.sorted()
                let result = try estimate(before, after)
                #expect(result.method == (m * n <= HodgesLehmann.exactPairLimit ? .exact : .normal))
                if result.lower <= 0.7 && 0.7 <= result.upper { covered += 1 }
            }
            #expect(Double(covered) / Double(tries) >= 0.925, "\(m)×\(n): \(covered)/\(tries)")
        }
    }

    /// The one-pass lower half of the null distribution agrees with
    /// `MannWhitney.exactLowerTail`, probability by probability.
    @Test func theLowerTailsAgreeWithTheTest() {
        for (m, n) in [(1, 1), (2, 7), (3, 4), (5, 5), (8, 20), (12, 15), (50, 50), (6, 400)] {
            let limit = m * n / 2
            let tails = HodgesLehmann.exactLowerTails(m, n, through: limit)
            #expect(tails.count == limit + 1)
            for u in Set([0, 1, limit / 4, limit / 2, limit].filter { $0 <= limit }) {
                let reference = MannWhitney.exactLowerTail(u, m, n)
                #expect(abs(tails[u] - reference) <= 1e-12 * reference, "\(m)×\(n) at \(u)")
            }
        }
        // 3 and 4: C(7, 3) = 35 orderings, one with U = 0 and one with U = 1.
        #expect(abs(HodgesLehmann.exactLowerTails(3, 4, through: 6)[1] - 2.0 / 35) < 1e-15)
    }

    /// Reference: SciPy's (t.ppf(0.975, m + n - 2) + t.ppf(0.8, m + n - 2))
    /// · √(1/m + 1/n) / √(3/π).
    @Test func smallestDetectableChange() {
        let five = HodgesLehmann.smallestDetectableChange(beforeCount: 5, afterCount: 5, spread: 0.05)
        #expect(close(five, 0.10338813840780986, relative: 1e-4))
        let twenty = HodgesLehmann.smallestDetectableChange(beforeCount: 20, afterCount: 20, spread: 1)
        #expect(close(twenty, 0.9305491103594599, relative: 1e-4))
        #expect(HodgesLehmann.smallestDetectableChange(beforeCount: 3, afterCount: 3, spread: 1) == .infinity)
        #expect(HodgesLehmann.smallestDetectableChange(beforeCount: 0, afterCount: 9, spread: 1) == .infinity)
        #expect(HodgesLehmann.smallestDetectableChange(beforeCount: 5, afterCount: 5, spread: 0) == 0)
        var previous = Double.infinity
        for runs in 4...60 {
            let change = HodgesLehmann.smallestDetectableChange(beforeCount: runs, afterCount: runs, spread: 1)
            #expect(change < previous, "more runs see smaller changes")
            previous = change
        }
    }
}

@Suite struct NormalDistributionTests {
    /// Reference: `scipy.special.ndtri` and `ndtr`.
    @Test func quantilesMatchSciPy() {
        let reference: [(Double, Double)] = [
            (1e-300, -37.0470962993612), (1e-10, -6.361340902404056), (0.001, -3.090232306167813),
            (0.025, -1.9599639845400545), (0.1, -1.2815515655446004), (0.5, 0), (0.8, 0.8416212335729143),
            (0.975, 1.959963984540054), (0.999999, 4.753424308817087),
        ]
        for (p, z) in reference {
            #expect(abs(NormalDistribution.quantile(p) - z) <= 1e-14 * max(abs(z), 1), "p = \(p)")
        }
        #expect(NormalDistribution.quantile(0) == -.infinity && NormalDistribution.quantile(1) == .infinity)
        #expect(NormalDistribution.quantile(1.5).isNaN && NormalDistribution.quantile(.nan).isNaN)
    }

    @Test func cdfMatchesSciPyAndInvertsTheQuantile() {
        let reference: [(Double, Double)] = [
            (-30, 4.906713927147908e-198), (-5, 2.866515718791933e-07), (0, 0.5), (1, 0.8413447460685429),
            (3, 0.9986501019683699),
        ]
        for (x, p) in reference {
            #expect(abs(NormalDistribution.cdf(x) - p) <= 1e-12 * p, "x = \(x)")
        }
        for p in stride(from: 0.001, to: 1, by: 0.001) {
            #expect(abs(NormalDistribution.cdf(NormalDistribution.quantile(p)) - p) <= 1e-14)
            #expect(abs(NormalDistribution.quantile(p) + NormalDistribution.quantile(1 - p)) <= 1e-12)
        }
    }
}

/// Gaussian noise from a fixed-seed SplitMix64 (Box-Muller): the same draws on
/// every run and platform.
private struct Noise {
    private var generator: ChangePoints.SplitMix64

    init(seed: UInt64) { generator = ChangePoints.SplitMix64(seed: seed) }

    private mutating func uniform() -> Double { (Double(generator.next() >> 11) + 0.5) / 9_007_199_254_740_992 }

    mutating func gaussian() -> Double {
        let u = uniform()
        let v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}
