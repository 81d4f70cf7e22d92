import Records

/// A strict JSON parser (RFC 8259) that says where a document breaks.
///
/// Foundation's `JSONSerialization` reports a truncated file only as "Unexpected
/// end of file" with no position; users need "line 412, column 7" to find the
/// damage, so parsing is done here, over the bytes, in one pass.
struct JSONParser {
    struct Failure: Error, Equatable {
        var line: Int
        var column: Int
        var message: String
        /// The document is valid as far as read, but too large to hold.
        var isLimit = false
        /// A whole value was read and more text follows it (JSON Lines, perhaps).
        var isTrailingContent = false
        /// The text ended inside a value: a file cut off, or still being written.
        var isTruncated = false
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0
    private var values = 0
    /// Numbers beyond a `Double`'s range: how many, and the first one's offset and length.
    private var tooLargeNumbers = 0
    private var firstTooLargeNumber: (offset: Int, length: Int)?
    /// `NaN` and `Infinity` (Python's `json.dump` writes them), and C's
    /// `nan`, `-nan`, `inf` (C++'s `std::to_string` in llama-bench's JSON):
    /// read as null, no value; how many, and where the first is.
    private var nonFiniteNumbers = 0
    private var firstNonFiniteNumber: Int?
    private static let maximumDepth = 512
    /// Each parsed value costs tens of bytes in memory; a file of more values
    /// than this is no result file, and would exhaust memory.
    static let maximumValues = 4_000_000
    /// What the values may take in memory, roughly (`treeBytes`): a document
    /// is held whole while its records are taken, and 4,000,000 values of
    /// long strings would take gigabytes.
    static let maximumTreeBytes = 160 << 20
    /// A value's own size, a member's key, and the heap storage of strings
    /// too long to be held inline, for the values parsed so far.
    private var treeBytes = 0

    static func parse(_ text: [UInt8]) throws(Failure) -> JSONValue {
        var notes: [String] = []
        return try text.withUnsafeBufferPointer { (buffer) throws(Failure) -> JSONValue in
            try parse(buffer, notes: &notes)
        }
    }

    /// Parses a document; `notes` gets what the file's notes should say of
    /// it (numbers too large to read). Texts cut are noted by who keeps them.
    static func parse(_ text: UnsafeBufferPointer<UInt8>, notes: inout [String]) throws(Failure) -> JSONValue {
        var spent = Spent()
        return try parse(text, notes: &notes, spent: &spent)
    }

    /// What the documents read so far took: JSON Lines hold all their lines'
    /// values at once, so the limits apply to them together.
    struct Spent {
        var values = 0
        var treeBytes = 0
    }

    /// Parses one of several documents held together, `spent` carried from one to the next.
    static func parse(_ text: UnsafeBufferPointer<UInt8>, notes: inout [String], spent: inout Spent) throws(Failure) -> JSONValue {
        var parser = JSONParser(bytes: text)
        parser.values = spent.values
        parser.treeBytes = spent.treeBytes
        defer { spent = Spent(values: parser.values, treeBytes: parser.treeBytes) }
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        guard parser.index == text.count else {
            var failure = parser.failure("unexpected content after the JSON value")
            failure.isTrailingContent = true
            throw failure
        }
        if let first = parser.firstTooLargeNumber {
            let count = parser.tooLargeNumbers
            let what = count == 1 ? "1 number too large for a 64-bit float was" : "\(count) numbers too large for a 64-bit float were"
            let digits = "\(JSONParser.digitCount(UnsafeBufferPointer(rebasing: text[first.offset..<(first.offset + first.length)]))) digits"
            notes.append("\(what) left out (\(count == 1 ? "" : "the first, ")\(digits), at \(parser.place(first.offset)))")
        }
        if let first = parser.firstNonFiniteNumber {
            let count = parser.nonFiniteNumbers
            let what = count == 1 ? "1 NaN or Infinity was" : "\(count) NaN or Infinity values were"
            notes.append("\(what) read as no value (\(count == 1 ? "" : "the first ")at \(parser.place(first)))")
        }
        return value
    }

