import Records

/// hyperfine's console output as people keep it (`hyperfine ... | tee
/// bench.txt`, a CI job's log):
///
///     Benchmark 1: sleep 0.01
///       Time (mean ± σ):      11.3 ms ±   0.2 ms    [User: 0.6 ms, System: 0.7 ms]
///       Range (min … max):    11.1 ms …  11.6 ms    5 runs
///
/// A benchmark a command, in seconds as its JSON export has them (the
/// console's unit follows the time, so one command's figures could change
/// unit from one run to the next). `Time (abs ≡)` is a single run's time.
/// The summary's ratios and the warnings are not benchmarks; `-i`'s
/// "Ignoring non-zero exit code" marks the command as failing (at least once).
extension HyperfineFormat {
    /// The commands' figures, or nil when the text holds no `Benchmark N:`
    /// line followed by its time.
    static func extract(console text: ArraySlice<UInt8>) -> Extraction? {
        // Most text (a server's log) holds no hyperfine output, and other
        // output may come first: its first command is found without reading lines.
        guard ByteSearch.contains(text, "Time (") else { return nil }
        var measurements: [Measurement] = []
        var budget = RecordBudget()
        // Each command's figures are the first time line after it, before the
        // next command (its own output may come between, with `--show-output`),
        // read with the few lines after it. Both are searched for, each hit's
        // line read once, so a long log around hyperfine's output is not read
        // line by line, and a `Benchmark` or `Time (` in a command's own
        // output is passed over.
        var commands = MarkedLines(text, marker: "Benchmark ") { command($0) != nil }
        var times = MarkedLines(text, marker: "Time (") { $0.hasPrefix("Time (mean ± σ):") || $0.hasPrefix("Time (abs ≡):") }
        var position = text.startIndex
        while let current = commands.next(from: position), let name = command(current.line) {
            guard budget.admits("command \(measurements.count + 1)") else { break }
            budget.spend(entries: 1)
            budget.spend(numbers: 5)
            budget.spend(text: name)
            var measurement = Measurement(tool: "hyperfine", name: name, unit: "s")
            let limit = commands.next(from: current.end)?.start ?? text.endIndex
            if let time = times.next(from: current.end), time.start < limit {
                var figures = ConsoleLines(text, from: time.start)
                var read = 0
                while read < linesOfFigures, figures.position < limit, let line = figures.next() {
                    read += 1
                    self.read(line, into: &measurement)
                }
            } else if let error = abort(in: text[current.end..<limit]) {
                // hyperfine stopped at the command's failure (without `-i`): a failed run, no time.
                measurement.failure = error
                measurement.failedRuns = 1
            }
            measurements.append(measurement)
            position = current.end
        }
        // A command named and never timed (the output was cut) is left out; one hyperfine stopped at is a failure.
        let timed = measurements.filter { $0.mean != nil || $0.failure != nil }
        guard !timed.isEmpty else { return nil }
        let untimed = measurements.count - timed.count
        var notes = budget.note.map { [$0] } ?? []
        if untimed > 0 { notes.append("\(untimed) command\(untimed == 1 ? "" : "s") without a time (failed, or the output ends before it)") }
        return Extraction(shape: .hyperfine, measurements: StatisticsTable.numberingRepeats(timed, by: \.name), notes: notes)
    }

    /// The lines holding a marker that `accepts` takes (a command's, a
    /// time's), found in order: each hit's line is read once, and one whose
    /// line is not taken is passed with its line, so the text is searched
    /// once however often it is asked.
    private struct MarkedLines {
        struct Hit {
            /// Where its line starts, and where the next one does.
            var start: Int
            var end: Int
            var line: String
        }

        private let text: ArraySlice<UInt8>
        private let marker: String
        private let accepts: (String) -> Bool
        private var found: Hit?
        private var searched: Int

        init(_ text: ArraySlice<UInt8>, marker: String, accepts: @escaping (String) -> Bool) {
            self.text = text
            self.marker = marker
            self.accepts = accepts
            searched = text.startIndex
        }

