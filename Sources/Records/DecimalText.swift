/// Numbers as report text, written here rather than by Foundation's
/// `String(format:)`: a report formats thousands of figures and chart
/// coordinates, and its formatting machinery (a format string parsed and a
/// variadic list built per call) cost more than the numbers themselves.
///
///     DecimalText.fixed(0.125, 2)    // "0.12", as printf("%.2f") writes it
///     DecimalText.fixed(-0.001, 2)   // "-0.00"
///     DecimalText.hex([0xab, 0x01])  // "ab01"
package enum DecimalText {
    /// The most decimals `fixed` writes itself.
    package static let maximumDecimals = 17

    /// `value` with `decimals` decimals, exactly as C's `printf("%.*f")`
    /// writes it: the binary value rounded half to even at the last place,
    /// a minus sign whenever the value's sign is negative (`-0.00`). Nil for
    /// what it does not write (not finite, 10^15 or more, decimals outside
    /// 0...17): callers choose another form for those.
    package static func fixed(_ value: Double, _ decimals: Int) -> String? {
        guard value.isFinite, value.magnitude < 1e15, (0...maximumDecimals).contains(decimals) else { return nil }
        let magnitude = value.magnitude
        // magnitude = significand × 2^exponent, both integers.
        let significand = UInt128(magnitude.significandBitPattern | (magnitude.isNormal ? 1 << 52 : 0))
        let exponent = magnitude.isNormal ? Int(magnitude.exponentBitPattern) - 1075 : -1074
        var power: UInt128 = 1
        for _ in 0..<decimals { power *= 10 }
        // Below 2^53 × 10^17 < 2^110: the product is exact.
        let scaled = significand * power
        let rounded: UInt128
        if exponent >= 0 {
            rounded = scaled << exponent
        } else if -exponent >= 120 {
            // Less than a half of the last place (scaled < 2^110).
            rounded = 0
        } else {
            let shift = UInt128(-exponent)
            let quotient = scaled >> shift
            let remainder = scaled & ((1 << shift) - 1)
            let half: UInt128 = 1 << (shift - 1)
            rounded = remainder > half || (remainder == half && quotient & 1 == 1) ? quotient + 1 : quotient
        }
        var digits = rounded <= UInt128(UInt64.max) ? String(UInt64(rounded)) : String(rounded)
        if decimals > 0 {
            if digits.utf8.count <= decimals { digits = String(repeating: "0", count: decimals + 1 - digits.utf8.count) + digits }
            digits.insert(".", at: digits.utf8.index(digits.utf8.endIndex, offsetBy: -decimals))
        }
        return value.sign == .minus ? "-" + digits : digits
    }

    /// `bytes` as lower-case hex digits, two a byte.
    package static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `value` with at least two digits (`07`), for dates and times.
    package static func twoDigits(_ value: Int) -> String {
        (0..<10).contains(value) ? "0" + String(value) : String(value)
    }
}
