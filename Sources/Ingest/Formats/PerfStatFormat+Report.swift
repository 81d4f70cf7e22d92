import Foundation
import Records

/// `perf stat`'s report as people save it (`perf stat -o run.txt`, or its
/// stderr captured to a `.txt` or `.log`):
///
///      Performance counter stats for 'make -j2' (5 runs):
///
///               1,234.56 msec task-clock      #    1.985 CPUs utilized    ( +-  0.52% )
///        <not supported>      cycles
///
///            0.621893 +- 0.003241 seconds time elapsed  ( +-  0.52% )
///
/// Its events are read as `-x`'s are (the same benchmarks, tested the same
/// way), with the command perf ran as a setting, so two commands' counts are
/// never pooled. With `-r N` each figure is a mean of N runs, and perf's
/// `+-` (the standard error of that mean) gives the runs' spread. The time
/// elapsed is a benchmark too (tested: it is what a command benchmark is
/// timed by); `seconds user` and `seconds sys` are listed.
///
/// A report ends after its times: what follows (the next command's own
/// output, a test runner's `12 passed`) is no event of it. Its numbers are
/// read in the report's own locale: `123,28 msec` under `de_DE` is 123.28 ms,
/// told by the clock's and the elapsed time's fractions, which perf always
/// prints. `-I`'s intervals (under their `# time counts unit events` line)
/// are read as `-x -I`'s are.
extension PerfStatFormat {
    /// The report's events, or nil when the text holds no report (no
    /// `Performance counter stats for` line, or `-I`'s heading, followed by an event).
    static func extract(report text: ArraySlice<UInt8>) -> Extraction? {
        var events: [Event] = []
        var from = text.startIndex
        var cut = false
        var olderLeftOut = false
        var jumped = false
        var reports = 0
        // Where each heading is next: searched again only once passed, so
        // a heading the file never holds costs one search, not one a report.
        let headings = ["Performance counter stats for ", "counts unit events"]
        var next = headings.map { ByteSearch.firstIndex(of: $0, in: text) }
        func nextHeading() -> Int? {
            for index in headings.indices where next[index].map({ $0 < from }) == true {
                next[index] = ByteSearch.firstIndex(of: headings[index], in: text[from...])
            }
            return next.compactMap { $0 }.min()
        }
        // Each report is found without reading lines (most text, a server's
        // log, holds none; a build's output may come first), and read up to
        // where it ends, at its times.
        while let found = nextHeading() {
            var lines = ConsoleLines(text, from: found)
            var block: Block?
            // `-o FILE` writes `# started on ...` before each report (a blank line or two apart).
            var startedAt = startedOn(before: found, in: text, after: from)
            // Reports back to back are read in one pass; at the bound, the
            // next is left for the pass after, which makes room first.
            var dateLine: Int?
            var resume: Int?
            while true {
                let lineStart = lines.position
                guard let line = lines.next() else { break }
                if let time = startedOn(line) {
                    startedAt = time
                    dateLine = lineStart
                    continue
                }
                if var heading = Block(heading: line) {
                    if let current = block, events.count + current.lines.count >= maximumLines {
                        resume = dateLine ?? lineStart
                        break
                    }
                    dateLine = nil
                    block?.appendEvents(to: &events)
                    heading.startedAt = startedAt
                    heading.index = reports
                    reports += 1
                    startedAt = nil
                    block = heading
                    continue
                }
                // The heading's words inside another line (`see Performance counter stats for ...`): no report.
                guard block != nil else { break }
                guard !line.isEmpty, block?.take(line) == false else { continue }
                break
            }
            cut = cut || block?.full == true
            block?.appendEvents(to: &events)
            from = resume ?? max(lines.position, found + 1)
            if cut { break }
            // Reports appended night after night: the oldest are let go, so
            // the lines kept are bounded and the latest night always read.
            // The first time the bound is reached, reading goes on from as
            // far before the end as the reports so far say holds about that
            // many lines, rather than through every report between.
            if events.count >= maximumLines, !jumped {
                jumped = true
                let bytesPerEvent = Double(from - text.startIndex) / Double(events.count)
                let tail = text.endIndex - Int(bytesPerEvent * Double(maximumLines) * 0.9)
                if tail > from {
                    // From a line's start, so a date line there is read.
                    from = text[from..<tail].lastIndex(of: 0x0A).map { $0 + 1 } ?? tail
                    events.removeAll(keepingCapacity: true)
                    olderLeftOut = true
                }
            }
            if events.count >= maximumLines + maximumLines / 4 { olderLeftOut = leaveOutOldest(&events) || olderLeftOut }
        }
        if events.count > maximumLines { olderLeftOut = leaveOutOldest(&events) || olderLeftOut }
        guard !events.isEmpty else { return nil }
        var extraction = extraction(events)
        if cut {
            extraction.notes.append(
                "reading stopped after \(IngestLimits.count(maximumLines)) of perf's lines in one report: a file's records are bounded (README, \"Memory\")"
            )
        }
        if olderLeftOut {
            extraction.notes.append(
                "the oldest reports were left out: a file keeps its latest \(IngestLimits.count(maximumLines)) of perf's lines (README, \"Memory\")")
        }
        return extraction
    }

