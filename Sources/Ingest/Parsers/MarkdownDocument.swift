/// The parts of a Markdown note that carry data: pipe tables, each with the
/// heading it sits under. Prose is not data and is ignored.
///
/// Lines are read from the bytes one at a time, and only headings and table
/// rows become strings: prose costs nothing, and the cells kept are bounded
/// by a `RecordBudget`.
struct MarkdownDocument {
    struct Table: Equatable {
        /// The nearest heading above the table ("" when none).
        var heading: String
        var header: [String]
        var rows: [[String]]
        /// 1-based line of the header row.
        var line: Int
        /// The first line of text after the table, before any heading or other
        /// table (llama-bench's `build: <commit> (<number>)`); nil when none.
        var trailer: String? = nil
    }

    /// Longest line kept as a table's trailer, in bytes.
    static let trailerLimit = 256

    var tables: [Table] = []
    /// What was cut or left unread, for the file's notes.
    var notes: [String] = []

    init(text: [UInt8]) {
        self.init(text: text[...])
    }

    init(text: ArraySlice<UInt8>) {
        (tables, notes) = text.withUnsafeBufferPointer { MarkdownDocument.read($0) }
    }

    /// Whether the text has a line that could be a table's delimiter row
    /// (`| --- | --: |`: a bar first, then only bars, dashes, colons and
    /// blanks, a dash among them). A log without one (most logs, `tree`'s
    /// `|-- src` lines too) holds no table, and is not read as Markdown.
    /// Lines end as the parser's do, at a line feed or a lone carriage return.
    static func mayHoldTable(_ text: ArraySlice<UInt8>) -> Bool {
        text.withUnsafeBufferPointer { bytes in
            func endsLine(_ byte: UInt8) -> Bool { byte == 0x0A || byte == 0x0D }
            var at = 0
            while at < bytes.count {
                while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x09 { at += 1 }
                if at < bytes.count, bytes[at] == UInt8(ascii: "|") {
                    var dash = false
                    at += 1
                    while at < bytes.count, !endsLine(bytes[at]) {
                        let byte = bytes[at]
                        if byte == UInt8(ascii: "-") {
                            dash = true
                        } else if byte != UInt8(ascii: "|") && byte != UInt8(ascii: ":") && byte != 0x20 && byte != 0x09 {
                            break
                        }
                        at += 1
                    }
                    if dash, at == bytes.count || endsLine(bytes[at]) { return true }
                }
                // On to the next line.
                while at < bytes.count, !endsLine(bytes[at]) { at += 1 }
                at += 1
            }
            return false
        }
    }

    private static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> ([Table], [String]) {
        var tables: [Table] = []
        var budget = RecordBudget()
        let cuts = TextCuts()
        var lines = LineReader(bytes: bytes)
        var heading = ""
        // Whether the last table still waits for the text line after it.
        var awaitingTrailer = false
        var current = lines.next()
        reading: while let line = current {
            let trimmed = trim(line)
            // What renders as no table is no data: an HTML comment (a table kept
            // as an example, or switched off) and a fenced code block.
            if let end = closing(of: trimmed) {
                var inside = trimmed.dropFirst(3)
                while !end(inside) {
                    guard let next = lines.next() else { break reading }
                    inside = trim(next)
                }
                awaitingTrailer = false
                current = lines.next()
                continue
            }
            if trimmed.first == UInt8(ascii: "#") {
                let place = "line \(lines.number)"
                heading = text(UnsafeBufferPointer(rebasing: trimmed.drop { $0 == UInt8(ascii: "#") }), cuts, place).trimmingBlanks()
                awaitingTrailer = false
                current = lines.next()
                continue
            }
            guard isRow(trimmed) else {
                if awaitingTrailer && !trimmed.isEmpty {
                    // A short line only: a paragraph after a table is prose, not a trailer.
                    if trimmed.count <= trailerLimit { tables[tables.count - 1].trailer = TextCuts.text(UnsafeBufferPointer(rebasing: trimmed)) }
                    awaitingTrailer = false
                }
                current = lines.next()
                continue
            }
            awaitingTrailer = false
            let headerLine = lines.number
            let following = lines.next()
            guard let following, isSeparator(trim(following)) else {
                current = following
                continue
            }
            let header = cells(trimmed, upTo: CSVTable.maximumColumns, cuts, "line \(headerLine)")
            var rows: [[String]] = []
            var next = lines.next()
            while let candidate = next {
                let row = trim(candidate)
                guard isRow(row) else { break }
                guard budget.admits("line \(lines.number)") else {
                    tables.append(Table(heading: heading, header: header, rows: rows, line: headerLine))
                    break reading
                }
                var cells = cells(row, upTo: header.count, cuts, "line \(lines.number)")
                // Short rows are padded, long ones cut: Markdown renderers do the same.
                if cells.count < header.count { cells += Array(repeating: "", count: header.count - cells.count) }
                for cell in cells { budget.spend(text: cell) }
                rows.append(cells)
                next = lines.next()
            }
            tables.append(Table(heading: heading, header: header, rows: rows, line: headerLine))
            awaitingTrailer = true
            current = next
        }
        return (tables, [budget.note, cuts.note].compactMap { $0 })
    }

