import Foundation
import Synchronization
import ModelBackends
import Narration
import TestSupport
import Testing
import ModelInterface

/// The backend against a scripted loopback server: what a good llama.cpp
/// stream becomes, and each fault as the `ModelCallError` the report shows.
@Suite("OpenAI-compatible backend, scripted server")
struct OpenAICompatibleBackendTests {
    static let health = LoopbackServer.http("200 OK", json: #"{"status":"ok"}"#)
    static let noProps = LoopbackServer.http("404 Not Found", json: #"{"error":{"code":404,"message":"File Not Found"}}"#)

    static func chunk(_ content: String) -> String {
        #"data: {"choices":[{"index":0,"delta":{"content":"\#(content)"},"finish_reason":null}],"object":"chat.completion.chunk"}"#
    }

    static let finalChunk = #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"object":"chat.completion.chunk"}"#
    static let timingsChunk =
        #"data: {"choices":[],"usage":{"completion_tokens":3,"prompt_tokens":44,"total_tokens":47},"timings":{"cache_n":4,"prompt_n":40,"prompt_ms":219.5,"predicted_n":3,"predicted_ms":60.0,"predicted_per_second":50.0}}"#

    /// Routes `/health` and `/props` as llama-server would, the chat endpoint to `chat`.
    static func server(props: LoopbackServer.Answer = noProps, chat: @escaping @Sendable (Int) -> LoopbackServer.Answer) throws -> LoopbackServer {
        let counter = Mutex(0)
        return try LoopbackServer { request, _ in
            switch request.path {
            case "/health": return health
            case "/props": return props
            default:
                let index = counter.withLock {
                    $0 += 1
                    return $0 - 1
                }
                return chat(index)
            }
        }
    }

    static let request = ModelRequest(
        system: "You are terse.", user: "Say hi.", schema: NarrativeFixture.prompt.outputSchema,
        schemaName: NarrativePrompt.outputSchemaName, options: ModelOptions(temperature: 0, maxTokens: 16),
        // Generous: the whole test suite shares two cores, and a call whose
        // answer is ready can wait for a thread to resume it as long as other
        // tests hold both (beside a CPU-bound process, a CI run saw every
        // test stall for a minute, and this budget end a call answered at once).
        // What the tests bound is far below it, each with its own budget.
        timeout: .seconds(600)
    )

    /// Runs `body` with a backend on `url`, always shutting its client down.
    static func withBackend<T>(
        _ url: String, readTimeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(3),
        _ body: (OpenAICompatibleBackend) async throws -> T
    ) async throws -> T {
        let backend = OpenAICompatibleBackend(baseURL: url, model: "gemma3:270m", connectTimeout: connectTimeout, readTimeout: readTimeout)
        do {
            let result = try await body(backend)
            await backend.shutdown()
            return result
        } catch {
            await backend.shutdown()
            throw error
        }
    }

    /// The error `generate` throws, if it throws one.
    static func failure(
        of request: ModelRequest = request, at url: String, readTimeout: Duration = .seconds(30)
    ) async throws -> ModelCallError? {
        try await withBackend(url, readTimeout: readTimeout) { backend in
            do {
                _ = try await backend.generate(request)
                return nil
            } catch let error as ModelCallError {
                return error
            }
        }
    }

    @Test("a llama.cpp stream: text, finish reason, metrics from timings, the request's fields")
    func goodStream() async throws {
        let server = try Self.server { _ in
            LoopbackServer.eventStream([
                Self.chunk("{\\\"summary\\\":"), Self.chunk(" \\\"hi\\\"}"), Self.finalChunk, Self.timingsChunk, "data: [DONE]",
            ])
        }
        defer { server.stop() }
        let reply = try await Self.withBackend(server.url) { try await $0.generate(Self.request) }
        #expect(reply.text == #"{"summary": "hi"}"#)
        #expect(reply.finishReason == "stop")
        #expect(reply.metrics.tokensGenerated == 3)
        #expect(reply.metrics.tokensPerSecond == 50)
        #expect(reply.metrics.promptTokens == 44)
        #expect(reply.metrics.promptEvalMilliseconds == 219.5)
        #expect(reply.metrics.evalMilliseconds == 60)
        #expect(reply.metrics.loadMilliseconds == nil)
        #expect((reply.metrics.ttftMilliseconds ?? 0) > 0)
        #expect((reply.metrics.totalMilliseconds ?? 0) >= (reply.metrics.ttftMilliseconds ?? 0))

        #expect(server.requests.map(\.path) == ["/health", "/props", "/v1/chat/completions"])
        let body = try #require(server.requests.last?.body)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(json["stream"] as? Bool == true)
        #expect(json["model"] as? String == "gemma3:270m")
        #expect(json["max_tokens"] as? Int == 16)
        #expect(json["temperature"] as? Double == 0)
        #expect((json["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        #expect((json["messages"] as? [[String: Any]])?.map { $0["role"] as? String } == ["system", "user"])
        let format = try #require(json["response_format"] as? [String: Any])
        #expect(format["type"] as? String == "json_schema")
        #expect((format["json_schema"] as? [String: Any])?["name"] as? String == NarrativePrompt.outputSchemaName)
    }

    @Test("a reply's absurd timings are no figures: nothing traps where they become whole numbers")
    func absurdTimings() async throws {
        let absurd =
            #"data: {"choices":[],"timings":{"cache_n":9223372036854775807,"prompt_n":9223372036854775807,"prompt_ms":1e300,"predicted_n":-3,"predicted_ms":1e300,"predicted_per_second":1e308}}"#
        let server = try Self.server { _ in
            LoopbackServer.eventStream([
                Self.chunk("{\\\"summary\\\":"), Self.chunk(" \\\"hi\\\"}"), Self.finalChunk, absurd, "data: [DONE]",
            ])
        }
        defer { server.stop() }
        let reply = try await Self.withBackend(server.url) { try await $0.generate(Self.request) }
        #expect(reply.text == #"{"summary": "hi"}"#)
        #expect(reply.metrics.evalMilliseconds == nil || (reply.metrics.evalMilliseconds ?? 0) < 1e12)
        #expect(reply.metrics.promptEvalMilliseconds == nil)
        #expect(reply.metrics.promptTokens == nil)
        #expect(reply.metrics.tokensGenerated == nil)
        #expect(reply.metrics.tokensPerSecond == nil || (reply.metrics.tokensPerSecond ?? 0) < 1e12)
        // Two such calls, summed and written to the journal as whole milliseconds.
        let call = ModelCall(attempt: 1, outcome: .drafted, metrics: reply.metrics)
        var outcome = NarrativeOutcome.unavailable(
            "unusable", model: ModelIdentity(backend: "openai", baseURL: server.url, model: "gemma3:270m", options: ""))
        outcome.calls = [call, call]
        let fields = outcome.journalMetadata
        #expect(fields["model_calls"] == "2")
        #expect(fields["model_prompt_eval_ms"] == nil)
    }

    @Test("usage without timings: tokens/s from the client's clocks")
    func usageOnly() async throws {
        let usage = #"data: {"choices":[],"usage":{"completion_tokens":2,"prompt_tokens":9}}"#
        let server = try Self.server { _ in LoopbackServer.eventStream([Self.chunk("a"), Self.chunk("b"), Self.finalChunk, usage, "data: [DONE]"]) }
        defer { server.stop() }
        let reply = try await Self.withBackend(server.url) { try await $0.generate(Self.request) }
        #expect(reply.text == "ab")
        #expect(reply.metrics.tokensGenerated == 2)
        #expect(reply.metrics.promptTokens == 9)
        #expect(reply.metrics.promptEvalMilliseconds == nil)
        #expect(reply.metrics.evalMilliseconds != nil)
    }

    @Test("a 400 to json_schema is retried once with json_object, which is then remembered")
    func schemaFallback() async throws {
        let rejected = LoopbackServer.http(
            "400 Bad Request",
            json:
                #"{"error":{"code":400,"message":"response_format type must be one of \"text\" or \"json_object\"","type":"invalid_request_error"}}"#
        )
        let server = try Self.server { index in
            index == 0 ? rejected : LoopbackServer.eventStream([Self.chunk("{}"), Self.finalChunk, "data: [DONE]"])
        }
        defer { server.stop() }
        try await Self.withBackend(server.url) { backend in
            _ = try await backend.generate(Self.request)
            _ = try await backend.generate(Self.request)
        }
        let formats = server.requests.filter { $0.path == "/v1/chat/completions" }.map { request -> String? in
            let json = try? JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any]
            return (json?["response_format"] as? [String: Any])?["type"] as? String
        }
        #expect(formats == ["json_schema", "json_object", "json_object"])
    }

    @Test("nothing listening: unreachable, connection refused, at once")
    func refused() async throws {
        let port = try LoopbackServer.closedPort()
        // The error says the refusal ended the call, not its 600 s budget; how
        // long it took is the machine's (beside a CPU-bound process, the
        // suite's CPU-bound tests have held its two threads for 40 s).
        let error = try await Self.failure(at: "http://127.0.0.1:\(port)")
        #expect(error == .unreachable(url: "http://127.0.0.1:\(port)", reason: "connection refused", cause: .refused))
        #expect(error?.description == "model server unreachable at http://127.0.0.1:\(port): connection refused")
    }

    @Test("a server that accepts and never answers: timed out after the call's budget")
    func hangs() async throws {
        let server = try LoopbackServer { _, _ in .bytesThenHang("") }
        defer { server.stop() }
        var request = Self.request
        request.timeout = .milliseconds(800)
        let error = try await Self.failure(of: request, at: server.url)
        // The call's own 0.8 s budget ended it, whatever the machine's load made of the wait.
        #expect(error == .timedOut(after: .milliseconds(800)))
        #expect(error?.description == "model call timed out after 0.8 s")
    }

    @Test("a stream that goes quiet: the read timeout ends it")
    func readTimeout() async throws {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n" + Self.chunk("a") + "\n\n"
        let server = try Self.server { _ in .bytesThenHang(head) }
        defer { server.stop() }
        let error = try await Self.failure(at: server.url, readTimeout: .milliseconds(500))
        // The read timeout ended it, not the call's 600 s budget (the error names which).
        #expect(error == .timedOut(after: .milliseconds(500)))
    }

    @Test("a stream cut mid-reply: closed early, with what had arrived")
    func closesMidStream() async throws {
        let server = try Self.server { _ in LoopbackServer.chunkedStreamCut([Self.chunk("Hello"), Self.chunk(" wor")]) }
        defer { server.stop() }
        let error = try await Self.failure(at: server.url)
        #expect(error == .streamClosedEarly(receivedCharacters: 9))
    }

    @Test("a stream that simply ends without [DONE] or a finish reason: closed early")
    func endsWithoutDone() async throws {
        let server = try Self.server { _ in LoopbackServer.eventStream([Self.chunk("Hello")]) }
        defer { server.stop() }
        let error = try await Self.failure(at: server.url)
        #expect(error == .streamClosedEarly(receivedCharacters: 5))
    }

    @Test("garbage instead of an event stream: invalid reply")
    func garbage() async throws {
        let page = LoopbackServer.Answer.bytes(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html>\nnot a model\n</html>\n")
        let server = try Self.server { _ in page }
        defer { server.stop() }
        let error = try await Self.failure(at: server.url)
        #expect(error == .invalidReply("not an event stream: <html>"))
    }

    @Test("a data line that is not JSON: invalid reply naming it")
    func brokenChunk() async throws {
        let server = try Self.server { _ in LoopbackServer.eventStream([Self.chunk("a"), "data: {\"choices\":[{\"delta\":"]) }
        defer { server.stop() }
        let error = try await Self.failure(at: server.url)
        #expect(error == .invalidReply(#"a stream chunk is not JSON: {"choices":[{"delta":"#))
    }

    @Test("HTTP 500 with an error object: the status and the server's message")
    func serverError() async throws {
        let server = try Self.server { _ in
            LoopbackServer.http("500 Internal Server Error", json: #"{"error":{"code":500,"message":"slot unavailable","type":"server_error"}}"#)
        }
        defer { server.stop() }
        let error = try await Self.failure(at: server.url)
        #expect(error == .httpStatus(code: 500, message: "slot unavailable"))
        #expect(error?.description == "model server answered HTTP 500: slot unavailable")
    }

    @Test("llama.cpp's 400 for a prompt over n_ctx: context overflow with its figures, no format fallback")
    func contextOverflowFromServer() async throws {
        let body =
            #"{"error":{"code":400,"message":"request (3024 tokens) exceeds the available context size (2048 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":3024,"n_ctx":2048}}"#
        let server = try Self.server { _ in LoopbackServer.http("400 Bad Request", json: body) }
        defer { server.stop() }
        let error = try await Self.failure(at: server.url)
        #expect(error == .contextOverflow(promptTokens: 3024, contextSize: 2048))
        #expect(error?.description == "prompt of 3024 tokens exceeds the model's context of 2048 tokens")
        #expect(server.requests.filter { $0.path == "/v1/chat/completions" }.count == 1)
    }

    @Test("a prompt over /props' n_ctx fails before it is sent")
    func contextOverflowBeforeSending() async throws {
        let props = LoopbackServer.http("200 OK", json: #"{"default_generation_settings":{"n_ctx":64}}"#)
        let server = try Self.server(props: props) { _ in LoopbackServer.eventStream(["data: [DONE]"]) }
        defer { server.stop() }
        var request = Self.request
        request.user = String(repeating: "throughput and latency figures ", count: 40)
        let error = try await Self.failure(of: request, at: server.url)
        guard case .contextOverflow(let prompt, 64) = error else {
            Issue.record("expected a context overflow, got \(String(describing: error))")
            return
        }
        #expect((prompt ?? 0) > 64)
        #expect(!server.requests.contains { $0.path == "/v1/chat/completions" })
    }

    @Test("404 from the chat endpoint: model not found")
    func modelNotFound() async throws {
        let server = try Self.server { _ in
            LoopbackServer.http(
                "404 Not Found", json: #"{"error":{"message":"The model `gemma3:270m` does not exist.","type":"NotFoundError","code":404}}"#)
        }
        defer { server.stop() }
        let error = try await Self.failure(at: server.url)
        #expect(error == .modelNotFound(model: "gemma3:270m", message: "The model `gemma3:270m` does not exist."))
    }

    @Test("an error event inside a stream: the server's message")
    func errorMidStream() async throws {
        let server = try Self.server { _ in
            LoopbackServer.eventStream([Self.chunk("a"), #"data: {"error":{"code":500,"message":"decode failed"}}"#])
        }
        defer { server.stop() }
        let error = try await Self.failure(at: server.url)
        #expect(error == .serverError("decode failed"))
    }
}