    /// Lets go of the oldest reports' events, whole reports, down to
    /// `maximumLines`; false when none had to go.
    private static func leaveOutOldest(_ events: inout [Event]) -> Bool {
        guard events.count > maximumLines else { return false }
        var first = events.count - maximumLines
        while first < events.count, first > 0, events[first].report == events[first - 1].report { first += 1 }
        events.removeFirst(first)
        return true
    }

    /// The time of the `# started on` line just before `position` (blank
    /// lines apart, and not before `limit`), or nil when none is there.
    private static func startedOn(before position: Int, in text: ArraySlice<UInt8>, after limit: Int) -> Double? {
        var end = position
        // The heading's own line starts before it (` Performance counter stats for`).
        while end > limit, text[end - 1] != 0x0A { end -= 1 }
        for _ in 0..<4 {
            guard end > limit else { return nil }
            let lineEnd = end - 1
            var lineStart = lineEnd
            while lineStart > limit, text[lineStart - 1] != 0x0A { lineStart -= 1 }
            // Read as a console line: a CI log's time before it is taken off.
            var lines = ConsoleLines(text[..<lineEnd], from: lineStart)
            let line = lines.next() ?? ""
            if !line.isEmpty { return startedOn(line) }
            end = lineStart
        }
        return nil
    }

    /// The most event lines read from one file: an event as read weighs
    /// about a hundred times a number, so a file's numbers are the bound
    /// over eight (`-I` at 1 s with ten events is eight hours of them).
    static let maximumLines = IngestLimits.maximumNumbers / 8

    /// One report: its heading's command and runs, and its lines, read once
    /// the report's decimal mark is known.
    private struct Block {
        var command: String?
        var runs: Int?
        /// When it started (its `# started on` line), if perf wrote it.
        var startedAt: Double?
        /// Which of the file's reports it is.
        var index = 0
        var interval = false
        var lines: [String] = []
        var timed = false
        /// Whether it ended at the file's bound on lines.
        var full = false

        /// `Performance counter stats for 'cmd' (5 runs):` (the command, or
        /// `system wide`, `process id '42'`), or `-I`'s `#  time  counts unit events`.
        init?(heading line: String) {
            if line.hasPrefix("#"), line.hasSuffix("counts unit events"), line.contains(" time ") {
                interval = true
                return
            }
            let marker = "Performance counter stats for "
            guard line.hasPrefix(marker) else { return nil }
            var rest = line.dropFirst(marker.count)
            if rest.hasSuffix(":") { rest = rest.dropLast() }
            if rest.hasSuffix(" runs)"), let open = rest.lastIndex(of: "(") {
                runs = Int(rest[rest.index(after: open)...].dropLast(" runs)".count)).flatMap { $0 > 0 ? $0 : nil }
                rest = rest[..<open]
            }
            var command = String(rest).trimmingBlanks()
            if command.hasPrefix("'"), command.hasSuffix("'"), command.count >= 2 { command = String(command.dropFirst().dropLast()) }
            self.command = TextCuts.text(command)
        }

