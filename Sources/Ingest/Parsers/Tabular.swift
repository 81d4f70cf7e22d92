/// Rows with named columns, whether they came from a CSV file or from an array
/// of JSON objects: the run shapes exist in both (a baseline CSV and its JSON twin).
protocol Tabular {
    var header: [String] { get }
    var rowCount: Int { get }
    func string(_ row: Int, _ column: Int) -> String
    func double(_ row: Int, _ column: Int) -> Double?
    func isBlank(_ row: Int, _ column: Int) -> Bool
    /// A stable hash of the cell's text (`Fingerprint.of` its string).
    func fingerprint(_ row: Int, _ column: Int) -> UInt64
    /// Whether two rows hold the same text in a column.
    func sameCell(_ row: Int, _ other: Int, _ column: Int) -> Bool
    /// 1-based source line of a row, for messages.
    func line(ofRow row: Int) -> Int
}

extension Tabular {
    /// Index of a column by case-insensitive name.
    func index(of name: String) -> Int? {
        header.firstIndex { $0.lowercased() == name }
    }

    /// The first of several accepted spellings that is present.
    func index(ofAny names: [String]) -> Int? {
        for name in names {
            if let found = index(of: name) { return found }
        }
        return nil
    }

    /// Whether every non-blank cell of the column is a number (and at least one is).
    func isNumericColumn(_ column: Int) -> Bool {
        var sawNumber = false
        for row in 0..<rowCount where !isBlank(row, column) {
            guard double(row, column) != nil else { return false }
            sawNumber = true
        }
        return sawNumber
    }
}

extension CSVTable: Tabular {}

/// An array of JSON objects seen as a table: the union of their keys, in first-seen order.
struct JSONRows: Tabular {
    let header: [String]
    private let rows: [[String: JSONValue]]

    init?(_ value: JSONValue) {
        guard let elements = value.elements, !elements.isEmpty else { return nil }
        var header: [String] = []
        var seen = Set<String>()
        var rows: [[String: JSONValue]] = []
        for element in elements {
            guard let members = element.members else { return nil }
            var row: [String: JSONValue] = [:]
            for (key, value) in members {
                row[key] = value
                if seen.insert(key).inserted { header.append(key) }
            }
            rows.append(row)
        }
        self.header = header
        self.rows = rows
    }

    var rowCount: Int { rows.count }

    func value(_ row: Int, _ column: Int) -> JSONValue? { rows[row][header[column]] }

    func string(_ row: Int, _ column: Int) -> String {
        guard let value = value(row, column) else { return "" }
        switch value {
        case .object, .array: return JSONWriter.compact(value)
        default: return value.scalarText ?? ""
        }
    }

    func double(_ row: Int, _ column: Int) -> Double? { value(row, column)?.double }

    func isBlank(_ row: Int, _ column: Int) -> Bool {
        guard let value = value(row, column) else { return true }
        if case .string(let text) = value { return text.trimmingBlanks().isEmpty }
        return value.isNull
    }

    func fingerprint(_ row: Int, _ column: Int) -> UInt64 {
        Fingerprint.of(string(row, column))
    }

    func sameCell(_ row: Int, _ other: Int, _ column: Int) -> Bool {
        string(row, column) == string(other, column)
    }

    func line(ofRow row: Int) -> Int { row + 1 }
}

enum Fingerprint {
    /// A 64-bit hash of the text's UTF-8 bytes, eight bytes at a step (prompt
    /// texts are hashed once per run, half a million times in a large tree).
    /// Stable across runs and machines: stored hashes are compared later.
    static func of(_ text: String) -> UInt64 {
        var copy = text
        return copy.withUTF8 { of(UnsafeRawBufferPointer($0)) }
    }

    static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        while index + 8 <= bytes.count {
            hash = mix(hash ^ UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
            index += 8
        }
        if index < bytes.count {
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while index < bytes.count {
                tail |= UInt64(bytes[index]) << shift
                shift += 8
                index += 1
            }
            hash = mix(hash ^ tail)
        }
        return mix(hash)
    }

    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var x = value &* 0xFF51_AFD7_ED55_8CCD
        x ^= x >> 33
        x = x &* 0xC4CE_B9FE_1A85_EC53
        return x ^ (x >> 29)
    }
}

/// Minimal JSON text for configuration values kept as parameters.
enum JSONWriter {
    static func compact(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return ValueText.render(number)
        case .string(let text): return "\"" + text.replacingQuotes() + "\""
        case .array(let elements): return "[" + elements.map(compact).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.map { "\"\($0.0.replacingQuotes())\":\(compact($0.1))" }.joined(separator: ",") + "}"
        }
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