    /// Documents one after another (a tool's JSON output appended to its
    /// file with `>>`): each value in order, under one document's ceilings.
    static func parseSequence(_ text: UnsafeBufferPointer<UInt8>) throws(Failure) -> [JSONValue] {
        var parser = JSONParser(bytes: text)
        var values: [JSONValue] = []
        parser.skipWhitespace()
        while parser.index < text.count {
            values.append(try parser.parseValue())
            parser.skipWhitespace()
        }
        return values
    }

    /// The whole elements of a top-level array that the text ends inside
    /// (a benchmark killed while writing its list): nil when the text is no
    /// array or ends before its first element is whole.
    static func wholeElements(_ text: UnsafeBufferPointer<UInt8>) -> [JSONValue]? {
        var parser = JSONParser(bytes: text)
        parser.skipWhitespace()
        guard parser.index < text.count, text[parser.index] == UInt8(ascii: "[") else { return nil }
        parser.index += 1
        var elements: [JSONValue] = []
        while true {
            parser.skipWhitespace()
            guard let value = try? parser.parseValue() else { break }
            elements.append(value)
            parser.skipWhitespace()
            guard parser.index < text.count, text[parser.index] == UInt8(ascii: ",") else { break }
            parser.index += 1
        }
        return elements.isEmpty ? nil : elements
    }

    /// The whole members of a top-level object that the text ends inside a
    /// list of, with that list's whole elements (Google Benchmark writes
    /// `{"context": ..., "benchmarks": [` and then each run as it ends):
    /// nil when the text is no object, or ends elsewhere than in a list.
    static func wholeMembers(_ text: UnsafeBufferPointer<UInt8>) -> (document: JSONValue, list: String)? {
        var parser = JSONParser(bytes: text)
        parser.skipWhitespace()
        guard parser.index < text.count, text[parser.index] == UInt8(ascii: "{") else { return nil }
        parser.index += 1
        var members: [(key: String, value: JSONValue)] = []
        while true {
            parser.skipWhitespace()
            guard parser.index < text.count, text[parser.index] == UInt8(ascii: "\""), let key = try? parser.parseString(isKey: true)
            else { return nil }
            parser.skipWhitespace()
            guard parser.index < text.count, text[parser.index] == UInt8(ascii: ":") else { return nil }
            parser.index += 1
            parser.skipWhitespace()
            let start = parser.index
            if let value = try? parser.parseValue() {
                members.append((key, value))
                parser.skipWhitespace()
                guard parser.index < text.count, text[parser.index] == UInt8(ascii: ",") else { return nil }
                parser.index += 1
                continue
            }
            guard start < text.count, text[start] == UInt8(ascii: "["),
                let elements = wholeElements(UnsafeBufferPointer(rebasing: text[start...]))
            else { return nil }
            members.append((key, .array(elements)))
            return (.object(members), key)
        }
    }

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private func failure(_ message: String, at position: Int? = nil) -> Failure {
        let (line, column) = lineAndColumn(position ?? index)
        return Failure(line: line, column: column, message: message)
    }

    /// The text ended inside a value: `message` with the likely cause.
    private func truncated(_ message: String, at position: Int? = nil) -> Failure {
        var failure = failure(message + " (truncated JSON?)", at: position)
        failure.isTruncated = true
        return failure
    }

    /// A control character inside the string that opened at `opening`: a
    /// string cut off when only white space follows it to the end (a file
    /// cut mid-string, its line then ended), so the cut's salvage applies.
    private func controlCharacter(inString opening: Int) -> Failure {
        var rest = index
        while rest < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[rest]) { rest += 1 }
        return rest == bytes.count ? truncated("unterminated string", at: opening) : failure("control character inside a string")
    }

    private func limit(_ message: String) -> Failure {
        var failure = failure(message)
        failure.isLimit = true
        return failure
    }

    private func lineAndColumn(_ position: Int) -> (line: Int, column: Int) {
        let offset = min(position, bytes.count)
        var line = 1
        var lineStart = 0
        for k in 0..<offset where bytes[k] == 0x0A {
            line += 1
            lineStart = k + 1
        }
        return (line, offset - lineStart + 1)
    }

