import Foundation
import Records

/// The sessions of benchmarks other than run groups (a hyperfine command, a
/// pytest-benchmark test, a Google Benchmark), and each new one tested
/// against the ones before it, as run groups' sessions are.
///
/// A benchmark's session is one file's measurement of it; it is dated by the
/// time its tool wrote in the file (pytest-benchmark's `datetime`, Google
/// Benchmark's `context.date`, vLLM's `date`), else by the file's
/// modification time (hyperfine writes none). Once `minimumSessions`
/// sessions precede a new one, it is tested as one value (its tool's median,
/// else its runs' median, else its tool's mean) against theirs
/// (`SessionComparison.testAgainstSessions`): between nights a benchmark
/// drifts more than its runs scatter within one, and pooling many nights'
/// runs would count that drift as a change. Before that, where both sides
/// hold each run's value (hyperfine's `times`, pytest-benchmark's `data`,
/// Google Benchmark's repetitions) the runs are tested, as a run group's;
/// a session known only by its tool's figure waits. Times are compared in
/// seconds, whatever unit each file used; a rate only with the same unit.
///
///     var sessions = BenchmarkSessions()
///     sessions.add(measurement, source: "nightly/2026-12-02/hyperfine.json", stamp: stamp)
///     let tests = sessions.comparisons(isNew: { source, reported in ... }, policy: .standard, environmentOf: { _ in .empty })
struct BenchmarkSessions {
    /// One benchmark, measured the same way: what its sessions share.
    private struct Key: Hashable {
        var tool: String
        var name: String
        var parameters: String
        var metric: TestedMetric
        var unit: String?
    }

    private struct Span {
        /// How reports name it: its file, or `results.json (as of ...)` for an earlier version.
        var source: String
        /// Its file, whatever version: what a regression opened by it names it by.
        var path: String
        /// When its tool says it was measured, if it does.
        var startedAt: Double?
        var measuredAt: Double
        var sequence: Int64
        /// Whether a report read it before (see `FileStamp.reportedUntil`).
        var reported: Bool
        var values: Range<Int>
        /// The session as one value: its tool's median, else the median of
        /// its runs, else its tool's mean.
        var figure: Double?
        /// The runs behind it (the tool's count, else its runs' values; at least 1).
        var runs: Int

        /// The same session in another file (a backup, or an earlier version
        /// a backup still holds): read before if either was, and named by the
        /// file the store had first when both are files as they are.
        mutating func merge(copy: Span) {
            reported = reported || copy.reported
            if copy.path == copy.source, path == source, copy.sequence < sequence {
                source = copy.source
                path = copy.path
                sequence = copy.sequence
            }
        }
    }

    private struct Group {
        var tool: String
        var name: String
        var parameters: [Parameter]
        var metric: TestedMetric
        var unit: String?
        var values: [Double] = []
        var sessions: [Span] = []
        /// Sessions by when they were measured: where a backup's twin is
        /// looked for, without a pass over a thousand nights per session.
        var sessionsAt: [Double: [Int]] = [:]
        /// Sessions by their file's path without its extension: where the
        /// same run exported in another format is looked for.
        var sessionsByStem: [Substring: [Int]] = [:]
    }

    /// How far apart (in seconds) one run's exports may be dated:
    /// hyperfine writes `--export-json`, `--export-csv` and
    /// `--export-markdown` one after another when the run ends.
    static let exportsWindow = 60.0

    private var groups: [Key: Group] = [:]
    /// The report's time (see `FileStamp.isAhead`).
    let now: Double
    /// Files with sessions dated after `now`, and the earliest such date:
    /// no sessions, said in the report's notes (`aheadNotes`).
    private(set) var ahead: [String: Double] = [:]
    /// Those of them dated by the file's modification time (no time in the data).
    private var aheadByFileTime: Set<String> = []

    init(now: Double) {
        self.now = now
    }

    /// Records that `path` holds a session dated `at`, after the report
    /// (`byFileTime`: by the file's modification time, the data having none).
    mutating func noteAhead(path: String, at time: Double?, byFileTime: Bool = false) {
        guard let time else { return }
        ahead[path] = min(ahead[path] ?? time, time)
        if byFileTime { aheadByFileTime.insert(path) }
    }

