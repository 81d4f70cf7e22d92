import AsyncHTTPClient
import Logging
import Synchronization
import ModelInterface

/// An Ollama server: streams `POST /api/chat` as newline-delimited JSON,
/// with the reply's JSON schema as `format`, `num_ctx` always set and
/// `keep_alive` so the model stays loaded between reports.
///
/// No health check before a call: a refused connection fails before any of
/// the prompt is sent, as `.unreachable`, so a `GET /api/version` first would
/// add a round trip without a clearer error. The prompt is checked against
/// `num_ctx` locally, before anything is sent (see `generate`).
///
/// One `HTTPClient` per backend (`ModelHTTPClient`), so connections are
/// reused between reports; call `shutdown()` before dropping it.
package final class OllamaBackend: ModelBackend {
    /// The `num_ctx` sent when neither the configuration nor the request sets
    /// one. Ollama's own default has changed between versions (2048, then
    /// 4096) and can be changed per host (`OLLAMA_CONTEXT_LENGTH`), and it cuts
    /// a longer prompt silently; so chimerad always sends one, and checks the
    /// prompt against the same number. 4096 holds a narrative prompt for a
    /// typical results folder and fits small models' memory.
    package static let defaultContextSize = 4096
    /// Ollama's API path, accepted at the end of a configured address.
    static let apiPath = "/api"

    package let identity: ModelIdentity
    /// The configured options, `contextSize` always set; a request's own options override them one by one.
    package let options: ModelOptions
    /// Ollama's `keep_alive`: how long the model stays loaded after a call (`30m`, `-1` for ever).
    package let keepAlive: String
    private let http: ModelHTTPClient
    /// How the reply's shape is asked for; weakened after a 400 and kept for later calls.
    private let format = Mutex(ResponseFormat.jsonSchema)

    /// - Parameters:
    ///   - baseURL: the server, e.g. `http://127.0.0.1:11434` (a trailing `/api` is accepted).
    ///   - options: `contextSize` nil means `defaultContextSize`.
    ///   - connectTimeout: how long a connection may take; refused connections fail at once.
    ///   - readTimeout: the longest silence allowed between bytes of a reply. Ollama
    ///     answers once the model is loaded and the prompt read, so a cold start
    ///     of a large model must fit in it.
    package init(
        baseURL: String = "http://127.0.0.1:11434", model: String, options: ModelOptions = ModelOptions(),
        keepAlive: String = "30m", connectTimeout: Duration = .seconds(3), readTimeout: Duration = .seconds(60),
        logger: Logger = Logger(label: "chimerad.model.ollama")
    ) {
        let base = ModelHTTPClient.base(of: baseURL, droppingAPIPath: Self.apiPath)
        var options = options
        options.contextSize = options.contextSize ?? Self.defaultContextSize
        self.options = options
        self.keepAlive = keepAlive
        http = ModelHTTPClient(base: base, connectTimeout: connectTimeout, readTimeout: readTimeout, logger: logger)
        identity = ModelIdentity(backend: "ollama", baseURL: base, model: model, options: options.summary)
    }

    /// Closes the connections; the backend is unusable afterwards.
    package func shutdown() async {
        await http.shutdown()
    }

    /// The prompt is checked against `num_ctx` before anything is sent; the
    /// reply's budget (`num_predict`) is not added to it. It is a cap, not
    /// the reply's length (a narrative is far shorter), and Ollama cuts the
    /// prompt only when the prompt alone is longer than `num_ctx`; so the
    /// check turns away exactly the prompts Ollama would cut, and its error
    /// names the two numbers it compared.
    package func generate(_ request: ModelRequest) async throws(ModelCallError) -> ModelReply {
        let deadline = CallDeadline(budget: request.timeout)
        let options = request.options.filling(from: options)
        let contextSize = options.contextSize ?? Self.defaultContextSize
        try request.checkFits(contextSize: contextSize)
        return try await deadline.run { () async throws(ModelCallError) -> ModelReply in
            try await self.complete(request, options: options, contextSize: contextSize, deadline: deadline)
        }
    }

    // MARK: - The exchange

    /// The chat, asking for the reply's shape as strongly as the server
    /// accepts: a 400 to the schema (Ollama before 0.5) is retried once with
    /// `"json"`, then once with no `format`.
    private func complete(
        _ request: ModelRequest, options: ModelOptions, contextSize: Int, deadline: CallDeadline
    ) async throws(ModelCallError) -> ModelReply {
        guard request.schema != nil else {
            return try await chat(request, options: options, contextSize: contextSize, format: .none, deadline: deadline)
        }
        let (reply, accepted) = try await http.withWeakerFormats(from: format.withLock { $0 }) { format throws(ModelCallError) in
            try await chat(request, options: options, contextSize: contextSize, format: format, deadline: deadline)
        }
        format.withLock { $0 = accepted }
        return reply
    }

    private func chat(
        _ request: ModelRequest, options: ModelOptions, contextSize: Int, format: ResponseFormat, deadline: CallDeadline
    ) async throws(ModelCallError) -> ModelReply {
        let body = OllamaChatBody.make(
            model: identity.model, request: request, options: options, contextSize: contextSize, format: format, keepAlive: keepAlive
        )
        var stream = OllamaChatStream(started: .now, contextSize: contextSize)
        let response = try await http.send(http.post("/api/chat", json: body, accept: "application/x-ndjson"), deadline: deadline)
        let code = Int(response.status.code)
        guard code == 200 else {
            throw failure(code: code, body: try await http.collect(response, deadline: deadline), contextSize: contextSize)
        }

        var lines = NDJSONLines()
        do {
            reading: for try await buffer in response.body {
                for line in lines.feed(buffer.readableBytesView) {
                    try stream.take(line: line)
                    if stream.isDone { break reading }
                }
            }
            if !stream.isDone, let line = lines.finish() { try stream.take(line: line) }
        } catch {
            throw http.transportFailure(error, deadline: deadline, streamed: stream.text.count)
        }
        guard stream.isDone else { throw .streamClosedEarly(receivedCharacters: stream.text.count) }
        guard !stream.text.isEmpty else { throw .invalidReply("the reply has no text") }
        return ModelReply(text: stream.text, metrics: stream.metrics(ended: .now), finishReason: stream.finishReason)
    }

    /// An error status, in Ollama's words (`{"error":"..."}`). Its 404 for a
    /// missing model reads `model "x" not found, try pulling it first`; a 404
    /// without that is a wrong address (not an Ollama server), kept as a status.
    private func failure(code: Int, body: [UInt8], contextSize: Int) -> ModelCallError {
        let error = ServerErrorBody(bytes: body)
        let words = error.message.lowercased()
        if code == 404, words.contains("model"), words.contains("not found") {
            return .modelNotFound(model: identity.model, message: error.message)
        }
        if error.detail.isContextOverflow {
            return OllamaChatStream.failure(error.detail, contextSize: contextSize)
        }
        return .httpStatus(code: code, message: error.message)
    }
}
