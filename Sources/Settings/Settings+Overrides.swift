import Configuration

extension Settings {
    /// Values given on the command line, by key. An absent flag (nil, or an
    /// empty list) sets nothing.
    package struct Overrides: Sendable {
        package var values: [Key: ConfigContent] = [:]

        package init() {}

        package mutating func set(_ key: Key, _ value: String?) {
            if let value { values[key] = .string(value) }
        }

        package mutating func set(_ key: Key, _ value: Int?) {
            if let value { values[key] = .int(value) }
        }

        package mutating func set(_ key: Key, _ value: Double?) {
            if let value { values[key] = .double(value) }
        }

        package mutating func set(_ key: Key, _ value: Bool?) {
            if let value { values[key] = .bool(value) }
        }

        package mutating func set(_ key: Key, _ value: [String]) {
            if !value.isEmpty { values[key] = .stringArray(value) }
        }
    }
}
