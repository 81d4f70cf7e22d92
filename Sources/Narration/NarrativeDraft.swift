/// What a model replied, parsed but not yet checked: per section the items it
/// chose, each a kind, the fact-table rows it cites and a note in words.
/// `Grounding` decides which of them reach a report.
package struct NarrativeDraft: Sendable, Equatable {
    package struct Item: Sendable, Equatable {
        package var section: GroundedNarrative.Section
        /// As written (`"fastest"`, `"Fastest"`); checked against `ItemKind`.
        package var kind: String
        /// As written (`"Gk3f9"`, `"Gk3f9.tps.median"`).
        package var facts: [String]
        package var note: String
        /// A risk's mitigation kind, as written.
        package var mitigation: String?

        package init(section: GroundedNarrative.Section, kind: String, facts: [String], note: String, mitigation: String? = nil) {
            self.section = section
            self.kind = kind
            self.facts = facts
            self.note = note
            self.mitigation = mitigation
        }
    }

    package var items: [Item]

    package init(items: [Item]) {
        self.items = items
    }

    /// No item in any section.
    package var isEmpty: Bool { items.isEmpty }
}