    /// The report's notes on the files with sessions dated after it.
    var aheadNotes: [SourceDetail] {
        ahead.keys.sorted().compactMap { path in
            guard let time = ahead[path] else { return nil }
            let date = Date(timeIntervalSince1970: time).formatted(.iso8601)
            let dated = aheadByFileTime.contains(path) ? "runs dated by the file's modification time, \(date)," : "runs dated \(date),"
            return SourceDetail(
                source: path,
                items: [
                    "\(dated) after this report (a clock set ahead?): no session to test or to judge others by; their runs count in the figures"
                ])
        }
    }

    /// Seconds per unit of the time units benchmark tools write.
    static let secondsPer: [String: Double] = [
        "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ns": 1e-9,
        "min": 60, "h": 3600,
        // A time per operation (`go test -bench`'s `ns/op`).
        "ns/op": 1e-9, "us/op": 1e-6, "µs/op": 1e-6, "ms/op": 1e-3, "s/op": 1,
    ]

    /// What a measurement is tested on: a time (scaled to seconds) or a rate
    /// (in its own unit); nil when it is neither, failed, or has no figure.
    static func tested(_ measurement: Records.Measurement) -> (metric: TestedMetric, scale: Double, unit: String?)? {
        // A command that exited non-zero was timed doing something else; a
        // few failed requests of a serving run leave its figures standing.
        let runs = measurement.count ?? measurement.samples.count
        guard measurement.isRegressionTested, measurement.failure == nil || measurement.failedRuns * 2 < runs,
            !measurement.samples.isEmpty || measurement.median ?? measurement.mean != nil
        else { return nil }
        if measurement.higherIsBetter { return (.throughput, 1, measurement.unit) }
        guard let scale = secondsPer[measurement.unit.lowercased()] else { return nil }
        return (.time, scale, nil)
    }

    /// Adds one file's measurement as a session of its benchmark, measured
    /// when its file says (else when the file was last written); false when
    /// it is not tested (see `tested`). `path` is the file of an earlier
    /// version `source` names (nil: `source` is the file).
    /// `readUntilMeasured`: the file holds several nights of the benchmark
    /// (appended to), and what a report read of it is recorded as the
    /// latest time its data gives (`LlamaBenchAdded.measuredUntil`): a
    /// session measured by then was read, one after it is new.
    @discardableResult
    mutating func add(
        _ measurement: Records.Measurement, source: String, path: String? = nil, stamp: FileStamp, measuredAt: Double? = nil,
        readUntilMeasured: Bool = false, markIsFileTime: Bool = true
    ) -> Bool {
        guard let (metric, scale, unit) = BenchmarkSessions.tested(measurement) else { return false }
        // Dated by its data, else by its file's time: either may be a clock set ahead.
        if FileStamp.isAhead(measuredAt ?? stamp.knownTime, of: now) {
            noteAhead(path: path ?? source, at: measuredAt ?? stamp.knownTime, byFileTime: measuredAt == nil)
            return false
        }
        let key = Key(
            tool: measurement.tool, name: measurement.name, parameters: measurement.parameters.rendered, metric: metric, unit: unit)
        var group =
            groups.removeValue(forKey: key)
            ?? Group(tool: measurement.tool, name: measurement.name, parameters: measurement.parameters, metric: metric, unit: unit)
        let start = group.values.count
        group.values += measurement.samples.lazy.map { $0 * scale }.filter(\.isFinite)
        var runs = Array(group.values[start...])
        let figure = measurement.median.map { $0 * scale } ?? Summary.quantile(&runs, 0.5) ?? measurement.mean.map { $0 * scale }
        let span = Span(
            source: source, path: path ?? source, startedAt: measuredAt,
            measuredAt: measuredAt ?? stamp.modifiedAt, sequence: stamp.sequence,
            reported: stamp.reportedUntil.map { until in
                // Rewritten in place with a clock set back: new, though dated before the mark.
                if markIsFileTime, BackdatedSessions.isRewrittenEarlier(modifiedAt: stamp.modifiedAt, until: until) { return false }
                return (readUntilMeasured ? measuredAt ?? stamp.modifiedAt : stamp.modifiedAt) <= until + Analyzer.reportedTolerance
            } ?? false,
            values: start..<group.values.count, figure: figure.flatMap { $0.isFinite ? $0 : nil },
            runs: max(measurement.count ?? runs.count, 1))
        let stem = Analyzer.twinSlice(span.path)
        if let kept = group.sessionsAt[span.measuredAt]?.first(where: { BenchmarkSessions.same(group.sessions[$0], span, in: group.values) }) {
            // The copy that holds the runs' values measures the session.
            if group.sessions[kept].values.isEmpty && !span.values.isEmpty {
                group.sessions[kept].values = span.values
            } else {
                group.values.removeSubrange(start...)
            }
            group.sessions[kept].merge(copy: span)
        } else if let twin = group.sessionsByStem[stem]?.first(where: { BenchmarkSessions.areExports(group.sessions[$0], span) }) {
            // One run in several formats is one session, measured by the
            // export that holds the most of it (the JSON's every run, not the
            // Markdown's rounded mean).
            var kept = group.sessions[twin]
            if BenchmarkSessions.holdsMore(span, than: kept) {
                let reported = kept.reported || span.reported
                group.sessionsAt[kept.measuredAt]?.removeAll { $0 == twin }
                group.sessionsAt[span.measuredAt, default: []].append(twin)
                kept = span
                kept.reported = reported
            } else {
                group.values.removeSubrange(start...)
                kept.reported = kept.reported || span.reported
            }
            group.sessions[twin] = kept
        } else {
            group.sessionsAt[span.measuredAt, default: []].append(group.sessions.count)
            group.sessionsByStem[stem, default: []].append(group.sessions.count)
            group.sessions.append(span)
        }
        groups[key] = group
        return true
    }

