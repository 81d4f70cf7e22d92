import Foundation

/// A Markdown pipe table seen as a `Tabular`, so it is read as a CSV of the
/// same columns would be: a table of models' runs as runs, a table of
/// numbers split by its settings and benchmark names. Read apart, a note's
/// `| model | ttft_s | tokens_s |` pooled two models into one series, and
/// `| Benchmark | Time |` one median of `parse` and `render`.
///
/// Cells are numbers as people write them in notes: `**102.85**`, `3,503`,
/// `0.165 s`, `17%`. A column whose cells name different units of time
/// (`12.3 ms` beside `1.2 s`) is read in its most used unit, and its name
/// says which; one mixing other units (`ops/s` beside `MB/s`) holds no one
/// quantity and is read as text. Either is said in `notes`.
///
///     let rows = MarkdownRows(table)
///     if RunTableFormat.matches(rows) { ... } else { GenericSeriesFormat.extract(rows, notes: &notes) }
struct MarkdownRows: Tabular {
    typealias Failure = Never

    let header: [String]
    /// What reading the cells changed, for the file's notes.
    let notes: [String]
    private let rows: [[String]]
    private let scales: [Scale]

    /// How a column's numbers are read.
    enum Scale: Equatable {
        case asWritten
        /// Times in several units, multiplied by the factor of each cell's unit
        /// to the column's (keyed by unit).
        case converted([String: Double])
        /// Numbers in units of different quantities: none is read.
        case mixed
    }

    init(_ table: MarkdownDocument.Table) {
        rows = table.rows
        var header = table.header
        var notes: [String] = []
        var scales: [Scale] = []
        for column in header.indices {
            let scale = MarkdownRows.scale(of: table.rows.lazy.map { column < $0.count ? $0[column] : "" })
            scales.append(scale.scale)
            let name = header[column].isEmpty ? "column \(column + 1)" : header[column]
            switch scale.scale {
            case .asWritten: break
            case .converted:
                let unit = scale.units[0]
                header[column] = header[column].isEmpty ? "column \(column + 1) (\(unit))" : "\(header[column]) (\(unit))"
                notes.append("\(name): times written in \(MarkdownRows.list(scale.units)), read in \(unit)")
            case .mixed:
                notes.append("\(name) mixes units (\(MarkdownRows.list(scale.units))): read as text")
            }
        }
        self.header = header
        self.notes = notes
        self.scales = scales
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

    /// A cell's number and the unit written after it (`""` when none).
    static func quantity(_ cell: String) -> (value: Double, unit: String)? {
        var text = Substring(cell.filter { $0 != "*" && $0 != "`" }).trimmingCharacters()
        if text.range(of: #"^-?\d{1,3}(,\d{3})+(\.\d+)?"#, options: .regularExpression) != nil {
            text = Substring(text.filter { $0 != "," })
        }
        let numberEnd = text.firstIndex { !($0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E") } ?? text.endIndex
        guard let value = NumberParsing.double(text[..<numberEnd]) else { return nil }
        let unit = text[numberEnd...].trimmingCharacters()
        guard unit.count <= 6, unit.allSatisfy({ $0.isLetter || $0 == "%" || $0 == "/" || $0 == "×" }) else { return nil }
        return (value, String(unit))
    }

    /// The column's scale and its units, most used first (ties in the order
    /// they first appear). Cells without a unit are taken to be in the
    /// column's unit, as they were before units were told apart; a column
    /// with a cell of text is read as written (it holds no numbers).
    static func scale(of cells: some Sequence<String>) -> (scale: Scale, units: [String]) {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for cell in cells where !cell.trimmingBlanks().isEmpty {
            // A column with text in it is text whatever its units.
            guard let unit = quantity(cell)?.unit else { return (.asWritten, []) }
            guard !unit.isEmpty else { continue }
            if counts[unit] == nil { order.append(unit) }
            counts[unit, default: 0] += 1
        }
        guard order.count > 1 else { return (.asWritten, order) }
        let units = order.indices.sorted { first, second in
            let (a, b) = (counts[order[first], default: 0], counts[order[second], default: 0])
            return a != b ? a > b : first < second
        }.map { order[$0] }
        let exponents = units.map { QuantityText.secondsExponent($0.lowercased()) }
        guard let target = exponents[0], exponents.allSatisfy({ $0 != nil }) else { return (.mixed, units) }
        var factors: [String: Double] = [:]
        for (unit, exponent) in zip(units, exponents) {
            factors[unit] = pow(10, Double((exponent ?? target) - target))
        }
        return (.converted(factors), units)
    }

    struct Row: TabularRow {
        fileprivate let cells: [String]
        fileprivate let previous: [String]?
        fileprivate let scales: [Scale]
        let ordinal: Int

        /// Rows are counted from the table's first row under its header.
        var place: String { "row \(ordinal + 1)" }

        func string(_ column: Int) -> String { column < cells.count ? cells[column] : "" }

        func double(_ column: Int) -> Double? {
            guard let quantity = MarkdownRows.quantity(string(column)) else { return nil }
            switch scales[column] {
            case .asWritten: return quantity.value
            case .converted(let factors): return quantity.unit.isEmpty ? quantity.value : factors[quantity.unit].map { quantity.value * $0 }
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
            return (column < previous.count ? previous[column] : "") == string(column)
        }

        func numbers(_ column: Int, limit: Int) -> [Double] { NumberList.parse(string(column), limit: limit) }
    }
}
