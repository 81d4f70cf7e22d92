import Records

/// The rows a SQL dump inserts: llama-bench `-o sql` (`CREATE TABLE ...` then
/// one `INSERT INTO test (cols) VALUES ('v', ...);` a result) and dumps of
/// a results database (`sqlite3 .dump`: `INSERT INTO "t" VALUES(...)`, its
/// columns named by the `CREATE TABLE` above).
///
/// Only what a dump needs is read: `CREATE TABLE` for its column names and
/// `INSERT`/`REPLACE` for its rows; other statements (`BEGIN`, `PRAGMA`,
/// `COMMIT`) are passed over. The rows of the first table inserted into are
/// kept, as JSON objects a format reads like a JSON array of results; a
/// statement this reader does not understand, a row of the wrong width and
/// other tables are left out, and the notes say which.
///
///     let dump = try SQLInserts.read(text)   // nil: no INSERT at all
///     let rows = JSONRows(.array(dump.rows))
struct SQLInserts {
    /// The table whose rows were kept.
    var table = ""
    /// One object a row, column name to value: a quoted value is a string
    /// (a format reads `'512'` as a number where it wants one), an unquoted
    /// number a number, NULL null.
    var rows: [JSONValue] = []
    var notes: [String] = []

    /// A dump larger than a JSON document may be in memory.
    struct Failure: Error {
        var message: String
        var line: Int
    }

    /// How many left-out rows and statements the notes name by line.
    static let namedLines = 5

    static func read(_ text: ArraySlice<UInt8>) throws(Failure) -> SQLInserts? {
        var reader = SQLReader(text)
        var dump = SQLInserts()
        var columnsOf: [String: [String]] = [:]
        var sawInsert = false
        var leftOut = LeftOut()
        while true {
            reader.skipBlanks()
            guard !reader.atEnd else { break }
            do {
                switch try reader.statement() {
                case .create(let table, let columns):
                    if columnsOf[table] == nil { columnsOf[table] = columns }
                case .insert(let table, let named, let rows):
                    if !sawInsert {
                        sawInsert = true
                        dump.table = table
                    }
                    guard table == dump.table else {
                        leftOut.table(table, rows: rows.count)
                        continue
                    }
                    guard let columns = named ?? columnsOf[table] else {
                        leftOut.statement(
                            at: rows.first?.line ?? reader.line,
                            because: "an INSERT without column names into a table no CREATE TABLE above names")
                        continue
                    }
                    for row in rows {
                        guard row.values.count == columns.count else {
                            leftOut.row(at: row.line)
                            continue
                        }
                        dump.rows.append(.object(zip(columns, row.values).map { (key: $0, value: $1) }))
                    }
                case .other:
                    break
                }
            } catch {
                switch error {
                case .limit(let failure): throw failure
                case .notUnderstood(let message, let line):
                    leftOut.statement(at: line, because: message)
                    reader.skipToNextLine()
                }
            }
        }
        // Statements not understood may have been the INSERTs: the notes say so.
        guard sawInsert || leftOut.statements > 0 else { return nil }
        dump.notes = leftOut.notes(keptTable: dump.table)
        return dump
    }

    /// What a dump's reading left out, for its notes: the first few lines
    /// of each kind, and how many in all.
    private struct LeftOut {
        var statements = 0
        var statementLines: [Int] = []
        var firstReason = ""
        var rows = 0
        var rowLines: [Int] = []
        var tables: [String: Int] = [:]
        var tableOrder: [String] = []

        mutating func statement(at line: Int, because reason: String) {
            statements += 1
            if statementLines.count < SQLInserts.namedLines { statementLines.append(line) }
            if firstReason.isEmpty { firstReason = reason }
        }

        mutating func row(at line: Int) {
            rows += 1
            if rowLines.count < SQLInserts.namedLines { rowLines.append(line) }
        }

