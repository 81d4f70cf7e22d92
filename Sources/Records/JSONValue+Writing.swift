extension JSONValue {
    /// JSON text: indented two spaces per level when `pretty` (report.json is
    /// read by people as well as scripts), else compact. Non-finite numbers
    /// are written as null: JSON has no NaN or infinity.
    package func rendered(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : nil)
        return out
    }

    private func write(into out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value):
            if !value.isFinite {
                out += "null"
            } else if value.rounded() == value && abs(value) < 1e15 {
                out += String(Int64(value))
            } else {
                out += "\(value)"
            }
        // Its digits are not kept whole: written as the text it holds.
        case .tooLargeNumber(let literal): JSONString.append(literal, to: &out)
        case .string(let value): JSONString.append(value, to: &out)
        case .array(let elements):
            guard !elements.isEmpty else {
                out += "[]"
                return
            }
            // Lists of plain values (paths, names) stay on one line: a report lists
            // thousands of source files, one per line would triple its size.
            let scalars = elements.allSatisfy { element in
                switch element {
                case .array, .object: false
                default: true
                }
            }
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += scalars && indent != nil ? ", " : "," }
                if !scalars { JSONValue.newline(&out, indent.map { $0 + 1 }) }
                element.write(into: &out, indent: indent.map { $0 + 1 })
            }
            if !scalars { JSONValue.newline(&out, indent) }
            out += "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                JSONValue.newline(&out, indent.map { $0 + 1 })
                JSONString.append(member.key, to: &out)
                out += indent == nil ? ":" : ": "
                member.value.write(into: &out, indent: indent.map { $0 + 1 })
            }
            JSONValue.newline(&out, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }
}
