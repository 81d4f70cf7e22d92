import Records

/// `vllm bench serve --save-result`: one object of serving metrics
/// (`output_throughput`, `mean_ttft_ms`, `p99_tpot_ms`, ...) for one model.
/// Each latency is a benchmark (mean, median, sd), and so is each of its
/// percentiles (`TTFT p99`), listed; `testedFigures` says which are tested.
enum VLLMServeFormat {
    static func matches(_ document: JSONValue) -> Bool {
        let keys = document.keySet
        return (keys.contains("request_throughput") || keys.contains("request_inthroughput") || keys.contains("output_throughput"))
            && (keys.contains("mean_ttft_ms") || keys.contains("median_ttft_ms"))
    }

    /// Top-level keys that are results or the run's identity, not settings.
    /// `request_inthroughput` and `request_goodput:` are how releases of
    /// `benchmark_serving.py` in 2024 misspelt two of them.
    static let resultKeys: Set<String> = [
        "date", "model_id", "model", "duration", "completed", "failed", "total_input_tokens", "total_output_tokens",
        "request_goodput", "request_goodput:", "request_inthroughput", "max_output_tokens_per_s", "max_concurrent_requests",
        // Written by current releases: the real-time factor of audio runs.
        "rtfx",
        // SGLang's `bench_serving --output-file`, the same shape with results
        // of its own: the concurrency achieved, the output re-tokenised, the
        // speculative acceptance. Keyed on as settings, every night was a
        // benchmark of its own, never tested (campaign s32, F2).
        "concurrency", "total_output_tokens_retokenized", "accept_length", "total_input_text_tokens", "total_input_vision_tokens",
    ]

    /// Whether the document is the copy vLLM writes beside a saved result
    /// in PyTorch's benchmark format (`SAVE_TO_PYTORCH_BENCHMARK_FORMAT`,
    /// as its CI sets): a list of `{"benchmark": ..., "model": ...,
    /// "metric": {"name": "median_ttft_ms", "benchmark_values": [...]}}`.
    /// Its figures are the result's; read as numbers, every metric's value
    /// was pooled into one meaningless series.
    static func isPyTorchBenchmarkCopy(_ document: JSONValue) -> Bool {
        guard let entries = document.elements, !entries.isEmpty else { return false }
        // vLLM's name for its own (`vLLM benchmark`): another project's results in this format have no result beside them.
        return entries.allSatisfy { entry in
            entry["benchmark"]?["name"]?.string == "vLLM benchmark" && entry["metric"]?["name"]?.string != nil
                && entry["metric"]?["benchmark_values"]?.elements != nil
        }
    }

    /// Why such a copy is skipped.
    static let pyTorchCopyReason =
        "vLLM's copy of a saved result in PyTorch's benchmark format (`.pytorch.json`): its figures are read from the result it was written beside"

    /// The tool that wrote a result: SGLang's `bench_serving` saves the
    /// shape vLLM's does, with its re-tokenised output count, which vLLM
    /// never writes (its `backend` names the server measured, which may be
    /// either).
    static func tool(of document: JSONValue) -> String {
        document["total_output_tokens_retokenized"] == nil ? "vllm" : "sglang"
    }

    /// Prefixes of results current releases add: speculative decoding's
    /// acceptance (`spec_decode_acceptance_rate`), probes, diffusion figures.
    /// Keyed on as settings, every night was a benchmark of its own, with no
    /// history to be tested against.
    static let resultPrefixes = ["spec_decode_", "probe_", "diffusion_"]

    /// Settings at the value a release that did not record them ran with:
    /// older results lack `burstiness` (Poisson arrivals, 1.0), newer ones
    /// `best_of` and `use_beam_search`. Left out of the key, so one
    /// benchmark keeps one history across vLLM releases.
    static let defaultSettings: [String: Double] = ["best_of": 1, "use_beam_search": 0, "burstiness": 1]

