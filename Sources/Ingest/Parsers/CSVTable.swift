#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed CSV document (RFC 4180): quoted fields with `""` escapes and embedded
/// line breaks, LF or CRLF endings, a header row.
///
/// Fields are kept as byte spans into the text and decoded on demand, because a
/// run CSV is read for a few columns of numbers and most fields are never needed
/// as strings. Hand-written rather than SwiftCSV or CSV.swift: both build a
/// `String` per field through `Character` iteration, which alone took longer
/// than the whole speed budget of a 70 MB tree.
struct CSVTable {
    struct Failure: Error, Equatable {
        var line: Int
        var message: String
    }

    private struct Span {
        var start: Int32
        var end: Int32
        /// The field was quoted and holds `""` escapes to fold.
        var escaped: Bool
    }

    let header: [String]
    private let text: [UInt8]
    private var spans: [Span] = []
    private var rowStarts: [Int] = []
    private var rowLines: [Int] = []
    /// Rows dropped because their field count differs from the header's.
    private(set) var ragged: [(line: Int, fields: Int)] = []
    let delimiter: UInt8
    static let maximumColumns = 10_000

    var rowCount: Int { rowStarts.count }
    var columnCount: Int { header.count }

    /// - Parameter delimiter: `nil` picks comma, semicolon or tab from the header line.
    init(text: [UInt8], delimiter: UInt8? = nil) throws(Failure) {
        self.text = text
        guard text.count < Int(Int32.max) else { throw Failure(line: 1, message: "file too large for CSV") }
        let delimiter = delimiter ?? CSVTable.sniffDelimiter(text)
        self.delimiter = delimiter
        // Rows are scanned into one flat array of spans; a row with the wrong
        // number of fields is taken back out and remembered.
        var flat: [Span] = []
        flat.reserveCapacity(text.count / 8)
        var starts: [Int] = []
        var lines: [Int] = []
        var headerCount: Int? = nil
        var ragged: [(line: Int, fields: Int)] = []
        try text.withUnsafeBufferPointer { (buffer) throws(Failure) in
            try CSVTable.scan(buffer, delimiter: delimiter, into: &flat) { (start: Int, count: Int, line: Int) -> Bool in
                guard let expected = headerCount else {
                    headerCount = count  // the header row stays at the front of `flat`
                    return true
                }
                guard count == expected else {
                    ragged.append((line, count))
                    return false
                }
                starts.append(start)
                lines.append(line)
                return true
            }
        }
        guard let headerCount else { throw Failure(line: 1, message: "no header row") }
        let header = flat[0..<headerCount].map { CSVTable.decode($0, in: text).trimmingBlanks() }
        self.header = header
        spans = flat
        rowStarts = starts
        rowLines = lines
        self.ragged = ragged
    }

    func line(ofRow row: Int) -> Int { rowLines[row] }

    func string(_ row: Int, _ column: Int) -> String {
        CSVTable.decode(spans[rowStarts[row] + column], in: text)
    }

    func isBlank(_ row: Int, _ column: Int) -> Bool {
        let span = spans[rowStarts[row] + column]
        var index = Int(span.start)
        while index < Int(span.end) {
            if text[index] != 0x20 && text[index] != 0x09 { return false }
            index += 1
        }
        return true
    }

    func double(_ row: Int, _ column: Int) -> Double? {
        let span = spans[rowStarts[row] + column]
        if span.escaped { return NumberParsing.double(Substring(string(row, column))) }
        return text.withUnsafeBufferPointer { buffer in
            NumberParsing.double(UnsafeBufferPointer(rebasing: buffer[Int(span.start)..<Int(span.end)]))
        }
    }

    /// `Fingerprint.of` the field's text, straight from the bytes when it has no escapes.
    func fingerprint(_ row: Int, _ column: Int) -> UInt64 {
        let span = spans[rowStarts[row] + column]
        if span.escaped { return Fingerprint.of(string(row, column)) }
        return text.withUnsafeBytes { raw in
            Fingerprint.of(UnsafeRawBufferPointer(rebasing: raw[Int(span.start)..<Int(span.end)]))
        }
    }

