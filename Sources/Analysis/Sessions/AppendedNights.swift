import Records

/// Undated results of one benchmark that a file holds several of: nights
/// appended a line each (SGLang's `bench_serving --output-file` adds a JSON
/// line per run, with no date in it). Each line is a session once, dated
/// by the version of the file that first held it: the file as it is, and
/// the earlier versions the store keeps (`Analyzer.addHistory`), are read
/// in time order, and the lines a version adds after those of the version
/// before it (appended, or after the part it kept of it when rotated) are
/// that version's nights. Several added at once (two nights between
/// reports) are a millisecond apart, in their order, the last at the
/// version's time. Before, every line was dated by the file's time: each
/// report took the earlier lines for new sessions (a slow night, recovered
/// since, opened its regressions again every night), and each kept version
/// added its lines to the baseline again.
///
/// A benchmark no version holds more than one line of (a file rewritten
/// each night with its one result) is read as before: each version's line
/// a session of its own.
///
/// A benchmark whose samples are runs a log gathered one invocation after
/// another (`Measurement.appendedRuns`: `/usr/bin/time -a -o`, `go test
/// -bench >> bench.txt`) is one line whose samples grow: the runs each
/// version added are dated by it, and the runs of versions less than an
/// hour apart (`nightGap`) are one night (less the runs' own time, when
/// they are wall times: builds of 20 minutes appended one by one are one
/// night). Before, every night's runs were one pool, and a night 25%
/// slower moved its median by a fraction of that. What the file held when
/// first read is one night: nothing in it says where its nights began.
///
///     var nights = AppendedNights()
///     let now = nights.noteFile(path: path, measurements, stamp: stamp)      // the lines to add now
///     nights.noteVersion(path: path, measurements, modifiedAt: t, fileMeasuredAt: nil) { _ in false }
///     var latest: [AppendedNights.LatestNight] = []
///     for line in nights.sessions(gap: 600, naming: Analyzer.historySource, latest: &latest) { /* add each */ }
struct AppendedNights {
    /// A session to add: a line with the source, stamp and date it is added under.
    struct Line {
        var measurement: Records.Measurement
        var source: String
        var path: String
        var stamp: FileStamp
        var measuredAt: Double?
    }

    private struct Version {
        var modifiedAt: Double
        /// When the version's own content dates it, if it does.
        var fileMeasuredAt: Double?
        var lines: [Records.Measurement]

        var time: Double { fileMeasuredAt ?? modifiedAt }
    }

    private struct Benchmark {
        /// The file's lines as it is now; nil when it no longer holds the benchmark.
        var current: [Records.Measurement]?
        var versions: [Version] = []
        /// Set when its samples are appended runs (`Measurement.appendedRuns`).
        var appendedRuns: Records.Measurement.AppendedRuns?
    }

    private struct File {
        var stamp = FileStamp.unknown
        var benchmarks: [String: Benchmark] = [:]
    }

    private var files: [String: File] = [:]

    /// Notes the file's undated lines, and returns the positions of what is
    /// added now: dated measurements, and each undated benchmark's last line
    /// (the file's latest night; the earlier lines are dated in `sessions`).
    /// A file its content dates as a whole (`Extraction.measuredAt`: one
    /// run) holds no nights appended: everything in it is added now.
    ///
    /// A benchmark of appended runs is returned too (it is the file's
    /// figure), but its sessions are all added in `sessions`: see
    /// `addsSessionsLater`.
    mutating func noteFile(path: String, _ measurements: [Records.Measurement], stamp: FileStamp, datedAsAWhole: Bool = false) -> [Int] {
        guard !datedAsAWhole else { return Array(measurements.indices) }
        var last: [String: Int] = [:]
        for (index, measurement) in measurements.enumerated() where measurement.measuredAt == nil {
            last[measurement.benchmarkKey] = index
        }
        guard !last.isEmpty else { return Array(measurements.indices) }
        var lines: [String: [Records.Measurement]] = [:]
        for measurement in measurements where measurement.measuredAt == nil { lines[measurement.benchmarkKey, default: []].append(measurement) }
        var file = files[path] ?? File()
        file.stamp = stamp
        for (key, held) in lines {
            file.benchmarks[key, default: Benchmark()].current = held
            if let kind = held.last?.appendedRuns { file.benchmarks[key]?.appendedRuns = kind }
        }
        files[path] = file
        return measurements.indices.filter { measurements[$0].measuredAt != nil || last[measurements[$0].benchmarkKey] == $0 }
    }

