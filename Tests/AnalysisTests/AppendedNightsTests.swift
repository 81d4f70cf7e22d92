import Records
import Testing

@testable import Analysis

/// Which lines a version of a file adds to the one before it: appended
/// nights, a rotation that kept the end, a rewrite that kept nothing.
@Suite struct AppendedNightsTests {
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
        let sessions = nights.sessions { path, time in "\(path) @\(Int(time))" }
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
        let sessions = nights.sessions { path, time in "\(path) @\(Int(time))" }
        #expect(sessions.map(\.source) == ["h.json @100", "h.json @200"])
    }
}
