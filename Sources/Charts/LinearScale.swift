import Foundation
import Records

/// Maps a domain of values onto a span of pixels, with ticks at round values
/// (1, 2 or 5 times a power of ten), the domain widened to the ticks.
public struct LinearScale: Sendable, Equatable {
    public let lower: Double
    public let upper: Double
    public let start: Double
    public let end: Double
    public let ticks: [Double]
    /// What the domain's arithmetic is done in units of: 1, or for figures
    /// past 1e15 (a file can say 1e308) a power of ten that makes them
    /// thousands, since their span, and ticks rounded up past it, would
    /// overflow to infinity and every value land at the axis's start.
    private let unit: Double
    private let scaledLower: Double
    private let scaledUpper: Double

    /// A scale over `values` (empty or all equal: a span around them, a unit
    /// wide, a tenth of a value below 5 either side, or a twentieth of one
    /// from 1e7 up; never below zero for values that are not), from zero
    /// when `fromZero` and every value is positive.
    public init(values: [Double], start: Double, end: Double, fromZero: Bool = true, tickCount: Int = 5) {
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if fromZero && low > 0 { low = 0 }
        let magnitude = max(abs(low), abs(high))
        let unit = magnitude > 1e15 ? pow(10, log10(magnitude).rounded(.down) - 3) : 1
        low /= unit
        high /= unit
        if high <= low {
            // Labels of figures from 1e7 up have three digits: half a unit
            // either side would give every tick the same one. A figure below
            // 5 (a TTFT of 0.1 s) gets a tenth of itself: half a unit drew
            // one run's 0.1 s on an axis from -0.5 to 1 s.
            let small = low != 0 && abs(low) < 5
            let pad = magnitude >= LinearScale.exponentLabels ? abs(low) * 0.05 : small ? abs(low) * 0.1 : 0.5
            // Figures of no sign below zero get no axis below it.
            (low, high) = (low >= 0 ? max(low - pad, 0) : low - pad, high + pad)
        }
        let step = LinearScale.niceStep((high - low) / Double(max(tickCount, 1)))
        low = (low / step).rounded(.down) * step
        high = (high / step).rounded(.up) * step
        var ticks: [Double] = []
        var tick = low
        while tick <= high + step / 2 && ticks.count < 50 {
            let value = (abs(tick) < step / 1e6 ? 0 : tick) * unit
            // A tick rounded up past the largest figure a Double holds is left out.
            if value.isFinite { ticks.append(value) }
            tick += step
        }
        self.unit = unit
        self.scaledLower = low
        self.scaledUpper = high
        self.lower = LinearScale.finite(low * unit)
        self.upper = LinearScale.finite(high * unit)
        self.start = start
        self.end = end
        self.ticks = ticks
    }

    public func position(_ value: Double) -> Double {
        let fraction = (value / unit - scaledLower) / (scaledUpper - scaledLower)
        return fraction.isFinite ? start + fraction * (end - start) : start
    }

    /// From this magnitude on, labels are in exponent form.
    static let exponentLabels = 1e7

    private static func finite(_ value: Double) -> Double {
        min(max(value, -Double.greatestFiniteMagnitude), Double.greatestFiniteMagnitude)
    }

    /// 1, 2 or 5 times a power of ten, the smallest not below `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        for factor in [1.0, 2, 5, 10] where power * factor >= raw { return power * factor }
        return power * 10
    }

    /// A tick's label: no more decimals than the step needs.
    public func label(_ value: Double) -> String {
        // Figures in the tens of millions and up (a file can say 1e308): in
        // exponent form, or a label is wider than the chart.
        if max(abs(lower), abs(upper)) >= LinearScale.exponentLabels {
            // As many digits as tell two ticks apart (1.00001e+08 beside
            // 1.00002e+08), three at least.
            let step = ticks.count > 1 ? ticks[1] - ticks[0] : 0
            let magnitude = max(abs(lower), abs(upper))
            let digits = step > 0 && step.isFinite ? Int((log10(magnitude / step)).rounded(.up)) + 1 : 3
            return String(format: "%.\(min(max(digits, 3), 15))g", value)
        }
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        var decimals = 0
        var scaled = step
        while scaled < 1 && decimals < 6 {
            scaled *= 10
            decimals += 1
        }
        if (scaled - scaled.rounded()).magnitude > 1e-9 && decimals < 6 { decimals += 1 }
        return LinearScale.fixed(value, decimals)
    }

    /// `value` with `decimals` decimals; any value, however large, or `—`
    /// for one that is not finite (a file can hold `1e300`; a rate can be
    /// infinite when its time rounds to zero).
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "—" }
        if abs(value) >= 1e15 { return String(format: "%.6g", value) }
        let decimals = max(0, min(decimals, 12))
        return DecimalText.fixed(value, decimals) ?? String(format: "%.\(decimals)f", value)
    }
}
