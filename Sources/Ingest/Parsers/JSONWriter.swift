import Records

/// Minimal JSON text for configuration values kept as parameters, cut like
/// any kept text at `IngestLimits.maximumTextBytes`.
enum JSONWriter {
    /// The value as compact JSON. Writing stops once past the limit, so a
    /// huge nested value costs no more than the text kept of it.
    static func compact(_ value: JSONValue) -> String {
        var out = ""
        _ = write(value, to: &out)
        return TextCuts.text(out)
    }

    /// Appends `value`; false when it stopped past the limit.
    private static func write(_ value: JSONValue, to out: inout String) -> Bool {
        guard !TextCuts.isTooLong(out.utf8.count) else { return false }
        switch value {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number): out += ValueText.render(number)
        case .tooLargeNumber(let literal): out += literal
        case .string(let text): out += "\"" + text.replacingQuotes() + "\""
        case .array(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                guard write(element, to: &out) else { return false }
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, (key, child)) in members.enumerated() {
                if index > 0 { out += "," }
                out += "\"" + key.replacingQuotes() + "\":"
                guard write(child, to: &out) else { return false }
            }
            out += "}"
        }
        return true
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var out = ""
        for character in self {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }
}
