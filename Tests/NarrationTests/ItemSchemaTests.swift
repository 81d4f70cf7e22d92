import Foundation
import Records
import Testing

@testable import Narration

/// The reply's JSON schema: per section one item per slot, each item one of
/// its slot's choices, with kinds as constants and IDs as enums of the table's rows.
@Suite struct ItemSchemaTests {
    private func members(_ value: JSONValue?) -> [(key: String, value: JSONValue)] {
        if case .object(let members)? = value { return members }
        return []
    }

    private func elements(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let elements)? = value { return elements }
        return []
    }

    private func string(_ value: JSONValue?) -> String? {
        if case .string(let text)? = value { return text }
        return nil
    }

    /// The choices one variant of the schema allows.
    private func allowed(by variant: JSONValue) throws -> [ItemChoice] {
        let kindName = try #require(string(variant[loose: "properties"]?[loose: "kind"]?[loose: "const"]), "\(variant.text)")
        let kind = try #require(ItemKind(rawValue: kindName), "not a kind: \(kindName)")
        let facts = try #require(variant[loose: "properties"]?[loose: "facts"])
        if let ids = facts[loose: "items"]?[loose: "enum"] {
            #expect(facts[loose: "minItems"] == .number(1) && facts[loose: "maxItems"] == .number(1))
            return elements(ids).map { ItemChoice(kind: kind, rows: [string($0) ?? "not a string"]) }
        }
        let pair = elements(facts[loose: "prefixItems"]).map { string($0[loose: "const"]) ?? "not a string" }
        #expect(!pair.isEmpty, "\(facts.text)")
        #expect(facts[loose: "minItems"] == .number(Double(pair.count)) && facts[loose: "maxItems"] == .number(Double(pair.count)))
        return [ItemChoice(kind: kind, rows: pair)]
    }

    @Test func everyVariantIsOneOfItsSlotsChoicesAndNothingElse() throws {
        for (name, sheet) in try HandSheet.all() {
            let choices = ItemChoices(sheet: sheet)
            let schema = choices.schema
            let rows = Set(sheet.rows.map(\.id))
            for section in GroundedNarrative.Section.allCases {
                let slots = choices.slots(section)
                guard let property = schema[loose: "properties"]?[loose: section.rawValue] else {
                    #expect(slots.isEmpty, "\(name): \(section) is missing")
                    continue
                }
                let items = elements(property[loose: "prefixItems"])
                #expect(items.count == slots.count, "\(name) \(section)")
                #expect(property[loose: "minItems"] == .number(Double(slots.count)))
                #expect(property[loose: "maxItems"] == .number(Double(slots.count)))
                for (item, slot) in zip(items, slots) {
                    var permitted: [ItemChoice] = []
                    for variant in elements(item[loose: "anyOf"]) {
                        let variantChoices = try allowed(by: variant)
                        permitted += variantChoices
                        for choice in variantChoices {
                            #expect(choice.kind.sections.contains(section), "\(name): \(choice.kind) in \(section)")
                            #expect(choice.rows.allSatisfy(rows.contains), "\(name): \(choice.rows) not rows of the table")
                        }
                        #expect(variant[loose: "additionalProperties"] == .bool(false))
                        let note = variant[loose: "properties"]?[loose: "note"]
                        #expect(note?[loose: "maxLength"] == .number(Double(ItemChoices.noteLimit)))
                        #expect(note?[loose: "pattern"] == .string(ItemChoices.notePattern))
                        let required = Set(elements(variant[loose: "required"]).compactMap(string))
                        #expect(required == (section == .risks ? ["kind", "facts", "note", "mitigation"] : ["kind", "facts", "note"]))
                    }
                    #expect(Set(permitted) == Set(slot), "\(name) \(section)")
                    #expect(permitted.count == slot.count, "\(name) \(section): a choice allowed twice")
                }
            }
        }
    }

    @Test func sectionsWithoutChoicesAreLeftOut() throws {
        // One group of thirty runs: something to state, nothing to recommend or risk.
        let sheet = HandSheet.sheet([HandSheet.group("Gaaa1", "gemma3:1b", tps: "90.5")], models: ["gemma3:1b"])
        let choices = ItemChoices(sheet: sheet)
        #expect(choices.in(.recommendations).isEmpty && choices.in(.risks).isEmpty)
        let schema = choices.schema
        #expect(members(schema[loose: "properties"]).map(\.key) == ["summary", "findings"])
        #expect(schema[loose: "required"] == .array([.string("summary"), .string("findings")]))
        #expect(schema[loose: "additionalProperties"] == .bool(false))
        #expect(!choices.text.contains("recommendations") && !choices.text.contains("risks"))
        // Every section with a choice is required.
        for (name, sheet) in try HandSheet.all() {
            let choices = ItemChoices(sheet: sheet)
            let expected = GroundedNarrative.Section.allCases.filter { !choices.in($0).isEmpty }.map(\.rawValue)
            #expect(members(choices.schema[loose: "properties"]).map(\.key) == expected, "\(name)")
            #expect(elements(choices.schema[loose: "required"]).compactMap(string) == expected, "\(name)")
        }
    }

    @Test func aRisksMitigationEnumIsItsKindsMitigations() throws {
        var risks = 0
        for (name, sheet) in try HandSheet.all() {
            let schema = ItemChoices(sheet: sheet).schema
            for section in GroundedNarrative.Section.allCases {
                for item in elements(schema[loose: "properties"]?[loose: section.rawValue]?[loose: "prefixItems"]) {
                    for variant in elements(item[loose: "anyOf"]) {
                        let kind = try #require(ItemKind(rawValue: string(variant[loose: "properties"]?[loose: "kind"]?[loose: "const"]) ?? ""))
                        let mitigation = variant[loose: "properties"]?[loose: "mitigation"]
                        if section == .risks {
                            risks += 1
                            #expect(mitigation?[loose: "enum"] == .array(kind.mitigations.map { .string($0.rawValue) }), "\(name): \(kind)")
                            #expect(!kind.mitigations.isEmpty)
                        } else {
                            #expect(mitigation == nil, "\(name): \(kind) in \(section) has a mitigation")
                        }
                    }
                }
            }
        }
        #expect(risks > 0)
    }

    @Test func aCompareIsTheExactPairFasterFirst() throws {
        let sheet = HandSheet.everything()
        let schema = ItemChoices(sheet: sheet).schema
        var pairs: [[String]] = []
        for item in elements(schema[loose: "properties"]?[loose: "findings"]?[loose: "prefixItems"]) {
            for variant in elements(item[loose: "anyOf"]) where string(variant[loose: "properties"]?[loose: "kind"]?[loose: "const"]) == "compare" {
                let facts = variant[loose: "properties"]?[loose: "facts"]
                #expect(facts?[loose: "items"] == nil)
                pairs.append(elements(facts?[loose: "prefixItems"]).compactMap { string($0[loose: "const"]) })
            }
        }
        #expect(!pairs.isEmpty)
        for pair in pairs {
            #expect(pair.count == 2)
            #expect((HandSheet.throughput(sheet, pair[0]) ?? 0) > (HandSheet.throughput(sheet, pair[1]) ?? .infinity), "\(pair)")
        }
    }

    @Test func theNotePatternTakesWordsAndRefusesDigits() throws {
        let pattern = try NSRegularExpression(pattern: ItemChoices.notePattern)
        func matches(_ text: String) -> Bool {
            pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        #expect(matches("Warm the model up before timing it, cold runs skew the first token."))
        #expect(matches("The sweep's best is within the noise."))
        #expect(!matches("R - best-of-round results: gzip, max-attempts: x; minmax-attempts: x"))
        #expect(!matches("Cold runs skew it (see above)."))
        #expect(matches("A"))
        #expect(!matches(""))
        #expect(!matches("Runs 5 times faster."))
        #expect(!matches(" Leading space."))
        #expect(!matches("Line\nbreak."))
        #expect(matches(String(repeating: "a", count: ItemChoices.noteLimit)))
        #expect(!matches(String(repeating: "a", count: ItemChoices.noteLimit + 1)))
    }

    /// The schema as JSON a server reads: JSONSerialization parses its text
    /// to the same structure, and its keys are unique.
    @Test func theSchemaRoundTripsThroughJSONSerialization() throws {
        for (name, sheet) in try HandSheet.all() {
            let schema = ItemChoices(sheet: sheet).schema
            let parsed = try JSONSerialization.jsonObject(with: Data(schema.text.utf8))
            #expect(canonical(try value(parsed)) == canonical(schema), "\(name)")
            let again = try JSONSerialization.jsonObject(with: JSONSerialization.data(withJSONObject: parsed))
            #expect(canonical(try value(again)) == canonical(schema), "\(name)")
            #expect(hasUniqueKeys(schema), "\(name)")
            var parser = LenientJSONParser(Substring(schema.text))
            #expect(parser.parseValue() == schema, "\(name)")
        }
    }

    private func hasUniqueKeys(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): Set(members.map(\.key)).count == members.count && members.allSatisfy { hasUniqueKeys($0.value) }
        case .array(let elements): elements.allSatisfy(hasUniqueKeys)
        default: true
        }
    }

    /// Objects with sorted keys, booleans as numbers (Foundation gives both as `NSNumber`).
    private func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let members): .object(members.map { ($0.key, canonical($0.value)) }.sorted { $0.0 < $1.0 }.map { (key: $0.0, value: $0.1) })
        case .array(let elements): .array(elements.map(canonical))
        case .bool(let flag): .number(flag ? 1 : 0)
        default: value
        }
    }

    private struct NotJSON: Error {}

    private func value(_ object: Any) throws -> JSONValue {
        switch object {
        case let text as String: return .string(text)
        case let dictionary as [String: Any]: return .object(try dictionary.map { (key: $0.key, value: try value($0.value)) })
        case let array as [Any]: return .array(try array.map(value))
        case let number as NSNumber: return .number(number.doubleValue)
        case is NSNull: return .null
        default: throw NotJSON()
        }
    }
}
