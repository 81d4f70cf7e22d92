/// A measurement cell written the way a person or a spreadsheet writes it:
/// with its unit (`40.5 tok/s`, `0.2 s`, `180ms`) or with thousands grouped
/// (`1,050.5`, which a comma-separated file can hold only quoted).
///
/// Read only where the plain number failed, and only in a unit the column's
/// own dimension has: `200 ms` in a seconds column is 0.2, `40.5 tok/s` in a
/// seconds column is no number (the run keeps no value and the file's note
/// names the cell), never a figure read in the wrong unit.
///
///     QuantityText.value("200 ms", in: .seconds)        // 0.2
///     QuantityText.value("40.5 tok/s", in: .throughput) // 40.5
///     QuantityText.value("1,050.5", in: .throughput)    // 1050.5
enum QuantityText {
    /// What a column measures, by its name: the unit its numbers are in.
    enum Dimension {
        case throughput
        case seconds
        case milliseconds
        case microseconds
        case nanoseconds
        case tokens

        /// The power of ten that turns a value written in `unit` into this
        /// dimension's unit, or `nil` when `unit` measures something else.
        func scale(for unit: String) -> Int? {
            switch self {
            case .throughput: return QuantityText.throughputUnits.contains(unit) ? 0 : nil
            case .tokens: return QuantityText.tokenUnits.contains(unit) ? 0 : nil
            case .seconds: return QuantityText.secondsExponent(unit)
            case .milliseconds: return QuantityText.secondsExponent(unit).map { $0 + 3 }
            case .microseconds: return QuantityText.secondsExponent(unit).map { $0 + 6 }
            case .nanoseconds: return QuantityText.secondsExponent(unit).map { $0 + 9 }
            }
        }
    }

    /// The longest cell looked at: a number and a unit, never a sentence.
    static let maximumBytes = 40

    /// The value `text` gives in `dimension`'s unit, or `nil` when it is no
    /// number, or a number in a unit of another dimension.
    /// - Parameter decimalComma: the file writes `25,5` for 25.5, so a comma
    ///   is never a thousands separator in it.
    static func value(_ text: String, in dimension: Dimension, decimalComma: Bool = false) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumBytes else { return nil }
        var start = 0
        var end = bytes.count
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        let numberEnd = numberPrefixEnd(bytes, from: start, to: end)
        guard numberEnd > start else { return nil }
        let digits = Array(bytes[start..<numberEnd])
        let comma = digits.contains(UInt8(ascii: ","))
        let number: Double?
        if comma && decimalComma {
            number = digits.withUnsafeBufferPointer { NumberParsing.doubleWithDecimalComma($0) }
        } else if comma {
            // `25,563` alone could be a European 25.563 as well: only a count
            // (never a fraction), more groups or a fraction after the
            // groups (`1,050.5`) say the comma groups thousands.
            guard isGroupedByThousands(digits[...]),
                dimension == .tokens || digits.contains(UInt8(ascii: ".")) || digits.count(where: { $0 == UInt8(ascii: ",") }) > 1
            else { return nil }
            number = digits.filter { $0 != UInt8(ascii: ",") }.withUnsafeBufferPointer { NumberParsing.double($0) }
        } else {
            number = digits.withUnsafeBufferPointer { NumberParsing.double($0) }
        }
        guard let number else { return nil }
        let unit = String(decoding: bytes[numberEnd..<end], as: UTF8.self).trimmingBlanks().lowercased()
        // A bare number with grouped thousands is in the column's own unit.
        if unit.isEmpty { return comma && !decimalComma ? number : nil }
        guard let scale = dimension.scale(for: unit) else { return nil }
        // Divided by an exact power of ten, not multiplied by an inexact 1e-3:
        // `210 ms` is the double nearest 0.21.
        return scale >= 0 ? number * powerOfTen(scale) : number / powerOfTen(-scale)
    }

    static let throughputUnits: Set<String> = [
        "tok/s", "tokens/s", "token/s", "t/s", "tps", "tok/sec", "tokens/sec", "tokens per second", "tokens/second",
    ]

    static let tokenUnits: Set<String> = ["tok", "tokens", "token"]

    /// One `unit` of time is ten to this many seconds; `nil` for anything else.
    static func secondsExponent(_ unit: String) -> Int? {
        switch unit {
        case "s", "sec", "secs", "second", "seconds": return 0
        case "ms", "msec", "millisecond", "milliseconds": return -3
        case "us", "µs", "μs", "microsecond", "microseconds": return -6
        case "ns", "nanosecond", "nanoseconds": return -9
        default: return nil
        }
    }

    private static func powerOfTen(_ exponent: Int) -> Double {
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Where the number at `start` ends: a sign, digits with the points and
    /// commas between them (the number's reader decides what they mean), an
    /// exponent. The unit (or nothing) follows.
    private static func numberPrefixEnd(_ bytes: [UInt8], from start: Int, to end: Int) -> Int {
        var index = start
        if index < end, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        let firstDigit = index
        while index < end, isDigit(bytes[index]) || bytes[index] == UInt8(ascii: ",") || bytes[index] == UInt8(ascii: ".") {
            index += 1
        }
        guard index > firstDigit, isDigit(bytes[firstDigit]) else { return start }
        // An exponent only when digits follow it: `2e` is no number, `2 eggs` is a unit.
        if index < end, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            var after = index + 1
            if after < end, bytes[after] == UInt8(ascii: "-") || bytes[after] == UInt8(ascii: "+") { after += 1 }
            if after < end, isDigit(bytes[after]) {
                index = after
                while index < end, isDigit(bytes[index]) { index += 1 }
            }
        }
        return index
    }

    /// `1,050` and `12,345,678.9`: one to three digits, then groups of
    /// exactly three, each after a comma, before any fraction (whose
    /// digits `NumberParsing` checks).
    private static func isGroupedByThousands(_ digits: ArraySlice<UInt8>) -> Bool {
        var whole = digits.prefix { $0 != UInt8(ascii: ".") }
        guard !digits.dropFirst(whole.count).contains(UInt8(ascii: ",")) else { return false }
        if let sign = whole.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { whole = whole.dropFirst() }
        let groups = whole.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard groups.count >= 2, let first = groups.first, (1...3).contains(first.count) else { return false }
        return groups.dropFirst().allSatisfy { $0.count == 3 }
    }
}