        /// Takes a line of the report; false when the report ended before
        /// it (its times were read, and this is none of them), or holds the
        /// most lines a file keeps (`full`). The file's reports together are
        /// bounded by letting the oldest go (`leaveOutOldest`).
        mutating func take(_ line: String) -> Bool {
            guard lines.count < PerfStatFormat.maximumLines else {
                full = true
                return false
            }
            // `-I`'s lines each start with their time; it prints no times to end on.
            if interval, !line.hasPrefix("#"), !Self.startsWithTime(line) { return false }
            let isTime = line.contains(" seconds ")
            if timed, !isTime, !line.hasPrefix("#") { return false }
            if line.contains("seconds time elapsed") { timed = true }
            lines.append(line)
            return true
        }

        /// `0.100152058 ...`: digits with one point (or comma) among them, first.
        private static func startsWithTime(_ line: String) -> Bool {
            let first = line.prefix { $0 != " " && $0 != "\t" }
            let marks = first.filter { $0 == "." || $0 == "," }.count
            return marks == 1 && first.count > 2 && first.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
        }

        /// Its events, read in its decimal style, after `events`.
        func appendEvents(to events: inout [Event]) {
            let style = NumberStyle(lines)
            let first = events.count
            for line in lines {
                if line.hasPrefix("#") {
                    // A comment line's spread (`# 0.45 stalled cycles per insn ( +- 0.12% )`) is the event's above it.
                    if let last = events.indices.last, last >= first, events[last].relativeStandardError == nil,
                        let share = PerfStatFormat.relativeStandardError(line, style)
                    {
                        events[last].relativeStandardError = share
                    }
                    continue
                }
                guard var event = PerfStatFormat.elapsed(line, style) ?? PerfStatFormat.event(line, style) else { continue }
                event.command = command
                event.runs = runs
                event.startedAt = startedAt
                event.report = index
                event.interval = event.interval || interval
                events.append(event)
            }
        }
    }

    /// How the report writes its numbers: perf follows the locale, so
    /// `1,234.56` (en_US) or `1.234,56` (de_DE). Its clock (`%.2f msec`) and
    /// its elapsed time (`seconds time elapsed`) always have a fraction, so
    /// whichever mark comes last in them is the decimal one.
    struct NumberStyle {
        var decimalComma = false

        init(_ lines: [String]) {
            for line in lines where !line.hasPrefix("#") {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                // The number just before the unit (`0,156 +- 0,005 seconds`, `CPU0 1.234,56 msec`).
                guard let unit = words.firstIndex(where: { $0 == "msec" || $0 == "seconds" }), unit > 0 else { continue }
                let value = words[unit - 1]
                guard let last = value.lastIndex(where: { $0 == "," || $0 == "." }) else { continue }
                decimalComma = value[last] == ","
                return
            }
        }

        /// A number as perf wrote it, as plain digits and a point (`1,234.56`
        /// and `1.234,56` both `1234.56`); nil when it is none.
        func number(_ word: Substring) -> String? {
            // fr_FR and ru_RU group thousands with a narrow no-break space, de_CH with `’`.
            var word = word
            if word.utf8.contains(where: { $0 >= 0x80 || $0 == 0x27 }) {
                word = Substring(word.filter { !["\u{202F}", "\u{00A0}", "\u{2019}", "'"].contains($0) })
            }
            let (grouping, decimal) = decimalComma ? (UInt8(ascii: "."), UInt8(ascii: ",")) : (UInt8(ascii: ","), UInt8(ascii: "."))
            var bytes: [UInt8] = []
            bytes.reserveCapacity(word.utf8.count)
            for byte in word.utf8 where byte != grouping { bytes.append(byte == decimal ? UInt8(ascii: ".") : byte) }
            let plain = String(decoding: bytes, as: UTF8.self)
            return NumberParsing.double(plain) != nil ? plain : nil
        }
    }

