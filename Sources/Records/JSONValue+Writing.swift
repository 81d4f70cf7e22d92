extension JSONValue {
    /// JSON text: indented two spaces per level when `pretty` (report.json is
    /// read by people as well as scripts), else compact. Non-finite numbers
    /// are written as null: JSON has no NaN or infinity.
    /// With `endingLine`, a newline follows: a file's text, ended here
    /// rather than by appending to the result, which copied a report's JSON.
    package func rendered(pretty: Bool = true, endingLine: Bool = false) -> String {
        // Written as bytes: a report's JSON is most of a megabyte, and
        // appending to a String checked its storage at every piece, a fifth
        // of a one-changed-file report's time.
        var out: [UInt8] = []
        out.reserveCapacity(16_384)
        write(into: &out, indent: pretty ? 0 : nil)
        if endingLine { out.append(UInt8(ascii: "\n")) }
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value):
            if !value.isFinite {
                out.append(contentsOf: "null".utf8)
            } else if value.rounded() == value && abs(value) < 1e15 {
                out.append(contentsOf: String(Int64(value)).utf8)
            } else {
                out.append(contentsOf: value.description.utf8)
            }
        // Its digits are not kept whole: written as the text it holds.
        case .tooLargeNumber(let literal): JSONString.append(literal, to: &out)
        case .string(let value): JSONString.append(value, to: &out)
        case .array(let elements):
            guard !elements.isEmpty else {
                out.append(contentsOf: "[]".utf8)
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
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 {
                    out.append(UInt8(ascii: ","))
                    if scalars && indent != nil { out.append(UInt8(ascii: " ")) }
                }
                if !scalars { JSONValue.newline(&out, indent.map { $0 + 1 }) }
                element.write(into: &out, indent: indent.map { $0 + 1 })
            }
            if !scalars { JSONValue.newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.newline(&out, indent.map { $0 + 1 })
                JSONString.append(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                member.value.write(into: &out, indent: indent.map { $0 + 1 })
            }
            JSONValue.newline(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        for _ in 0..<indent { out.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: " ")]) }
    }
}
