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
    private let scales: [Scale]

    /// How a column's numbers are read.
    enum Scale: Equatable {
        /// Numbers whatever their unit.
        case asWritten
        /// Bare numbers only: a cell with a unit is text (`.runs`).
        case bare
        /// Times, multiplied by the factor of each cell's unit to the
        /// column's (keyed by unit; "" for a cell without one).
        case converted([String: Double])
        /// Numbers in units of different quantities: none is read.
        case mixed
    }

    init(_ table: MarkdownDocument.Table, reading: Reading) {
        rows = table.rows
        guard reading == .numbers else {
            header = table.header
            columnNames = table.header.map(ColumnName.canonical)
            notes = []
            scales = [Scale](repeating: .bare, count: table.header.count)
            return
        }
        var header = table.header
        var notes: [String] = []
        var scales: [Scale] = []
        for column in header.indices {
            let headerUnit = MarkdownRows.headerUnit(header[column])
            let scale = MarkdownRows.scale(of: table.rows.lazy.map { column < $0.count ? $0[column] : "" }, headerUnit: headerUnit)
            scales.append(scale.scale)
            let name = header[column].isEmpty ? "column \(column + 1)" : header[column]
            switch scale.scale {
            case .asWritten, .bare: break
            case .converted:
                let unit = headerUnit ?? scale.units[0]
                if headerUnit == nil { header[column] = "\(name) (\(unit))" }
                if scale.units.count > 1 { notes.append("\(name): times written in \(MarkdownRows.list(scale.units)), read in \(unit)") }
            case .mixed:
                notes.append("\(name) mixes units (\(MarkdownRows.list(scale.units))): read as text")
            }
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

    /// `ms, s and us`.
    private static func list(_ units: [String]) -> String {
        units.count < 2 ? units.joined() : units.dropLast().joined(separator: ", ") + " and " + (units.last ?? "")
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

    /// Seconds in one of a unit of time (`ms`, `s`, `min`, `h`), nil for any other unit.
    static func secondsPer(_ unit: String) -> Double? {
        let unit = unit.lowercased()
        if let exponent = QuantityText.secondsExponent(unit) { return pow(10, Double(exponent)) }
        switch unit {
        case "min", "mins", "minute", "minutes": return 60
        case "h", "hr", "hrs", "hour", "hours": return 3600
        default: return nil
        }
    }

    /// The unit of time a header names in parentheses at its end (`Latency (ms)`), if any.
    static func headerUnit(_ header: String) -> String? {
        let trimmed = header.trimmingBlanks()
        guard trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") else { return nil }
        let unit = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)].trimmingCharacters()
        return secondsPer(String(unit)) != nil ? String(unit) : nil
    }

    /// A cell's number and the unit written after it (`""` when none; `×` as `x`).
    static func quantity(_ cell: String) -> (value: Double, unit: String)? {
        var text = Substring(cell.filter { $0 != "*" && $0 != "`" }).trimmingCharacters()
        if text.range(of: #"^-?\d{1,3}(,\d{3})+(\.\d+)?"#, options: .regularExpression) != nil {
            text = Substring(text.filter { $0 != "," })
        }
        let numberEnd = text.firstIndex { !($0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E") } ?? text.endIndex
        guard let value = NumberParsing.double(text[..<numberEnd]) else { return nil }
        let unit = text[numberEnd...].trimmingCharacters()
        guard unit.count <= 6, unit.allSatisfy({ $0.isLetter || $0 == "%" || $0 == "/" || $0 == "×" }) else { return nil }
        // `1.3×` and `1.2x` are one unit.
        return (value, unit.replacingOccurrences(of: "×", with: "x"))
    }

    /// The column's scale and its units, most used first (ties in the order
    /// they first appear). A cell without a unit is in the
    /// header's unit when it names one, else in the column's; a column with
    /// a cell of text is read as written (it holds no numbers).
    static func scale(of cells: some Sequence<String>, headerUnit: String? = nil) -> (scale: Scale, units: [String]) {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for cell in cells where !cell.trimmingBlanks().isEmpty {
            // A column with text in it is text whatever its units.
            guard let written = quantity(cell)?.unit else { return (.asWritten, []) }
            guard let unit = written.isEmpty ? headerUnit : written else { continue }
            if counts[unit] == nil { order.append(unit) }
            counts[unit, default: 0] += 1
        }
        let units = order.indices.sorted { first, second in
            let (a, b) = (counts[order[first], default: 0], counts[order[second], default: 0])
            return a != b ? a > b : first < second
        }.map { order[$0] }
        let seconds = units.map(secondsPer)
        guard let target = headerUnit ?? units.first, let perTarget = secondsPer(target), !seconds.isEmpty, seconds.allSatisfy({ $0 != nil }) else {
            return (units.count > 1 ? .mixed : .asWritten, units)
        }
        var factors: [String: Double] = ["": (headerUnit.flatMap(secondsPer) ?? perTarget) / perTarget]
        for (unit, perUnit) in zip(units, seconds) { factors[unit] = (perUnit ?? perTarget) / perTarget }
        return (.converted(factors), units)
    }

    struct Row: TabularRow {
        fileprivate let cells: [String]
        fileprivate let previous: [String]?
        fileprivate let scales: [Scale]
        let ordinal: Int

        /// Rows are counted from the table's first row under its header.
        var place: String { "row \(ordinal + 1)" }

        func string(_ column: Int) -> String { column < cells.count ? MarkdownRows.plain(cells[column]) : "" }

        func double(_ column: Int) -> Double? {
            guard let quantity = MarkdownRows.quantity(string(column)) else { return nil }
            switch scales[column] {
            case .asWritten: return quantity.value
            case .bare: return quantity.unit.isEmpty ? quantity.value : nil
            case .converted(let factors): return factors[quantity.unit].map { quantity.value * $0 }
            case .mixed: return nil
            }
        }

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
