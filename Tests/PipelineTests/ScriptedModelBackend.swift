import ModelInterface

/// A model without a server: it answers each call with the next scripted
/// reply (or error) and records the requests it was given. What the model
/// interface module is for: the narrative stage's decisions tested alone.
actor ScriptedModelBackend: ModelBackend {
    enum Answer: Sendable {
        case reply(String)
        /// A reply written from the request, as a model reads its prompt.
        case respond(@Sendable (ModelRequest) -> String)
        case failure(ModelCallError)
    }

    nonisolated let identity = ModelIdentity(backend: "scripted", baseURL: "none", model: "scripted-model", options: "")
    private var answers: [Answer]
    private(set) var requests: [ModelRequest] = []

    init(_ answers: [Answer]) {
        self.answers = answers
    }

    func generate(_ request: ModelRequest) async throws(ModelCallError) -> ModelReply {
        requests.append(request)
        guard !answers.isEmpty else { throw .serverError("no scripted answer left") }
        switch answers.removeFirst() {
        case .reply(let text): return Self.reply(text, to: request)
        case .respond(let write): return Self.reply(write(request), to: request)
        case .failure(let error): throw error
        }
    }

    private static func reply(_ text: String, to request: ModelRequest) -> ModelReply {
        let metrics = ModelCallMetrics(
            ttftMilliseconds: 5, tokensPerSecond: 100, tokensGenerated: 40, promptTokens: request.estimatedPromptTokens,
            totalMilliseconds: 400)
        return ModelReply(text: text, metrics: metrics, finishReason: "stop")
    }

    func shutdown() async {}
}
