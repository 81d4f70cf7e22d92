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
///
/// Files are known by their position in the entries `prepare` was given, and
/// groups by a number: every report walks every file of the tree here, so
/// nothing per file is hashed but its path and sequence, into its groups'
/// fingerprints.
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
    static let version = "3/\(GroupResult.binaryVersion)/\(FileDigest.binaryVersion)"

    /// Per group, by number: its key, the hash of its files, where its model
    /// name comes from, whether it may be cached, and whether it was.
    private var groupNumbers: [String: Int] = [:]
    private var keys: [String] = []
    private var contributors: [StableHash] = []
    private var modelSources: [Set<String>] = []
    private var uncacheable: [Bool] = []
    private var clean: [Bool] = []
    private var fingerprints: [Int: String] = [:]
    /// Per file, by position: its groups (`fileGroups[groupStart[i]..<groupStart[i + 1]]`)
    /// and whether it is read whole.
    private var groupStart: [Int] = [0]
    private var fileGroups: [Int] = []
    private var readWhole: [Bool] = []
    private var paths: [String] = []
    /// Positions by path, for a report that reads the whole table (see `indexPaths`).
    private var positions: [String: Int] = [:]

    /// Groups with a file changed since the previous report: computed afresh
    /// even when the cache matches, so their new sessions are tested (a
    /// report that failed after caching them must not leave them untested).
    private var holdsNewSessions: [Bool] = []

    /// - Parameters:
    ///   - since: the previous report's sequence; files changed after it hold new sessions.
    ///   - retested: the files of open regressions' sessions, with the
    ///     regressions' groups: when a file beside one changed since that
    ///     holds no runs and no benchmarks (an `env.json` landing after the
    ///     runs), those groups are computed afresh, as their session may be
    ///     tested again (`RegressionPolicy.openSessions`). Run files landing
    ///     beside it recompute nothing more.
    mutating func prepare(
        _ entries: [RegistryEntry], analyzer: inout Analyzer, since: Int64? = nil, retested: [String: Set<String>] = [:]
    ) {
        // Entries come sorted by path, so each group's files are hashed in a fixed order.
        // Most files' keys name their model and recur in thousands of files:
        // resolved once per distinct key text.
        struct Resolved {
            var groups: [(number: Int, modelSource: String)]
            var others: Bool
        }
        var byText: [String: Resolved] = [:]
        readWhole.reserveCapacity(entries.count)
        groupStart.reserveCapacity(entries.count + 1)
        fileGroups.reserveCapacity(entries.count)
        paths = entries.map(\.path)
        var changedFolders: Set<Substring> = []
        if let since, !retested.isEmpty {
            for entry in entries where entry.changedSequence > since && !(entry.shape.map { $0.keepsHistory } ?? false) {
                changedFolders.insert(HarnessFailure.folder(entry.path))
            }
        }
        // Fields are read in place: copying a whole entry retains its seven strings.
        for position in entries.indices {
            let path = entries[position].path
            let shape = entries[position].shape
            let twin = analyzer.hasTwin(path: path, shape: shape)
            let text = entries[position].groupKeysText
            let resolved: Resolved
            if let known = byText[text] {
                resolved = known
            } else {
                var fresh = Resolved(groups: [], others: false)
                var namesModels = true
                for raw in entries[position].groupKeys {
                    if raw == ReportJob.otherResultsKey {
                        fresh.others = true
                        continue
                    }
                    let (key, source) = analyzer.resolveGroupKey(path: path, rawKey: raw)
                    namesModels = namesModels && Analyzer.rawGroupKeyNamesModel(raw)
                    fresh.groups.append((number(of: key), source))
                }
                if namesModels { byText[text] = fresh }
                resolved = fresh
            }
            readWhole.append(text.isEmpty || resolved.others || twin)
            let sequence = entries[position].changedSequence
            let isNew = since.map { sequence > $0 } ?? false
            let retestedGroups =
                changedFolders.isEmpty || !changedFolders.contains(HarnessFailure.folder(path)) ? nil : retested[path]
            for (group, source) in resolved.groups {
                fileGroups.append(group)
                if isNew || retestedGroups?.contains(keys[group]) == true { holdsNewSessions[group] = true }
                contributors[group].add(path, sequence)
                if !modelSources[group].contains(source) { modelSources[group].insert(source) }
                if twin || shape == .parameterSweep { uncacheable[group] = true }
            }
            groupStart.append(fileGroups.count)
        }
        for group in keys.indices where !uncacheable[group] {
            var hash = StableHash()
            for part in [GroupCachePlan.version, keys[group]] + modelSources[group].sorted() { hash.add(part) }
            fingerprints[group] = hash.text + contributors[group].text
        }
    }

    private mutating func number(of key: String) -> Int {
        if let known = groupNumbers[key] { return known }
        let number = keys.count
        groupNumbers[key] = number
        keys.append(key)
        contributors.append(StableHash())
        modelSources.append([])
        uncacheable.append(false)
        holdsNewSessions.append(false)
        clean.append(false)
        return number
    }

    /// Hands the analyzer every cached group whose fingerprint still matches.
    mutating func adopt(from cache: CachedGroups, into analyzer: inout Analyzer) {
        for (group, fingerprint) in fingerprints where !holdsNewSessions[group] {
            guard let result = cache.result(for: keys[group], at: fingerprint) else { continue }
            analyzer.adopt(result)
            clean[group] = true
        }
    }

    /// What to read of the file at `position` (in the entries `prepare` got):
    /// its groups not taken from the cache, and its other results when it has any.
    func reading(at position: Int) -> Reading {
        let groups = fileGroups[groupStart[position]..<groupStart[position + 1]]
        let dirty = groups.filter { !clean[$0] }
        return Reading(groups: dirty.count == groups.count ? nil : Set(dirty.map { keys[$0] }), others: readWhole[position])
    }

    /// Whether anything of the file at `position` must be read.
    func needsReading(at position: Int) -> Bool {
        readWhole[position] || fileGroups[groupStart[position]..<groupStart[position + 1]].contains { !clean[$0] }
    }

    /// Makes `position(of:)` answer: for a report that reads the whole table,
    /// whose rows come by path.
    mutating func indexPaths() {
        guard positions.isEmpty else { return }
        positions.reserveCapacity(paths.count)
        for (position, path) in paths.enumerated() { positions[path] = position }
    }

    /// The position of the file at `path` (after `indexPaths()`).
    func position(of path: String) -> Int? {
        positions[path]
    }

    /// The cache entries this report computed afresh (the adopted ones are
    /// stored already), and every key the cache should keep.
    func updates(for results: [GroupResult]) -> (changed: [(key: String, fingerprint: String, payload: [UInt8])], keep: Set<String>) {
        let changed = results.compactMap { result -> (key: String, fingerprint: String, payload: [UInt8])? in
            guard let group = groupNumbers[result.key], !clean[group], let fingerprint = fingerprints[group] else { return nil }
            return (result.key, fingerprint, result.encoded())
        }
        return (changed, Set(fingerprints.keys.map { keys[$0] }))
    }
}
