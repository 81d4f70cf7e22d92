/// JSON's one string-escaping rule, shared by the report writer and the
/// model prompt so both quote text the same way.
package enum JSONString {
    /// `text` as a JSON string literal, quotes included.
    package static func quoted(_ text: String) -> String {
        var out = ""
        append(text, to: &out)
        return out
    }

    /// Appends `text` as a JSON string literal, quotes included.
    package static func append(_ text: String, to out: inout String) {
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
            case let s where escapedAsCode(s):
                let hex = String(s.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// Written as `\uXXXX` though JSON allows most of them raw: C0, DEL and C1
    /// controls (ESC or U+009B would reach a terminal that shows the file), and
    /// U+2028/U+2029, which end a line in JavaScript and some editors.
    private static func escapedAsCode(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// Whether `text` holds a quote, a backslash or a character `escapedAsCode`.
    /// A report holds thousands of paths; this scans their UTF-8 in place: DEL is
    /// 7F, C1 is C2 80–9F, U+2028/U+2029 are E2 80 A8/A9.
    private static func needsEscaping(_ text: String) -> Bool {
        // Concrete over a buffer: a generic scan was left unspecialised, and
        // took a sixth of the time of rendering a large report.
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var before: UInt8 = 0
            var twoBefore: UInt8 = 0
            for byte in bytes {
                if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F { return true }
                if before == 0xC2 && byte <= 0x9F && byte >= 0x80 { return true }
                if twoBefore == 0xE2 && before == 0x80 && (byte == 0xA8 || byte == 0xA9) { return true }
                twoBefore = before
                before = byte
            }
            return false
        }
        if let answer = text.utf8.withContiguousStorageIfAvailable(scan) { return answer }
        return Array(text.utf8).withUnsafeBufferPointer(scan)
    }
}