    /// The lines of the text, split where `Character.isNewline` splits them
    /// (LF, CR, CRLF, VT, FF, NEL, LS, PS), numbered from 1.
    private struct LineReader {
        let bytes: UnsafeBufferPointer<UInt8>
        private var index = 0
        private var finished = false
        /// The number of the line `next()` returned last.
        private(set) var number = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func next() -> Slice<UnsafeBufferPointer<UInt8>>? {
            guard !finished else { return nil }
            let start = index
            number += 1
            while index < bytes.count {
                let byte = bytes[index]
                var separator = 0
                switch byte {
                case 0x0A, 0x0B, 0x0C: separator = 1
                case 0x0D: separator = index + 1 < bytes.count && bytes[index + 1] == 0x0A ? 2 : 1
                case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85: separator = 2
                case 0xE2
                where index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                    separator = 3
                default: break
                }
                if separator > 0 {
                    let line = bytes[start..<index]
                    index += separator
                    return line
                }
                index += 1
            }
            finished = true
            return bytes[start..<bytes.count]
        }
    }

    /// The line without leading blanks and trailing blanks.
    /// When `line` opens an HTML comment or a code fence, what tells the line
    /// that closes it (the opening line's rest included, for a one-line comment).
    private static func closing(
        of line: Slice<UnsafeBufferPointer<UInt8>>
    ) -> ((Slice<UnsafeBufferPointer<UInt8>>) -> Bool)? {
        if line.starts(with: "<!--".utf8) {
            return { rest in rest.indices.contains { rest[$0...].starts(with: "-->".utf8) } }
        }
        for fence in ["```", "~~~"] where line.starts(with: fence.utf8) {
            // Opened by three or more; closed by a line of at least as many and nothing else.
            let length = line.prefix { $0 == line[line.startIndex] }.count
            let mark = line[line.startIndex]
            // A backtick after a backtick fence's run makes it no fence (```x``` is code in a line).
            if mark == UInt8(ascii: "`"), line.dropFirst(length).contains(mark) { return nil }
            return { closing in closing.count >= length && closing.allSatisfy { $0 == mark } }
        }
        return nil
    }

    private static func trim(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var start = line.startIndex
        var end = line.endIndex
        while start < end, line[start] == 0x20 || line[start] == 0x09 { start += 1 }
        while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 || line[end - 1] == 0x0D { end -= 1 }
        return line[start..<end]
    }

    private static func isRow(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        line.first == UInt8(ascii: "|") && line.dropFirst().contains(UInt8(ascii: "|"))
    }

    private static func isSeparator(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard isRow(line) else { return false }
        let cells = cells(line, upTo: CSVTable.maximumColumns, TextCuts(), "")
        return !cells.isEmpty
            && cells.allSatisfy { cell in
                let core = cell.filter { $0 != ":" }
                return core.count >= 1 && core.allSatisfy { $0 == "-" }
            }
    }

