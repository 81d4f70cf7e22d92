import Foundation

/// Maps positive values onto a span of pixels by their logarithm, so that
/// twice as fast and half as fast stand equally far from 1. The domain is
/// widened to whole decades (at least one around 1 when `includingOne`),
/// with ticks at 1, 2 and 5 times each power of ten while they fit.
public struct LogScale: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    public let start: Double
    public let end: Double
    public let ticks: [Double]

    /// A scale over the positive, finite `values` (none: 0.1 to 10).
    public init(values: [Double], start: Double, end: Double, includingOne: Bool = true) {
        let positive = values.filter { $0 > 0 && $0.isFinite } + (includingOne ? [1] : [])
        var lowDecade = (log10(positive.min() ?? 0.1)).rounded(.down)
        var highDecade = (log10(positive.max() ?? 10)).rounded(.up)
        // Values within a file's range: an absurd ratio draws a few decades, not hundreds.
        lowDecade = max(lowDecade, -12)
        highDecade = min(max(highDecade, lowDecade + 1), lowDecade + 24)
        let decades = Int(highDecade - lowDecade)
        let factors: [Double] = decades <= 2 ? [1, 2, 5] : [1]
        var ticks: [Double] = []
        for decade in Int(lowDecade)...Int(highDecade) {
            for factor in factors {
                let tick = factor * pow(10, Double(decade))
                if tick <= pow(10, highDecade) * 1.000_001 { ticks.append(tick) }
            }
        }
        self.lower = pow(10, lowDecade)
        self.upper = pow(10, highDecade)
        self.start = start
        self.end = end
        self.ticks = decades > 12 ? ticks.enumerated().filter { $0.offset % 2 == 0 }.map(\.element) : ticks
    }

    /// Where `value` stands; a value that is not positive is pinned to the start.
    public func position(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return start }
        let fraction = (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        return start + min(max(fraction, 0), 1) * (end - start)
    }

    /// A tick's label: as few digits as it needs (`0.01`, `0.5`, `2`, `1000`).
    public func label(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        if value >= 1 { return LinearScale.fixed(value, 0) }
        let decimals = Int((-log10(value)).rounded(.up))
        return LinearScale.fixed(value, decimals)
    }
}
