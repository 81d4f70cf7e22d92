/// How new sessions are compared with their baseline (the `regressions.*`
/// settings, as analysis takes them).
package struct RegressionPolicy: Sendable, Equatable {
    /// How many earlier sessions make a group's baseline.
    package var baselineSessions: Int
    /// The smallest change that counts, in percent of the baseline's median.
    package var minimumEffectPercent: Double
    /// The false discovery rate the report's tests are held to (Benjamini-Hochberg).
    package var falseDiscoveryRate: Double

    package static let standard = RegressionPolicy(baselineSessions: 10, minimumEffectPercent: 5, falseDiscoveryRate: 0.05)

    package init(baselineSessions: Int, minimumEffectPercent: Double, falseDiscoveryRate: Double) {
        self.baselineSessions = baselineSessions
        self.minimumEffectPercent = minimumEffectPercent
        self.falseDiscoveryRate = falseDiscoveryRate
    }
}
