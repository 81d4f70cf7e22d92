/// Descriptive statistics of one metric over a set of runs.
///
/// `p95` and `median` interpolate linearly between order statistics (the
/// definition numpy and most spreadsheets use by default); `stddev` is the
/// sample standard deviation, absent below two values.
package struct Summary: Sendable, Equatable, Codable {
    package var n: Int
    package var mean: Double?
    package var median: Double?
    package var p95: Double?
    package var min: Double?
    package var max: Double?
    package var stddev: Double?

    package static let empty = Summary(n: 0, mean: nil, median: nil, p95: nil, min: nil, max: nil, stddev: nil)

    package init(n: Int, mean: Double?, median: Double?, p95: Double?, min: Double?, max: Double?, stddev: Double?) {
        self.n = n
        self.mean = mean
        self.median = median
        self.p95 = p95
        self.min = min
        self.max = max
        self.stddev = stddev
    }

    /// Summarises `values`, reordering them in place (selection, not a full sort,
    /// so a group of 100,000 runs costs linear time).
    package init(_ values: inout [Double]) {
        let n = values.count
        guard n > 0 else {
            self = .empty
            return
        }
        var sum = 0.0
        var low = values[0]
        var high = values[0]
        for value in values {
            sum += value
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        var mean = sum / Double(n)
        var squares = 0.0
        for value in values { squares += (value - mean) * (value - mean) }
        var stddev = n > 1 ? (squares / Double(n - 1)).squareRoot() : nil
        if !mean.isFinite || stddev.map({ !$0.isFinite }) == true, low.isFinite, high.isFinite {
            (mean, stddev) = Summary.scaledMoments(values, scale: Swift.max(abs(low), abs(high)))
        }
        let quantiles = Summary.quantiles(&values, [0.5, 0.95])
        let (median, p95) = (quantiles[0], quantiles[1])
        self.init(n: n, mean: mean, median: median, p95: p95, min: low, max: high, stddev: stddev)
    }

    /// The mean and sample standard deviation of finite values whose sum or
    /// squares pass a double's range (1e308 twice): computed on the values
    /// divided by `scale` (the largest magnitude), then scaled back. Only
    /// then: elsewhere the plain sums are kept, as pandas computes them.
    private static func scaledMoments(_ values: [Double], scale: Double) -> (mean: Double, stddev: Double?) {
        guard scale > 0 else { return (0, values.count > 1 ? 0 : nil) }
        var sum = 0.0
        for value in values { sum += value / scale }
        let mean = sum / Double(values.count)
        var squares = 0.0
        for value in values { squares += (value / scale - mean) * (value / scale - mean) }
        let stddev = values.count > 1 ? (squares / Double(values.count - 1)).squareRoot() * scale : nil
        return (mean * scale, stddev.flatMap { $0.isFinite ? $0 : nil })
    }

    package init(_ values: [Double]) {
        var copy = values
        self.init(&copy)
    }

    /// The order statistic a `q` quantile of `count` values interpolates
    /// from (the lower of the two): where its selection leaves the values split.
    package static func lowerPosition(_ q: Double, count: Int) -> Int {
        Int((q * Double(Swift.max(count - 1, 0))).rounded(.down))
    }

    /// Linear-interpolated quantiles (type 7) of `values` (not empty), by
    /// counting then selecting (`OrderStatistics`); `values` may be reordered.
    package static func quantiles(_ values: inout [Double], _ qs: [Double]) -> [Double] {
        guard !values.isEmpty else { return qs.map { _ in .nan } }
        let positions = qs.map { q in (lower: lowerPosition(q, count: values.count), at: q * Double(values.count - 1)) }
        let ranks = positions.flatMap { [$0.lower, Swift.min($0.lower + 1, values.count - 1)] }
        let statistics = OrderStatistics.at(ranks, of: &values)
        return positions.indices.map { index in
            let (a, b) = (statistics[2 * index], statistics[2 * index + 1])
            let fraction = positions[index].at - Double(positions[index].lower)
            return fraction > 0 ? a + (b - a) * fraction : a
        }
    }

    /// Linear-interpolated quantile (type 7) by selection.
    /// - Parameter from: a position below which every value is known to be no
    ///   larger than the rest (a previous selection); the search starts there.
    package static func quantile(_ values: inout [Double], _ q: Double, from: Int = 0) -> Double? {
        guard !values.isEmpty else { return nil }
        let position = q * Double(values.count - 1)
        let lower = lowerPosition(q, count: values.count)
        let fraction = position - Double(lower)
        let a = select(&values, lower, low: Swift.min(from, lower))
        guard fraction > 0, lower + 1 < values.count else { return a }
        // After selecting `lower`, the next order statistic is the minimum above it.
        var b = Double.infinity
        for index in (lower + 1)..<values.count { b = Swift.min(b, values[index]) }
        return a + (b - a) * fraction
    }

    /// The k-th smallest value (0-based); partially reorders `values` (Hoare
    /// quickselect with median-of-three pivots).
    static func select(_ values: inout [Double], _ k: Int, low start: Int = 0) -> Double {
        // On the raw buffer: an array's per-access uniqueness and bounds checks
        // cost more than the partitioning itself on a 100,000-run group.
        values.withUnsafeMutableBufferPointer { v in
            var low = start
            var high = v.count - 1
            while low < high {
                let middle = low + (high - low) / 2
                if v[middle] < v[low] { v.swapAt(middle, low) }
                if v[high] < v[low] { v.swapAt(high, low) }
                if v[high] < v[middle] { v.swapAt(high, middle) }
                let pivot = v[middle]
                var i = low
                var j = high
                while i <= j {
                    while v[i] < pivot { i += 1 }
                    while v[j] > pivot { j -= 1 }
                    if i <= j {
                        v.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                if k <= j {
                    high = j
                } else if k >= i {
                    low = i
                } else {
                    return v[k]
                }
            }
            return v[k]
        }
    }
}