    /// Whether two sessions are one run exported twice: files of one folder
    /// and name in two formats, dated within `exportsWindow` of each other,
    /// whose figures agree (a median against a rounded mean: within 10%).
    /// Another run under the same name (`a.json` of one command, `a.csv`
    /// of a later run five times slower) keeps a history of its own.
    private static func areExports(_ kept: Span, _ span: Span) -> Bool {
        guard kept.path != span.path, abs(kept.measuredAt - span.measuredAt) <= exportsWindow else { return false }
        guard let a = kept.figure, let b = span.figure, a > 0, b > 0 else { return false }
        return max(a / b, b / a) <= 1.1
    }

    /// Whether `span` measures its session more fully than `kept`: more
    /// runs' values, then a format that keeps more digits (JSON, then CSV).
    private static func holdsMore(_ span: Span, than kept: Span) -> Bool {
        func rank(_ path: String) -> Int {
            let lower = path.lowercased()
            if lower.hasSuffix(".json") || lower.hasSuffix(".jsonl") { return 0 }
            return lower.hasSuffix(".csv") ? 1 : 2
        }
        return (span.values.count, -rank(span.path)) > (kept.values.count, -rank(kept.path))
    }

    /// Whether `span`, of another file than `kept`'s (or another version of
    /// its file), is the same session:
    /// measured at the same known time (the data's, else the files'
    /// modification times, to well under a microsecond) with the same
    /// values, or where one of them keeps none (pytest-benchmark's
    /// `--benchmark-autosave` beside its `--benchmark-json`: the same run,
    /// its samples left out of one), the same figure and runs.
    private static func same(_ kept: Span, _ span: Span, in values: [Double]) -> Bool {
        // Within one file, only its versions hold the same session again (a
        // file appended to keeps each earlier version, holding its nights).
        guard kept.path != span.path || kept.source != span.source, kept.measuredAt == span.measuredAt, span.startedAt != nil || span.measuredAt > 0,
            kept.runs == span.runs
        else { return false }
        if span.values.isEmpty || kept.values.isEmpty { return kept.figure != nil && kept.figure == span.figure }
        return values[kept.values].elementsEqual(values[span.values])
    }

