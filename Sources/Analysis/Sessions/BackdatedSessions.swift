/// A run file's sessions as a report counts them, and which of them are new
/// though dated no later than the file's latest session a report read.
///
/// A file appended to holds new sessions after the end of its latest session
/// when a report last read it (`FileStamp.reportedUntil`). A night appended
/// with an earlier date (a clock set back: a board without a battery-backed
/// clock before NTP answers, a VM restored from a snapshot) passed as read:
/// never tested, yet in every baseline after it, where its slow runs hid the
/// real slowdown that followed. The number of sessions that report read
/// (`FileStamp.reportedSessions`) tells them apart: more sessions dated up to
/// the mark than were read are new, the last of them in the file's order,
/// where an append puts them.
///
///     let backdated = BackdatedSessions(sets, stamp: stamp, now: now)
///     backdated.isNew(at: 7)   // the night appended last, dated day 3.5
struct BackdatedSessions {
    /// The file's sessions a report counts: those with a run, not dated ahead of the report.
    let count: Int
    /// Positions in the file's sets of the sessions new though dated up to the mark.
    private let new: Set<Int>

    init(_ sets: [FileDigest.RunSetDigest], stamp: FileStamp, now: Double) {
        var counted: [(position: Int, end: Double)] = []
        for (position, set) in sets.enumerated() {
            guard set.runsOK + set.failedRuns > 0, !FileStamp.isAhead(set.startedAt, of: now) else { continue }
            counted.append((position, set.endedAt ?? set.startedAt ?? stamp.modifiedAt))
        }
        count = counted.count
        new = BackdatedSessions.new(counted, of: sets, stamp: stamp)
    }

    /// The positions of the sessions new though dated up to the mark.
    private static func new(_ counted: [(position: Int, end: Double)], of sets: [FileDigest.RunSetDigest], stamp: FileStamp) -> Set<Int> {
        guard let until = stamp.reportedUntil else { return [] }
        // Sessions dated by the file's time are new when that time went back.
        if isRewrittenEarlier(modifiedAt: stamp.modifiedAt, until: until) {
            let undated = counted.filter { sets[$0.position].endedAt == nil && sets[$0.position].startedAt == nil }
            if !undated.isEmpty { return Set(undated.map(\.position)) }
        }
        guard let read = stamp.reportedSessions else { return [] }
        let datedBefore = counted.filter { $0.end <= until + Analyzer.reportedTolerance }
        let surplus = datedBefore.count - read
        return surplus > 0 ? Set(datedBefore.suffix(surplus).map(\.position)) : []
    }

    /// Whether a session dated by its file's time (`modifiedAt`), in a file
    /// read up to `until`, is new though dated no later: the file's time went
    /// back, which content unchanged never does (its time stays when a
    /// `touch` moves the file's), so it was written anew with a clock set back.
    /// An earlier version kept as history is read up to no time at all
    /// (`.infinity`): never new.
    static func isRewrittenEarlier(modifiedAt: Double, until: Double) -> Bool {
        until.isFinite && modifiedAt < until - Analyzer.reportedTolerance
    }

    /// Whether the set at `position` is a session new though dated up to the mark.
    func isNew(at position: Int) -> Bool { new.contains(position) }
}
