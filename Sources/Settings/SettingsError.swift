/// A configuration problem, named by its key so it can be fixed at once.
package struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    package var file: String?
    package var key: String?
    /// The command-line option the value came from (`--output`): what the
    /// user typed is named first, the key it sets after it.
    package var option: String?
    package var reason: String

    package init(file: String?, key: String?, option: String? = nil, reason: String) {
        self.file = file
        self.key = key
        self.option = option
        self.reason = reason
    }

    package var description: String {
        if let option {
            return "option \(option)" + (key.map { " (key '\($0)')" } ?? "") + ": \(reason)"
        }
        var where_ = file.map { "config \($0)" } ?? "configuration"
        if let key { where_ += ": key '\(key)'" }
        return "\(where_): \(reason)"
    }
}
