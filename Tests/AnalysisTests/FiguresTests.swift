import Foundation
import Records
import Testing

@testable import Analysis

/// How figures are written in the Markdown and the narrative.
@Suite struct FiguresTests {
    @Test func aValueThatIsNoNumberIsADashAsJSONsNullIs() {
        #expect(Figures.fixed(.infinity, 2) == "—")
        #expect(Figures.fixed(-.infinity, 2) == "—")
        #expect(Figures.fixed(.nan, 3) == "—")
        #expect(Figures.tokensPerSecond(.infinity) == "—")
        // Not "+—%" or "—×": the unit goes with the number.
        #expect(Figures.signedPercent(.infinity) == "—" && Figures.percent(.nan) == "—" && Figures.ratio(-.infinity) == "—")
        #expect(Figures.signedPercent(-19.25) == "-19.2%" && Figures.signedPercent(3) == "+3.0%")
        // Seconds keep three significant digits under 10 ms: 1.2 ms against 1.6 ms read 0.001 against 0.002.
        #expect(Figures.seconds(0.0012) == "0.00120" && Figures.seconds(0.0016) == "0.00160" && Figures.seconds(0.08) == "0.080")
        #expect(Figures.seconds(0.00999) == "0.00999" && Figures.seconds(0) == "0.000" && Figures.seconds(1.5) == "1.500")
        #expect(Figures.seconds(0.0000123) == "0.0000123")
        // So do tokens per second under 0.1: a CPU-bound model's 0.004 against 0.002 read "0.00 → 0.00 (-50%)".
        #expect(Figures.tokensPerSecond(0.004) == "0.00400" && Figures.tokensPerSecond(0.0019876) == "0.00199")
        #expect(Figures.tokensPerSecond(0.054) == "0.0540" && Figures.tokensPerSecond(-0.004) == "-0.00400")
        #expect(Figures.tokensPerSecond(0.1) == "0.10" && Figures.tokensPerSecond(0) == "0.00" && Figures.tokensPerSecond(42.125) == "42.12")
        // A change that rounds to nothing has no sign ("-0.0%" read as a fall).
        #expect(Figures.signedPercent(-0.03) == "0.0%" && Figures.signedPercent(0.04) == "0.0%" && Figures.signedPercent(0) == "0.0%")
        #expect(Figures.signedPercent(0.05) == "+0.1%" && Figures.percent(-0.01) == "0.0%")
    }

    @Test func aHugeValueIsScientificNotAThreeHundredDigitFigure() {
        #expect(Figures.fixed(1.7e308, 2) == "1.700e+308")
        #expect(Figures.fixed(-2.5e20, 2) == "-2.500e+20")
        #expect(Figures.fixed(78.434, 2) == "78.43")
        #expect(Figures.fixed(999_999_999_999_999, 0) == "999999999999999")
        #expect(Figures.fixed(1e15, 0) == "1.000e+15")
        #expect(Figures.fixed(123_456_789_012.5, 1) == "123456789012.5")
    }

    /// Figures are written without Foundation's `String(format:)`, and
    /// exactly as it (C's printf) writes them: the binary value rounded half
    /// to even (0.125 is "0.12", 0.375 is "0.38"), a minus sign on whatever
    /// is negative (-0.001 is "-0.00"), at every magnitude and precision.
    @Test func decimalsAreWrittenAsPrintfWritesThem() {
        func printf(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }
        var values: [Double] = [
            0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, -19.25, 1.005, 2.675, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
            1e15.nextDown, 1e-7,
        ]
        values += (-3000...3000).map { Double($0) / 1000 }
        values += (1...12).flatMap { power in (1...40).map { Double($0) / Double(1 << power) } }
        // A fixed sequence (SplitMix64) over every magnitude the figures take.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        for _ in 0..<20_000 {
            let unit = Double(next() >> 11) / Double(1 << 53)
            let magnitude = pow(10, Double(Int(next() % 36)) - 20)
            values.append((next() & 1 == 0 ? 1 : -1) * unit * magnitude)
        }
        var mismatches: [String] = []
        for (index, value) in values.enumerated() {
            for decimals in index % 7 == 0 ? Array(0...DecimalText.maximumDecimals) : [0, 1, 2, 3, Int(next() % 18)] {
                let written = DecimalText.fixed(value, decimals)
                if written != printf(value, decimals) { mismatches.append("\(value) %.\(decimals)f: \(written ?? "nil")") }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        // What it does not write, the caller writes another way.
        #expect(DecimalText.fixed(.nan, 2) == nil && DecimalText.fixed(-.infinity, 2) == nil && DecimalText.fixed(1e15, 0) == nil)
        #expect(DecimalText.fixed(1, 18) == nil && DecimalText.fixed(1, -1) == nil)
        #expect(DecimalText.hex([0x00, 0xab, 0x7f]) == "00ab7f" && DecimalText.twoDigits(7) == "07" && DecimalText.twoDigits(12) == "12")
    }
}
