import Analysis
import Ingest
import Records
import Store

/// The first stage of a report: what it covers and what moved since the last
/// report over the same inputs, from the registry an ingest pass left.
///
/// Made from values only (no store, no files), so it is tested alone:
///
///     let scope = ReportScope(ingested: outcome, previous: lastReport, renamed: [])
///     scope.inputs.changed  // paths as the report shows them
///
/// A file byte for byte another's (`sameContent`, from the store) is not
/// analysed: it is skipped, naming the file whose results count, so a backup
/// copied into the input neither doubles the runs nor brings old sessions
/// back as new ones.
struct ReportScope {
    /// The registry roots the report reads, in order.
    let roots: [String]
    let scope: [IngestPass.Scope]
    /// How paths are shown (under their input's name when there are several).
    let labels: ReportJob.RootLabels
    /// What the report is remembered under: its inputs.
    let reportKey: [String]
    /// The same inputs as the store's markers of sessions read name them (`Store.scopeKey`).
    let markerKey: Int64
    /// The last report over the same inputs, if any.
    let previous: ReportRecord?
    /// The analysed files in scope, with their paths as shown.
    let analysed: [RegistryEntry]
    /// Files skipped as byte-for-byte copies, each with the file that counts
    /// (paths as shown): the sessions read of that file are read of the copy.
    let copies: [(copy: RegistryEntry, original: RegistryEntry)]
    /// What the report says of its inputs (counts, skipped, changed, added, ...).
    var inputs: InputFacts

    /// - Parameter ignore: `watch.ignore`: a file renamed from or to an
    ///   ignored name (rsync's `.night.csv.Xa81Qz` into place, vim's
    ///   `night.csv` to `night.csv~` before it writes anew) was no rename of
    ///   the user's: the file is listed as new or modified instead.
    init(
        ingested: IngestPass.Ingested, previous: ReportRecord?, renamed: [IngestPass.Rename], sameContent: [[Store.SameContent]] = [],
        ignore: IgnoreRules = IgnoreRules([])
    ) {
        let scope = ingested.scope
        self.scope = scope
        roots = Array(Set(scope.map(\.root))).sorted()
        reportKey = ingested.reportKey
        markerKey = Store.scopeKey(ingested.reportKey)
        self.previous = previous
        let since = previous?.sequence ?? -1
        // With several inputs, paths are shown under their input's name, and
        // analysis keys on those names, so files of different inputs are never
        // taken for twins or siblings.
        let labels = ReportJob.RootLabels(roots: roots, linked: ingested.linkedInputs)
        self.labels = labels
        let entries = ReportScope.inScope(ingested)
        var analysed: [RegistryEntry] = []
        analysed.reserveCapacity(entries.count)
        var skipped: [InputFacts.Skipped] = []
        var changed: [String] = []
        var added: [String] = []
        var deleted: [String] = []
        // The files of sessions, looked up only when some file has a copy.
        let withSessions: Set<String> =
            sameContent.isEmpty
            ? [] : Set(entries.lazy.filter { $0.shape?.holdsSessions == true }.map { "\($0.root)\u{0}\($0.path)" })
        let originals = ReportScope.originals(of: sameContent, in: scope, labels: labels) {
            withSessions.contains("\($0.root)\u{0}\($0.path)")
        }
        var copied: [RegistryEntry] = []
        for entry in ReportScope.shown(entries, labels: labels) {
            if entry.status == .deleted {
                if entry.changedSequence > since { deleted.append(entry.path) }
                continue
            }
            if entry.status == .analyzed {
                if let original = originals[entry.path] {
                    skipped.append(InputFacts.Skipped(path: entry.path, reason: SkipReason.copyOf(original: original).text))
                    copied.append(entry)
                } else {
                    analysed.append(entry)
                }
            }
            if entry.status == .skipped { skipped.append(InputFacts.Skipped(path: entry.path, reason: entry.reason ?? "skipped")) }
            // An editor's swap or lock file is listed as skipped, never as a change.
            if entry.reasonCode == .ignored { continue }
            if entry.changedSequence > since { changed.append(entry.path) }
            if entry.createdSequence > since { added.append(entry.path) }
        }
        // A problem with an input itself (a FIFO given as `--input`, a root that
        // is gone) is named by the input's path, not as `.` under it.
        skipped += ingested.problems.map {
            InputFacts.Skipped(path: $0.relativePath == "." ? $0.root : labels.path($0.root, $0.relativePath), reason: $0.reason)
        }
        skipped.sort { $0.path < $1.path }
        self.analysed = analysed
        // Only the originals of copies are looked up: most reports have none,
        // and a dictionary of every analysed file cost a report after one
        // changed file on 2,000 files most of a millisecond.
        let wanted = Set(copied.compactMap { originals[$0.path] })
        var counted: [String: RegistryEntry] = [:]
        if !wanted.isEmpty {
            for entry in analysed where wanted.contains(entry.path) && counted[entry.path] == nil { counted[entry.path] = entry }
        }
        copies = copied.compactMap { copy in originals[copy.path].flatMap { counted[$0] }.map { (copy, $0) } }
        // An ignored name is no file of the user's: renamed into place from
        // one, a file is new; renamed to one and written anew, modified; one
        // deleted is no deletion.
        var shownRenames: [InputFacts.Renamed] = []
        for rename in renamed {
            let from = labels.path(rename.root, rename.from)
            let to = labels.path(rename.root, rename.to)
            if !rename.isFolder, ignore.match(rename.from) != nil {
                if !added.contains(to) { added.append(to) }
            } else if !rename.isFolder, ignore.match(rename.to) != nil {
                added.removeAll { $0 == from }
            } else {
                shownRenames.append(.init(from: from, to: to))
            }
        }
        deleted.removeAll { ignore.match($0) != nil }
        inputs = InputFacts(
            roots: reportKey, filesSeen: ingested.filesSeen, filesAnalyzed: analysed.count, skipped: skipped,
            changed: changed, deleted: deleted, added: added, renamed: shownRenames)
    }

