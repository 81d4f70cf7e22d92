/// Builds a Markdown report. Headings and table cells take plain text and
/// escape it themselves; `line` takes Markdown, so whatever came from the
/// inputs goes through ``MarkdownLiteral`` before it is part of a line.
struct MarkdownText {
    private(set) var text = ""
    /// Tables too long for the body, whole, in the order the body cut them
    /// (``longTable(_:_:_:strong:)``); ``appendixSection()`` writes them.
    var appendix: [AppendixTable] = []
    /// What each heading so far shows, in order: the appendix's anchors
    /// depend on them (``appendixSection()``).
    private(set) var headings: [String] = []

    /// A line of Markdown; control characters are dropped whatever the caller
    /// missed, so none reaches the file.
    mutating func line(_ markdown: String) {
        text += MarkdownLiteral.withoutControls(markdown) + "\n"
    }

    /// Replaces `old` with `new` in what is written so far: a link whose
    /// target is known only once the page is whole.
    mutating func replaceInText(_ old: String, with new: String) {
        text = text.replacingOccurrences(of: old, with: new)
    }

    mutating func blank() {
        text += "\n"
    }

    mutating func heading(_ level: Int, _ title: String) {
        text += String(repeating: "#", count: level) + " " + MarkdownLiteral.heading(title) + "\n\n"
        headings.append(MarkdownLiteral.headingText(title))
    }

    /// Starts a section (a level-2 heading); when it has nothing to show,
    /// says so in `message` and returns false.
    mutating func section(_ title: String, hasContent: Bool, otherwise message: String) -> Bool {
        heading(2, title)
        guard hasContent else {
            line(message)
            blank()
            return false
        }
        return true
    }

    /// A table of plain-text cells; a column in `strong` is set in bold.
    mutating func table(_ header: [String], _ rows: [[String]], strong: Set<Int> = []) {
        line("| " + header.map(MarkdownLiteral.tableCell).joined(separator: " | ") + " |")
        line("|" + header.map { _ in " --- " }.joined(separator: "|") + "|")
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                let escaped = MarkdownLiteral.tableCell(cell)
                return strong.contains(column) && escaped != " " ? "**" + escaped + "**" : escaped
            }
            line("| " + cells.joined(separator: " | ") + " |")
        }
        blank()
    }
}
