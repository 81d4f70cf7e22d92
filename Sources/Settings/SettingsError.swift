/// A configuration problem, named by its key so it can be fixed at once.
package struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    package var file: String?
    package var key: String?
    package var reason: String

    package init(file: String?, key: String?, reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    package var description: String {
        var where_ = file.map { "config \($0)" } ?? "configuration"
        if let key { where_ += ": key '\(key)'" }
        return "\(where_): \(reason)"
    }
}
