import Records
import Testing

@testable import Analysis

/// Which lines a version of a file adds to the one before it: appended
/// nights, a rotation that kept the end, a rewrite that kept nothing.
@Suite struct AppendedNightsTests {
    /// The sessions `nights` adds, named `path @time`, and its latest nights, at the report's time `now`.
    static func read(_ nights: AppendedNights, now: Double = .infinity) -> (lines: [AppendedNights.Line], latest: [AppendedNights.LatestNight]) {
        var latest: [AppendedNights.LatestNight] = []
        let lines = nights.sessions(gap: 600, now: now, naming: { path, time in "\(path) @\(Int(time))" }, latest: &latest)
        return (lines, latest)
    }

    static func lines(_ values: [Double]) -> [Measurement] {
        values.map { Measurement(tool: "sglang", name: "output_throughput", unit: "tok/s", higherIsBetter: true, mean: $0) }
    }

    @Test("appended: the new lines, a millisecond apart, the last at the version's time")
    func appended() {
        let added = AppendedNights.added(Self.lines([1, 2, 3, 4]), after: Self.lines([1, 2]), at: 1000)
        #expect(added.map(\.0.mean) == [3, 4])
        #expect(added.map(\.1) == [999.999, 1000])
    }

    @Test("rotated: the lines after the end it kept")
    func rotated() {
        // The last two of five kept, two more appended.
        #expect(AppendedNights.overlap(of: Self.lines([1, 2, 3, 4, 5]), with: Self.lines([4, 5, 6, 7])) == 2)
        #expect(AppendedNights.added(Self.lines([4, 5, 6, 7]), after: Self.lines([1, 2, 3, 4, 5]), at: 50).map(\.0.mean) == [6, 7])
    }

    @Test("rewritten, or first read: every line is the version's")
    func rewritten() {
        #expect(AppendedNights.overlap(of: Self.lines([1, 2, 3]), with: Self.lines([7, 8, 9])) == 0)
        #expect(AppendedNights.added(Self.lines([7, 8, 9]), after: [], at: 10).map(\.0.mean) == [7, 8, 9])
        // Unchanged: nothing new.
        #expect(AppendedNights.added(Self.lines([1, 2]), after: Self.lines([1, 2]), at: 10).isEmpty)
        // Cut short: what is left was there before; nothing is new.
        #expect(AppendedNights.overlap(of: Self.lines([1, 2, 3]), with: Self.lines([2, 3])) == 2)
    }

    @Test("two nights between reports are both the file's own, new; the nights a kept version held are history")
    func nightsBetweenReports() {
        var nights = AppendedNights()
        let stamp = FileStamp(modifiedAt: 9000, sequence: 3, reportedUntil: 7000)
        let now = nights.noteFile(path: "s.jsonl", Self.lines([1, 2, 3, 4]), stamp: stamp)
        #expect(now == [3], "the last line is added with the file")
        nights.noteVersion(path: "s.jsonl", Self.lines([1, 2]), modifiedAt: 7000, fileMeasuredAt: nil) { _ in false }
        nights.noteVersion(path: "s.jsonl", Self.lines([1]), modifiedAt: 6000, fileMeasuredAt: nil) { _ in false }
        let sessions = Self.read(nights).lines
        // Line 1 by the first version, line 2 by the second, line 3 by the file (new), line 4 added already.
        #expect(sessions.map(\.measurement.mean) == [1, 2, 3])
        #expect(sessions.map(\.source) == ["s.jsonl @6000", "s.jsonl @7000", "s.jsonl"])
        #expect(sessions[2].stamp.modifiedAt == 8999.999 && sessions[2].stamp.reportedUntil == 7000)
        #expect(sessions[0].stamp.reportedUntil == .infinity && sessions[1].stamp.reportedUntil == .infinity)
    }

    @Test("one result a version: each version's, as before")
    func oneResultAVersion() {
        var nights = AppendedNights()
        _ = nights.noteFile(path: "h.json", Self.lines([3]), stamp: FileStamp(modifiedAt: 300, sequence: 1))
        nights.noteVersion(path: "h.json", Self.lines([2]), modifiedAt: 200, fileMeasuredAt: nil) { _ in false }
        nights.noteVersion(path: "h.json", Self.lines([2]), modifiedAt: 100, fileMeasuredAt: nil) { _ in false }
        let sessions = Self.read(nights).lines
        #expect(sessions.map(\.source) == ["h.json @100", "h.json @200"])
    }

    /// A log of runs appended one invocation after another: `runs` (a wall
    /// time each when `durations`), as one measurement.
    static func log(_ runs: [Double], durations: Bool = false) -> [Measurement] {
        var measurement = Measurement(tool: "time", name: "make", unit: "s", count: runs.count, samples: runs)
        measurement.appendedRuns = durations ? .durations : .figures
        measurement.fillFromSamples()
        return [measurement]
    }

    static let day = 86_400.0

