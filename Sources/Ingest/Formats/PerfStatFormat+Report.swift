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
extension PerfStatFormat {
    /// The report's events, or nil when the text holds no report (no
    /// `Performance counter stats for` line followed by an event).
    static func extract(report text: ArraySlice<UInt8>) -> Extraction? {
        // Most text (a server's log) holds no report, and a build's output
        // may come first: the first report is found without reading lines.
        guard let found = ByteSearch.firstIndex(of: "Performance counter stats for ", in: text) else { return nil }
        var events: [Event] = []
        var block: (command: String, runs: Int?)?
        for line in ConsoleLines(text, from: found) {
            guard events.count < IngestLimits.maximumNumbers else { break }
            if let header = header(line) {
                block = header
                continue
            }
            // Lines before the first report (a build's output, a shell prompt) are not perf's.
            guard let block, !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard var event = elapsed(line) ?? event(line) else { continue }
            event.command = block.command
            event.runs = block.runs
            events.append(event)
        }
        return events.isEmpty ? nil : extraction(events)
    }

    /// `Performance counter stats for 'cmd' (5 runs):`: the command (or
    /// `system wide`, `process id '42'`) and the runs.
    private static func header(_ line: String) -> (command: String, runs: Int?)? {
        let marker = "Performance counter stats for "
        guard let found = line.range(of: marker) else { return nil }
        var rest = line[found.upperBound...]
        if rest.hasSuffix(":") { rest = rest.dropLast() }
        var runs: Int?
        if rest.hasSuffix(" runs)"), let open = rest.lastIndex(of: "(") {
            runs = Int(rest[rest.index(after: open)...].dropLast(" runs)".count))
            rest = rest[..<open]
        }
        var command = String(rest).trimmingBlanks()
        if command.hasPrefix("'"), command.hasSuffix("'"), command.count >= 2 { command = String(command.dropFirst().dropLast()) }
        return (TextCuts.text(command), runs)
    }

    /// `0.62 +- 0.003 seconds time elapsed ( +- 0.52% )`, `0.01 seconds user`, `0.002 seconds sys`.
    private static func elapsed(_ line: String) -> Event? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 3, let value = NumberParsing.double(words[0]) else { return nil }
        var index = 1
        var standardError: Double?
        if words[index] == "+-", words.count > index + 2 {
            standardError = NumberParsing.double(words[index + 1])
            index += 2
        }
        guard words[index] == "seconds" else { return nil }
        let name = words[(index + 1)...].prefix { !$0.hasPrefix("(") }.joined(separator: " ")
        switch name {
        case "time elapsed":
            return Event(
                name: name, value: words[0].description, unit: "s",
                relativeStandardError: standardError.flatMap { value != 0 ? $0 / value * 100 : nil })
        case "user", "sys":
            return Event(name: "\(name) time", value: words[0].description, unit: "s", listedOnly: true)
        default:
            return nil
        }
    }

    /// `1,234.56 msec task-clock # 1.985 CPUs utilized ( +- 0.52% )`, with
    /// `-A`'s `CPU0`, `--per-core`'s `S0-D0-C0 2` or `-I`'s time first.
    private static func event(_ line: String) -> Event? {
        // What follows `#` is perf's comment on the count; `( +- x% )` may follow it.
        let body = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var words = body.prefix { $0 != "(" }.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var scope: Parameter?
        var interval = false
        if let first = words.first, first.hasPrefix("CPU"), first.count > 3, first.dropFirst(3).allSatisfy(\.isNumber) {
            scope = Parameter("cpu", first)
            words.removeFirst()
        } else if let first = words.first, first.first == "S", words.count > 1, words[1].allSatisfy(\.isNumber),
            first.split(separator: "-").allSatisfy({ $0.count > 1 && "SDCN".contains($0.first ?? " ") && $0.dropFirst().allSatisfy(\.isNumber) })
        {
            scope = Parameter(first.contains("-") ? "core" : "socket", first)
            words.removeFirst(2)
        } else if words.count >= 3, words[0].contains("."), NumberParsing.double(words[0]) != nil,
            count(words[1]) != nil || words[1].hasPrefix("<")
        {
            interval = true
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
            guard let number = count(first) else { return nil }
            value = number
            words.removeFirst()
        }
        var unit = ""
        if let next = words.first, next != "", units.contains(next) {
            unit = next
            words.removeFirst()
        }
        // One name, and nothing after it but the comment.
        guard words.count == 1, let name = words.first, name.first?.isLetter == true else { return nil }
        return Event(
            name: TextCuts.text(name), value: value, unit: unit, scope: scope, interval: interval,
            relativeStandardError: relativeStandardError(line))
    }

    /// A count as perf prints it, its thousands grouped (`1,234,567`), as plain digits.
    private static func count(_ word: String) -> String? {
        let plain = word.replacingOccurrences(of: ",", with: "")
        return NumberParsing.double(plain) != nil ? plain : nil
    }

    /// `( +-  0.52% )` at the end of an event's line: the share, in percent.
    private static func relativeStandardError(_ line: String) -> Double? {
        guard let marker = line.range(of: "+-", options: .backwards) else { return nil }
        let rest = line[marker.upperBound...].prefix { $0 != "%" }
        return NumberParsing.double(rest.trimmingCharacters(in: .whitespaces))
    }
}
