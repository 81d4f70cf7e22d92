import Records

/// A run group's metric that a new session made worse, beyond the minimum
/// effect and significantly. It stays open, and leads every report, until a
/// later session recovers (is no longer worse than the baseline it was
/// opened against by the minimum effect) or a user acknowledges it.
package struct Regression: Sendable, Equatable {
    /// The store's id (what `chimerad regressions ack` takes); 0 until stored.
    package var id: Int64
    package var model: String
    package var configuration: [Parameter]
    /// Where the session that regressed ran (`SessionEnvironment`).
    package var environment: [Parameter] = []
    package var metric: TestedMetric
    /// For a benchmark other than a run group (hyperfine, ...): its tool, and
    /// the unit of a rate (times are in seconds). `model` is then the
    /// benchmark's name and `configuration` its parameters.
    package var tool: String? = nil
    package var unit: String? = nil
    /// What its sides count (`SessionComparison.Basis`).
    package var basis = SessionComparison.Basis.runs
    package var baseline: Side
    /// How many sessions the baseline pooled.
    package var baselineSessions: Int
    /// The file of each of them (`SessionComparison.baselineSources`);
    /// empty for a regression stored before they were kept.
    package var baselineSources: [String] = []
    package var current: Side
    /// The file(s) of the session that regressed, and when it was measured.
    package var currentSources: [String]
    package var sessionMeasuredAt: Double? = nil
    package var changePercent: Double
    package var intervalPercent: ClosedRange<Double>
    package var pValue: Double
    package var qValue: Double
    /// When it was opened and resolved (ISO 8601, UTC, as reports show times).
    package var openedAt: String
    package var resolvedAt: String?
    package var resolution: Resolution?
    /// Recovered: when the session that recovered it was measured. The
    /// sessions from its own up to that one are no later baseline (`RegressionPolicy.Spell`).
    package var recoveredSessionAt: Double? = nil
    /// When it was last reopened, and how many times: a session that
    /// recovered it, grown since (a harness appending a run at a time),
    /// turned out as slow, so it never recovered.
    package var reopenedAt: String? = nil
    package var reopenCount = 0
    package var reopenReason: ReopenReason? = nil
    /// Reopened by this report: the session that had recovered it, now as
    /// slow, and its change against the baseline. Not stored: the journal
    /// and the webhook say it once.
    package var reopenedBy: Latest? = nil
    /// While open: the group's newest session since the one that opened it,
    /// run where that one ran (`latestSession(in:)`), so a regression that
    /// keeps sliding says how far it has gone. Not stored: each report finds it.
    package var latest: Latest? = nil

    package struct Latest: Sendable, Equatable {
        package var median: Double
        package var source: String
        package var measuredAt: Double? = nil
        /// Against the baseline the regression was opened against, in percent.
        package var changePercent: Double
        /// The runs behind its median.
        package var runs = 0
        /// Whether it is new in this report (tested now) rather than read before.
        package var isNew = false
    }

    /// A median over n runs: the same pair a session comparison holds.
    package typealias Side = SessionComparison.Side

    /// Why a recovered regression is open again.
    package enum ReopenReason: String, Sendable, Equatable {
        /// The session that recovered it, grown since, is as slow.
        case slower
        /// The file of the session that recovered it was deleted (a bad
        /// run discarded): nothing is left that recovered it.
        case deleted
        /// Resolved as deleted with its session's file, which was written
        /// again holding that session (`rm -f results.csv` before a harness
        /// writes it anew, with a report between): it was never gone.
        case fileReturned = "file_returned"
    }

    package enum Resolution: Sendable, Equatable {
        /// A later session was no longer worse than the baseline by the
        /// minimum effect: its file and its change against that baseline.
        case recovered(source: String, changePercent: Double)
        /// A user accepted it (`chimerad regressions ack ID --note TEXT`).
        case acknowledged(note: String)
        /// Its session turned out to have run elsewhere than every session
        /// of its baseline (the file saying where landed after the runs):
        /// the comparison it rested on is void. What differs, baseline → session.
        case withdrawn(differences: [String])
        /// Its session's files were deleted (a bad run discarded): nothing is
        /// left to be worse, and the file it names is gone.
        case deleted

        /// How reports, the journal and the webhook name it.
        package var kind: String {
            switch self {
            case .recovered: "recovered"
            case .acknowledged: "acknowledged"
            case .withdrawn: "withdrawn"
            case .deleted: "deleted"
            }
        }
    }

    package init(
        id: Int64 = 0, model: String, configuration: [Parameter], metric: TestedMetric, baseline: Side, baselineSessions: Int,
        current: Side, currentSources: [String], changePercent: Double, intervalPercent: ClosedRange<Double>, pValue: Double,
        qValue: Double, openedAt: String, resolvedAt: String? = nil, resolution: Resolution? = nil
    ) {
        self.id = id
        self.model = model
        self.configuration = configuration
        self.metric = metric
        self.baseline = baseline
        self.baselineSessions = baselineSessions
        self.current = current
        self.currentSources = currentSources
        self.changePercent = changePercent
        self.intervalPercent = intervalPercent
        self.pValue = pValue
        self.qValue = qValue
        self.openedAt = openedAt
        self.resolvedAt = resolvedAt
        self.resolution = resolution
    }

    /// The run group it belongs to (`RunGroup.key`), or the benchmark.
    package var groupKey: String { Regression.groupKey(tool: tool, model: model, configuration: configuration) }

    /// How reports name a benchmark: its tool, then its name ("hyperfine make
    /// -j8"); a run group's model as it is.
    package static func name(tool: String?, model: String) -> String {
        tool.map { "\($0) \(model)" } ?? model
    }

    /// The configuration a regression stored by an older chimerad has as
    /// this one keys its group: a llama-bench test's settings at zero,
    /// false, `auto` or blank no longer key it (`BenchmarkSessions.keyParameters`),
    /// so its open regression still meets its test's sessions.
    package static func currentConfiguration(tool: String?, _ configuration: [Parameter]) -> [Parameter] {
        tool == "llama-bench" ? BenchmarkSessions.keyParameters(configuration) : configuration
    }

    /// A run group's key (`RunGroup.key`); a benchmark's has its tool before it,
    /// so a hyperfine command and a model of the same name stay apart.
    package static func groupKey(tool: String?, model: String, configuration: [Parameter]) -> String {
        (tool.map { $0 + ": " } ?? "") + model + " | " + configuration.rendered
    }

    package var isAcknowledged: Bool {
        if case .acknowledged = resolution { return true }
        return false
    }

    /// Whether `comparison` is of the session that recovered it: the same
    /// group, metric and environment, the file and time of that session.
    package func wasRecovered(by comparison: SessionComparison) -> Bool {
        guard case .recovered(let source, _) = resolution, source == comparison.source,
            recoveredSessionAt == comparison.measuredAt, groupKey == comparison.groupKey, metric == comparison.metric
        else { return false }
        return comparison.environment.differences(from: SessionEnvironment(parameters: environment)).isEmpty
    }

    /// Open again, as it was before it was resolved: its own session's figures stand.
    package mutating func reopen(at now: String, because reason: ReopenReason) {
        resolvedAt = nil
        resolution = nil
        recoveredSessionAt = nil
        reopenedAt = now
        reopenCount += 1
        reopenReason = reason
    }

    /// Reopened by the session that recovered it, now as slow.
    package mutating func reopen(at now: String, by comparison: SessionComparison) {
        reopen(at: now, because: .slower)
        reopenedBy = Latest(
            median: comparison.current.median, source: comparison.source, measuredAt: comparison.measuredAt,
            changePercent: comparison.test?.changePercent ?? .nan, runs: comparison.current.n, isNew: true)
    }
}

