import Logging
import Synchronization

/// A swift-log handler that keeps every entry, so tests can check what a
/// component said, at which level and with which journal fields.
public final class LogRecorder: Sendable {
    public struct Entry: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    public var all: [Entry] { entries.withLock { $0 } }

    public func entries(at level: Logger.Level) -> [Entry] { all.filter { $0.level == level } }

    /// The entries whose message starts with `prefix`.
    public func entries(startingWith prefix: String) -> [Entry] { all.filter { $0.message.hasPrefix(prefix) } }

    /// How many entries there are now: a mark for `entries(startingWith:since:)`.
    public var mark: Int { entries.withLock { $0.count } }

    /// The entries after `mark` whose message starts with `prefix`, so a check
    /// sees what one step caused and not what an earlier step already logged.
    public func entries(startingWith prefix: String, since mark: Int) -> [Entry] {
        all.dropFirst(mark).filter { $0.message.hasPrefix(prefix) }
    }

    public var logger: Logger {
        Logger(label: "tests") { _ in Handler(recorder: self) }
    }

    fileprivate func append(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
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