    /// The setting's name across releases: `vllm bench serve` records the
    /// `--backend` it was given as `endpoint_type` in some releases.
    /// Releases that write both name the same choice twice: `backend` is
    /// kept, and `endpoint_type` only when it says something else (a chat
    /// endpoint beside completions is another benchmark).
    static func settingName(_ key: String, in document: JSONValue) -> String? {
        guard key == "endpoint_type" else { return key }
        guard let backend = document["backend"] else { return "backend" }
        let endpoint = document["endpoint_type"]?.scalarText.map { settingValue("backend", $0) }
        return backend.scalarText.map { settingValue("backend", $0) } == endpoint ? nil : key
    }

    /// The setting's value across releases: `benchmark_serving.py`'s default
    /// backend `vllm` sent its requests to the OpenAI-compatible completions
    /// endpoint, which `vllm bench serve` calls `openai`, its default.
    static func settingValue(_ name: String, _ value: String) -> String {
        name == "backend" && value == "vllm" ? "openai" : value
    }

    /// The figures tested for regressions: the output rate, the time to the
    /// first token and per output token. The others move with them (the
    /// request and total token rates with the output rate, inter-token
    /// latency with time per token, end-to-end latency with both, a
    /// percentile with its metric): tested too, one slower night would open
    /// seven regressions and as many webhooks. They are listed.
    static let testedFigures: Set<String> = ["output_throughput", "ttft", "tpot"]

    static func isDefault(_ key: String, _ value: JSONValue) -> Bool {
        guard let standard = defaultSettings[key] else { return false }
        switch value {
        case .bool(let flag): return (flag ? 1 : 0) == standard
        default: return value.double == standard
        }
    }

    /// Every other scalar at the top is a setting of the run (`backend`,
    /// `request_rate`, `burstiness`, `max_concurrency`, `label`,
    /// `endpoint_type`, `--metadata` pairs): results are keyed on all of them.
    static func isSetting(_ key: String) -> Bool {
        if resultKeys.contains(key) || key.hasSuffix("_throughput") || resultPrefixes.contains(where: key.hasPrefix) { return false }
        // A time in milliseconds is a result (`max_itl_ms`, in forks of the script): keyed on, each night was a benchmark of its own.
        if key.hasSuffix("_ms") { return false }
        for prefix in ["mean_", "median_", "std_"] where key.hasPrefix(prefix) { return false }
        // Percentiles: `p99_ttft_ms`, `p99.9_itl_ms`.
        if key.hasPrefix("p"), let first = key.dropFirst().first, first.isNumber { return false }
        return true
    }

    /// The percentiles of `metric` the file holds (`p99_ttft_ms`,
    /// `p99.9_itl_ms`), by percentile, lowest first; the median is
    /// `median_*` already, so `p50_*` is left out.
    static func percentiles(of metric: String, in document: JSONValue) -> [(percentile: String, value: Double)] {
        let suffix = "_\(metric)_ms"
        var found: [(percentile: String, rank: Double, value: Double)] = []
        for (key, value) in document.members ?? [] where key.hasPrefix("p") && key.hasSuffix(suffix) {
            let percentile = String(key.dropFirst().dropLast(suffix.count))
            guard let rank = Double(percentile), rank > 0, rank < 100, rank != 50, let number = value.double, number.isFinite
            else { continue }
            found.append((percentile, rank, number))
        }
        return found.sorted { $0.rank < $1.rank }.map { ($0.percentile, $0.value) }
    }