/// The regressions a report shows: every open one, and the resolved ones
/// (most recent first); `opened` and `resolvedNow` are this report's moves.
package struct RegressionState: Sendable, Equatable {
    package var open: [Regression] = []
    package var resolved: [Regression] = []
    package var opened: [Regression] = []
    package var resolvedNow: [Regression] = []
    /// Reopened by this report (`Regression.reopen`): open again, under their ids.
    package var reopened: [Regression] = []

    /// The open ones by the size of their change, the largest first (by id on
    /// a tie): the order of the findings, the summary's lead and the callout,
    /// so the lead is always one the callout lists.
    package var openLargestFirst: [Regression] {
        open.sorted { (abs($0.changePercent), -$0.id) > (abs($1.changePercent), -$1.id) }
    }
    /// Resolved by `chimerad regressions ack` since the report before: the
    /// journal heard of it then; the reports say so now.
    package var acknowledgedSince: [Regression] = []
    /// The same from the previous report's own second on (times are to the
    /// second): for the webhook, which keeps one event per id however often
    /// it is queued, so an ack in that second is posted too (`ack` without
    /// the config naming the webhook queues nothing itself).
    package var acknowledgedToPost: [Regression] = []

    package init(open: [Regression] = [], resolved: [Regression] = [], opened: [Regression] = [], resolvedNow: [Regression] = []) {
        self.open = open
        self.resolved = resolved
        self.opened = opened
        self.resolvedNow = resolvedNow
    }
}
