import Records

/// Text an entry carries from outside (file and model names, model replies,
/// error messages) as a log may show it: control characters become visible
/// escapes, so none reaches a terminal raw. ESC and its one-byte form U+009B
/// would let a file name recolour, move or rewrite what an operator sees.
package enum LogText {
    /// Whether `scalar` is written out in a log wherever it stands: the
    /// report files' hidden characters (`HiddenCharacters`: C0 and C1
    /// controls, DEL, the line and paragraph separators, bidirectional
    /// controls, zero-width and other invisible characters). A model named
    /// `llama3:8b` with a zero-width space after it read in the journal
    /// exactly as `llama3:8b`, where the reports tell the two apart.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        HiddenCharacters.isHidden(scalar.value)
    }

    /// `text` with every hidden character but those in `kept` escaped: `\n`,
    /// `\r`, `\t`, the rest as `\u{1b}` (the zero-width joiners kept between
    /// letters or emoji, and a backslash that would start that form written
    /// out, as the reports do); with `quote`, `"` and `\` escaped too.
    package static func escaped(_ text: String, keeping kept: Set<Unicode.Scalar> = [], quote: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) || $0 == "\\" || (quote && $0 == "\"") }) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = ""
        for index in scalars.indices {
            let scalar = scalars[index]
            switch scalar {
            case _ where kept.contains(scalar): result.unicodeScalars.append(scalar)
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\"" where quote: result += "\\\""
            case "\\" where quote: result += "\\\\"
            case _ where HiddenCharacters.isWrittenOut(scalars, at: index): result += HiddenCharacters.shown(scalar)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
