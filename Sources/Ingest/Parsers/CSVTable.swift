#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A CSV document (RFC 4180) read a row at a time: quoted fields with `""`
/// escapes and embedded line breaks, LF, CRLF or CR-only line ends (old Mac
/// tools), a header row.
///
/// Nothing is kept per row. A pass walks the text and hands the caller one
/// row's fields as byte spans into it, decoded on demand, because a run CSV is
/// read for a few columns of numbers and most fields are never needed as
/// strings; the spans of every row of a 200 MiB file of two-byte numbers took
/// gigabytes. A format may make more than one pass. Hand-written rather than
/// SwiftCSV or CSV.swift: both build a `String` per field through `Character`
/// iteration, which alone took longer than the whole speed budget of a 70 MB tree.
struct CSVTable: Tabular {
    struct Failure: Error, Equatable {
        var line: Int
        var message: String
    }

    /// What the first pass over the rows saw, for the file's notes. Later
    /// passes see the same rows and add nothing.
    final class Log {
        /// Rows with the header's field count that the first pass handed out.
        fileprivate(set) var rows = 0
        /// Rows dropped because their field count differs from the header's.
        fileprivate(set) var raggedCount = 0
        /// The first few of them: (line, fields).
        fileprivate(set) var ragged: [(line: Int, fields: Int)] = []
        /// The line of a last row left out as cut off (a file read while its
        /// writer was half-way through the row), and where it was cut.
        fileprivate(set) var cutLastRow: Int? = nil
        fileprivate(set) var lastRowCut: LastRowCut? = nil
        /// Rows that repeat the header (files joined with `cat`), and the first one's line.
        fileprivate(set) var repeatedHeaders = 0
        fileprivate(set) var firstRepeatedHeader: Int? = nil
        /// Texts cut to `IngestLimits.maximumTextBytes`.
        let cuts = TextCuts()
        fileprivate var passes = 0
        static let raggedKept = 5
    }

    /// Where a last row left out was cut.
    enum LastRowCut: Sendable, Equatable {
        /// The text ends inside its quoted field, on the line the quote opened.
        case insideQuotedField
        /// The text ends, with no line end, in a number with fewer decimals
        /// than the column's every other value has (`4` under `45.05`,
        /// `45.53`): a number cut as it was being written still reads as one.
        case inNumber
    }

    struct Span {
        var start: Int
        var end: Int
        /// The field was quoted and holds `""` escapes to fold.
        var escaped: Bool
    }

    let header: [String]
    let columnNames: [String]
    /// The file has no header row: its first line held only numbers (a
    /// column of times, one a line), so it is the first row and the columns
    /// are named by their place (`column 1`).
    let isHeaderless: Bool
    /// A header-less file's first line holds a time (a line a night).
    let isDatedWithoutHeader: Bool
    let delimiter: UInt8
    let log = Log()
    /// Rows of exactly this many fields, short of the header's, are read
    /// with blanks for their missing fields instead of being left out: a tool
    /// that writes a shorter row on purpose (Google Benchmark's failed runs
    /// end at `error_message`, before its counter columns). Any other short
    /// row (a truncated one) is still left out and noted.
    var paddedRowWidth: Int? = nil
    private let text: ArraySlice<UInt8>
    /// Where the first row after the header starts, and its line.
    private let bodyStart: Int
    private let bodyLine: Int
    static let maximumColumns = 10_000

