extension JSONValue {
    /// JSON text: indented two spaces per level when `pretty` (report.json is
    /// read by people as well as scripts), else compact. Non-finite numbers
    /// are written as null: JSON has no NaN or infinity. With `endingLine`, a
    /// newline follows: a file's text, ended here rather than by appending
    /// to the result, which copied a report's JSON.
    package func rendered(pretty: Bool = true, endingLine: Bool = false) -> String {
        // Written as bytes: a report's JSON is most of a megabyte, and
        // appending to a String checked its storage at every piece, a fifth
        // of a one-changed-file report's time. (Writing a report's run groups
        // on several cores did not pay: its Markdown and HTML render beside
        // it, and joining the pieces copied the text again.)
        var out: [UInt8] = []
        out.reserveCapacity(16_384)
        write(into: &out, indent: pretty ? 0 : nil)
        if endingLine { out.append(UInt8(ascii: "\n")) }
        return String(decoding: out, as: UTF8.self)
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func write(into out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .number(let value):
            if !value.isFinite {
                out.append(contentsOf: "null".utf8)
            } else if value.rounded() == value && abs(value) < 1e15 {
                JSONValue.writeInteger(Int64(value), into: &out)
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
            let scalars = elements.allSatisfy(\.isScalar)
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

    /// Digits straight into the text: a report holds tens of thousands of
    /// counts, and none needs a String of its own.
    private static func writeInteger(_ value: Int64, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // An Int64's magnitude has at most 19 digits.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeMutableBufferPointer(rebasing: digits[start...]))
        }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }
}
