/// One session of a run group: the runs of one model and configuration that
/// one file recorded together (a file's runs further apart in time than the
/// session gap are separate sessions; see `FileDigest`).
///
/// A group's sessions, in the order they were measured, are its history: the
/// latest one is what "did this just get worse?" is asked of, the ones before
/// it are its baseline. The group's pooled figures (`RunGroup.tokensPerSecond`)
/// stay what they were; sessions are kept beside them.
package struct Session: Sendable, Equatable {
    /// The file the session's runs are in (as the report shows it).
    package var source: String
    /// When its first timed run was measured (seconds since 1970, UTC), if the file says.
    package var startedAt: Double?
    /// When it was measured, for ordering: `startedAt`, else the file's
    /// modification time.
    package var measuredAt: Double
    /// The store's sequence when its file was first stored (a pinned baseline
    /// takes the sessions of files stored up to its pin: a file appended to
    /// or renamed later stays in it); 0 when not known.
    package var sequence: Int64
    package var runsOK: Int
    package var runsFailed: Int
    /// The failures' messages, most frequent first (at most
    /// `Session.messageLimit`): what a dead session says about its harness.
    package var failureMessages: [String]
    /// Decode throughput and warm TTFT over the session's successful runs.
    package var tokensPerSecond: SessionFigures
    package var ttftSeconds: SessionFigures
    /// The session's file changed since the previous report: it is tested
    /// against the sessions before it.
    package var isNew: Bool
    /// Where it ran, as its folder's files record it (set by each report,
    /// never cached: the files beside it may change).
    package var environment = SessionEnvironment.empty

    package static let messageLimit = 3

    package init(
        source: String, startedAt: Double?, measuredAt: Double, sequence: Int64 = 0, runsOK: Int, runsFailed: Int, failureMessages: [String],
        tokensPerSecond: SessionFigures, ttftSeconds: SessionFigures, isNew: Bool
    ) {
        self.source = source
        self.startedAt = startedAt
        self.measuredAt = measuredAt
        self.sequence = sequence
        self.runsOK = runsOK
        self.runsFailed = runsFailed
        self.failureMessages = failureMessages
        self.tokensPerSecond = tokensPerSecond
        self.ttftSeconds = ttftSeconds
        self.isNew = isNew
    }

    /// Every run failed: nothing was measured, which says more about the
    /// harness (a server that was not there) than about the model.
    package var isDead: Bool { runsOK == 0 && runsFailed > 0 }
}

/// One metric of one session: how many values, their median and quartiles
/// (type 7 interpolation, as `Summary`).
package struct SessionFigures: Sendable, Equatable {
    package var n: Int
    package var median: Double?
    package var lowerQuartile: Double?
    package var upperQuartile: Double?
    /// The runs' values, in the order measured, for the charts' strip plots:
    /// all of them up to `runLimit`, else `runLimit` spread evenly over the
    /// session. Kept for the group's newest `sessionsWithRuns` sessions only
    /// (empty for the others): a chart draws no more, and a long history
    /// must not grow the store by its runs.
    package var runs: [Double] = []

    package static let runLimit = 40
    package static let sessionsWithRuns = 12

    package static let empty = SessionFigures(n: 0, median: nil, lowerQuartile: nil, upperQuartile: nil)

    package init(n: Int, median: Double?, lowerQuartile: Double?, upperQuartile: Double?, runs: [Double] = []) {
        self.n = n
        self.median = median
        self.lowerQuartile = lowerQuartile
        self.upperQuartile = upperQuartile
        self.runs = runs
    }

    /// At most `runLimit` of the finite `values`, evenly spaced in the order
    /// measured: the session's spread and drift, without its every run.
    package static func spread(_ values: ArraySlice<Double>) -> [Double] {
        let finite = values.filter(\.isFinite)
        guard finite.count > runLimit else { return finite }
        return (0..<runLimit).map { finite[$0 * finite.count / runLimit] }
    }

    /// The figures of `values`, reordered in place by selection. Stored in
    /// file digests (`FileDigest.RunSetDigest.Figures`): a change to how they
    /// are computed must bump `FileDigest.binaryVersion`.
    package init(_ values: inout [Double]) {
        n = values.count
        lowerQuartile = Summary.quantile(&values, 0.25)
        // Each selection leaves everything above its position at least as
        // large, so the next one searches only above it.
        median = Summary.quantile(&values, 0.5, from: Summary.lowerPosition(0.25, count: n))
        upperQuartile = Summary.quantile(&values, 0.75, from: Summary.lowerPosition(0.5, count: n))
    }
}

/// When a file was last modified (seconds since 1970) and the store's
/// sequence when it was first stored: what orders and dates its sessions.
/// `reportedUntil` is the end of its latest session when a report last read
/// it: a file appended to, renamed or parsed again holds new sessions only
/// after it.
package struct FileStamp: Sendable, Equatable {
    package var modifiedAt: Double
    package var sequence: Int64
    package var reportedUntil: Double?
    /// The sessions of a run file that report read (nil when unknown): one
    /// dated up to `reportedUntil` that it did not read is new all the same
    /// (`BackdatedSessions`).
    package var readSessions: ReadSessions?
    /// Unchanged since the report that set the mark: none of its sessions
    /// is new, and what that report read of it stands.
    package var isUnchanged = false

    package static let unknown = FileStamp(modifiedAt: 0, sequence: 0)

    /// Its modification time, unless unknown (see `knownTime(_:)`).
    package var knownTime: Double? { FileStamp.knownTime(modifiedAt) }

    /// A file's modification time, unless unknown: the epoch itself, as an
    /// archive without times leaves, is no time either.
    package static func knownTime(_ modifiedAt: Double) -> Double? { modifiedAt > 0 ? modifiedAt : nil }

    /// How far a session's data may date it after the report: a day, so a
    /// harness writing local time without its zone (up to 14 hours ahead)
    /// is believed.
    static let futureTolerance = 86_400.0

    /// Whether a session dated `dataTime` (by its data, else by its file's
    /// modification time) was measured after a report made at `now` could
    /// have seen it: a clock set ahead (2030), or a file written under one.
    /// Believed, it would stay its group's latest session whatever lands
    /// after it, recovering every real slowdown at once, or never recovering
    /// its own; and its end, as the file's read-up-to mark, would hide every
    /// session appended after it. It is no session: its runs count in the
    /// figures, and the report's notes say why it is not tested.
    static func isAhead(_ dataTime: Double?, of now: Double) -> Bool {
        dataTime.map { $0 > now + futureTolerance } ?? false
    }

    package init(modifiedAt: Double, sequence: Int64, reportedUntil: Double? = nil, readSessions: ReadSessions? = nil) {
        self.modifiedAt = modifiedAt
        self.sequence = sequence
        self.reportedUntil = reportedUntil
        self.readSessions = readSessions
    }
}
