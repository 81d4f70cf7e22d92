import Records

/// How report.json is built: its contract promises every key, present or
/// null, so absent values become `null` rather than a missing key.
extension JSONValue {
    package static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// A count or an index (written without a fraction).
    package static func int(_ value: Int) -> JSONValue {
        .number(Double(value))
    }

    package static func string(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    package static func strings(_ values: [String]) -> JSONValue {
        .array(values.map { .string($0) })
    }
}
