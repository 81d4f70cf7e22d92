/// How new sessions are compared with their baseline (the `regressions.*`
/// settings, as analysis takes them).
package struct RegressionPolicy: Sendable {
    /// How many earlier sessions make a group's baseline.
    package var baselineSessions: Int
    /// The smallest change that counts, in percent of the baseline's median.
    package var minimumEffectPercent: Double
    /// The false discovery rate the report's tests are held to (Benjamini-Hochberg).
    package var falseDiscoveryRate: Double

    /// Pinned baselines (`chimerad baseline pin`): by model, the store
    /// sequence up to which a session's file must have been first stored to
    /// be in the baseline; the empty model pins every group without a pin of
    /// its own.
    package var pins: [String: Int64]

    package static let standard = RegressionPolicy(baselineSessions: 10, minimumEffectPercent: 5, falseDiscoveryRate: 0.05)

    package init(baselineSessions: Int, minimumEffectPercent: Double, falseDiscoveryRate: Double, pins: [String: Int64] = [:]) {
        self.baselineSessions = baselineSessions
        self.minimumEffectPercent = minimumEffectPercent
        self.falseDiscoveryRate = falseDiscoveryRate
        self.pins = pins
    }

    /// Accepted levels (`chimerad regressions ack`): by group key and metric
    /// (`acceptedKey`), when the acknowledged session was measured and its
    /// file (what orders sessions measured at the same time); that group's
    /// baseline for that metric starts there.
    package var acceptedFrom: [String: (measuredAt: Double, source: String)] = [:]

    package static func acceptedKey(group: String, metric: TestedMetric) -> String {
        group + "\u{1}" + metric.rawValue
    }

    /// The pin that applies to a model's groups, if any.
    package func pin(for model: String) -> Int64? {
        pins[model] ?? pins[""]
    }
}