    /// Whether the sessions of `measurement`, of a file noted by
    /// `noteFile`, are all added by `sessions` (its appended runs' nights),
    /// none now.
    static func addsSessionsLater(_ measurement: Records.Measurement, datedAsAWhole: Bool) -> Bool {
        !datedAsAWhole && measurement.measuredAt == nil && measurement.appendedRuns != nil
    }

    /// Notes an earlier version's undated lines (those `isDated` does not
    /// claim: a benchmark the file dates is read by its dates); none is
    /// added now.
    mutating func noteVersion(
        path: String, _ measurements: [Records.Measurement], modifiedAt: Double, fileMeasuredAt: Double?,
        isDated: (Records.Measurement) -> Bool
    ) {
        var lines: [String: [Records.Measurement]] = [:]
        var order: [String] = []
        for measurement in measurements where measurement.measuredAt == nil && !isDated(measurement) {
            let key = measurement.benchmarkKey
            if lines[key] == nil { order.append(key) }
            lines[key, default: []].append(measurement)
        }
        guard !order.isEmpty else { return }
        var file = files[path] ?? File()
        for key in order {
            let held = lines[key] ?? []
            file.benchmarks[key, default: Benchmark()].versions.append(
                Version(modifiedAt: modifiedAt, fileMeasuredAt: fileMeasuredAt, lines: held))
            if let kind = held.last?.appendedRuns { file.benchmarks[key]?.appendedRuns = kind }
        }
        files[path] = file
    }

    /// What `sessions` found of appended runs beside the sessions: each
    /// benchmark's latest night, the file's figure (with the runs of it
    /// that failed), and why a night is not tested yet.
    struct LatestNight {
        var path: String
        /// `benchmarkKey` of the file's measurement it stands for.
        var benchmark: String
        var measurement: Records.Measurement
        var hold: Hold?
        /// Held at the last report and whole since (an hour passed with no
        /// run): tested now, though its file did not change.
        var released = false
    }

    /// Why tonight's night is not tested yet.
    enum Hold: Equatable {
        /// It has `runs` (failed ones counted), fewer than the `before` of
        /// the night before, and its last run is less than `minutes` old.
        case fewerRuns(runs: Int, before: Int, minutes: Int)

        func text(benchmark: String) -> String {
            switch self {
            case .fewerRuns(let runs, let before, let minutes):
                "\(runs) run(s) of tonight's \(benchmark) so far, fewer than the \(before) of the night before: tested once it has as many, or \(minutes) minutes after its last"
            }
        }
    }

    /// The sessions still to add, each line once. `naming` names an
    /// earlier version's session by its file and time, as the analyzer
    /// names them; `gap` (seconds) is the pause that ends a night of
    /// appended runs, `now` the report's time and `previousReport` the
    /// last report's. `latest` gets the latest night of each appended-runs
    /// benchmark the file still holds.
    func sessions(
        gap: Double, now: Double = .infinity, previousReport: Double? = nil, naming: (String, Double) -> String, latest: inout [LatestNight]
    ) -> [Line] {
        var added: [Line] = []
        for path in files.keys.sorted() {
            guard let file = files[path] else { continue }
            for key in file.benchmarks.keys.sorted() {
                guard let benchmark = file.benchmarks[key] else { continue }
                if let kind = benchmark.appendedRuns {
                    let nights = Self.appendedRunSessions(
                        of: benchmark, kind: kind, path: path, stamp: file.stamp, times: (gap, now, previousReport), naming: naming)
                    added += nights.lines
                    // A benchmark the file no longer holds has no figure and no failures of its own now.
                    if benchmark.current != nil, let last = nights.latest {
                        latest.append(
                            LatestNight(path: path, benchmark: key, measurement: last.measurement, hold: last.hold, released: last.released))
                    }
                    continue
                }
                let versions = benchmark.versions.sorted { $0.time < $1.time }
                let appended = versions.contains { $0.lines.count > 1 } || (benchmark.current?.count ?? 0) > 1
                if !appended {
                    // One result a version: each version's, as its own session (the file's is added already).
                    for version in versions {
                        guard let line = version.lines.first else { continue }
                        added.append(
                            Line(
                                measurement: line, source: naming(path, version.time), path: path,
                                stamp: FileStamp(modifiedAt: version.modifiedAt, sequence: 0, reportedUntil: .infinity),
                                measuredAt: version.fileMeasuredAt))
                    }
                    continue
                }
                var before: [Records.Measurement] = []
                for version in versions {
                    for (line, date) in Self.added(version.lines, after: before, at: version.time) {
                        added.append(
                            Line(
                                measurement: line, source: naming(path, date), path: path,
                                stamp: FileStamp(modifiedAt: date, sequence: 0, reportedUntil: .infinity), measuredAt: nil))
                    }
                    before = version.lines
                }
                guard let current = benchmark.current else { continue }
                // The file's own nights: new unless reported (its last line is added already).
                for (line, date) in Self.added(current, after: before, at: file.stamp.modifiedAt).dropLast() {
                    var stamp = file.stamp
                    stamp.modifiedAt = date
                    added.append(Line(measurement: line, source: path, path: path, stamp: stamp, measuredAt: nil))
                }
            }
        }
        return added
    }

