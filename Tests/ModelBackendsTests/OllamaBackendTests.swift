import Foundation
import ModelBackends
import Narration
import TestSupport
import Testing
import ModelInterface

/// The Ollama backend against a loopback server replaying recorded
/// `/api/chat` replies (`OllamaFixtures`): what a good stream becomes, what
/// the request carries, and each fault as the `ModelCallError` the report shows.
@Suite("Ollama backend, scripted server")
struct OllamaBackendTests {
    typealias Fixtures = OllamaFixtures

    static let request = ModelRequest(
        system: "You are terse.", user: "Say what the figures show.", schema: NarrativeFixture.prompt.outputSchema,
        schemaName: NarrativePrompt.outputSchemaName, options: ModelOptions(maxTokens: 256),
        // Generous: the whole suite shares two cores, and other tests may hold
        // both for a minute on a loaded machine; what the tests bound is far below it.
        timeout: .seconds(600)
    )

    static func backend(
        _ url: String, options: ModelOptions = ModelOptions(), readTimeout: Duration = .seconds(30)
    ) -> OllamaBackend {
        OllamaBackend(baseURL: url, model: Fixtures.model, options: options, readTimeout: readTimeout)
    }

    /// What `generate` gave; the backend is shut down after.
    static func call(_ backend: OllamaBackend, _ request: ModelRequest = request) async -> Result<ModelReply, ModelCallError> {
        let result: Result<ModelReply, ModelCallError>
        do throws(ModelCallError) {
            result = .success(try await backend.generate(request))
        } catch {
            result = .failure(error)
        }
        await backend.shutdown()
        return result
    }

    /// The error of a call that must fail.
    static func failure(_ backend: OllamaBackend, _ request: ModelRequest = request) async -> ModelCallError? {
        let result = await call(backend, request)
        guard case .failure(let error) = result else { return nil }
        return error
    }

