/// A parsed JSON document.
///
/// Objects keep their keys in file order: llama-bench and pytest-benchmark
/// results read better in the order the tool wrote them.
///
/// Strings hold their whole text (a prompt's hash must match its CSV twin's);
/// `string` and `scalarText`, what formats keep, are cut at
/// `IngestLimits.maximumTextBytes`.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    /// A valid JSON number beyond a `Double`'s range (RFC 8259 sets no limit):
    /// no value is read from it. Holds how it is written, shortened
    /// (`123456789012…(5000 digits)`); the parse notes it.
    case tooLargeNumber(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.tooLargeNumber(let a), .tooLargeNumber(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    var members: [(String, JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var elements: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    var double: Double? {
        switch self {
        case .number(let value): value
        case .string(let text): NumberParsing.double(text)
        default: nil
        }
    }

    var string: String? {
        if case .string(let text) = self { return TextCuts.text(text) }
        return nil
    }

    var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var isNull: Bool { self == .null }

    /// Scalars as a parameter value; `nil` for containers and null.
    var scalarText: String? {
        switch self {
        case .string(let text): TextCuts.text(text)
        case .bool(let value): value ? "true" : "false"
        case .number(let value): ValueText.render(value)
        case .tooLargeNumber(let literal): literal
        default: nil
        }
    }

    /// Keys present at the top level of an object.
    var keySet: Set<String> {
        Set(members?.map(\.0) ?? [])
    }
}

/// Numbers as users wrote them: integers without `.0`, others at shortest round-trip.
enum ValueText {
    static func render(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15, let whole = Int64(exactly: value) { return String(whole) }
        return "\(value)"
    }
}
