extension Settings {
    /// `ingest.*`: limits on what is read.
    public struct Ingest: Sendable, Equatable {
        /// Files above this size are skipped with a reason, not read.
        public var maxFileBytes: Int64 = 0
    }
}
