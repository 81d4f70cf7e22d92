import Records

/// Google Benchmark `--benchmark_format=json`: `{"context": {...}, "benchmarks":
/// [{"name", "run_name", "run_type", "aggregate_name", "real_time", "cpu_time", "time_unit"}]}`.
/// With repetitions the tool writes per-iteration rows and mean/median/stddev
/// aggregates; the aggregates are used when present, else the rows are summarised.
enum GoogleBenchmarkFormat {
    /// What every entry has; any other number is a counter.
    static let standardKeys: Set<String> = [
        "name", "family_index", "per_family_instance_index", "run_name", "run_type", "repetitions", "repetition_index",
        "threads", "iterations", "real_time", "cpu_time", "time_unit", "aggregate_name", "aggregate_unit", "error_occurred",
        "error_message", "label", "big_o", "rms", "complexity_n", "skipped", "skip_message",
    ]

    static func matches(_ document: JSONValue) -> Bool {
        guard let first = document["benchmarks"]?.elements?.first else { return false }
        return first["real_time"] != nil && first["time_unit"] != nil
    }

    private static let aggregateKinds = ["mean", "median", "stddev", "cv"]
    /// `Complexity()`'s fit over the benchmark's sizes: a coefficient and
    /// its error, no timing.
    private static let complexityKinds: Set<String> = ["BigO", "RMS"]

    /// What an entry is when the file says nothing (`run_type` is from
    /// Google Benchmark 1.5; the CSV never has it): `BM_x_mean`, `_median`,
    /// `_stddev` and `_cv` are `BM_x`'s aggregates when the file holds its
    /// mean and its stddev, or `BM_x`'s own runs (a log read before the rest
    /// of its aggregates were printed: `BM_x_mean` was a benchmark of its
    /// own), and `BM_x_BigO` and `_RMS` its complexity fit.
    static func inferredRole(_ name: String, names: Set<String>) -> (base: String, kind: String)? {
        for kind in complexityKinds where name.hasSuffix("_" + kind) { return (String(name.dropLast(kind.count + 1)), kind) }
        for kind in aggregateKinds where name.hasSuffix("_" + kind) {
            let base = String(name.dropLast(kind.count + 1))
            if (names.contains(base + "_mean") && names.contains(base + "_stddev")) || names.contains(base) { return (base, kind) }
        }
        return nil
    }

