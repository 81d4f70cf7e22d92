extension Settings {
    /// `report.*`: the daemon's report pace and the persona shown with each report.
    package struct Report: Sendable, Equatable {
        /// The shortest time between two reports of the daemon, in milliseconds:
        /// a storm of changes is gathered into the next report, never dropped.
        package var minIntervalMilliseconds = 0
        /// The persona prompt; empty: the built-in one.
        package var persona = ""
    }
}
