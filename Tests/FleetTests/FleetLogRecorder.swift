import Logging
import Synchronization

/// A swift-log handler that keeps every entry, so tests can check what the
/// publisher said, at which level and with which journal fields.
final class FleetLogRecorder: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    /// The entries whose message starts with `prefix`.
    func entries(_ prefix: String) -> [Entry] { all.filter { $0.message.hasPrefix(prefix) } }

    var logger: Logger {
        Logger(label: "fleet-tests") { _ in Handler(recorder: self) }
    }

    fileprivate func append(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }

    private struct Handler: LogHandler {
        let recorder: FleetLogRecorder
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.append(
                Entry(level: event.level, message: event.message.description, metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
        }
    }
}
