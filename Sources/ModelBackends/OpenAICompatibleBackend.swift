import AsyncHTTPClient
import Foundation
import Logging
import Synchronization
import ModelInterface

/// A server speaking OpenAI's chat completions: llama.cpp's `llama-server`,
/// vLLM, LM Studio. Checks `/health`, reads the context size from
/// `/props` (llama.cpp), then streams `POST /v1/chat/completions` as SSE.
///
/// One `HTTPClient` per backend (`ModelHTTPClient`), so connections are
/// reused between reports; call `shutdown()` before dropping it.
package final class OpenAICompatibleBackend: ModelBackend {
    package let identity: ModelIdentity
    /// The configured options; a request's own options override them one by one.
    package let options: ModelOptions
    private let http: ModelHTTPClient
    private let state = Mutex(ServerState())

    /// What the backend learnt about its server, kept between calls.
    private struct ServerState {
        /// nil: not asked yet; `.some(nil)`: the server does not say (not llama.cpp).
        var contextSize: Int??
        var format: ResponseFormat = .jsonSchema
    }

    /// - Parameters:
    ///   - baseURL: the server, e.g. `http://127.0.0.1:8080` (a trailing `/v1` is accepted).
    ///   - connectTimeout: how long a connection may take; refused connections fail at once.
    ///   - readTimeout: the longest silence allowed between bytes of a reply.
    package init(
        baseURL: String, model: String, options: ModelOptions = ModelOptions(),
        connectTimeout: Duration = .seconds(3), readTimeout: Duration = .seconds(60),
        logger: Logger = Logger(label: "chimerad.model.openai")
    ) {
        let base = ModelHTTPClient.base(of: baseURL, droppingAPIPath: "/v1")
        self.options = options
        http = ModelHTTPClient(base: base, connectTimeout: connectTimeout, readTimeout: readTimeout, logger: logger)
        identity = ModelIdentity(backend: "openai", baseURL: base, model: model, options: options.summary)
    }

    /// Closes the connections; the backend is unusable afterwards.
    package func shutdown() async {
        await http.shutdown()
    }

    package func generate(_ request: ModelRequest) async throws(ModelCallError) -> ModelReply {
        let deadline = CallDeadline(budget: request.timeout)
        let options = request.options.filling(from: options)
        return try await deadline.run { () async throws(ModelCallError) -> ModelReply in
            try await self.waitUntilHealthy(deadline)
            let contextSize = try await self.contextSize(deadline) ?? options.contextSize
            if let contextSize { try request.checkFits(contextSize: contextSize) }
            return try await self.complete(request, options: options, deadline: deadline)
        }
    }

    /// `GET /health` until it is OK, within `timeout`; for callers that start
    /// the server and must wait for its model to load.
    package func waitUntilHealthy(timeout: Duration) async throws(ModelCallError) {
        let deadline = CallDeadline(budget: timeout)
        try await deadline.run { () async throws(ModelCallError) in try await self.waitUntilHealthy(deadline) }
    }

    // MARK: - The exchanges

    /// llama.cpp answers 503 while its model loads: wait for it. vLLM and LM
    /// Studio have no `/health` (404): their chat endpoint is the test.
    private func waitUntilHealthy(_ deadline: CallDeadline) async throws(ModelCallError) {
        while true {
            let response = try await http.send(http.get("/health"), deadline: deadline)
            let code = Int(response.status.code)
            if (200..<300).contains(code) || code == 404 { return }
            let body = try await http.collect(response, deadline: deadline)
            guard code == 503 else { throw .httpStatus(code: code, message: ServerErrorBody(bytes: body).message) }
            http.logger.debug("model server not ready yet", metadata: ["url": "\(http.base)/health"])
            do {
                try await Task.sleep(for: .milliseconds(250))
            } catch {
                throw .timedOut(after: deadline.budget)
            }
        }
    }

    /// The server's context size from llama.cpp's `/props`, asked once; nil when the server does not say.
    private func contextSize(_ deadline: CallDeadline) async throws(ModelCallError) -> Int? {
        if let known = state.withLock({ $0.contextSize }) { return known }
        let response = try await http.send(http.get("/props"), deadline: deadline)
        let body = try await http.collect(response, deadline: deadline)
        var size: Int?
        if response.status.code == 200, let props = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] {
            let settings = props["default_generation_settings"] as? [String: Any]
            size = (settings?["n_ctx"] as? Int) ?? (props["n_ctx"] as? Int)
        }
        state.withLock { $0.contextSize = .some(size) }
        return size
    }

    /// The chat completion, asking for the reply's shape as strongly as the
    /// server accepts: a 400 to `json_schema` is retried once with
    /// `json_object`, then once with no `response_format`.
    private func complete(_ request: ModelRequest, options: ModelOptions, deadline: CallDeadline) async throws(ModelCallError) -> ModelReply {
        guard request.schema != nil else {
            return try await stream(request, options: options, format: .none, deadline: deadline)
        }
        let (reply, format) = try await http.withWeakerFormats(from: state.withLock { $0.format }) { format throws(ModelCallError) in
            try await stream(request, options: options, format: format, deadline: deadline)
        }
        state.withLock { $0.format = format }
        return reply
    }

    private func stream(
        _ request: ModelRequest, options: ModelOptions, format: ResponseFormat, deadline: CallDeadline
    ) async throws(ModelCallError) -> ModelReply {
        let body = ChatCompletionBody.make(model: identity.model, request: request, options: options, format: format)
        let post = http.post("/v1/chat/completions", json: body, accept: "text/event-stream")

        var chat = ChatStream(started: .now)
        let response = try await http.send(post, deadline: deadline)
        let code = Int(response.status.code)
        guard code == 200 else {
            throw failure(code: code, body: try await http.collect(response, deadline: deadline))
        }

        // A server that ignored `stream: true` sends one JSON completion.
        if response.headers.first(name: "Content-Type")?.lowercased().contains("application/json") == true {
            let bytes = try await http.collect(response, deadline: deadline)
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            guard let whole = try? decoder.decode(ChatCompletionChunk.self, from: Data(bytes)) else {
                throw .invalidReply("the body is not a chat completion: \(ModelCallError.oneLine(String(decoding: bytes.prefix(80), as: UTF8.self)))")
            }
            try chat.take(whole)
            return try reply(chat)
        }

        var events = ServerSentEvents()
        do {
            reading: for try await buffer in response.body {
                for event in events.feed(buffer.readableBytesView) {
                    try take(event, into: &chat)
                    if chat.isDone { break reading }
                }
            }
            if !chat.isDone {
                for event in events.finish() { try take(event, into: &chat) }
            }
        } catch {
            throw http.transportFailure(error, deadline: deadline, streamed: chat.text.count)
        }
        if !chat.isComplete {
            if !chat.sawChunk, let stray = events.strayLines.first {
                throw .invalidReply("not an event stream: \(ModelCallError.oneLine(stray, limit: 80))")
            }
            throw .streamClosedEarly(receivedCharacters: chat.text.count)
        }
        return try reply(chat)
    }

    private func take(_ event: ServerSentEvents.Event, into chat: inout ChatStream) throws(ModelCallError) {
        switch event {
        case .data(let payload): try chat.take(data: payload)
        case .error(let payload): try chat.take(ChatCompletionChunk(error: ServerErrorBody(bytes: Array(payload.utf8)).detail))
        }
    }

    private func reply(_ chat: ChatStream) throws(ModelCallError) -> ModelReply {
        guard !chat.text.isEmpty else { throw .invalidReply("the reply has no text") }
        return ModelReply(text: chat.text, metrics: chat.metrics(ended: .now), finishReason: chat.finishReason)
    }

    // MARK: - Errors

    /// An error status, in the server's words.
    private func failure(code: Int, body: [UInt8]) -> ModelCallError {
        let error = ServerErrorBody(bytes: body)
        if error.detail.isContextOverflow {
            return .contextOverflow(promptTokens: error.detail.nPromptTokens, contextSize: error.detail.nCtx)
        }
        if code == 404 || error.detail.isModelNotFound {
            return .modelNotFound(model: identity.model, message: error.message)
        }
        return .httpStatus(code: code, message: error.message)
    }
}