    /// Reads the header row; the rest is read by `forEachRow`.
    /// - Parameter delimiter: `nil` picks comma, semicolon or tab from the header line.
    init(text: ArraySlice<UInt8>, delimiter: UInt8? = nil) throws(Failure) {
        self.text = text
        let prelude = CSVTable.prelude(text)
        let delimiter = delimiter ?? prelude.delimiter ?? CSVTable.sniffDelimiter(text[(text.startIndex + prelude.offset)...])
        self.delimiter = delimiter
        let cuts = log.cuts
        let (header, bodyStart, bodyLine, dated) = try text.withUnsafeBufferPointer {
            (b) throws(Failure) -> ([String], Int, Int, Bool) in
            var scanner = RowScanner(text: b, delimiter: delimiter, at: prelude.offset, line: prelude.line)
            var fields: [Span] = []
            guard try scanner.next(into: &fields) else { throw Failure(line: 1, message: "no header row") }
            let headerLine = scanner.rowLine
            let names = fields.enumerated().map { index, span in
                CSVTable.string(span, in: b, cuts: cuts, place: "line \(headerLine), column \(index + 1)").trimmingBlanks()
            }
            let body = (index: scanner.index, line: scanner.line)
            // A line that may be a night's (a time among numbers) is told by the line after it.
            var next: [String]? = nil
            if CSVTable.datedLine(names) != nil, (try? scanner.next(into: &fields)) == true {
                let line = scanner.rowLine
                next = fields.enumerated().map { index, span in
                    CSVTable.string(span, in: b, cuts: cuts, place: "line \(line), column \(index + 1)").trimmingBlanks()
                }
            }
            if CSVTable.namesNoColumns(names, next: next) {
                let dated = CSVTable.datedLine(names) != nil
                return ((1...names.count).map { "column \($0)" }, prelude.offset, headerLine, dated)
            }
            return (names, body.index, body.line, false)
        }
        self.header = header
        isDatedWithoutHeader = dated
        columnNames = header.map(ColumnName.canonical)
        self.isHeaderless = bodyStart == prelude.offset
        self.bodyStart = bodyStart
        self.bodyLine = bodyLine
    }

    /// Whether a first line of only numbers is data, not a header: every
    /// field a number, and at least half of them fractions (`2.117`,
    /// `1,2.064`: measurements). Whole numbers name columns often enough to
    /// stay a header: pandas' unnamed `0`, thread counts `1,2,4,8`, sizes
    /// `1024,512`, percentiles `50,90,99,99.9`. A night's line is data too
    /// (`datedLine`): what a script appends with no header above it (`echo
    /// "$(date -Is),$secs" >> builds.csv`), whose first night was lost as
    /// the header and the rest read as a series named `806`. `next` is the
    /// line after it, when there is one.
    static func namesNoColumns(_ names: [String], next: [String]? = nil) -> Bool {
        guard !names.isEmpty else { return false }
        if let time = datedLine(names) {
            // An ISO 8601 time names no column. Seconds since 1970 may be a
            // size (`1073741824` beside `1024`): a night's line only when the
            // line after it has seconds at that place too.
            if names[time].contains("-") { return true }
            if let next, next.count == names.count, TimestampParsing.secondsSinceEpoch(next[time]) != nil,
                NumberParsing.double(next[time]) != nil
            {
                return true
            }
        }
        let numbers = names.compactMap { NumberParsing.double($0) }
        guard numbers.count == names.count else { return false }
        let fractions = numbers.count { $0 != $0.rounded() }
        return fractions * 2 >= numbers.count
    }

    /// The place of the one time in a line of a time among numbers (at
    /// least one besides it), nil for any other line: dates across a line
    /// (`2026-11-01,2026-11-02`) are a pivot table's header.
    static func datedLine(_ fields: [String]) -> Int? {
        guard fields.count >= 2 else { return nil }
        let times = fields.indices.filter { TimestampParsing.secondsSinceEpoch(fields[$0]) != nil }
        guard times.count == 1, let time = times.first else { return nil }
        let others = fields.indices.filter { $0 != time }
        return others.allSatisfy({ NumberParsing.double(fields[$0]) != nil }) ? time : nil
    }

    init(text: [UInt8], delimiter: UInt8? = nil) throws(Failure) {
        try self.init(text: text[...], delimiter: delimiter)
    }

