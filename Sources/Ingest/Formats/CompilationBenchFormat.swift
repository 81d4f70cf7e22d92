import Records

/// PyTorch compilation benches: `{"model": {...}, "backends": {"eager": {"compilation":
/// {...}|null, "benchmark": {"mean_time_ms", ...}}, "jit": ..., "onnx": ...}}`.
enum CompilationBenchFormat {
    static func matches(_ document: JSONValue) -> Bool {
        guard let backends = document["backends"]?.members, let first = backends.first?.1 else { return false }
        return first["benchmark"] != nil || first["compilation"] != nil
    }

    static func extract(_ document: JSONValue, fileStem: String) -> Extraction {
        let modelInfo = document["model"]
        let model = modelInfo?["name"]?.string ?? document["model"]?.string ?? fileStem
        var parameters: [Parameter] = []
        for (key, value) in modelInfo?.members ?? [] where key != "name" {
            if let text = value.scalarText { parameters.append(Parameter(key, text)) }
        }
        if let runs = document["settings"]?["runs"]?.scalarText { parameters.append(Parameter("runs", runs)) }
        var results: [CompilationResult] = []
        var budget = RecordBudget()
        // Times of zero or below (a timer that did not run): no measurement, never the fastest.
        var impossible: [String] = []
        for (index, (name, entry)) in (document["backends"]?.members ?? []).enumerated() {
            guard budget.admits("backend \(index + 1)") else { break }
            budget.spend(entries: 1)
            budget.spend(numbers: 6)
            budget.spend(text: name)
            // `"compilation": null` means no compilation step (eager).
            let compilation = entry["compilation"].flatMap { $0.isNull ? nil : $0 }
            let benchmark = entry["benchmark"].flatMap { $0.isNull ? nil : $0 }
            // No compilation step (eager) counts as success.
            let succeeded = compilation?["success"]?.bool ?? true
            // Whole, not cut at 4 KiB first: a traceback's cause is at its end.
            let error = (compilation?["error"]?.wholeString ?? benchmark?["metadata"]?["error"]?.wholeString).map {
                TextCuts.text(ErrorText.cause($0))
            }
            func measured(_ key: String) -> Double? {
                guard succeeded, let value = benchmark?[key]?.double else { return nil }
                return value
            }
            func time(_ key: String) -> Double? {
                guard let value = measured(key) else { return nil }
                guard value > 0 else {
                    impossible.append("\(TextCuts.text(name)) \(key) \(ValueText.render(value))")
                    return nil
                }
                return value
            }
            results.append(
                CompilationResult(
                    model: model, backend: name, succeeded: succeeded && error == nil,
                    error: error,
                    compileSeconds: compilation?["compile_time_s"]?.double,
                    meanMilliseconds: time("mean_time_ms"), stddevMilliseconds: measured("std_time_ms"),
                    minMilliseconds: time("min_time_ms"), maxMilliseconds: time("max_time_ms"),
                    parameters: parameters))
        }
        var notes = budget.note.map { [$0] } ?? []
        if !impossible.isEmpty {
            let listed = impossible.prefix(3).joined(separator: ", ") + (impossible.count > 3 ? ", ..." : "")
            notes.append("\(impossible.count) time\(impossible.count == 1 ? "" : "s") of zero or below left out: no measurement (\(listed))")
        }
        return Extraction(shape: .compilationBench, compilation: results, notes: notes)
    }
}
