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
    /// the service whose line came before it; compose's own (`docker compose
    /// up`'s `Attaching to ...`, `bench-1 exited with code 0`, its progress
    /// lines) are left out, and not counted.
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
            defer { start = next }
            if let prefix = prefix(of: line) {
                written += 1
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
            } else if !isStatus(line) {
                if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) { written += 1 }
                groups[current] += text[start..<next]
            }
        }
        guard prefixed >= 2, prefixed * 5 >= written * 4 else { return nil }
        return groups.flatMap { $0 }
    }

    /// The service's name in `line` and where its text starts (past the
    /// bar, a blank, and `-t`'s time), or nil when the line has no prefix.
    static func prefix(of line: ArraySlice<UInt8>) -> (name: Range<Int>, end: Int)? {
        guard let name = serviceName(in: line, from: pastColours(line, from: line.startIndex)) else { return nil }
        let bar = line[name.upperBound...].firstIndex { $0 != 0x20 } ?? line.endIndex
        guard bar > name.upperBound, bar < line.endIndex, line[bar] == UInt8(ascii: "|") else { return nil }
        var end = pastColours(line, from: bar + 1)
        if end < line.endIndex, line[end] != 0x0D {
            guard line[end] == 0x20 else { return nil }
            end = pastColours(line, from: end + 1)
        }
        return (name, ConsoleLines.timestampEnd(line, from: end, offsets: true) ?? end)
    }

    /// A container's name as compose gives it, from `start` to the first byte
    /// that cannot be in one: it ends with the container's number, after a
    /// dash (compose v2) or an underscore (v1), which tells it from a
    /// table's first cell.
    private static func serviceName(in line: ArraySlice<UInt8>, from start: Int) -> Range<Int>? {
        func isLetterOrDigit(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        guard start < line.endIndex, isLetterOrDigit(line[start]) else { return nil }
        let end =
            line[start...].firstIndex { !isLetterOrDigit($0) && $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: "_") && $0 != UInt8(ascii: ".") }
            ?? line.endIndex
        let name = line[start..<end]
        let digits = name.reversed().prefix { (0x30...0x39).contains($0) }.count
        guard digits > 0, digits < name.count, [UInt8(ascii: "-"), UInt8(ascii: "_")].contains(name[end - digits - 1]) else { return nil }
        return start..<end
    }

    /// Whether `line` is compose's own rather than a container's: what
    /// `docker compose up` prints around the containers' output (`[+] Running
    /// 2/2`, ` ✔ Container bench-vllm-1  Started`, `Attaching to bench-1,
    /// vllm-1`, `bench-1 exited with code 0`, `Gracefully stopping...`) and
    /// compose v1's (`Creating bench_vllm_1 ... done`). Read as bytes: every
    /// line of a text without prefixes is asked.
    static func isStatus(_ line: ArraySlice<UInt8>) -> Bool {
        var start = line.startIndex
        while start < line.endIndex {
            if let end = ConsoleLines.escapeEnd(line, at: start) {
                start = end
            } else if line[start] == 0x20 || line[start] == 0x09 {
                start += 1
            } else {
                break
            }
        }
        let body = line[start...]
        func starts(_ text: String, at index: Int? = nil) -> Bool { body[(index ?? body.startIndex)...].starts(with: text.utf8) }
        guard !body.isEmpty, body.count < 512 else { return false }
        if ["[+] ", "Attaching to ", "Gracefully stopping", "Gracefully Stopping", "Aborting on container exit"].contains(where: { starts($0) }) {
            return true
        }
        // ` ✔ Container bench-vllm-1  Started` (⠿ before compose 2.17, ✘ when it failed).
        for mark in ["\u{2714} ", "\u{2718} ", "\u{283F} "] where starts(mark) {
            let kind = body.dropFirst(mark.utf8.count).drop { $0 == 0x20 }
            return ["Container ", "Network ", "Volume ", "Image "].contains { kind.starts(with: $0.utf8) }
        }
        // `bench-1 exited with code 0`.
        if let name = serviceName(in: body, from: body.startIndex), starts(" exited with code ", at: name.upperBound) {
            let code = body[(name.upperBound + 18)...].prefix { $0 != 0x0D && $0 != 0x20 }
            return !code.isEmpty && code.allSatisfy { (0x30...0x39).contains($0) }
        }
        // Compose v1: `Creating bench_vllm_1 ... done`.
        for verb in ["Creating ", "Starting ", "Stopping ", "Recreating ", "Removing ", "Killing "] where starts(verb) {
            guard let name = serviceName(in: body, from: body.startIndex + verb.utf8.count) else { return false }
            return starts(" ... ", at: name.upperBound) || starts(" ...", at: name.upperBound)
        }
        return false
    }

    /// Past the terminal's colour codes (`ESC [ 36 m`) from `index`.
    private static func pastColours(_ line: ArraySlice<UInt8>, from index: Int) -> Int {
        var index = index
        while let end = ConsoleLines.escapeEnd(line, at: index) { index = end }
        return index
    }

}