    @Test("appended runs: each version's runs a night, dated by it; the file's own night is new")
    func appendedRunsAreNights() {
        var nights = AppendedNights()
        let now = nights.noteFile(
            path: "t.log", Self.log([5, 5, 5, 6, 6, 6, 9, 9, 9]), stamp: FileStamp(modifiedAt: 3 * Self.day, sequence: 4, reportedUntil: 2 * Self.day)
        )
        #expect(now == [0], "the file's figure is listed")
        #expect(AppendedNights.addsSessionsLater(Self.log([5])[0], datedAsAWhole: false))
        #expect(!AppendedNights.addsSessionsLater(Self.log([5])[0], datedAsAWhole: true))
        nights.noteVersion(path: "t.log", Self.log([5, 5, 5, 6, 6, 6]), modifiedAt: 2 * Self.day, fileMeasuredAt: nil) { _ in false }
        nights.noteVersion(path: "t.log", Self.log([5, 5, 5]), modifiedAt: Self.day, fileMeasuredAt: nil) { _ in false }
        let sessions = Self.read(nights).lines
        #expect(sessions.map(\.measurement.samples) == [[5, 5, 5], [6, 6, 6], [9, 9, 9]])
        #expect(sessions.map(\.measurement.median) == [5, 6, 9] && sessions.map(\.measurement.count) == [3, 3, 3])
        #expect(sessions.map(\.source) == ["t.log @86400", "t.log @172800", "t.log"])
        #expect(sessions[2].stamp.modifiedAt == 3 * Self.day && sessions[2].stamp.reportedUntil == 2 * Self.day)
        #expect(sessions.allSatisfy { $0.measurement.isRegressionTested })
    }

    @Test("appended runs: versions less than an hour apart are one night, less the runs' own wall time")
    func versionsOfOneNight() {
        var nights = AppendedNights()
        // Builds of 20 minutes, a version after each, 80 minutes apart (a step not timed between them); then a night later.
        _ = nights.noteFile(path: "t.log", Self.log([1200, 1200, 1300], durations: true), stamp: FileStamp(modifiedAt: Self.day + 4800, sequence: 3))
        nights.noteVersion(path: "t.log", Self.log([1200, 1200], durations: true), modifiedAt: 4800, fileMeasuredAt: nil) { _ in false }
        nights.noteVersion(path: "t.log", Self.log([1200], durations: true), modifiedAt: 0, fileMeasuredAt: nil) { _ in false }
        #expect(Self.read(nights).lines.map(\.measurement.samples) == [[1200, 1200], [1300]])
        // Figures that are no wall times: 80 minutes apart is two nights, 50 one.
        var figures = AppendedNights()
        _ = figures.noteFile(path: "b.txt", Self.log([7, 7, 8]), stamp: FileStamp(modifiedAt: 7800, sequence: 3))
        figures.noteVersion(path: "b.txt", Self.log([7, 7]), modifiedAt: 4800, fileMeasuredAt: nil) { _ in false }
        figures.noteVersion(path: "b.txt", Self.log([7]), modifiedAt: 0, fileMeasuredAt: nil) { _ in false }
        #expect(Self.read(figures).lines.map(\.measurement.samples) == [[7], [7, 8]])
    }

