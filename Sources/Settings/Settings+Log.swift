extension Settings {
    /// `log.*`: where logs go and from which level.
    public struct Log: Sendable, Equatable {
        public enum Target: String, Sendable, CaseIterable {
            case auto, journal, console
        }

        /// swift-log's levels, by the names `Logger.Level` uses.
        public enum Level: String, Sendable, CaseIterable {
            case trace, debug, info, notice, warning, error, critical
        }

        public var target = Target.auto
        public var level = Level.info
    }
}
