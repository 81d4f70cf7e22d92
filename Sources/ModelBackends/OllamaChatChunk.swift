/// One line of Ollama's streamed `POST /api/chat` reply:
/// `{"model":..,"created_at":..,"message":{"role":"assistant","content":".."},"done":false}`.
/// The last line has `"done":true`, `done_reason` and the call's figures
/// (durations in nanoseconds); a line with only `error` reports a failure
/// after the stream began. Every field optional: versions differ, and Ollama
/// leaves out zero figures (`prompt_eval_count` when the prompt was cached).
struct OllamaChatChunk: Decodable {
    struct Message: Decodable {
        var content: String?
    }

    var message: Message?
    var done: Bool?
    /// `stop`, `length`, `load`, ...
    var doneReason: String?
    var totalDuration: Int64?
    var loadDuration: Int64?
    var promptEvalCount: Int?
    var promptEvalDuration: Int64?
    var evalCount: Int?
    var evalDuration: Int64?
    /// Ollama writes a string; `Detail` also reads an object, and knows context overflow's wording.
    var error: ServerErrorBody.Detail?
}
