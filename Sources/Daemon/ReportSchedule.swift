/// Keeps reports at least `minimumInterval` apart: a storm of changes turns
/// into one report per interval, with everything that landed meanwhile in it.
struct ReportSchedule: Sendable {
    var minimumInterval: Duration
    private(set) var lastReportEnded: ContinuousClock.Instant?

    init(minimumInterval: Duration) {
        self.minimumInterval = minimumInterval
    }

    /// The earliest moment the next report may start.
    var earliestStart: ContinuousClock.Instant? {
        lastReportEnded.map { $0 + minimumInterval }
    }

    func mayStart(at now: ContinuousClock.Instant) -> Bool {
        earliestStart.map { now >= $0 } ?? true
    }

    mutating func reportEnded(at now: ContinuousClock.Instant) {
        lastReportEnded = now
    }
}
