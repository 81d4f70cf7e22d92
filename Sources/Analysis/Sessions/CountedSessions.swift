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
    /// Sessions in which nothing was measured, apart: they match only
    /// between files in `copies`.
    private var unmeasured: [Identity: (path: String, index: Int)] = [:]
    /// A file's path, and the other files a measured session of it was found in.
    private var copies: [String: Set<String>] = [:]

    /// Where the same session of `group`, from a file other than `path`, was
    /// counted (its index among the group's sessions); nil when none was, and
    /// then this one is, at `index`.
    mutating func earlier(_ set: FileDigest.RunSetDigest, group: String, path: String, measuredAt: Double?, at index: Int) -> Int? {
        guard let identity = CountedSessions.identity(of: set, group: group, measuredAt: measuredAt) else { return nil }
        guard CountedSessions.isMeasured(set) else {
            if let first = unmeasured[identity] {
                return first.path != path && copies[path]?.contains(first.path) == true ? first.index : nil
            }
            unmeasured[identity] = (path, index)
            return nil
        }
        if let first = counted[identity] {
            guard first.path != path else { return nil }
            copies[path, default: []].insert(first.path)
            return first.index
        }
        counted[identity] = (path, index)
        return nil
    }

    /// Notes the files that already hold one of `path`'s measured sessions,
    /// before its sessions are counted: a backup's failed first night is
    /// known as its original's only by the nights after it.
    mutating func noteCopies(_ set: FileDigest.RunSetDigest, group: String, path: String, measuredAt: Double?) {
        guard CountedSessions.isMeasured(set), let identity = CountedSessions.identity(of: set, group: group, measuredAt: measuredAt),
            let first = counted[identity], first.path != path
        else { return }
        copies[path, default: []].insert(first.path)
    }

    /// Whether the same session was counted from any file (an earlier
    /// version's session that another file holds as it is).
    func contains(_ set: FileDigest.RunSetDigest, group: String, measuredAt: Double?) -> Bool {
        guard CountedSessions.isMeasured(set) else { return false }
        return CountedSessions.identity(of: set, group: group, measuredAt: measuredAt).map { counted[$0] != nil } ?? false
    }

    /// Whether a run of the session measured a throughput or a TTFT.
    static func isMeasured(_ set: FileDigest.RunSetDigest) -> Bool {
        !set.tokensPerSecond.isEmpty || !set.warmTTFT.isEmpty
    }

    /// None without a time (nil: neither the data nor the file gives one).
    private static func identity(of set: FileDigest.RunSetDigest, group: String, measuredAt: Double?) -> Identity? {
        guard let measuredAt else { return nil }
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
