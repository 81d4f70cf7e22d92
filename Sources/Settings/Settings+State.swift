extension Settings {
    /// `state.*`: where the store (and the managed model's logs) live.
    package struct State: Sendable, Equatable {
        package var directory = ""
    }
}
