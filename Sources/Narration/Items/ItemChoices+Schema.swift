import Records

extension ItemChoices {
    /// How many items `section` asks for: one per slot. Sections ask for no
    /// more items than they have choices, and together for at least five
    /// where the choices allow (findings make up for sections with nothing
    /// to offer).
    package func itemCount(_ section: GroundedNarrative.Section) -> Int {
        let offered = self.in(section).count
        switch section {
        case .summary: return min(1, offered)
        case .recommendations, .risks: return min(2, offered)
        case .findings:
            let others = [GroundedNarrative.Section.summary, .recommendations, .risks].reduce(0) { $0 + itemCount($1) }
            return min(offered, max(2, 5 - others))
        }
    }

    /// The choices of each item of `section`: the section's choices dealt
    /// round-robin, most telling first, so that no two items can be the same
    /// choice. (A schema cannot say "each item different"; without the
    /// slots SmolLM2 wrote the same finding four times.)
    package func slots(_ section: GroundedNarrative.Section) -> [[ItemChoice]] {
        let count = itemCount(section)
        guard count > 0 else { return [] }
        var slots = Array(repeating: [ItemChoice](), count: count)
        for (index, choice) in self.in(section).enumerated() { slots[index % count].append(choice) }
        return slots
    }

    /// Items asked of the model in all.
    package var itemsAsked: Int {
        GroundedNarrative.Section.allCases.reduce(0) { $0 + itemCount($1) }
    }

    /// A note's longest length in characters.
    package static let noteLimit = 120

    /// The note: words, commas, full stops and apostrophes; no digits, no
    /// colons or slashes (SmolLM2 filled those with `max-attempts: x;`
    /// debris). A positive class: llama-server answered HTTP 500 for `[^0-9]`
    /// (its grammar let the model write what its JSON reader then rejected),
    /// and takes this one.
    package static let notePattern = "^[A-Za-z][A-Za-z ,.']{0,\(noteLimit - 1)}$"

    /// The reply's JSON schema: per section a list of items, one per slot,
    /// each one of its slot's choices (the kind as a constant, the rows as an
    /// enum or, for a `compare`, as the exact pair), so a server that
    /// constrains decoding to the schema can only produce items the facts
    /// support, each once. Sections with no choice are left out.
    package var schema: JSONValue {
        var properties: [(key: String, value: JSONValue)] = []
        var required: [JSONValue] = []
        for section in GroundedNarrative.Section.allCases {
            let slots = slots(section)
            guard !slots.isEmpty else { continue }
            properties.append(
                (
                    section.rawValue,
                    .object([
                        ("type", .string("array")),
                        ("prefixItems", .array(slots.map { .object([("anyOf", .array(variants($0, section: section)))]) })),
                        ("minItems", .number(Double(slots.count))),
                        ("maxItems", .number(Double(slots.count))),
                    ])
                ))
            required.append(.string(section.rawValue))
        }
        return .object([
            ("type", .string("object")), ("properties", .object(properties)), ("required", .array(required)),
            ("additionalProperties", .bool(false)),
        ])
    }

    /// The kinds of `choices`, each once, in their order.
    private static func kinds(of choices: [ItemChoice]) -> [ItemKind] {
        var kinds: [ItemKind] = []
        for choice in choices where !kinds.contains(choice.kind) { kinds.append(choice.kind) }
        return kinds
    }

    private func variants(_ choices: [ItemChoice], section: GroundedNarrative.Section) -> [JSONValue] {
        var variants: [JSONValue] = []
        for kind in ItemChoices.kinds(of: choices) {
            let ofKind = choices.filter { $0.kind == kind }
            if ofKind.allSatisfy({ $0.rows.count == 1 }) {
                let ids = ofKind.map { JSONValue.string($0.rows[0]) }
                let facts: JSONValue = .object([
                    ("type", .string("array")), ("items", .object([("enum", .array(ids))])), ("minItems", .number(Double(1))),
                    ("maxItems", .number(Double(1))),
                ])
                variants.append(variant(kind, facts: facts, section: section))
            } else {
                for choice in ofKind {
                    let facts: JSONValue = .object([
                        ("type", .string("array")),
                        ("prefixItems", .array(choice.rows.map { .object([("const", .string($0))]) })),
                        ("minItems", .number(Double(choice.rows.count))), ("maxItems", .number(Double(choice.rows.count))),
                    ])
                    variants.append(variant(kind, facts: facts, section: section))
                }
            }
        }
        return variants
    }

    private func variant(_ kind: ItemKind, facts: JSONValue, section: GroundedNarrative.Section) -> JSONValue {
        var properties: [(key: String, value: JSONValue)] = [("kind", .object([("const", .string(kind.rawValue))])), ("facts", facts)]
        var required: [JSONValue] = [.string("kind"), .string("facts")]
        if section == .risks {
            properties.append(("mitigation", .object([("enum", .array(kind.mitigations.map { .string($0.rawValue) }))])))
            required.append(.string("mitigation"))
        }
        properties.append(
            (
                "note",
                .object([
                    ("type", .string("string")), ("maxLength", .number(Double(ItemChoices.noteLimit))), ("pattern", .string(ItemChoices.notePattern)),
                ])
            ))
        required.append(.string("note"))
        return .object([
            ("type", .string("object")), ("properties", .object(properties)), ("required", .array(required)),
            ("additionalProperties", .bool(false)),
        ])
    }

    /// The choices as the prompt lists them, per section and item:
    /// `findings item 2: fastest Gk3f9 | compare Gk3f9 Gx2b1; Gk3f9 Gq7d0`.
    package var text: String {
        var lines: [String] = []
        for section in GroundedNarrative.Section.allCases {
            for (index, slot) in slots(section).enumerated() {
                let parts = ItemChoices.kinds(of: slot).map { kind -> String in
                    let cited = slot.filter { $0.kind == kind }.map { $0.rows.joined(separator: " ") }.joined(separator: "; ")
                    let mitigation =
                        section == .risks ? " (mitigation: " + kind.mitigations.map(\.rawValue).joined(separator: " or ") + ")" : ""
                    return kind.rawValue + mitigation + " " + cited
                }
                lines.append("\(section.rawValue) item \(index + 1): " + parts.joined(separator: " | "))
            }
        }
        return lines.joined(separator: "\n")
    }
}