        /// The first taken line starting at `position` or after it (asked with positions that never go back).
        mutating func next(from position: Int) -> Hit? {
            if let found, found.start >= position { return found }
            var from = max(position, searched)
            while from < text.endIndex, let at = ByteSearch.firstIndex(of: marker, in: text[from...]) {
                var lines = ConsoleLines(text, from: at)
                let start = lines.position
                let line = lines.next() ?? ""
                from = max(lines.position, at + 1)
                searched = from
                guard start >= position, accepts(line) else { continue }
                found = Hit(start: start, end: from, line: line)
                return found
            }
            searched = text.endIndex
            found = nil
            return nil
        }
    }

    /// hyperfine's own `Error: Command terminated with non-zero exit code:
    /// 1. Use the '-i'/'--ignore-failure' option ...` under a command it
    /// stopped at: its first sentence, nil when there is none.
    private static func abort(in text: ArraySlice<UInt8>) -> String? {
        guard let at = ByteSearch.firstIndex(of: "Error: ", in: text) else { return nil }
        var lines = ConsoleLines(text, from: at)
        guard let line = lines.next(), line.hasPrefix("Error: "), line.contains("terminated") || line.contains("exit code") else { return nil }
        let message = line.dropFirst("Error: ".count)
        // The sentence ends at `. ` (an exit code's `: 1.` included), not at a dot inside it.
        let end = message.range(of: ". ")?.lowerBound ?? message.endIndex
        var sentence = String(message[..<end]).trimmingBlanks()
        if sentence.hasSuffix(".") { sentence.removeLast() }
        return TextCuts.text(sentence)
    }

    /// How many lines from its time a command's figures are read: its
    /// range and the warnings after it (`-i`'s, a statistical outlier's, a
    /// too-fast command's) are well within it.
    static let linesOfFigures = 16

    /// One line under a command: its time, its range, or `-i`'s warning.
    private static func read(_ line: String, into measurement: inout Measurement) {
        if line.hasPrefix("Time (mean ± σ):") {
            let figures = times(line.dropFirst("Time (mean ± σ):".count).prefix { $0 != "[" }, separator: "±")
            measurement.mean = figures.first
            measurement.stddev = figures.count > 1 ? figures[1] : nil
        } else if line.hasPrefix("Time (abs ≡):") {
            measurement.mean = times(line.dropFirst("Time (abs ≡):".count).prefix { $0 != "[" }, separator: "±").first
            measurement.count = 1
        } else if line.hasPrefix("Warning: Ignoring non-zero exit code") {
            // `-i`: its times include runs that failed; how many, the console does not say.
            measurement.failure = "command exited non-zero (hyperfine -i; the output does not say in how many runs)"
            measurement.failedRuns = 1
        } else if line.hasPrefix("Range (min … max):") {
            let rest = line.dropFirst("Range (min … max):".count)
            let figures = times(rest, separator: "…")
            measurement.min = figures.first
            measurement.max = figures.count > 1 ? figures[1] : nil
            // `5 runs` after the range.
            let words = rest.split(separator: " ")
            if let runs = words.firstIndex(where: { $0 == "runs" || $0 == "run" }), runs > 0 {
                measurement.count = Int(words[runs - 1])
            }
        }
    }

    /// `Benchmark 1: sleep 0.01` (`Benchmark #1:` before hyperfine 1.12).
    private static func command(_ line: String) -> String? {
        guard line.hasPrefix("Benchmark "), let colon = line.firstIndex(of: ":") else { return nil }
        let number = line[..<colon].dropFirst("Benchmark ".count).drop { $0 == "#" }
        guard !number.isEmpty, number.allSatisfy(\.isNumber) else { return nil }
        let command = String(line[line.index(after: colon)...]).trimmingBlanks()
        return command.isEmpty ? nil : TextCuts.text(command)
    }

    /// `11.3 ms ±   0.2 ms`, `101.0 ms … 102.3 ms`: each time in seconds.
    private static func times(_ text: Substring, separator: Character) -> [Double] {
        text.split(separator: separator).compactMap { part in
            let words = part.split(separator: " ")
            guard words.count >= 2, NumberParsing.double(words[0]) != nil, let exponent = exponents[String(words[1])] else { return nil }
            // Read with its unit as an exponent (`11.3e-3`): the double nearest
            // the time, where 11.3 * 1e-3 (or / 1e3) can miss it by one unit in the last place.
            return NumberParsing.double(words[0] + exponent)
        }
    }

    private static let exponents: [String: String] = ["s": "", "ms": "e-3", "µs": "e-6", "μs": "e-6", "us": "e-6", "ns": "e-9"]
}