    /// `rates` names counters known to be rates whatever their names (the
    /// console prints them per second; the JSON format does not say).
    static func extract(_ document: JSONValue, rates: Set<String> = []) -> Extraction {
        var order: [String] = []
        var samples: [String: [Double]] = [:]
        var aggregates: [String: [String: Double]] = [:]
        var units: [String: String] = [:]
        // Counters (`items_per_second`, `bytes_per_second`, user counters) the same way, per benchmark.
        var counterOrder: [String: [String]] = [:]
        var counterSamples: [String: [String: [Double]]] = [:]
        var counterAggregates: [String: [String: [String: Double]]] = [:]
        var repetitions: [String: Int] = [:]
        var notes: [String] = []
        // Runs that ended in `state.SkipWithError`: failed runs of their benchmark.
        var errors: [String: (message: String, count: Int)] = [:]
        var budget = RecordBudget()
        // Entries left out, for the file's notes: no name, or no time to read.
        var unnamed = 0
        var untimed = 0
        // Benchmarks whose complexity fit was left out, for the note.
        var fitted: [String] = []
        let entries = document["benchmarks"]?.elements ?? []
        let typed = entries.contains { $0["run_type"] != nil }
        let names = typed ? [] : Set(entries.compactMap { $0["name"]?.string })
        for (index, entry) in entries.enumerated() {
            let inferred = typed ? nil : entry["name"]?.string.flatMap { inferredRole($0, names: names) }
            guard let name = inferred?.base ?? entry["run_name"]?.string ?? entry["name"]?.string, !name.trimmingBlanks().isEmpty else {
                unnamed += 1
                continue
            }
            let aggregateKind =
                inferred?.kind ?? (entry["run_type"]?.string == "aggregate" ? entry["aggregate_name"]?.string : nil)
            if let aggregateKind, complexityKinds.contains(aggregateKind) {
                if !fitted.contains(name) && fitted.count < 100 { fitted.append(name) }
                continue
            }
            guard budget.admits("benchmark \(index + 1)") else { break }
            // `state.SkipWithMessage`: not run here (a missing CPU feature), nothing measured.
            if entry["skipped"]?.bool == true {
                let note = "\(name) skipped: \(entry["skip_message"]?.string ?? "no message")"
                notes.append(note)
                budget.spend(entries: 1)
                budget.spend(text: note)
                continue
            }
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
            // A time that is not a number, or below zero, measured nothing.
            guard let time = entry["real_time"]?.double, time.isFinite, time >= 0 else {
                untimed += 1
                continue
            }
            if samples[name] == nil && aggregates[name] == nil && errors[name] == nil {
                order.append(name)
                budget.spend(entries: 1)
                budget.spend(text: name)
            }
            budget.spend(numbers: 1)
            units[name] = entry["time_unit"]?.string ?? "ns"
            if let count = entry["repetitions"]?.double.flatMap({ Int(exactly: $0) }), count > 0 { repetitions[name] = count }
            if let kind = aggregateKind {
                aggregates[name, default: [:]][kind] = time
            } else {
                samples[name, default: []].append(time)
            }
            for (key, value) in entry.members ?? [] where !standardKeys.contains(key) {
                guard let number = value.double, budget.numbersLeft > 0 else { continue }
                if counterSamples[name]?[key] == nil && counterAggregates[name]?[key] == nil {
                    // Each counter is a benchmark of its own: an entry of the file's.
                    guard budget.admits("counter \(key) of \(name)") else { continue }
                    counterOrder[name, default: []].append(key)
                    budget.spend(entries: 1)
                    budget.spend(text: key)
                }
                budget.spend(numbers: 1)
                if let kind = aggregateKind {
                    counterAggregates[name, default: [:]][key, default: [:]][kind] = number
                } else {
                    counterSamples[name, default: [:]][key, default: []].append(number)
                }
            }
        }
        // With aggregates only (`--benchmark_report_aggregates_only`), n is the repetitions they summarise.
        func summarised(
            _ name: String, _ label: String, unit: String, higherIsBetter: Bool, values: [Double], aggregate: [String: Double]
        )
            -> Measurement
        {
            // The tool's aggregates where it wrote them, else its repetitions' own figures.
            var measurement = Measurement(
                tool: "google-benchmark", name: label, unit: unit, higherIsBetter: higherIsBetter,
                mean: aggregate["mean"], median: aggregate["median"], stddev: aggregate["stddev"],
                count: values.isEmpty ? (aggregate.isEmpty ? nil : repetitions[name]) : values.count, samples: values)
            measurement.fillFromSamples()
            return measurement
        }
        var measurements: [Measurement] = []
        var undirected: [String] = []
        for name in order {
            var time = summarised(
                name, name, unit: units[name] ?? "ns", higherIsBetter: false, values: samples[name] ?? [], aggregate: aggregates[name] ?? [:])
            time.failure = errors[name]?.message
            time.failedRuns = errors[name]?.count ?? 0
            measurements.append(time)
            for counter in counterOrder[name] ?? [] {
                let rate = counter.hasSuffix("_per_second") || rates.contains(counter)
                var figure = summarised(
                    name, "\(name) \(counter)", unit: rate ? "/s" : "", higherIsBetter: rate,
                    values: counterSamples[name]?[counter] ?? [], aggregate: counterAggregates[name]?[counter] ?? [:])
                // A user's counter (a hit ratio, a size) has no direction the
                // file gives: listed, never tested either way.
                if !rate {
                    figure.isRegressionTested = false
                    if !undirected.contains(counter) { undirected.append(counter) }
                }
                measurements.append(figure)
            }
        }
        if let first = undirected.first {
            let more = undirected.count > 1 ? " and \(undirected.count - 1) more" : ""
            notes.append(
                "the counter \(first)\(more) listed, not tested for regressions: the file does not say whether higher is better (a rate is: `_per_second`, or `/s` as the console prints it)"
            )
        }
        if let first = fitted.first {
            let more = fitted.count > 1 ? " and \(fitted.count - 1) more" : ""
            notes.append("the complexity fit (BigO, RMS) of \(first)\(more) left out: a fit over the benchmark's sizes, not a time")
        }
        if unnamed > 0 { notes.append("\(unnamed) benchmark entr\(unnamed == 1 ? "y" : "ies") without a name left out") }
        if untimed > 0 {
            notes.append("\(untimed) benchmark entr\(untimed == 1 ? "y" : "ies") without a readable time (not a number, or below zero) left out")
        }
        if let note = budget.note { notes.append(note) }
        var environment: [Parameter] = []
        for (key, value) in document["context"]?.members ?? []
        where ["host_name", "num_cpus", "mhz_per_cpu", "library_build_type", "executable"].contains(key) {
            if let text = value.scalarText { environment.append(Parameter(key, text)) }
        }
        var extraction = Extraction(shape: .googleBenchmark, environment: environment, measurements: measurements, notes: notes)
        extraction.measuredAt = document["context"]?["date"]?.string.flatMap(TimestampParsing.toolDate)
        return extraction
    }
}
