/// The sessions an analysis has counted, by what they measured, so a session
/// recorded again in another file counts once: a backup of a results file
/// (`cp -r`, new modification times) holds the file's sessions, the same runs
/// at the same times, and so may an earlier version the store keeps of a
/// file rewritten since. (Files alike with the same modification time never
/// get here together: a report skips the copy first.) A session is known by
/// when it was measured (its data's time, else its file's modification time,
/// in seconds to well under a microsecond) and its measured values: the same
/// numbers dated by two files' modification times are two nights. A session
/// without a measured value (every run failed) is matched only in a file
/// whose measured sessions were already found in the same other file: two
/// hosts' harnesses failing in the same minute stay two sessions, and a
/// backup's failed night stays its original's.
///
///     var counted = CountedSessions()
///     counted.earlier(set, group: key, path: "runs.csv", measuredAt: t, at: 0, values: group.values(ofSession:))         // nil: counted now, at 0
///     counted.earlier(set, group: key, path: "backup/runs.csv", measuredAt: t, at: 1, values: group.values(ofSession:))  // 0: the same session
struct CountedSessions {
    /// When a session was measured, its run counts and its failures: what
    /// it is found by. Its values are compared only when another session
    /// shares all of this, so a report of hundreds of thousands of runs
    /// reads each value once, and sessions alike match bit for bit.
    private struct Moment: Hashable {
        var group: String
        var measuredAt: Double
        var endedAt: Double?
        var runsOK: Int
        var runsFailed: Int
        var failures: [FileDigest.RunSetDigest.Failure]
        /// How many values, and the first's bits: sessions alike in all the
        /// rest (untimed files unzipped with one time) are told apart
        /// without comparing their values one against another.
        var tokensPerSecondCount: Int
        var ttftCount: Int
        var firstValue: UInt64?

        /// The group and the numbers, not the failures' messages: hashing
        /// those (every session of a report, each time the table grew) was
        /// most of the cost of counting. The group stays: a sweep's
        /// configurations measured at one time, all failed, differ in it
        /// alone. Equality still compares every field.
        func hash(into hasher: inout Hasher) {
            hasher.combine(group)
            hasher.combine(measuredAt)
            hasher.combine(endedAt)
            hasher.combine(runsOK)
            hasher.combine(runsFailed)
            hasher.combine(failures.count)
            hasher.combine(tokensPerSecondCount)
            hasher.combine(ttftCount)
            hasher.combine(firstValue)
        }
    }

    /// A counted session's throughputs and TTFTs, where its group holds them.
    typealias Values = (tokensPerSecond: ArraySlice<Double>, ttft: ArraySlice<Double>)

    private typealias Counted = (path: String, index: Int)

    private var counted: [Moment: [Counted]] = [:]
    /// Sessions in which nothing was measured, apart: they match only
    /// between files in `copies`.
    private var unmeasured: [Moment: Counted] = [:]
    /// A file's path, and the other files a measured session of it was found in.
    private var copies: [String: Set<String>] = [:]

    /// Where the same session of `group`, from a file other than `path`, was
    /// counted (its index among the group's sessions); nil when none was, and
    /// then this one is, at `index`. `values` gives a counted session's
    /// values by its index.
    mutating func earlier(
        _ set: FileDigest.RunSetDigest, group: String, path: String, measuredAt: Double?, at index: Int, values: (Int) -> Values
    ) -> Int? {
        guard let moment = CountedSessions.moment(of: set, group: group, measuredAt: measuredAt) else { return nil }
        guard CountedSessions.isMeasured(set) else {
            if let first = unmeasured[moment] {
                return first.path != path && copies[path]?.contains(first.path) == true ? first.index : nil
            }
            unmeasured[moment] = (path, index)
            return nil
        }
        if let first = CountedSessions.same(set, among: counted[moment], values: values) {
            guard first.path != path else { return nil }
            copies[path, default: []].insert(first.path)
            return first.index
        }
        counted[moment, default: []].append((path, index))
        return nil
    }

    /// Notes the files that already hold one of `path`'s measured sessions,
    /// before its sessions are counted: a backup's failed first night is
    /// known as its original's only by the nights after it.
    mutating func noteCopies(
        _ set: FileDigest.RunSetDigest, group: String, path: String, measuredAt: Double?, values: (Int) -> Values
    ) {
        guard CountedSessions.isMeasured(set), let moment = CountedSessions.moment(of: set, group: group, measuredAt: measuredAt),
            let first = CountedSessions.same(set, among: counted[moment], values: values), first.path != path
        else { return }
        copies[path, default: []].insert(first.path)
    }

    /// Whether the same session was counted from any file (an earlier
    /// version's session that another file holds as it is).
    func contains(_ set: FileDigest.RunSetDigest, group: String, measuredAt: Double?, values: (Int) -> Values) -> Bool {
        guard CountedSessions.isMeasured(set), let moment = CountedSessions.moment(of: set, group: group, measuredAt: measuredAt) else {
            return false
        }
        return CountedSessions.same(set, among: counted[moment], values: values) != nil
    }

    /// Whether a run of the session measured a throughput or a TTFT.
    static func isMeasured(_ set: FileDigest.RunSetDigest) -> Bool {
        !set.tokensPerSecond.isEmpty || !set.warmTTFT.isEmpty
    }

    /// None without a time (nil: neither the data nor the file gives one).
    private static func moment(of set: FileDigest.RunSetDigest, group: String, measuredAt: Double?) -> Moment? {
        guard let measuredAt else { return nil }
        return Moment(
            group: group, measuredAt: measuredAt, endedAt: set.endedAt, runsOK: set.runsOK, runsFailed: set.failedRuns,
            failures: set.failures, tokensPerSecondCount: set.tokensPerSecond.count, ttftCount: set.warmTTFT.count,
            firstValue: (set.tokensPerSecond.first ?? set.warmTTFT.first)?.bitPattern)
    }

    /// The first of `candidates` whose values are `set`'s, bit for bit.
    private static func same(_ set: FileDigest.RunSetDigest, among candidates: [Counted]?, values: (Int) -> Values) -> Counted? {
        func identical(_ a: some Collection<Double>, _ b: some Collection<Double>) -> Bool {
            a.count == b.count && a.elementsEqual(b) { $0.bitPattern == $1.bitPattern }
        }
        return candidates?.first { candidate in
            let counted = values(candidate.index)
            return identical(counted.tokensPerSecond, set.tokensPerSecond) && identical(counted.ttft, set.warmTTFT)
        }
    }
}
