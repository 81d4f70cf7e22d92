extension Settings {
    /// `model.backend`: which kind of model server the user asked for. A
    /// choice, not a backend: `auto` is resolved, and `none` means no model.
    package enum ModelBackendChoice: String, Sendable, CaseIterable {
        /// No model: rule-based text only.
        case none
        /// The managed llama-server when installed, else an Ollama on 127.0.0.1:11434, else none.
        case auto
        /// chimerad starts and stops `llama-server` itself (from `scripts/setup-model`'s venv).
        case managed
        case ollama
        /// An OpenAI-compatible server: llama.cpp's llama-server, vLLM, LM Studio.
        case openai
    }
}
