/// chimerad's effective configuration: built-in defaults, overridden by the
/// config file, overridden by command-line flags (see `Settings+Loading.swift`).
///
/// One section per section of the config file; each component reads its own.
/// Every key is described once, in the key table (`Settings+Key.swift`): its
/// field, default, parsing, checks, rendering and what a reload restarts.
/// The fields' initial values are placeholders that loading overwrites.
package struct Settings: Sendable, Equatable {
    package var watch = Watch()
    package var output = Output()
    package var state = State()
    package var ingest = Ingest()
    package var model = Model()
    package var report = Report()
    package var regressions = Regressions()
    package var notify = Notify()
    package var log = Log()
    package var http = HTTP()
    package var fleet = Fleet()
    /// The file the settings were read from, if any.
    package var configFile: String?

    /// Placeholders only: `load` sets every key from the table.
    init() {}
}
