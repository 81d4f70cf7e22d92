/// chimerad's effective configuration: built-in defaults, overridden by the
/// config file, overridden by command-line flags (see `Settings+Loading.swift`).
public struct Settings: Sendable, Equatable {
    public enum ModelBackend: String, Sendable, CaseIterable {
        case none, auto, ollama, openai
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
    public var modelTimeoutSeconds: Double
    public var persona: String
    public var logTarget: LogTarget
    public var logLevel: String
    /// The file the settings were read from, if any.
    public var configFile: String?
}
