/// Characters that show nothing, or change how the text around them shows:
/// C0 and C1 controls, DEL, bidirectional controls, zero-width and other
/// invisible characters (fillers, tag characters, variation selectors), the
/// Unicode line and paragraph separators, and the noncharacters U+FFFE and
/// U+FFFF. Text from a file that holds one is shown with it written out
/// (`same\u{1b}`), so two names that differ only by one stay two names in a
/// report, and none reorders, hides or breaks the text around it. A
/// backslash that starts such a form in the text itself is written out too
/// (`\u{5c}u{1b}`), so the literal text never reads like the character.
///
///     let scalars = Array(text.unicodeScalars)
///     for index in scalars.indices where HiddenCharacters.isWrittenOut(scalars, at: index) { ... }
package enum HiddenCharacters {
    /// Whether the scalar at `index` is shown as `\u{..}`: a hidden character
    /// (the joiners only away from letters), or a backslash that starts that form.
    package static func isWrittenOut(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        let after = index + 1 < scalars.count ? scalars[index + 1] : nil
        let afterNext = index + 2 < scalars.count ? scalars[index + 2] : nil
        return isHidden(scalars, at: index) || startsWrittenOutForm(scalars[index], followedBy: after, afterNext)
    }

    /// Whether the scalar at `index` is hidden where it stands (the joiners
    /// only away from letters): what plain text turns into a gap.
    package static func isHidden(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        let before = index > 0 ? scalars[index - 1] : nil
        let after = index + 1 < scalars.count ? scalars[index + 1] : nil
        return isHidden(scalars[index], between: before, and: after)
    }

    /// Whether `scalar` is written out. The zero-width joiner and non-joiner
    /// are kept between two letters or emoji, where they shape a script
    /// (Persian, Indic) or join an emoji sequence, but not between two ASCII
    /// letters, which they never shape.
    static func isHidden(_ scalar: Unicode.Scalar, between before: Unicode.Scalar?, and after: Unicode.Scalar?) -> Bool {
        let value = scalar.value
        if value == 0x200C || value == 0x200D {
            // Between two ASCII letters it shapes nothing: `lla\u{200d}ma` read as `llama`.
            if let before, let after, before.isASCII, after.isASCII { return true }
            return !(joins(before) && joins(after))
        }
        return isHidden(value)
    }

    /// Whether `value` is written out wherever it stands (the joiners counted in).
    package static func isHidden(_ value: UInt32) -> Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || isBidiControl(value) || isInvisible(value)
            || value == 0x2028 || value == 0x2029 || value == 0xFFFE || value == 0xFFFF
    }

    /// The bidirectional marks, embeddings, overrides and isolates: a name
    /// with U+202E reverses the rest of its line.
    package static func isBidiControl(_ value: UInt32) -> Bool {
        value == 0x061C || (0x200E...0x200F).contains(value) || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }

    /// Zero-width space, non-joiner and joiner, word joiner and the invisible
    /// operators, the byte order mark, the soft hyphen, the combining grapheme
    /// joiner, the Mongolian vowel separator, the interlinear annotation
    /// marks, the Hangul fillers, variation selectors and tag characters.
    static func isInvisible(_ value: UInt32) -> Bool {
        switch value {
        case 0x00AD, 0x034F, 0x115F, 0x1160, 0x180E, 0x200B...0x200D, 0x2060...0x2064, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0,
            0xFFF9...0xFFFB, 0xE0000...0xE007F, 0xE0100...0xE01EF:
            true
        default: false
        }
    }

    /// `text` with every character `isWrittenOut` says written out (a line
    /// break too, unless `keepingLineBreaks`): text for a reader that shows
    /// what it is given (a chat a webhook posts to), as the feed and the
    /// journal show it.
    package static func writtenOut(_ text: String, keepingLineBreaks: Bool = false) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.indices.contains(where: { isWrittenOut(scalars, at: $0) }) else { return text }
        var out = ""
        for index in scalars.indices {
            let scalar = scalars[index]
            if isWrittenOut(scalars, at: index) && !(keepingLineBreaks && scalar == "\n") {
                out += shown(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `\u{1b}`: the character written out, as the journal's lines write it.
    package static func shown(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16) + "}"
    }

    /// Whether the backslash at this point would start what reads as a
    /// written-out character (`\u{`), and so is written out itself.
    static func startsWrittenOutForm(_ scalar: Unicode.Scalar, followedBy next: Unicode.Scalar?, _ afterNext: Unicode.Scalar?) -> Bool {
        scalar == "\\" && next == "u" && afterNext == "{"
    }

    private static func joins(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.isEmoji && scalar.value > 0xFF
    }
}
