import TestSupport

/// Recorded replies of Ollama's `POST /api/chat`, written in the stream
/// format Ollama documents (docs/api.md "Generate a chat completion" and
/// docs/api/errors, Ollama 0.5 and later: `done_reason`, nanosecond figures,
/// `{"error":".."}` bodies and lines). The content is ours. The server sends
/// them as `application/x-ndjson`, chunked, one JSON object a line.
enum OllamaFixtures {
    static let model = "gemma3:270m"

    /// A reply's content lines; their `content` joined is `replyText`.
    static let contentLines = [
        #"{"model":"gemma3:270m","created_at":"2025-06-02T09:14:03.118204Z","message":{"role":"assistant","content":"{\"summary\":"},"done":false}"#,
        #"{"model":"gemma3:270m","created_at":"2025-06-02T09:14:03.131877Z","message":{"role":"assistant","content":" \"gemma3 decodes at"},"done":false}"#,
        #"{"model":"gemma3:270m","created_at":"2025-06-02T09:14:03.145310Z","message":{"role":"assistant","content":" 41.2 tok/s\"}"},"done":false}"#,
    ]

    static let replyText = #"{"summary": "gemma3 decodes at 41.2 tok/s"}"#

    /// The last line, with the call's figures (nanoseconds).
    static let finalLine =
        #"{"model":"gemma3:270m","created_at":"2025-06-02T09:14:03.158622Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":1824611250,"load_duration":912443708,"prompt_eval_count":318,"prompt_eval_duration":603118000,"eval_count":24,"eval_duration":296402000}"#

    /// The last line when the prompt was cached: Ollama leaves out the zero `prompt_eval_*` figures.
    static let finalLineCachedPrompt =
        #"{"model":"gemma3:270m","created_at":"2025-06-02T09:15:41.402117Z","message":{"role":"assistant","content":""},"done_reason":"length","done":true,"total_duration":331207416,"load_duration":10482000,"eval_count":16,"eval_duration":198775000}"#

    /// A failure after the stream began: a line with only `error`, the status staying 200.
    static let midStreamError = #"{"error":"an error was encountered while running the model: unexpected EOF"}"#

    /// `404` for a model the server does not have.
    static let modelNotFound = #"{"error":"model \"gemma3:270m\" not found, try pulling it first"}"#

    /// `400` from an Ollama older than 0.5, whose `format` is a string only.
    static let schemaRejected = #"{"error":"json: cannot unmarshal object into Go struct field ChatRequest.format of type string"}"#

    /// The head of a streamed reply; HTTP chunks follow.
    static let streamHead = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"

    /// One HTTP chunk holding `text`.
    static func httpChunk(_ text: String) -> String {
        String(text.utf8.count, radix: 16) + "\r\n" + text + "\r\n"
    }

    /// The chunked body's end.
    static let lastChunk = "0\r\n\r\n"

    /// A streamed reply whose body pieces are written one by one, `pause`
    /// apart (the head first), ended properly when `terminated`.
    static func stream(_ body: [String], terminated: Bool = true, pause: Duration = .milliseconds(30)) -> LoopbackServer.Answer {
        .pieces([streamHead] + body.map(httpChunk) + (terminated ? [lastChunk] : []), pause: pause)
    }

    /// A whole reply's lines in one piece.
    static func lines(_ lines: [String]) -> String {
        lines.map { $0 + "\n" }.joined()
    }
}