    /// What the report records as read, as the store keys files: per file
    /// changed since the previous report, the end of its latest session
    /// (`ends`, by shown path) and a run file's sessions (`sessions`),
    /// where the store does not have them already. A copy gets its
    /// original's (read now, or before over the same inputs), so it stays
    /// history when it counts in the original's place.
    func sessionsRead(_ ends: [String: Double], sessions: [String: ReadSessions]) -> [Store.SessionsRead] {
        let since = previous?.sequence ?? -1
        func unmarked(_ entry: RegistryEntry, _ end: Double, _ read: String?) -> Bool {
            entry.reportedScope != markerKey || (end * 1000).rounded(.up) / 1000 != entry.reportedUntil || read != entry.reportedSessions
        }
        let read = analysed.compactMap { entry -> Store.SessionsRead? in
            guard entry.changedSequence > since, let end = ends[entry.path] else { return nil }
            let text = sessions[entry.path]?.text
            guard unmarked(entry, end, text) else { return nil }
            return Store.SessionsRead(root: entry.root, path: labels.storedPath(entry.root, entry.path), until: end, sessions: text)
        }
        let copiesRead = copies.compactMap { copy, original -> Store.SessionsRead? in
            let marked = original.reportedScope == markerKey
            let end = ends[original.path] ?? (marked ? original.reportedUntil : nil)
            let text = sessions[original.path]?.text ?? (marked ? original.reportedSessions : nil)
            guard let end, unmarked(copy, end, text) else { return nil }
            return Store.SessionsRead(root: copy.root, path: labels.storedPath(copy.root, copy.path), until: end, sessions: text)
        }
        return read + copiesRead
    }

