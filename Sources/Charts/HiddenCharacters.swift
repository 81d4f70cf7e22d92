/// Characters that show nothing, or change how the text around them shows:
/// C0 and C1 controls, DEL, bidirectional controls, zero-width characters,
/// the Unicode line and paragraph separators, and the noncharacters U+FFFE
/// and U+FFFF. Text from a file that holds one is shown with it written out
/// (`same\u{1b}`), so two names that differ only by one stay two names in a
/// report, and none reorders, hides or breaks the text around it.
///
///     HiddenCharacters.visible("same\u{202E}")  // "same\\u{202e}"
public enum HiddenCharacters {
    public static func isHidden(_ value: UInt32) -> Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || XMLText.isBidiControl(value) || isZeroWidth(value)
            || value == 0x2028 || value == 0x2029 || value == 0xFFFE || value == 0xFFFF
    }

    /// Zero-width space, non-joiner and joiner, word joiner and the invisible
    /// operators, the byte order mark, and the soft hyphen.
    static func isZeroWidth(_ value: UInt32) -> Bool {
        (0x200B...0x200D).contains(value) || (0x2060...0x2064).contains(value) || value == 0xFEFF || value == 0x00AD
    }

    /// `\u{1b}`: the character written out, as the journal's lines write it.
    public static func shown(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16) + "}"
    }

    /// `text` with every hidden character written out.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isHidden($0.value) }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isHidden(scalar.value) { out += shown(scalar) } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
