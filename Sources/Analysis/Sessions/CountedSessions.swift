/// The sessions an analysis has counted, by what they measured, so a session
/// recorded again in another file counts once: a backup of a results file
/// taken before the harness appended to it holds the file's earlier sessions,
/// the same runs at the same times. (A byte-for-byte copy never gets here: a
/// report skips it first.) Only sessions dated by their data are matched;
/// the same numbers dated by two files' modification times are two nights.
///
///     var counted = CountedSessions()
///     counted.isCountedElsewhere(set, group: key, path: "backup/runs.csv")  // false: now counted
///     counted.isCountedElsewhere(set, group: key, path: "runs.csv")         // true: a duplicate
struct CountedSessions {
    private struct Identity: Hashable {
        var group: String
        var startedAt: Double
        var endedAt: Double?
        var runsOK: Int
        var runsFailed: Int
        /// A hash of its throughputs and TTFTs, bit for bit.
        var values: Int
    }

    private var firstFile: [Identity: String] = [:]

    /// Whether a file other than `path` already gave the same session of
    /// `group`; when none did, the session is counted as `path`'s.
    mutating func isCountedElsewhere(_ set: FileDigest.RunSetDigest, group: String, path: String) -> Bool {
        guard let startedAt = set.startedAt else { return false }
        // Within one analysis only, so the process's own hash seed will do;
        // its bytes at once, as a report hashes hundreds of thousands of values.
        var values = Hasher()
        set.tokensPerSecond.withUnsafeBytes { values.combine(bytes: $0) }
        values.combine(set.tokensPerSecond.count)
        set.warmTTFT.withUnsafeBytes { values.combine(bytes: $0) }
        let identity = Identity(
            group: group, startedAt: startedAt, endedAt: set.endedAt, runsOK: set.runsOK, runsFailed: set.failedRuns,
            values: values.finalize())
        if let first = firstFile[identity] { return first != path }
        firstFile[identity] = path
        return false
    }
}
