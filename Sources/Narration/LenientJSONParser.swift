import Records

/// Reads the JSON a small model writes, which is often not quite JSON: single
/// quotes, unquoted keys, trailing commas, missing commas, Python's
/// `True`/`None`, smart quotes, and replies cut off mid-object when the model
/// ran out of tokens (open strings and brackets are closed where the text
/// ends). Everything after the value is ignored (trailing prose).
struct LenientJSONParser {
    private let scalars: [Unicode.Scalar]
    private var position = 0
    /// Nesting beyond this is refused: model output is input.
    static let depthLimit = 64

    init(_ text: Substring) {
        scalars = Array(text.unicodeScalars)
    }

    /// The value that starts at the beginning of the text (after white space).
    mutating func parseValue() -> JSONValue? {
        value(depth: 0)
    }

    private mutating func value(depth: Int) -> JSONValue? {
        guard depth < LenientJSONParser.depthLimit else { return nil }
        skipSpace()
        guard let c = peek() else { return nil }
        switch c {
        case "{": return object(depth: depth)
        case "[": return array(depth: depth)
        case "\"", "'", "\u{201C}", "\u{2018}": return .string(string())
        default:
            if c == "-" || c == "+" || c == "." || c.properties.numericType != nil { return number() }
            let word = bareWord()
            switch word.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            case "null", "none", "nil": return .null
            case "": return nil
            default: return .string(word)
            }
        }
    }

    private mutating func object(depth: Int) -> JSONValue {
        position += 1  // {
        var members: [(key: String, value: JSONValue)] = []
        while true {
            skipSpaceAndCommas()
            guard let c = peek() else { return .object(members) }  // cut off: close it
            if c == "}" {
                position += 1
                return .object(members)
            }
            if c == "]" {  // a stray closer: treat as the end of this object
                position += 1
                return .object(members)
            }
            let key: String
            if c == "\"" || c == "'" || c == "\u{201C}" || c == "\u{2018}" {
                key = string()
            } else {
                key = bareWord()
                if key.isEmpty {
                    position += 1  // an unexpected character: skip it
                    continue
                }
            }
            skipSpace()
            if peek() == ":" || peek() == "=" { position += 1 }
            guard let item = value(depth: depth + 1) else {
                members.append((key, .null))
                continue
            }
            members.append((key, item))
        }
    }

    private mutating func array(depth: Int) -> JSONValue {
        position += 1  // [
        var items: [JSONValue] = []
        while true {
            skipSpaceAndCommas()
            guard let c = peek() else { return .array(items) }
            if c == "]" || c == "}" {
                position += 1
                return .array(items)
            }
            let before = position
            if let item = value(depth: depth + 1) { items.append(item) }
            if position == before { position += 1 }  // never stall on a character no value starts with
        }
    }

    private mutating func string() -> String {
        guard let open = peek() else { return "" }
        position += 1
        let close: Unicode.Scalar =
            switch open {
            case "\u{201C}": "\u{201D}"
            case "\u{2018}": "\u{2019}"
            default: open
            }
        var out = String.UnicodeScalarView()
        while let c = peek() {
            position += 1
            if c == close { return String(out) }
            if c == "\\", let escaped = peek() {
                position += 1
                switch escaped {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "b", "f": break
                case "u":
                    let hex = String(String.UnicodeScalarView(scalars[position..<min(position + 4, scalars.count)]))
                    if hex.count == 4, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                        out.append(scalar)
                        position += 4
                    }
                default: out.append(escaped)
                }
                continue
            }
            out.append(c)
        }
        return String(out)  // cut off inside the string: keep what was written
    }

    private mutating func number() -> JSONValue {
        let start = position
        while let c = peek(), c.properties.numericType != nil || "+-.eE".unicodeScalars.contains(c) { position += 1 }
        let text = String(String.UnicodeScalarView(scalars[start..<position]))
        if let value = Double(text) { return .number(value) }
        return .string(text)
    }

    /// Letters, digits, `_`, `-`, `.`: an unquoted key or a literal.
    private mutating func bareWord() -> String {
        let start = position
        while let c = peek(), c.properties.isAlphabetic || c.properties.numericType != nil || c == "_" || c == "-" || c == "." {
            position += 1
        }
        return String(String.UnicodeScalarView(scalars[start..<position]))
    }

    private func peek() -> Unicode.Scalar? {
        position < scalars.count ? scalars[position] : nil
    }

    private mutating func skipSpace() {
        while let c = peek(), c.properties.isWhitespace { position += 1 }
    }

    private mutating func skipSpaceAndCommas() {
        while let c = peek(), c.properties.isWhitespace || c == "," || c == ";" { position += 1 }
    }
}
