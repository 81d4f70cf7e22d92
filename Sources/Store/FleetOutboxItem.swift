import Records

/// One thing a report publishes to the fleet's PostgreSQL, as the local
/// outbox keeps it until PostgreSQL committed it.
///
/// Items carry no host id: the publisher adds this host's id when it sends,
/// so every row it writes is keyed by the host that sent it. Each item maps
/// to one row whose key makes a resend land on the row already written.
package enum FleetOutboxItem: Sendable, Equatable, Codable {
    /// The environment this host's files record (the latest report's).
    case host(Environment)
    /// A file's content now: its sessions of other contents are gone (a
    /// session that grew is sent again whole, not counted twice).
    case fileVersion(FileVersion)
    /// One session's summary: never dropped by the outbox's bound.
    case session(Session)
    /// One metric's per-run values of a session: the first to go when the outbox is full.
    case samples(Samples)
    /// A regression opened or resolved (its latest state).
    case regression(Regression)
    /// A report written.
    case report(Report)

    /// The outbox's `kind` column: what the bound selects on.
    package enum Kind: String, Sendable, CaseIterable {
        case host, file, session, samples, regression, report
    }

    package var kind: Kind {
        switch self {
        case .host: .host
        case .fileVersion: .file
        case .session: .session
        case .samples: .samples
        case .regression: .regression
        case .report: .report
        }
    }

    /// GPU, driver, backend and build as the files name them: the fleet's one shape for them.
    package typealias Environment = FleetEnvironment

    /// A file (its path under its watch root) and its content hash.
    package struct FileVersion: Sendable, Equatable, Codable {
        package var sourcePath: String
        package var contentHash: String

        package init(sourcePath: String, contentHash: String) {
            self.sourcePath = sourcePath
            self.contentHash = contentHash
        }
    }

    /// What identifies a session across hosts' resends: its file's path under
    /// its watch root, the file's content hash, and its ordinal in the file.
    package struct SessionKey: Sendable, Equatable, Hashable, Codable {
        package var sourcePath: String
        package var contentHash: String
        package var sessionIndex: Int

        package init(sourcePath: String, contentHash: String, sessionIndex: Int) {
            self.sourcePath = sourcePath
            self.contentHash = contentHash
            self.sessionIndex = sessionIndex
        }
    }

    /// A metric's count, median and quartiles.
    package struct Figures: Sendable, Equatable, Codable {
        package var n: Int
        package var median: Double?
        package var lowerQuartile: Double?
        package var upperQuartile: Double?

        package init(n: Int, median: Double?, lowerQuartile: Double?, upperQuartile: Double?) {
            self.n = n
            self.median = median
            self.lowerQuartile = lowerQuartile
            self.upperQuartile = upperQuartile
        }
    }

    package struct Session: Sendable, Equatable, Codable {
        package var key: SessionKey
        package var model: String
        /// Canonical JSON text (keys sorted), so equal configurations compare equal as text.
        package var configuration: String
        package var environment: Environment
        /// Seconds since 1970.
        package var startedAt: Double?
        package var measuredAt: Double
        package var runsOK: Int
        package var runsFailed: Int
        package var tokensPerSecond: Figures
        package var ttftSeconds: Figures

        package init(
            key: SessionKey, model: String, configuration: String, environment: Environment, startedAt: Double?, measuredAt: Double,
            runsOK: Int, runsFailed: Int, tokensPerSecond: Figures, ttftSeconds: Figures
        ) {
            self.key = key
            self.model = model
            self.configuration = configuration
            self.environment = environment
            self.startedAt = startedAt
            self.measuredAt = measuredAt
            self.runsOK = runsOK
            self.runsFailed = runsFailed
            self.tokensPerSecond = tokensPerSecond
            self.ttftSeconds = ttftSeconds
        }
    }

    /// The fleet schema's sample metrics.
    package enum Metric: String, Sendable, Equatable, Codable {
        case tokensPerSecond = "tokens_per_second"
        case ttftSeconds = "ttft_seconds"
    }

    package struct Samples: Sendable, Equatable, Codable {
        package var key: SessionKey
        package var metric: Metric
        /// In the order measured; the position is the row's ordinal.
        package var values: [Double]

        package init(key: SessionKey, metric: Metric, values: [Double]) {
            self.key = key
            self.metric = metric
            self.values = values
        }
    }

    package struct Regression: Sendable, Equatable, Codable {
        /// The id in this host's store (`chimerad regressions`).
        package var localID: Int64
        package var model: String
        package var configuration: String
        /// JSON text: `[[name, value], ...]` as the files recorded them.
        package var environment: String
        package var metric: String
        /// ISO 8601, as the store keeps them.
        package var openedAt: String
        package var resolvedAt: String?
        package var resolution: String?
        package var changePercent: Double
        package var pValue: Double
        package var qValue: Double
        package var baselineMedian: Double
        package var baselineCount: Int
        package var currentMedian: Double
        package var currentCount: Int
        package var build: String?
        /// Reopened by this report: the fleet's row is open again (a resent
        /// opening alone never reopens a resolved row). Absent in items queued
        /// before reopening existed: false.
        package var reopened: Bool?

        package init(
            localID: Int64, model: String, configuration: String, environment: String, metric: String, openedAt: String,
            resolvedAt: String?, resolution: String?, changePercent: Double, pValue: Double, qValue: Double, baselineMedian: Double,
            baselineCount: Int, currentMedian: Double, currentCount: Int, build: String?
        ) {
            self.localID = localID
            self.model = model
            self.configuration = configuration
            self.environment = environment
            self.metric = metric
            self.openedAt = openedAt
            self.resolvedAt = resolvedAt
            self.resolution = resolution
            self.changePercent = changePercent
            self.pValue = pValue
            self.qValue = qValue
            self.baselineMedian = baselineMedian
            self.baselineCount = baselineCount
            self.currentMedian = currentMedian
            self.currentCount = currentCount
            self.build = build
        }
    }

    package struct Report: Sendable, Equatable, Codable {
        /// The report's file name without its extension, unique in its output folder.
        package var name: String
        /// Seconds since 1970.
        package var generatedAt: Double
        package var trigger: String
        package var filesAnalyzed: Int
        package var sessions: Int

        package init(name: String, generatedAt: Double, trigger: String, filesAnalyzed: Int, sessions: Int) {
            self.name = name
            self.generatedAt = generatedAt
            self.trigger = trigger
            self.filesAnalyzed = filesAnalyzed
            self.sessions = sessions
        }
    }
}
