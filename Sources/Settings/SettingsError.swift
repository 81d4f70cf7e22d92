/// A configuration problem, named by its key so it can be fixed at once.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var key: String?
    public var reason: String

    public init(file: String?, key: String?, reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    public var description: String {
        var where_ = file.map { "config \($0)" } ?? "configuration"
        if let key { where_ += ": key '\(key)'" }
        return "\(where_): \(reason)"
    }
}
