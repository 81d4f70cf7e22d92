/// Which of a run file's sessions are new though dated no later than its
/// latest session a report read, and what to record as read.
///
/// A file appended to holds new sessions after the end of its latest session
/// when a report last read it (`FileStamp.reportedUntil`). A night appended
/// with an earlier date (a clock set back: a board without a battery-backed
/// clock before NTP answers, a VM restored from a snapshot) passed as read:
/// never tested, yet in every baseline after it, where its slow runs hid the
/// real slowdown that followed. The sessions that report read
/// (`FileStamp.readSessions`: each by group, start, end and runs) tell
/// them apart: one dated up to the mark that the report did not read, or
/// read when it ended earlier (a night appended a run at a time), is new.
///
///     let backdated = BackdatedSessions(sets, stamp: stamp, now: now)
///     backdated.isNew(at: 7)   // the night appended last, dated day 3.5
///     backdated.read           // stored with the report
struct BackdatedSessions {
    /// The file's sessions a report counts (those with a run, not dated
    /// ahead of the report), as the next report will know them.
    let read: ReadSessions
    /// Positions in the file's sets of the sessions new though dated up to the mark.
    private let new: Set<Int>

    init(_ sets: [FileDigest.RunSetDigest], stamp: FileStamp, now: Double) {
        var counted: [(position: Int, end: Double, entry: ReadSessions.Entry)] = []
        for (position, set) in sets.enumerated() {
            guard set.runsOK + set.failedRuns > 0, !FileStamp.isAhead(set.startedAt ?? stamp.knownTime, of: now) else { continue }
            // The group as the file names it: a model resolved from other files may change between reports.
            let group = (set.model ?? "") + "\u{1}" + set.configuration.rendered
            let entry = ReadSessions.Entry(group: group, startedAt: set.startedAt, endedAt: set.endedAt, runs: set.runsOK + set.failedRuns)
            counted.append((position, set.endedAt ?? set.startedAt ?? stamp.modifiedAt, entry))
        }
        read = ReadSessions(counted.map(\.entry))
        new = BackdatedSessions.new(counted, of: sets, stamp: stamp)
    }

    /// The positions of the sessions new though dated up to the mark.
    private static func new(
        _ counted: [(position: Int, end: Double, entry: ReadSessions.Entry)], of sets: [FileDigest.RunSetDigest], stamp: FileStamp
    ) -> Set<Int> {
        guard let until = stamp.reportedUntil else { return [] }
        let undated = counted.allSatisfy { sets[$0.position].startedAt == nil && sets[$0.position].endedAt == nil }
        // A file dated by its time alone (its mark that time) written anew with an earlier one.
        if undated, isRewrittenEarlier(modifiedAt: stamp.modifiedAt, until: until) { return Set(counted.map(\.position)) }
        guard let read = stamp.readSessions else { return [] }
        return Set(counted.filter { $0.end <= until + Analyzer.reportedTolerance && !read.holds($0.entry) }.map(\.position))
    }

    /// Whether a session dated by its file's time (`modifiedAt`), in a file
    /// whose mark `until` is that time when a report read it, is new though
    /// dated no later: the time went back, which content left as it was
    /// never does (a `touch` moves the file's time, not its content's), so
    /// it was written anew with a clock set back. An earlier version kept as
    /// history is read up to no time at all (`.infinity`): never new.
    static func isRewrittenEarlier(modifiedAt: Double, until: Double) -> Bool {
        until.isFinite && modifiedAt < until - Analyzer.reportedTolerance
    }

    /// Whether the set at `position` is a session new though dated up to the mark.
    func isNew(at position: Int) -> Bool { new.contains(position) }
}