    /// The first `limit` cells of a row, trimmed; `\|` is a pipe inside a cell.
    private static func cells(
        _ line: Slice<UnsafeBufferPointer<UInt8>>, upTo limit: Int, _ cuts: TextCuts, _ place: String
    )
        -> [String]
    {
        var body = line
        if body.first == UInt8(ascii: "|") { body = body.dropFirst() }
        if body.last == UInt8(ascii: "|") { body = body.dropLast() }
        var cells: [String] = []
        // A cell's bytes are kept only up to what its text keeps; its length is counted.
        var current: [UInt8] = []
        var length = 0
        var escaped = false
        func add(_ byte: UInt8) {
            if current.count <= IngestLimits.maximumTextBytes { current.append(byte) }
            length += 1
        }
        func finish() {
            if TextCuts.isTooLong(length) { cuts.record(bytes: length, at: place) }
            cells.append(current.withUnsafeBufferPointer { TextCuts.text($0) }.trimmingBlanks())
            current.removeAll(keepingCapacity: true)
            length = 0
        }
        // As GFM reads a cell: `\|` is a pipe everywhere; elsewhere a
        // backslash escapes ASCII punctuation outside code spans only, and is
        // itself otherwise (`C:\tmp`, and a command in backticks as hyperfine
        // writes it, `test \$RANDOM`, keep theirs).
        // A code span opens with a run of backticks and closes with a run of
        // the same length (``` ``a ` b`` ``` holds a lone backtick).
        var inCode = false
        var openingRun = 0
        var ticks = 0
        func settleTicks() {
            guard ticks > 0 else { return }
            if !inCode {
                (inCode, openingRun) = (true, ticks)
            } else if ticks == openingRun {
                inCode = false
            }
            ticks = 0
        }
        for byte in body {
            if escaped {
                escaped = false
                if byte == UInt8(ascii: "|") || (!inCode && MarkdownDocument.isPunctuation(byte)) {
                    add(byte)
                    continue
                }
                add(UInt8(ascii: "\\"))
            }
            if byte == UInt8(ascii: "`") {
                ticks += 1
                add(byte)
                continue
            }
            settleTicks()
            if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "|") {
                finish()
                inCode = false
                if cells.count == limit { return cells }
            } else {
                add(byte)
            }
        }
        if escaped { add(UInt8(ascii: "\\")) }
        finish()
        return cells
    }

    /// ASCII punctuation: what a backslash escapes in CommonMark.
    static func isPunctuation(_ byte: UInt8) -> Bool {
        (0x21...0x2F).contains(byte) || (0x3A...0x40).contains(byte) || (0x5B...0x60).contains(byte) || (0x7B...0x7E).contains(byte)
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ cuts: TextCuts, _ place: String) -> String {
        if TextCuts.isTooLong(bytes.count) { cuts.record(bytes: bytes.count, at: place) }
        return TextCuts.text(bytes)
    }
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return text
    }
}

extension MarkdownDocument {
    /// `text` without its last line when that line is a table row cut off:
    /// no line end, opened by `|` and not closed by one, or closed after
    /// fewer cells than the row above (cut just after a cell), under a row that is
    /// (`llama-bench -o md > bench.md` while it runs: `| pp16 | 2` of
    /// `| pp16 | 234.62 ± 4.10 |` read as 2 t/s). A note written by hand
    /// that ends without a line end keeps its last line.
    static func withoutCutRow(_ text: ArraySlice<UInt8>) -> (text: ArraySlice<UInt8>, cutLine: Int?) {
        let (ended, cutLine) = ConsoleLines.ended(text)
        guard cutLine != nil else { return (text, nil) }
        // The cut line, and the line above it without its line end, as the table reader reads rows.
        let cutStart = ended.endIndex - text.startIndex
        let aboveStart = (ended.dropLast().lastIndex(of: 0x0A).map { $0 + 1 } ?? ended.startIndex) - text.startIndex
        let isCut = text.withUnsafeBufferPointer { bytes in
            let pipe = UInt8(ascii: "|")
            let cut = trim(bytes[cutStart...])
            let above = trim(bytes[aboveStart..<(cutStart - 1)])
            guard cut.first == pipe, isRow(above), above.last == pipe else { return false }
            return cut.last != pipe
                || cells(cut, upTo: CSVTable.maximumColumns, TextCuts(), "").count < cells(above, upTo: CSVTable.maximumColumns, TextCuts(), "").count
        }
        return isCut ? (ended, cutLine) : (text, nil)
    }
}
