import Testing

@testable import Analysis

@Suite struct SummaryTests {
    /// The textbook definition, on a sorted copy: what selection must agree with.
    private func reference(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        // At a rank itself, that value: interpolating from -1e308 to 1e308
        // by nothing is infinity times zero (the "spans beyond a double's
        // range" shape drew it about once in a hundred runs).
        guard position > Double(lower) else { return sorted[lower] }
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    /// Values near a double's limit (a run file's 1e308 tok/s): the mean
    /// and spread are still figures, not "cannot exist" (their plain sums overflow).
    @Test func valuesNearTheLimitKeepAMeanAndASpread() throws {
        let s = Summary([1e308, 1.5e308, 1.7e308])
        let mean = try #require(s.mean)
        let stddev = try #require(s.stddev)
        #expect(abs(mean / 1.4e308 - 1) < 1e-12, "\(mean)")
        // sqrt(((-0.4)^2 + 0.1^2 + 0.3^2) / 2) = sqrt(0.13) of 1e308.
        #expect(abs(stddev / (0.13.squareRoot() * 1e308) - 1) < 1e-12, "\(stddev)")
        #expect(Summary([1e308, -1e308]).mean == 0)
        // Ordinary values keep the plain sums, bit for bit.
        #expect(Summary([10, 40, 20, 30]).stddev == (500.0 / 3).squareRoot())
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

    /// Above `OrderStatistics.countingThreshold` the ranks are found by counting
    /// into buckets first: every shape that crowds or spreads the buckets must
    /// still give exactly what sorting gives.
    @Test func countingAgreesWithSortingOnLargeArrays() {
        var generator = SystemRandomNumberGenerator()
        let size = OrderStatistics.countingThreshold * 3 + 7
        let shapes: [(String, () -> Double)] = [
            ("continuous", { Double.random(in: 50...100, using: &generator) }),
            ("few distinct", { Double(Int.random(in: 0..<5, using: &generator)) * 0.001 }),
            ("negative and positive", { Double.random(in: -1e6...1e6, using: &generator) }),
            // One bucket holds nearly everything: counted again within it.
            ("one far outlier", { Int.random(in: 0..<size, using: &generator) == 0 ? 1e12 : Double.random(in: 0...1, using: &generator) }),
            ("spans beyond a double's range", { Bool.random(using: &generator) ? -1e308 : 1e308 }),
            ("tiny spread", { 1 + Double(Int.random(in: 0..<3, using: &generator)) * Double.ulpOfOne }),
        ]
        for (name, draw) in shapes {
            for _ in 0..<3 {
                let values = (0..<size).map { _ in draw() }
                var summarised = values
                let s = Summary(&summarised)
                #expect(s.median == reference(values, 0.5), "\(name)")
                #expect(s.p95 == reference(values, 0.95), "\(name)")
                var quartiled = values
                let quartiles = Summary.quantiles(&quartiled, [0.25, 0.75])
                #expect(quartiles == [reference(values, 0.25), reference(values, 0.75)], "\(name)")
                #expect(summarised.sorted() == values.sorted(), "\(name): the values are only reordered")
                var ranked = values
                let sorted = values.sorted()
                let ranks = [0, 1, size / 3, size / 2, size - 2, size - 1]
                #expect(OrderStatistics.at(ranks, of: &ranked) == ranks.map { sorted[$0] }, "\(name)")
            }
        }
    }

    /// A value that is not finite leaves the counting to quickselect, which
    /// neither traps nor loses the finite figures' order.
    @Test func countingStepsAsideForValuesThatAreNotFinite() {
        var values = (0..<(OrderStatistics.countingThreshold * 2)).map { Double($0) }
        values[17] = .infinity
        let sorted = values.sorted()
        var ranked = values
        #expect(OrderStatistics.at([0, 100, values.count - 1], of: &ranked) == [sorted[0], sorted[100], .infinity])
    }
}