    /// `line 3, column 9`, for notes.
    private func place(_ position: Int) -> String {
        let (line, column) = lineAndColumn(position)
        return "line \(line), column \(column)"
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(Failure) -> JSONValue {
        guard index < bytes.count else { throw truncated("unexpected end of file") }
        values += 1
        treeBytes += MemoryLayout<JSONValue>.stride
        if values > JSONParser.maximumValues { throw limit("more than \(JSONParser.maximumValues) values") }
        try checkTreeBytes(adding: 0)
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString(isKey: false))
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        // C's and C++'s `nan`, `inf` (llama-bench writes `std::to_string` unquoted: `"stddev_ts": -nan`).
        case UInt8(ascii: "n") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "a"): return try nonFinite("nan")
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "i"): return try nonFinite("inf")
        case UInt8(ascii: "N"): return try nonFinite("NaN")  // Python's json.dump writes NaN
        case UInt8(ascii: "I"): return try nonFinite("Infinity")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default:
            throw failure("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'")
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(Failure) -> JSONValue {
        let length = word.utf8CodeUnitCount
        guard index + length <= bytes.count else { throw truncated("unexpected end of file") }
        for k in 0..<length where bytes[index + k] != word.utf8Start[k] {
            throw failure("invalid literal, expected \(word)")
        }
        index += length
        return value
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > JSONParser.maximumDepth { throw failure("nesting deeper than \(JSONParser.maximumDepth) levels") }
    }

    private mutating func parseObject() throws(Failure) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw truncated("unexpected end of file inside an object") }
            // Only after a comma: the empty object returned above.
            if bytes[index] == UInt8(ascii: "}") { throw failure("a trailing comma before '}' (JSON allows none after the last member)") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw failure("expected a quoted key") }
            let key = try parseString(isKey: true)
            skipWhitespace()
            guard index < bytes.count else { throw truncated("unexpected end of file inside an object") }
            guard bytes[index] == UInt8(ascii: ":") else { throw failure("expected ':' after key \"\(key)\"") }
            index += 1
            skipWhitespace()
            treeBytes += MemoryLayout<String>.stride
            members.append((key, try parseValue()))
            skipWhitespace()
            guard index < bytes.count else { throw truncated("unexpected end of file inside an object") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(JSONParser.lastOfEachKey(members))
            }
            throw failure("expected ',' or '}' in an object")
        }
    }

    /// An object's members with each key once: where it was first written,
    /// with the value written last, as Python's `json` (which wrote most
    /// result files) reads a key written twice. Every reader of the
    /// document then sees one value, whichever way it looks the key up.
    static func lastOfEachKey(_ members: [(String, JSONValue)]) -> [(String, JSONValue)] {
        // Most objects are a run's dozen keys: compared pairwise, no hashing.
        if members.count <= 32 {
            var repeated = false
            outer: for i in members.indices {
                for j in members.index(after: i)..<members.endIndex where members[i].0 == members[j].0 {
                    repeated = true
                    break outer
                }
            }
            guard repeated else { return members }
        }
        var position: [String: Int] = [:]
        var kept: [(String, JSONValue)] = []
        kept.reserveCapacity(members.count)
        for member in members {
            if let at = position[member.0] {
                kept[at].1 = member.1
            } else {
                position[member.0] = kept.count
                kept.append(member)
            }
        }
        return kept
    }

    private mutating func parseArray() throws(Failure) -> JSONValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            // Only after a comma: the empty array returned above.
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                throw failure("a trailing comma before ']' (JSON allows none after the last element)")
            }
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw truncated("unexpected end of file inside an array") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            throw failure("expected ',' or ']' in an array")
        }
    }

    private mutating func nonFinite(_ word: StaticString, from start: Int? = nil) throws(Failure) -> JSONValue {
        let at = start ?? index
        let value = try literal(word, .null)
        nonFiniteNumbers += 1
        if firstNonFiniteNumber == nil { firstNonFiniteNumber = at }
        return value
    }

    private mutating func parseNumber() throws(Failure) -> JSONValue {
        let start = index
        if bytes[index] == UInt8(ascii: "-") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "I") {
                _ = try nonFinite("Infinity", from: start)
                return .null
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "i") || bytes[index] == UInt8(ascii: "n") {
                _ = try nonFinite(bytes[index] == UInt8(ascii: "i") ? "inf" : "nan", from: start)
                return .null
            }
        }
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        let literal = UnsafeBufferPointer(rebasing: bytes[start..<index])
        if let value = NumberParsing.double(literal) { return .number(value) }
        guard Self.isNumber(literal) else { throw failure("invalid number", at: start) }
        if let value = NumberParsing.jsonDouble(literal) { return .number(value) }
        // Valid JSON (RFC 8259 sets no limit), but no Double holds it: kept
        // as what it is, and noted, rather than failing the file.
        tooLargeNumbers += 1
        if firstTooLargeNumber == nil { firstTooLargeNumber = (start, literal.count) }
        return .tooLargeNumber(Self.shortened(literal))
    }

    /// RFC 8259's number: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    static func isNumber(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        func isDigit(_ k: Int) -> Bool { k < b.count && b[k] >= 0x30 && b[k] <= 0x39 }
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return false }
        if b[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        return i == b.count
    }

    /// A too-large number as reports show it: whole when short, else its
    /// first digits and how many there are (`123456789012…(5000 digits)`).
    private static func shortened(_ literal: UnsafeBufferPointer<UInt8>) -> String {
        guard literal.count > 24 else { return String(decoding: literal, as: UTF8.self) }
        return String(decoding: UnsafeBufferPointer(rebasing: literal[0..<12]), as: UTF8.self) + "…(\(digitCount(literal)) digits)"
    }

    private static func digitCount(_ literal: UnsafeBufferPointer<UInt8>) -> Int {
        literal.reduce(0) { $1 >= 0x30 && $1 <= 0x39 ? $0 + 1 : $0 }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
            UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    /// A string, whole; a key cut at `IngestLimits.maximumTextBytes` (keys
    /// name columns, parameters and series, and are looked up, never hashed).
    private mutating func parseString(isKey: Bool) throws(Failure) -> String {
        let opening = index
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                // Measured before it is made: a 250 MB string beside its file's bytes passed 512 MiB.
                try checkTreeBytes(adding: index - start)
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
                let text = isKey ? TextCuts.text(slice) : String(decoding: slice, as: UTF8.self)
                countStorage(of: text)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacter(inString: opening) }
            index += 1
        }
        // Escapes only shrink a string: its written length bounds what it
        // becomes, checked before anything is made, and reserved at once
        // (growing by doubling would hold two copies).
        var end = index
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
        try checkTreeBytes(adding: Swift.min(end, bytes.count) - start)
        var output: [UInt8] = []
        output.reserveCapacity(Swift.min(end, bytes.count) - start)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                let text = output.withUnsafeBufferPointer { isKey ? TextCuts.text($0) : String(decoding: $0, as: UTF8.self) }
                countStorage(of: text)
                return text
            }
            if byte < 0x20 { throw controlCharacter(inString: opening) }
            if byte != UInt8(ascii: "\\") {
                output.append(byte)
                index += 1
                continue
            }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): output.append(0x22)
            case UInt8(ascii: "\\"): output.append(0x5C)
            case UInt8(ascii: "/"): output.append(0x2F)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalarValue = try hex4()
                if (0xD800..<0xDC00).contains(scalarValue) {
                    // A high surrogate must be followed by an escaped low one.
                    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw failure("invalid surrogate pair") }
                        scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        throw failure("unpaired surrogate escape")
                    }
                }
                guard let scalar = Unicode.Scalar(scalarValue) else { throw failure("invalid \\u escape") }
                UTF8.encode(scalar) { output.append($0) }
            default:
                throw failure("invalid escape '\\\(Character(Unicode.Scalar(escape)))'")
            }
        }
        throw truncated("unterminated string", at: opening)
    }

    /// Adds a string's heap storage to `treeBytes` (up to 15 bytes are inline).
    /// Fails the document once its values, with `adding` bytes more, would
    /// pass `maximumTreeBytes`.
    private func checkTreeBytes(adding bytes: Int) throws(Failure) {
        if treeBytes + bytes > JSONParser.maximumTreeBytes {
            throw limit("values past \(IngestLimits.size(JSONParser.maximumTreeBytes)) in memory (a JSON document is held whole while read)")
        }
    }

    private mutating func countStorage(of text: String) {
        let count = text.utf8.count
        if count > 15 { treeBytes += 32 + count }
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("unexpected end of file in a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - 0x30)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - 0x61 + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - 0x41 + 10)
            default: throw failure("invalid hex digit in a \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }
}
