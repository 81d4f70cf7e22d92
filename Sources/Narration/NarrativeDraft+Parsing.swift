import Foundation
import Records

extension NarrativeDraft {
    /// Key spellings models use for each section, compared loosely (case, `_`, `-` ignored).
    static let summaryKeys = ["summary", "executive_summary", "executivesummary", "overview"]
    static let findingsKeys = ["findings", "key_findings", "keyfindings", "insights", "observations"]
    static let recommendationsKeys = ["recommendations", "recommendation", "optimisation_recommendations", "optimization_recommendations", "actions"]
    static let risksKeys = ["risks", "risk", "risk_table", "risk_mitigation", "risks_and_mitigations", "risk_mitigation_table"]

    /// Reads a model's reply tolerantly: plain JSON, JSON in ```json fences,
    /// JSON followed or preceded by prose, single quotes, trailing commas,
    /// truncated output, missing keys (an absent section is empty). Sections
    /// may be strings or lists; list items may be strings or objects (their
    /// text fields are joined); risks may be `{risk, mitigation}` objects,
    /// pairs, or `risk: ... mitigation: ...` strings.
    package init(parsing reply: String) throws(NarrativeParseError) {
        let trimmed = reply.trimmingWhiteSpace
        guard !trimmed.isEmpty else { throw .emptyReply }
        var candidates: [Substring] = []
        if let fenced = NarrativeDraft.fencedBlock(in: trimmed) { candidates.append(fenced) }
        var index = trimmed.startIndex
        // Each `{` is a possible start (a model may write `{` in prose first); a few are enough.
        while candidates.count < 6, let brace = trimmed[index...].firstIndex(of: "{") {
            candidates.append(trimmed[brace...])
            index = trimmed.index(after: brace)
        }
        guard !candidates.isEmpty else {
            throw .noJSONObject(excerpt: String(trimmed.prefix(80)))
        }
        var keysSeen: [String] = []
        for candidate in candidates {
            let start = candidate.drop { $0 != "{" }
            var parser = LenientJSONParser(start)
            guard let value = parser.parseValue(), case .object(let members) = value else { continue }
            let draft = NarrativeDraft(json: value)
            if !draft.isEmpty {
                self = draft
                return
            }
            keysSeen = members.map(\.key)
        }
        if keysSeen.isEmpty && !candidates.contains(where: { $0.contains(":") }) {
            throw .noJSONObject(excerpt: String(trimmed.prefix(80)))
        }
        throw .noNarrative(keys: keysSeen)
    }

    init(json: JSONValue) {
        func first(_ keys: [String]) -> JSONValue? {
            for key in keys { if let value = json[loose: key] { return value } }
            return nil
        }
        self.init(
            summary: NarrativeDraft.texts(first(NarrativeDraft.summaryKeys)).joined(separator: " "),
            findings: NarrativeDraft.texts(first(NarrativeDraft.findingsKeys)),
            recommendations: NarrativeDraft.texts(first(NarrativeDraft.recommendationsKeys)),
            risks: NarrativeDraft.risks(first(NarrativeDraft.risksKeys)))
    }

    /// The contents of the first ``` fence that holds a `{`.
    static func fencedBlock(in text: String) -> Substring? {
        var rest = text[...]
        while let open = rest.range(of: "```") {
            let afterOpen = rest[open.upperBound...]
            // Skip the fence's language tag line (```json).
            let body = afterOpen.drop { $0 != "\n" && $0 != "{" }
            let close = body.range(of: "```")
            let block = close.map { body[..<$0.lowerBound] } ?? body
            if block.contains("{") { return block }
            guard let close else { return nil }
            rest = body[close.upperBound...]
        }
        return nil
    }

    /// Text items of a section: a string, a list of strings, or objects whose
    /// string fields are joined (`{"title": ..., "description": ...}`).
    static func texts(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        switch value {
        case .string(let text):
            let clean = text.trimmingWhiteSpace
            return clean.isEmpty ? [] : [clean]
        case .number, .tooLargeNumber, .bool, .null: return []
        case .array(let items): return items.flatMap { texts($0) }
        case .object(let members):
            let joined = members.flatMap { texts($0.value) }.joined(separator: " ")
            return joined.isEmpty ? [] : [joined]
        }
    }

    static func risks(_ value: JSONValue?) -> [Risk] {
        guard let value else { return [] }
        let items: [JSONValue] = if case .array(let list) = value { list } else { [value] }
        return items.compactMap { item -> Risk? in
            switch item {
            case .object:
                let risk = texts(item[loose: "risk"] ?? item[loose: "name"] ?? item[loose: "issue"] ?? item[loose: "description"]).joined(
                    separator: " ")
                let mitigation = texts(item[loose: "mitigation"] ?? item[loose: "mitigations"] ?? item[loose: "action"] ?? item[loose: "solution"])
                    .joined(separator: " ")
                guard !risk.isEmpty || !mitigation.isEmpty else {
                    // Unknown keys: the first text is the risk, the rest its mitigation.
                    let all = texts(item)
                    return all.isEmpty ? nil : Risk(risk: all.joined(separator: " "), mitigation: "")
                }
                return Risk(risk: risk, mitigation: mitigation)
            case .array(let pair):
                let parts = pair.flatMap { texts($0) }
                guard let risk = parts.first else { return nil }
                return Risk(risk: risk, mitigation: parts.dropFirst().joined(separator: " "))
            case .string(let text):
                return splitRiskText(text)
            case .number, .tooLargeNumber, .bool, .null:
                return nil
            }
        }
    }

    /// `Risk: x. Mitigation: y` or `x — y` as one string.
    static func splitRiskText(_ text: String) -> Risk? {
        let clean = text.trimmingWhiteSpace
        guard !clean.isEmpty else { return nil }
        if let range = clean.range(of: "mitigation:", options: .caseInsensitive) {
            var risk = String(clean[..<range.lowerBound]).trimmingWhiteSpace
            if risk.lowercased().hasPrefix("risk:") { risk = String(risk.dropFirst(5)).trimmingWhiteSpace }
            return Risk(risk: risk.trimmingTrailing(" ;,-—|"), mitigation: String(clean[range.upperBound...]).trimmingWhiteSpace)
        }
        for separator in [" — ", " – ", " | ", " -> ", " → "] {
            if let range = clean.range(of: separator) {
                return Risk(risk: String(clean[..<range.lowerBound]), mitigation: String(clean[range.upperBound...]).trimmingWhiteSpace)
            }
        }
        return Risk(risk: clean, mitigation: "")
    }
}
