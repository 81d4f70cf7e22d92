import Records

/// Text from anywhere (a model name from a file, an error message) made safe
/// for XML content or a quoted attribute, in an SVG, an HTML page or a feed:
/// markup escaped, white space kept as one line (tabs and line breaks become
/// spaces), and hidden characters (`HiddenCharacters`: controls, which XML 1.0
/// forbids (C0) or a terminal would obey (C1), bidirectional and zero-width
/// characters) written out as `\u{1b}`.
public enum XMLText {
    public static func escaped(_ text: String) -> String {
        // Most texts (labels, figures) need nothing: returned as they are.
        let plain = !text.unicodeScalars.contains { scalar in
            switch scalar {
            case "&", "<", ">", "\"", "'", "\\": true
            default: HiddenCharacters.isHidden(scalar.value)
            }
        }
        if plain { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out += " "
            default:
                if HiddenCharacters.isWrittenOut(scalars, at: index) {
                    out += HiddenCharacters.shown(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
