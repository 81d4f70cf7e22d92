import Records

/// ray-project llmperf's `token_benchmark_ray.py` results:
/// `<model>_<in>_<out>_summary.json`, one flat object of the run's
/// settings and each metric's statistics, dated by its `timestamp`:
///
///     {"version": "2023-08-31", "model": "meta-llama/Llama-3.1-8B-Instruct", "mean_input_tokens": 512,
///      "mean_output_tokens": 256, "num_concurrent_requests": 4,
///      "results_ttft_s_quantiles_p50": 0.1037, "results_ttft_s_mean": 0.0947, ..., "results_number_errors": 0,
///      "results_num_completed_requests": 12, "timestamp": 1733700123}
///
/// Each metric is a benchmark of tool `llmperf`, named after the model and
/// keyed on the concurrency and the prompt and output lengths asked for:
/// a request's output rate, its time to the first token and its
/// inter-token latency are tested (as vLLM's output rate, TTFT and TPOT
/// are), its end-to-end latency and the run's overall output rate listed.
/// Failed requests are the benchmark's failures, with their error codes.
/// The `_individual_responses.json` beside it holds the same requests one
/// by one (a failed one as zeros, which averaged in as times of 0 s): it is
/// skipped, its figures read from the summary. Before, both were numbers
/// by path, never tested.
enum LLMPerfFormat {
    static func matches(summary document: JSONValue) -> Bool {
        document["model"]?.string != nil && document["version"] != nil
            && (document["results_ttft_s_mean"] != nil || document["results_request_output_throughput_token_per_s_mean"] != nil)
    }

    /// The keys every request of `_individual_responses.json` has.
    private static let requestKeys = ["error_code", "error_msg", "ttft_s", "end_to_end_latency_s", "request_output_throughput_token_per_s"]

    static func isIndividualResponses(_ document: JSONValue) -> Bool {
        guard let requests = document.elements, !requests.isEmpty else { return false }
        return requests.allSatisfy { request in requestKeys.allSatisfy { request[$0] != nil } }
    }

    static let individualResponsesReason =
        "llmperf's individual responses: the requests its `_summary.json` beside it sums up (a failed request is zeros here, no time), read from the summary"

    /// A metric of the summary: its key (`results_<key>_mean`), how reports name it, its unit.
    private struct Metric {
        var key: String
        var name: String
        var unit: String
        var higherIsBetter = false
        var tested = false
    }

    private static let metrics: [Metric] = [
        Metric(
            key: "request_output_throughput_token_per_s", name: "output_throughput per request", unit: "tok/s", higherIsBetter: true, tested: true),
        Metric(key: "ttft_s", name: "TTFT", unit: "s", tested: true),
        Metric(key: "inter_token_latency_s", name: "ITL", unit: "s", tested: true),
        Metric(key: "end_to_end_latency_s", name: "E2E latency", unit: "s"),
    ]

    static func extract(summary document: JSONValue) -> Extraction {
        let named = document["model"]?.string.flatMap { $0.trimmingBlanks().isEmpty ? nil : $0 }
        let model = named ?? "unknown model"
        var parameters: [Parameter] = []
        for (key, name) in [
            ("num_concurrent_requests", "concurrency"), ("mean_input_tokens", "input_tokens"), ("mean_output_tokens", "output_tokens"),
        ] {
            if let value = document[key]?.scalarText { parameters.append(Parameter(name, TextCuts.text(value))) }
        }
        // `--additional-sampling-params '{"temperature": 0}'`, flattened by the tool.
        for (key, value) in document.members ?? [] where key.hasPrefix("additional_sampling_params_") {
            if let text = value.scalarText {
                parameters.append(Parameter(String(key.dropFirst("additional_sampling_params_".count)), TextCuts.text(text)))
            }
        }
        // No count, time or rate is below zero: such a figure is left out, and said.
        var negative: [String] = []
        func figure(_ key: String) -> Double? {
            guard let value = document[key]?.double, value.isFinite else { return nil }
            guard value >= 0 else {
                negative.append(key)
                return nil
            }
            return value
        }
        let completed = figure("results_num_completed_requests").flatMap { Int(exactly: $0.rounded()) }
        let errors = figure("results_number_errors").flatMap { Int(exactly: $0.rounded()) } ?? 0
        var notes: [String] = []
        var measurements: [Measurement] = []
        for metric in metrics {
            let prefix = "results_\(metric.key)_"
            let mean = figure(prefix + "mean")
            let median = figure(prefix + "quantiles_p50")
            guard mean != nil || median != nil else { continue }
            measurements.append(
                Measurement(
                    tool: "llmperf", name: "\(model) \(metric.name)", parameters: parameters, unit: metric.unit,
                    higherIsBetter: metric.higherIsBetter, mean: mean, median: median, stddev: figure(prefix + "stddev"), min: figure(prefix + "min"),
                    max: figure(prefix + "max"), count: completed, isRegressionTested: metric.tested))
            if let p99 = figure(prefix + "quantiles_p99") {
                measurements.append(
                    Measurement(
                        tool: "llmperf", name: "\(model) \(metric.name) p99", parameters: parameters, unit: metric.unit,
                        higherIsBetter: metric.higherIsBetter, mean: p99, count: completed, isRegressionTested: false))
            }
        }
        if let overall = figure("results_mean_output_throughput_token_per_s") {
            measurements.append(
                Measurement(
                    tool: "llmperf", name: "\(model) output_throughput", parameters: parameters, unit: "tok/s", higherIsBetter: true,
                    mean: overall, count: completed, isRegressionTested: false))
        }
        // No request completed: its figures are no measurements, the failure is all there is.
        if completed == 0 {
            measurements = []
            notes.append("no request completed: its figures are not measurements")
        }
        if errors > 0 || completed == 0 {
            // `results_error_code_frequency` is the text of a Python dict: `{429: 3}`.
            let codes = document["results_error_code_frequency"]?.string.map { " (error codes \($0))" } ?? ""
            let failure = errors > 0 ? "\(errors) request(s) failed\(codes)" : "no request completed"
            if measurements.isEmpty {
                measurements.append(
                    Measurement(
                        tool: "llmperf", name: "\(model) requests", parameters: parameters, unit: "requests", failure: failure,
                        failedRuns: max(errors, 1)))
            } else {
                measurements[0].failure = failure
                measurements[0].failedRuns = errors
            }
        }
        let measuredAt = figure("timestamp").flatMap(TimestampParsing.epochNumber)
        if let first = negative.first { notes.append("\(negative.count) figure(s) below zero left out (the first: \(first))") }
        for index in measurements.indices { measurements[index].measuredAt = measuredAt }
        var extraction = Extraction(shape: .llmperfSummary, modelHint: named, measurements: measurements, notes: notes)
        extraction.measuredAt = measuredAt
        return extraction
    }
}
