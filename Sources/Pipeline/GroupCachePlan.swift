import Analysis
import Records
import Store

/// Decides which run groups a report can take from the previous report's
/// figures and which files it must read.
///
/// A group's fingerprint is the list of its files with the store sequence at
/// which each last changed, and where its model name comes from: while it is
/// unchanged the group's figures are exactly what they were, so a report after
/// one changed file in a tree of thousands reads only that file's groups.
/// Sweep groups and twin files are always computed afresh (sweep effects and
/// deduplication need every run); so are files with results other than runs.
struct GroupCachePlan {
    /// What to take from a file's digest.
    struct Reading: Equatable {
        /// The run groups to add (`nil`: all of them).
        var groups: Set<String>?
        /// Whether to add its other results (compilation, notes, ...).
        var others: Bool

        var isEmpty: Bool { groups?.isEmpty == true && !others }
    }

    /// Bumped when what a cached result means changes (analysis rules, layout).
    static let version = "2/\(GroupResult.binaryVersion)/\(FileDigest.binaryVersion)"

    private var contributors: [String: StableHash] = [:]
    private var modelSources: [String: Set<String>] = [:]
    private var uncacheable: Set<String> = []
    private var keysOfFile: [String: [String]] = [:]
    private var readWhole: Set<String> = []
    private var clean: Set<String> = []
    private var fingerprints: [String: String] = [:]

    mutating func prepare(_ entries: [RegistryEntry], analyzer: inout Analyzer) {
        // Entries come sorted by path, so each group's files are hashed in a fixed order.
        // Most raw keys name their model and recur in thousands of files: resolved once.
        var resolved: [String: (key: String, modelSource: String)] = [:]
        for entry in entries {
            let twin = analyzer.hasTwin(path: entry.path, shape: entry.shape)
            let rawKeys = entry.groupKeys
            if rawKeys.isEmpty || rawKeys.contains(ReportJob.otherResultsKey) || twin {
                readWhole.insert(entry.path)
            }
            for raw in rawKeys where raw != ReportJob.otherResultsKey {
                let (key, source): (String, String)
                if let known = resolved[raw] {
                    (key, source) = known
                } else {
                    (key, source) = analyzer.resolveGroupKey(path: entry.path, rawKey: raw)
                    if Analyzer.rawGroupKeyNamesModel(raw) { resolved[raw] = (key, source) }
                }
                keysOfFile[entry.path, default: []].append(key)
                contributors[key, default: StableHash()].add(entry.path, entry.changedSequence)
                if modelSources[key]?.contains(source) != true { modelSources[key, default: []].insert(source) }
                if twin || entry.shape == .parameterSweep { uncacheable.insert(key) }
            }
        }
        for (key, files) in contributors where !uncacheable.contains(key) {
            var hash = StableHash()
            for part in [GroupCachePlan.version, key] + (modelSources[key] ?? []).sorted() { hash.add(part) }
            fingerprints[key] = hash.text + files.text
        }
    }

    /// Hands the analyzer every cached group whose fingerprint still matches.
    mutating func adopt(from cache: [String: (fingerprint: String, payload: [UInt8])], into analyzer: inout Analyzer) {
        for (key, fingerprint) in fingerprints {
            guard let cached = cache[key], cached.fingerprint == fingerprint,
                let result = try? GroupResult(decoding: cached.payload), result.key == key
            else { continue }
            analyzer.adopt(result)
            clean.insert(key)
        }
    }

    /// What to read of a file: its groups not taken from the cache, and its
    /// other results when it has any.
    func reading(_ path: String) -> Reading {
        let keys = keysOfFile[path] ?? []
        let dirty = keys.filter { !clean.contains($0) }
        return Reading(groups: dirty.count == keys.count ? nil : Set(dirty), others: readWhole.contains(path))
    }

    /// Whether anything of the file must be read.
    func needsReading(_ entry: RegistryEntry) -> Bool {
        !reading(entry.path).isEmpty
    }

    /// The cache entries this report computed afresh (the adopted ones are
    /// stored already), and every key the cache should keep.
    func updates(for results: [GroupResult]) -> (changed: [(key: String, fingerprint: String, payload: [UInt8])], keep: Set<String>) {
        let changed = results.compactMap { result -> (key: String, fingerprint: String, payload: [UInt8])? in
            guard !clean.contains(result.key), let fingerprint = fingerprints[result.key] else { return nil }
            return (result.key, fingerprint, result.encoded())
        }
        return (changed, Set(fingerprints.keys))
    }
}
