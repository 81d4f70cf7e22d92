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
        guard ByteSearch.contains(text, "Time ("), let found = ByteSearch.firstIndex(of: "Benchmark ", in: text) else { return nil }
        var measurements: [Measurement] = []
        var budget = RecordBudget()
        for line in ConsoleLines(text, from: found) {
            if let command = command(line) {
                guard budget.admits("command \(measurements.count + 1)") else { break }
                budget.spend(entries: 1)
                budget.spend(numbers: 5)
                budget.spend(text: command)
                measurements.append(Measurement(tool: "hyperfine", name: command, unit: "s"))
                continue
            }
            guard !measurements.isEmpty else { continue }
            let index = measurements.count - 1
            if line.hasPrefix("Time (mean ± σ):") {
                let figures = times(line.dropFirst("Time (mean ± σ):".count).prefix { $0 != "[" }, separator: "±")
                measurements[index].mean = figures.first
                measurements[index].stddev = figures.count > 1 ? figures[1] : nil
            } else if line.hasPrefix("Time (abs ≡):") {
                measurements[index].mean = times(line.dropFirst("Time (abs ≡):".count).prefix { $0 != "[" }, separator: "±").first
                measurements[index].count = 1
            } else if line.hasPrefix("Warning: Ignoring non-zero exit code") {
                // `-i`: its times include runs that failed; how many, the console does not say.
                measurements[index].failure = "command exited non-zero (hyperfine -i; the output does not say in how many runs)"
                measurements[index].failedRuns = 1
            } else if line.hasPrefix("Range (min … max):") {
                let rest = line.dropFirst("Range (min … max):".count)
                let figures = times(rest, separator: "…")
                measurements[index].min = figures.first
                measurements[index].max = figures.count > 1 ? figures[1] : nil
                // `5 runs` after the range.
                let words = rest.split(separator: " ")
                if let runs = words.firstIndex(where: { $0 == "runs" || $0 == "run" }), runs > 0 {
                    measurements[index].count = Int(words[runs - 1])
                }
            }
        }
        // A command named and never timed (it failed, or the output was cut) is left out.
        let timed = measurements.filter { $0.mean != nil }
        guard !timed.isEmpty else { return nil }
        let untimed = measurements.count - timed.count
        var notes = budget.note.map { [$0] } ?? []
        if untimed > 0 { notes.append("\(untimed) command\(untimed == 1 ? "" : "s") without a time (failed, or the output ends before it)") }
        return Extraction(shape: .hyperfine, measurements: distinguishingRepeatedNames(timed), notes: notes)
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
