/// JSON's one string-escaping rule, shared by the report writer and the
/// model prompt so both quote text the same way.
public enum JSONString {
    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out = ""
        append(text, to: &out)
        return out
    }

    /// Appends `text` as a JSON string literal, quotes included.
    public static func append(_ text: String, to out: inout String) {
        out += "\""
        if !needsEscaping(text) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let s where s.value < 0x20:
                let hex = String(s.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Whether `text` holds a quote, a backslash or a control character. A
    /// report holds thousands of paths; this scans their bytes in place.
    private static func needsEscaping(_ text: String) -> Bool {
        let scanned = text.utf8.withContiguousStorageIfAvailable { bytes in
            var found = false
            for byte in bytes { found = found || byte < 0x20 || byte == 0x22 || byte == 0x5C }
            return found
        }
        return scanned ?? text.utf8.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
    }
}
