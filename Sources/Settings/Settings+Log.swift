extension Settings {
    /// `log.*`: where logs go and from which level.
    package struct Log: Sendable, Equatable {
        package enum Target: String, Sendable, CaseIterable {
            case auto, journal, console
        }

        /// swift-log's levels, by the names `Logger.Level` uses.
        package enum Level: String, Sendable, CaseIterable {
            case trace, debug, info, notice, warning, error, critical
        }

        package var target = Target.auto
        package var level = Level.info
    }
}
