import Foundation
import ModelInterface

/// What the chunks of one streamed chat completion add up to: the text, the
/// clocks for TTFT, and the server's own figures (llama.cpp `timings`, `usage`).
struct ChatStream {
    let started: ContinuousClock.Instant
    private(set) var text = ""
    private(set) var firstContent: ContinuousClock.Instant?
    private(set) var finishReason: String?
    /// `data: [DONE]` arrived: the stream is complete.
    private(set) var isDone = false
    private(set) var sawChunk = false
    private var usage: ChatCompletionChunk.Usage?
    private var timings: ChatCompletionChunk.Timings?
    private let decoder: JSONDecoder

    init(started: ContinuousClock.Instant) {
        self.started = started
        decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
    }

    /// A complete reply: `[DONE]` seen, or a finish reason (some servers omit `[DONE]`).
    var isComplete: Bool { isDone || finishReason != nil }

    /// Takes one `data:` payload.
    mutating func take(data payload: String) throws(ModelCallError) {
        if payload.trimmingCharacters(in: .whitespaces) == "[DONE]" {
            isDone = true
            return
        }
        let chunk: ChatCompletionChunk
        do {
            chunk = try decoder.decode(ChatCompletionChunk.self, from: Data(payload.utf8))
        } catch {
            throw .invalidReply("a stream chunk is not JSON: \(ModelCallError.oneLine(payload, limit: 80))")
        }
        try take(chunk)
    }

    /// Takes one decoded chunk (or a whole non-streamed completion).
    mutating func take(_ chunk: ChatCompletionChunk) throws(ModelCallError) {
        sawChunk = true
        if let error = chunk.error {
            if error.isContextOverflow { throw .contextOverflow(promptTokens: error.nPromptTokens, contextSize: error.nCtx) }
            throw .serverError(ModelCallError.oneLine(error.message ?? "unspecified error"))
        }
        for choice in chunk.choices ?? [] {
            if let content = choice.delta?.content ?? choice.message?.content, !content.isEmpty {
                if firstContent == nil { firstContent = ContinuousClock.now }
                text += content
            }
            if let reason = choice.finishReason { finishReason = reason }
        }
        if let usage = chunk.usage { self.usage = usage }
        if let timings = chunk.timings { self.timings = timings }
    }

    /// The call's figures: the server's where it gives them, the client's clocks otherwise.
    func metrics(ended: ContinuousClock.Instant) -> ModelCallMetrics {
        let generated = timings?.predictedN ?? usage?.completionTokens
        // `usage.prompt_tokens` counts the whole prompt; llama.cpp's prompt_n only what was not cached.
        // (Added without trapping: both come from the reply, whatever they say.)
        let prompt =
            usage?.promptTokens
            ?? timings?.promptN.flatMap { uncached in
                let (sum, overflow) = uncached.addingReportingOverflow(timings?.cacheN ?? 0)
                return overflow ? nil : sum
            }
        let evalMilliseconds = timings?.predictedMs ?? firstContent.map { CallDeadline.milliseconds(ended - $0) }
        var perSecond = timings?.predictedPerSecond
        if perSecond == nil, let generated, let evalMilliseconds, evalMilliseconds > 0 {
            perSecond = Double(generated) / evalMilliseconds * 1000
        }
        return ModelCallMetrics(
            ttftMilliseconds: firstContent.map { CallDeadline.milliseconds($0 - started) },
            tokensPerSecond: perSecond,
            tokensGenerated: generated,
            promptTokens: prompt,
            promptEvalMilliseconds: timings?.promptMs,
            evalMilliseconds: evalMilliseconds,
            loadMilliseconds: nil,
            totalMilliseconds: CallDeadline.milliseconds(ended - started)
        )
    }
}
