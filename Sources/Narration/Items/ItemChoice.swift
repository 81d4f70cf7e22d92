/// One thing a narrative may say: a kind and the fact-table rows it cites, in
/// order (`compare` cites the faster first). Choices are worked out from the
/// facts before the model is asked, so every one of them is true; the model
/// picks among them and adds a note in words.
package struct ItemChoice: Sendable, Hashable {
    package var kind: ItemKind
    /// Row IDs of the fact table (`Gk3f9`).
    package var rows: [String]

    package init(kind: ItemKind, rows: [String]) {
        self.kind = kind
        self.rows = rows
    }
}

/// Every item the facts support, per section, and what a reply's items are
/// checked against: a kind the section does not take, rows the table does not
/// hold, or a claim the figures do not make (a `compare` the wrong way round,
/// a `fastest` that is not) is dropped with its reason.
///
/// ```swift
/// let choices = ItemChoices(sheet: sheet)
/// choices.in(.findings)           // [fastest Gk3f9, compare Gk3f9 Gx2b1, ...]
/// choices.schema                  // the reply's JSON schema, IDs and kinds as enums
/// choices.check(.fastest, rows: ["Gx2b1"], in: .findings)  // .failure(.unsupported(.fastest))
/// ```
package struct ItemChoices: Sendable {
    package let sheet: FactSheet
    /// The sheet by row ID: what the choices were worked out from.
    let table: SheetLookup
    private var bySection: [GroundedNarrative.Section: [ItemChoice]] = [:]

    /// Most choices of one kind offered in one section: the schema and the
    /// prompt stay small however large the table.
    static let perKindLimit = 4
    /// Most choices the summary offers: the most telling of the findings'
    /// (kinds in declaration order, regressions first).
    static let summaryLimit = 6

    package init(sheet: FactSheet) {
        self.sheet = sheet
        table = SheetLookup(sheet)
        for section in GroundedNarrative.Section.allCases {
            var choices: [ItemChoice] = []
            for kind in ItemKind.allCases where kind.sections.contains(section) {
                choices += Array(table.choices(for: kind).prefix(ItemChoices.perKindLimit))
            }
            bySection[section] = section == .summary ? Array(choices.prefix(ItemChoices.summaryLimit)) : choices
        }
    }

    /// The choices of `section`, kinds in declaration order.
    package func `in`(_ section: GroundedNarrative.Section) -> [ItemChoice] {
        bySection[section] ?? []
    }

    /// Whether `rows` may be cited for `kind` in `section`, or why not.
    package func check(
        _ kind: ItemKind, rows: [String], in section: GroundedNarrative.Section
    )
        -> Result<ItemChoice, GroundedNarrative.ItemDropReason>
    {
        guard kind.sections.contains(section) else { return .failure(.wrongSection(kind)) }
        guard !rows.isEmpty else { return .failure(.noFacts) }
        let unknown = rows.filter { table.rows[$0] == nil }
        guard unknown.isEmpty else { return .failure(.unknownFacts(unknown)) }
        let choice = ItemChoice(kind: kind, rows: rows)
        if self.in(section).contains(choice) { return .success(choice) }
        // Say why, where the figures tell.
        if kind == .compare, rows.count == 2 {
            guard let first = table.throughput(rows[0]), let second = table.throughput(rows[1]) else {
                return .failure(.notComparable)
            }
            if first < second { return .failure(.pointsTheOtherWay) }
        }
        if table.choices(for: kind).contains(choice) { return .failure(.notOffered(kind)) }
        return .failure(.unsupported(kind))
    }

    /// Every row an item may cite, once each, in table order.
    package var citableRows: [String] {
        let cited = Set(GroundedNarrative.Section.allCases.flatMap { self.in($0).flatMap(\.rows) })
        return sheet.rows.map(\.id).filter(cited.contains)
    }
}
