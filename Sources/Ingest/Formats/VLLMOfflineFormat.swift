import Records

/// vLLM's offline benchmarks' `--output-json`:
///
/// - `vllm bench latency` (`benchmark_latency.py`): `{"avg_latency": 1.92,
///   "latencies": [...], "percentiles": {"10": ..., "99": ...}}`, seconds a batch;
/// - `vllm bench throughput` (`benchmark_throughput.py`): `{"elapsed_time",
///   "num_requests", "total_num_tokens", "requests_per_second",
///   "tokens_per_second"}`.
///
/// Neither names its model or settings, so a result is named after its
/// file's path (`Extraction.nameAfterPath`). Read as numbers, their nights
/// were series of one value each, and a night 20% slower opened nothing.
enum VLLMOfflineFormat {
    static let tool = "vllm"

    static func matches(_ document: JSONValue) -> Bool {
        isLatency(document) || isThroughput(document)
    }

    private static func isLatency(_ document: JSONValue) -> Bool {
        document["avg_latency"]?.double != nil && document["latencies"]?.elements != nil
    }

    private static func isThroughput(_ document: JSONValue) -> Bool {
        ["elapsed_time", "num_requests", "requests_per_second", "tokens_per_second"].allSatisfy { document[$0]?.double != nil }
    }

    static func extract(_ document: JSONValue) -> Extraction {
        var notes: [String] = []
        var measurements: [Measurement] = []
        if isLatency(document) {
            // A batch's latency: each of the iterations a sample, lower is better.
            let read = document["latencies"]?.elements?.compactMap(\.double) ?? []
            let latencies = Array(read.filter { $0.isFinite && $0 > 0 }.prefix(IngestLimits.maximumNumbers))
            if latencies.count < read.count {
                notes.append("\(read.count - latencies.count) latenc\(read.count - latencies.count == 1 ? "y" : "ies") not above zero left out")
            }
            let average = document["avg_latency"]?.double.flatMap { $0 > 0 ? $0 : nil }
            var latency = Measurement(
                tool: tool, name: "latency", unit: "s", mean: latencies.count < read.count ? nil : average,
                count: latencies.isEmpty ? nil : latencies.count, samples: latencies)
            latency.fillFromSamples()
            if latency.mean != nil { measurements.append(latency) }
        }
        if isThroughput(document) {
            // The token rate is tested; the request rate and the output rate move with it.
            for (key, unit, tested) in [
                ("tokens_per_second", "tok/s", true), ("output_tokens_per_second", "tok/s", false), ("requests_per_second", "req/s", false),
            ] {
                guard let value = document[key]?.double else { continue }
                guard value.isFinite, value > 0 else {
                    notes.append("\(key) is \(ValueText.render(value)), no rate: left out")
                    continue
                }
                let requests = document["num_requests"]?.scalarText.map { [Parameter("num_requests", TextCuts.text($0))] } ?? []
                measurements.append(
                    Measurement(
                        tool: tool, name: key, parameters: requests, unit: unit, higherIsBetter: true,
                        mean: value, isRegressionTested: tested))
            }
        }
        return Extraction(shape: .vllmOffline, measurements: measurements, notes: notes)
    }
}
