import Foundation
import Records

/// Turns the digests of every analysed file into `Facts`.
///
/// Files are added one at a time (the store streams them), and only what the
/// statistics need is kept: the metric columns of each run group, not the runs.
/// Files with a twin (same folder and stem, another format) are held back until
/// the end, so a run recorded in both counts once.
package struct Analyzer {
    package struct CatalogEntry: Sendable {
        package var path: String
        package var shape: Shape?
        package var modelHint: String?

        package init(path: String, shape: Shape?, modelHint: String?) {
            self.path = path
            self.shape = shape
            self.modelHint = modelHint
        }
    }

    private struct GroupAccumulator {
        var model: String
        var modelSource: String
        var configuration: [Parameter]
        var sources: [String] = []
        var ok = 0
        var failed = 0
        var duplicates = 0
        var tokensPerSecond: [Double] = []
        var ttft: [Double] = []
        /// The runs of earlier versions of its files (run tables rewritten in
        /// place): their sessions' values, kept apart from the pooled ones,
        /// which are of the files as they are.
        var earlierTokensPerSecond: [Double] = []
        var earlierTTFT: [Double] = []
        var coldTTFT: [Double] = []
        var coldLoad: [Double] = []
        var prefillTokens = 0.0
        var prefillSeconds = 0.0
        var fromSweep = true

        /// This group's failures by message, with the files they came from.
        var failureShares: [GroupResult.FailureShare] = []
        /// Where each message sits in `failureShares`: a group fed by
        /// thousands of files must not search its list once per file.
        var failureIndex: [String: Int] = [:]
        var tokensPerSecondSummary = Summary.empty
        var tokensPerSecondQuartiles: (lower: Double?, upper: Double?) = (nil, nil)
        var ttftSummary = Summary.empty
        var tokensPerSecondSample = Sample.empty
        var ttftSample = Sample.empty
        var coldStart: ColdStart?
        /// The group's sessions as they arrive, each with where its values sit
        /// in the group's metric arrays (a set's values are appended together).
        var sessions: [SessionSpan] = []
        /// Set by `summarizeGroups`: each session's figures, and the new
        /// sessions' comparisons with their baselines.
        var sessionFigures: [(tokensPerSecond: SessionFigures, ttft: SessionFigures)] = []
        var comparisons: [SessionComparison] = []
        /// The sessions' indices in the order they were measured.
        var chronological: [Int] = []
        var changePoints: [GroupChangePoint] = []

        /// The values of the session at `index` (for `CountedSessions`).
        func values(ofSession index: Int) -> CountedSessions.Values {
            (tokensPerSecond[sessions[index].tokensPerSecond], ttft[sessions[index].ttft])
        }

        /// The group's sessions, in the order they were measured, with their figures.
        func finishedSessions(isNew: (SessionSpan) -> Bool) -> [Session] {
            chronological.map { index in
                let span = sessions[index]
                let figures = index < sessionFigures.count ? sessionFigures[index] : (SessionFigures.empty, SessionFigures.empty)
                return Session(
                    source: span.source, startedAt: span.startedAt, measuredAt: span.measuredAt, sequence: span.sequence,
                    runsOK: span.runsOK,
                    runsFailed: span.runsFailed, failureMessages: span.failureMessages, tokensPerSecond: figures.0,
                    ttftSeconds: figures.1, isNew: isNew(span))
            }
        }

        func comparisons(
            _ metric: TestedMetric, _ outcomes: [SessionHistory.Outcome], environments: [SessionEnvironment], retested: [Bool]?
        ) -> [SessionComparison] {
            outcomes.map { outcome in
                let span = sessions[outcome.session]
                var comparison = SessionComparison(
                    model: model, configuration: configuration, metric: metric, source: span.source, startedAt: span.startedAt,
                    measuredAt: span.measuredAt, current: .init(median: outcome.currentMedian, n: outcome.currentCount),
                    baseline: .init(median: outcome.baselineMedian, n: outcome.baselineCount),
                    baselineSessions: outcome.baseline.count, baselineSources: outcome.baseline.map { sessions[$0].source },
                    test: outcome.test, environmentDifferences: outcome.environmentDifferences,
                    environment: outcome.session < environments.count ? environments[outcome.session] : .empty,
                    pinnedBaselineEmpty: outcome.pinnedBaselineEmpty)
                comparison.predatesHistory = outcome.predatesHistory
                comparison.basis = outcome.basis
                comparison.environmentLearnt = retested?[outcome.session] ?? false
                return comparison
            }
        }

        /// Computes the cold-start statistics (few values); the two large metrics
        /// are summarised by `Analyzer.summarizeGroups`, one task per metric.
        mutating func summarizeColdStarts() {
            if !coldLoad.isEmpty {
                coldStart = ColdStart(runs: coldLoad.count, ttftSeconds: Summary(coldTTFT), loadSeconds: Summary(coldLoad))
            }
        }

        // A file's runs reach a group in one go (`addRuns` takes a file's run
        // sets together, and each file once), so a file already listed is the
        // last one listed: no set of paths is kept, and none hashed.

        mutating func recordFailure(_ message: String, count: Int, path: String) {
            if let index = failureIndex[message] {
                failureShares[index].count += count
                if failureShares[index].sources.last != path { failureShares[index].sources.append(path) }
            } else {
                failureIndex[message] = failureShares.count
                failureShares.append(GroupResult.FailureShare(message: message, count: count, sources: [path]))
            }
        }

        mutating func addSource(_ path: String) {
            if sources.last != path { sources.append(path) }
        }
    }

    /// A session while its group is accumulated.
    struct SessionSpan {
        /// How reports name it: its file, or `results.csv (as of ...)` for an earlier version.
        var source: String
        var startedAt: Double?
        var measuredAt: Double
        var sequence: Int64
        var runsOK: Int
        var runsFailed: Int
        var failureMessages: [String]
        /// Whether it ended by the file's `reportedUntil`: read before, unless
        /// it is a re-run (`readBefore`).
        var reported: Bool
        /// How its file's kept earlier versions hold the session begun when
        /// it began: with the same runs (one version is enough), or only with
        /// others (the file was written again with the session run again, its
        /// times unchanged: a harness that dates runs by the day re-running a
        /// night that failed).
        var earlierVersions = EarlierVersions.none
        var tokensPerSecond: Range<Int>
        var ttft: Range<Int>
        /// Its figures, as its file's digest holds them (nil: computed from its values).
        var figures: FileDigest.RunSetDigest.Figures?
        /// Whether it is of an earlier version of its file: its ranges are in
        /// the group's `earlier` arrays, which follow the pooled ones.
        var isEarlierVersion = false
        /// Its file, whatever version: what a regression opened by it, when
        /// the version was current, names it by.
        var path: String { isEarlierVersion ? earlierPath : source }
        var earlierPath = ""

        /// The session as regressions name it.
        var mark: RegressionPolicy.SessionMark { .init(measuredAt: measuredAt, source: path) }

        enum EarlierVersions {
            case none, holdSame, holdOthers

            /// After one more version is seen holding the session with the same runs or not.
            mutating func add(same: Bool) {
                if same { self = .holdSame } else if self == .none { self = .holdOthers }
            }
        }

        /// Whether a report read it before: it ended by then, and is no
        /// re-run that replaced the runs every earlier version held.
        var readBefore: Bool { reported && earlierVersions != .holdOthers }

        /// The same session in another file: read before if either file's
        /// report read it, and named by the file the store had first (the
        /// original, not its backup), whichever was added first.
        mutating func merge(copy: SessionSpan) {
            reported = reported || copy.reported
            if copy.sequence < sequence {
                source = copy.source
                sequence = copy.sequence
            }
        }

        /// Where its values of one metric sit once the group's earlier
        /// versions' values (if any) follow its `pooled` ones.
        func span(_ metric: KeyPath<SessionSpan, Range<Int>>, pooled: Int) -> Range<Int> {
            let range = self[keyPath: metric]
            return isEarlierVersion ? (range.lowerBound + pooled)..<(range.upperBound + pooled) : range
        }
    }

    private struct FailureAccumulator {
        var count = 0
        var models: [String] = []
        var sources: [String] = []
        var modelSet: Set<String> = []
        var sourceSet: Set<String> = []
    }

    private struct SweepConfig {
        var configuration: [Parameter]
        var tokensPerSecond: [Double] = []
        var ttft: [Double] = []
        var runs = 0
    }

    private struct SweepAccumulator {
        var sources: [String] = []
        var order: [String] = []
        var configs: [String: SweepConfig] = [:]
        var failed = 0
    }

    private var naming: ModelAttribution
    private var countedSessions = CountedSessions()
    private let twinKeys: Set<String>
    private var pendingTwins: [String: [(String, FileDigest, FileStamp)]] = [:]
    private var groups: [String: GroupAccumulator] = [:]
    private var adopted: [GroupResult] = []
    /// Every run group's finished figures, set by `finish` (for the next report's cache).
    package private(set) var results: [GroupResult] = []
    private var failures: [String: FailureAccumulator] = [:]
    private var sweeps: [String: SweepAccumulator] = [:]
    private var aggregateSweeps: [String: [(String, AggregateRow)]] = [:]
    private var compilation: [CompilationBench] = []
    private var llamaBench: [(String, LlamaBenchResult)] = []
    private var measurements: [MeasurementRow] = []
    /// Where each log of appended runs has its row in `measurements`, by
    /// `appendedFigureKey`: its latest night takes it (`showLatestNights`).
    private var appendedFigures: [String: Int] = [:]
    /// Benchmarks other than run groups, by session, for their tests.
    private var benchmarkSessions: BenchmarkSessions
    /// Benchmarks whose runs their file dates (`Measurement.measuredAt`), by
    /// file: an earlier version that does not (kept before chimerad read the
    /// dates) pools nights the file's dated runs already are.
    private var datedBenchmarks: Set<String> = []
    /// Undated benchmarks a file holds several lines of (nights appended).
    private var appendedNights = AppendedNights()
    private var series: [SeriesRow] = []
    /// Run scripts' own summaries (`{"models": [...]}`): shown only for the
    /// models no run file beside them measured.
    private var runSummaries: [(path: String, row: AggregateRow)] = []
    private var environment: [SourceDetail] = []
    private var notes: [SourceDetail] = []
    /// Per file read, the end of its latest session: stored with the report
    /// (see `FileStamp.reportedUntil`).
    package private(set) var sessionEnds: [String: Double] = [:]
    /// Per run file read, its sessions: stored with the report (see
    /// `FileStamp.readSessions`).
    package private(set) var sessionsRead: [String: ReadSessions] = [:]
    /// The store keeps `reportedUntil` in whole milliseconds, rounded up; a
    /// millisecond more absorbs the rounding of seconds to milliseconds and
    /// back (no harness starts a session within one of the last one's end).
    static let reportedTolerance = 0.001

    /// The report's time (seconds since 1970): a session dated more than a
    /// day after it is no session (`FileStamp.isAhead`).
    let now: Double

    /// - Parameters:
    ///   - catalog: every analysed file (no records needed), so that runs
    ///     can be named from twins and siblings before those are read.
    ///   - models: every model the analysed files' runs name (`modelsNamed`),
    ///     so that a bare Ollama name and its `:latest` form are one model.
    ///   - now: the report's time.
    package init(catalog: [CatalogEntry], models: some Sequence<String> = [String](), now: Double = Date().timeIntervalSince1970) {
        self.now = now
        benchmarkSessions = BenchmarkSessions(now: now)
        naming = ModelAttribution(catalog.map { ModelAttribution.Entry(path: $0.path, modelHint: $0.modelHint) }, models: models)
        // Every report counts stems over the whole tree: first by a hash of
        // their bytes (a Substring's own hash normalises it first, and is
        // several times slower), then exactly, only where a hash repeats.
        var stems: [(slice: Substring, hash: UInt64)] = []
        var counts: [UInt64: Int] = [:]
        for entry in catalog where entry.shape.map(ContentParserStem.isTwinCandidate) ?? false {
            let slice = Analyzer.twinSlice(entry.path)
            var hash = StableHash()
            hash.add(slice)
            stems.append((slice, hash.low))
            counts[hash.low, default: 0] += 1
        }
        var repeated: [Substring: Int] = [:]
        for stem in stems where (counts[stem.hash] ?? 0) > 1 { repeated[stem.slice, default: 0] += 1 }
        twinKeys = Set(repeated.filter { $0.value > 1 }.keys.map(String.init))
    }

    /// The path without its extension: what a file and its twins share (a
    /// run table's JSON twin, one run's exports in several formats).
    static func twinSlice(_ path: String) -> Substring {
        let bytes = path.utf8
        let nameStart = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? bytes.startIndex
        guard let dot = bytes[nameStart...].lastIndex(of: UInt8(ascii: ".")), dot != nameStart else { return path[...] }
        return Substring(bytes[..<dot])
    }

    private static func twinKey(_ path: String) -> String {
        String(twinSlice(path))
    }

    /// Whether the file has a twin (same folder and stem, another format)
    /// whose runs it is deduplicated against: its run groups are computed
    /// afresh by every report, from its whole digest.
    package func hasTwin(path: String, shape: Shape?) -> Bool {
        guard !twinKeys.isEmpty, let shape, ContentParserStem.isTwinCandidate(shape) else { return false }
        return twinKeys.contains(Analyzer.twinKey(path))
    }

    /// Adds a file from its records (digested here).
    package mutating func add(path: String, extraction: Extraction, stamp: FileStamp = .unknown) {
        add(path: path, digest: FileDigest(extraction), stamp: stamp)
    }

    /// Adds a file from its stored digest. With `only`, just the run groups
    /// named there are taken (the others' figures were adopted from a cache);
    /// `others` says whether to take its other results. A file with a twin is
    /// held back until `finish`, and taken whole. `stamp` orders the file's
    /// sessions when its runs carry no times, and says when it was stored
    /// (pinned baselines).
    package mutating func add(
        path: String, digest: FileDigest, only: Set<String>? = nil, others: Bool = true, stamp: FileStamp = .unknown
    ) {
        if hasTwin(path: path, shape: digest.shape) && !digest.runSets.isEmpty {
            pendingTwins[Analyzer.twinKey(path), default: []].append((path, digest, stamp))
            addOthers(path: path, digest.others, stamp: stamp)
            return
        }
        addRuns(path: path, shape: digest.shape, digest.runSets, only: only, stamp: stamp)
        if others { addOthers(path: path, digest.others, stamp: stamp) }
    }

    /// How an earlier version of a rewritten file is named, among sessions
    /// and where a copy of it is skipped: `results.json (as of 2026-12-01T02:00:00Z)`.
    package static func historySource(_ path: String, at seconds: Double) -> String {
        "\(path) (as of \(Date(timeIntervalSince1970: seconds.rounded(.down)).formatted(.iso8601)))"
    }

    /// Adds an earlier version of a benchmark file, rewritten in place since
    /// (`Store.history`): its benchmarks' sessions are history, never new,
    /// named by the file and when that version was written. Nothing else of
    /// it is shown: the report is of the files as they are.
    package mutating func addHistory(path: String, digest: FileDigest, modifiedAt: Double) {
        let source = Analyzer.historySource(path, at: digest.others.measuredAt ?? modifiedAt)
        let stamp = FileStamp(modifiedAt: modifiedAt, sequence: 0, reportedUntil: .infinity)
        // Its undated results are added at the end, each once, with the file's
        // other versions (`AppendedNights`); those of a benchmark the file dates are its dates'.
        let dated = datedBenchmarks
        appendedNights.noteVersion(
            path: path, digest.others.measurements, modifiedAt: modifiedAt, fileMeasuredAt: digest.others.measuredAt
        ) { dated.contains(Analyzer.datedKey(path: path, $0)) }
        for measurement in digest.others.measurements where measurement.measuredAt != nil {
            benchmarkSessions.add(
                measurement, source: source, path: path, stamp: stamp, measuredAt: measurement.measuredAt ?? digest.others.measuredAt)
        }
        benchmarkSessions.addLlamaBench(digest.others.llamaBench, source: source, path: path, stamp: stamp)
        addEarlierRuns(path: path, digest.runSets, source: source, modifiedAt: modifiedAt)
    }

    /// An earlier version's runs (a run table rewritten in place), as
    /// sessions of the groups the file feeds now and this report computes (a
    /// group adopted from the cache holds them already; a group the file no
    /// longer feeds is not its history). A session the file still holds
    /// (one group, one start) counts once.
    private mutating func addEarlierRuns(path: String, _ sets: [FileDigest.RunSetDigest], source: String, modifiedAt: Double) {
        for set in sets {
            let model = naming.model(set.model, of: path).model
            let key = model + " | " + set.configuration.rendered
            guard var group = groups.removeValue(forKey: key) else { continue }
            defer { groups[key] = group }
            guard group.sources.contains(path) else { continue }
            // The file as it is, or an earlier version, may hold the session
            // already; so may another file (a backup of the file as it was).
            if let started = set.startedAt {
                if let current = group.sessions.firstIndex(where: { !$0.isEarlierVersion && $0.path == path && $0.startedAt == started }) {
                    let span = group.sessions[current]
                    // The same runs in any order (rewritten newest first) are no re-run.
                    let same =
                        span.runsOK == set.runsOK && span.runsFailed == set.failedRuns
                        && group.tokensPerSecond[span.tokensPerSecond].sorted() == set.tokensPerSecond.sorted()
                    group.sessions[current].earlierVersions.add(same: same)
                    continue
                }
                if group.sessions.contains(where: { $0.path == path && $0.startedAt == started }) { continue }
            }
            if countedSessions.contains(
                set, group: key, measuredAt: set.startedAt ?? FileStamp.knownTime(modifiedAt), values: { group.values(ofSession: $0) })
            {
                continue
            }
            let failedRuns = set.failedRuns
            guard set.runsOK + failedRuns > 0, !FileStamp.isAhead(set.startedAt ?? FileStamp.knownTime(modifiedAt), of: now) else { continue }
            let messages = set.sessionFailureMessages
            group.sessions.append(
                SessionSpan(
                    source: source, startedAt: set.startedAt, measuredAt: set.startedAt ?? modifiedAt, sequence: 0,
                    runsOK: set.runsOK, runsFailed: failedRuns, failureMessages: messages, reported: true,
                    tokensPerSecond: group.earlierTokensPerSecond.count..<(group.earlierTokensPerSecond.count + set.tokensPerSecond.count),
                    ttft: group.earlierTTFT.count..<(group.earlierTTFT.count + set.warmTTFT.count), figures: set.figures,
                    isEarlierVersion: true,
                    earlierPath: path))
            group.earlierTokensPerSecond += set.tokensPerSecond
            group.earlierTTFT += set.warmTTFT
        }
    }

    /// Takes a run group's finished figures as they were (see `GroupResult`).
    package mutating func adopt(_ result: GroupResult) {
        adopted.append(result)
    }

    /// The key a run set of `path` lands in, and where its model name comes from;
    /// `rawKey` is what ingest recorded (`Analyzer.rawGroupKey`).
    package mutating func resolveGroupKey(path: String, rawKey: String) -> (key: String, modelSource: String) {
        guard let (model, configuration) = Analyzer.splitRawGroupKey(rawKey) else { return (rawKey + " | ", "data") }
        if model.isEmpty {
            let (name, source) = naming.resolve(path)
            return (name + " | " + configuration, source)
        }
        return (naming.canonical(String(model)) + " | " + configuration, "data")
    }

    /// The previous report's groups under this report's model names: a bare
    /// name the data now also writes with `:latest` is that model, so its
    /// figures moved (What Changed), rather than one group gone and one new.
    func underTodaysNames(_ previous: ReportDigest?) -> ReportDigest? {
        guard var digest = previous else { return nil }
        digest.groups = digest.groups.map { group in
            let model = naming.canonical(group.model)
            guard model != group.model else { return group }
            var renamed = group
            renamed.model = model
            renamed.key = model + " | " + group.configuration
            return renamed
        }
        return digest
    }

    /// The models named by raw group keys (`rawGroupKey`), each once.
    package static func modelsNamed(byRawKeys keys: some Sequence<String>) -> Set<String> {
        var models = Set<String>()
        for key in keys {
            if let (model, _) = splitRawGroupKey(key), !model.isEmpty { models.insert(String(model)) }
        }
        return models
    }

    /// Whether runs under `rawKey` name their model: then the group key does not
    /// depend on the file, and callers may reuse it across files.
    package static func rawGroupKeyNamesModel(_ rawKey: String) -> Bool {
        guard let (model, _) = splitRawGroupKey(rawKey) else { return true }
        return !model.isEmpty
    }

    /// The model and configuration parts of a raw key; split on bytes (the
    /// separator is a single byte), as this runs for every file of a report.
    private static func splitRawGroupKey(_ rawKey: String) -> (model: Substring, configuration: Substring)? {
        let bytes = rawKey.utf8
        guard let separator = bytes.firstIndex(of: 1) else { return nil }
        return (Substring(bytes[..<separator]), Substring(bytes[bytes.index(after: separator)...]))
    }

    /// A benchmark of a file, as `datedBenchmarks` holds it.
    private static func datedKey(path: String, _ measurement: Records.Measurement) -> String {
        path + "\u{1}" + measurement.benchmarkKey
    }

    /// The positions of the latest of each benchmark's measurements dated
    /// apart in one file (`Measurement.measuredAt`), and how many dated
    /// measurements each benchmark has (by `datedKey` with no path).
    static func latestDated(_ measurements: [Records.Measurement]) -> (latest: Set<Int>, counts: [String: Int]) {
        var latest: [String: Int] = [:]
        var counts: [String: Int] = [:]
        for (index, measurement) in measurements.enumerated() {
            guard let at = measurement.measuredAt else { continue }
            let key = datedKey(path: "", measurement)
            counts[key, default: 0] += 1
            if let kept = latest[key], let keptAt = measurements[kept].measuredAt, keptAt > at { continue }
            latest[key] = index
        }
        return (Set(latest.values), counts)
    }

    /// How ingest names a run set before models are resolved.
    package static func rawGroupKey(_ set: RunSet) -> String {
        (set.model ?? "") + "\u{1}" + set.configuration.rendered
    }

    private mutating func addOthers(path: String, _ extraction: Extraction, stamp: FileStamp) {
        if !extraction.environment.isEmpty {
            environment.append(SourceDetail(source: path, items: extraction.environment.map { "\($0.name)=\($0.value)" }))
        }
        if !extraction.notes.isEmpty { notes.append(SourceDetail(source: path, items: extraction.notes)) }
        if extraction.shape == .sweepSummary {
            for row in extraction.aggregates {
                let model = naming.model(row.model, of: path).model
                aggregateSweeps[model, default: []].append((path, row))
            }
        }
        if extraction.shape == .runSummaryJSON { runSummaries += extraction.aggregates.map { (path, $0) } }
        if !extraction.compilation.isEmpty { addCompilation(path: path, extraction.compilation) }
        llamaBench += extraction.llamaBench.map { (path, $0) }
        let (latest, nights) = Analyzer.latestDated(extraction.measurements)
        // The file's mark is its time unless it holds several dated nights
        // of a benchmark: it is then read up to the latest, in the data's clock.
        let markIsFileTime =
            !nights.values.contains { $0 > 1 } && !BenchmarkSessions.llamaBenchSessions(extraction.llamaBench).contains(where: \.ofSeveralNights)
        let llamaBench = benchmarkSessions.addLlamaBench(extraction.llamaBench, source: path, stamp: stamp, markIsFileTime: markIsFileTime)
        var tested = llamaBench.tested
        var measuredUntil = llamaBench.measuredUntil
        // Of an undated benchmark the file holds several lines of (nights
        // appended), the last is the file's; the earlier are dated by the
        // versions that held them (`finish`).
        for index in appendedNights.noteFile(path: path, extraction.measurements, stamp: stamp, datedAsAWhole: extraction.measuredAt != nil) {
            let measurement = extraction.measurements[index]
            let nightly = AppendedNights.addsSessionsLater(measurement, datedAsAWhole: extraction.measuredAt != nil)
            if nightly {
                // Its latest night takes this row, with that night's failures (`showLatestNights`).
                appendedFigures[Analyzer.appendedFigureKey(path: path, benchmark: measurement.benchmarkKey)] = measurements.count
                measurements.append(MeasurementRow(measurement, source: path))
            } else if measurement.measuredAt == nil || latest.contains(index) {
                // A benchmark whose tool says it failed is a failure like a failed
                // run's; one with no figure at all is shown under Failures only.
                // Of a benchmark's runs dated apart in one file, the latest is
                // the file's figure (the earlier are its history).
                if !measurement.failuresByMessage.isEmpty {
                    for failure in measurement.failuresByMessage {
                        recordMeasurementFailure(failure.message, count: failure.count, benchmark: measurement.name, path: path)
                    }
                } else if let failure = measurement.failure {
                    recordMeasurementFailure(failure, count: measurement.failedRuns, benchmark: measurement.name, path: path)
                }
                if !measurement.isWhollyFailed { measurements.append(MeasurementRow(measurement, source: path)) }
            }
            // A file of several dated runs of a benchmark (perf's nights
            // appended, each after its `# started on`) is read up to its
            // latest such date; a file of one, as any file, by when it was written.
            let ofSeveralNights = nights[Analyzer.datedKey(path: "", measurement), default: 0] > 1
            // Appended runs' nights are all added at the end, with the file's earlier versions.
            let added =
                nightly
                ? BenchmarkSessions.tested(measurement) != nil
                : benchmarkSessions.add(
                    measurement, source: path, stamp: stamp, measuredAt: measurement.measuredAt ?? extraction.measuredAt,
                    readUntilMeasured: ofSeveralNights, markIsFileTime: markIsFileTime)
            if let measured = measurement.measuredAt {
                datedBenchmarks.insert(Analyzer.datedKey(path: path, measurement))
                if added, ofSeveralNights { measuredUntil = max(measuredUntil ?? measured, measured) }
            }
            tested = added || tested
        }
        // Its sessions end when its file was last written: a rewrite brings
        // new ones; in a file of several dated nights, at its latest night.
        let end = measuredUntil ?? stamp.modifiedAt
        if tested, end > sessionEnds[path] ?? -.infinity { sessionEnds[path] = end }
        for s in extraction.series {
            series.append(SeriesRow(source: path, name: s.name, summary: Summary(s.values)))
        }
    }

    /// - Parameter whole: the file's sets before their runs counted in a twin were taken out (`sets`, the same sets, are after).
    private mutating func addRuns(
        path: String, shape: Shape, _ sets: [FileDigest.RunSetDigest], whole: [FileDigest.RunSetDigest]? = nil, only: Set<String>? = nil,
        stamp: FileStamp
    ) {
        let isSweep = shape == .parameterSweep
        let named = sets.map { set in
            let (model, modelSource) = naming.model(set.model, of: path)
            return (model: model, modelSource: modelSource, key: model + " | " + set.configuration.rendered)
        }
        // A session in which every run failed is matched by the file's others.
        if sets.contains(where: { !CountedSessions.isMeasured($0) }) {
            for (set, name) in zip(sets, named) where only?.contains(name.key) ?? true {
                guard let group = groups[name.key] else { continue }
                countedSessions.noteCopies(
                    set, group: name.key, path: path, measuredAt: set.startedAt ?? stamp.knownTime, values: { group.values(ofSession: $0) })
            }
        }
        // Judged on the file's own sets: a twin's runs counted in the other file are still its sessions.
        let backdated = stamp.isUnchanged ? nil : BackdatedSessions(whole ?? sets, stamp: stamp, now: now)
        if let backdated { sessionsRead[path] = backdated.read }
        for (index, (set, (model, modelSource, key))) in zip(sets, named).enumerated() {
            if let only, !only.contains(key) { continue }
            // Taken out of the dictionary while it grows, so appends do not copy the
            // arrays (a dictionary-held value would be copied on every write).
            var group =
                groups.removeValue(forKey: key)
                ?? GroupAccumulator(model: model, modelSource: modelSource, configuration: set.configuration)
            group.addSource(path)
            if !isSweep { group.fromSweep = false }
            let failedRuns = set.failedRuns
            // Dated by its data, else by its file's time: either may be a clock set ahead.
            if set.runsOK + failedRuns > 0, FileStamp.isAhead(set.startedAt ?? stamp.knownTime, of: now) {
                benchmarkSessions.noteAhead(path: path, at: set.startedAt ?? stamp.knownTime, byFileTime: set.startedAt == nil)
            } else if set.runsOK + failedRuns > 0 {
                let messages = set.sessionFailureMessages
                // A session without times ends when its file was last written:
                // appending moves that, a rename or a re-parse does not.
                let end = set.endedAt ?? set.startedAt ?? stamp.modifiedAt
                if end > sessionEnds[path] ?? -.infinity { sessionEnds[path] = end }
                let span = SessionSpan(
                    source: path, startedAt: set.startedAt, measuredAt: set.startedAt ?? stamp.modifiedAt,
                    sequence: stamp.sequence, runsOK: set.runsOK,
                    runsFailed: failedRuns, failureMessages: messages,
                    reported: backdated?.isNew(at: index) != true && stamp.reportedUntil.map { end <= $0 + Analyzer.reportedTolerance } ?? false,
                    tokensPerSecond: group.tokensPerSecond.count..<(group.tokensPerSecond.count + set.tokensPerSecond.count),
                    ttft: group.ttft.count..<(group.ttft.count + set.warmTTFT.count), figures: set.figures)
                // A closure, not `group.values(ofSession:)`: a method reference
                // holds a copy of the group, whose arrays every append below
                // then copied whole (a group of 400 files copied 160 MB).
                if let kept = countedSessions.earlier(
                    set, group: key, path: path, measuredAt: set.startedAt ?? stamp.knownTime, at: group.sessions.count,
                    values: { group.values(ofSession: $0) })
                {
                    group.sessions[kept].merge(copy: span)
                    group.duplicates += set.runsOK + failedRuns
                    groups[key] = group
                    continue
                }
                group.sessions.append(span)
            }
            group.ok += set.runsOK
            group.duplicates += set.duplicates
            group.tokensPerSecond += set.tokensPerSecond
            group.ttft += set.warmTTFT
            group.coldTTFT += set.coldTTFT
            group.coldLoad += set.coldLoad
            group.prefillTokens += set.prefillTokens
            group.prefillSeconds += set.prefillSeconds
            var failed = 0
            for failure in set.failures {
                failed += failure.count
                group.recordFailure(failure.message, count: failure.count, path: path)
            }
            group.failed += failed
            groups[key] = group
            if isSweep {
                if failed > 0 { sweeps[model, default: SweepAccumulator()].failed += failed }
                var config = SweepConfig(configuration: set.configuration)
                config.runs = set.runsOK
                config.tokensPerSecond = set.tokensPerSecond
                config.ttft = set.warmTTFT
                addSweepConfig(config, model: model, path: path)
            }
        }
    }

    /// One metric of one group, summarised on its own.
    private struct MetricWork {
        var values: [Double]
        /// Earlier versions' values: sessions only, never pooled.
        var earlier: [Double] = []
        /// Where each session's values are, in the order they were measured,
        /// and which sessions are new.
        var spans: [Range<Int>]
        /// Per session, its figures as its digest holds them (nil: computed).
        var known: [SessionFigures?]
        var chronological: [Int]
        var isNew: [Bool]
        /// With a pinned baseline, per session whether the pin holds it.
        var pinned: [Bool]?
        var environments: [SessionEnvironment]
        /// After an acknowledged regression: which sessions may be its baseline.
        var accepted: [Bool]? = nil
        /// Which sessions are tested again, read before: open regressions'
        /// own, now known to have run elsewhere than thought (`isNew` holds them too).
        var retested: [Bool]? = nil
        var metric: TestedMetric
        var summary = Summary.empty
        /// Where the level of the session medians moved (chronological positions).
        var changePoints: [GroupChangePoint] = []
        var sample = Sample.empty
        var history = SessionHistory(figures: [], outcomes: [])
        /// Whether the quartiles are wanted too (decode throughput: the leaderboard's spread).
        var wantsQuartiles = false
        var quartiles: (lower: Double?, upper: Double?) = (nil, nil)
    }

    /// Statistics per group and metric, on every core: a report after one
    /// changed file often has a single large group to summarise, and its two
    /// metrics are independent. The value arrays are moved out (not copied),
    /// reordered by selection, and released. `isNew` says which sessions are
    /// tested against the ones before them.
    private static func summarizeGroups(
        _ accumulators: inout [GroupAccumulator], isNew: (SessionSpan) -> Bool, policy: RegressionPolicy,
        environmentOf: (String) -> SessionEnvironment
    ) {
        var work: [MetricWork] = []
        work.reserveCapacity(accumulators.count * 2)
        for index in accumulators.indices {
            let sessions = accumulators[index].sessions
            let chronological = sessions.indices.sorted { Analyzer.precedes(sessions[$0], sessions[$1]) }
            let newSessions = sessions.map(isNew)
            let pinned = policy.pin(for: accumulators[index].model).map { pin in
                sessions.map { pin.holds(sequence: $0.sequence, startedAt: $0.startedAt, measuredAt: $0.measuredAt) }
            }
            // The unit a bare `ttft` was read in is TTFT's environment only.
            let environments = sessions.map { environmentOf($0.source) }
            let tokenEnvironments = environments.map { $0.of(.tokensPerSecond) }
            func metricEnvironments(_ metric: TestedMetric) -> [SessionEnvironment] {
                metric == .ttftSeconds ? environments : tokenEnvironments
            }
            let groupKey = accumulators[index].model + " | " + accumulators[index].configuration.rendered
            let marks = sessions.map(\.mark)
            func accepted(_ metric: TestedMetric) -> [Bool]? {
                policy.baselineCandidates(group: groupKey, metric: metric, sessions: marks, environments: metricEnvironments(metric))
            }
            func retested(_ metric: TestedMetric) -> [Bool]? {
                policy.retests(group: groupKey, metric: metric, sessions: marks, environments: metricEnvironments(metric))
            }
            func tested(_ retested: [Bool]?) -> [Bool] {
                guard let retested else { return newSessions }
                return zip(newSessions, retested).map { $0 || $1 }
            }
            let retests = (tokens: retested(.tokensPerSecond), ttft: retested(.ttftSeconds))
            let pooled = (tokens: accumulators[index].tokensPerSecond.count, ttft: accumulators[index].ttft.count)
            work.append(
                MetricWork(
                    values: accumulators[index].tokensPerSecond, earlier: accumulators[index].earlierTokensPerSecond,
                    spans: sessions.map { $0.span(\.tokensPerSecond, pooled: pooled.tokens) },
                    known: sessions.map { $0.figures?.tokensPerSecond }, chronological: chronological, isNew: tested(retests.tokens), pinned: pinned,
                    environments: tokenEnvironments,
                    accepted: accepted(.tokensPerSecond), retested: retests.tokens, metric: .tokensPerSecond, wantsQuartiles: true))
            work.append(
                MetricWork(
                    values: accumulators[index].ttft, earlier: accumulators[index].earlierTTFT,
                    spans: sessions.map { $0.span(\.ttft, pooled: pooled.ttft) }, known: sessions.map { $0.figures?.ttft },
                    chronological: chronological,
                    isNew: tested(retests.ttft), pinned: pinned, environments: environments,
                    accepted: accepted(.ttftSeconds), retested: retests.ttft, metric: .ttftSeconds))
            accumulators[index].tokensPerSecond = []
            accumulators[index].ttft = []
            accumulators[index].earlierTokensPerSecond = []
            accumulators[index].earlierTTFT = []
            accumulators[index].summarizeColdStarts()
        }
        let window = policy.baselineSessions
        Parallel.update(&work) { item in
            // Drawn before the selection reorders the values: the sample's
            // strata, and the sessions' stretches, follow the files' order.
            item.sample = Sample(drawingFrom: item.values)
            item.history = SessionHistory.analyse(
                values: item.earlier.isEmpty ? item.values : item.values + item.earlier, spans: item.spans, known: item.known,
                chronological: item.chronological,
                isNew: item.isNew, window: window,
                baselineUpTo: item.pinned, environments: item.environments,
                accepted: item.accepted,
                improves: SessionComparison.improves(item.metric, policy: policy))
            item.changePoints = GroupChangePoint.detect(
                item.metric, medians: item.chronological.map { item.history.figures[$0].median },
                environments: item.chronological.map { item.environments[$0] })
            item.summary = Summary(&item.values)
            if item.wantsQuartiles, !item.values.isEmpty {
                let quartiles = Summary.quantiles(&item.values, [0.25, 0.75])
                item.quartiles = (quartiles[0], quartiles[1])
            }
            item.values = []
            item.earlier = []
        }
        for index in accumulators.indices {
            let tokens = work[2 * index]
            let ttft = work[2 * index + 1]
            accumulators[index].tokensPerSecondSummary = tokens.summary
            accumulators[index].ttftSummary = ttft.summary
            accumulators[index].tokensPerSecondSample = tokens.sample
            accumulators[index].ttftSample = ttft.sample
            accumulators[index].tokensPerSecondQuartiles = tokens.quartiles
            accumulators[index].sessionFigures = Array(zip(tokens.history.figures, ttft.history.figures))
            accumulators[index].chronological = tokens.chronological
            accumulators[index].changePoints = tokens.changePoints + ttft.changePoints
            accumulators[index].comparisons =
                accumulators[index].comparisons(
                    .tokensPerSecond, tokens.history.outcomes, environments: tokens.environments, retested: tokens.retested)
                + accumulators[index].comparisons(.ttftSeconds, ttft.history.outcomes, environments: ttft.environments, retested: ttft.retested)
        }
    }

    private static func precedes(_ a: SessionSpan, _ b: SessionSpan) -> Bool {
        if a.measuredAt != b.measuredAt { return a.measuredAt < b.measuredAt }
        if a.source != b.source { return a.source < b.source }
        return (a.startedAt ?? 0) < (b.startedAt ?? 0)
    }

    /// A log of appended runs shows its latest night, not every night's
    /// runs pooled, in the row its file's measurement held the place of,
    /// and its failures are that night's: a night whose builds all failed
    /// was listed under Failures on every later report.
    private mutating func showLatestNights(_ nights: [AppendedNights.LatestNight]) {
        var gone: [Int] = []
        for night in nights {
            let key = Analyzer.appendedFigureKey(path: night.path, benchmark: night.benchmark)
            if let failure = night.measurement.failure {
                recordMeasurementFailure(failure, count: night.measurement.failedRuns, benchmark: night.measurement.name, path: night.path)
            }
            if let hold = night.hold { notes.append(SourceDetail(source: night.path, items: [hold.text(benchmark: night.measurement.name)])) }
            guard let index = appendedFigures[key] else { continue }
            if night.measurement.isWhollyFailed {
                gone.append(index)
            } else {
                measurements[index] = MeasurementRow(night.measurement, source: night.path)
            }
        }
        for index in gone.sorted(by: >) { measurements.remove(at: index) }
        appendedFigures = [:]
    }

    static func appendedFigureKey(path: String, benchmark: String) -> String { "\(path)\n\(benchmark)" }

    /// A benchmark's failure, listed with the runs' (its name where a run's model goes).
    private mutating func recordMeasurementFailure(_ message: String, count: Int, benchmark: String, path: String) {
        var failure = failures.removeValue(forKey: message) ?? FailureAccumulator()
        failure.count += max(count, 1)
        if failure.modelSet.insert(benchmark).inserted { failure.models.append(benchmark) }
        if failure.sourceSet.insert(path).inserted { failure.sources.append(path) }
        failures[message] = failure
    }

    private mutating func recordFailure(_ share: GroupResult.FailureShare, model: String) {
        var failure = failures.removeValue(forKey: share.message) ?? FailureAccumulator()
        failure.count += share.count
        if failure.modelSet.insert(model).inserted { failure.models.append(model) }
        for path in share.sources where failure.sourceSet.insert(path).inserted { failure.sources.append(path) }
        failures[share.message] = failure
    }

    private mutating func addSweepConfig(_ config: SweepConfig, model: String, path: String) {
        var sweep = sweeps.removeValue(forKey: model) ?? SweepAccumulator()
        if sweep.sources.last != path && !sweep.sources.contains(path) { sweep.sources.append(path) }
        let key = config.configuration.rendered
        if var existing = sweep.configs.removeValue(forKey: key) {
            existing.runs += config.runs
            existing.tokensPerSecond += config.tokensPerSecond
            existing.ttft += config.ttft
            sweep.configs[key] = existing
        } else {
            sweep.order.append(key)
            sweep.configs[key] = config
        }
        sweeps[model] = sweep
    }

    private mutating func addCompilation(path: String, _ results: [CompilationResult]) {
        var byModel: [String: [CompilationResult]] = [:]
        var order: [String] = []
        for result in results {
            if byModel[result.model] == nil { order.append(result.model) }
            byModel[result.model, default: []].append(result)
        }
        for model in order {
            let results = byModel[model] ?? []
            let eager = results.first { $0.backend == "eager" && $0.succeeded }?.meanMilliseconds
            let backends = results.map { r in
                CompilationBench.Backend(
                    backend: r.backend, succeeded: r.succeeded, error: r.error, compileSeconds: r.compileSeconds,
                    meanMilliseconds: r.meanMilliseconds, stddevMilliseconds: r.stddevMilliseconds,
                    speedupVersusEager: eager.flatMap { e in
                        r.meanMilliseconds.flatMap { $0 > 0 && r.succeeded ? e / $0 : nil }
                    })
            }
            let fastest = backends.filter { $0.succeeded && $0.meanMilliseconds != nil }
                .min { ($0.meanMilliseconds ?? .infinity) < ($1.meanMilliseconds ?? .infinity) }?.backend
            compilation.append(
                CompilationBench(
                    model: model, parameters: results.first?.parameters ?? [], source: path, backends: backends,
                    fastest: fastest))
        }
    }

    /// Computes the facts. `previous` is the digest of the last report over the same roots.
    /// New sessions (of files changed since `previous`) are compared with
    /// their baselines under `policy`; the first report over a store has no
    /// previous report and tests nothing.
    package mutating func finish(
        inputs: InputFacts, previous: ReportDigest?, previousAt: String?, policy: RegressionPolicy = .standard
    ) -> Facts {
        for key in pendingTwins.keys.sorted() {
            var seen: [UInt64: Int] = [:]
            // JSON twins first: they carry the model name and the same runs.
            let members = (pendingTwins[key] ?? []).sorted { a, b in
                (a.1.shape == .baselineJSON ? 0 : 1, a.0) < (b.1.shape == .baselineJSON ? 0 : 1, b.0)
            }
            for (path, digest, stamp) in members {
                var recorded: [UInt64: Int] = [:]
                let runSets = digest.runSets.map { $0.deduplicated(against: &seen, recording: &recorded) }
                seen.merge(recorded, uniquingKeysWith: +)
                addRuns(path: path, shape: digest.shape, runSets, whole: digest.runSets, stamp: stamp)
            }
        }
        pendingTwins = [:]
        var latestNights: [AppendedNights.LatestNight] = []
        let previousReport = previousAt.flatMap { try? Date($0, strategy: .iso8601) }?.timeIntervalSince1970
        for line in appendedNights.sessions(
            gap: policy.sessionGap, now: benchmarkSessions.now, previousReport: previousReport, naming: Analyzer.historySource,
            latest: &latestNights)
        {
            benchmarkSessions.add(line.measurement, source: line.source, path: line.path, stamp: line.stamp, measuredAt: line.measuredAt)
        }
        appendedNights = AppendedNights()
        showLatestNights(latestNights)
        // Statistics per group, on every core; the accumulators are moved out of
        // the dictionary first so selection reorders their arrays in place, uncopied.
        var accumulators = Array(groups.values)
        groups.removeAll()
        // New: a session of a file changed since the previous report that no
        // report read before (an appended file's earlier sessions are history).
        // A night of appended runs the last report held, whole since, is new though its file did not change.
        let changed = previous == nil ? [] : Set(inputs.changed).union(latestNights.filter(\.released).map(\.path))
        let isNew: (SessionSpan) -> Bool = { !$0.readBefore && changed.contains($0.source) }
        let environmentOf = SessionEnvironment.bySource(environment)
        Analyzer.summarizeGroups(&accumulators, isNew: isNew, policy: policy, environmentOf: environmentOf)
        // Benchmarks' sessions are tested in the same family as the run groups'.
        var comparisons =
            accumulators.flatMap(\.comparisons)
            + benchmarkSessions.comparisons(
                isNew: { source, reported in !reported && changed.contains(source) }, policy: policy, environmentOf: environmentOf)
        SessionComparison.controlFalseDiscoveries(&comparisons)
        results =
            adopted
            + accumulators.map { g in
                GroupResult(
                    group: RunGroup(
                        model: g.model, modelSource: g.modelSource, configuration: g.configuration, sources: g.sources,
                        runsOK: g.ok, runsFailed: g.failed, duplicatesMerged: g.duplicates,
                        tokensPerSecond: g.tokensPerSecondSummary, ttftSeconds: g.ttftSummary, coldStart: g.coldStart,
                        isSweep: g.fromSweep, tokensPerSecondSample: g.tokensPerSecondSample, ttftSample: g.ttftSample,
                        tokensPerSecondLowerQuartile: g.tokensPerSecondQuartiles.lower,
                        tokensPerSecondUpperQuartile: g.tokensPerSecondQuartiles.upper, prefillTokens: g.prefillTokens,
                        prefillSeconds: g.prefillSeconds, sessions: g.finishedSessions(isNew: isNew), changePoints: g.changePoints),
                    failures: g.failureShares)
            }
        results.sort { ($0.group.model, $0.group.configuration.rendered) < ($1.group.model, $1.group.configuration.rendered) }
        var runGroups = results.map(\.group)
        HarnessFailure.mark(&runGroups)
        if !environment.isEmpty {
            for group in runGroups.indices {
                for session in runGroups[group].sessions.indices {
                    runGroups[group].sessions[session].environment = environmentOf(runGroups[group].sessions[session].source)
                }
            }
        }
        // Each message's set of files sized once: one shared by thousands of
        // files grew it a dozen times over.
        var sourcesPerMessage: [String: Int] = [:]
        for result in results {
            for share in result.failures { sourcesPerMessage[share.message, default: 0] += share.sources.count }
        }
        for (message, count) in sourcesPerMessage where failures[message] == nil {
            var failure = FailureAccumulator()
            failure.sourceSet.reserveCapacity(count)
            failures[message] = failure
        }
        for result in results {
            for share in result.failures { recordFailure(share, model: result.group.model) }
        }
        let failureGroups = failures.map {
            FailureGroup(message: $0.key, count: $0.value.count, models: $0.value.models, sources: $0.value.sources)
        }.sorted { ($1.count, $0.message) < ($0.count, $1.message) }
        // Each file's entries are bounded; across thousands of files, the
        // tables a report lists are too: its memory, and its reader's time.
        // A sweep's summary with no throughput (a latency sweep: only TTFT)
        // ranks nothing: its rows stand as numbers, per configuration.
        for (model, rows) in aggregateSweeps where !rows.contains(where: { Analyzer.centralMetric($0.1.metrics, about: "tok") != nil }) {
            aggregateSweeps[model] = nil
            for (path, row) in rows {
                let label = row.configuration.isEmpty ? model : model + " (" + row.configuration.rendered + ")"
                series += Analyzer.seriesRows(of: row, labelled: label, from: path)
            }
        }
        // A summary whose runs are not among the inputs is all there is of
        // them: its figures, as the script computed them, stand as numbers.
        let measuredModels = Set(runGroups.map(\.model))
        for (path, row) in runSummaries {
            let model = naming.model(row.model, of: path).model
            guard !measuredModels.contains(model) else { continue }
            series += Analyzer.seriesRows(of: row, labelled: model, from: path)
        }
        notes += benchmarkSessions.aheadNotes
        Analyzer.bound(&measurements, listing: "Other benchmarks", notes: &notes)
        Analyzer.bound(&series, listing: "Other numeric data", notes: &notes)
        var facts = Facts(
            inputs: inputs, runGroups: runGroups, failures: failureGroups, sweeps: finishSweeps(),
            compilation: compilation, llamaBench: finishLlamaBench(), measurements: measurements, series: series,
            environment: environment, notes: notes,
            changes: Changes.between(underTodaysNames(previous), at: previousAt, and: runGroups), findings: [], recommendations: [],
            sessionComparisons: comparisons.sorted {
                ($0.tool ?? "", $0.model, $0.configuration.rendered, $0.metric.rawValue, $0.measuredAt) < (
                    $1.tool ?? "", $1.model, $1.configuration.rendered, $1.metric.rawValue, $1.measuredAt
                )
            })
        facts.leaderboard = Leaderboard(runGroups: runGroups)
        facts.llamaBenchBuilds = LlamaBenchBuildComparison.compare(llamaBench)
        facts.regressionPolicy = policy
        facts.harnessFailures = HarnessFailure.collect(runGroups, environment: environment)
        facts.benchmarkChangePoints = benchmarkSessions.changePoints(environmentOf: environmentOf)
        (facts.findings, facts.recommendations) = FindingRules.derive(facts)
        return facts
    }

    private func finishSweeps() -> [Sweep] {
        var result: [Sweep] = []
        let groupsByKey = Dictionary(results.map { ($0.group.key, $0.group) }, uniquingKeysWith: { first, _ in first })
        let baseline = Dictionary(grouping: results.map(\.group).filter { !$0.isSweep }, by: \.model)
        for (model, accumulator) in sweeps {
            let configs = accumulator.order.compactMap { accumulator.configs[$0] }
            var results: [Sweep.Result] = []
            for config in configs {
                var tps = config.tokensPerSecond
                var ttft = config.ttft
                guard let median = Summary.quantile(&tps, 0.5) else { continue }
                results.append(
                    Sweep.Result(
                        configuration: config.configuration, runs: config.runs, tokensPerSecond: median,
                        ttftSeconds: Summary.quantile(&ttft, 0.5)))
            }
            var effects: [Sweep.Effect] = []
            for parameter in Analyzer.sweptParameters(configs.map(\.configuration)) {
                var levels: [String: (runs: Int, tps: [Double], ttft: [Double])] = [:]
                for config in configs {
                    guard let value = config.configuration[name: parameter] else { continue }
                    var level = levels[value] ?? (0, [], [])
                    level.runs += config.runs
                    level.tps += config.tokensPerSecond
                    level.ttft += config.ttft
                    levels[value] = level
                }
                let ordered = levels.keys.sorted(by: Analyzer.naturalOrder)
                let effectLevels = ordered.map { value -> Sweep.Effect.Level in
                    var tps = levels[value]?.tps ?? []
                    var ttft = levels[value]?.ttft ?? []
                    return Sweep.Effect.Level(
                        value: value, runs: levels[value]?.runs ?? 0, tokensPerSecond: Summary.quantile(&tps, 0.5),
                        ttftSeconds: Summary.quantile(&ttft, 0.5))
                }
                let medians = effectLevels.compactMap(\.tokensPerSecond)
                let spread = medians.min().flatMap { low in
                    medians.max().map { high in low > 0 ? (high - low) / low * 100 : 0 }
                }
                effects.append(Sweep.Effect(parameter: parameter, levels: effectLevels, throughputSpreadPercent: spread))
            }
            var sources = accumulator.sources
            for (path, _) in aggregateSweeps[model] ?? [] where !sources.contains(path) { sources.append(path) }
            let ranking = results.sorted { $0.tokensPerSecond > $1.tokensPerSecond }
            var sweep = Sweep(
                model: model, sources: sources, basis: "runs",
                parameters: Analyzer.sweptParameters(configs.map(\.configuration)), configurations: configs.count,
                runs: configs.reduce(0) { $0 + $1.runs }, failedRuns: accumulator.failed,
                bestThroughput: ranking.first,
                bestTTFT: results.filter { $0.ttftSeconds != nil }.min {
                    ($0.ttftSeconds ?? .infinity) < ($1.ttftSeconds ?? .infinity)
                }, effects: effects, ranking: ranking, bestMarginPercent: Analyzer.margin(ranking))
            // Judged against run-to-run noise; the configurations' run groups
            // (finished by now, in `results`) say which were measured cold.
            let measured = zip(configs.filter { !$0.tokensPerSecond.isEmpty }, results).map { config, result in
                SweepNoise.Configuration(
                    parameters: config.configuration, tokensPerSecond: config.tokensPerSecond, median: result.tokensPerSecond)
            }
            SweepNoise.judge(&sweep, configurations: measured, baseline: baseline[model] ?? [])
            SweepNoise.markConfounds(
                &sweep, firstConfiguration: accumulator.sources.count == 1 ? configs.first?.configuration : nil,
                group: { groupsByKey[model + " | " + $0.rendered] })
            result.append(sweep)
        }
        // Sweeps known only from a tool's own summary (no per-run file beside it).
        for (model, rows) in aggregateSweeps where sweeps[model] == nil {
            let results = rows.compactMap { _, row -> Sweep.Result? in
                guard let tps = Analyzer.centralMetric(row.metrics, about: "tok")?.value else { return nil }
                let ttft = Analyzer.centralMetric(row.metrics, about: "ttft").map { Analyzer.seconds($0.value, unitOf: $0.name) }
                return Sweep.Result(configuration: row.configuration, runs: 1, tokensPerSecond: tps, ttftSeconds: ttft)
            }
            var sources: [String] = []
            for (path, _) in rows where !sources.contains(path) { sources.append(path) }
            let ranking = results.sorted { $0.tokensPerSecond > $1.tokensPerSecond }
            var sweep = Sweep(
                model: model, sources: sources, basis: "tool summary",
                parameters: Analyzer.sweptParameters(rows.map(\.1.configuration)), configurations: results.count,
                runs: 0, failedRuns: 0, bestThroughput: ranking.first,
                bestTTFT: results.filter { $0.ttftSeconds != nil }.min {
                    ($0.ttftSeconds ?? .infinity) < ($1.ttftSeconds ?? .infinity)
                }, effects: [], ranking: ranking, bestMarginPercent: Analyzer.margin(ranking))
            // Each row is a mean of runs the summary does not count: taken as
            // one run, which overstates its noise, never understates it.
            let measured = results.map {
                SweepNoise.Configuration(parameters: $0.configuration, tokensPerSecond: [$0.tokensPerSecond], median: $0.tokensPerSecond)
            }
            SweepNoise.judge(&sweep, configurations: measured, baseline: baseline[model] ?? [])
            result.append(sweep)
        }
        return result.sorted { $0.model < $1.model }
    }

    /// A tool's own summary row, one number per figure it computed, in name order.
    private static func seriesRows(of row: AggregateRow, labelled label: String, from path: String) -> [SeriesRow] {
        row.metrics.sorted { $0.key < $1.key }.map { metric, value in
            SeriesRow(source: path, name: "\(label) \(metric)", summary: Summary([value]))
        }
    }

    /// How many rows a report lists of the benchmarks and of the other
    /// numbers its files hold (see README, "Memory").
    static let listedRows = 5_000

    /// Keeps the first `listedRows` of `rows` (in file order) and says how
    /// many more there were.
    private static func bound<Row>(_ rows: inout [Row], listing section: String, notes: inout [SourceDetail]) {
        guard rows.count > listedRows else { return }
        notes.append(
            SourceDetail(
                source: section,
                items: ["\(rows.count) rows; the first \(listedRows) (in file order) are listed, so a report stays readable and its memory bounded"]))
        rows.removeSubrange(listedRows...)
    }

    /// Keeps the `listedRows` run groups with the most runs (in model and
    /// configuration order, as before) and says how many there were: a tree
    /// of thousands of models would otherwise make a report of hundreds of
    /// megabytes, and take gigabytes to render. Their sessions were tested
    /// all the same (see `Facts.listing`).
    static func boundRunGroups(_ groups: inout [RunGroup], notes: inout [SourceDetail]) {
        guard groups.count > listedRows else { return }
        let runs = { (group: RunGroup) in group.runsOK + group.runsFailed }
        let kept = Set(groups.indices.sorted { (runs(groups[$1]), $0) < (runs(groups[$0]), $1) }.prefix(listedRows))
        notes.append(
            SourceDetail(
                source: "LLM runs",
                items: [
                    "\(groups.count) groups of a model and configuration; the \(listedRows) with the most runs are listed, so a report stays readable and its memory bounded"
                ]))
        groups = groups.indices.filter(kept.contains).map { groups[$0] }
    }

    /// A summary file's central value for a metric (`mean_tokens_s`,
    /// `median_ttft_s`, ...), with the column it came from: the median if
    /// there is one, else the mean; never a spread or an extreme (`std_`,
    /// `min_`, `max_`, `p95_`).
    static func centralMetric(_ metrics: [String: Double], about topic: String) -> (name: String, value: Double)? {
        let candidates = metrics.keys.filter { name in
            let lower = name.lowercased()
            return lower.contains(topic) && !["std", "min", "max", "p9", "p5", "p1", "var", "count"].contains { lower.contains($0) }
        }
        for preference in ["median", "mean", "avg"] {
            if let name = candidates.filter({ $0.lowercased().contains(preference) }).sorted().first, let value = metrics[name] {
                return (name, value)
            }
        }
        return nil
    }

    /// `value` of a time column named with its unit (`mean_ttft_ms`,
    /// `median_ttft_us`) in seconds; a name without one (`mean_ttft_s`,
    /// `mean_ttft`) is in seconds already.
    static func seconds(_ value: Double, unitOf name: String) -> Double {
        let lower = name.lowercased()
        for (suffix, perSecond) in [("_ms", 1e3), ("_us", 1e6), ("_µs", 1e6), ("_μs", 1e6), ("_ns", 1e9)] where lower.hasSuffix(suffix) {
            return value / perSecond
        }
        return value
    }

    static func margin(_ ranking: [Sweep.Result]) -> Double? {
        guard let best = ranking.first?.tokensPerSecond, ranking.count > 1 else { return nil }
        var values = ranking.map(\.tokensPerSecond)
        guard let median = Summary.quantile(&values, 0.5), median > 0 else { return nil }
        return (best - median) / median * 100
    }

    /// Parameters that take more than one value across the configurations.
    static func sweptParameters(_ configurations: [[Parameter]]) -> [String] {
        var values: [String: Set<String>] = [:]
        for configuration in configurations {
            for parameter in configuration { values[parameter.name, default: []].insert(parameter.value) }
        }
        return values.filter { $0.value.count > 1 }.keys.sorted()
    }

    /// Numbers by value, then text: `num_ctx` 1024 < 2048 < 4096.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x < y }
        return a < b
    }

    /// What a llama-bench row records of its machine: results of two machines
    /// are told apart by it (the build is a column of its own).
    static let llamaBenchMachineKeys: Set<String> = ["gpu_info", "cpu_info", "backends"]

    private func finishLlamaBench() -> [LlamaBenchRow] {
        let varying = Set(Analyzer.sweptParameters(llamaBench.map(\.1.parameters)))
        let machines = llamaBench.map { $0.1.environment.filter { Analyzer.llamaBenchMachineKeys.contains($0.name) } }
        let varyingMachine = Set(Analyzer.sweptParameters(machines))
        return llamaBench.enumerated().map { index, entry in
            let (source, result) = entry
            return LlamaBenchRow(
                model: result.model, test: result.test, phase: result.phase,
                parameters: (result.parameters.filter { varying.contains($0.name) } + machines[index].filter { varyingMachine.contains($0.name) })
                    .sorted(),
                tokensPerSecond: result.tokensPerSecond, stddev: result.stddevTokensPerSecond,
                samples: result.samples.count, source: source,
                build: LlamaBenchBuildComparison.Build(result.environment)?.label)
        }
    }
}

extension FileDigest.RunSetDigest {
    /// How many of its runs failed.
    var failedRuns: Int { failures.reduce(0) { $0 + $1.count } }

    /// Its most frequent failure messages, as a session keeps them.
    var sessionFailureMessages: [String] {
        failures.sorted { $0.count > $1.count }.prefix(Session.messageLimit).map(\.message)
    }
}
