/// Exact order statistics of a large array by counting before selecting.
///
/// Quickselect's partition branches on every comparison, and on measured
/// values half of those branches are mispredicted: the median, p95 and
/// quartiles of a 100,000-run group took several milliseconds of each report
/// after one changed file. Here one pass counts the values into equal-width
/// buckets between the minimum and the maximum, a second gathers the few
/// buckets that hold the wanted ranks, and selection runs on those alone.
/// The bucket of a value never decreases as the value grows, so every value
/// in a lower bucket is smaller than every value in a higher one: the k-th
/// smallest is the (k minus the count below its bucket)-th smallest of its
/// bucket, exactly. When outliers crowd most values into the wanted
/// buckets, counting gains nothing and quickselect runs on the whole array,
/// as it did before: never much slower than it.
///
///     var values = tokensPerSecond
///     OrderStatistics.at([49_999, 50_000], of: &values)  // the two around the median
enum OrderStatistics {
    /// Below this many values quickselect is as fast as counting.
    static let countingThreshold = 4096
    static let buckets = 2048

    /// The values at `ranks` (0-based, each below `values.count`) in sorted
    /// order. `values` may be reordered. Values that are not finite (NaN,
    /// infinities) leave the counting to quickselect, which handles them as
    /// it always has.
    static func at(_ ranks: [Int], of values: inout [Double]) -> [Double] {
        guard values.count >= countingThreshold, let range = finiteRange(values), range.high > range.low else {
            return ranks.map { Summary.select(&values, $0) }
        }
        // A span too wide for a double, or too narrow to divide, is left to quickselect.
        let scale = Double(buckets) / (range.high - range.low)
        guard scale.isFinite, scale > 0 else { return ranks.map { Summary.select(&values, $0) } }
        func bucket(_ value: Double) -> Int { Swift.min(Int((value - range.low) * scale), buckets - 1) }
        var below = [Int](repeating: 0, count: buckets + 1)
        for value in values { below[bucket(value) + 1] += 1 }
        for index in 1...buckets { below[index] += below[index - 1] }
        // The bucket of each rank: the last whose count below is at most the rank.
        let wanted = ranks.map { rank in
            var low = 0
            var high = buckets - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if below[middle] <= rank { low = middle } else { high = middle - 1 }
            }
            return low
        }
        // Outliers crowded the values into few buckets: counting saved nothing.
        let crowded = Set(wanted).reduce(0) { $0 + below[$1 + 1] - below[$1] }
        guard crowded <= values.count / 8 else { return ranks.map { Summary.select(&values, $0) } }
        var slot = [Int](repeating: -1, count: buckets)
        var gathered: [[Double]] = []
        for index in wanted where slot[index] < 0 {
            slot[index] = gathered.count
            gathered.append([])
            gathered[gathered.count - 1].reserveCapacity(below[index + 1] - below[index])
        }
        for value in values {
            let index = slot[bucket(value)]
            if index >= 0 { gathered[index].append(value) }
        }
        return zip(ranks, wanted).map { rank, index in
            Summary.select(&gathered[slot[index]], rank - below[index])
        }
    }

    /// The smallest and largest value, nil when any value is not finite.
    private static func finiteRange(_ values: [Double]) -> (low: Double, high: Double)? {
        var low = Double.infinity
        var high = -Double.infinity
        var finite = true
        for value in values {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
            finite = finite && value.isFinite
        }
        return finite ? (low, high) : nil
    }
}
