extension Settings {
    /// `model.options.*`: sampling and sizing options sent with each model call
    /// (Ollama's names). Nil ones are not sent: the server's default applies.
    public struct ModelOptionValues: Sendable, Equatable {
        public var numCtx = 0
        public var numPredict = 0
        public var temperature: Double?
        public var topP: Double?
        public var topK: Int?
        public var repeatPenalty: Double?
        public var seed: Int?
        public var numGPU: Int?
    }
}
