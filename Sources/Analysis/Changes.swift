/// The figures of a report that the next report compares against, stored with it.
public struct Digest: Sendable, Equatable, Codable {
    public struct Group: Sendable, Equatable, Codable {
        public var key: String
        public var model: String
        public var configuration: String
        public var runs: Int
        public var tokensPerSecondMedian: Double?
        public var ttftMedian: Double?
    }

    public var groups: [Group]

    public init(groups: [Group]) {
        self.groups = groups
    }

    public init(_ runGroups: [RunGroup]) {
        groups = runGroups.map {
            Group(
                key: $0.key, model: $0.model, configuration: $0.configuration.rendered, runs: $0.runsOK,
                tokensPerSecondMedian: $0.tokensPerSecond.median, ttftMedian: $0.ttftSeconds.median)
        }
    }
}

/// How the figures moved since the previous report over the same inputs.
public struct Changes: Sendable, Equatable {
    public struct Move: Sendable, Equatable {
        public var model: String
        public var configuration: String
        /// `tokens_per_second` or `ttft_seconds`.
        public var metric: String
        public var previous: Double
        public var current: Double
        public var changePercent: Double
        /// Moved in the bad direction (throughput down, TTFT up).
        public var worse: Bool
        public var previousRuns: Int
        public var currentRuns: Int
    }

    public var previousReportAt: String?
    public var moves: [Move]
    public var newGroups: [String]
    public var goneGroups: [String]

    public static let none = Changes(previousReportAt: nil, moves: [], newGroups: [], goneGroups: [])

    /// Compares the groups now with a previous digest; unchanged medians are not moves.
    public static func between(_ previous: Digest?, at date: String?, and current: [RunGroup]) -> Changes {
        guard let previous else { return .none }
        let before = Dictionary(previous.groups.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var moves: [Move] = []
        var newGroups: [String] = []
        for group in current {
            guard let old = before[group.key] else {
                newGroups.append(group.key)
                continue
            }
            let pairs: [(String, Double?, Double?, Bool)] = [
                ("tokens_per_second", old.tokensPerSecondMedian, group.tokensPerSecond.median, true),
                ("ttft_seconds", old.ttftMedian, group.ttftSeconds.median, false),
            ]
            for (metric, was, now, higherIsBetter) in pairs {
                guard let was, let now, was != now, was != 0 else { continue }
                let change = (now - was) / was * 100
                moves.append(
                    Move(
                        model: group.model, configuration: group.configuration.rendered, metric: metric,
                        previous: was, current: now, changePercent: change,
                        worse: higherIsBetter ? now < was : now > was, previousRuns: old.runs,
                        currentRuns: group.runsOK))
            }
        }
        let currentKeys = Set(current.map(\.key))
        let gone = previous.groups.map(\.key).filter { !currentKeys.contains($0) }
        // Regressions first, the largest first: they lead the report.
        moves.sort { a, b in a.worse != b.worse ? a.worse : abs(a.changePercent) > abs(b.changePercent) }
        return Changes(previousReportAt: date, moves: moves, newGroups: newGroups, goneGroups: gone)
    }
}
