/// The lines of a tool's console output as a person reads them: from a
/// place in the text on, each with its blanks trimmed and the terminal's
/// colour and style codes (`ESC [ 1 m`) taken out, which a capture made with
/// `script`, or a tool told to colour its output, keeps in the file.
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

    mutating func next() -> String? {
        guard start < text.endIndex else { return nil }
        let end = text[start...].firstIndex(of: 0x0A) ?? text.endIndex
        let line = text[start..<end]
        start = end < text.endIndex ? end + 1 : end
        return String(decoding: line.contains(0x1B) ? Self.withoutEscapes(line) : Array(line), as: UTF8.self).trimmingBlanks()
    }

    /// A CSI sequence is ESC, `[`, parameters, and one final byte from `@` to `~`.
    private static func withoutEscapes(_ line: ArraySlice<UInt8>) -> [UInt8] {
        var kept: [UInt8] = []
        kept.reserveCapacity(line.count)
        var index = line.startIndex
        while index < line.endIndex {
            if line[index] == 0x1B, index + 1 < line.endIndex, line[index + 1] == UInt8(ascii: "[") {
                index += 2
                while index < line.endIndex, !(0x40...0x7E).contains(line[index]) { index += 1 }
                index += 1
                continue
            }
            kept.append(line[index])
            index += 1
        }
        return kept
    }
}
