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
    /// truncated output (the items complete before the cut), missing keys (an
    /// absent section is empty), a section given as one item instead of a list.
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
        // The keys of the first (outermost) object read, for the reason.
        var keysSeen: [String]?
        for candidate in candidates {
            let start = candidate.drop { $0 != "{" }
            var parser = LenientJSONParser(start)
            guard let value = parser.parseValue(), case .object(let members) = value else { continue }
            let draft = NarrativeDraft(json: value)
            if !draft.isEmpty {
                self = draft
                return
            }
            if keysSeen == nil { keysSeen = members.map(\.key) }
        }
        guard let keysSeen else {
            throw .noJSONObject(excerpt: String(trimmed.prefix(80)))
        }
        if keysSeen.isEmpty && !candidates.contains(where: { $0.contains(":") }) && !trimmed.hasPrefix("{") {
            throw .noJSONObject(excerpt: String(trimmed.prefix(80)))
        }
        throw .noNarrative(keys: keysSeen)
    }

    init(json: JSONValue) {
        var items: [Item] = []
        for section in GroundedNarrative.Section.allCases {
            let keys: [String] =
                switch section {
                case .summary: NarrativeDraft.summaryKeys
                case .findings: NarrativeDraft.findingsKeys
                case .recommendations: NarrativeDraft.recommendationsKeys
                case .risks: NarrativeDraft.risksKeys
                }
            guard let value = keys.lazy.compactMap({ json[loose: $0] }).first else { continue }
            let list: [JSONValue] = if case .array(let members) = value { members } else { [value] }
            items += list.compactMap { NarrativeDraft.item($0, section: section) }
        }
        self.init(items: items)
    }

    /// An item as models write it: `{kind, facts, note}` (`type` for kind;
    /// `fact`, `ids` or `id` for facts, a list or one string; `text` or
    /// `comment` for the note). Anything else (a bare sentence) is no item.
    static func item(_ value: JSONValue, section: GroundedNarrative.Section) -> Item? {
        guard case .object = value else { return nil }
        func text(_ keys: [String]) -> String? {
            for key in keys { if case .string(let text)? = value[loose: key] { return text } }
            return nil
        }
        guard let kind = text(["kind", "type"]) else { return nil }
        var facts: [String] = []
        for key in ["facts", "fact", "ids", "id"] {
            switch value[loose: key] {
            case .string(let id)?: facts = [id]
            case .array(let ids)?: facts = ids.compactMap { if case .string(let id) = $0 { id } else { nil } }
            default: continue
            }
            break
        }
        return Item(
            section: section, kind: kind, facts: facts, note: text(["note", "text", "comment"]) ?? "",
            mitigation: text(["mitigation"]))
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
}
