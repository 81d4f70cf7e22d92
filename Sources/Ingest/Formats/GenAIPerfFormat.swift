import Records

/// NVIDIA genai-perf's `profile_export_genai_perf.json` (`genai-perf
/// profile -m MODEL --concurrency 16 ...`): one object a metric
/// (`time_to_first_token: {"unit": "ms", "avg": ..., "p50": ..., "p99":
/// ..., "std": ...}`, the rates with `avg` alone), and the run's
/// `input_config`, which says what was measured.
///
///     {"output_token_throughput": {"unit": "tokens/sec", "avg": 1201.4},
///      "time_to_first_token": {"unit": "ms", "avg": 52.7, "p50": 47.9, "min": 23.8, "max": 131.5, "std": 19.8, ...},
///      "request_count": {"unit": "count", "avg": 240.0},
///      "input_config": {"model_names": ["meta-llama/Llama-3.1-8B-Instruct"],
///                       "endpoint": {"type": "chat", "streaming": true},
///                       "perf_analyzer": {"stimulus": {"concurrency": 16}}, ...}}
///
/// Each metric is a benchmark of tool `genai-perf`, named after the model
/// and keyed on the load (`concurrency` or `request_rate`), the endpoint
/// type, streaming, and the synthetic prompt and output lengths, however
/// the release lays them out (`input_config.concurrency`, `model: [...]` in
/// releases up to about 0.0.12). The output token rate, the time to the
/// first token and the inter-token latency are tested, as vLLM's output
/// rate, TTFT and TPOT are (a run without tokens to time, embeddings or
/// rankings, its request latency); the rest move with them and are
/// listed. A multi-turn run is keyed on its `session_concurrency` or
/// `fixed_schedule`, and Triton's endpoint is `kserve` in either layout. The
/// file holds no date: its modification time dates the session. Before, it
/// was numbers by path, never a benchmark.
enum GenAIPerfFormat {
    /// Whether `text` is genai-perf's CSV export of a run
    /// (`profile_export_genai_perf.csv`): `Metric,avg,min,max,p99,...`,
    /// its rows genai-perf's metrics by their titles.
    static func isCSVExport(_ text: ArraySlice<UInt8>) -> Bool {
        text.starts(with: Array("Metric,avg,min,max,p99,".utf8))
            && ["Time To First Token (ms)", "Request Latency (ms)", "Output Token Throughput (tokens/sec)"].contains {
                ByteSearch.contains(text, $0)
            }
    }

    /// Why the CSV export is skipped: it holds the run the JSON beside it
    /// does (which genai-perf always writes), without its model and
    /// settings, so its figures would be benchmarks of no model, and they
    /// were numbers a second time.
    static let csvExportReason =
        "genai-perf's CSV export: the run it holds is read from the profile_export_genai_perf.json genai-perf writes with it, which names the model and settings"

    /// genai-perf's raw export (`profile_export.json`, perf_analyzer's): each
    /// request's timestamps and payloads, from which genai-perf computes the
    /// figures of `profile_export_genai_perf.json`. By path they were numbers
    /// such as the mean of nanosecond clock readings (campaign s38h #7).
    static func isRawExport(_ document: JSONValue) -> Bool {
        guard let experiments = document["experiments"]?.elements, let first = experiments.first else { return false }
        return first["requests"]?.elements != nil && (first["experiment"] != nil || document["service_kind"] != nil)
    }

    static let rawExportReason =
        "genai-perf's raw export of each request's timestamps and payloads: the run's figures are read from the profile_export_genai_perf.json genai-perf computes from it"

    static func matches(_ document: JSONValue) -> Bool {
        guard document["input_config"]?.members != nil else { return false }
        return ["time_to_first_token", "request_latency", "output_token_throughput"].contains { document[$0]?["avg"]?.double != nil }
    }

    /// A metric of the file: its key, how reports name it, its unit, whether higher is better and whether it is tested.
    private struct Metric {
        var key: String
        var name: String
        var higherIsBetter = false
        var tested = false
        /// Its 99th percentile listed as a benchmark of its own (the tail a serving benchmark is run for).
        var tail = false
    }

    private static let metrics: [Metric] = [
        Metric(key: "output_token_throughput", name: "output_token_throughput", higherIsBetter: true, tested: true),
        Metric(key: "request_throughput", name: "request_throughput", higherIsBetter: true),
        Metric(key: "request_goodput", name: "request_goodput", higherIsBetter: true),
        Metric(key: "output_token_throughput_per_user", name: "output_token_throughput_per_user", higherIsBetter: true),
        // Its name before genai-perf 0.0.13.
        Metric(key: "output_token_throughput_per_request", name: "output_token_throughput_per_user", higherIsBetter: true),
        Metric(key: "time_to_first_token", name: "TTFT", tested: true, tail: true),
        Metric(key: "time_to_second_token", name: "time to second token"),
        Metric(key: "inter_token_latency", name: "ITL", tested: true, tail: true),
        Metric(key: "request_latency", name: "request latency", tail: true),
        Metric(key: "output_sequence_length", name: "output_sequence_length"),
        Metric(key: "input_sequence_length", name: "input_sequence_length"),
    ]

