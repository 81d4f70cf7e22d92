import Records

/// What ingest reads of a parsed JSON document (`Records.JSONValue`).
///
/// Objects keep their keys in file order: llama-bench and pytest-benchmark
/// results read better in the order the tool wrote them.
///
/// Strings hold their whole text (a prompt's hash must match its CSV twin's);
/// `string` and `scalarText`, what formats keep, are cut at
/// `IngestLimits.maximumTextBytes`.
extension JSONValue {
    /// The value of `key`; of a key written twice, the last one, as Python's
    /// `json` (which wrote most result files) and most readers take it.
    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    var members: [(key: String, value: JSONValue)]? {
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

    /// The string as the file holds it, not cut: for a caller that picks a
    /// part of a long text (and cuts that).
    var wholeString: String? {
        if case .string(let text) = self { return text }
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
        Set(members?.map(\.key) ?? [])
    }
}

/// Numbers as users wrote them: integers without `.0`, others at shortest round-trip.
enum ValueText {
    static func render(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15, let whole = Int64(exactly: value) { return String(whole) }
        return "\(value)"
    }
}
