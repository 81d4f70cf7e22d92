import Records

/// `pytest --benchmark-json`: `{"machine_info", "commit_info", "benchmarks": [{"name",
/// "group", "params", "stats": {"mean", "median", "stddev", "min", "max", "rounds"}}]}`, seconds.
enum PytestBenchmarkFormat {
    static func matches(_ document: JSONValue) -> Bool {
        guard let benchmarks = document["benchmarks"]?.elements else { return false }
        guard let first = benchmarks.first else {
            // A save of no benchmarks is known by what surrounds them.
            return document["machine_info"] != nil && document["datetime"] != nil
        }
        return first["stats"]?["mean"] != nil
    }

    static func extract(_ document: JSONValue) -> Extraction {
        var measurements: [Measurement] = []
        var budget = RecordBudget()
        for (index, entry) in (document["benchmarks"]?.elements ?? []).enumerated() {
            guard let name = entry["fullname"]?.string ?? entry["name"]?.string, let stats = entry["stats"] else {
                continue
            }
            guard budget.admits("benchmark \(index + 1)") else { break }
            var parameters: [Parameter] = []
            if let group = entry["group"]?.string { parameters.append(Parameter("group", group)) }
            for (key, value) in entry["params"]?.members ?? [] {
                parameters.append(Parameter(key, value.scalarText ?? JSONWriter.compact(value)))
            }
            let samples = (stats["data"]?.elements?.lazy.compactMap(\.double)).map { Array($0.prefix(budget.numbersLeft)) } ?? []
            budget.spend(entries: 1)
            budget.spend(numbers: samples.count + 6)
            budget.spend(text: name)
            budget.spend(parameters)
            measurements.append(
                Measurement(
                    tool: "pytest-benchmark", name: name, parameters: parameters, unit: "s",
                    mean: stats["mean"]?.double, median: stats["median"]?.double, stddev: stats["stddev"]?.double,
                    min: stats["min"]?.double, max: stats["max"]?.double,
                    count: stats["rounds"]?.double.flatMap { Int(exactly: $0) },
                    samples: samples))
        }
        var environment: [Parameter] = []
        let machine = document["machine_info"]
        if let cpu = machine?["cpu"]?["brand_raw"]?.string { environment.append(Parameter("cpu", cpu)) }
        if let python = machine?["python_version"]?.string { environment.append(Parameter("python", python)) }
        if let commit = document["commit_info"]?["id"]?.string { environment.append(Parameter("commit", commit)) }
        var notes = budget.note.map { [$0] } ?? []
        // A run whose tests were all skipped or deselected still saves its file.
        let listed = document["benchmarks"]?.elements?.count ?? 0
        if listed == 0 {
            notes.append("no benchmarks: the run saved none (its tests skipped, deselected or run with --benchmark-disable?)")
        } else if measurements.isEmpty {
            notes.append("\(listed) benchmark\(listed == 1 ? "" : "s") without a name or statistics: none read")
        }
        var extraction = Extraction(
            shape: .pytestBenchmark, environment: environment, measurements: measurements, notes: notes)
        extraction.measuredAt = document["datetime"]?.string.flatMap(TimestampParsing.toolDate)
        return extraction
    }
}
