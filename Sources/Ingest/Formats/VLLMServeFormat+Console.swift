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
/// time dates the session, and of a log appended to run after run a
/// benchmark's last result is read. SGLang's `bench_serving` prints the same
/// block, with its backend, rate and concurrency inside it.
extension VLLMServeFormat {
    /// The results, or nil when the text holds no result block with a
    /// throughput and a latency.
    static func extract(console text: ArraySlice<UInt8>, stem: String) -> Extraction? {
        guard ByteSearch.contains(text, "Serving Benchmark Result") else { return nil }
        var arguments: [(key: String, value: JSONValue)] = []
        // Printed before each run's block, for that run only.
        var announced: [(key: String, value: JSONValue)] = []
        var block: [(key: String, value: JSONValue)]? = nil
        // The block's figure lines without a finite number, for its note.
        var unreadable: [String] = []
        // SGLang's `bench_serving` prints the same block, with a `Backend:` line in it.
        var blockNamesBackend = false
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
            var result = extract(object)
            if let first = unreadable.first {
                result.notes.append(
                    "\(unreadable.count) figure\(unreadable.count == 1 ? "" : "s") without a finite number left out (the first: '\(TextCuts.text(first))')"
                )
            }
            if blockNamesBackend { for index in result.measurements.indices { result.measurements[index].tool = "sglang" } }
            budget.spend(entries: result.measurements.count)
            budget.spend(numbers: result.measurements.count * 4)
            results.append(result)
        }
        for line in ConsoleLines(text) {
            guard budget.admits("result \(results.count + 1)") else { break }
            // The arguments' line may be long; any other line the block has is short.
            let holdsArguments = ByteSearch.contains(line, "Namespace(")
            guard line.utf8.count <= (holdsArguments ? maximumArgumentsBytes : maximumLineBytes) else { continue }
            if ByteSearch.contains(line, "Serving Benchmark Result") {
                finish()
                block = []
                unreadable = []
                blockNamesBackend = false
            } else if block != nil {
                if line.hasPrefix("==="), line.allSatisfy({ $0 == "=" }) {
                    finish()
                } else if let (key, value) = resultLine(line) {
                    if key == "backend" { blockNamesBackend = true }
                    if let value {
                        block?.append((key, value))
                    } else {
                        unreadable.append(line)
                    }
                }
            } else if holdsArguments, let namespace = printedArguments(line) {
                // A run's own arguments: none of an earlier run's carry over.
                arguments = namespace
                announced = []
            } else if let model = fetchedModel(line) {
                // Without `--model`, the first model the server lists (its tokenizer too, unless named).
                if !arguments.contains(where: { $0.key == "tokenizer_id" }) { arguments.append(("tokenizer_id", .string(model))) }
                arguments.removeAll { $0.key == "model_id" }
                arguments.append(("model_id", .string(model)))
            } else if let (key, value) = announcement(line) {
                announced.append((key, value))
            }
        }
        finish()
        // The log dates no result: in a log appended to run after run (`tee -a`),
        // a benchmark's earlier results are the file's earlier versions' (the
        // store keeps them, each dated then), so each is read once, as its last.
        var kept: [Extraction] = []
        var seen: Set<String> = []
        var earlier = 0
        for result in results.reversed() {
            let key = result.measurements.first.map { "\($0.name)|\($0.parameters.map { "\($0.name)=\($0.value)" })" } ?? ""
            if seen.insert(key).inserted {
                kept.append(result)
            } else {
                earlier += 1
            }
        }
        kept.reverse()
        guard var merged = kept.first else { return nil }
        merged.shape = .vllmServeText
        merged.notes = kept.count > 1 ? merged.notes.map { "result 1: \($0)" } : merged.notes
        for (index, next) in kept.enumerated().dropFirst() {
            merged.measurements += next.measurements
            merged.notes += next.notes.map { "result \(index + 1): \($0)" }
        }
        if earlier > 0 {
            merged.notes.insert(
                "\(earlier) earlier result\(earlier == 1 ? "" : "s") of the same benchmark in this log left out: the log dates none, so a benchmark's last result is read (an earlier one is of an earlier night, kept with the file's earlier version once read)",
                at: 0)
        }
        if let note = budget.note { merged.notes.append(note) }
        return merged
    }

    /// The longest line read as one of the block's; the printed arguments may be longer.
    static let maximumLineBytes = 4096
    static let maximumArgumentsBytes = 1 << 20

    /// The model a run fetched from the server when none was given:
    /// `Using model: Qwen/Qwen2.5-72B`, or `First model name: qwen, first model id: Qwen/Qwen2.5-72B`.
    static func fetchedModel(_ line: String) -> String? {
        let value: Substring
        if line.hasPrefix("Using model: ") {
            value = line.dropFirst("Using model: ".count)
        } else if line.hasPrefix("First model name: "), let id = line.range(of: ", first model id: ") {
            value = line[id.upperBound...]
        } else {
            return nil
        }
        let model = String(value).trimmingBlanks()
        return model.isEmpty ? nil : TextCuts.text(model)
    }

    /// The lines before a block that set its run: `Traffic request rate: inf`,
    /// `Burstiness factor: 1.0 (Poisson process)`, `Maximum request concurrency: 32`.
    private static func announcement(_ line: String) -> (String, JSONValue)? {
        guard let (label, value) = labelled(line) else { return nil }
        switch label {
        case "traffic request rate": return ("request_rate", setting(value))
        case "burstiness factor": return ("burstiness", setting(value))
        case "maximum request concurrency", "max request concurrency": return ("max_concurrency", setting(value))
        default: return nil
        }
    }

    /// A line of the result block as the saved document's key and value
    /// (`Mean TTFT (ms): 12.5` → `mean_ttft_ms`); nil for a section's
    /// heading and what the document has no key for.
    /// A figure's line whose value is no finite number (`1e309`, `nan`) gives its key and nil.
    private static func resultLine(_ line: String) -> (String, JSONValue?)? {
        guard let (label, value) = labelled(line) else { return nil }
        if let key = blockKeys[label] {
            switch key {
            case "max_concurrency", "request_rate": return (key, setting(value))
            case "backend": return (key, .string(TextCuts.text(String(value).trimmingBlanks())))
            default: return (key, number(value))
            }
        }
        // `Mean TTFT (ms)`, `Median ITL (ms)`, `P99.9 E2EL (ms)`; SGLang's `Mean E2E Latency (ms)`.
        var words = label.split(separator: " ")
        if words.count == 4, words[1] == "e2e", words[2] == "latency" { words = [words[0], "e2el", words[3]] }
        guard words.count == 3, words[2] == "(ms)", latencyMetrics.contains(String(words[1])) else { return nil }
        let figure = number(value)
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
        // SGLang's, inside its block.
        "backend": "backend",
        "traffic request rate": "request_rate",
        "max request concurrency": "max_concurrency",
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
        guard let number = NumberParsing.double(value.prefix { $0 != " " && $0 != "\t" }), number.isFinite else { return nil }
        return .number(number)
    }

    /// A setting as the saved document holds it: a number, `inf` (saved as
    /// the text), or nothing (`None`, SGLang's `not set`).
    private static func setting(_ value: Substring) -> JSONValue {
        if value.prefix(while: { $0 != " " && $0 != "\t" }) == "inf" { return .string("inf") }
        return number(value) ?? .null
    }

    /// The settings a saved result records, from the arguments `vllm bench
    /// serve` prints (`Namespace(backend='vllm', model='...', ...)`): nil for
    /// any other line.
    static func printedArguments(_ line: String) -> [(key: String, value: JSONValue)]? {
        guard let open = line.range(of: "Namespace("), line.hasSuffix(")") else { return nil }
        let inside = line[open.upperBound..<line.index(before: line.endIndex)]
        var values: [String: JSONValue] = [:]
        var metadata: Substring? = nil
        for field in PythonArguments.fields(inside) {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let name = String(field[..<equals]).trimmingBlanks()
            if name == "metadata" { metadata = field[field.index(after: equals)...] }
            guard savedArguments.contains(name) else { continue }
            values[name] = PythonArguments.value(field[field.index(after: equals)...])
        }
        // `model=None`: the server's first model, said on a line of its own (`fetchedModel`).
        if let model = values["model"], case .string = model {
            values["model_id"] = model
            // The tokenizer is the model's unless named.
            values["tokenizer_id"] = model
        }
        if let named = values["tokenizer"], case .string = named { values["tokenizer_id"] = named }
        var saved = ["backend", "label", "model_id", "tokenizer_id", "num_prompts", "request_rate", "burstiness", "max_concurrency"]
            .compactMap { name in values[name].map { (key: name, value: $0) } }
        // `--metadata tp=1 version=0.11.0`: settings of the saved result, as text.
        for item in metadata.flatMap({ PythonArguments.strings($0) }) ?? [] {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = String(item[..<equals]).trimmingBlanks()
            guard !key.isEmpty, !saved.contains(where: { $0.key == key }) else { continue }
            saved.append((TextCuts.text(key), .string(TextCuts.text(String(item[item.index(after: equals)...]).trimmingBlanks()))))
        }
        return saved
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

    /// A list of strings (`['tp=1', 'version=0.11.0']`); nil for anything else.
    static func strings(_ text: Substring) -> [String]? {
        let trimmed = text.drop(while: { $0 == " " })
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]") else { return nil }
        let items = fields(trimmed.dropFirst().dropLast())
        var strings: [String] = []
        for item in items where !item.isEmpty {
            guard case .string(let string) = value(item) else { return nil }
            strings.append(string)
        }
        return strings
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
