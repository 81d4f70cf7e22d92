/// A model server chimerad can ask for a narrative. One small protocol, as
/// swift-log's `LogHandler` is: the pipeline holds `any ModelBackend` and never
/// learns which server answers. Every failure is a `ModelCallError` whose
/// description is the report's `narrative.unavailable_reason`.
package protocol ModelBackend: Sendable {
    /// What the report's header and `model_call` name: backend, address, model, options.
    var identity: ModelIdentity { get }

    /// One call: the prompt in, the whole reply and its metrics out, within
    /// `request.timeout` (health checks included).
    func generate(_ request: ModelRequest) async throws(ModelCallError) -> ModelReply

    /// Gets the model ready before the first report needs it (a managed server
    /// starts and loads it), so that report pays no load time. Failures are
    /// the backend's to log: the next call reports them.
    func warmUp() async

    /// Releases what the backend holds (connections, a server it started).
    /// Called once, when the last report is done; the backend is unusable afterwards.
    func shutdown() async
}

extension ModelBackend {
    /// Servers that load on demand (Ollama, an OpenAI-compatible server someone
    /// else runs) need nothing.
    package func warmUp() async {}
}
