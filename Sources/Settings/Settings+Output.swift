extension Settings {
    /// `output.*`: where reports go and how many stay.
    package struct Output: Sendable, Equatable {
        package var directory = ""
        /// How many reports to keep in the output folder (0 keeps all).
        package var retain = 0
    }
}
