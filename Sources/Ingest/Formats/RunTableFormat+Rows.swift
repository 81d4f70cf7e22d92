import Records

/// Rows and cells of a run table that are not what they seem: a row of
/// totals under the runs, an error cell spelling no error, a list in a cell,
/// and a sweep hidden in the `options` cell.
extension RunTableFormat {
    /// Whether one model's run sets differ in a swept setting (`num_gpu` 0
    /// and 99 in the `options` cell): a sweep, whose points are not pooled.
    static func sweepsAnOption(_ sets: [RunSet]) -> Bool {
        var values: [String: Set<String>] = [:]
        for set in sets {
            for parameter in set.configuration where sweepParameters.contains(parameter.name.lowercased()) && parameter.name != "tag" {
                values[(set.model ?? "") + "\u{0}" + parameter.name, default: []].insert(parameter.value)
            }
        }
        return values.values.contains { $0.count > 1 }
    }

    /// Whether a cell holds a list or an object (`[1, 2, 3]`, `{...}`).
    static func isStructured(_ row: some TabularRow, _ column: Int) -> Bool {
        guard row.byteCount(column) >= 2, row.double(column) == nil else { return false }
        let text = row.string(column).trimmingBlanks()
        return (text.hasPrefix("[") && text.hasSuffix("]")) || (text.hasPrefix("{") && text.hasSuffix("}"))
    }

    /// What an error cell holds when there was none: Python's `str(None)`,
    /// pandas' `nan` and `<NA>`, a JSON `null` or `false` written as text, `0`, a dash, Excel's `#N/A`.
    static let noErrorSpellings: Set<String> = ["none", "null", "nil", "nan", "na", "n/a", "false", "0", "0.0", "-", "—", "<na>", "#n/a", "\"\""]

    /// The longest cell read as a summary label (`Durchschnitt:` and blanks).
    static let summaryLabelBytes = 16

    /// Labels of a row of totals or averages under a table's runs.
    static let summaryLabels: Set<String> = [
        "mean", "average", "avg", "median", "total", "totals", "sum", "std", "stddev", "min", "max", "overall", "summary",
        "aggregate", "all runs",
        // As German and French spreadsheets label them.
        "mittelwert", "durchschnitt", "summe", "gesamt", "moyenne", "somme",
    ]

    /// The label of a summary row (`MEAN`, `Average:`) in a cell of the
    /// model column or of a first time column (`extract` decides which count).
    /// Long cells (times) and numbers are passed over unread.
    static func summaryLabel(_ row: some TabularRow, _ column: Int) -> String? {
        guard row.byteCount(column) <= summaryLabelBytes, !row.isBlank(column), row.double(column) == nil else { return nil }
        let text = row.string(column).trimmingBlanks()
        let label = text.hasSuffix(":") ? String(text.dropLast()) : text
        return summaryLabels.contains(label.lowercased()) ? label : nil
    }
}
