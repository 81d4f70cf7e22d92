import Foundation
import ModelBackends
import Narration
import Testing
import ModelInterface

extension RealLlamaServer {
    /// The managed backend against a real llama-server: it starts, the reply
    /// streams, and the metrics the report's `model_call` needs are all there.
    @Suite("Managed llama-server answers")
    struct Answers {
        @Test(
            "Gemma 3 270M: start, /health OK, a narrative with TTFT, tokens/s and token counts; a prompt over n_ctx overflows",
            .timeLimit(.minutes(4)))
        func gemma() async throws {
            let installation = try #require(LlamaServer.gemma)
            let server = ManagedLlamaServer(
                installation: installation, contextSize: 2048, options: ModelOptions(temperature: 0, seed: 1), priority: .normal)
            #expect(server.identity.baseURL == ManagedLlamaServer.notStarted)
            #expect(server.identity.backend == "managed")
            #expect(server.identity.model == "gemma3-270m")
            #expect(server.identity.options.contains("num_ctx=2048"))
            #expect(server.identity.options.contains("num_thread=\(ManagedLlamaServer.defaultThreads)"))

            let began = ContinuousClock.now
            do {
                try await server.start()
            } catch {
                Issue.record("start failed: \(error)")
                await server.shutdown()
                return
            }
            print("managed llama-server (gemma3-270m): ready in \(LlamaServer.seconds(ContinuousClock.now - began))")
            let port = try #require(await server.port)
            let pid = try #require(await server.processID)
            #expect(server.identity.baseURL == "http://127.0.0.1:\(port)")
            #expect(await server.isReady)

            // /health answers OK at once: the model is loaded.
            let probe = OpenAICompatibleBackend(baseURL: server.identity.baseURL, model: "gemma3-270m")
            do throws(ModelCallError) {
                try await probe.waitUntilHealthy(timeout: .seconds(5))
            } catch {
                Issue.record("/health is not OK after start: \(error)")
            }
            await probe.shutdown()

            do throws(ModelCallError) {
                let reply = try await server.generate(LlamaServer.narrativeRequest(maxTokens: 48))
                let metrics = reply.metrics
                print(
                    "managed llama-server: prompt \(metrics.promptTokens ?? -1) tokens, TTFT \(metrics.ttftMilliseconds ?? -1) ms, "
                        + "\(metrics.tokensGenerated ?? -1) tokens at \(metrics.tokensPerSecond ?? -1) tok/s, "
                        + "total \(metrics.totalMilliseconds ?? -1) ms, finish \(reply.finishReason ?? "-")"
                )
                #expect(!reply.text.isEmpty)
                // json_schema is accepted: the constrained reply starts as the schema's object.
                #expect(reply.text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{"))
                #expect((metrics.tokensGenerated ?? 0) > 0)
                #expect((metrics.tokensGenerated ?? .max) <= 48)
                #expect((metrics.ttftMilliseconds ?? 0) > 0)
                #expect((metrics.tokensPerSecond ?? 0) > 0)
                #expect((metrics.promptTokens ?? 0) > 20)
                #expect(metrics.promptEvalMilliseconds != nil)
                #expect((metrics.totalMilliseconds ?? 0) >= (metrics.ttftMilliseconds ?? .infinity))
            } catch {
                Issue.record("generate failed: \(error)")
            }

            // A prompt over the server's n_ctx (2048, from /props) fails as a context overflow.
            var tooLong = LlamaServer.narrativeRequest()
            tooLong.user = String(repeating: "throughput ", count: 2500)
            do throws(ModelCallError) {
                _ = try await server.generate(tooLong)
                Issue.record("a prompt over n_ctx was accepted")
            } catch {
                if case .contextOverflow(_, 2048) = error {} else { Issue.record("expected a context overflow against 2048 tokens, got \(error)") }
            }
            #expect(await server.processID == pid, "an overflow must not restart the server")

            await server.shutdown()
            #expect(LlamaServer.isGone(pid))
        }

        @Test("SmolLM2-135M-Instruct, the other managed model, answers too", .timeLimit(.minutes(4)))
        func smollm() async throws {
            let installation = try #require(LlamaServer.smollm)
            #expect(installation.modelName == "smollm2-135m")
            let server = ManagedLlamaServer(
                installation: installation, contextSize: 2048, options: ModelOptions(temperature: 0, seed: 1), priority: .normal)
            do throws(ModelCallError) {
                let reply = try await server.generate(LlamaServer.narrativeRequest(maxTokens: 32))
                #expect(!reply.text.isEmpty)
                #expect((reply.metrics.tokensGenerated ?? 0) > 0)
            } catch {
                Issue.record("generate (starting lazily) failed: \(error)")
            }
            await server.shutdown()
        }
    }
}
