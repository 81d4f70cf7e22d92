/// One streamed `chat.completion.chunk` (or a whole `chat.completion` from a
/// server that ignored `stream`), with llama.cpp's `timings` when present.
/// Every field optional: servers differ, and a missing field is not an error.
struct ChatCompletionChunk: Decodable {
    struct Message: Decodable {
        var content: String?
    }

    struct Choice: Decodable {
        var delta: Message?
        /// Set instead of `delta` in a non-streamed reply.
        var message: Message?
        var finishReason: String?
    }

    struct Usage: Decodable {
        var promptTokens: Int?
        var completionTokens: Int?
    }

    /// llama.cpp's per-request figures, in milliseconds.
    struct Timings: Decodable {
        var cacheN: Int?
        var promptN: Int?
        var promptMs: Double?
        var predictedN: Int?
        var predictedMs: Double?
        var predictedPerSecond: Double?
    }

    var choices: [Choice]?
    var usage: Usage?
    var timings: Timings?
    /// Present when the server reports an error inside the stream.
    var error: ServerErrorBody.Detail?
}

extension ChatCompletionChunk {
    /// A chunk that carries only an error (SSE `error:` fields).
    init(error: ServerErrorBody.Detail) {
        self.error = error
    }
}