    /// Every new session tested against the sessions before it (up to the
    /// policy's window; a pin, an acknowledged level and the environment
    /// apply as for run groups), in a fixed order. `isNew` says whether a
    /// session of `source` that a report `reported` before is new.
    func comparisons(
        isNew: (_ source: String, _ reported: Bool) -> Bool, policy: RegressionPolicy, environmentOf: (String) -> SessionEnvironment
    ) -> [SessionComparison] {
        var comparisons: [SessionComparison] = []
        let ordered = groups.values.sorted {
            ($0.tool, $0.name, $0.parameters.rendered, $0.metric.rawValue) < ($1.tool, $1.name, $1.parameters.rendered, $1.metric.rawValue)
        }
        for group in ordered {
            let sessions = group.sessions
            let new = sessions.map { isNew($0.source, $0.reported) }
            guard new.contains(true) else { continue }
            let chronological = sessions.indices.sorted {
                (sessions[$0].measuredAt, sessions[$0].source) < (sessions[$1].measuredAt, sessions[$1].source)
            }
            let key = Regression.groupKey(tool: group.tool, model: group.name, configuration: group.parameters)
            let environments = sessions.map { environmentOf($0.source).withoutCodeUnderTest }
            let accepted = policy.baselineCandidates(
                group: key, metric: group.metric,
                sessions: sessions.map { RegressionPolicy.SessionMark(measuredAt: $0.measuredAt, source: $0.path) },
                environments: environments)
            let pinned = policy.pin(for: group.name).map { pin in
                sessions.map { pin.holds(sequence: $0.sequence, startedAt: $0.startedAt, measuredAt: $0.measuredAt) }
            }
            let history = SessionHistory.analyse(
                values: group.values, spans: sessions.map(\.values), chronological: chronological, isNew: new,
                window: policy.baselineSessions, baselineUpTo: pinned, environments: environments, accepted: accepted,
                improves: SessionComparison.improves(group.metric, policy: policy))
            let byRuns = Dictionary(history.outcomes.map { ($0.session, $0) }, uniquingKeysWith: { first, _ in first })
            func comparison(_ session: Int, basis: SessionComparison.Basis) -> SessionComparison {
                var comparison = SessionComparison(
                    model: group.name, configuration: group.parameters, metric: group.metric, source: sessions[session].source,
                    startedAt: sessions[session].startedAt, measuredAt: sessions[session].measuredAt, current: .init(median: .nan, n: 0),
                    baseline: .init(median: .nan, n: 0), baselineSessions: 0, baselineSources: [], test: nil,
                    environment: environments[session])
                comparison.tool = group.tool
                comparison.unit = group.unit
                comparison.basis = basis
                return comparison
            }
            func runs(_ outcome: SessionHistory.Outcome, _ comparison: SessionComparison) -> SessionComparison {
                var comparison = comparison
                comparison.current = .init(median: outcome.currentMedian, n: outcome.currentCount)
                comparison.baseline = .init(median: outcome.baselineMedian, n: outcome.baselineCount)
                comparison.baselineSessions = outcome.baseline.count
                comparison.baselineSources = outcome.baseline.map { sessions[$0].source }
                comparison.test = outcome.test
                comparison.environmentDifferences = outcome.environmentDifferences
                comparison.pinnedBaselineEmpty = outcome.pinnedBaselineEmpty
                comparison.predatesHistory = outcome.predatesHistory
                return comparison
            }
            for (position, session) in chronological.enumerated() where new[session] {
                let (baseline, differences, outsidePin) = SessionHistory.baseline(
                    of: position, chronological: chronological, isNew: new, usable: { sessions[$0].figure != nil },
                    window: policy.baselineSessions, pinned: pinned, environments: environments, accepted: accepted)
                let outcome = byRuns[session]
                // With enough earlier sessions, session against session: runs
                // pooled over nights count a night's drift as a change.
                let figure = sessions[session].figure
                if let outcome, figure == nil || baseline.count < SessionComparison.minimumSessions {
                    comparisons.append(runs(outcome, comparison(session, basis: .runs)))
                    continue
                }
                let predates =
                    baseline.isEmpty && differences.isEmpty && outsidePin == 0
                    && SessionHistory.predatesHistory(
                        position, chronological: chronological, isNew: new, usable: { sessions[$0].figure != nil })
                guard let figure, !(baseline.isEmpty && differences.isEmpty && outsidePin == 0) || predates else { continue }
                var figures = baseline.compactMap { sessions[$0].figure }
                var tested = comparison(session, basis: .sessions)
                tested.current = .init(median: figure, n: sessions[session].runs)
                tested.test = SessionComparison.testAgainstSessions(current: figure, baseline: figures)
                // Shown as the centre the change is measured from (their geometric
                // mean), so "2.000 s → 2.402 s" and its percentage agree.
                let centre = SessionComparison.sessionsCentre(figures) ?? Summary.quantile(&figures, 0.5) ?? .nan
                tested.baseline = .init(median: centre, n: baseline.count)
                tested.baselineSessions = baseline.count
                tested.baselineSources = baseline.map { sessions[$0].source }
                tested.environmentDifferences = baseline.isEmpty ? differences : []
                tested.pinnedBaselineEmpty = baseline.isEmpty && differences.isEmpty && outsidePin > 0
                tested.predatesHistory = predates
                comparisons.append(tested)
            }
        }
        return comparisons
    }
}

