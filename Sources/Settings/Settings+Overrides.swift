import Configuration

extension Settings {
    /// Values given on the command line, by key, with the option each came
    /// from (nil: a layer set in code, named by its key alone). An absent
    /// flag (nil, or an empty list) sets nothing.
    package struct Overrides: Sendable {
        package var values: [Key: ConfigContent] = [:]
        /// The option each value came from, so a problem with it names what was typed.
        package var options: [Key: String] = [:]

        package init() {}

        package mutating func set(_ key: Key, _ value: String?, option: String? = nil) {
            if let value {
                if let option { options[key] = option }
                values[key] = .string(value)
            }
        }

        package mutating func set(_ key: Key, _ value: Int?, option: String? = nil) {
            if let value {
                if let option { options[key] = option }
                values[key] = .int(value)
            }
        }

        package mutating func set(_ key: Key, _ value: Double?, option: String? = nil) {
            if let value {
                if let option { options[key] = option }
                values[key] = .double(value)
            }
        }

        package mutating func set(_ key: Key, _ value: Bool?, option: String? = nil) {
            if let value {
                if let option { options[key] = option }
                values[key] = .bool(value)
            }
        }

        package mutating func set(_ key: Key, _ value: [String], option: String? = nil) {
            if !value.isEmpty {
                if let option { options[key] = option }
                values[key] = .stringArray(value)
            }
        }
    }
}