    /// `0.62 +- 0.003 seconds time elapsed ( +- 0.52% )`, `0.01 seconds user`, `0.002 seconds sys`.
    private static func elapsed(_ line: String, _ style: NumberStyle) -> Event? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 3, let text = style.number(words[0]), let value = NumberParsing.double(text) else { return nil }
        var index = 1
        var standardError: Double?
        if words[index] == "+-", words.count > index + 2 {
            standardError = style.number(words[index + 1]).flatMap(NumberParsing.double)
            index += 2
        }
        guard words[index] == "seconds" else { return nil }
        let name = words[(index + 1)...].prefix { !$0.hasPrefix("(") }.joined(separator: " ")
        switch name {
        case "time elapsed":
            return Event(
                name: name, value: text, unit: "s",
                relativeStandardError: standardError.flatMap { value != 0 ? $0 / value * 100 : nil })
        case "user", "sys":
            return Event(name: "\(name) time", value: text, unit: "s", listedOnly: true)
        default:
            return nil
        }
    }

    /// `1,234.56 msec task-clock # 1.985 CPUs utilized ( +- 0.52% )`, with
    /// what perf puts first: `-A`'s `CPU0`, `--per-core`'s `S0-D0-C0 2`,
    /// `--per-node`'s `N0 2`, `--per-thread`'s `make-4242`, or `-I`'s time.
    private static func event(_ line: String, _ style: NumberStyle) -> Event? {
        // What follows `#` is perf's comment on the count; `( +- x% )` may follow it.
        let body = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var words = body.prefix { $0 != "(" }.split(whereSeparator: { $0 == " " || $0 == "\t" })
        var scope: Parameter?
        var interval = false
        func isCPU(_ word: Substring) -> Bool { word.hasPrefix("CPU") && word.count > 3 && word.dropFirst(3).allSatisfy(\.isNumber) }
        func isTopology(_ word: Substring) -> Bool {
            (word.first == "S" || word.first == "N")
                && word.split(separator: "-").allSatisfy { $0.count > 1 && "SDCN".contains($0.first ?? " ") && $0.dropFirst().allSatisfy(\.isNumber) }
        }
        func isCount(_ word: Substring) -> Bool { style.number(word) != nil || word.hasPrefix("<") }
        // `-I`'s time (a fraction, before a count or what scopes it).
        if words.count > 2, let first = words.first, first.contains(style.decimalComma ? "," : "."), style.number(first) != nil,
            isCount(words[1]) || isCPU(words[1]) || isTopology(words[1])
        {
            interval = true
            words.removeFirst()
        }
        if let first = words.first, isCPU(first) {
            scope = Parameter("cpu", String(first))
            words.removeFirst()
        } else if let first = words.first, isTopology(first), words.count > 2, words[1].allSatisfy(\.isNumber) {
            let kind = first.first == "N" ? "node" : first.contains("-") ? "core" : "socket"
            scope = Parameter(kind, String(first))
            words.removeFirst(2)
        } else if words.count > 2, isCount(words[1]), let first = words.first, let dash = first.lastIndex(of: "-"),
            dash != first.startIndex, first.index(after: dash) != first.endIndex, first[first.index(after: dash)...].allSatisfy(\.isNumber)
        {
            // `--per-thread`'s `make-4242`: a thread id is new each run, so its counts are listed, never tested.
            scope = Parameter("thread", String(first))
            words.removeFirst()
        }
        guard let first = words.first else { return nil }
        let value: String
        if first.hasPrefix("<") {
            // `<not supported>`, `<not counted>`: two words.
            guard let closing = words.firstIndex(where: { $0.hasSuffix(">") }) else { return nil }
            value = words[...closing].joined(separator: " ")
            words.removeSubrange(...closing)
        } else {
            guard let number = style.number(first) else { return nil }
            value = number
            words.removeFirst()
        }
        var unit = ""
        if let next = words.first, !next.isEmpty, units.contains(String(next)) {
            unit = String(next)
            words.removeFirst()
        }
        // One name, and nothing after it but the comment.
        guard words.count == 1, let name = words.first, name.first?.isLetter == true else { return nil }
        return Event(
            name: TextCuts.text(String(name)), value: value, unit: unit, scope: scope, interval: interval,
            relativeStandardError: relativeStandardError(line, style), listedOnly: scope?.name == "thread")
    }

    /// `( +-  0.52% )` at the end of a line: the share, in percent.
    private static func relativeStandardError(_ line: String, _ style: NumberStyle) -> Double? {
        guard let marker = line.range(of: "+-", options: .backwards) else { return nil }
        let rest = line[marker.upperBound...].prefix { $0 != "%" }.trimmingCharacters(in: .whitespaces)
        return style.number(Substring(rest)).flatMap(NumberParsing.double)
    }
}
