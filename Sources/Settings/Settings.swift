/// chimerad's effective configuration: built-in defaults, overridden by the
/// config file, overridden by command-line flags (see `Settings+Loading.swift`).
///
/// One section per section of the config file; each component reads its own.
/// Every key is described once, in the key table (`Settings+Key.swift`): its
/// field, default, parsing, checks, rendering and what a reload restarts.
/// The fields' initial values are placeholders that loading overwrites.
public struct Settings: Sendable, Equatable {
    public var watch = Watch()
    public var output = Output()
    public var state = State()
    public var ingest = Ingest()
    public var model = Model()
    public var report = Report()
    public var log = Log()
    /// The file the settings were read from, if any.
    public var configFile: String?

    /// Placeholders only: `load` sets every key from the table.
    init() {}
}
