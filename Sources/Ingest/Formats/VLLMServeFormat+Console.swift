import Records

/// `vllm bench serve` (and `benchmark_serving.py`) as people keep it: the
/// console output, `vllm bench serve ... | tee serve.log`, without
/// `--save-result`.
///
///     Namespace(backend='vllm', ..., model='Qwen/Qwen2.5-0.5B', ..., request_rate=inf, ...)
///     Traffic request rate: inf
///     Maximum request concurrency: 32
///     ============ Serving Benchmark Result ============
///     Successful requests:                     1000
///     Benchmark duration (s):                  45.23
///     Output token throughput (tok/s):         4385.17
///     ---------------Time to First Token----------------
///     Mean TTFT (ms):                          1234.56
///     P99 TTFT (ms):                           3456.78
///     ==================================================
///
/// Each result block is read into the document `--save-result` would have
/// written (`completed`, `output_throughput`, `mean_ttft_ms`, `p99_ttft_ms`,
/// ...), with the settings the printed arguments (`Namespace(...)`) and the
/// lines before the block give, and then read as that document is: the same
/// run saved both ways gives the same benchmarks. Without the arguments the
/// model is the file's name. The output has no date: the file's modification
/// time dates the session.
extension VLLMServeFormat {
    /// The results, or nil when the text holds no result block with a
    /// throughput and a latency.
    static func extract(console text: ArraySlice<UInt8>, stem: String) -> Extraction? {
        guard ByteSearch.contains(text, "Serving Benchmark Result") else { return nil }
        var arguments: [(key: String, value: JSONValue)] = []
        // Printed before each run's block, for that run only.
        var announced: [(key: String, value: JSONValue)] = []
        var block: [(key: String, value: JSONValue)]? = nil
        var results: [Extraction] = []
        var budget = RecordBudget()
        func finish() {
            guard let figures = block else { return }
            block = nil
            // In the saved document's order: a later line's value takes an earlier one's place.
            var document = arguments
            for (key, value) in announced + figures {
                if let index = document.firstIndex(where: { $0.key == key }) {
                    document[index].value = value
                } else {
                    document.append((key, value))
                }
            }
            announced = []
            if !document.contains(where: { $0.key == "model_id" }) { document.append(("model_id", .string(stem))) }
            let object = JSONValue.object(document)
            guard matches(object) else { return }
            let result = extract(object)
            budget.spend(entries: result.measurements.count)
            budget.spend(numbers: result.measurements.count * 4)
            results.append(result)
        }
        for line in ConsoleLines(text) {
            guard budget.admits("result \(results.count + 1)") else { break }
            if line.contains("Serving Benchmark Result") {
                finish()
                block = []
            } else if block != nil {
                if line.hasPrefix("==="), line.allSatisfy({ $0 == "=" }) {
                    finish()
                } else if let (key, value) = resultLine(line) {
                    block?.append((key, value))
                }
            } else if let namespace = printedArguments(line) {
                arguments = namespace
            } else if let (key, value) = announcement(line) {
                announced.append((key, value))
            }
        }
        finish()
        guard var merged = results.first else { return nil }
        merged.shape = .vllmServeText
        merged.notes = results.count > 1 ? merged.notes.map { "result 1: \($0)" } : merged.notes
        for (index, next) in results.enumerated().dropFirst() {
            merged.measurements += next.measurements
            merged.notes += next.notes.map { "result \(index + 1): \($0)" }
        }
        if let note = budget.note { merged.notes.append(note) }
        return merged
    }

    /// The lines before a block that set its run: `Traffic request rate: inf`,
    /// `Burstiness factor: 1.0 (Poisson process)`, `Maximum request concurrency: 32`.
    private static func announcement(_ line: String) -> (String, JSONValue)? {
        guard let (label, value) = labelled(line) else { return nil }
        switch label {
        case "traffic request rate": return ("request_rate", setting(value))
        case "burstiness factor": return ("burstiness", setting(value))
        case "maximum request concurrency": return ("max_concurrency", setting(value))
        default: return nil
        }
    }

    /// A line of the result block as the saved document's key and value
    /// (`Mean TTFT (ms): 12.5` → `mean_ttft_ms`); nil for a section's
    /// heading and what the document has no key for.
    private static func resultLine(_ line: String) -> (String, JSONValue)? {
        guard let (label, value) = labelled(line) else { return nil }
        if let key = blockKeys[label] {
            return key == "max_concurrency" || key == "request_rate" ? (key, setting(value)) : number(value).map { (key, $0) }
        }
        // `Mean TTFT (ms)`, `Median ITL (ms)`, `P99.9 E2EL (ms)`.
        let words = label.split(separator: " ")
        guard words.count == 3, words[2] == "(ms)", latencyMetrics.contains(String(words[1])), let figure = number(value) else {
            return nil
        }
        let statistic = words[0]
        let metric = words[1]
        switch statistic {
        case "mean", "median", "std": return ("\(statistic)_\(metric)_ms", figure)
        default:
            guard statistic.first == "p", Double(statistic.dropFirst()) != nil else { return nil }
            return ("\(statistic)_\(metric)_ms", figure)
        }
    }

