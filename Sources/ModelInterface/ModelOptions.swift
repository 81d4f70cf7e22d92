/// Sampling and sizing options, all optional: an unset option is not sent and
/// the server's default applies. Names follow Ollama's `options` (the original
/// tool's backend); the OpenAI-compatible backend maps them to its own fields.
package struct ModelOptions: Sendable, Equatable {
    package var temperature: Double?
    package var topP: Double?
    package var topK: Int?
    package var repeatPenalty: Double?
    package var seed: Int?
    /// Most tokens to generate (`num_predict`, OpenAI's `max_tokens`).
    package var maxTokens: Int?
    /// Context window in tokens (`num_ctx`). llama-server fixes it at start-up;
    /// there it only bounds the prompt check when the server does not say.
    package var contextSize: Int?
    /// Layers offloaded to the GPU (`num_gpu`); server-side for llama-server.
    package var gpuLayers: Int?

    package init(
        temperature: Double? = nil, topP: Double? = nil, topK: Int? = nil, repeatPenalty: Double? = nil,
        seed: Int? = nil, maxTokens: Int? = nil, contextSize: Int? = nil, gpuLayers: Int? = nil
    ) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.repeatPenalty = repeatPenalty
        self.seed = seed
        self.maxTokens = maxTokens
        self.contextSize = contextSize
        self.gpuLayers = gpuLayers
    }

    /// These options, with every unset one taken from `defaults`: a request
    /// overrides the backend's configured options one by one.
    package func filling(from defaults: ModelOptions) -> ModelOptions {
        ModelOptions(
            temperature: temperature ?? defaults.temperature, topP: topP ?? defaults.topP,
            topK: topK ?? defaults.topK, repeatPenalty: repeatPenalty ?? defaults.repeatPenalty,
            seed: seed ?? defaults.seed, maxTokens: maxTokens ?? defaults.maxTokens,
            contextSize: contextSize ?? defaults.contextSize, gpuLayers: gpuLayers ?? defaults.gpuLayers
        )
    }

    /// The set options as the original tool's configuration line printed them
    /// (`num_gpu=80, num_ctx=1024, temp=1`); empty when none is set.
    package var summary: String {
        var parts: [String] = []
        if let gpuLayers { parts.append("num_gpu=\(gpuLayers)") }
        if let contextSize { parts.append("num_ctx=\(contextSize)") }
        if let temperature { parts.append("temp=\(ModelOptions.format(temperature))") }
        if let topP { parts.append("top_p=\(ModelOptions.format(topP))") }
        if let topK { parts.append("top_k=\(topK)") }
        if let repeatPenalty { parts.append("repeat_penalty=\(ModelOptions.format(repeatPenalty))") }
        if let seed { parts.append("seed=\(seed)") }
        if let maxTokens { parts.append("num_predict=\(maxTokens)") }
        return parts.joined(separator: ", ")
    }

    /// `1` rather than `1.0`: the line reads as the user wrote it.
    package static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
