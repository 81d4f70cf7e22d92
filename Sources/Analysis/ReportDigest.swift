/// The figures of a report that the next report compares against, stored with it.
package struct ReportDigest: Sendable, Equatable, Codable {
    package struct Group: Sendable, Equatable, Codable {
        package var key: String
        package var model: String
        package var configuration: String
        package var runs: Int
        package var tokensPerSecondMedian: Double?
        package var ttftMedian: Double?
        /// The runs the next report tests against; nil in digests written
        /// before samples were kept (those moves are reported as not tested).
        package var tokensPerSecondSample: Sample?
        package var ttftSample: Sample?

        package init(
            key: String, model: String, configuration: String, runs: Int, tokensPerSecondMedian: Double?,
            ttftMedian: Double?, tokensPerSecondSample: Sample? = nil, ttftSample: Sample? = nil
        ) {
            self.key = key
            self.model = model
            self.configuration = configuration
            self.runs = runs
            self.tokensPerSecondMedian = tokensPerSecondMedian
            self.ttftMedian = ttftMedian
            self.tokensPerSecondSample = tokensPerSecondSample
            self.ttftSample = ttftSample
        }

        private enum CodingKeys: String, CodingKey {
            case key, model, configuration, runs, tokensPerSecondMedian, ttftMedian, tokensPerSecondSample, ttftSample
        }

        package init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            key = try c.decode(String.self, forKey: .key)
            model = try c.decode(String.self, forKey: .model)
            configuration = try c.decode(String.self, forKey: .configuration)
            runs = try c.decode(Int.self, forKey: .runs)
            tokensPerSecondMedian = try c.decodeIfPresent(Double.self, forKey: .tokensPerSecondMedian)
            ttftMedian = try c.decodeIfPresent(Double.self, forKey: .ttftMedian)
            // A damaged sample costs that group its test, not the whole
            // comparison with the previous report.
            tokensPerSecondSample = (try? c.decodeIfPresent(Sample.self, forKey: .tokensPerSecondSample)) ?? nil
            ttftSample = (try? c.decodeIfPresent(Sample.self, forKey: .ttftSample)) ?? nil
        }
    }

    package var groups: [Group]

    package init(groups: [Group]) {
        self.groups = groups
    }

    package init(_ runGroups: [RunGroup]) {
        groups = runGroups.map {
            Group(
                key: $0.key, model: $0.model, configuration: $0.configuration.rendered, runs: $0.runsOK,
                tokensPerSecondMedian: $0.tokensPerSecond.median, ttftMedian: $0.ttftSeconds.median,
                tokensPerSecondSample: $0.tokensPerSecondSample, ttftSample: $0.ttftSample)
        }
    }
}
