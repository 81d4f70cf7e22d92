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
        guard ByteSearch.contains(text, "Time ("), var found = ByteSearch.firstIndex(of: "Benchmark ", in: text) else { return nil }
        var measurements: [Measurement] = []
        var budget = RecordBudget()
        // Each command's figures are found from its line (its own output
        // may come between, with `--show-output`) and read with the few
        // lines after them; the next command is searched for, so a long log
        // around hyperfine's output is not read line by line.
        while true {
            var lines = ConsoleLines(text, from: found)
            var resume = found + 1
            if let line = lines.next(), let command = command(line) {
                guard budget.admits("command \(measurements.count + 1)") else { break }
                budget.spend(entries: 1)
                budget.spend(numbers: 5)
                budget.spend(text: command)
                var measurement = Measurement(tool: "hyperfine", name: command, unit: "s")
                let after = text[lines.position...]
                let nextCommand = ByteSearch.firstIndex(of: "Benchmark ", in: after) ?? text.endIndex
                resume = min(lines.position, nextCommand)
                if let time = ByteSearch.firstIndex(of: "Time (", in: after), time < nextCommand {
                    var figures = ConsoleLines(text, from: time)
                    var read = 0
                    while read < linesOfFigures, figures.position < nextCommand, let line = figures.next() {
                        read += 1
                        self.read(line, into: &measurement)
                    }
                    resume = min(figures.position, nextCommand)
                }
                measurements.append(measurement)
            }
            guard resume < text.endIndex, let next = ByteSearch.firstIndex(of: "Benchmark ", in: text[max(resume, found + 1)...]) else { break }
            found = next
        }
        // A command named and never timed (it failed, or the output was cut) is left out.
        let timed = measurements.filter { $0.mean != nil }
        guard !timed.isEmpty else { return nil }
        let untimed = measurements.count - timed.count
        var notes = budget.note.map { [$0] } ?? []
        if untimed > 0 { notes.append("\(untimed) command\(untimed == 1 ? "" : "s") without a time (failed, or the output ends before it)") }
        return Extraction(shape: .hyperfine, measurements: distinguishingRepeatedNames(timed), notes: notes)
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
