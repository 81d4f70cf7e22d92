/// Long tables leave the body for an appendix: a report is read in a minute,
/// and a 36-row ranking in the middle of it hides everything after. The body
/// keeps a table's first rows and a link to the whole table under
/// `## Appendix`, at the end of the report.
extension MarkdownText {
    /// A table cut from the body, whole.
    struct AppendixTable {
        /// `Table A1`: the heading in the appendix, and its anchor.
        var label: String
        /// What the table is, as plain text: section, subject, table.
        var caption: String
        var header: [String]
        var rows: [[String]]
        var strong: Set<Int>

        /// The heading's anchor as GitHub and GitLab make it: `table-a1`.
        var anchor: String { label.lowercased().replacingOccurrences(of: " ", with: "-") }
    }

    /// Most rows a table may have and stay in the body whole.
    static let bodyRowLimit = 10
    /// Rows the body keeps of a longer table.
    static let bodySummaryRows = 3

    /// A table of plain-text cells: whole when it has at most `bodyRowLimit`
    /// rows; else its first `bodySummaryRows` rows and a link to the whole
    /// table in the appendix. `caption` (plain text, escaped here) says in
    /// the appendix what the table is.
    /// `leading`: how many first rows the body keeps whatever the length (the
    /// rows a reader must not have to look for, ordered first by the caller).
    mutating func longTable(_ caption: String, _ header: [String], _ rows: [[String]], strong: Set<Int> = [], leading: Int = 0) {
        guard rows.count > max(Self.bodyRowLimit, leading) else {
            table(header, rows, strong: strong)
            return
        }
        let link = toAppendix(caption, header, rows, strong: strong)
        let shown = max(Self.bodySummaryRows, leading)
        table(header, Array(rows.prefix(shown)), strong: strong)
        line("_The first \(shown) of \(rows.count) rows; all of them in \(link) of the Appendix._")
        blank()
    }

    /// Puts a whole table in the appendix and returns the Markdown link to it
    /// (`[Table A1](#table-a1)`), for the body to say what it holds.
    mutating func toAppendix(_ caption: String, _ header: [String], _ rows: [[String]], strong: Set<Int> = []) -> String {
        let cut = AppendixTable(label: "Table A\(appendix.count + 1)", caption: caption, header: header, rows: rows, strong: strong)
        appendix.append(cut)
        return "[\(cut.label)](#\(cut.anchor))"
    }

    /// The `## Appendix` section: each table the body cut, whole, under its
    /// label. Nothing when the body cut none.
    mutating func appendixSection() {
        let tables = appendix
        guard !tables.isEmpty else { return }
        linkTablesToTheirAnchors()
        heading(2, "Appendix")
        line("The tables the sections above show in part, whole (report.json holds the same figures).")
        blank()
        for cut in tables {
            heading(3, cut.label)
            line(MarkdownLiteral.inline(cut.caption) + ".")
            blank()
            table(cut.header, cut.rows, strong: cut.strong)
        }
    }

    /// A heading above that shows `Table A1` too (a model of that name) took
    /// the anchor `table-a1`, and the appendix's table is `table-a1-1`, as
    /// GitHub numbers them and the HTML page does (`HeadingAnchors`): the
    /// body's links to it are pointed there, where they led to the model.
    private mutating func linkTablesToTheirAnchors() {
        var anchors = HeadingAnchors()
        for shown in headings { _ = anchors.anchor(forText: shown) }
        _ = anchors.anchor(forText: "Appendix")
        for cut in appendix {
            let anchor = anchors.anchor(forText: cut.label)
            guard anchor != cut.anchor else { continue }
            // Names in the body are escaped (`\[`), so only the link itself reads so.
            replaceInText("[\(cut.label)](#\(cut.anchor))", with: "[\(cut.label)](#\(anchor))")
        }
    }
}
