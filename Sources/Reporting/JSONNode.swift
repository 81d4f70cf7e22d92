import Records

/// A JSON tree written with keys in the order given and `null` where a value is
/// absent: report.json is read by people as well as scripts, and its contract
/// promises every key, present or null.
public indirect enum JSONNode: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([(String, JSONNode)])

    public static func == (lhs: JSONNode, rhs: JSONNode) -> Bool {
        lhs.rendered(pretty: false) == rhs.rendered(pretty: false)
    }

    public static func number(_ value: Double?) -> JSONNode {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    public static func string(_ value: String?) -> JSONNode {
        value.map { .string($0) } ?? .null
    }

    public static func strings(_ values: [String]) -> JSONNode {
        .array(values.map { .string($0) })
    }

    public func rendered(pretty: Bool = true) -> String {
        var out = ""
        write(into: &out, indent: pretty ? 0 : nil)
        return out
    }

    private func write(into out: inout String, indent: Int?) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .int(let value): out += String(value)
        case .number(let value):
            if !value.isFinite {
                out += "null"  // JSON has no NaN or infinity
            } else if value.rounded() == value && abs(value) < 1e15 {
                out += String(Int64(value))
            } else {
                out += "\(value)"
            }
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
                if !scalars { JSONNode.newline(&out, indent.map { $0 + 1 }) }
                element.write(into: &out, indent: indent.map { $0 + 1 })
            }
            if !scalars { JSONNode.newline(&out, indent) }
            out += "]"
        case .object(let members):
            guard !members.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                JSONNode.newline(&out, indent.map { $0 + 1 })
                JSONString.append(key, to: &out)
                out += indent == nil ? ":" : ": "
                value.write(into: &out, indent: indent.map { $0 + 1 })
            }
            JSONNode.newline(&out, indent)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n" + String(repeating: "  ", count: indent)
    }

}
