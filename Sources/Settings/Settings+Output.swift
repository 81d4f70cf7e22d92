extension Settings {
    /// `output.*`: where reports go and how many stay.
    public struct Output: Sendable, Equatable {
        public var directory = ""
        /// How many reports to keep in the output folder (0 keeps all).
        public var retain = 0
    }
}
