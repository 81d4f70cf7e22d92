#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decimal text to `Double` straight from bytes, without building a `String`.
///
/// Benchmark files are mostly numbers; going through `String` for each of
/// millions of fields costs more than the rest of ingest together. Short
/// decimals take an exact fast path (mantissa below 2^53, power of ten up to
/// 22, both exact in binary64, so one multiply or divide rounds correctly);
/// everything else goes to the C library's `strtod`.
enum NumberParsing {
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// The number the bytes spell, or `nil` when they are not exactly one finite number
    /// (leading and trailing blanks allowed).
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
        guard start < end else { return nil }
        if let fast = fastPath(bytes, start, end) { return fast }
        return slowPath(bytes, start, end)
    }

    static func double(_ text: Substring) -> Double? {
        var copy = String(text)
        return copy.withUTF8 { double($0) }
    }

    static func double(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { double($0) }
    }

    /// A number of valid JSON syntax of any length (RFC 8259 sets none), or
    /// `nil` when it is beyond a `Double`'s range. The caller checked the
    /// syntax, so the C library sees only a decimal.
    static func jsonDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let value = double(bytes) { return value }
        // Short ones failed for their range already; long ones get a heap buffer.
        guard bytes.count >= slowPathLimit else { return nil }
        var terminated = [CChar](repeating: 0, count: bytes.count + 1)
        for k in 0..<bytes.count { terminated[k] = CChar(bitPattern: bytes[k]) }
        return terminated.withUnsafeMutableBufferPointer { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            var endPointer: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(base, &endPointer)
            guard let endPointer, endPointer - base == bytes.count, value.isFinite else { return nil }
            return value
        }
    }

    /// A number written with a decimal comma (`25,563`, `-0,5`, `1.234,5`),
    /// as semicolon- and tab-separated files from European locales hold it;
    /// `nil` for anything else (a plain `1.234` is read by `double` first).
    static func doubleWithDecimalComma(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D { end -= 1 }
        guard end - start < slowPathLimit else { return nil }
        // Checked before anything is copied: most cells that get here are words.
        var index = start
        if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        // Whole part: digits, optionally in groups of three after a `.` (`1.234.567`).
        var group = 0
        var groups = 0
        var comma: Int? = nil
        var exponent = false
        while index < end {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                group += 1
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E"), comma != nil, !exponent, group >= 1 {
                // `4,5E-05`: the exponent's digits, after an optional sign, end the number.
                exponent = true
                group = 0
                if index + 1 < end, bytes[index + 1] == UInt8(ascii: "-") || bytes[index + 1] == UInt8(ascii: "+") { index += 1 }
            } else if byte == UInt8(ascii: "."), comma == nil, !exponent {
                guard group >= 1, groups == 0 ? group <= 3 : group == 3 else { return nil }
                groups += 1
                group = 0
            } else if byte == UInt8(ascii: ","), comma == nil {
                guard group >= 1, groups == 0 || group == 3 else { return nil }
                comma = index
                group = 0
            } else {
                return nil
            }
            index += 1
        }
        guard comma != nil, group >= 1 else { return nil }
        // The digits and sign as they are, the comma a point, the group dots gone.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: end - start) { buffer -> Double? in
            var count = 0
            for k in start..<end where bytes[k] != UInt8(ascii: ".") {
                buffer[count] = k == comma ? UInt8(ascii: ".") : bytes[k]
                count += 1
            }
            return double(UnsafeBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// The longest text the slow path converts (on the stack).
    private static let slowPathLimit = 512

    private static func fastPath(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        var negative = false
        if b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawDigit = false
        while i < end, b[i] >= 0x30, b[i] <= 0x39 {
            if digits < 19 { mantissa = mantissa * 10 + UInt64(b[i] - 0x30) } else { return nil }
            if mantissa > 0 { digits += 1 }
            sawDigit = true
            i += 1
        }
        if i < end, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < end, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 19 { mantissa = mantissa * 10 + UInt64(b[i] - 0x30) } else { return nil }
                if mantissa > 0 { digits += 1 }
                fractionDigits += 1
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else { return nil }
        var exponent = -fractionDigits
        if i < end, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            var expNegative = false
            if i < end, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
                expNegative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            var sawExpDigit = false
            while i < end, b[i] >= 0x30, b[i] <= 0x39 {
                e = e * 10 + Int(b[i] - 0x30)
                sawExpDigit = true
                if e > 400 { return nil }
                i += 1
            }
            guard sawExpDigit else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == end, mantissa < (1 << 53) else { return nil }
        var value = Double(mantissa)
        if exponent == 0 {
        } else if exponent > 0, exponent <= 22 {
            value *= powersOfTen[exponent]
        } else if exponent < 0, exponent >= -22 {
            value /= powersOfTen[-exponent]
        } else {
            return nil
        }
        return negative ? -value : value
    }

    private static func slowPath(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        let length = end - start
        guard length < slowPathLimit else { return nil }
        // Only decimal syntax: strtod would also take hex floats, "inf" and "nan",
        // none of which is a measurement.
        for k in start..<end {
            switch b[k] {
            case 0x30...0x39, UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "e"),
                UInt8(ascii: "E"):
                continue
            default:
                return nil
            }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double? in
            for k in 0..<length { buffer[k] = CChar(bitPattern: b[start + k]) }
            buffer[length] = 0
            guard let base = buffer.baseAddress else { return nil }
            var endPointer: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(base, &endPointer)
            guard let endPointer, endPointer - base == length, value.isFinite else { return nil }
            return value
        }
    }
}
