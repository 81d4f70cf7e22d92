/// Who answers a model call, as the report's header and `model_call` print it.
package struct ModelIdentity: Sendable, Equatable {
    /// The backend's kind: `openai`, `ollama`, ...
    package var backend: String
    /// The server's base address, e.g. `http://127.0.0.1:8080`.
    package var baseURL: String
    /// The model's name as sent to the server.
    package var model: String
    /// The configured options as one line, e.g. `num_gpu=80, num_ctx=1024, temp=1`.
    package var options: String

    package init(backend: String, baseURL: String, model: String, options: String) {
        self.backend = backend
        self.baseURL = baseURL
        self.model = model
        self.options = options
    }

    /// The backend as reports name it: `managed llama-server`, `Ollama`, ...
    package var backendName: String {
        switch backend {
        case "managed": "managed llama-server"
        case "openai": "OpenAI-compatible server"
        case "ollama": "Ollama"
        default: backend
        }
    }

    /// The report header's model line: `smollm2-135m via managed llama-server at http://127.0.0.1:40123`.
    package var headerLine: String { "\(model) via \(backendName) at \(baseURL)" }
}
