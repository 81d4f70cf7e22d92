import Records

/// An Ollama run script's summary (`{"models": [{"model", "completed", "options",
/// "mean_tokens_s", ...}]}`): aggregates, and the names of the models its
/// sibling run CSV measured.
enum RunSummaryFormat {
    static func matches(_ document: JSONValue) -> Bool {
        guard let models = document["models"]?.elements, let first = models.first else { return false }
        return first["model"]?.string != nil
            && (first["completed"] != nil || first["mean_tokens_s"] != nil || first["prompt_count"] != nil)
    }

    static func extract(_ document: JSONValue) -> Extraction {
        var rows: [AggregateRow] = []
        var names: [String] = []
        var budget = RecordBudget()
        for (index, entry) in (document["models"]?.elements ?? []).enumerated() {
            guard let model = entry["model"]?.string else { continue }
            guard budget.admits("model \(index + 1)") else { break }
            names.append(model)
            var configuration: [Parameter] = []
            for (key, value) in entry["options"]?.members ?? [] {
                if let text = value.scalarText { configuration.append(Parameter(key, text)) }
            }
            var metrics: [String: Double] = [:]
            for (key, value) in entry.members ?? [] where key != "model" {
                if case .number(let number) = value { metrics[key] = number }
            }
            rows.append(AggregateRow(model: model, configuration: configuration, metrics: metrics))
            budget.spend(entries: 1)
            budget.spend(numbers: metrics.count)
            budget.spend(text: model)
            budget.spend(configuration)
        }
        var environment: [Parameter] = []
        if let host = document["ollama_host"]?.string { environment.append(Parameter("ollama_host", host)) }
        // A harness that adds its machine to the summary (`hostname`, `gpu`).
        environment += MachineDescription.environment(of: document)
        return Extraction(
            shape: .runSummaryJSON, modelHint: names.count == 1 ? names[0] : nil, environment: environment,
            aggregates: rows, notes: budget.note.map { [$0] } ?? [])
    }
}