    /// Byte-for-byte equality of a column's field in two rows.
    func sameCell(_ row: Int, _ other: Int, _ column: Int) -> Bool {
        let a = spans[rowStarts[row] + column]
        let b = spans[rowStarts[other] + column]
        let length = Int(a.end - a.start)
        guard length == Int(b.end - b.start), a.escaped == b.escaped else { return false }
        return text.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return length == 0 }
            return memcmp(base + Int(a.start), base + Int(b.start), length) == 0
        }
    }

    private static func decode(_ span: Span, in text: [UInt8]) -> String {
        let slice = text[Int(span.start)..<Int(span.end)]
        guard span.escaped else { return String(decoding: slice, as: UTF8.self) }
        var folded = [UInt8]()
        folded.reserveCapacity(slice.count)
        var index = slice.startIndex
        while index < slice.endIndex {
            folded.append(text[index])
            if text[index] == 0x22 { index += 1 }  // `""` -> `"`
            index += 1
        }
        return String(decoding: folded, as: UTF8.self)
    }

    private static func sniffDelimiter(_ text: [UInt8]) -> UInt8 {
        var counts: [UInt8: Int] = [0x2C: 0, 0x3B: 0, 0x09: 0]
        var inQuotes = false
        for byte in text.prefix(4096) {
            if byte == 0x22 { inQuotes.toggle() }
            if !inQuotes, byte == 0x0A { break }
            if !inQuotes, counts[byte] != nil { counts[byte, default: 0] += 1 }
        }
        let best = counts.max { a, b in a.value == b.value ? a.key > b.key : a.value < b.value }
        return (best?.value ?? 0) > 0 ? best?.key ?? 0x2C : 0x2C
    }

    private static func scan(
        _ b: UnsafeBufferPointer<UInt8>, delimiter: UInt8, into fields: inout [Span], row: (Int, Int, Int) -> Bool
    ) throws(Failure) {
        let quote: UInt8 = 0x22
        let newline: UInt8 = 0x0A
        let carriageReturn: UInt8 = 0x0D
        let n = b.count
        var line = 1
        var i = 0
        while i < n {
            // Blank lines between rows carry no data.
            if b[i] == newline {
                line += 1
                i += 1
                continue
            }
            if b[i] == carriageReturn, i + 1 < n, b[i + 1] == newline {
                line += 1
                i += 2
                continue
            }
            let rowLine = line
            let rowStart = fields.count
            while true {
                // A row this wide is no benchmark table, and its spans alone would
                // take gigabytes: refuse it rather than exhaust memory.
                if fields.count - rowStart >= CSVTable.maximumColumns {
                    throw Failure(line: rowLine, message: "more than \(CSVTable.maximumColumns) fields in one row")
                }
                if i < n, b[i] == quote {
                    let openedAt = line
                    i += 1
                    let start = i
                    var escaped = false
                    while true {
                        guard i < n else { throw Failure(line: openedAt, message: "unterminated quoted field") }
                        if b[i] == quote {
                            if i + 1 < n, b[i + 1] == quote {
                                escaped = true
                                i += 2
                                continue
                            }
                            break
                        }
                        if b[i] == newline { line += 1 }
                        i += 1
                    }
                    fields.append(Span(start: Int32(start), end: Int32(i), escaped: escaped))
                    i += 1
                    if i < n, b[i] == carriageReturn { i += 1 }
                    // After the closing quote only a delimiter or the end of the row may follow.
                    if i < n, b[i] != delimiter, b[i] != newline {
                        throw Failure(line: line, message: "unexpected character after a closing quote")
                    }
                } else {
                    let start = i
                    while i < n, b[i] != delimiter, b[i] != newline { i += 1 }
                    var end = i
                    if end > start, b[end - 1] == carriageReturn { end -= 1 }
                    fields.append(Span(start: Int32(start), end: Int32(end), escaped: false))
                }
                if i < n, b[i] == delimiter {
                    i += 1
                    continue
                }
                break
            }
            if !row(rowStart, fields.count - rowStart, rowLine) {
                fields.removeSubrange(rowStart...)
            }
            line += 1
            i += 1  // past the newline (or beyond the end)
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
