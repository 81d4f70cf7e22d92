import Foundation

/// What the fleet's PostgreSQL holds, as `chimerad report --fleet` reads it:
/// every host, and per model and configuration one row per host and
/// environment with its runs and figures, the same pooled over all hosts, and
/// the regressions hosts have open.
///
/// The database does the arithmetic (counts, sums and `percentile_cont`, the
/// same interpolation as the local reports' medians), so what crosses the
/// network and what this holds grows with hosts × groups, not with runs.
package struct FleetSnapshot: Sendable, Equatable {
    /// Where it was read from, safe to show (`user@host:port/db`, no password).
    package var database: String
    package var readAt: Date
    package var hosts: [Host]
    /// Per model, configuration, host and environment.
    package var rows: [GroupRow]
    /// Per model and configuration, all hosts pooled.
    package var totals: [GroupTotal]
    /// Regressions hosts opened and have not resolved.
    package var openRegressions: [Regression]
    /// Read with a publishing host's role, which row-level security shows
    /// its own rows only: not the fleet.
    package var ownRowsOnly: Bool

    package init(
        database: String, readAt: Date, hosts: [Host], rows: [GroupRow], totals: [GroupTotal], openRegressions: [Regression],
        ownRowsOnly: Bool = false
    ) {
        self.database = database
        self.readAt = readAt
        self.hosts = hosts
        self.rows = rows
        self.totals = totals
        self.openRegressions = openRegressions
        self.ownRowsOnly = ownRowsOnly
    }

    package typealias Environment = FleetEnvironment

    /// A model and configuration, as every host keys its groups.
    package struct GroupKey: Sendable, Hashable, Comparable {
        package var model: String
        /// Canonical JSON text, keys sorted: equal configurations are equal text.
        package var configurationText: String
        package var configuration: [Parameter]

        package init(model: String, configurationText: String, configuration: [Parameter]) {
            self.model = model
            self.configurationText = configurationText
            self.configuration = configuration
        }

        package static func < (lhs: GroupKey, rhs: GroupKey) -> Bool {
            (lhs.model, lhs.configurationText) < (rhs.model, rhs.configurationText)
        }
    }

    /// One metric over a set of sessions.
    package struct Figures: Sendable, Equatable {
        /// How the median and quartiles were taken.
        package enum Basis: String, Sendable {
            /// From every run's value, pooled: equal to the hosts' local reports.
            case runs
            /// From the sessions' medians: some sessions published fewer
            /// values than they had runs (a long session sends a spread of
            /// its runs; an outbox past its bound drops values first).
            case sessionMedians = "session_medians"
        }

        /// Runs with a value, as the sessions counted them.
        package var n: Int
        package var median: Double?
        package var lowerQuartile: Double?
        package var upperQuartile: Double?
        package var basis: Basis

        package init(n: Int, median: Double?, lowerQuartile: Double?, upperQuartile: Double?, basis: Basis) {
            self.n = n
            self.median = median
            self.lowerQuartile = lowerQuartile
            self.upperQuartile = upperQuartile
            self.basis = basis
        }

        package static let empty = Figures(n: 0, median: nil, lowerQuartile: nil, upperQuartile: nil, basis: .runs)
    }

    /// A publishing host and what it published.
    package struct Host: Sendable, Equatable {
        package var hostID: String
        package var hostname: String
        package var firstSeen: Date
        /// Its latest publication.
        package var lastSeen: Date
        /// The environment its latest report's files record.
        package var environment: Environment
        package var sessions: Int
        package var runsOK: Int
        package var runsFailed: Int
        /// Sessions in which every run failed: nothing was measured.
        package var deadSessions: Int
        /// When its newest session was measured, and when its newest dead one was.
        package var latestSessionAt: Date?
        package var latestDeadSessionAt: Date?

        package init(
            hostID: String, hostname: String, firstSeen: Date, lastSeen: Date, environment: Environment, sessions: Int, runsOK: Int,
            runsFailed: Int, deadSessions: Int, latestSessionAt: Date?, latestDeadSessionAt: Date?
        ) {
            self.hostID = hostID
            self.hostname = hostname
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
            self.environment = environment
            self.sessions = sessions
            self.runsOK = runsOK
            self.runsFailed = runsFailed
            self.deadSessions = deadSessions
            self.latestSessionAt = latestSessionAt
            self.latestDeadSessionAt = latestDeadSessionAt
        }
    }

    /// One host's sessions of one model and configuration in one environment.
    package struct GroupRow: Sendable, Equatable {
        package var group: GroupKey
        package var hostID: String
        package var environment: Environment
        package var sessions: Int
        package var runsOK: Int
        package var runsFailed: Int
        package var latestMeasuredAt: Date
        package var tokensPerSecond: Figures
        package var ttftSeconds: Figures

        package init(
            group: GroupKey, hostID: String, environment: Environment, sessions: Int, runsOK: Int, runsFailed: Int, latestMeasuredAt: Date,
            tokensPerSecond: Figures, ttftSeconds: Figures
        ) {
            self.group = group
            self.hostID = hostID
            self.environment = environment
            self.sessions = sessions
            self.runsOK = runsOK
            self.runsFailed = runsFailed
            self.latestMeasuredAt = latestMeasuredAt
            self.tokensPerSecond = tokensPerSecond
            self.ttftSeconds = ttftSeconds
        }
    }

    /// One model and configuration over every host.
    package struct GroupTotal: Sendable, Equatable {
        package var group: GroupKey
        package var hosts: Int
        package var sessions: Int
        package var runsOK: Int
        package var runsFailed: Int
        package var tokensPerSecond: Figures
        package var ttftSeconds: Figures

        package init(
            group: GroupKey, hosts: Int, sessions: Int, runsOK: Int, runsFailed: Int, tokensPerSecond: Figures, ttftSeconds: Figures
        ) {
            self.group = group
            self.hosts = hosts
            self.sessions = sessions
            self.runsOK = runsOK
            self.runsFailed = runsFailed
            self.tokensPerSecond = tokensPerSecond
            self.ttftSeconds = ttftSeconds
        }
    }

    /// A regression one host opened and has not resolved.
    package struct Regression: Sendable, Equatable {
        package var hostID: String
        package var group: GroupKey
        /// The statistic's key, as in the local report (`tokens_per_second`).
        package var metric: String
        package var openedAt: Date
        package var changePercent: Double
        package var baselineMedian: Double
        package var currentMedian: Double
        /// The build the regressed session ran, when its files name one.
        package var build: String?

        package init(
            hostID: String, group: GroupKey, metric: String, openedAt: Date, changePercent: Double, baselineMedian: Double,
            currentMedian: Double, build: String?
        ) {
            self.hostID = hostID
            self.group = group
            self.metric = metric
            self.openedAt = openedAt
            self.changePercent = changePercent
            self.baselineMedian = baselineMedian
            self.currentMedian = currentMedian
            self.build = build
        }
    }
}

/// GPU, driver, backend and build as a host's files name them (nil: not
/// recorded): what a host publishes and the fleet report groups by.
package struct FleetEnvironment: Sendable, Hashable, Codable, Comparable {
    package var gpu: String?
    package var driver: String?
    package var backend: String?
    package var build: String?

    package init(gpu: String? = nil, driver: String? = nil, backend: String? = nil, build: String? = nil) {
        self.gpu = gpu
        self.driver = driver
        self.backend = backend
        self.build = build
    }

    package var isEmpty: Bool { gpu == nil && driver == nil && backend == nil && build == nil }

    /// The recorded parts, named (`gpu`, `driver`, `backend`, `build`).
    package var parts: [Parameter] {
        [("gpu", gpu), ("driver", driver), ("backend", backend), ("build", build)].compactMap { name, value in
            value.map { Parameter(name, $0) }
        }
    }

    package static func < (lhs: FleetEnvironment, rhs: FleetEnvironment) -> Bool {
        lhs.parts.lexicographicallyPrecedes(rhs.parts)
    }
}
