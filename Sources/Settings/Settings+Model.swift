extension Settings {
    /// `model.*`: who words the narrative, where, and with which options.
    package struct Model: Sendable, Equatable {
        package var backend = ModelBackendChoice.auto
        package var url = ""
        package var name = ""
        /// A GGUF file the managed llama-server loads instead of a model the
        /// manifest lists (reports name it by its file name without `.gguf`); empty: unset.
        package var gguf = ""
        /// The budget of a report's whole narrative stage (a retry included).
        package var timeoutSeconds = 0.0
        /// How long Ollama keeps the model loaded after a call (`keep_alive`).
        package var keepAlive = ""
        /// The venv `scripts/setup-model` made, for the managed llama-server; empty: look in the usual places.
        package var venv = ""
        /// The CPU the managed llama-server may take from the benchmarks.
        package var priority = Priority.idle
        package var options = ModelOptionValues()

        package enum Priority: String, Sendable, CaseIterable {
            /// Only cores nothing else wants (`SCHED_IDLE`): benchmarks beside
            /// it keep their speed, and the narrative waits.
            case idle
            /// The usual share of the CPU.
            case normal
        }
    }
}
