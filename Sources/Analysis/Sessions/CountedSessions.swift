/// The sessions an analysis has counted, by what they measured, so a session
/// recorded again in another file counts once: a backup of a results file
/// (`cp -r`, new modification times) holds the file's sessions, the same runs
/// at the same times, and so may an earlier version the store keeps of a
/// file rewritten since. (Files alike with the same modification time never
/// get here together: a report skips the copy first.) A session is known by
/// when it was measured (its data's time, else its file's modification time,
/// in seconds to well under a microsecond) and its measured values: the same
/// numbers dated by two files' modification times are two nights, and
/// sessions without a measured value (two hosts' harnesses failing in the
/// same minute) are never matched.
///
///     var counted = CountedSessions()
///     counted.earlier(set, group: key, path: "runs.csv", measuredAt: t, at: 0)         // nil: counted now, at 0
///     counted.earlier(set, group: key, path: "backup/runs.csv", measuredAt: t, at: 1)  // 0: the same session
struct CountedSessions {
    private struct Identity: Hashable {
        var group: String
        var measuredAt: Double
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
    mutating func earlier(_ set: FileDigest.RunSetDigest, group: String, path: String, measuredAt: Double?, at index: Int) -> Int? {
        guard let identity = CountedSessions.identity(of: set, group: group, measuredAt: measuredAt) else { return nil }
        if let first = counted[identity] { return first.path == path ? nil : first.index }
        counted[identity] = (path, index)
        return nil
    }

    /// Whether the same session was counted from any file (an earlier
    /// version's session that another file holds as it is).
    func contains(_ set: FileDigest.RunSetDigest, group: String, measuredAt: Double?) -> Bool {
        CountedSessions.identity(of: set, group: group, measuredAt: measuredAt).map { counted[$0] != nil } ?? false
    }

    /// None without a time (nil: neither the data nor the file gives one).
    private static func identity(of set: FileDigest.RunSetDigest, group: String, measuredAt: Double?) -> Identity? {
        guard let measuredAt, !set.tokensPerSecond.isEmpty else { return nil }
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
            group: group, measuredAt: measuredAt, endedAt: set.endedAt, runsOK: set.runsOK, runsFailed: set.failedRuns,
            values: values.finalize())
    }
}