    /// For each copy in scope (by shown path), the shown path of the file
    /// whose results count: of files with the same content, the one the
    /// registry had first (then the oldest, then the first by path), so the
    /// original keeps counting when a backup of it appears.
    ///
    /// Only a file of measured sessions (`Shape.holdsSessions`: runs,
    /// benchmarks, compile times) is a copy:
    /// one with the original's modification time (`cp -p`, `rsync -a`, a
    /// hard link), or one that appeared after the original was stored: `cp -r` gives a backup new times, and
    /// a file dated by its time alone (hyperfine's, a run CSV without
    /// timestamps) would bring its night back as a new session, tested
    /// against the nights after it (a false regression). Files first seen
    /// together with other times stay nights of their own (generated results
    /// that repeat their numbers); measured times make the same bytes on a
    /// later night as good as impossible. A night's `env.json` naming the
    /// same host as the night before is no copy (written in the same clock
    /// tick, two have the same time too): each folder keeps its own.
    private static func originals(
        of sets: [[Store.SameContent]], in scope: [IngestPass.Scope], labels: ReportJob.RootLabels,
        holdsSessions: (Store.SameContent) -> Bool
    ) -> [String: String] {
        var originals: [String: String] = [:]
        for set in sets {
            var members = set.filter { file in scope.contains { $0.contains(root: file.root, path: file.path) } }
            members.sort {
                ($0.createdSequence, $0.modifiedNanoseconds, $0.root, $0.path)
                    < ($1.createdSequence, $1.modifiedNanoseconds, $1.root, $1.path)
            }
            // Each file of sessions is a copy of the first counted one it can
            // be a copy of; any other file counts where it is (a folder's
            // env.json is its folder's, whatever its neighbours hold). A kept
            // earlier version is only ever an original, and never of its own
            // file (put back as it was, a file is itself).
            var counted: [Store.SameContent] = []
            for member in members {
                if !member.isKeptVersion, holdsSessions(member),
                    let original = counted.first(where: {
                        ($0.modifiedNanoseconds == member.modifiedNanoseconds || $0.createdSequence < member.createdSequence)
                            && ($0.root, $0.path) != (member.root, member.path)
                    })
                {
                    originals[labels.path(member.root, member.path)] = ReportScope.shown(original, labels: labels)
                } else {
                    counted.append(member)
                }
            }
        }
        return originals
    }

    /// How a skipped copy names its original: its path, and for a kept
    /// earlier version, when that version was written, as sessions name it.
    private static func shown(_ original: Store.SameContent, labels: ReportJob.RootLabels) -> String {
        let path = labels.path(original.root, original.path)
        return original.isKeptVersion ? Analyzer.historySource(path, at: Double(original.modifiedNanoseconds) / 1e9) : path
    }

    /// Whether a registry entry (by its stored root and path) is in scope.
    func contains(root: String, path: String) -> Bool {
        scope.contains { $0.contains(root: root, path: path) }
    }

    /// The registry entries in scope. They are copied only when the report
    /// covers single files (a filter): a large tree's registry is not
    /// duplicated for nothing.
    private static func inScope(_ ingested: IngestPass.Ingested) -> [RegistryEntry] {
        let scope = ingested.scope
        let wholeRoots = scope.allSatisfy { $0.onlyPath == nil }
        let scopeRoots = Set(scope.map(\.root))
        let allInScope =
            wholeRoots
            && (scope.count == 1
                ? ingested.entries.allSatisfy { $0.root == scope[0].root }
                : ingested.entries.allSatisfy { scopeRoots.contains($0.root) })
        return allInScope
            ? ingested.entries : ingested.entries.filter { entry in scope.contains { $0.contains(root: entry.root, path: entry.path) } }
    }

    /// The entries with their paths as the report shows them (copied only
    /// when there are several inputs).
    private static func shown(_ entries: [RegistryEntry], labels: ReportJob.RootLabels) -> [RegistryEntry] {
        guard !labels.isEmpty else { return entries }
        return entries.map { entry in
            var shown = entry
            shown.path = labels.path(entry.root, entry.path)
            return shown
        }
    }
}
