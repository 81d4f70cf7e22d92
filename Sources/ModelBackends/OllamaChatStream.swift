import Foundation
import ModelInterface

/// What the lines of one streamed Ollama chat reply add up to: the text, the
/// client's clock for TTFT and wall time, and the last line's figures.
struct OllamaChatStream {
    let started: ContinuousClock.Instant
    /// The `num_ctx` sent, named when Ollama says the prompt did not fit.
    let contextSize: Int
    private(set) var text = ""
    private(set) var firstContent: ContinuousClock.Instant?
    /// The `"done":true` line: the reply is complete.
    private(set) var last: OllamaChatChunk?
    private let decoder: JSONDecoder

    init(started: ContinuousClock.Instant, contextSize: Int) {
        self.started = started
        self.contextSize = contextSize
        decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
    }

    var isDone: Bool { last != nil }
    var finishReason: String? { last?.doneReason }

    /// Takes one line of the stream.
    mutating func take(line: String) throws(ModelCallError) {
        let chunk: OllamaChatChunk
        do {
            chunk = try decoder.decode(OllamaChatChunk.self, from: Data(line.utf8))
        } catch {
            throw .invalidReply("a stream line is not JSON: \(ModelCallError.oneLine(line, limit: 80))")
        }
        if let error = chunk.error { throw Self.failure(error, contextSize: contextSize) }
        if let content = chunk.message?.content, !content.isEmpty {
            if firstContent == nil { firstContent = ContinuousClock.now }
            text += content
        }
        if chunk.done == true { last = chunk }
    }

    /// Ollama's `error` text as a `ModelCallError`: a prompt over `num_ctx`
    /// ("input exceeds context length") is a context overflow, anything else
    /// the server's own words.
    static func failure(_ error: ServerErrorBody.Detail, contextSize: Int) -> ModelCallError {
        if error.isContextOverflow { return .contextOverflow(promptTokens: error.nPromptTokens, contextSize: contextSize) }
        return .serverError(ModelCallError.oneLine(error.message ?? "unspecified error"))
    }

    /// The call's figures. Generation speed is `eval_count / eval_duration`,
    /// the server's decode time, not the wall time (which includes loading
    /// and the prompt). Figures Ollama leaves out stay nil: a cached prompt
    /// has no `prompt_eval_count`, and none is made up. TTFT and the total
    /// are the client's clocks, from sending the request (the total so it
    /// counts what the caller waited, connection and queueing included, which
    /// `total_duration` does not).
    func metrics(ended: ContinuousClock.Instant) -> ModelCallMetrics {
        var perSecond: Double?
        if let count = last?.evalCount, let nanoseconds = last?.evalDuration, nanoseconds > 0 {
            perSecond = Double(count) / (Double(nanoseconds) / 1e9)
        }
        return ModelCallMetrics(
            ttftMilliseconds: firstContent.map { CallDeadline.milliseconds($0 - started) },
            tokensPerSecond: perSecond,
            tokensGenerated: last?.evalCount,
            promptTokens: last?.promptEvalCount,
            promptEvalMilliseconds: last?.promptEvalDuration.map(Self.milliseconds),
            evalMilliseconds: last?.evalDuration.map(Self.milliseconds),
            loadMilliseconds: last?.loadDuration.map(Self.milliseconds),
            totalMilliseconds: CallDeadline.milliseconds(ended - started)
        )
    }

    private static func milliseconds(_ nanoseconds: Int64) -> Double {
        Double(nanoseconds) / 1e6
    }
}