    /// A result that names no model (SGLang's saves none) names its
    /// figures alone (`sglang output_throughput`, with the tool): its
    /// settings key it, and its file's name would not (SGLang's default,
    /// `sglang_1207_200_1024_256.jsonl`, dates each day's file).
    static func extract(_ document: JSONValue) -> Extraction {
        let named = document["model_id"]?.string ?? document["model"]?.string
        let model = named.map { $0.trimmingBlanks().isEmpty ? "unknown model" : $0 }
        func name(_ figure: String) -> String { model.map { "\($0) \(figure)" } ?? figure }
        let tool = tool(of: document)
        var parameters: [Parameter] = []
        for (key, value) in document.members ?? [] where isSetting(key) && !isDefault(key, value) {
            guard let text = value.scalarText, let name = settingName(key, in: document) else { continue }
            parameters.append(Parameter(name, settingValue(name, TextCuts.text(text))))
        }
        var notes: [String] = []
        var figures = Figures(document)
        let prompts = figures["num_prompts"]
        let completed = figures["completed"]
        var failed = figures["failed"] ?? 0
        if document["failed"] == nil, let prompts, let completed { failed = prompts - completed }
        let failedRuns = failed > 0 ? Int(exactly: failed.rounded()) ?? 0 : 0
        // vLLM lists each failed request's error: counted by cause, the commonest first.
        let byCause = failed > 0 ? failuresByCause(document["errors"], failed: failedRuns) : []
        let failure = failed > 0 ? byCause.first?.message ?? "request did not complete" : nil
        if let prompts, let completed, completed < prompts {
            notes.append("\(ValueText.render(prompts - completed)) of \(ValueText.render(prompts)) requests did not complete")
        }
        // No request completed: its figures are zeros, not measurements.
        if completed == 0 {
            var requests = Measurement(
                tool: tool, name: name("requests"), parameters: parameters, unit: "requests", failure: failure ?? "no request completed",
                failedRuns: max(failedRuns, 1))
            if byCause.count > 1 { requests.failuresByMessage = byCause }
            var extraction = Extraction(shape: .vllmServe, measurements: [requests], notes: notes + figures.notes)
            extraction.measuredAt = document["date"]?.string.flatMap(TimestampParsing.toolDate)
            extraction.measurements[0].measuredAt = extraction.measuredAt
            return extraction
        }
        var measurements: [Measurement] = []
        for (key, unit) in [
            ("request_throughput", "req/s"), ("output_throughput", "tok/s"), ("total_token_throughput", "tok/s"),
        ] {
            if let value = figures[key] ?? (key == "request_throughput" ? figures["request_inthroughput"] : nil) {
                measurements.append(
                    Measurement(
                        tool: tool, name: name(key), parameters: parameters, unit: unit,
                        higherIsBetter: true, mean: value, isRegressionTested: testedFigures.contains(key)))
            }
        }
        for metric in ["ttft", "tpot", "itl", "e2el"] {
            // A mean Python wrote as NaN leaves the median to stand for the latency.
            let mean = figures["mean_\(metric)_ms"]
            let median = figures["median_\(metric)_ms"]
            let spread = figures["std_\(metric)_ms"]
            // The tail a serving benchmark is run for: `p99_ttft_ms` (saved
            // by default), and whatever `--metric-percentiles` asked for.
            var tail: [(percentile: String, value: Double)] = []
            for (percentile, value) in percentiles(of: metric, in: document) where figures.accepts("p\(percentile)_\(metric)_ms", value) {
                tail.append((percentile, value + 0))
            }
            guard mean != nil || median != nil else {
                // A spread or a tail is listed under its latency: with
                // neither a mean nor a median there is none, and that is said.
                let alone = (spread == nil ? [] : ["std_\(metric)_ms"]) + tail.map { "p\($0.percentile)_\(metric)_ms" }
                for key in alone { figures.leaveOut(key, because: "no mean or median of the latency beside it") }
                continue
            }
            measurements.append(
                Measurement(
                    tool: tool, name: name(metric.uppercased()), parameters: parameters, unit: "ms",
                    mean: mean, median: median, stddev: spread,
                    count: completed.flatMap { Int(exactly: $0) }, isRegressionTested: testedFigures.contains(metric)))
            for (percentile, value) in tail {
                measurements.append(
                    Measurement(
                        tool: tool, name: name("\(metric.uppercased()) p\(percentile)"), parameters: parameters, unit: "ms",
                        mean: value, count: completed.flatMap { Int(exactly: $0) }, isRegressionTested: false))
            }
        }
        // The failed requests are counted once, with the run's first figure.
        if let failure, !measurements.isEmpty {
            measurements[0].failure = failure
            measurements[0].failedRuns = failedRuns
            if byCause.count > 1 { measurements[0].failuresByMessage = byCause }
        }
        var extraction = Extraction(shape: .vllmServe, measurements: measurements, notes: notes + figures.notes)
        extraction.measuredAt = document["date"]?.string.flatMap(TimestampParsing.toolDate)
        // `--append-result` writes a result a line, each dated: each a session of its own.
        for index in extraction.measurements.indices { extraction.measurements[index].measuredAt = extraction.measuredAt }
        return extraction
    }
}