    /// A request body the server received, as JSON.
    static func body(_ request: LoopbackServer.Request?) throws -> [String: Any] {
        let text = try #require(request?.body)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// JSON text with sorted keys, to compare parsed objects.
    static func canonical(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// `keep_alive` in seconds (`-1`: for ever, as Ollama's docs write it)
    /// goes as a number, which Ollama reads; as text it is a duration only
    /// with a unit, and Ollama refused the call.
    @Test("keep_alive in seconds is sent as a number, a duration as text")
    func keepAliveInSecondsIsANumber() async throws {
        for (keepAlive, sent) in [("-1", "-1"), ("300", "300"), ("45m", "\"45m\"")] {
            let server = try LoopbackServer { _, _ in
                Fixtures.stream([Fixtures.contentLines.joined(separator: "\n") + "\n" + Fixtures.finalLine + "\n"])
            }
            defer { server.stop() }
            let backend = OllamaBackend(baseURL: server.url, model: Fixtures.model, options: ModelOptions(), keepAlive: keepAlive)
            _ = await Self.call(backend)
            let json = try Self.body(server.requests.first)
            let value = try #require(json["keep_alive"])
            #expect(String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]), as: UTF8.self) == sent)
        }
    }

    @Test("a stream in pieces: text, figures from ns to ms, tok/s over eval time, TTFT, and the request's fields")
    func goodStream() async throws {
        let second = Fixtures.contentLines[1]
        let cut = second.index(second.startIndex, offsetBy: 40)
        // One line and half of the next, then the rest with two lines, a CRLF and a blank line.
        let pieces: [String] = [
            Fixtures.contentLines[0] + "\n" + String(second[..<cut]),
            String(second[cut...]) + "\n" + Fixtures.contentLines[2] + "\r\n\r\n" + Fixtures.finalLine + "\n",
        ]
        let pause = Duration.milliseconds(30)
        let server = try LoopbackServer { _, _ in Fixtures.stream(pieces, pause: pause) }
        defer { server.stop() }
        let options = ModelOptions(temperature: 0, seed: 42, contextSize: 2048, gpuLayers: 99)
        let backend = Self.backend(server.url + "/", options: options)
        #expect(
            backend.identity
                == ModelIdentity(
                    backend: "ollama", baseURL: server.url, model: Fixtures.model, options: "num_gpu=99, num_ctx=2048, temp=0, seed=42"
                ))

        let result = await Self.call(backend)
        let reply = try result.get()
        #expect(reply.text == Fixtures.replyText)
        #expect(reply.finishReason == "stop")
        let metrics = reply.metrics
        #expect(metrics.tokensGenerated == 24)
        #expect(abs((metrics.tokensPerSecond ?? 0) - 24 / 0.296402) < 1e-9)
        #expect(metrics.promptTokens == 318)
        #expect(metrics.promptEvalMilliseconds == 603.118)
        #expect(metrics.evalMilliseconds == 296.402)
        #expect(metrics.loadMilliseconds == 912.443708)
        // The first content is written one pause after the head, the last line a pause later.
        let ttft = try #require(metrics.ttftMilliseconds)
        let total = try #require(metrics.totalMilliseconds)
        #expect(ttft >= 30)
        #expect(total >= 60)
        #expect(total >= ttft)

        #expect(server.requests.map(\.method) == ["POST"])
        #expect(server.requests.map(\.path) == ["/api/chat"])
        let json = try Self.body(server.requests.first)
        #expect(json["model"] as? String == Fixtures.model)
        #expect(json["stream"] as? Bool == true)
        #expect(json["keep_alive"] as? String == "30m")
        let messages = try #require(json["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "user"])
        #expect(messages.map { $0["content"] as? String } == ["You are terse.", "Say what the figures show."])
        let sent = try #require(json["options"] as? [String: Any])
        #expect(Set(sent.keys) == ["num_gpu", "num_ctx", "temperature", "seed", "num_predict"])
        #expect(sent["num_gpu"] as? Int == 99)
        #expect(sent["num_ctx"] as? Int == 2048)
        #expect(sent["temperature"] as? Double == 0)
        #expect(sent["seed"] as? Int == 42)
        #expect(sent["num_predict"] as? Int == 256)
        let schema = try JSONSerialization.jsonObject(with: Data(NarrativeFixture.prompt.outputSchema.text.utf8))
        #expect(try Self.canonical(try #require(json["format"])) == Self.canonical(schema))
    }

    @Test("a cached prompt: no prompt_eval_count, so no prompt figures; num_ctx defaults to 4096")
    func cachedPrompt() async throws {
        let server = try LoopbackServer { _, _ in
            Fixtures.stream([Fixtures.lines(Fixtures.contentLines + [Fixtures.finalLineCachedPrompt])], pause: .zero)
        }
        defer { server.stop() }
        let backend = Self.backend(server.url)
        #expect(backend.identity.options == "num_ctx=4096")
        #expect(OllamaBackend.defaultContextSize == 4096)
        var request = Self.request
        request.schema = nil
        let reply = try await Self.call(backend, request).get()
        #expect(reply.text == Fixtures.replyText)
        #expect(reply.finishReason == "length")
        #expect(reply.metrics.promptTokens == nil)
        #expect(reply.metrics.promptEvalMilliseconds == nil)
        #expect(reply.metrics.tokensGenerated == 16)
        #expect(abs((reply.metrics.tokensPerSecond ?? 0) - 16 / 0.198775) < 1e-9)
        #expect(reply.metrics.loadMilliseconds == 10.482)

        let json = try Self.body(server.requests.first)
        #expect(json["options"] as? [String: Int] == ["num_ctx": 4096, "num_predict": 256])
        #expect(json["format"] == nil)
    }

    @Test("404 for a model the server lacks: model not found, in Ollama's words")
    func modelNotFound() async throws {
        let server = try LoopbackServer { _, _ in LoopbackServer.http("404 Not Found", json: Fixtures.modelNotFound) }
        defer { server.stop() }
        let error = await Self.failure(Self.backend(server.url))
        #expect(error == .modelNotFound(model: Fixtures.model, message: #"model "gemma3:270m" not found, try pulling it first"#))
        #expect(error?.description == #"model not found: gemma3:270m (model "gemma3:270m" not found, try pulling it first)"#)
    }

    @Test("other error statuses keep the status; Ollama's context wording is a context overflow")
    func errorStatuses() async throws {
        let server = try LoopbackServer { _, index in
            index == 0
                ? LoopbackServer.http("404 Not Found", json: "404 page not found")
                : LoopbackServer.http("500 Internal Server Error", json: #"{"error":"input exceeds context length"}"#)
        }
        defer { server.stop() }
        #expect(await Self.failure(Self.backend(server.url)) == .httpStatus(code: 404, message: "404 page not found"))
        #expect(await Self.failure(Self.backend(server.url)) == .contextOverflow(promptTokens: nil, contextSize: 4096))
        // Neither is a rejected format: one request each.
        #expect(server.requests.count == 2)
    }

    @Test("an error line mid-stream: the server's message")
    func errorMidStream() async throws {
        let server = try LoopbackServer { _, _ in
            Fixtures.stream([Fixtures.lines([Fixtures.contentLines[0], Fixtures.midStreamError])], pause: .zero)
        }
        defer { server.stop() }
        let error = await Self.failure(Self.backend(server.url))
        #expect(error == .serverError("an error was encountered while running the model: unexpected EOF"))
    }

    @Test("a stream that ends, or is cut, before done: closed early, with what had arrived", arguments: [true, false])
    func endsBeforeDone(terminated: Bool) async throws {
        let server = try LoopbackServer { _, _ in
            Fixtures.stream([Fixtures.lines(Array(Fixtures.contentLines.prefix(2)))], terminated: terminated, pause: .zero)
        }
        defer { server.stop() }
        let error = await Self.failure(Self.backend(server.url))
        // `{"summary":` and ` "gemma3 decodes at`.
        #expect(error == .streamClosedEarly(receivedCharacters: 30))
    }

    @Test("a line that is not JSON: invalid reply quoting it")
    func garbage() async throws {
        let page = LoopbackServer.Answer.bytes(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html>\nnot a model\n</html>\n")
        let server = try LoopbackServer { _, _ in page }
        defer { server.stop() }
        let error = await Self.failure(Self.backend(server.url))
        #expect(error == .invalidReply("a stream line is not JSON: <html>"))
    }

    @Test("done with no text: invalid reply")
    func emptyReply() async throws {
        let server = try LoopbackServer { _, _ in Fixtures.stream([Fixtures.lines([Fixtures.finalLine])], pause: .zero) }
        defer { server.stop() }
        #expect(await Self.failure(Self.backend(server.url)) == .invalidReply("the reply has no text"))
    }

    // How long a failed call took is not asserted: the error names what
    // ended it (a refusal, the read timeout, the request's own budget, never
    // the 600 s default), and on two cores beside a CPU-bound process the
    // suite's CPU-bound tests have held its threads for 40 s.

    @Test("nothing listening: unreachable, connection refused, at once")
    func refused() async throws {
        let port = try LoopbackServer.closedPort()
        let result = await Self.call(Self.backend("http://127.0.0.1:\(port)"))
        #expect(throws: ModelCallError.unreachable(url: "http://127.0.0.1:\(port)", reason: "connection refused", cause: .refused)) {
            try result.get()
        }
    }

    @Test("headers, then silence: the read timeout ends the call")
    func readTimeout() async throws {
        let server = try LoopbackServer { _, _ in .bytesThenHang(Fixtures.streamHead) }
        defer { server.stop() }
        let result = await Self.call(Self.backend(server.url, readTimeout: .milliseconds(300)))
        #expect(throws: ModelCallError.timedOut(after: .milliseconds(300))) { try result.get() }
    }

    @Test("no answer at all: the call's deadline ends it")
    func deadline() async throws {
        let server = try LoopbackServer { _, _ in .bytesThenHang("") }
        defer { server.stop() }
        var request = Self.request
        request.timeout = .milliseconds(400)
        let result = await Self.call(Self.backend(server.url), request)
        #expect(throws: ModelCallError.timedOut(after: .milliseconds(400))) { try result.get() }
    }

    @Test("a prompt over num_ctx fails before anything is sent")
    func contextOverflow() async throws {
        let server = try LoopbackServer { _, _ in Fixtures.stream([Fixtures.lines(Fixtures.contentLines + [Fixtures.finalLine])]) }
        defer { server.stop() }
        var request = Self.request
        request.user = String(repeating: "throughput and latency figures ", count: 40)
        let error = await Self.failure(Self.backend(server.url, options: ModelOptions(contextSize: 64)), request)
        #expect(error == .contextOverflow(promptTokens: request.estimatedPromptTokens, contextSize: 64))
        #expect(request.estimatedPromptTokens > 64)
        #expect(server.requests.isEmpty)
    }

    @Test("a 400 to the schema is retried with \"json\", and a 400 to that without format")
    func schemaFallback() async throws {
        let rejected = LoopbackServer.http("400 Bad Request", json: Fixtures.schemaRejected)
        let good = Fixtures.stream([Fixtures.lines(Fixtures.contentLines + [Fixtures.finalLine])], pause: .zero)
        // Rejects the schema, then "json" once; then answers everything.
        let server = try LoopbackServer { _, index in index < 2 ? rejected : good }
        defer { server.stop() }
        let reply = try await Self.call(Self.backend(server.url)).get()
        #expect(reply.text == Fixtures.replyText)

        let formats = try server.requests.map { request -> String in
            let format = try Self.body(request)["format"]
            return format.map { ($0 as? String) ?? "schema" } ?? "none"
        }
        #expect(formats == ["schema", "json", "none"])
    }

    @Test("a 400 to the schema, then \"json\" accepted: the next call asks with \"json\" at once")
    func schemaFallbackRemembered() async throws {
        let rejected = LoopbackServer.http("400 Bad Request", json: Fixtures.schemaRejected)
        let good = Fixtures.stream([Fixtures.lines(Fixtures.contentLines + [Fixtures.finalLine])], pause: .zero)
        let server = try LoopbackServer { _, index in index == 0 ? rejected : good }
        defer { server.stop() }
        let backend = Self.backend(server.url)
        var texts: [String?] = []
        for _ in 0..<2 { texts.append(try? await backend.generate(Self.request).text) }
        await backend.shutdown()
        #expect(texts == [Fixtures.replyText, Fixtures.replyText])
        let formats = try server.requests.map { try Self.body($0)["format"] as? String }
        #expect(formats == [nil, "json", "json"])
    }
}
