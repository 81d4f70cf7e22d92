/// One computed figure or statement of the analysis, as a model is shown it.
///
/// `shown` is the text the report prints (formatted by `Analysis.Figures`), so
/// the model sees exactly the digits a reader sees, and grounding compares the
/// model's numbers with those digits.
package struct Fact: Sendable, Equatable {
    /// Stable across reports for the same data: the subject's ID (derived from
    /// what the subject is, not where it stands in a list) and the figure's key,
    /// e.g. `Gk3f9.tps.median`.
    package var id: String
    /// The short key shown in the table (`tps.median`, `ok`, `error`).
    package var key: String
    /// As the report shows it: `294.96`, `0.063`, `5.50×`, `+12.3%`, or text.
    package var shown: String
    /// The exact value behind `shown`; nil for a text fact (an error message).
    package var value: Double?
    /// `tok/s`, `s`, `ms`, `%`, `×`, `runs`, `files`, or empty.
    package var unit: String
    /// Facts of one family measure the same thing on comparable subjects (every
    /// group's median tok/s): a ratio or percentage of two of them is a figure
    /// a narrative may state. Nil: the fact takes part in no ratio.
    package var family: String?
    /// 0 is kept longest when the sheet is trimmed to a budget.
    package var priority: Int

    package init(
        id: String, key: String, shown: String, value: Double?, unit: String, family: String? = nil, priority: Int
    ) {
        self.id = id
        self.key = key
        self.shown = shown
        self.value = value
        self.unit = unit
        self.family = family
        self.priority = priority
    }

    /// `key=shown` with a unit suffix the table's legend does not already imply.
    var rendered: String {
        switch unit {
        case "s", "ms": key + "=" + shown + unit
        default: key + "=" + shown
        }
    }
}
