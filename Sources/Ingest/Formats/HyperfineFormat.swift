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
            let failedExits = entry["exit_codes"]?.elements?.filter { ($0.double ?? 0) != 0 }.count ?? 0
            if failedExits > 0 { notes.append("\(command): \(failedExits) run(s) exited non-zero") }
            measurements.append(
                Measurement(
                    tool: "hyperfine", name: command, parameters: parameters, unit: "s",
                    mean: entry["mean"]?.double, median: entry["median"]?.double, stddev: entry["stddev"]?.double,
                    min: entry["min"]?.double, max: entry["max"]?.double, count: times.isEmpty ? nil : times.count,
                    samples: times))
            budget.spend(entries: 1)
            budget.spend(numbers: times.count + 5)
            budget.spend(text: command)
            budget.spend(parameters)
        }
        if let note = budget.note { notes.append(note) }
        return Extraction(shape: .hyperfine, measurements: measurements, notes: notes)
    }
}