    @Test("appended runs: a night with fewer runs than the night before it waits an hour; the first night's pool is no measure")
    func aGrowingNight() throws {
        var nights = AppendedNights()
        // First read held 12 runs (nights unknown); then nights of 3; the last has 1 so far.
        let first = Array(repeating: 5.0, count: 12)
        let versions = [first, first + [5, 5, 5], first + [5, 5, 5, 5, 5, 5]]
        _ = nights.noteFile(path: "t.log", Self.log(versions[2] + [7]), stamp: FileStamp(modifiedAt: 4 * Self.day, sequence: 5))
        for (index, runs) in versions.enumerated() {
            nights.noteVersion(path: "t.log", Self.log(runs), modifiedAt: Double(index + 1) * Self.day, fileMeasuredAt: nil) { _ in false }
        }
        let (lines, latest) = Self.read(nights, now: 4 * Self.day + 60)
        #expect(lines.map(\.measurement.samples.count) == [12, 3, 3, 1])
        #expect(lines.map(\.measurement.isRegressionTested) == [true, true, true, false])
        #expect(latest.first?.hold == .fewerRuns(runs: 1, before: 3, minutes: 60))
        #expect(
            latest.first?.hold?.text(benchmark: "make").hasPrefix("1 run(s) of tonight's make so far, fewer than the 3 of the night before") == true)
        // An hour after its last run the night is whole, however short; held by the last report, it is unread now (new).
        var whole = Self.read(nights, now: 4 * Self.day + 3700)
        #expect(whole.lines.map(\.measurement.isRegressionTested) == [true, true, true, true] && whole.latest.first?.released == false)
        var released: [AppendedNights.LatestNight] = []
        let again = nights.sessions(gap: 600, now: 4 * Self.day + 3700, previousReport: 4 * Self.day + 60, naming: { p, _ in p }, latest: &released)
        #expect(released.first?.released == true && again.last?.stamp.reportedUntil == nil && again.last?.source == "t.log")
        whole = Self.read(nights, now: 4 * Self.day + 9000)
        #expect(whole.latest.first?.released == false, "without a report that held it, nothing to release")
        // With only the first read's pool before it, a night is tested (its runs' own test has its minimum).
        var young = AppendedNights()
        _ = young.noteFile(path: "t.log", Self.log(first + [7]), stamp: FileStamp(modifiedAt: 2 * Self.day, sequence: 2))
        young.noteVersion(path: "t.log", Self.log(first), modifiedAt: Self.day, fileMeasuredAt: nil) { _ in false }
        #expect(Self.read(young, now: 2 * Self.day).lines.map(\.measurement.isRegressionTested) == [true, true])
    }

    @Test("appended runs: a night's failed runs count toward its runs, and are the file's figure's, not every night's")
    func failedRunsOfANight() throws {
        func log(_ runs: [Double], failed: Int) -> [Measurement] {
            var measurement = Self.log(runs)[0]
            (measurement.failure, measurement.failedRuns) = failed > 0 ? ("exit status 2", failed) : (nil, 0)
            return [measurement]
        }
        var nights = AppendedNights()
        // Nights of 3; night 3 failed once (2 timed); tonight 2 timed and 1 failed too.
        _ = nights.noteFile(path: "t.log", log([5, 5, 5, 5, 5, 5, 6, 6, 7, 7], failed: 2), stamp: FileStamp(modifiedAt: 4 * Self.day, sequence: 5))
        nights.noteVersion(path: "t.log", log([5, 5, 5, 5, 5, 5, 6, 6], failed: 1), modifiedAt: 3 * Self.day, fileMeasuredAt: nil) { _ in false }
        nights.noteVersion(path: "t.log", log([5, 5, 5, 5, 5, 5], failed: 0), modifiedAt: 2 * Self.day, fileMeasuredAt: nil) { _ in false }
        nights.noteVersion(path: "t.log", log([5, 5, 5], failed: 0), modifiedAt: Self.day, fileMeasuredAt: nil) { _ in false }
        let (lines, latest) = Self.read(nights, now: 4 * Self.day + 60)
        #expect(lines.map(\.measurement.samples) == [[5, 5, 5], [5, 5, 5], [6, 6], [7, 7]])
        #expect(lines.allSatisfy { $0.measurement.isRegressionTested && $0.measurement.failure == nil })
        let figure = try #require(latest.first?.measurement)
        #expect(figure.samples == [7, 7] && figure.failedRuns == 1 && figure.failure == "exit status 2" && latest.first?.hold == nil)
    }

    @Test("appended runs: a log rewritten with several runs each night keeps every run, whatever the night before ended with")
    func rewrittenRuns() {
        var nights = AppendedNights()
        // `| tee bench.txt` each night: tonight starts with the figure last night ended with.
        _ = nights.noteFile(path: "b.txt", Self.log([0.25, 0.25, 0.30]), stamp: FileStamp(modifiedAt: 2 * Self.day, sequence: 2))
        nights.noteVersion(path: "b.txt", Self.log([0.25, 0.26, 0.25]), modifiedAt: Self.day, fileMeasuredAt: nil) { _ in false }
        #expect(Self.read(nights).lines.map(\.measurement.samples) == [[0.25, 0.26, 0.25], [0.25, 0.25, 0.30]])
    }

    @Test("appended runs: a log cut to its last lines each night adds only tonight's runs")
    func cutToItsLastLines() {
        var nights = AppendedNights()
        // `tail -n` keeps the last two nights of three runs, then tonight's are appended.
        _ = nights.noteFile(path: "t.log", Self.log([2, 2.1, 2, 3, 3.1, 3, 4, 4.1, 4]), stamp: FileStamp(modifiedAt: 3 * Self.day, sequence: 3))
        nights.noteVersion(path: "t.log", Self.log([1, 1.1, 1, 2, 2.1, 2, 3, 3.1, 3]), modifiedAt: 2 * Self.day, fileMeasuredAt: nil) { _ in false }
        #expect(Self.read(nights).lines.map(\.measurement.samples) == [[1, 1.1, 1, 2, 2.1, 2, 3, 3.1, 3], [4, 4.1, 4]])
    }

    @Test("appended runs: a log rewritten with one run each time keeps each run, whatever its value")
    func oneRunAVersion() {
        var nights = AppendedNights()
        _ = nights.noteFile(path: "t.log", Self.log([5]), stamp: FileStamp(modifiedAt: 3 * Self.day, sequence: 3))
        nights.noteVersion(path: "t.log", Self.log([5]), modifiedAt: 2 * Self.day, fileMeasuredAt: nil) { _ in false }
        nights.noteVersion(path: "t.log", Self.log([5]), modifiedAt: Self.day, fileMeasuredAt: nil) { _ in false }
        #expect(Self.read(nights).lines.map(\.measurement.samples) == [[5], [5], [5]])
    }
}
