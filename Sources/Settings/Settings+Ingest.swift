extension Settings {
    /// `ingest.*`: limits on what is read.
    package struct Ingest: Sendable, Equatable {
        /// Files above this size are skipped with a reason, not read.
        package var maxFileBytes: Int64 = 0
    }
}