    /// What one version of a log of appended runs added: its runs, and how
    /// many runs failed (they leave no sample), with when and as what it is
    /// named among sessions.
    private struct Addition {
        var time: Double
        var runs: [Double]
        var failed: Int
        var source: String
        var stamp: FileStamp
        var measurement: Records.Measurement
    }

    /// The runs of one night, failed ones counted, and the latest addition to it (which dates and names it).
    private struct Night {
        var runs: [Double]
        var failed: Int
        var latestAddition: Addition

        var attempted: Int { runs.count + failed }
        var time: Double { latestAddition.time }

        /// The night as a session: tested on the runs it timed.
        var measurement: Records.Measurement {
            var measurement = latestAddition.measurement
            (measurement.samples, measurement.count) = (runs, runs.count)
            (measurement.mean, measurement.median, measurement.stddev, measurement.min, measurement.max) = (nil, nil, nil, nil, nil)
            (measurement.failure, measurement.failedRuns, measurement.failuresByMessage) = (nil, 0, [])
            measurement.fillFromSamples()
            return measurement
        }
    }

    /// The nights of a benchmark whose samples are appended runs, as
    /// sessions (see `additions` and `groupedIntoNights`). A night of the
    /// file as it is has its source and stamp, so it is new when the file
    /// changed and tested again as it grows. While it has fewer runs,
    /// failed ones counted, than the night before it (not the first, which
    /// holds whatever the file held when first read) and an hour
    /// (`nightGap`) has not passed since its last, it is not tested yet: a
    /// night's first build, slower with a cold cache, is no regression.
    /// Held at the last report and whole since, it is tested now as new,
    /// though the file did not change.
    ///
    /// Also returns the latest night as the file's figure: its runs, and
    /// the runs of it that failed (with the file's failure's message).
    private static func appendedRunSessions(
        of benchmark: Benchmark, kind: Records.Measurement.AppendedRuns, path: String, stamp: FileStamp,
        times: (gap: Double, now: Double, previousReport: Double?), naming: (String, Double) -> String
    ) -> (lines: [Line], latest: (measurement: Records.Measurement, hold: Hold?, released: Bool)?) {
        let apart = nightGap(times.gap)
        // Seconds a run's sample takes, when it is the run's wall time.
        let scale = kind == .durations ? BenchmarkSessions.secondsPer[benchmark.current?.last?.unit.lowercased() ?? "s"] ?? 0 : 0
        let nights = groupedIntoNights(additions(of: benchmark, path: path, stamp: stamp, naming: naming), secondsPerRun: scale, apart: apart)
        var lines = nights.map {
            Line(measurement: $0.measurement, source: $0.latestAddition.source, path: path, stamp: $0.latestAddition.stamp, measuredAt: nil)
        }
        guard let last = nights.last else { return (lines, nil) }
        var hold: Hold? = nil
        var released = false
        if nights.count >= 3, case let previous = nights[nights.count - 2], last.attempted < previous.attempted {
            if times.now - last.time <= apart {
                lines[lines.count - 1].measurement.isRegressionTested = false
                hold = .fewerRuns(runs: last.attempted, before: previous.attempted, minutes: Int(apart / 60))
            } else if let before = times.previousReport, before >= last.time, before - last.time <= apart, last.latestAddition.source == path {
                // The last report held it, and it did not grow: whole now, read as unread.
                lines[lines.count - 1].stamp.reportedUntil = nil
                released = true
            }
        }
        var figure = last.measurement
        if last.failed > 0 {
            figure.failure = last.latestAddition.measurement.failure ?? "failed"
            figure.failedRuns = last.failed
        }
        return (lines, (figure, hold, released))
    }

