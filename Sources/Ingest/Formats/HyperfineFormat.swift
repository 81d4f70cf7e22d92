import Records

/// `hyperfine --export-json`: `{"results": [{"command", "mean", "stddev", "median",
/// "min", "max", "times": [...], "exit_codes": [...], "parameters": {...}}]}`, seconds.
enum HyperfineFormat {
    static func matches(_ document: JSONValue) -> Bool {
        guard let first = document["results"]?.elements?.first else { return false }
        return first["command"] != nil && first["mean"] != nil
    }

    static func extract(_ document: JSONValue) -> Extraction {
        var measurements: [Measurement] = []
        var notes: [String] = []
        var budget = RecordBudget()
        for (index, entry) in (document["results"]?.elements ?? []).enumerated() {
            guard let command = entry["command"]?.string else { continue }
            guard budget.admits("result \(index + 1)") else { break }
            var parameters: [Parameter] = []
            for (key, value) in entry["parameters"]?.members ?? [] {
                if let text = value.scalarText { parameters.append(Parameter(key, text)) }
            }
            let times = (entry["times"]?.elements?.lazy.compactMap(\.double)).map { Array($0.prefix(budget.numbersLeft)) } ?? []
            // `hyperfine -i` times a command that fails: its runs are failed
            // runs, whatever their times (which hyperfine keeps in its figures).
            // A run killed by a signal (the OOM killer, `timeout -s KILL`) has
            // no exit code: hyperfine writes it as null, and it was counted good.
            let codes = entry["exit_codes"]?.elements ?? []
            let failedCodes = codes.compactMap(\.double).filter { $0 != 0 }
            let killed = codes.filter { $0 == .null }.count
            let exited = failedCodes.isEmpty ? nil : "exited non-zero (exit code \(ValueText.render(mostFrequent(failedCodes))))"
            let signalled = killed > 0 ? "was killed by a signal (no exit code)" : nil
            let failure = [exited, signalled].compactMap { $0 }.joined(separator: " or ")
            let failureText = failure.isEmpty ? nil : "command " + failure
            var measurement = Measurement(
                tool: "hyperfine", name: command, parameters: parameters, unit: "s",
                mean: entry["mean"]?.double, median: entry["median"]?.double, stddev: entry["stddev"]?.double,
                min: entry["min"]?.double, max: entry["max"]?.double, count: times.isEmpty ? nil : times.count,
                samples: times, failure: failureText, failedRuns: failedCodes.count + killed)
            // hyperfine before 1.10 wrote no median: its times have it.
            measurement.fillFromSamples()
            measurements.append(measurement)
            budget.spend(entries: 1)
            budget.spend(numbers: times.count + 5)
            budget.spend(text: command)
            budget.spend(parameters)
        }
        if let note = budget.note { notes.append(note) }
        return Extraction(shape: .hyperfine, measurements: measurements, notes: notes)
    }

    /// The most frequent value, the smallest among equals.
    private static func mostFrequent(_ values: [Double]) -> Double {
        var counts: [Double: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 0
    }
}
