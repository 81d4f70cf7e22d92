/// Rows with named columns, whether they came from a CSV file or from an array
/// of JSON objects: the run shapes exist in both (a baseline CSV and its JSON twin).
protocol Tabular {
    var header: [String] { get }
    var rowCount: Int { get }
    func string(_ row: Int, _ column: Int) -> String
    func double(_ row: Int, _ column: Int) -> Double?
    func isBlank(_ row: Int, _ column: Int) -> Bool
    /// A stable hash of the cell's text.
    func fingerprint(_ row: Int, _ column: Int) -> UInt64
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

    var lowercasedHeader: Set<String> { Set(header.map { $0.lowercased() }) }

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

    func line(ofRow row: Int) -> Int { row + 1 }
}

enum Fingerprint {
    /// 64-bit FNV-1a; the same function `CSVTable.fingerprint` applies to raw bytes.
    static func of(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
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
