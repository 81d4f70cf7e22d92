/// The cells a table writes where a measurement has no number: pandas'
/// `NaN` and `NaT`, R's `NA`, a spreadsheet's `#N/A` or `#DIV/0!`, a script's
/// `None`, `null` or `-`, and `inf` for a run that never finished. In a
/// column of numbers each is one value missing, not a column of text: read
/// as text, one `NaN` in thirty nights dropped the whole column unsaid.
///
///     MissingValue.isMarker("N/A")      // true
///     MissingValue.isMarker("nan ms")   // true
///     MissingValue.isMarker("gzip")     // false
enum MissingValue {
    /// Lower-cased, blanks trimmed.
    private static let markers: Set<String> = [
        "nan", "-nan", "+nan", "nat", "na", "n/a", "n.a.", "<na>", "#n/a", "#na", "none", "null", "nil", "undefined", "missing",
        "-", "--", "—", "–", "?", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "#value!", "#div/0!", "#num!",
        "#null!", "#ref!",
    ]

    /// What Python prints for a value that is none, in a cell with its unit
    /// (`f"{t:.1f} ms"` of a NaN is `nan ms`), longest first.
    private static let printed = ["-infinity", "+infinity", "infinity", "-nan", "+nan", "nan", "-inf", "+inf", "inf"]

    /// The longest cell looked at, in bytes: longer cells are no marker, so no copy is made of them.
    private static let longest = 20

    /// Whether `text` is one of the markers, whatever its case, or a printed
    /// one with a unit a measurement is written in (`nan ms`, `inf%`).
    static func isMarker(_ text: String) -> Bool {
        let trimmed = text.trimmingBlanks()
        guard !trimmed.isEmpty, trimmed.utf8.count <= longest else { return false }
        let lowered = trimmed.lowercased()
        if markers.contains(lowered) { return true }
        guard let marker = printed.first(where: { lowered.hasPrefix($0) }) else { return false }
        let unit = String(lowered.dropFirst(marker.count)).trimmingBlanks()
        return !unit.isEmpty && unit.count <= 6 && ColumnScale.isMeasurementUnit(unit)
    }
}
