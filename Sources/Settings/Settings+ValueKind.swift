extension Settings {
    /// The shape of a key's value: how the file's text is read and how the
    /// value is shown.
    enum ValueKind: Sendable, Equatable {
        case integer
        case number
        case boolean
        case text
        case textList
        /// One word of a closed list, shown unquoted.
        case choice([String])

        /// What a value of this kind looks like, for "expected ..." errors.
        var expected: String {
            switch self {
            case .integer: "a whole number"
            case .number: "a number"
            case .boolean: "true or false"
            case .text: "text"
            case .textList: "a list of text items"
            case .choice(let choices): "one of \(choices.joined(separator: ", "))"
            }
        }
    }
}
