/// The sessions an analysis has counted, by what they measured, so a session
/// recorded again in another file counts once: a backup of a results file
/// (`cp -r`, new modification times) holds the file's sessions, the same runs
/// at the same times. (A copy with the same modification time never gets
/// here: a report skips it first.) Only sessions dated by their data with
/// measured values are matched: the same numbers dated by two files'
/// modification times are two nights, and two hosts' harnesses failing at
/// the same minute are two failures.
///
///     var counted = CountedSessions()
///     counted.earlier(set, group: key, path: "runs.csv", at: 0)         // nil: counted now, at 0
///     counted.earlier(set, group: key, path: "backup/runs.csv", at: 1)  // 0: the same session
struct CountedSessions {
    private struct Identity: Hashable {
        var group: String
        var startedAt: Double
        var endedAt: Double?
        var runsOK: Int
        var runsFailed: Int
        /// A hash of its throughputs, TTFTs and failures, bit for bit.
        var values: Int
    }

    private var counted: [Identity: (path: String, index: Int)] = [:]

    /// Where the same session of `group`, from a file other than `path`, was
    /// counted (its index among the group's sessions); nil when none was, and
    /// then this one is, at `index`.
    mutating func earlier(_ set: FileDigest.RunSetDigest, group: String, path: String, at index: Int) -> Int? {
        guard let identity = CountedSessions.identity(of: set, group: group) else { return nil }
        if let first = counted[identity] { return first.path == path ? nil : first.index }
        counted[identity] = (path, index)
        return nil
    }

    /// Whether the same session was counted from any file (an earlier
    /// version's session that another file holds as it is).
    func contains(_ set: FileDigest.RunSetDigest, group: String) -> Bool {
        CountedSessions.identity(of: set, group: group).map { counted[$0] != nil } ?? false
    }

    private static func identity(of set: FileDigest.RunSetDigest, group: String) -> Identity? {
        guard let startedAt = set.startedAt, !set.tokensPerSecond.isEmpty else { return nil }
        // Within one analysis only, so the process's own hash seed will do;
        // the values' bytes at once, as a report hashes hundreds of thousands.
        var values = Hasher()
        set.tokensPerSecond.withUnsafeBytes { values.combine(bytes: $0) }
        values.combine(set.tokensPerSecond.count)
        set.warmTTFT.withUnsafeBytes { values.combine(bytes: $0) }
        for failure in set.failures {
            values.combine(failure.message)
            values.combine(failure.count)
        }
        return Identity(
            group: group, startedAt: startedAt, endedAt: set.endedAt, runsOK: set.runsOK, runsFailed: set.failedRuns,
            values: values.finalize())
    }
}
