import Charts
import Records

/// Text from the inputs (model, parameter and file names, error messages, skip
/// reasons, environment values, the model's own words) made literal for the
/// place it goes in a Markdown report. Whatever it holds, it starts no heading,
/// list, quote, fence or table column, opens no link, emphasis or raw HTML, and
/// writes no control character (hidden characters are written out as
/// `\u{1b}`, so names that differ by one stay apart); ordinary names read as they are
/// (`llama3.1:8b-instruct-q4_K_M` comes out unchanged).
///
/// Escapes follow CommonMark (and GitHub's tables): a backslash before ASCII
/// punctuation makes it literal everywhere except in code, so code spans get a
/// fence longer than any backtick run they hold instead.
enum MarkdownLiteral {
    /// Running text: a paragraph, a list item, the value after a bold label, a
    /// link's text. One line, trimmed.
    static func inline(_ text: String) -> String {
        escaped(trimmed(oneLine(text)), everywhere: [], startsLine: true)
    }

    /// An ATX heading's title: inline text with every `#` escaped, so none
    /// closes the heading early.
    static func heading(_ text: String) -> String {
        escaped(trimmed(oneLine(text)), everywhere: ["#"], startsLine: false)
    }

    /// The text a heading of `text` shows, which its anchor is made from.
    static func headingText(_ text: String) -> String {
        trimmed(oneLine(text))
    }

    /// A cell of a GitHub table: inline text with every `|` escaped, so it
    /// stays one cell; a space when empty, so the row keeps its columns. A cell
    /// holds no blocks, so a leading `#` or `-` stays as it is.
    static func tableCell(_ text: String) -> String {
        let cell = escaped(trimmed(oneLine(text)), everywhere: ["|"], startsLine: false)
        return cell.isEmpty ? " " : cell
    }

    /// A code span, backticks included, outside tables (GitHub splits a table
    /// row at a `|` even inside code). Its fence is one backtick longer than the
    /// longest run inside, padded with spaces when the text starts or ends with
    /// a backtick or a space; blank text, which no span can show, is inline text.
    static func codeSpan(_ text: String) -> String {
        let content = oneLine(text)
        guard content.unicodeScalars.contains(where: { $0 != " " }) else { return inline(text) }
        let fence = String(repeating: "`", count: longestBacktickRun(content) + 1)
        let padded = content.hasPrefix("`") || content.hasSuffix("`") || content.hasPrefix(" ") || content.hasSuffix(" ")
        return padded ? fence + " " + content + " " + fence : fence + content + fence
    }

