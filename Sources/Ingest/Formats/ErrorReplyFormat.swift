import Records

/// A model server's error reply, saved where a run's reply would have been
/// (`curl .../api/generate > run.json` when the model is missing or does
/// not fit): Ollama's `{"error": "model \"x\" not found, try pulling it
/// first"}`, an OpenAI-compatible server's `{"error": {"message": ...,
/// "code": 500}}`, vLLM's `{"object": "error", "message": ...}`, and a
/// streamed reply whose last line is such an error.
///
/// The request failed: it is a failed run with the server's words as its
/// error, counted with the model's runs (or as a harness failure when its
/// session has nothing else), never a file of no data. A status file's
/// `"error": "none"` is no error.
///
///     ErrorReplyFormat.message(of: document)   // "model \"x\" not found, ..."
///     ErrorReplyFormat.extract(document)       // one failed run, or nil
enum ErrorReplyFormat {
    /// Keys an error reply may carry besides its message; any other key
    /// (a figure, a result, a status) makes the document something else.
    private static let replyKeys: Set<String> = ["error", "model", "created_at", "code", "type", "object", "message", "param"]

    /// What a status file writes where there was no error: no message.
    private static let noError: Set<String> = ["none", "null", "nil", "n/a", "ok", "false", "0", "no", "success", "-"]

    /// The error a reply holds, when the document is one and nothing more.
    static func message(of document: JSONValue) -> String? {
        guard let members = document.members, members.allSatisfy({ replyKeys.contains($0.0) }) else { return nil }
        let text: String?
        if let error = document["error"] {
            text = error.string ?? error["message"]?.string
        } else if document["object"]?.string == "error" {
            text = document["message"]?.string
        } else {
            text = nil
        }
        guard let text, !text.trimmingBlanks().isEmpty, !noError.contains(text.trimmingBlanks().lowercased()) else { return nil }
        return TextCuts.text(ErrorText.cause(text))
    }

    /// The reply as one failed run of the model it names (else the one its
    /// file's name gives), at the time it gives, if any; nil when the
    /// document is no error reply.
    static func extract(_ document: JSONValue) -> Extraction? {
        guard let message = message(of: document) else { return nil }
        return failedRun(
            model: document["model"]?.string ?? missingModel(message), at: document["created_at"]?.string, message: message, note: nil)
    }

    /// The model Ollama says it lacks: `model "llama9:8b" not found, try
    /// pulling it first` (older releases quote it with `'`).
    static func missingModel(_ message: String) -> String? {
        for quote in ["\"", "'"] {
            let opening = "model " + quote
            guard let start = message.range(of: opening), let end = message[start.upperBound...].range(of: quote + " not found") else {
                continue
            }
            let name = message[start.upperBound..<end.lowerBound]
            if !name.isEmpty, !name.contains(" ") { return String(name) }
        }
        return nil
    }

    /// A streamed reply (Ollama's `"done": false` chunks) that ends in an
    /// error: one failed run, dated by its first chunk.
    static func extract(stream values: [JSONValue]) -> Extraction? {
        guard values.count > 1, let last = values.last, let message = message(of: last) else { return nil }
        let chunks = values.dropLast()
        guard chunks.allSatisfy({ $0["done"]?.bool == false }) else { return nil }
        let model = last["model"]?.string ?? chunks.lazy.compactMap { $0["model"]?.string }.first ?? missingModel(message)
        let note = "\(chunks.count) streamed chunk\(chunks.count == 1 ? "" : "s") (done: false) before the error: parts of a reply, not runs"
        return failedRun(model: model, at: chunks.first?["created_at"]?.string, message: message, note: note)
    }

    /// A server-sent events stream whose last event is an error (llama-server's
    /// `data: {"error": {"code": 500, "message": "context shift is disabled"}}`
    /// after the tokens it gave): one failed run, in the server's words; the
    /// events before it are parts of the reply. Read as numbers, its error
    /// code was a series, and no failure was listed.
    static func extract(eventStream values: [JSONValue]) -> Extraction? {
        guard let last = values.last, let message = message(of: last) else { return nil }
        let chunks = values.dropLast()
        let model = last["model"]?.string ?? chunks.lazy.compactMap { $0["model"]?.string }.first ?? missingModel(message)
        let note =
            chunks.isEmpty ? nil : "\(chunks.count) streamed event\(chunks.count == 1 ? "" : "s") before the error: parts of a reply, not runs"
        return failedRun(model: model, at: nil, message: message, note: note)
    }

    private static func failedRun(model: String?, at time: String?, message: String, note: String?) -> Extraction {
        let name = model.flatMap { $0.trimmingBlanks().isEmpty ? nil : TextCuts.text($0) }
        let run = LLMRun(ordinal: 0, error: message, timestamp: time.flatMap(TimestampParsing.secondsSinceEpoch))
        return Extraction(
            shape: .ollamaRuns, modelHint: name, runSets: [RunSet(model: name, configuration: [], runs: [run])],
            notes: note.map { [$0] } ?? [])
    }
}
