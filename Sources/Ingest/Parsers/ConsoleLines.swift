/// The lines of a tool's console output as a person reads them: from a
/// place in the text on, each with its blanks trimmed and the terminal's
/// colour and style codes (`ESC [ 1 m`) taken out, which a capture made with
/// `script`, or a tool told to colour its output, keeps in the file. A line
/// a progress bar redrew (`\r`) is what was written last; a CI log's time
/// before each line (GitHub Actions' `2026-12-04T02:00:01.1234567Z `) and
/// the journal's (`journalctl -u bench > bench.log`: `Nov 16 02:00:01 host
/// bench[4123]: `) are taken off.
///
///     for line in ConsoleLines(text, from: found) { ... }
struct ConsoleLines: Sequence, IteratorProtocol {
    private let text: ArraySlice<UInt8>
    private var start: Int

    /// Lines from the one that holds `index` (from the text's start when nil).
    init(_ text: ArraySlice<UInt8>, from index: Int? = nil) {
        self.text = text
        start = index.flatMap { text[..<$0].lastIndex(of: 0x0A).map { $0 + 1 } } ?? text.startIndex
    }

    /// Where the next line starts.
    var position: Int { start }

    mutating func next() -> String? {
        guard start < text.endIndex else { return nil }
        let end = text[start...].firstIndex(of: 0x0A) ?? text.endIndex
        let line = text[start..<end]
        start = end < text.endIndex ? end + 1 : end
        var shown = line
        // What the terminal showed last: the text after the last carriage return that wrote any.
        // (Looked for from the end, without splitting: a line of a million redraws is one pass.)
        while let carriageReturn = shown.lastIndex(of: 0x0D) {
            if shown[(carriageReturn + 1)...].contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                shown = shown[(carriageReturn + 1)...]
                break
            }
            shown = shown[..<carriageReturn]
        }
        let plain = String(decoding: shown.contains(0x1B) ? Self.withoutEscapes(shown) : Array(shown), as: UTF8.self).trimmingBlanks()
        return Self.withoutJournalPrefix(Self.withoutTimestamp(plain))
    }

    private static let months: Set<Substring> = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Nov 16 02:00:01 gpu01 vllm-bench[41234]: text` → `text`: journalctl's
    /// default (short) format, its month, day, time, host and identifier.
    static func withoutJournalPrefix(_ line: String) -> String {
        guard line.utf8.count > 16, months.contains(line.prefix(3)) else { return line }
        // `Nov 16 02:00:01 ` (a day below 10 padded: `Nov  6`).
        let afterMonth = line.dropFirst(3).drop { $0 == " " }
        let day = afterMonth.prefix { $0.isASCII && $0.isNumber }
        guard (1...2).contains(day.count) else { return line }
        let clock = afterMonth.dropFirst(day.count)
        guard clock.first == " ", clock.count > 10 else { return line }
        let time = clock.dropFirst().prefix(8)
        guard time.count == 8, time.enumerated().allSatisfy({ $0.offset == 2 || $0.offset == 5 ? $0.element == ":" : $0.element.isNumber }),
            clock.dropFirst(9).first == " "
        else { return line }
        // The host, then the identifier (`bench[41234]:` or `kernel:`), each one word.
        let rest = clock.dropFirst(10)
        guard let hostEnd = rest.firstIndex(of: " "), hostEnd > rest.startIndex else { return line }
        let identifier = rest[rest.index(after: hostEnd)...]
        guard let colon = identifier.firstIndex(of: ":"), !identifier[..<colon].contains(" "), colon > identifier.startIndex
        else { return line }
        return String(identifier[identifier.index(after: colon)...]).trimmingBlanks()
    }

    /// `2026-12-04T02:00:01.1234567Z text` → `text` (a blank line's stamp alone → ``).
    private static func withoutTimestamp(_ line: String) -> String {
        // Most lines start otherwise: told by their first byte, before a copy.
        guard line.utf8.count >= 20, line.utf8.first.map({ (0x30...0x39).contains($0) }) == true else { return line }
        let bytes = ArraySlice(line.utf8)
        guard let end = timestampEnd(bytes, from: bytes.startIndex) else { return line }
        return String(decoding: bytes[end...], as: UTF8.self).trimmingBlanks()
    }

    /// Where a time that starts at `index` ends, past the blank after it: a
    /// date and a time of day in UTC (`2026-12-04T02:00:01.1234567Z`), as CI
    /// logs and `docker compose logs -t` put them before each line, read by
    /// its shape (a board's clock before NTP says 1970). Nil when none starts
    /// there: a time without a zone, or with an offset, is the line's own
    /// text (Google Benchmark's date line, `2026-11-16T02:00:00+00:00`, dates its run).
    static func timestampEnd(_ line: ArraySlice<UInt8>, from index: Int) -> Int? {
        let shape = timestampShape
        guard line.endIndex - index > shape.count else { return nil }
        for (offset, expected) in shape.enumerated() {
            let byte = line[index + offset]
            guard expected == UInt8(ascii: "0") ? (0x30...0x39).contains(byte) : byte == expected else { return nil }
        }
        var end = index + shape.count
        if line[end] == UInt8(ascii: ".") {
            end += 1
            while end < line.endIndex, (0x30...0x39).contains(line[end]) { end += 1 }
        }
        guard end < line.endIndex, line[end] == UInt8(ascii: "Z") else { return nil }
        end += 1
        guard end == line.endIndex || line[end] == 0x20 else { return nil }
        return Swift.min(end + 1, line.endIndex)
    }

    /// A time's digits (`0`) and separators, up to its fraction: asked of
    /// every line of a compose log, so made once.
    private static let timestampShape = Array("0000-00-00T00:00:00".utf8)

    /// `text` as a terminal shows it: without its colour and style codes
    /// (a command named `-n "$(tput setaf 1)fast"` in hyperfine's JSON is
    /// `fast`, as its console output shows it).
    static func shown(_ text: String) -> String {
        guard text.utf8.contains(0x1B) else { return text }
        return String(decoding: withoutEscapes(Array(text.utf8)[...]), as: UTF8.self)
    }

    private static func withoutEscapes(_ line: ArraySlice<UInt8>) -> [UInt8] {
        var kept: [UInt8] = []
        kept.reserveCapacity(line.count)
        var index = line.startIndex
        while index < line.endIndex {
            if let end = escapeEnd(line, at: index) {
                index = end
                continue
            }
            kept.append(line[index])
            index += 1
        }
        return kept
    }

    /// Where the terminal code that starts at `index` ends, or nil when none
    /// does: a CSI sequence is ESC, `[`, parameters, and one final byte from
    /// `@` to `~` (`ESC [ 36 m`).
    ///
    /// Also a character set's choice, ESC `(` or `)` and one byte (`tput
    /// sgr0` writes `ESC ( B` before `ESC [ m`), and an operating system
    /// command, ESC `]` up to BEL or ESC `\\` (a window's title, a link).
    static func escapeEnd(_ line: ArraySlice<UInt8>, at index: Int) -> Int? {
        guard index + 1 < line.endIndex, line[index] == 0x1B else { return nil }
        switch line[index + 1] {
        case UInt8(ascii: "["):
            var end = index + 2
            while end < line.endIndex, !(0x40...0x7E).contains(line[end]) { end += 1 }
            return Swift.min(end + 1, line.endIndex)
        case UInt8(ascii: "("), UInt8(ascii: ")"):
            return Swift.min(index + 3, line.endIndex)
        case UInt8(ascii: "]"):
            var end = index + 2
            while end < line.endIndex {
                if line[end] == 0x07 { return end + 1 }
                if line[end] == 0x1B, end + 1 < line.endIndex, line[end + 1] == UInt8(ascii: "\\") { return end + 2 }
                end += 1
            }
            return line.endIndex
        default:
            return nil
        }
    }
}

extension ConsoleLines {
    /// `text` up to its last line end, and the number of the line after it
    /// when that line holds more than blanks and is not `kept`: a tool's
    /// output still being written (or cut off) ends inside a line. Text with
    /// no line end at all is kept whole: one line, nothing before it to keep.
    static func ended(_ text: ArraySlice<UInt8>, keeping kept: (String) -> Bool = { _ in false }) -> (text: ArraySlice<UInt8>, cutLine: Int?) {
        guard let last = text.lastIndex(of: 0x0A) else { return (text, nil) }
        var lines = ConsoleLines(text, from: last + 1)
        guard let line = lines.next(), !line.isEmpty, !kept(line) else { return (text, nil) }
        return (text[...last], text[...last].count { $0 == 0x0A } + 1)
    }

    /// Whether a console line is one a tool ends its output with, whole
    /// whatever follows: a file saved with its last line end stripped
    /// (Python's `stdout.strip()`) keeps it. llama-bench's `build:` line,
    /// perf stat's times, hyperfine's range and comparison, GNU time's and
    /// a shell's last lines, ollama's eval rate, vLLM's closing rule; each
    /// only as far as it is whole (`build: 8e672efe (4153)` at its `)`).
    static func endsOutput(_ line: String) -> Bool {
        (line.hasPrefix("build: ") && line.hasSuffix(")")) || line.hasSuffix("seconds sys") || line.hasSuffix("seconds user")
            || (line.contains("seconds time elapsed") && (line.hasSuffix("elapsed") || line.hasSuffix(")")))
            || line.hasPrefix("Exit status: ") || line.hasSuffix("swaps")
            || (line.hasPrefix("Range") && line.hasSuffix(" runs")) || line.contains("times faster than")
            || (line.hasPrefix("Time (abs") && line.hasSuffix("]")) || line.hasPrefix("Warning: ")
            || (line.hasPrefix("eval rate:") && line.hasSuffix("tokens/s")) || isTimeSys(line) || line.hasSuffix(" total")
            || (line.count >= 10 && line.allSatisfy { $0 == "=" })
            // A table's row, closed (llama-bench's, llama-batched-bench's): whole.
            || (line.count >= 2 && line.hasPrefix("|") && line.hasSuffix("|"))
    }

    /// A shell's `sys` line whole: `sys\t0m0.31s` (a digit then its `s`),
    /// `time -p`'s `sys 0.31` (it always prints two decimals; `sys 31` of
    /// `sys 312.88` is cut), fish's at its third unit.
    private static func isTimeSys(_ line: String) -> Bool {
        guard line.hasPrefix("sys") else { return false }
        // fish's `sys time    0.31 secs    0.00 micros    0.31 secs`, whole at its third unit.
        if line.hasPrefix("sys time") {
            let units: Set<Substring> = ["secs", "millis", "micros", "mins", "hours"]
            let words = line.split(separator: " ")
            return words.last.map(units.contains) == true && words.count { units.contains($0) } == 3
        }
        let bytes = Array(line.utf8)
        if bytes.count >= 2, bytes[bytes.count - 1] == UInt8(ascii: "s"), (0x30...0x39).contains(bytes[bytes.count - 2]) { return true }
        // `time -p`: a separator, digits, a decimal mark and exactly two digits.
        guard bytes.count >= 4, (0x30...0x39).contains(bytes[bytes.count - 1]), (0x30...0x39).contains(bytes[bytes.count - 2]) else {
            return false
        }
        let mark = bytes[bytes.count - 3]
        return (mark == UInt8(ascii: ".") || mark == UInt8(ascii: ",")) && (0x30...0x39).contains(bytes[bytes.count - 4])
    }

    /// The note for a last line left out by `ended`.
    static func cutNote(line: Int) -> String {
        "the last line (\(line)) has no line end (output still being written, or cut off): left out, and read once it is ended"
    }
}
