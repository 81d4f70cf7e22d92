import Logging
import Synchronization

/// The process-wide logging set-up: one entry point for every command.
///
/// swift-log allows `LoggingSystem.bootstrap` once per process, so the first
/// ``bootstrap(destination:level:metadataProvider:)`` installs a handler factory
/// whose handlers look up the destination and level on every entry; later
/// calls (a reload that changed `log.target` or `log.level`) only change those,
/// and loggers made before the change follow it too.
///
/// Tests and tools that want a handler without touching the process-wide set-up
/// make ``JournalLogHandler`` or ``ConsoleLogHandler`` directly:
/// `Logger(label: "x") { JournalLogHandler(label: $0) }`.
package enum LogOutput {
    private struct State {
        var destination: LogDestination = .console
        var level: Logger.Level = .info
        var installed = false
    }

    private static let state = Mutex(State())

    /// Sends every logger's entries to `target`'s destination from now on, at
    /// `level` or above, and returns that destination.
    ///
    /// - Parameter metadataProvider: taken on the first call only (swift-log
    ///   keeps the first one), ignored after.
    @discardableResult
    package static func bootstrap(
        destination: LogDestination, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil
    ) -> LogDestination {
        let firstCall = state.withLock { state in
            state.destination = destination
            state.level = level
            defer { state.installed = true }
            return !state.installed
        }
        if firstCall {
            LoggingSystem.bootstrap(
                { label, provider in RoutedLogHandler(label: label, metadataProvider: provider) },
                metadataProvider: metadataProvider)
        }
        return destination
    }

    /// The destination and level set by the last bootstrap, `nil` before the first.
    package static var current: (destination: LogDestination, level: Logger.Level)? {
        state.withLock { $0.installed ? ($0.destination, $0.level) : nil }
    }

    fileprivate static var settings: (destination: LogDestination, level: Logger.Level) {
        state.withLock { ($0.destination, $0.level) }
    }
}

/// The handler ``LogOutput`` installs: the journal or the console, whichever
/// the process is set to now.
private struct RoutedLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Set only when code sets one logger's level itself; otherwise the
    /// process-wide level applies, so a reload reaches every logger.
    private var ownLevel: Logger.Level?
    private let label: String

    init(label: String, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    var logLevel: Logger.Level {
        get { ownLevel ?? LogOutput.settings.level }
        set { ownLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let record = LogRecord(event: event, label: label, handlerMetadata: metadata, provider: metadataProvider)
        switch LogOutput.settings.destination {
        case .journal: JournalLogHandler.write(record, identifier: JournalLogHandler.defaultIdentifier)
        case .console: ConsoleLogHandler.write(record, to: ConsoleLogHandler.standardError)
        }
    }
}
