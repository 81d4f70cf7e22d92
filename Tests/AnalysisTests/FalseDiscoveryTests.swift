import Testing

@testable import Analysis

/// Reference values come from SciPy 1.17 (`scipy.stats.false_discovery_control(p,
/// method='bh')`, equal to statsmodels' `multipletests(p, method='fdr_bh')`).
@Suite struct FalseDiscoveryTests {
    private func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= 1e-15 }
    }

    /// m = 4, ascending 0.01, 0.03, 0.04, 0.2 give p·m/rank 0.04, 0.06,
    /// 0.0533…, 0.2; the running minimum from the top lowers 0.06 to 0.0533….
    @Test func adjustsByHandInTheInputOrder() {
        let q = FalseDiscovery.benjaminiHochberg([0.01, 0.04, 0.03, 0.2])
        #expect(close(q, [0.04, 0.16 / 3, 0.16 / 3, 0.2]))
    }

    @Test func matchesSciPy() {
        let p = [
            0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216, 0.222, 0.251, 0.269, 0.275, 0.34, 0.341,
            0.384, 0.569, 0.594, 0.696, 0.762, 0.94, 0.942, 0.975, 0.986,
        ]
        let expected = [
            0.025, 0.1, 0.21000000000000002, 0.21000000000000002, 0.21000000000000002, 0.25, 0.2642857142857143,
            0.49107142857142866, 0.49107142857142866, 0.49107142857142866, 0.49107142857142866, 0.49107142857142866,
            0.49107142857142866, 0.49107142857142866, 0.5328125, 0.5328125, 0.5647058823529413, 0.781578947368421,
            0.781578947368421, 0.8699999999999999, 0.9071428571428571, 0.986, 0.986, 0.986, 0.986,
        ]
        #expect(close(FalseDiscovery.benjaminiHochberg(p), expected))
        // Reversed input: the same q-values, reversed.
        #expect(close(FalseDiscovery.benjaminiHochberg(p.reversed()), expected.reversed()))
    }

    /// q is at least p, at most 1, ordered as p is, and tied p share one q.
    @Test func qValuesAreMonotoneAndCapped() {
        var state: UInt64 = 12345
        for size in [1, 2, 3, 10, 100, 1000] {
            let p = (0..<size).map { _ -> Double in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let u = Double(state >> 11) / 9_007_199_254_740_992
                return (u * u * u * 1000).rounded() / 1000
            }
            let q = FalseDiscovery.benjaminiHochberg(p)
            #expect(p.indices.allSatisfy { q[$0] >= p[$0] && q[$0] <= 1 })
            let order = p.indices.sorted { p[$0] < p[$1] }
            for (i, j) in zip(order, order.dropFirst()) {
                #expect(p[i] == p[j] ? q[i] == q[j] : q[i] <= q[j], "monotone")
            }
        }
    }

    @Test func nanIsNotCountedAndStaysNaN() {
        let q = FalseDiscovery.benjaminiHochberg([0.01, .nan, 0.04, 0.03, .nan, 0.2])
        #expect(q[1].isNaN && q[4].isNaN)
        #expect(close([q[0], q[2], q[3], q[5]], [0.04, 0.16 / 3, 0.16 / 3, 0.2]))
        #expect(FalseDiscovery.benjaminiHochberg([]).isEmpty)
        #expect(FalseDiscovery.benjaminiHochberg([.nan]).first?.isNaN == true)
        #expect(FalseDiscovery.benjaminiHochberg([0.03]) == [0.03])
    }
}