    private static let latencyMetrics: Set<String> = ["ttft", "tpot", "itl", "e2el"]

    /// The block's lines, lowercased, by the saved document's key.
    private static let blockKeys: [String: String] = [
        "successful requests": "completed",
        "failed requests": "failed",
        "maximum request concurrency": "max_concurrency",
        "request rate configured (rps)": "request_rate",
        "benchmark duration (s)": "duration",
        "total input tokens": "total_input_tokens",
        "total generated tokens": "total_output_tokens",
        "request throughput (req/s)": "request_throughput",
        "request goodput (req/s)": "request_goodput",
        "output token throughput (tok/s)": "output_throughput",
        "peak output token throughput (tok/s)": "max_output_tokens_per_s",
        "peak concurrent requests": "max_concurrent_requests",
        "total token throughput (tok/s)": "total_token_throughput",
    ]

    /// `Label:   value` → (`label`, `value`), the label lowercased and its blanks single.
    private static func labelled(_ line: String) -> (String, Substring)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let label = line[..<colon].split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ").lowercased()
        let value = line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
        guard !label.isEmpty, !value.isEmpty else { return nil }
        return (label, value)
    }

    /// A result's number: the first word (`1.0 (Poisson process)` → 1).
    private static func number(_ value: Substring) -> JSONValue? {
        guard let word = value.split(separator: " ").first, let number = NumberParsing.double(word), number.isFinite else { return nil }
        return .number(number)
    }

    /// A setting as the saved document holds it: a number, `inf` (saved as
    /// the text), or nothing (`None`, SGLang's `not set`).
    private static func setting(_ value: Substring) -> JSONValue {
        let word = value.split(separator: " ").first.map(String.init) ?? ""
        if word == "inf" { return .string("inf") }
        return number(value) ?? .null
    }

    /// The settings a saved result records, from the arguments `vllm bench
    /// serve` prints (`Namespace(backend='vllm', model='...', ...)`): nil for
    /// any other line.
    static func printedArguments(_ line: String) -> [(key: String, value: JSONValue)]? {
        guard let open = line.range(of: "Namespace("), line.hasSuffix(")") else { return nil }
        let inside = line[open.upperBound..<line.index(before: line.endIndex)]
        var values: [String: JSONValue] = [:]
        for field in PythonArguments.fields(inside) {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let name = String(field[..<equals]).trimmingBlanks()
            guard savedArguments.contains(name) else { continue }
            values[name] = PythonArguments.value(field[field.index(after: equals)...])
        }
        guard let model = values["model"], case .string = model else { return nil }
        // The tokenizer is the model's unless named.
        var tokenizer = model
        if let named = values["tokenizer"], case .string = named { tokenizer = named }
        values["model_id"] = model
        values["tokenizer_id"] = tokenizer
        return ["backend", "label", "model_id", "tokenizer_id", "num_prompts", "request_rate", "burstiness", "max_concurrency"]
            .compactMap { name in values[name].map { (name, $0) } }
    }

    private static let savedArguments: Set<String> = [
        "model", "tokenizer", "backend", "label", "num_prompts", "request_rate", "burstiness", "max_concurrency",
    ]
}

/// Python's `repr` of an `argparse.Namespace`'s fields: `a='x, y', b=None, c=[1, 2]`.
enum PythonArguments {
    /// The fields, split at the commas outside quotes and brackets.
    static func fields(_ text: Substring) -> [Substring] {
        var fields: [Substring] = []
        var depth = 0
        var quote: Character? = nil
        var escaped = false
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == open {
                    quote = nil
                }
            } else {
                switch character {
                case "'", "\"": quote = character
                case "(", "[", "{": depth += 1
                case ")", "]", "}": depth = max(0, depth - 1)
                case "," where depth == 0:
                    fields.append(text[start..<index])
                    start = text.index(after: index)
                default: break
                }
            }
            index = text.index(after: index)
        }
        fields.append(text[start...])
        return fields.map { $0.drop(while: { $0 == " " }) }
    }

    /// One field's value: a quoted string (its escapes undone), a number,
    /// `inf` (as the text a saved result holds), `True`/`False`, else null.
    static func value(_ text: Substring) -> JSONValue {
        let trimmed = String(text).trimmingBlanks()
        if let first = trimmed.first, first == "'" || first == "\"", trimmed.count >= 2, trimmed.last == first {
            var unescaped = ""
            var escaped = false
            for character in trimmed.dropFirst().dropLast() {
                if escaped || character != "\\" {
                    unescaped.append(character)
                    escaped = false
                } else {
                    escaped = true
                }
            }
            return .string(TextCuts.text(unescaped))
        }
        switch trimmed {
        case "inf": return .string("inf")
        case "True": return .bool(true)
        case "False": return .bool(false)
        default: return NumberParsing.double(trimmed).map { $0.isFinite ? JSONValue.number($0) : .null } ?? .null
        }
    }
}
