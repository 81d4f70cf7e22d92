import Foundation
import Testing

@testable import Analysis

/// Reference values come from SciPy 1.17 (`scipy.stats.mannwhitneyu(after,
/// before)`, its defaults: two-sided, continuity correction, method "auto"),
/// run on the same lists; the small cases are also worked by hand below.
@Suite struct MannWhitneyTests {
    private func test(_ before: [Double], _ after: [Double]) throws -> MannWhitney.Result {
        try #require(MannWhitney.test(before: before.sorted(), after: after.sorted()))
    }

    private func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
        abs(a - b) <= relative * max(abs(a), abs(b), 1e-300)
    }

    /// Every run after is above every run before: U = 5 × 5 = 25, and of the
    /// C(10, 5) = 252 equally likely orderings only this one and its mirror
    /// are as extreme, so p = 2 / 252.
    @Test func completelySeparatedSamplesByHand() throws {
        let result = try test([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        #expect(result.u == 25)
        #expect(result.method == .exact && result.z == nil)
        #expect(close(result.pValue, 2.0 / 252))
        #expect(close(result.pValue, 0.007936507936507936))
        #expect(result.rankBiserial == 1)
        #expect(result.isSignificant)
    }

    /// after 2, 4, 6, 8, 10 beats 1, 2, 3, 4, 5 of the befores: U = 15.
    /// P(U ≤ 10) for 5 and 5 is 87/252 (orderings counted), so p = 174/252.
    @Test func interleavedSamplesByHand() throws {
        let result = try test([1, 3, 5, 7, 9], [2, 4, 6, 8, 10])
        #expect(result.u == 15)
        #expect(result.method == .exact)
        #expect(close(result.pValue, 174.0 / 252))
        #expect(close(result.pValue, 0.6904761904761905))
        #expect(close(result.rankBiserial, 0.2))
        #expect(!result.isSignificant)
    }

    /// Ties force the normal approximation. By hand: ranks of the 15 values
    /// are 1 | 2,3,4 → 3 | 5..9 → 7 | 10..12 → 11 | 13,14 → 13.5 | 15; the
    /// afters hold one 2, two 3s, two 4s, two 5s and the 6, so R = 81 and
    /// U = 81 - 8·9/2 = 45. Tie term Σ(t³ - t) = 24 + 120 + 24 + 6 = 174;
    /// σ² = 56/12 · (16 - 174/210) = 70.8; z = (45 - 28 - 0.5)/√70.8 = 1.9610;
    /// p = 0.04988: just significant, and a boundary case for how p is shown.
    @Test func tiesUseTheCorrectedNormalApproximation() throws {
        let result = try test([1, 2, 2, 3, 3, 3, 4], [2, 3, 3, 4, 4, 5, 5, 6])
        #expect(result.u == 45)
        #expect(result.method == .normal && result.hasTies)
        #expect(close(try #require(result.z), 16.5 / 70.8.squareRoot()))
        #expect(close(result.pValue, 0.04988443697992588, relative: 1e-7))
        #expect(result.isSignificant)
        #expect(Figures.pValue(result.pValue) == "0.0499", "rounding must not show 0.050 for a significant p")
    }

    @Test func tiedFormulaSamplesMatchSciPy() throws {
        // 60 and 70 values with 40 values shared between the lists.
        let before = (0..<60).map { Double(($0 * 37) % 101) / 10 }
        let after = (0..<70).map { Double(($0 * 53) % 97) / 10 + 0.5 }
        let result = try test(before, after)
        #expect(result.u == 2185)
        #expect(result.method == .normal)
        #expect(close(result.pValue, 0.693102109486446, relative: 1e-7))
    }

    @Test func exactWhenOneSideIsSmallAndNothingTies() throws {
        let before = (0..<6).map { Double(($0 * 7919) % 1009) }
        let after = (0..<40).map { Double(($0 * 7907) % 1013) + 0.25 }
        let result = try test(before, after)
        #expect(result.u == 134)
        #expect(result.method == .exact)
        #expect(close(result.pValue, 0.6674658707507852, relative: 1e-9))
        // Eight against five hundred: the largest exact case a report meets.
        let eight = (0..<8).map { Double(($0 * 7919) % 1009) + 0.5 }
        let many = (0..<500).map { Double(($0 * 7907) % 1013) }
        let large = try test(eight, many)
        #expect(large.u == 2148 && large.method == .exact)
        #expect(close(large.pValue, 0.725148236360322, relative: 1e-9))
        let shifted = try test((0..<8).map(Double.init), (0..<500).map { Double($0) + 3.5 })
        #expect(shifted.u == 3990)
        #expect(close(shifted.pValue, 2.6135805913922607e-15, relative: 1e-6))
    }

    @Test func fiveHundredAgainstFiveHundredMatchesSciPy() throws {
        let before = (0..<500).map { 100 + Double(($0 * 7919) % 1009) / 100 }
        let after = (0..<500).map { 99.5 + Double(($0 * 7907) % 1013) / 100 }
        let result = try test(before, after)
        #expect(result.u == 114901)
        #expect(result.method == .normal)
        #expect(close(result.pValue, 0.027010456770952998, relative: 1e-7))
        #expect(try #require(result.z) < 0, "the afters are lower")
        #expect(result.rankBiserial < 0)
    }

    @Test func theExactDistributionSumsToOneAndIsSymmetric() {
        for (n1, n2) in [(1, 1), (3, 4), (5, 5), (8, 20), (2, 500)] {
            let pairs = n1 * n2
            #expect(abs(MannWhitney.exactLowerTail(pairs, n1, n2) - 1) < 1e-12)
            for k in 0..<pairs {
                // P(U ≤ k) = P(U ≥ pairs - k) = 1 - P(U ≤ pairs - k - 1)
                let lower = MannWhitney.exactLowerTail(k, n1, n2)
                let mirrored = 1 - MannWhitney.exactLowerTail(pairs - k - 1, n1, n2)
                #expect(abs(lower - mirrored) < 1e-12, "\(n1)×\(n2) at \(k)")
            }
        }
        // 3 and 4: C(7, 3) = 35 orderings, one with U = 0 and one with U = 1.
        #expect(abs(MannWhitney.exactLowerTail(1, 3, 4) - 2.0 / 35) < 1e-15)
    }

    @Test func identicalSamplesAreNoEvidence() throws {
        let values = (0..<50).map { Double($0 % 7) }
        let result = try test(values, values)
        #expect(result.u == 1250 && result.pValue == 1 && result.rankBiserial == 0)
        let constant = try test([3, 3, 3, 3, 3], [3, 3, 3, 3, 3, 3])
        #expect(constant.pValue == 1)
        #expect(MannWhitney.test(before: [], after: [1]) == nil)
    }

    @Test func pValuesAreShownWithTheirVerdict() {
        #expect(Figures.pValue(0.0004) == "< 0.001")
        #expect(Figures.pClause(0.0004) == "p < 0.001")
        #expect(Figures.pValue(0.003) == "0.003")
        #expect(Figures.pClause(0.0031) == "p = 0.003")
        #expect(Figures.pValue(0.41) == "0.41")
        #expect(Figures.pValue(0.049) == "0.049")
        #expect(Figures.pValue(0.0504) == "0.050")
        #expect(Figures.pValue(0.04996) == "0.04996")
        #expect(Figures.pValue(1) == "1.00")
    }
}