    /// The units genai-perf writes, as other tools' results name them.
    private static func unit(_ written: String?) -> String {
        switch written {
        case "tokens/sec": "tok/s"
        case "requests/sec": "req/s"
        case "tokens/sec/user": "tok/s/user"
        case let other?: other
        case nil: ""
        }
    }

    static func extract(_ document: JSONValue) -> Extraction {
        let config = document["input_config"] ?? .null
        var notes: [String] = []
        let models =
            (config["model_names"] ?? config["model"]).map { value in
                value.elements?.compactMap(\.string) ?? value.string.map { [$0] } ?? []
            } ?? []
        let named = models.first.flatMap { $0.trimmingBlanks().isEmpty ? nil : $0 }
        if models.count > 1 { notes.append("\(models.count) models profiled together (\(models.joined(separator: ", "))): named by the first") }
        let model = named ?? "unknown model"
        let parameters = settings(config)
        let requests = document["request_count"]?["avg"]?.double.flatMap { $0 >= 0 ? Int(exactly: $0.rounded()) : nil }
        // Embeddings, rankings and other runs without tokens to time: their request latency is tested.
        let untimed = document["time_to_first_token"] == nil && document["output_token_throughput"] == nil
        var measurements: [Measurement] = []
        var seen: Set<String> = []
        for metric in metrics where !seen.contains(metric.name) {
            guard let figures = document[metric.key], let average = figures["avg"]?.double, average.isFinite else { continue }
            // No count, time or rate is below zero: such a figure is left out, and said.
            guard average >= 0 else {
                notes.append("\(metric.key) below zero (\(average)) left out")
                continue
            }
            seen.insert(metric.name)
            func finite(_ key: String) -> Double? {
                guard let value = figures[key]?.double, value.isFinite else { return nil }
                guard value >= 0 else {
                    notes.append("\(metric.key) \(key) below zero (\(value)) left out")
                    return nil
                }
                return value
            }
            let unit = unit(figures["unit"]?.string)
            measurements.append(
                Measurement(
                    tool: "genai-perf", name: "\(model) \(metric.name)", parameters: parameters, unit: unit,
                    higherIsBetter: metric.higherIsBetter, mean: average, median: finite("p50"), stddev: finite("std"), min: finite("min"),
                    max: finite("max"), count: requests, isRegressionTested: metric.tested || (untimed && metric.key == "request_latency")))
            if metric.tail, let p99 = finite("p99") {
                measurements.append(
                    Measurement(
                        tool: "genai-perf", name: "\(model) \(metric.name) p99", parameters: parameters, unit: unit, mean: p99, count: requests,
                        isRegressionTested: false))
            }
        }
        if document["telemetry_stats"] != nil { notes.append("GPU telemetry (telemetry_stats) is not read") }
        if document["sessions"] != nil { notes.append("per-session figures of a multi-turn run (sessions) are not read: the run's are") }
        return Extraction(shape: .genaiPerf, modelHint: named, measurements: measurements, notes: notes)
    }

    /// What the run measured under, from either layout of `input_config`:
    /// the load, the endpoint, streaming, and the synthetic lengths asked
    /// for (unset: `null`, `""`, or -1 for the output length).
    static func settings(_ config: JSONValue) -> [Parameter] {
        func first(_ paths: [[String]]) -> String? {
            for path in paths {
                var value: JSONValue? = config
                for key in path { value = value?[key] }
                guard let value, let text = value.scalarText, !text.isEmpty else { continue }
                if let number = value.double, number < 0 { continue }
                return TextCuts.text(text)
            }
            return nil
        }
        // Triton's endpoint has no type in the earlier layout (`endpoint_type: null`), `kserve` in the later.
        let triton = first([["endpoint", "service_kind"], ["service_kind"]]) == "triton"
        let found: [(String, String?)] = [
            ("concurrency", first([["perf_analyzer", "stimulus", "concurrency"], ["concurrency"]])),
            ("request_rate", first([["perf_analyzer", "stimulus", "request_rate"], ["request_rate"]])),
            // Multi-turn runs' load: sessions at once, or the trace's own schedule.
            ("session_concurrency", first([["perf_analyzer", "stimulus", "session_concurrency"], ["session_concurrency"]])),
            ("fixed_schedule", first([["perf_analyzer", "stimulus", "fixed_schedule"], ["fixed_schedule"]]).flatMap { $0 == "false" ? nil : $0 }),
            ("endpoint_type", first([["endpoint", "type"], ["endpoint_type"]]) ?? (triton ? "kserve" : nil)),
            ("streaming", first([["endpoint", "streaming"], ["streaming"]])),
            ("input_tokens", first([["input", "synthetic_tokens", "mean"], ["synthetic_input_tokens_mean"]])),
            ("output_tokens", first([["input", "output_tokens", "mean"], ["output_tokens_mean"]])),
        ]
        return found.compactMap { name, value in value.map { Parameter(name, $0) } }
    }
}
