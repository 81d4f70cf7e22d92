import Foundation

/// A Markdown pipe table seen as a `Tabular`, so it is read as a CSV of the
/// same columns would be: a table of models' runs as runs, a table of
/// numbers split by its settings and benchmark names. Read apart, a note's
/// `| model | ttft_s | tokens_s |` pooled two models into one series, and
/// `| Benchmark | Time |` one median of `parse` and `render`.
///
/// Cells are text as people write it in notes: `**gemma3:latest**` is the
/// model `gemma3:latest`. Read `.runs`, a cell with a unit is no bare number,
/// so the run table reads it in its column's unit (`200 ms` under `ttft_s`
/// is 0.2 s). Read `.numbers`, cells are numbers as notes write them
/// (`**102.85**`, `3,503`, `0.165 s`, `17%`): a column of times is read in
/// one unit, the header's (`Latency (ms)`) or else its cells' most used,
/// and named with it (`Time (ms)`), whatever the mix of a given night; one
/// mixing units of other quantities (`ops/s` beside `MB/s`) holds no one
/// quantity and is read as text. Either is said in `notes`.
///
///     let runs = MarkdownRows(table, reading: .runs)
///     if runs.namesAModelTwice, RunTableFormat.matches(runs) { ... }
///     else { GenericSeriesFormat.extract(MarkdownRows(table, reading: .numbers), notes: &notes) }
struct MarkdownRows: Tabular {
    typealias Failure = Never

    /// What the table is read as.
    enum Reading {
        case runs
        case numbers
    }

    let header: [String]
    let columnNames: [String]
    /// What reading the cells changed, for the file's notes.
    let notes: [String]
    private let rows: [[String]]
    private let scales: [ColumnScale]

    init(_ table: MarkdownDocument.Table, reading: Reading) {
        rows = table.rows
        guard reading == .numbers else {
            header = table.header
            columnNames = table.header.map(ColumnName.canonical)
            notes = []
            scales = [ColumnScale](repeating: .bare, count: table.header.count)
            return
        }
        var header = table.header
        var notes: [String] = []
        var scales: [ColumnScale] = []
        for column in header.indices {
            let headerUnit = ColumnScale.headerUnit(header[column])
            // As the rows read them: `**N/A**` is a value missing, not text.
            let scale = ColumnScale.of(table.rows.lazy.map { column < $0.count ? MarkdownRows.plain($0[column]) : "" }, headerUnit: headerUnit)
            scales.append(scale.scale)
            let labelled = ColumnScale.labelled(header[column], column: column, scale: scale.scale, units: scale.units, headerUnit: headerUnit)
            header[column] = labelled.header
            if let note = labelled.note { notes.append(note) }
        }
        self.header = header
        columnNames = header.map(ColumnName.canonical)
        self.notes = notes
        self.scales = scales
    }

    /// Whether a `model` column names one model in two rows or more: runs
    /// repeat their model, where a summary of a report lists each model once
    /// (its means are no runs).
    var namesAModelTwice: Bool {
        guard let column = index(of: "model") else { return false }
        var seen: Set<String> = []
        for cells in rows where column < cells.count {
            let model = MarkdownRows.plain(cells[column])
            guard !model.isEmpty else { continue }
            if !seen.insert(model).inserted { return true }
        }
        return false
    }

    func forEachRow(_ body: (Row) -> Bool) {
        for (ordinal, cells) in rows.enumerated() {
            let previous = ordinal > 0 ? rows[ordinal - 1] : nil
            guard body(Row(cells: cells, previous: previous, scales: scales, ordinal: ordinal)) else { return }
        }
    }

    /// A cell's text without the emphasis or code marks around it (`**x**`, `` `x` ``, `_x_`).
    static func plain(_ cell: String) -> String {
        var text = Substring(cell).trimmingCharacters()
        for mark in ["**", "__", "`", "*", "_"] {
            while text.count > 2 * mark.count, text.hasPrefix(mark), text.hasSuffix(mark) {
                text = text.dropFirst(mark.count).dropLast(mark.count).trimmingCharacters()
            }
        }
        return String(text)
    }

    struct Row: TabularRow {
        fileprivate let cells: [String]
        fileprivate let previous: [String]?
        fileprivate let scales: [ColumnScale]
        let ordinal: Int

        /// Rows are counted from the table's first row under its header.
        var place: String { "row \(ordinal + 1)" }

        func string(_ column: Int) -> String { column < cells.count ? MarkdownRows.plain(cells[column]) : "" }

        func double(_ column: Int) -> Double? { scales[column].value(of: string(column)) }

        var writesDecimalComma: Bool { false }

        func timestamp(_ column: Int) -> Double? { TimestampParsing.secondsSinceEpoch(string(column)) }

        func isBlank(_ column: Int) -> Bool { string(column).trimmingBlanks().isEmpty }

        func byteCount(_ column: Int) -> Int { string(column).utf8.count }

        func fingerprint(_ column: Int) -> UInt64 { Fingerprint.of(string(column)) }

        func sameAsPrevious(_ column: Int) -> Bool {
            guard let previous else { return false }
            return (column < previous.count ? MarkdownRows.plain(previous[column]) : "") == string(column)
        }

        func numbers(_ column: Int, limit: Int) -> [Double] { NumberList.parse(string(column), limit: limit) }
    }
}
