import Foundation
import Records

/// How numbers are shown in reports and findings: one place, so the text of a
/// finding and the table beside it always show the same digits.
package enum Figures {
    /// Two decimals; under 0.1 tok/s, three significant digits ("0.00412"):
    /// a CPU-bound model at 0.004 tok/s against 0.002 read "0.00 → 0.00 (-50%)".
    package static func tokensPerSecond(_ value: Double) -> String { keepingDigits(value, decimals: 2, below: 0.1) }
    /// Three decimals; under 10 ms, three significant digits ("0.00123"): a
    /// TTFT of 1.2 ms against 1.6 ms read "0.001 s → 0.002 s (+31%)".
    package static func seconds(_ value: Double) -> String { keepingDigits(value, decimals: 3, below: 0.01) }

    /// `decimals` places, or three significant digits for a value under
    /// `below` (not zero), so a small figure never reads as zero beside the
    /// change it is part of.
    private static func keepingDigits(_ value: Double, decimals: Int, below: Double) -> String {
        guard value.isFinite, value != 0, abs(value) < below else { return fixed(value, decimals) }
        return fixed(value, min(9, 2 - Int((log10(abs(value))).rounded(.down))))
    }
    package static func milliseconds(_ value: Double) -> String { fixed(value, 3) }
    package static func percent(_ value: Double) -> String { value.isFinite ? tenths(value) + "%" : "—" }
    /// "+2.5%", "-0.4%"; a change that rounds to nothing is "0.0%", not "-0.0%" or "+0.0%".
    package static func signedPercent(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        let digits = tenths(value)
        return (value > 0 && digits != "0.0" ? "+" : "") + digits + "%"
    }

    /// One decimal, with no sign on a value that rounds to zero.
    private static func tenths(_ value: Double) -> String {
        let digits = fixed(value, 1)
        return digits == "-0.0" ? "0.0" : digits
    }
    package static func ratio(_ value: Double) -> String { value.isFinite ? fixed(value, 2) + "×" : "—" }

    /// General measurements: 4 significant digits, never scientific for ordinary magnitudes.
    package static func general(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value.rounded() == value && abs(value) < 1e12 { return String(Int64(value)) }
        let magnitude = abs(value)
        let decimals: Int
        switch magnitude {
        case 1000...: decimals = 1
        case 100..<1000: decimals = 2
        case 1..<100: decimals = 3
        case 0.01..<1: decimals = 4
        default: return String(format: "%.3g", value)
        }
        return fixed(value, decimals)
    }

    /// A time given in seconds, in the unit that reads best at its size
    /// ("235.1 ms", "1.234 s", "12.35 µs", "480 ns"): a Google Benchmark's
    /// nanoseconds and a build's seconds compare in one sentence.
    package static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "—" }
        let magnitude = abs(seconds)
        let (scale, unit): (Double, String) =
            magnitude >= 1 || magnitude == 0
            ? (1, "s") : magnitude >= 1e-3 ? (1e3, "ms") : magnitude >= 1e-6 ? (1e6, "µs") : (1e9, "ns")
        return general(seconds * scale) + " " + unit
    }

    /// A tool's figure with its unit, as its table row shows it: a time in
    /// the unit that reads best at its size ("617 ns"), else four significant
    /// digits and the tool's unit ("9.500 req/s").
    package static func measured(_ value: Double, unit: String) -> String {
        unit == "s" ? duration(value) : general(value) + (unit.isEmpty ? "" : " " + unit)
    }

    /// The first line of a message (an error's traceback follows it), cut to
    /// `limit` characters with an ellipsis.
    package static func firstLine(_ text: String, limit: Int) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return line.count > limit ? String(line.prefix(limit - 3)) + "..." : line
    }

    /// `value` with `decimals` places. A value that is no number (an
    /// infinite mean of huge values) is "—", as report.json's null is; one
    /// of 10^15 or more (16 digits) is written in scientific notation, not as
    /// a 300-digit figure.
    package static func fixed(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return "—" }
        guard abs(value) < 1e15 else { return String(format: "%.3e", value) }
        return DecimalText.fixed(value, decimals) ?? String(format: "%.\(decimals)f", value)
    }
}
