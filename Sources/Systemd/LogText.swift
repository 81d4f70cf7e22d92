/// Text an entry carries from outside (file and model names, model replies,
/// error messages) as a log may show it: control characters become visible
/// escapes, so none reaches a terminal raw. ESC and its one-byte form U+009B
/// would let a file name recolour, move or rewrite what an operator sees.
package enum LogText {
    /// C0 (line breaks among them), DEL, C1 (U+0080–U+009F: NEL and CSI among
    /// them), and U+2028/U+2029, which some viewers take for line ends.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
            // Bidirectional overrides and isolates: a name with U+202E reverses the rest of the line.
            || scalar.value == 0x061C || (0x200E...0x200F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
            || (0x2066...0x2069).contains(scalar.value)
    }

    /// `text` with every control but those in `kept` escaped: `\n`, `\r`, `\t`,
    /// the rest as `\u{1b}`; with `quote`, `"` and `\` escaped too.
    package static func escaped(_ text: String, keeping kept: Set<Unicode.Scalar> = [], quote: Bool = false) -> String {
        let escapes = { (scalar: Unicode.Scalar) in
            (isControl(scalar) && !kept.contains(scalar)) || (quote && (scalar == "\"" || scalar == "\\"))
        }
        guard text.unicodeScalars.contains(where: escapes) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard escapes(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default: result += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return result
    }
}
