import Configuration

extension Settings {
    /// Values given on the command line, by key. An absent flag (nil, or an
    /// empty list) sets nothing.
    public struct Overrides: Sendable {
        public var values: [Key: ConfigContent] = [:]

        public init() {}

        public mutating func set(_ key: Key, _ value: String?) {
            if let value { values[key] = .string(value) }
        }

        public mutating func set(_ key: Key, _ value: Int?) {
            if let value { values[key] = .int(value) }
        }

        public mutating func set(_ key: Key, _ value: Double?) {
            if let value { values[key] = .double(value) }
        }

        public mutating func set(_ key: Key, _ value: Bool?) {
            if let value { values[key] = .bool(value) }
        }

        public mutating func set(_ key: Key, _ value: [String]) {
            if !value.isEmpty { values[key] = .stringArray(value) }
        }
    }
}
