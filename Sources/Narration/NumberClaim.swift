/// A number a sentence states as a figure, with the precision it was written at.
struct NumberClaim: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case plain
        /// `30%`, `30 percent`.
        case percent
        /// `2.1×`, `2x`, `3 times`.
        case ratio
    }

    /// As written, for the drop reason: `68.4`, `1.2k`, `30%`.
    var text: String
    /// Magnitude (signs are words' business: "fell 12%" and "-12%" state the same figure).
    var value: Double
    /// One unit of the last digit written: 0.1 for `68.4`, 100 for `1.2k`, 1 for `68`.
    var resolution: Double
    var kind: Kind
    /// Written with a currency sign (`$1.9`): no benchmark fact is money.
    var isCurrency: Bool
    /// The right side of `name=value` (`num_ctx=1024`): a configuration may be quoted.
    var isAssignment: Bool
    /// Followed by a unit no benchmark fact has (`3 years`, `16 GB`, `200
    /// users`): a fact's value in other words, or an invention, never grounded.
    var hasForeignUnit = false
    /// The digits as written, without sign or separators (`1024`, `0.4`), to
    /// compare with configuration values and numbers inside quoted text.
    var digits: String
}
