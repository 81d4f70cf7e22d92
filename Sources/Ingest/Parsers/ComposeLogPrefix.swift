/// The service name `docker compose logs` puts before each line a container
/// printed (`vllm-1  | `, compose v1's `bench_vllm_1 | `): a benchmark's
/// console output saved that way (`docker compose logs bench > bench.log`)
/// was no benchmark data, its lines no longer starting where each format
/// looks. The name ends with the container's number, which tells it from a
/// table's first cell (`Model | Size`). With `-t`, each line's time follows
/// it (`2026-12-05T02:00:01.123456789Z `, or with its offset); with colours, codes surround it.
///
///     ComposeLogPrefix.stripped("vllm-1  | Successful requests: 98\n")  // "Successful requests: 98\n"
enum ComposeLogPrefix {
    /// `text` without the prefixes, each service's lines together in the
    /// order its first line came (two clients' results, or a server's log
    /// between a client's arguments and its results, interleave line by
    /// line), when four in five of its lines that are not blank have one
    /// (at least two); nil otherwise. A line without a prefix stays with
    /// the service whose line came before it.
    static func stripped(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var services: [[UInt8]: Int] = [:]
        var groups: [[UInt8]] = [[]]
        var current = 0
        var written = 0
        var prefixed = 0
        var start = text.startIndex
        while start < text.endIndex {
            let end = text[start...].firstIndex(of: 0x0A) ?? text.endIndex
            let line = text[start..<end]
            let next = end < text.endIndex ? end + 1 : end
            if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) { written += 1 }
            if let prefix = prefix(of: line) {
                prefixed += 1
                let name = Array(line[prefix.name])
                if let group = services[name] {
                    current = group
                } else {
                    services[name] = groups.count
                    current = groups.count
                    groups.append([])
                }
                groups[current] += text[prefix.end..<next]
            } else {
                groups[current] += text[start..<next]
            }
            start = next
        }
        guard prefixed >= 2, prefixed * 5 >= written * 4 else { return nil }
        return groups.flatMap { $0 }
    }

    /// The service's name in `line` and where its text starts (past the
    /// bar, a blank, and `-t`'s time), or nil when the line has no prefix.
    static func prefix(of line: ArraySlice<UInt8>) -> (name: Range<Int>, end: Int)? {
        func isLetterOrDigit(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        let nameStart = pastColours(line, from: line.startIndex)
        guard nameStart < line.endIndex, isLetterOrDigit(line[nameStart]) else { return nil }
        let nameEnd =
            line[nameStart...].firstIndex { !isLetterOrDigit($0) && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: ".") }
            ?? line.endIndex
        let name = line[nameStart..<nameEnd]
        // The container's number, after a dash (compose v2) or an underscore (v1).
        let digits = name.reversed().prefix { (0x30...0x39).contains($0) }.count
        guard digits > 0, digits < name.count, [UInt8(ascii: "-"), UInt8(ascii: "_")].contains(name[nameEnd - digits - 1]) else { return nil }
        let bar = line[nameEnd...].firstIndex { $0 != 0x20 } ?? line.endIndex
        guard bar > nameEnd, bar < line.endIndex, line[bar] == UInt8(ascii: "|") else { return nil }
        var end = pastColours(line, from: bar + 1)
        if end < line.endIndex, line[end] != 0x0D {
            guard line[end] == 0x20 else { return nil }
            end = pastColours(line, from: end + 1)
        }
        return (nameStart..<nameEnd, ConsoleLines.timestampEnd(line, from: end, offsets: true) ?? end)
    }

    /// Past the terminal's colour codes (`ESC [ 36 m`) from `index`.
    private static func pastColours(_ line: ArraySlice<UInt8>, from index: Int) -> Int {
        var index = index
        while let end = ConsoleLines.escapeEnd(line, at: index) { index = end }
        return index
    }

}
