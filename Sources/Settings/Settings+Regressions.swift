extension Settings {
    /// `regressions.*`: what a session is, what it is compared with, and how
    /// large and how certain a change must be to open a regression.
    package struct Regressions: Sendable, Equatable {
        /// A pause of a file's runs longer than this starts a new session, in minutes.
        package var sessionGapMinutes = 0
        /// How many earlier sessions of a group make its baseline.
        package var baselineSessions = 0
        /// The smallest change that counts, in percent of the baseline's median.
        package var minimumEffectPercent = 0.0
        /// The false discovery rate the tests of one report are held to.
        package var falseDiscoveryRate = 0.0

        /// The session gap in seconds, as digests use it.
        package var sessionGapSeconds: Double { Double(sessionGapMinutes) * 60 }
    }
}