    /// Hands `body` every row with the header's field count, in file order,
    /// until it returns false. Rows with another count are left out (and
    /// noted by the first pass).
    func forEachRow(_ body: (Row) -> Bool) throws(Failure) {
        let firstPass = log.passes == 0
        log.passes += 1
        let log = self.log
        let width = header.count
        let header = self.header
        let headerBytes = header.map { Array($0.utf8) }
        var namesByLength: [Int: [Int]] = [:]
        for (index, name) in headerBytes.enumerated() { namesByLength[name.count, default: []].append(index) }
        // The bytes a header name starts with: a row whose first field starts
        // otherwise (a time, a number) is no header, known without hashing.
        var startsName = [Bool](repeating: false, count: 256)
        for name in headerBytes { if let first = name.first { startsName[Int(first)] = true } }
        // After a header in another column order: where each column's field is.
        var order: [Int]? = nil
        // Where the comma does not separate fields, it may be a decimal point (`25,563`).
        let decimalComma = delimiter != UInt8(ascii: ",")
        try text.withUnsafeBufferPointer { (b) throws(Failure) in
            var scanner = RowScanner(text: b, delimiter: delimiter, at: bodyStart, line: bodyLine)
            scanner.leavesOutCutLastRow = true
            // Two buffers, swapped after each row: the previous row's fields
            // stay at hand for `Row.sameAsPrevious`.
            var current: [Span] = []
            var previous: [Span] = []
            current.reserveCapacity(width)
            previous.reserveCapacity(width)
            var ordinal = 0
            while try scanner.next(into: &current) {
                if let paddedRowWidth, current.count == paddedRowWidth, current.count < width, let last = current.last {
                    while current.count < width { current.append(Span(start: last.end, end: last.end, escaped: false)) }
                }
                guard current.count == width else {
                    if firstPass {
                        log.raggedCount += 1
                        if log.ragged.count < Log.raggedKept { log.ragged.append((scanner.rowLine, current.count)) }
                    }
                    continue
                }
                // Rows with nothing in them (`;;;;` as spreadsheets export
                // them) and the header again (two files joined) are no records.
                if CSVTable.isBlank(current, in: b) { continue }
                // The header again, perhaps in another column order (a newer
                // harness's file joined on): the rows after it are read under it.
                if CSVTable.mayBeHeader(current, startsName, in: b),
                    let newOrder = CSVTable.headerOrder(headerBytes, byLength: namesByLength, current, in: b)
                {
                    if firstPass {
                        log.repeatedHeaders += 1
                        log.firstRepeatedHeader = log.firstRepeatedHeader ?? scanner.rowLine
                    }
                    order = newOrder.enumerated().allSatisfy { $0.offset == $0.element } ? nil : newOrder
                    continue
                }
                if let order { current = order.map { current[$0] } }
                let more = current.withUnsafeBufferPointer { fields in
                    previous.withUnsafeBufferPointer { previousFields in
                        body(
                            Row(
                                text: b, fields: fields, previousFields: previousFields, ordinal: ordinal,
                                line: scanner.rowLine, header: header, cuts: log.cuts, decimalComma: decimalComma))
                    }
                }
                ordinal += 1
                if firstPass { log.rows += 1 }
                if !more { return }
                swap(&current, &previous)
            }
            if firstPass { (log.cutLastRow, log.lastRowCut) = (scanner.cutLastRow, scanner.lastRowCut) }
        }
    }

    /// One row of a pass; valid only while the pass hands it out.
    struct Row: TabularRow {
        fileprivate let text: UnsafeBufferPointer<UInt8>
        fileprivate let fields: UnsafeBufferPointer<Span>
        fileprivate let previousFields: UnsafeBufferPointer<Span>
        let ordinal: Int
        let line: Int
        fileprivate let header: [String]
        fileprivate let cuts: TextCuts
        /// The file separates fields by semicolons or tabs: `25,563` is 25.563.
        fileprivate let decimalComma: Bool

        var place: String { "line \(line)" }

        func string(_ column: Int) -> String {
            CSVTable.string(fields[column], in: text, cuts: cuts, place: "line \(line), column \(header[column])")
        }

        func isBlank(_ column: Int) -> Bool {
            let span = fields[column]
            var index = span.start
            while index < span.end {
                if text[index] != 0x20 && text[index] != 0x09 { return false }
                index += 1
            }
            return true
        }

        func byteCount(_ column: Int) -> Int { fields[column].end - fields[column].start }

        var writesDecimalComma: Bool { decimalComma }

        func double(_ column: Int) -> Double? {
            let span = fields[column]
            // A field with `""` escapes holds a quote: no number.
            if span.escaped { return nil }
            let bytes = UnsafeBufferPointer(rebasing: text[span.start..<span.end])
            if let value = NumberParsing.double(bytes) { return value }
            return decimalComma ? NumberParsing.doubleWithDecimalComma(bytes) : nil
        }