        mutating func table(_ name: String, rows: Int) {
            if tables[name] == nil { tableOrder.append(name) }
            tables[name, default: 0] += rows
        }

        func notes(keptTable: String) -> [String] {
            var notes: [String] = []
            if rows > 0 {
                notes.append("\(rows) row(s) with a wrong number of values were left out (\(Self.lines(rowLines, of: rows)))")
            }
            if statements > 0 {
                notes.append(
                    "\(statements) statement(s) not understood were left out (\(Self.lines(statementLines, of: statements)); the first: \(firstReason))"
                )
            }
            if !tableOrder.isEmpty {
                let named = tableOrder.prefix(SQLInserts.namedLines).map { table in
                    let rows = tables[table] ?? 0
                    return "'\(TextCuts.text(table))' (\(rows) row\(rows == 1 ? "" : "s"))"
                }
                notes.append(
                    "rows of the first table, '\(TextCuts.text(keptTable))', are read; other tables are left out: "
                        + named.joined(separator: ", ") + (tableOrder.count > SQLInserts.namedLines ? ", ..." : ""))
            }
            return notes
        }

        /// `line 5`, `lines 3, 7, ...`.
        private static func lines(_ named: [Int], of count: Int) -> String {
            "line\(count > 1 ? "s" : "") " + named.map(String.init).joined(separator: ", ") + (count > named.count ? ", ..." : "")
        }
    }
}

/// A cursor over a SQL text: statements, identifiers and literals, with the
/// line it is on.
private struct SQLReader {
    enum Statement {
        case create(table: String, columns: [String])
        case insert(table: String, columns: [String]?, rows: [Row])
        case other
    }

    struct Row {
        var line: Int
        var values: [JSONValue]
    }

    /// Why reading stopped: a statement this reader does not understand (the
    /// rest is read), or a dump past the memory ceiling (nothing is).
    enum Stop: Error {
        case notUnderstood(message: String, line: Int)
        case limit(SQLInserts.Failure)
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int
    private(set) var line = 1
    /// What the rows hold so far, against the JSON parser's ceilings.
    private var values = 0
    private var treeBytes = 0

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        index = bytes.startIndex
    }

    var atEnd: Bool { index >= bytes.endIndex }

    private var current: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

    private mutating func advance() {
        if bytes[index] == 0x0A { line += 1 }
        index += 1
    }