    /// What each version of the log added, oldest first, then the file as
    /// it is: the runs after those of the version before it (after the end
    /// of them it kept when cut to its last lines; all of them when it was
    /// rewritten or emptied), dated by it.
    private static func additions(of benchmark: Benchmark, path: String, stamp: FileStamp, naming: (String, Double) -> String) -> [Addition] {
        let versions = benchmark.versions.sorted { $0.time < $1.time }
        // One run a version (`time -o`, no `-a`: rewritten each time): each version's run is new, whatever its value.
        let appended = versions.contains { ($0.lines.last?.samples.count ?? 0) > 1 } || (benchmark.current?.last?.samples.count ?? 0) > 1
        var additions: [Addition] = []
        var before: Records.Measurement? = nil
        func addition(_ line: Records.Measurement, at time: Double, source: String, stamp: FileStamp) -> Addition {
            // Appended: the runs before are all still there, first. Cut to its last lines
            // (`tail -n 50`): it starts with the end of them, at least two runs and half the file.
            // Anything else is a file rewritten (`| tee bench.txt` each night), every run new: one
            // figure matching the last of the night before is no sign of runs seen before.
            let earlier = before?.samples ?? []
            var kept = 0
            if appended, !earlier.isEmpty {
                if line.samples.starts(with: earlier) {
                    kept = earlier.count
                } else if case let tail = overlap(of: earlier, with: line.samples), tail >= 2, 2 * tail >= line.samples.count {
                    kept = tail
                }
            }
            // The failures the file gained (all of them when rewritten).
            let failed = kept > 0 ? max(line.failedRuns - (before?.failedRuns ?? 0), 0) : line.failedRuns
            return Addition(time: time, runs: Array(line.samples[kept...]), failed: failed, source: source, stamp: stamp, measurement: line)
        }
        for version in versions {
            guard let line = version.lines.last else { continue }
            additions.append(
                addition(
                    line, at: version.time, source: naming(path, version.time),
                    stamp: FileStamp(modifiedAt: version.modifiedAt, sequence: 0, reportedUntil: .infinity)))
            before = line
        }
        if let line = benchmark.current?.last { additions.append(addition(line, at: stamp.modifiedAt, source: path, stamp: stamp)) }
        return additions
    }

    /// Additions less than `apart` seconds apart are one night, less the
    /// time the added runs took (`secondsPerRun` of a sample, 0 when a
    /// sample is no run's wall time): they ran one after another, up to the
    /// file's write. One that added nothing, no run and no failure, is none.
    private static func groupedIntoNights(_ additions: [Addition], secondsPerRun: Double, apart: Double) -> [Night] {
        var nights: [Night] = []
        for addition in additions where !addition.runs.isEmpty || addition.failed > 0 {
            if var night = nights.last {
                let between = addition.time - night.time
                let own = min(max(addition.runs.reduce(0) { $0 + ($1.isFinite ? $1 * secondsPerRun : 0) }, 0), max(between, 0))
                if between - own <= apart {
                    night.runs += addition.runs
                    night.failed += addition.failed
                    night.latestAddition = addition
                    nights[nights.count - 1] = night
                    continue
                }
            }
            nights.append(Night(runs: addition.runs, failed: addition.failed, latestAddition: addition))
        }
        return nights
    }

    /// The pause that ends a night of appended runs: the session gap, but
    /// at least an hour. Their times are when the file was written (when a
    /// report saw it), and a night's builds are often spaced by steps not
    /// timed (`make check` between them): split at 10 minutes, each build
    /// was a night of its own, and a night's cold first build widened every
    /// baseline (review s37a #3).
    static func nightGap(_ gap: Double) -> Double { max(gap, Records.Measurement.AppendedRuns.nightGap) }

    /// The lines `lines` adds to `before`, each with its date: after the
    /// lines of `before` it still holds at its start (all of them when
    /// appended to; the end it kept when rotated), a millisecond apart, the
    /// last at `time`. A version that kept none of them adds all its lines.
    static func added(_ lines: [Records.Measurement], after before: [Records.Measurement], at time: Double) -> [(Records.Measurement, Double)] {
        let kept = overlap(of: before, with: lines)
        let new = lines[kept...]
        return new.enumerated().map { offset, line in (line, time - Double(new.count - 1 - offset) / 1000) }
    }

    /// How many of `before`'s last lines `lines` starts with: all of them
    /// when `lines` was appended to `before`. Only the first few places
    /// `lines` could start in are tried: a file of one repeated figure has
    /// as many. A guess is wrong only when a file emptied (`logrotate
    /// copytruncate`) starts again with the very lines it ended with: those
    /// are taken for lines seen before, and what follows them is new.
    static func overlap<Line: Equatable>(of before: [Line], with lines: [Line]) -> Int {
        guard !before.isEmpty, !lines.isEmpty else { return 0 }
        if lines.count >= before.count, lines.starts(with: before) { return before.count }
        var tried = 0
        for start in before.indices.dropFirst() where before[start] == lines[0] {
            let tail = before[start...]
            if tail.count <= lines.count, lines.starts(with: tail) { return tail.count }
            tried += 1
            if tried == 64 { break }
        }
        return 0
    }
}
