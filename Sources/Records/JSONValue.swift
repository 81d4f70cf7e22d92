/// A JSON value, the one type every stage uses: what ingest's strict parser
/// reads from result files (`Ingest.JSONParser`), what the lenient parser reads
/// from a model's reply (`Narration.LenientJSONParser`), and how the output
/// schema is handed to backends (Ollama `format`, OpenAI `response_format`)
/// without tying them to one JSON library.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    /// A valid JSON number beyond a `Double`'s range (RFC 8259 sets no limit):
    /// no value is read from it. Holds how it is written, shortened
    /// (`123456789012…(5000 digits)`).
    case tooLargeNumber(String)
    case string(String)
    case array([JSONValue])
    /// Keys in the order written: a schema's `required` list reads as written.
    case object([(key: String, value: JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.tooLargeNumber(let a), .tooLargeNumber(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The value of `key`, compared without case, `_` or `-` (`Executive_Summary` finds `executivesummary`).
    package subscript(loose key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        let wanted = JSONValue.looseKey(key)
        return members.first { JSONValue.looseKey($0.key) == wanted }?.value
    }

    static func looseKey(_ key: String) -> String {
        String(key.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// Compact JSON text.
    package var text: String { rendered(pretty: false) }

    static func quoted(_ string: String) -> String {
        JSONString.quoted(string)
    }
}