    /// Past spaces, line ends, `-- comments` and `/* comments */`.
    mutating func skipBlanks() {
        while let byte = current {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: advance()
            case UInt8(ascii: "-") where index + 1 < bytes.endIndex && bytes[index + 1] == UInt8(ascii: "-"):
                while let next = current, next != 0x0A { advance() }
            case UInt8(ascii: "/") where index + 1 < bytes.endIndex && bytes[index + 1] == UInt8(ascii: "*"):
                advance()
                advance()
                while !atEnd && !(bytes[index] == UInt8(ascii: "*") && index + 1 < bytes.endIndex && bytes[index + 1] == UInt8(ascii: "/")) {
                    advance()
                }
                if !atEnd {
                    advance()
                    advance()
                }
            default: return
            }
        }
    }

    /// To the start of the next line: where a statement after one not
    /// understood is looked for (llama-bench writes one a line, and its
    /// values are not escaped, so a quote in a model's file name breaks one).
    mutating func skipToNextLine() {
        while let byte = current, byte != 0x0A { advance() }
        if !atEnd { advance() }
    }

    mutating func statement() throws(Stop) -> Statement {
        if keyword("CREATE") {
            skipBlanks()
            if keyword("TABLE") { return try createTable() }
        } else if keyword("INSERT") || keyword("REPLACE") {
            return try insert()
        }
        try skipStatement()
        return .other
    }

    /// `TABLE [IF NOT EXISTS] name ( column type ..., constraint ... )`.
    private mutating func createTable() throws(Stop) -> Statement {
        skipBlanks()
        if keyword("IF") {
            skipBlanks()
            guard keyword("NOT") else { throw problem("CREATE TABLE IF without NOT EXISTS") }
            skipBlanks()
            guard keyword("EXISTS") else { throw problem("CREATE TABLE IF NOT without EXISTS") }
            skipBlanks()
        }
        let table = try name()
        skipBlanks()
        guard current == UInt8(ascii: "(") else {
            // `CREATE TABLE t AS SELECT ...`: no columns to learn.
            try skipStatement()
            return .other
        }
        advance()
        var columns: [String] = []
        while true {
            skipBlanks()
            let constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"].contains { peekKeyword($0) }
            if !constraint { columns.append(try name()) }
            // The rest of the item: its type and clauses, to a comma or the close at this depth.
            var depth = 0
            while true {
                guard let byte = current else { throw problem("CREATE TABLE without its closing parenthesis") }
                if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "`") {
                    _ = try quoted(byte)
                    continue
                }
                if byte == UInt8(ascii: "(") { depth += 1 }
                if byte == UInt8(ascii: ")") {
                    if depth == 0 { break }
                    depth -= 1
                }
                if byte == UInt8(ascii: ","), depth == 0 { break }
                advance()
            }
            let closing = current == UInt8(ascii: ")")
            advance()
            if closing { break }
        }
        try skipStatement()
        return .create(table: table, columns: columns)
    }

    /// `[OR word] INTO name [(columns)] VALUES (values)[, (values)]...`.
    private mutating func insert() throws(Stop) -> Statement {
        skipBlanks()
        if keyword("OR") {
            skipBlanks()
            _ = try name()
            skipBlanks()
        }
        guard keyword("INTO") else { throw problem("INSERT without INTO") }
        skipBlanks()
        let table = try name()
        skipBlanks()
        var columns: [String]? = nil
        if current == UInt8(ascii: "(") {
            advance()
            columns = try listed(
                { reader throws(Stop) in try reader.name() }, unclosed: "INSERT's column list without its closing parenthesis",
                unexpected: { "\($0) in INSERT's column list" })
            skipBlanks()
        }
        guard keyword("VALUES") else { throw problem("INSERT without VALUES (an INSERT ... SELECT holds no rows)") }
        var rows: [Row] = []
        while true {
            skipBlanks()
            guard current == UInt8(ascii: "(") else { throw problem("VALUES without a parenthesised row") }
            let rowLine = self.line
            advance()
            let values = try listed(
                { reader throws(Stop) in try reader.value() }, unclosed: "a row without its closing parenthesis (truncated?)",
                unexpected: { "\($0) where a row's next value or its end belongs (a quote inside a value?)" })
            rows.append(Row(line: rowLine, values: values))
            skipBlanks()
            if current == UInt8(ascii: ",") {
                advance()
                continue
            }
            if current == UInt8(ascii: ";") { advance() }
            break
        }
        return .insert(table: table, columns: columns, rows: rows)
    }

    /// The rest of a parenthesised, comma-separated list whose `(` was just
    /// read: each element read by `element`, up to and past the `)`.
    /// - Parameters:
    ///   - unclosed: what the input's end before the `)` means here.
    ///   - unexpected: the problem a byte that is neither `,` nor `)` makes, given it quoted.
    private mutating func listed<Element>(
        _ element: (inout Self) throws(Stop) -> Element, unclosed: String, unexpected: (String) -> String
    ) throws(Stop) -> [Element] {
        var elements: [Element] = []
        while true {
            skipBlanks()
            elements.append(try element(&self))
            skipBlanks()
            guard let byte = current else { throw problem(unclosed) }
            advance()
            if byte == UInt8(ascii: ")") { return elements }
            guard byte == UInt8(ascii: ",") else { throw problem(unexpected("'\(Character(Unicode.Scalar(byte)))'")) }
        }
    }

    /// A literal: `'text'` (`''` is a quote), a number, NULL, TRUE, FALSE.
    private mutating func value() throws(Stop) -> JSONValue {
        values += 1
        treeBytes += MemoryLayout<JSONValue>.stride + MemoryLayout<(String, JSONValue)>.stride
        if values > JSONParser.maximumValues {
            throw .limit(SQLInserts.Failure(message: "more than \(JSONParser.maximumValues) values", line: line))
        }
        if treeBytes > JSONParser.maximumTreeBytes {
            throw .limit(
                SQLInserts.Failure(
                    message: "values past \(IngestLimits.size(JSONParser.maximumTreeBytes)) in memory (a dump's rows are held whole while read)",
                    line: line))
        }
        guard let byte = current else { throw problem("a value missing at the end of the file (truncated?)") }
        if byte == UInt8(ascii: "'") {
            let text = try quoted(byte)
            treeBytes += text.utf8.count
            return .string(text)
        }
        if keyword("NULL") { return .null }
        if keyword("TRUE") { return .bool(true) }
        if keyword("FALSE") { return .bool(false) }
        let start = index
        while let next = current,
            next == UInt8(ascii: "-") || next == UInt8(ascii: "+") || next == UInt8(ascii: ".")
                || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next)
        {
            advance()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard !text.isEmpty, let number = Double(text), number.isFinite else {
            throw problem(text.isEmpty ? "a value that is no literal" : "'\(TextCuts.text(text))' is no number")
        }
        return .number(number)
    }

    /// A table or column name: bare, or quoted with `"`, backticks or
    /// brackets; of a qualified name (`main.test`), the last part.
    private mutating func name() throws(Stop) -> String {
        var part = try namePart()
        // A loop, not recursion: a name of a million parts is text, not a stack.
        while current == UInt8(ascii: ".") {
            advance()
            part = try namePart()
        }
        return part
    }

    private mutating func namePart() throws(Stop) -> String {
        guard let byte = current else { throw problem("a name missing at the end of the file") }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "`"): return try quoted(byte)
        case UInt8(ascii: "["):
            advance()
            let start = index
            while let next = current, next != UInt8(ascii: "]") { advance() }
            guard !atEnd else { throw problem("a [name] without its closing bracket") }
            let part = String(decoding: bytes[start..<index], as: UTF8.self)
            advance()
            return part
        default:
            let start = index
            while let next = current, Self.isNameByte(next) { advance() }
            guard index > start else { throw problem("'\(Character(Unicode.Scalar(byte)))' where a name belongs") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    /// A quoted text, the quote doubled inside it standing for itself.
    private mutating func quoted(_ quote: UInt8) throws(Stop) -> String {
        let line = self.line
        advance()
        var text: [UInt8] = []
        while true {
            guard let byte = current else { throw .notUnderstood(message: "a quoted text that never ends (truncated?)", line: line) }
            advance()
            if byte == quote {
                guard current == quote else { break }
                advance()
            }
            text.append(byte)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Past the statement's `;` (outside quotes), or to the end.
    private mutating func skipStatement() throws(Stop) {
        while let byte = current {
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "`") {
                _ = try quoted(byte)
                continue
            }
            advance()
            if byte == UInt8(ascii: ";") { return }
        }
    }

    /// Takes `word` (any case) when it stands next, as a whole word.
    private mutating func keyword(_ word: String) -> Bool {
        guard peekKeyword(word) else { return false }
        for _ in word.utf8 { advance() }
        return true
    }

    private func peekKeyword(_ word: String) -> Bool {
        var position = index
        for expected in word.utf8 {
            guard position < bytes.endIndex, bytes[position] & 0xDF == expected else { return false }
            position += 1
        }
        return position == bytes.endIndex || !Self.isNameByte(bytes[position])
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    private func problem(_ message: String) -> Stop {
        .notUnderstood(message: message, line: line)
    }
}
