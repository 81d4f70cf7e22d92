extension Settings {
    /// `state.*`: where the store (and the managed model's logs) live.
    public struct State: Sendable, Equatable {
        public var directory = ""
    }
}
