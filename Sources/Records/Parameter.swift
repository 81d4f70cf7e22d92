/// One named setting a result was produced under (`num_ctx=2048`, `backend=CPU`).
///
/// Values stay strings: they are keys, never averaged, and `"0.4"` must stay `"0.4"`.
package struct Parameter: Hashable, Sendable, Codable, Comparable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    package static func < (lhs: Parameter, rhs: Parameter) -> Bool {
        (lhs.name, lhs.value) < (rhs.name, rhs.value)
    }
}

extension Array where Element == Parameter {
    /// `num_ctx=2048, temperature=0.4`, the way users write configurations.
    package var rendered: String {
        map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
    }

    /// The value of the named parameter, if present.
    package subscript(name name: String) -> String? {
        first { $0.name == name }?.value
    }
}