extension BenchmarkSessions {
    /// Every benchmark's lasting changes, over its sessions' figures in the
    /// order they were measured (the latest `GroupChangePoint.sessionsSearched`
    /// of them), in the order `comparisons` tests them.
    /// The searches share nothing and run on every core: a suite of
    /// thousands of benchmarks with months of nights is thousands of them.
    func changePoints(environmentOf: (String) -> SessionEnvironment) -> [BenchmarkChangePoint] {
        // Each group's sessions in order, with their environments, looked up
        // here (once a file: a suite's file holds hundreds of benchmarks):
        // the searches below share nothing.
        var environments: [String: SessionEnvironment] = [:]
        func environment(_ source: String) -> SessionEnvironment {
            if let known = environments[source] { return known }
            let found = environmentOf(source).withoutCodeUnderTest
            environments[source] = found
            return found
        }
        var searched = groups.values.filter { $0.sessions.count >= 2 * ChangePoints.minimumSegment }.sorted {
            ($0.tool, $0.name, $0.parameters.rendered, $0.metric.rawValue) < ($1.tool, $1.name, $1.parameters.rendered, $1.metric.rawValue)
        }.map { group in
            let sessions = group.sessions.sorted { ($0.measuredAt, $0.source) < ($1.measuredAt, $1.source) }
            return (group: group, sessions: sessions, environments: sessions.map { environment($0.source) }, points: [BenchmarkChangePoint]())
        }
        Parallel.update(&searched) { item in
            let group = item.group
            let sessions = item.sessions
            item.points = GroupChangePoint.detect(group.metric, medians: sessions.map(\.figure), environments: item.environments).map { point in
                let session = sessions[point.session]
                var found = BenchmarkChangePoint(
                    tool: group.tool, name: group.name, parameters: group.parameters, unit: group.unit, point: point,
                    source: session.source, startedAt: session.startedAt, measuredAt: session.measuredAt)
                found.latest = sessions.last { $0.figure != nil }?.figure
                return found
            }
        }
        return searched.flatMap(\.points)
    }
}

extension SessionEnvironment {
    /// The environment without what names the code under test (a commit,
    /// the executable's path) or changes between runs of one machine (a
    /// clock's reading): a benchmark's sessions are there to compare
    /// commits, so a new commit is no other environment.
    var withoutCodeUnderTest: SessionEnvironment {
        SessionEnvironment(
            values: values.filter { entry in
                let key = entry.key.lowercased()
                return !key.contains("commit")
                    && !["build_number", "executable", "mhz_per_cpu", "date", "datetime", "time", "timestamp"].contains(key)
            })
    }
}
