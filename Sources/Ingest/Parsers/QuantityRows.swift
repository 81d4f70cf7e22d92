/// A table whose cells carry units (`12.3 ms`, `1.2 s`, `45%`, `"3,503"`)
/// read as a Markdown table of the same cells is (`ColumnScale`): a CSV a
/// script wrote with `f"{t:.1f} ms"` holds numbers, and read bare every such
/// column was text and the file "without numeric columns".
///
/// One pass learns each column's scale; the rows are then the base table's,
/// their numbers read at it. Only tables that need it are read so (a cell
/// with a unit where a number was expected): such a table is read three
/// times (as written, for its scales, and at them), about a fifth more time.
///
///     let rows = try QuantityRows(csv, columns: [1], unit: ColumnScale.headerUnit)
///     GenericSeriesFormat.extract(rows, path: path, notes: &notes)   // `latency (ms)`, in ms
struct QuantityRows<Base: Tabular>: Tabular {
    typealias Failure = Base.Failure

    let header: [String]
    let columnNames: [String]
    /// What reading the cells changed, for the file's notes.
    let notes: [String]
    /// Columns that are text for a number written short (`1.2k`): the
    /// reason a file with no other numbers gives.
    let abbreviations: [String]
    private let base: Base
    private let scales: [ColumnScale]

    /// Reads `base` once for the scales of `columns` (the others are read as
    /// the base reads them): a cell that is a bare number to the base table
    /// (its decimal comma read) is one without a unit, and one with a unit no
    /// measurement is written in (`7b`) makes its column text. `unit` gives a
    /// column's unit by its header (`build_s` is in seconds, and so are its
    /// bare cells: one cell of `5.2 min` made the column minutes).
    init(_ base: Base, columns: Set<Int>, unit: (String) -> String?) throws(Base.Failure) {
        var readings = [ColumnScale.Reading](repeating: ColumnScale.Reading(), count: base.header.count)
        for column in readings.indices where !columns.contains(column) { readings[column].addText() }
        var budget = RecordBudget()
        try base.forEachRow { row in
            guard budget.admits(row.place) else { return false }
            for column in readings.indices where !readings[column].isText && !row.isBlank(column) {
                if row.double(column) != nil {
                    readings[column].addNumber()
                } else {
                    readings[column].add(row.string(column), decimalComma: row.writesDecimalComma)
                }
                budget.spend(numbers: 1)
            }
            return true
        }
        var header = base.header
        var notes: [String] = []
        var abbreviations: [String] = []
        var scales: [ColumnScale] = []
        for column in header.indices {
            let headerUnit = unit(header[column])
            if let cell = readings[column].abbreviated {
                let name = header[column].isEmpty ? "column \(column + 1)" : header[column]
                abbreviations.append(TextCuts.text("\(name) writes its numbers short (\(cell)): read as labels"))
            }
            // A column of bare numbers, or of text, is read as the base reads it.
            guard readings[column].readsQuantities, !readings[column].isText else {
                scales.append(.bare)
                continue
            }
            let scale = readings[column].scale(headerUnit: headerUnit)
            scales.append(scale.scale)
            let labelled = ColumnScale.labelled(header[column], column: column, scale: scale.scale, units: scale.units, headerUnit: headerUnit)
            header[column] = labelled.header
            if let note = labelled.note { notes.append(TextCuts.text(note)) }
        }
        self.base = base
        self.header = header
        columnNames = header.map(ColumnName.canonical)
        self.notes = notes
        self.abbreviations = abbreviations
        self.scales = scales
    }

    /// Whether any column's cells carry a unit the base table does not read.
    var readsUnits: Bool { scales.contains { $0 != .bare } }

    func forEachRow(_ body: (Row) -> Bool) throws(Failure) {
        try base.forEachRow { body(Row(base: $0, scales: scales)) }
    }

    struct Row: TabularRow {
        fileprivate let base: Base.Row
        fileprivate let scales: [ColumnScale]

        var ordinal: Int { base.ordinal }
        var place: String { base.place }
        func string(_ column: Int) -> String { base.string(column) }

        func double(_ column: Int) -> Double? {
            if let number = base.double(column) { return scales[column].value(number, unit: "") }
            return scales[column] == .bare ? nil : scales[column].value(of: base.string(column), decimalComma: base.writesDecimalComma)
        }

        var writesDecimalComma: Bool { base.writesDecimalComma }
        func timestamp(_ column: Int) -> Double? { base.timestamp(column) }
        func isBlank(_ column: Int) -> Bool { base.isBlank(column) }
        func byteCount(_ column: Int) -> Int { base.byteCount(column) }
        func fingerprint(_ column: Int) -> UInt64 { base.fingerprint(column) }
        func sameAsPrevious(_ column: Int) -> Bool { base.sameAsPrevious(column) }
        func numbers(_ column: Int, limit: Int) -> [Double] { base.numbers(column, limit: limit) }
    }
}
