import Records

/// `vllm bench serve --save-result`: one object of serving metrics
/// (`output_throughput`, `mean_ttft_ms`, `p99_tpot_ms`, ...) for one model.
enum VLLMServeFormat {
    static func matches(_ document: JSONValue) -> Bool {
        let keys = document.keySet
        return (keys.contains("request_throughput") || keys.contains("output_throughput"))
            && (keys.contains("mean_ttft_ms") || keys.contains("median_ttft_ms"))
    }

    static func extract(_ document: JSONValue) -> Extraction {
        let model = document["model_id"]?.string ?? document["model"]?.string ?? "unknown model"
        var parameters: [Parameter] = []
        for key in ["backend", "max_concurrency", "request_rate", "num_prompts", "tokenizer_id"] {
            if let text = document[key]?.scalarText { parameters.append(Parameter(key, text)) }
        }
        var measurements: [Measurement] = []
        for (key, unit) in [
            ("request_throughput", "req/s"), ("output_throughput", "tok/s"), ("total_token_throughput", "tok/s"),
        ] {
            if let value = document[key]?.double {
                measurements.append(
                    Measurement(
                        tool: "vllm", name: "\(model) \(key)", parameters: parameters, unit: unit,
                        higherIsBetter: true, mean: value))
            }
        }
        for metric in ["ttft", "tpot", "itl", "e2el"] {
            guard let mean = document["mean_\(metric)_ms"]?.double else { continue }
            measurements.append(
                Measurement(
                    tool: "vllm", name: "\(model) \(metric.uppercased())", parameters: parameters, unit: "ms",
                    mean: mean, median: document["median_\(metric)_ms"]?.double,
                    stddev: document["std_\(metric)_ms"]?.double,
                    count: document["completed"]?.double.flatMap { Int(exactly: $0) }))
        }
        var notes: [String] = []
        if let prompts = document["num_prompts"]?.double, let completed = document["completed"]?.double, completed < prompts {
            notes.append("\(ValueText.render(prompts - completed)) of \(ValueText.render(prompts)) requests did not complete")
        }
        return Extraction(shape: .vllmServe, measurements: measurements, notes: notes)
    }
}
