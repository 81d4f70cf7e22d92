import Foundation

extension Sample {
    /// The `q` quantile of the runs behind several groups' samples taken
    /// together: what a table that pools configurations shows without the
    /// runs themselves (a cached group keeps its sample, not its values).
    ///
    /// While every sample holds all its group's runs (at most `capacity`),
    /// this is the type 7 quantile of the pooled values, exact up to the
    /// single precision samples keep. Beyond that each sampled value stands for
    /// `population / count` runs, and the quantile is the first value whose
    /// cumulative weight reaches `q` of the total: a group of 100,000 runs
    /// counts for its runs, not for its 500 sampled values.
    package static func pooledQuantile(_ samples: [Sample], _ q: Double) -> Double? {
        let filled = samples.filter { $0.count > 0 }
        guard !filled.isEmpty else { return nil }
        if filled.allSatisfy({ $0.count == $0.population }) {
            var values = filled.flatMap(\.values)
            return Summary.quantile(&values, q).map(Sample.atSevenDigits)
        }
        var weighted: [(value: Double, weight: Double)] = []
        weighted.reserveCapacity(filled.reduce(0) { $0 + $1.count })
        for sample in filled {
            let weight = Double(sample.population) / Double(sample.count)
            for value in sample.values { weighted.append((value, weight)) }
        }
        weighted.sort { $0.value < $1.value }
        let target = q * weighted.reduce(0) { $0 + $1.weight }
        var cumulative = 0.0
        for item in weighted {
            cumulative += item.weight
            if cumulative >= target { return Sample.atSevenDigits(item.value) }
        }
        return weighted.last.map { Sample.atSevenDigits($0.value) }
    }

    /// A figure of single-precision values to the 7 significant digits they
    /// hold (`18.3155`, not `18.315500259399414`): report.json shows what the
    /// sample knows, not the binary noise of its rounding.
    static func atSevenDigits(_ value: Double) -> Double {
        guard value.isFinite, value != 0 else { return value }
        // A sampled value itself (not between two) is exact as the Float it is.
        if abs(value) <= Double(Float.greatestFiniteMagnitude), Double(Float(value)) == value {
            return Double(Float(value).description) ?? value
        }
        let scale = pow(10, Double(6 - Int(log10(abs(value)).rounded(.down))))
        guard scale.isFinite, scale > 0 else { return value }
        let rounded = (value * scale).rounded() / scale
        return rounded.isFinite ? rounded : value
    }
}
