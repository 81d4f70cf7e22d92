extension Settings {
    /// `model.*`: who words the narrative, where, and with which options.
    public struct Model: Sendable, Equatable {
        public var backend = ModelBackendChoice.auto
        public var url = ""
        public var name = ""
        /// The budget of a report's whole narrative stage (a retry included).
        public var timeoutSeconds = 0.0
        /// How long Ollama keeps the model loaded after a call (`keep_alive`).
        public var keepAlive = ""
        /// The venv `scripts/setup-model` made, for the managed llama-server; empty: look in the usual places.
        public var venv = ""
        public var options = ModelOptionValues()
    }
}
