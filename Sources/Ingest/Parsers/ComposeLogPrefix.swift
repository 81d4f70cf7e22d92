/// The service name `docker compose logs` puts before each line a container
/// printed (`vllm-1  | `, compose v1's `bench_vllm_1 | `): a benchmark's
/// console output saved that way (`docker compose logs bench > bench.log`)
/// was no benchmark data, its lines no longer starting where each format
/// looks. The name ends with the container's number, which tells it from a
/// table's first cell (`Model | Size`). With `-t`, each line's time follows
/// it (`2026-12-05T02:00:01.123456789Z `: Docker's times are in UTC; a
/// time with an offset there is the container's own text, such as Google
/// Benchmark's date line); with colours, codes surround it.
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
        // Most texts have no prefix at all: two are looked for first, on
        // the bytes alone, before any line is asked whether it is compose's.
        guard hasTwoPrefixes(text) else { return nil }
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
            } else if !isComposeOwnLine(line) {
                if line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) { written += 1 }
                groups[current] += text[start..<next]
            }
        }
        guard prefixed >= 2, prefixed * 5 >= written * 4 else { return nil }
        return groups.flatMap { $0 }
    }

    private static func hasTwoPrefixes(_ text: ArraySlice<UInt8>) -> Bool {
        var found = 0
        var start = text.startIndex
        while start < text.endIndex, found < 2 {
            let end = text[start...].firstIndex(of: 0x0A) ?? text.endIndex
            if prefix(of: text[start..<end]) != nil { found += 1 }
            start = end < text.endIndex ? end + 1 : end
        }
        return found == 2
    }

    /// The service's name in `line` and where its text starts (past the
    /// bar, a blank, and `-t`'s time), or nil when the line has no prefix.
    /// A CI log's time before the name (compose run in a GitHub Actions
    /// step) is read past with it.
    static func prefix(of line: ArraySlice<UInt8>) -> (name: Range<Int>, end: Int)? {
        var start = pastColours(line, from: line.startIndex)
        if let stamped = ConsoleLines.timestampEnd(line, from: start) { start = pastColours(line, from: stamped) }
        guard let name = serviceName(in: line, from: start) else { return nil }
        let bar = line[name.upperBound...].firstIndex { $0 != 0x20 } ?? line.endIndex
        guard bar > name.upperBound, bar < line.endIndex, line[bar] == UInt8(ascii: "|") else { return nil }
        var end = pastColours(line, from: bar + 1)
        if end < line.endIndex, line[end] != 0x0D {
            guard line[end] == 0x20 else { return nil }
            end = pastColours(line, from: end + 1)
        }
        return (name, ConsoleLines.timestampEnd(line, from: end) ?? end)
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
    /// 2/2`, ` ✔ Container bench-vllm-1  Started`, or without the mark when
    /// its output is no terminal, `Attaching to bench-1, vllm-1`, `bench-1
    /// exited with code 0`, `Gracefully stopping...`) and compose v1's
    /// (`Creating bench_vllm_1 ... done`). Read as bytes, past the codes and
    /// carriage return compose writes before a line it replaces (`\r ESC [K`).
    static func isComposeOwnLine(_ line: ArraySlice<UInt8>) -> Bool {
        var start = line.startIndex
        while start < line.endIndex {
            if let end = ConsoleLines.escapeEnd(line, at: start) {
                start = end
            } else if [0x20, 0x09, 0x0D].contains(line[start]) {
                start += 1
            } else {
                break
            }
        }
        var end = line.endIndex
        while end > start, [0x20, 0x09, 0x0D].contains(line[end - 1]) { end -= 1 }
        let body = line[start..<end]
        guard !body.isEmpty, body.count < 512 else { return false }
        if ownLineOpenings.contains(where: { body.starts(with: $0) }) { return true }
        // ` ✔ Container bench-vllm-1  Started` (⠿ before compose 2.17, ✘ when
        // it failed); without a mark, it must end in what became of the object.
        var object = body
        if let mark = progressMarks.first(where: { body.starts(with: $0) }) { object = body.dropFirst(mark.count).drop { $0 == 0x20 } }
        if progressObjects.contains(where: { object.starts(with: $0) }) {
            let state = object.reversed().prefix { $0 != 0x20 }.reversed()
            if object.count < body.count || progressStates.contains(where: { state.elementsEqual($0) }) { return true }
        }
        // `bench-1 exited with code 0`.
        if let name = serviceName(in: body, from: body.startIndex), body[name.upperBound...].starts(with: exitedWithCode) {
            let code = body[(name.upperBound + exitedWithCode.count)...]
            return !code.isEmpty && code.allSatisfy { (0x30...0x39).contains($0) }
        }
        // Compose v1: `Creating bench_vllm_1 ... done`.
        if let verb = versionOneVerbs.first(where: { body.starts(with: $0) }),
            let name = serviceName(in: body, from: body.startIndex + verb.count)
        {
            return body[name.upperBound...].starts(with: Array(" ...".utf8))
        }
        return false
    }

    private static let ownLineOpenings = ["[+] ", "Attaching to ", "Gracefully stopping", "Gracefully Stopping", "Aborting on container exit"]
        .map { Array($0.utf8) }
    private static let progressMarks = ["\u{2714} ", "\u{2718} ", "\u{283F} "].map { Array($0.utf8) }
    private static let progressObjects = ["Container ", "Network ", "Volume ", "Image "].map { Array($0.utf8) }
    private static let progressStates = [
        "Creating", "Created", "Recreate", "Recreated", "Starting", "Started", "Running", "Waiting", "Healthy", "Stopping", "Stopped",
        "Removing", "Removed", "Killing", "Killed", "Exited", "Pulling", "Pulled", "Building", "Built", "Error",
    ].map { Array($0.utf8) }
    private static let exitedWithCode = Array(" exited with code ".utf8)
    private static let versionOneVerbs = ["Creating ", "Starting ", "Stopping ", "Recreating ", "Removing ", "Killing "].map { Array($0.utf8) }

    /// Past the terminal's colour codes (`ESC [ 36 m`) from `index`.
    private static func pastColours(_ line: ArraySlice<UInt8>, from index: Int) -> Int {
        var index = index
        while let end = ConsoleLines.escapeEnd(line, at: index) { index = end }
        return index
    }

}
