/// chimerad's effective configuration: built-in defaults, overridden by the
/// config file, overridden by command-line flags (see `Settings+Loading.swift`).
public struct Settings: Sendable, Equatable {
    public enum ModelBackend: String, Sendable, CaseIterable {
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

    /// Sampling and sizing options sent with each model call (Ollama's names).
    /// Nil ones are not sent: the server's default applies.
    public struct ModelOptionValues: Sendable, Equatable {
        public var numCtx: Int
        public var numPredict: Int
        public var temperature: Double?
        public var topP: Double?
        public var topK: Int?
        public var repeatPenalty: Double?
        public var seed: Int?
        public var numGPU: Int?
    }

    public enum LogTarget: String, Sendable, CaseIterable {
        case auto, journal, console
    }

    /// Folders `chimerad run` watches (and the default inputs of a report).
    public var watchPaths: [String]
    /// How long a file must be quiet before it is read, in milliseconds.
    public var settleMilliseconds: Int
    /// File-name patterns never ingested (editor swap files, temporaries).
    public var ignorePatterns: [String]
    /// Whether symbolic links that lead out of a watch folder are followed.
    public var followExternalLinks: Bool
    /// How often folders that could not be watched (inotify watch limit) are
    /// rescanned instead, in seconds.
    public var rescanSeconds: Int
    /// The shortest time between two reports of the daemon, in milliseconds:
    /// a storm of changes is gathered into the next report, never dropped.
    public var minReportIntervalMilliseconds: Int
    public var outputDirectory: String
    /// How many reports to keep in the output folder (0 keeps all).
    public var retainReports: Int
    public var stateDirectory: String
    /// Files above this size are skipped with a reason, not read.
    public var maxFileBytes: Int64
    public var modelBackend: ModelBackend
    public var modelURL: String
    public var modelName: String
    /// The budget of a report's whole narrative stage (a retry included).
    public var modelTimeoutSeconds: Double
    /// How long Ollama keeps the model loaded after a call (`keep_alive`).
    public var modelKeepAlive: String
    /// The venv `scripts/setup-model` made, for the managed llama-server; empty: look in the usual places.
    public var modelVenv: String
    public var modelOptions: ModelOptionValues
    public var persona: String
    public var logTarget: LogTarget
    public var logLevel: String
    /// The file the settings were read from, if any.
    public var configFile: String?
}
