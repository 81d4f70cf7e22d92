/// A column's name as the formats compare it, whatever way a person or a
/// spreadsheet wrote it: lower-cased, blanks and `-` read as `_`, and a
/// unit written after it in brackets as a suffix of the usual spelling.
///
///     ColumnName.canonical("TTFT [ms]")                 // "ttft_ms"
///     ColumnName.canonical("Time to first token (s)")   // "time_to_first_token_s"
///     ColumnName.canonical("eval rate (tokens/s)")      // "eval_rate_tok/s"
///     ColumnName.canonical("Tokens per second")         // "tokens_per_second"
///
/// Compared as written, `eval rate` was no `eval_rate`, so a harness's
/// throughput became a setting and every run a group of its own.
enum ColumnName {
    static func canonical(_ header: String) -> String {
        let lower = header.lowercased()
        guard
            lower.utf8.contains(where: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "-") || $0 >= 0x80 || $0 == 0x09 })
                || lower.hasSuffix(")") || lower.hasSuffix("]")
        else { return lower }
        var text = Substring(lower).trimmingCharacters()
        var unit: String? = nil
        if let close = text.last, close == ")" || close == "]", let open = text.lastIndex(of: close == ")" ? "(" : "[") {
            let inside = text[text.index(after: open)..<text.index(before: text.endIndex)].trimmingCharacters()
            let base = text[..<open].trimmingCharacters()
            if !base.isEmpty && !inside.isEmpty {
                unit = spelledUnit(String(inside))
                text = base
            }
        }
        var name = joined(text)
        if let unit, !name.hasSuffix("_" + unit) { name += "_" + unit }
        return name
    }

    /// Blanks and `-` as `_`, one at a time, none at either end.
    private static func joined(_ text: Substring) -> String {
        var name = ""
        var pendingSeparator = false
        for character in text {
            if character == " " || character == "-" || character == "\t" || character == "_" {
                pendingSeparator = !name.isEmpty
            } else {
                if pendingSeparator { name.append("_") }
                pendingSeparator = false
                name.append(character)
            }
        }
        return name
    }

    /// A unit as the names with one spell it (`seconds` as `s`, `tokens/s` as `tok/s`, `%` as `pct`).
    private static func spelledUnit(_ unit: String) -> String {
        switch unit {
        case "s", "sec", "secs", "second", "seconds": "s"
        case "ms", "msec", "millis", "millisecond", "milliseconds": "ms"
        case "us", "µs", "μs", "usec", "microsecond", "microseconds": "us"
        case "ns", "nsec", "nanosecond", "nanoseconds": "ns"
        case "min", "mins", "minute", "minutes": "min"
        case "tok/s", "tokens/s", "t/s", "token/s", "tok/sec", "tokens/sec", "tokens/second", "tokens per second", "tps": "tok/s"
        case "%": "pct"
        default: joined(Substring(unit))
        }
    }

    /// Whether a canonical name ends as a rate of tokens does (`decode_tok/s`,
    /// `eval_rate_tok/s`, `gen_t/s`).
    static func endsAsTokenRate(_ name: String) -> Bool {
        ["tok/s", "t/s", "tokens/s", "tok/sec", "tokens/sec", "token/s"].contains { suffix in
            name == suffix || name.hasSuffix("_" + suffix)
        }
    }
}
