import Testing

@testable import Analysis

@Suite struct SummaryTests {
    /// The textbook definition, on a sorted copy: what selection must agree with.
    private func reference(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    @Test func matchesHandComputedFigures() {
        let s = Summary([10, 40, 20, 30])
        #expect(s.n == 4)
        #expect(s.mean == 25)
        #expect(s.median == 25)
        #expect(s.p95 == 38.5)
        #expect(s.min == 10 && s.max == 40)
        #expect(abs((s.stddev ?? 0) - 12.909944487358056) < 1e-12)
    }

    @Test func singleValueHasNoSpread() {
        let s = Summary([7])
        #expect(s.median == 7 && s.p95 == 7 && s.stddev == nil)
    }

    @Test func emptyHasNothing() {
        #expect(Summary([]) == .empty)
    }

    @Test func selectionAgreesWithSortingOnRandomData() {
        var generator = SystemRandomNumberGenerator()
        for size in [1, 2, 3, 5, 10, 99, 100, 1001, 4096] {
            for _ in 0..<20 {
                // Few distinct values exercise duplicates around the pivot.
                let distinct = Int.random(in: 1...max(1, size), using: &generator)
                let values = (0..<size).map { _ in Double(Int.random(in: 0..<distinct, using: &generator)) * 0.5 }
                let s = Summary(values)
                #expect(s.median == reference(values, 0.5), "size \(size)")
                #expect(s.p95 == reference(values, 0.95), "size \(size)")
            }
        }
    }

    /// A session's quartiles, each selection starting above the last.
    @Test func sessionQuartilesAgreeWithSortingOnRandomData() {
        var generator = SystemRandomNumberGenerator()
        for size in [1, 2, 3, 4, 5, 7, 10, 40, 250, 1001] {
            for _ in 0..<20 {
                let distinct = Int.random(in: 1...max(1, size), using: &generator)
                var values = (0..<size).map { _ in Double(Int.random(in: 0..<distinct, using: &generator)) * 0.25 }
                let original = values
                let figures = SessionFigures(&values)
                #expect(figures.n == size)
                // The values in the message: the data is random, a failure must be reproducible.
                #expect(figures.lowerQuartile == reference(original, 0.25), "\(original)")
                #expect(figures.median == reference(original, 0.5), "\(original)")
                #expect(figures.upperQuartile == reference(original, 0.75), "\(original)")
            }
        }
    }
}
