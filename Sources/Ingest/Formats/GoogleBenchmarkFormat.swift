import Records

/// Google Benchmark `--benchmark_format=json`: `{"context": {...}, "benchmarks":
/// [{"name", "run_name", "run_type", "aggregate_name", "real_time", "cpu_time", "time_unit"}]}`.
/// With repetitions the tool writes per-iteration rows and mean/median/stddev
/// aggregates; the aggregates are used when present, else the rows are summarised.
enum GoogleBenchmarkFormat {
    static func matches(_ document: JSONValue) -> Bool {
        guard let first = document["benchmarks"]?.elements?.first else { return false }
        return first["real_time"] != nil && first["time_unit"] != nil
    }

    static func extract(_ document: JSONValue) -> Extraction {
        var order: [String] = []
        var samples: [String: [Double]] = [:]
        var aggregates: [String: [String: Double]] = [:]
        var units: [String: String] = [:]
        var notes: [String] = []
        // Runs that ended in `state.SkipWithError`: failed runs of their benchmark.
        var errors: [String: (message: String, count: Int)] = [:]
        var budget = RecordBudget()
        for (index, entry) in (document["benchmarks"]?.elements ?? []).enumerated() {
            guard let name = entry["run_name"]?.string ?? entry["name"]?.string else { continue }
            guard budget.admits("benchmark \(index + 1)") else { break }
            if entry["error_occurred"]?.bool == true {
                let message = entry["error_message"]?.wholeString.map { TextCuts.text(ErrorText.cause($0)) } ?? "error occurred"
                if samples[name] == nil && aggregates[name] == nil && errors[name] == nil {
                    order.append(name)
                    budget.spend(entries: 1)
                    budget.spend(text: name)
                }
                if errors[name] == nil { budget.spend(text: message) }
                errors[name] = (errors[name]?.message ?? message, (errors[name]?.count ?? 0) + 1)
                units[name] = units[name] ?? entry["time_unit"]?.string ?? "ns"
                continue
            }
            guard let time = entry["real_time"]?.double else { continue }
            if samples[name] == nil && aggregates[name] == nil && errors[name] == nil {
                order.append(name)
                budget.spend(entries: 1)
                budget.spend(text: name)
            }
            budget.spend(numbers: 1)
            units[name] = entry["time_unit"]?.string ?? "ns"
            if entry["run_type"]?.string == "aggregate", let kind = entry["aggregate_name"]?.string {
                aggregates[name, default: [:]][kind] = time
            } else {
                samples[name, default: []].append(time)
            }
        }
        let measurements = order.map { name -> Measurement in
            let values = samples[name] ?? []
            let aggregate = aggregates[name] ?? [:]
            let sorted = values.sorted()
            return Measurement(
                tool: "google-benchmark", name: name, unit: units[name] ?? "ns",
                mean: aggregate["mean"] ?? (values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)),
                median: aggregate["median"] ?? (values.count == 1 ? values[0] : nil),
                stddev: aggregate["stddev"], min: sorted.first, max: sorted.last,
                count: values.isEmpty ? nil : values.count, samples: values, failure: errors[name]?.message,
                failedRuns: errors[name]?.count ?? 0)
        }
        if let note = budget.note { notes.append(note) }
        var environment: [Parameter] = []
        for (key, value) in document["context"]?.members ?? []
        where ["host_name", "num_cpus", "mhz_per_cpu", "library_build_type", "executable"].contains(key) {
            if let text = value.scalarText { environment.append(Parameter(key, text)) }
        }
        return Extraction(shape: .googleBenchmark, environment: environment, measurements: measurements, notes: notes)
    }
}