        func timestamp(_ column: Int) -> Double? {
            let span = fields[column]
            if span.escaped { return nil }
            return TimestampParsing.secondsSinceEpoch(UnsafeBufferPointer(rebasing: text[span.start..<span.end]))
        }

        /// `Fingerprint.of` the field's text, straight from the bytes.
        func fingerprint(_ column: Int) -> UInt64 {
            let span = fields[column]
            let bytes = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: text[span.start..<span.end]))
            return span.escaped ? Fingerprint.ofFoldingQuotes(bytes) : Fingerprint.of(bytes)
        }

        /// Byte-for-byte equality with the same field of the row before.
        func sameAsPrevious(_ column: Int) -> Bool {
            guard column < previousFields.count else { return false }
            let a = fields[column]
            let b = previousFields[column]
            let length = a.end - a.start
            guard length == b.end - b.start, a.escaped == b.escaped else { return false }
            guard length > 0, let base = text.baseAddress else { return true }
            return memcmp(base + a.start, base + b.start, length) == 0
        }

        func numbers(_ column: Int, limit: Int) -> [Double] {
            let span = fields[column]
            return NumberList.parse(UnsafeBufferPointer(rebasing: text[span.start..<span.end]), limit: limit)
        }
    }

    private static func isBlank(_ fields: [Span], in text: UnsafeBufferPointer<UInt8>) -> Bool {
        fields.allSatisfy { span in (span.start..<span.end).allSatisfy { text[$0] == 0x20 || text[$0] == 0x09 } }
    }

    /// A field's bytes without the blanks around it, and for a row's first
    /// field without a byte order mark (a second file's, in the middle of the text).
    private static func trimmed(_ span: Span, first: Bool, in text: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var start = span.start
        var end = span.end
        if first, end - start >= 3, text[start] == 0xEF, text[start + 1] == 0xBB, text[start + 2] == 0xBF { start += 3 }
        while start < end, text[start] == 0x20 || text[start] == 0x09 { start += 1 }
        while end > start, text[end - 1] == 0x20 || text[end - 1] == 0x09 { end -= 1 }
        return start..<end
    }

    /// Whether the row's first field starts (past blanks and a byte order
    /// mark) with a byte some header name starts with.
    private static func mayBeHeader(_ fields: [Span], _ startsName: [Bool], in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let span = fields.first else { return false }
        let field = trimmed(span, first: true, in: text)
        return !field.isEmpty && startsName[Int(text[field.lowerBound])]
    }

    /// When the row's fields are the header's names, byte for byte (blanks
    /// around them aside) in any order: for each header column, the field
    /// that holds it. Most rows are told apart by their first field alone.
    private static func headerOrder(
        _ header: [[UInt8]], byLength: [Int: [Int]], _ fields: [Span], in text: UnsafeBufferPointer<UInt8>
    ) -> [Int]? {
        func trimmed(_ span: Span, first: Bool) -> Range<Int> { CSVTable.trimmed(span, first: first, in: text) }
        func name(of range: Range<Int>, among used: [Bool]?) -> Int? {
            byLength[range.count]?.first { index in
                used?[index] != true && header[index].indices.allSatisfy { header[index][$0] == text[range.lowerBound + $0] }
            }
        }
        // Checked without allocating anything: nearly every row stops here.
        guard let firstField = fields.first, name(of: trimmed(firstField, first: true), among: nil) != nil else { return nil }
        var used = Array(repeating: false, count: header.count)
        var order = Array(repeating: 0, count: header.count)
        for (position, span) in fields.enumerated() {
            guard let index = name(of: trimmed(span, first: position == 0), among: used) else { return nil }
            used[index] = true
            order[index] = position
        }
        return order
    }

    /// The field's text, `""` folded, cut at `IngestLimits.maximumTextBytes`.
    private static func string(
        _ span: Span, in text: UnsafeBufferPointer<UInt8>, cuts: TextCuts, place: @autoclosure () -> String
    )
        -> String
    {
        let slice = UnsafeBufferPointer(rebasing: text[span.start..<span.end])
        guard span.escaped else {
            if TextCuts.isTooLong(slice.count) { cuts.record(bytes: slice.count, at: place()) }
            return TextCuts.text(slice)
        }
        // Folds only as much as is kept; a cut is judged on the folded length.
        var folded = [UInt8]()
        folded.reserveCapacity(min(slice.count, IngestLimits.maximumTextBytes + 1))
        var index = 0
        var foldedLength = 0
        while index < slice.count {
            if folded.count <= IngestLimits.maximumTextBytes { folded.append(slice[index]) }
            foldedLength += 1
            if slice[index] == 0x22 { index += 1 }  // `""` -> `"`
            index += 1
        }
        if TextCuts.isTooLong(foldedLength) { cuts.record(bytes: foldedLength, at: place()) }
        return folded.withUnsafeBufferPointer { TextCuts.text($0) }
    }

    /// Lines before the header that are no table: Excel's `sep=;` (which
    /// also names the delimiter) and `#` comments. Where the header starts
    /// (offset into the text, line number), and the delimiter a `sep=` line named.
    private static func prelude(_ text: ArraySlice<UInt8>) -> (offset: Int, line: Int, delimiter: UInt8?) {
        var offset = 0
        var line = 1
        var delimiter: UInt8? = nil
        let bytes = Array(text.prefix(64 * 1024))
        while offset < bytes.count {
            let end = bytes[offset...].firstIndex(of: 0x0A) ?? bytes.count
            var content = bytes[offset..<end]
            if content.last == 0x0D { content = content.dropLast() }
            if content.first == UInt8(ascii: "#"), content.count == 1 || ![0x2C, 0x3B, 0x09].contains(content[content.startIndex + 1]) {
                // A comment (a header's first column may be named `#`: `#,model,...` is a header).
            } else if line == 1, content.count == 5, content.prefix(4).map({ $0 | 0x20 }) == Array("sep=".utf8) {
                delimiter = content.last
            } else {
                break
            }
            guard end < bytes.count else { break }
            offset = end + 1
            line += 1
        }
        return (offset, line, delimiter)
    }

    /// The delimiter the header line uses most: comma, semicolon or tab.
    private static func sniffDelimiter(_ text: ArraySlice<UInt8>) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        for byte in text.prefix(4096) {
            if byte == 0x22 { inQuotes.toggle() }
            if !inQuotes, byte == 0x0A || byte == 0x0D { break }
            if !inQuotes, counts[byte] != nil { counts[byte, default: 0] += 1 }
        }
        let best = counts.max { a, b in a.value == b.value ? a.key > b.key : a.value < b.value }
        return (best?.value ?? 0) > 0 ? best?.key ?? 0x2C : 0x2C
    }

    /// Splits the text into rows of field spans, one row per call.
    private struct RowScanner {
        let text: UnsafeBufferPointer<UInt8>
        let delimiter: UInt8
        /// Where the next row (or the blank lines before it) starts.
        private(set) var index: Int
        /// The line `index` is on.
        private(set) var line: Int
        /// The line the row last scanned started on.
        private(set) var rowLine = 0
        /// Whether a last row cut inside a quoted field is left out (see
        /// `cutLastRow`) rather than failing the text. Only a cut on the
        /// line its quote opened counts: a quote left open lines earlier
        /// (a stray one) would swallow every row after it, and stays a failure.
        var leavesOutCutLastRow = false
        /// The line of the last row, left out as cut (`leavesOutCutLastRow`), and where.
        private(set) var cutLastRow: Int? = nil
        private(set) var lastRowCut: LastRowCut? = nil
        /// The decimals every row so far wrote its last field's number with
        /// (`%.2f` writes 2); `mixedDecimals` once they differ or one is no
        /// such number, nil before the first row.
        private var lastFieldDecimals: Int? = nil
        private static let mixedDecimals = -1

        init(text: UnsafeBufferPointer<UInt8>, delimiter: UInt8, at index: Int, line: Int) {
            self.text = text
            self.delimiter = delimiter
            self.index = index
            self.line = line
        }

        /// Scans the next row into `fields`; false at the end of the text.
        mutating func next(into fields: inout [Span]) throws(Failure) -> Bool {
            let quote: UInt8 = 0x22
            let newline: UInt8 = 0x0A
            let carriageReturn: UInt8 = 0x0D
            let b = text
            let n = b.count
            var i = index
            // Blank lines between rows carry no data.
            while i < n, b[i] == newline || b[i] == carriageReturn {
                i += b[i] == carriageReturn && i + 1 < n && b[i + 1] == newline ? 2 : 1
                line += 1
            }
            guard i < n else {
                index = i
                return false
            }
            fields.removeAll(keepingCapacity: true)
            rowLine = line
            // Whether the row's last field so far was quoted: a closing quote says it is whole.
            var lastQuoted = false
            while true {
                // A row this wide is no benchmark table: refuse it rather than
                // read it.
                if fields.count >= CSVTable.maximumColumns {
                    throw Failure(line: rowLine, message: "more than \(CSVTable.maximumColumns) fields in one row")
                }
                lastQuoted = i < n && b[i] == quote
                if lastQuoted {
                    let openedAt = line
                    i += 1
                    let start = i
                    var escaped = false
                    while true {
                        guard i < n else {
                            if leavesOutCutLastRow, line == openedAt {
                                cutLastRow = rowLine
                                lastRowCut = .insideQuotedField
                                index = n
                                return false
                            }
                            throw Failure(line: openedAt, message: "unterminated quoted field")
                        }
                        let byte = b[i]
                        if byte == quote {
                            if i + 1 < n, b[i + 1] == quote {
                                escaped = true
                                i += 2
                                continue
                            }
                            break
                        }
                        // LF, and a CR not followed by one, end a line inside the field.
                        if byte == newline || (byte == carriageReturn && (i + 1 == n || b[i + 1] != newline)) { line += 1 }
                        i += 1
                    }
                    fields.append(Span(start: start, end: i, escaped: escaped))
                    i += 1
                    // After the closing quote only a delimiter or the end of the row may follow.
                    if i < n, b[i] != delimiter, b[i] != newline, b[i] != carriageReturn {
                        throw Failure(line: line, message: "unexpected character after a closing quote")
                    }
                } else {
                    let start = i
                    while i < n, b[i] != delimiter, b[i] != newline, b[i] != carriageReturn { i += 1 }
                    fields.append(Span(start: start, end: i, escaped: false))
                }
                if i < n, b[i] == delimiter {
                    i += 1
                    continue
                }
                break
            }
            // The row ends at LF, CRLF, a lone CR, or the end of the text.
            if i < n {
                i += b[i] == carriageReturn && i + 1 < n && b[i + 1] == newline ? 2 : 1
                line += 1
            } else if leavesOutCutLastRow, !lastQuoted, let written = lastFieldDecimals, written > 0,
                let last = fields.last, let decimals = RowScanner.decimals(last, in: b), decimals < written
            {
                // No line end after a number shorter than its column writes
                // them: a writer half-way through it, the part written reading
                // as a number of its own.
                cutLastRow = rowLine
                lastRowCut = .inNumber
                index = n
                return false
            }
            if leavesOutCutLastRow, let last = fields.last {
                let decimals = lastQuoted ? nil : RowScanner.decimals(last, in: b)
                if lastFieldDecimals == nil {
                    lastFieldDecimals = decimals ?? RowScanner.mixedDecimals
                } else if decimals != lastFieldDecimals {
                    lastFieldDecimals = RowScanner.mixedDecimals
                }
            }
            index = i
            return true
        }

        /// The digits after the point of a plain number (`45.05` has 2, `45`
        /// none); nil for anything else (a word, a blank, an exponent).
        static func decimals(_ span: Span, in b: UnsafeBufferPointer<UInt8>) -> Int? {
            var digits = 0
            var point: Int? = nil
            for index in span.start..<span.end {
                let byte = b[index]
                if byte >= 0x30 && byte <= 0x39 {
                    digits += 1
                } else if byte == 0x2E, point == nil {
                    point = digits
                } else if !(index == span.start && (byte == 0x2D || byte == 0x2B)) {
                    return nil
                }
            }
            guard digits > 0 else { return nil }
            return point.map { digits - $0 } ?? 0
        }
    }
}

extension String {
    func trimmingBlanks() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\u{FEFF}" {
            scalars = scalars.dropFirst()
        }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" {
            scalars = scalars.dropLast()
        }
        return String(scalars)
    }
}