    /// A fenced code block (fences included) that keeps the text's lines. The
    /// fence is longer than any backtick run in the text, so no line of it can
    /// close the block; every line break becomes `\n`, so a bare `\r` or
    /// U+2028 cannot start a line some renderer reads as a fence.
    static func codeBlock(_ text: String) -> String {
        var lines = ""
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" && index > 0 && scalars[index - 1] == "\r" { continue }  // \r\n is one break
            if isLineBreak(scalar) {
                lines.unicodeScalars.append("\n")
            } else if scalar != "\t" && HiddenCharacters.isWrittenOut(scalars, at: index) {
                lines += HiddenCharacters.shown(scalar)
            } else {
                lines.unicodeScalars.append(scalar)
            }
        }
        let fence = String(repeating: "`", count: max(3, longestBacktickRun(lines) + 1))
        return fence + "\n" + lines + "\n" + fence
    }

    /// `text` on one line: line feeds, carriage returns and tabs become
    /// spaces; every other hidden character (C0, DEL, C1 such as U+009B, the
    /// other line breaks, bidirectional and zero-width characters) is written
    /// out as `\u{1b}`, so `same` and `same\u{1b}` do not read alike.
    static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { HiddenCharacters.isHidden($0.value) || isLineBreak($0) || $0 == "\\" }) else {
            return text
        }
        var line = ""
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" && index > 0 && scalars[index - 1] == "\r" { continue }
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                line.unicodeScalars.append(" ")
            } else if isLineBreak(scalar) || HiddenCharacters.isWrittenOut(scalars, at: index) {
                line += HiddenCharacters.shown(scalar)
            } else {
                line.unicodeScalars.append(scalar)
            }
        }
        return line
    }

    /// `markdown` without control characters: line feeds and tabs stay, every
    /// other C0, DEL, C1 and the Unicode line and paragraph separators go. The
    /// last guard before a line is written, whatever reached it.
    static func withoutControls(_ markdown: String) -> String {
        let dropped = { (scalar: Unicode.Scalar) in
            scalar != "\n" && scalar != "\t" && (isControl(scalar) || isLineBreak(scalar))
        }
        guard markdown.unicodeScalars.contains(where: dropped) else { return markdown }
        var kept = ""
        kept.unicodeScalars.append(contentsOf: markdown.unicodeScalars.filter { !dropped($0) })
        return kept
    }

    /// C0 (including tab and the line breaks), DEL and C1 (U+0080–U+009F, among
    /// them NEL and the terminal's CSI, U+009B).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || HiddenCharacters.isBidiControl(scalar.value)
    }

    /// Whatever some reader takes for the end of a line: LF, CR, VT, FF, NEL,
    /// and U+2028/U+2029.
    static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }

    private static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = text.lastIndex(where: { !$0.isWhitespace }) ?? first
        return String(text[first...last])
    }

    private static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var run = 0
        for scalar in text.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }

    /// Backslashes before what could start markup: always before `\`, `` ` ``,
    /// `*`, `[`, `]` and `~`; before `_`, `<` and `&` unless their neighbours
    /// show they cannot open anything; when the text may start a line or a
    /// list item, before whatever opens a block there; and before each scalar
    /// in `everywhere`.
    private static func escaped(_ line: String, everywhere: Set<Unicode.Scalar>, startsLine: Bool) -> String {
        let scalars = Array(line.unicodeScalars)
        let marker = startsLine ? orderedListMarker(scalars) : nil
        let start: Int? = startsLine ? 0 : nil
        var out = ""
        out.unicodeScalars.reserveCapacity(scalars.count + 8)
        for (index, scalar) in scalars.enumerated() {
            let before = index > 0 ? scalars[index - 1] : nil
            let after = index + 1 < scalars.count ? scalars[index + 1] : nil
            let escape: Bool
            switch scalar {
            case _ where everywhere.contains(scalar): escape = true
            case "\\", "`", "*", "[", "]", "~": escape = true
            // Between two letters or digits `_` can neither open nor close emphasis (q4_K_M).
            case "_": escape = !(isWordScalar(before) && isWordScalar(after))
            // Raw HTML and autolinks need `<` right before a letter, `/`, `!` or `?`;
            // `p < 0.001` stays as it is.
            case "<": escape = !(after.map { $0.properties.isWhitespace || ("0"..."9").contains($0) || $0 == "=" } ?? true)
            // An entity (`&lt;`, `&#60;`) needs a letter or `#` after the `&`.
            case "&": escape = after.map { $0 == "#" || $0.properties.isAlphabetic } ?? false
            // GitHub links a bare `https://...` or `www....` in text (its
            // autolink extension); an escaped `:` or `.` is no link, and reads the same.
            case ":": escape = after == "/" && index + 2 < scalars.count && scalars[index + 2] == "/"
            case ".": escape = index == marker || isWWW(scalars, before: index)
            // A heading, quote, list item, thematic break or setext underline.
            case "#", ">", "=": escape = index == start
            case "-", "+": escape = index == start && (after.map { $0 == "-" || $0.properties.isWhitespace } ?? true)
            case ")": escape = index == marker
            default: escape = false
            }
            if escape { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// Where `1.` or `1)` ends when the text starts with an ordered list item's
    /// marker (a space or nothing after it; `1.5` is no marker).
    private static func orderedListMarker(_ scalars: [Unicode.Scalar]) -> Int? {
        guard let end = scalars.firstIndex(where: { !("0"..."9").contains($0) }), end > 0 else { return nil }
        guard scalars[end] == "." || scalars[end] == ")" else { return nil }
        return end + 1 == scalars.count || scalars[end + 1].properties.isWhitespace ? end : nil
    }

    /// Whether `www` (any case) ends right before `index`, at the start of
    /// the text or after a scalar that is no letter or digit.
    private static func isWWW(_ scalars: [Unicode.Scalar], before index: Int) -> Bool {
        guard index >= 3, scalars[(index - 3)..<index].allSatisfy({ $0 == "w" || $0 == "W" }) else { return false }
        return index == 3 || !isWordScalar(scalars[index - 4])
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