extension VLLMServeFormat {
    /// The failed requests' errors (`errors`: one a request, empty for
    /// those that succeeded) by cause, the commonest first (then by first
    /// seen). Of several causes, requests failed beyond those listed are
    /// "request did not complete", last; one cause listed stands for every
    /// failed request, as it did before causes were counted.
    static func failuresByCause(_ errors: JSONValue?, failed: Int) -> [FailureCount] {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for error in errors?.elements ?? [] {
            guard let text = error.wholeString, !text.trimmingBlanks().isEmpty else { continue }
            let cause = TextCuts.text(ErrorText.cause(text))
            if counts[cause] == nil { order.append(cause) }
            counts[cause, default: 0] += 1
        }
        if order.count == 1, let only = order.first { return [FailureCount(message: only, count: failed)] }
        var causes = order.enumerated().sorted { a, b in
            let (x, y) = (counts[a.element] ?? 0, counts[b.element] ?? 0)
            return x != y ? x > y : a.offset < b.offset
        }.map { FailureCount(message: $0.element, count: counts[$0.element] ?? 0) }
        let listed = causes.reduce(0) { $0 + $1.count }
        if !causes.isEmpty, failed > listed { causes.append(FailureCount(message: "request did not complete", count: failed - listed)) }
        // More errors listed than requests failed (a file edited, a count cut): the counts are the failed requests'.
        var left = failed
        causes = causes.map { cause in
            defer { left -= min(cause.count, left) }
            return FailureCount(message: cause.message, count: min(cause.count, left))
        }.filter { $0.count > 0 }
        return causes
    }
}

extension VLLMServeFormat {
    /// The result's counts, rates and latencies, read once each: a figure
    /// below zero (no count, time or rate is) is left out and said, never charted or tested as
    /// if measured; one that is no finite number the JSON reader has said already.
    struct Figures {
        let document: JSONValue
        private(set) var notes: [String] = []

        init(_ document: JSONValue) {
            self.document = document
        }

        subscript(key: String) -> Double? {
            mutating get {
                guard let value = document[key]?.double, value.isFinite else {
                    // A bare NaN is said by the JSON reader; one written as text (`"NaN"`), here.
                    if case .string(let text) = document[key] { leaveOut(key, because: "'\(TextCuts.text(text))' is no finite number") }
                    return nil
                }
                // A -0 is a zero, shown as 0.
                return accepts(key, value) ? value + 0 : nil
            }
        }

        /// Whether `value`, written under `key`, can be a measured figure; if not, says so.
        mutating func accepts(_ key: String, _ value: Double) -> Bool {
            guard value < 0 else { return true }
            notes.append("\(TextCuts.text(key)) is \(ValueText.render(value)), below zero as no count, time or rate can be: left out")
            return false
        }

        /// Says that the figure under `key` is left out, and why.
        mutating func leaveOut(_ key: String, because reason: String) {
            notes.append("\(TextCuts.text(key)) is left out: \(reason)")
        }
    }
}
