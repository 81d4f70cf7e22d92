extension Settings {
    /// `model.options.*`: sampling and sizing options sent with each model call
    /// (Ollama's names). Nil ones are not sent: the server's default applies.
    package struct ModelOptionValues: Sendable, Equatable {
        package var numCtx = 0
        package var numPredict = 0
        package var temperature: Double?
        package var topP: Double?
        package var topK: Int?
        package var repeatPenalty: Double?
        package var seed: Int?
        package var numGPU: Int?
    }
}
