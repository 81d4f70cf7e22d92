import Logging

/// One log entry with every metadata source already merged: what the journal
/// and the console writers render.
struct LogRecord {
    var level: Logger.Level
    var message: String
    var metadata: Logger.Metadata
    var label: String
    var file: String
    var function: String
    var line: UInt

    /// Merges metadata the way swift-log's own handlers do, later sources
    /// winning: the handler's (the logger's), then the metadata provider's,
    /// then the call's. An attached error adds `error.message` and `error.type`
    /// unless the call already set them.
    init(event: LogEvent, label: String, handlerMetadata: Logger.Metadata, provider: Logger.MetadataProvider?) {
        var merged = handlerMetadata
        if let provided = provider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let explicit = event.metadata {
            merged.merge(explicit) { _, new in new }
        }
        if let error = event.error {
            if merged["error.message"] == nil { merged["error.message"] = "\(error)" }
            if merged["error.type"] == nil { merged["error.type"] = "\(String(reflecting: type(of: error)))" }
        }
        self.level = event.level
        self.message = event.message.description
        self.metadata = merged
        self.label = label
        self.file = event.file
        self.function = event.function
        self.line = event.line
    }
}
