/// The service name `docker compose logs` puts before each line a container
/// printed (`vllm-1  | `, compose v1's `bench_vllm_1 | `): a benchmark's
/// console output saved that way (`docker compose logs bench > bench.log`)
/// was no benchmark data, its lines no longer starting where each format
/// looks. The name ends with the container's number, which tells it from a
/// table's first cell (`Model | Size`).
///
///     ComposeLogPrefix.stripped("vllm-1  | Successful requests: 98\n")  // "Successful requests: 98\n"
enum ComposeLogPrefix {
    /// `text` with the prefix taken off every line that has one, when four
    /// in five of its lines that are not blank have one (at least two); nil
    /// otherwise.
    static func stripped(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var lines: [(range: Range<Int>, prefix: Int)] = []
        var start = text.startIndex
        var written = 0
        var prefixed = 0
        while start < text.endIndex {
            let end = text[start...].firstIndex(of: 0x0A) ?? text.endIndex
            let line = text[start..<end]
            let length = prefixLength(line)
            if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                written += 1
                if length > 0 { prefixed += 1 }
            }
            lines.append((start..<min(end + 1, text.endIndex), length))
            start = end < text.endIndex ? end + 1 : end
        }
        guard prefixed >= 2, prefixed * 5 >= written * 4 else { return nil }
        var plain: [UInt8] = []
        plain.reserveCapacity(text.count)
        for line in lines { plain += text[(line.range.lowerBound + line.prefix)..<line.range.upperBound] }
        return plain
    }

    /// The length of `name-N  | ` at the line's start (the blank after the
    /// bar included), or 0.
    static func prefixLength(_ line: ArraySlice<UInt8>) -> Int {
        func isLetterOrDigit(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        guard let first = line.first, isLetterOrDigit(first) else { return 0 }
        let nameEnd =
            line.firstIndex { !isLetterOrDigit($0) && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: ".") } ?? line.endIndex
        let name = line[..<nameEnd]
        // The container's number, after a dash (compose v2) or an underscore (v1).
        let digits = name.reversed().prefix { (0x30...0x39).contains($0) }.count
        guard digits > 0, digits < name.count, [UInt8(ascii: "-"), UInt8(ascii: "_")].contains(name[nameEnd - digits - 1]) else { return 0 }
        let bar = line[nameEnd...].firstIndex { $0 != 0x20 } ?? line.endIndex
        guard bar > nameEnd, bar < line.endIndex, line[bar] == UInt8(ascii: "|") else { return 0 }
        let after = bar + 1
        if after == line.endIndex || line[after] == 0x0D { return after - line.startIndex }
        return line[after] == 0x20 ? after + 1 - line.startIndex : 0
    }
}
