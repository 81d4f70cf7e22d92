extension Settings {
    /// `http.*`: the read-only HTTP view of the output folder and the
    /// daemon's metrics. Off unless `http.listen` is set.
    package struct HTTP: Sendable, Equatable {
        /// Where `chimerad run` listens; `.off` by default.
        package var listen = Listen.off
    }
}
