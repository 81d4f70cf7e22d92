/// Rows with named columns, whether they came from a CSV file or from an array
/// of JSON objects: the run shapes exist in both (a baseline CSV and its JSON twin).
///
/// Rows are handed out one at a time and never held: what a format keeps of
/// a table is its records, bounded by `IngestLimits`, never a copy of the rows.
protocol Tabular {
    associatedtype Row: TabularRow
    associatedtype Failure: Error
    var header: [String] { get }
    /// The header's names as formats compare them (`ColumnName.canonical`),
    /// worked out once per table.
    var columnNames: [String] { get }
    /// Hands `body` each row in order until it returns false.
    func forEachRow(_ body: (Row) -> Bool) throws(Failure)
}

/// One row of a `Tabular` pass, valid while the pass hands it out.
protocol TabularRow {
    /// 0-based position among the table's rows.
    var ordinal: Int { get }
    /// Where the row is, for messages: `line 12` (CSV), `element 3` (JSON).
    var place: String { get }
    /// The cell's text, cut at `IngestLimits.maximumTextBytes`.
    func string(_ column: Int) -> String
    func double(_ column: Int) -> Double?
    /// The file writes `25,5` for 25.5 (semicolon- and tab-separated files
    /// from European locales), so a comma in a number never groups thousands.
    var writesDecimalComma: Bool { get }
    /// When the cell says a run was measured (`TimestampParsing`), if it is a time.
    func timestamp(_ column: Int) -> Double?
    func isBlank(_ column: Int) -> Bool
    /// About how many bytes the cell's text has, without building it (a
    /// container in JSON counts as more than any label).
    func byteCount(_ column: Int) -> Int
    /// A stable hash of the cell's whole text (`Fingerprint.of` its string, uncut).
    func fingerprint(_ column: Int) -> UInt64
    /// Whether the row handed out before this one holds the same text in the column.
    func sameAsPrevious(_ column: Int) -> Bool
    /// The numbers a list cell holds (`[1.5, 2]`), at most `limit` of them.
    func numbers(_ column: Int, limit: Int) -> [Double]
}

extension Tabular {
    /// Index of a column by name, compared as `ColumnName.canonical` spells
    /// both (`TTFT [ms]` is `ttft_ms`, `eval rate` is `eval_rate`).
    func index(of name: String) -> Int? {
        let wanted = ColumnName.canonical(name)
        return columnNames.firstIndex(of: wanted)
    }

    /// The first of several accepted spellings that is present.
    func index(ofAny names: [String]) -> Int? {
        for name in names {
            if let found = index(of: name) { return found }
        }
        return nil
    }

    /// Those of `columns` whose every non-blank cell is a number (and at
    /// least one is), in one pass over the rows.
    func numericColumns(_ columns: [Int]) throws(Failure) -> Set<Int> {
        var sawNumber = [Bool](repeating: false, count: header.count)
        var sawText = [Bool](repeating: false, count: header.count)
        try forEachRow { row in
            for column in columns where !sawText[column] && !row.isBlank(column) {
                if row.double(column) == nil { sawText[column] = true } else { sawNumber[column] = true }
            }
            return true
        }
        return Set(columns.filter { sawNumber[$0] && !sawText[$0] })
    }
}
