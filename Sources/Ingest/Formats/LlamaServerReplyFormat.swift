import Records

/// Replies of llama.cpp's `llama-server` saved by a script: `/completion`'s
/// object and `/v1/chat/completions`' both carry `timings` (`prompt_n`,
/// `prompt_ms`, `predicted_n`, `predicted_ms`, `predicted_per_second`), one
/// request each. A reply is one run: decode throughput from
/// `predicted_per_second` (else `predicted_n` over `predicted_ms`), the
/// prompt's tokens and seconds for prefill (of the tokens not cached:
/// a prompt the server had cached counts only its new part). The server
/// times no first token apart from the prompt, so runs have no TTFT.
///
/// Runs are keyed `backend=llama.cpp`, so the leaderboard tells them from
/// Ollama's. A file may hold one reply, an array of them, or one a line.
///
///     LlamaServerReplyFormat.matches(document)   // a reply, or replies
///     LlamaServerReplyFormat.extract(document)   // one run set per model
enum LlamaServerReplyFormat {
    /// The name llama-server gives its model when started without `--alias`
    /// (releases before 2025): no model's name. Such replies are listed as
    /// `unnamedModel`, one group however their files are named.
    static let placeholderModel = "gpt-3.5-turbo"
    static let unnamedModel = "llama-server"

    static func matches(_ document: JSONValue) -> Bool {
        guard let replies = replies(document), let first = replies.first else { return false }
        return isReply(first)
    }

    private static func isReply(_ value: JSONValue) -> Bool {
        guard let timings = value["timings"], timings.members != nil else { return false }
        return timings["predicted_per_second"] != nil || (timings["predicted_n"] != nil && timings["predicted_ms"] != nil)
    }

    /// Whether the document is OpenAI-style replies (`"object":
    /// "chat.completion"` or `"text_completion"`, with `choices`, no
    /// llama-server `timings`) and `series`, the numbers read from it, are
    /// only what such a reply always holds: its `created` time, its
    /// choices' index and `usage`'s token counts. That is what Ollama's and
    /// vLLM's `/v1/...` endpoints answer, with no time; read as numbers, the
    /// `created` time was listed as a measurement. A reply that holds a time
    /// (Groq's `usage.completion_time`, LM Studio's `stats`, a script's own
    /// `tokens_per_second` beside it) is read as it was.
    static func isUntimedReply(_ document: JSONValue, series: [Series]) -> Bool {
        guard let replies = replies(document), !replies.isEmpty else { return false }
        let repliesOnly = replies.allSatisfy { reply in
            // A streamed reply's chunks too (`curl -N`, saved as server-sent events).
            guard let kind = reply["object"]?.string, ["chat.completion", "text_completion", "chat.completion.chunk"].contains(kind) else {
                return false
            }
            return reply["choices"]?.elements != nil && reply["timings"] == nil
        }
        return repliesOnly && series.allSatisfy { isCountOrIdentity($0.name) }
    }

    /// A reply's number that is no measurement: when it was made, which
    /// choice, how many tokens (`usage.completion_tokens`,
    /// `usage.prompt_tokens_details.cached_tokens`).
    private static func isCountOrIdentity(_ path: String) -> Bool {
        let path = path.hasPrefix("[].") ? String(path.dropFirst(3)) : path
        return path == "created" || path == "choices[].index" || (path.hasPrefix("usage.") && path.hasSuffix("_tokens"))
    }

    /// Why such replies are skipped, and what would time them.
    static let untimedReason =
        "OpenAI-style replies with token counts and no times: time each request in the script that saves them, or save llama-server's reply (it has `timings`) or Ollama's /api/chat reply (it has `eval_duration`)"

    /// The replies a document holds: itself, or its elements.
    private static func replies(_ document: JSONValue) -> [JSONValue]? {
        if document.members != nil { return [document] }
        return document.elements
    }

    static func extract(_ document: JSONValue) -> Extraction {
        var sets: [String?: RunSet] = [:]
        var order: [String?] = []
        var notes: [String] = []
        var placeholders = 0
        var others = 0
        var budget = RecordBudget()
        for (index, reply) in (replies(document) ?? []).enumerated() {
            guard isReply(reply), let timings = reply["timings"] else {
                others += 1
                continue
            }
            guard budget.admits("reply \(index + 1)") else { break }
            budget.spend(entries: 1)
            budget.spend(numbers: 6)
            var model = LlamaServerReplyFormat.modelName(reply["model"]?.string)
            if model == nil || model == placeholderModel {
                // Releases that answer with a placeholder name the model's file among the settings.
                if let file = LlamaServerReplyFormat.modelName(reply["generation_settings"]?["model"]?.string) {
                    model = file
                } else if model == placeholderModel {
                    placeholders += 1
                    model = unnamedModel
                }
            }
            let run = LLMRun(
                ordinal: index, tokensPerSecond: rate(timings, "predicted"),
                promptEvalSeconds: timings["prompt_ms"]?.double.map { $0 / 1000 },
                evalSeconds: timings["predicted_ms"]?.double.map { $0 / 1000 }, promptEvalCount: timings["prompt_n"]?.double,
                evalCount: timings["predicted_n"]?.double, error: nil,
                timestamp: reply["created"]?.double.flatMap(TimestampParsing.epochNumber))
            if sets[model] == nil {
                order.append(model)
                sets[model] = RunSet(model: model, configuration: [Parameter("backend", "llama.cpp")])
            }
            sets[model]?.columns.append(run)
        }
        if placeholders > 0 {
            notes.append(
                "the server named its model '\(placeholderModel)' (llama-server's name when started without --alias): its runs are listed as '\(unnamedModel)'"
            )
        }
        if others > 0 { notes.append("\(others) element\(others == 1 ? "" : "s") without llama-server timings left out") }
        if let note = budget.note { notes.append(note) }
        let named = Set(order.compactMap { $0 })
        return Extraction(
            shape: .ollamaRuns, modelHint: named.count == 1 ? named.first : nil, runSets: order.compactMap { sets[$0] }, notes: notes)
    }

    /// A model as a reply names it: a GGUF file by its name, not its path
    /// (`/models/qwen2.5-0.5b-instruct-q4_k_m.gguf`).
    private static func modelName(_ text: String?) -> String? {
        guard let text = text?.trimmingBlanks(), !text.isEmpty else { return nil }
        if text.lowercased().hasSuffix(".gguf"), let name = text.split(separator: "/").last { return TextCuts.text(String(name)) }
        return TextCuts.text(text)
    }

    /// Tokens per second of a phase (`predicted`, `prompt`): the server's
    /// own figure, else its tokens over its milliseconds.
    private static func rate(_ timings: JSONValue, _ phase: String) -> Double? {
        if let rate = timings["\(phase)_per_second"]?.double, rate.isFinite { return rate }
        guard let tokens = timings["\(phase)_n"]?.double, let milliseconds = timings["\(phase)_ms"]?.double, milliseconds > 0 else {
            return nil
        }
        let rate = tokens / (milliseconds / 1000)
        return rate.isFinite ? rate : nil
    }
}
