import Records

/// Undated results of one benchmark that a file holds several of: nights
/// appended a line each (SGLang's `bench_serving --output-file` adds a JSON
/// line per run, with no date in it). The file's time dates only its last
/// line; each earlier line is dated by the earliest kept version of the
/// file that already held it (`Analyzer.addHistory`), the night it was
/// appended. Every line was dated by the file's time before, so each
/// report took the lines before the last for new sessions (a slow night,
/// recovered since, opened its regressions again every night), and each
/// kept version added its lines again to the baseline.
///
///     var nights = AppendedNights()
///     let kept = nights.noteFile(path: path, measurements, stamp: stamp)  // the file's latest lines
///     nights.noteVersion(path: path, measurements, at: versionTime)        // what an earlier version held
///     for line in nights.earlierLines() { /* add each as an earlier session */ }
struct AppendedNights {
    /// A line before a file's last of its benchmark, with the time it is dated by.
    struct Line {
        var measurement: Records.Measurement
        var path: String
        var measuredAt: Double
        var sequence: Int64
    }

    private struct File {
        /// Per benchmark, the lines before its last, in file order.
        var earlier: [String: [Records.Measurement]] = [:]
        var stamp: FileStamp
        /// Per benchmark, what each kept version held, with its time.
        var versions: [String: [(time: Double, lines: [Records.Measurement])]] = [:]
    }

    private var files: [String: File] = [:]

    /// A benchmark's key in a file, the same for every version of it.
    static func key(_ measurement: Records.Measurement) -> String {
        measurement.tool + "\u{1}" + measurement.name + "\u{1}" + measurement.parameters.rendered
    }

    /// Keeps the lines before each undated benchmark's last (dated later,
    /// in `earlierLines`), and returns the positions of the rest: dated
    /// measurements, and each undated benchmark's last line.
    mutating func noteFile(path: String, _ measurements: [Records.Measurement], stamp: FileStamp) -> [Int] {
        var last: [String: Int] = [:]
        for (index, measurement) in measurements.enumerated() where measurement.measuredAt == nil {
            last[Self.key(measurement)] = index
        }
        var file = File(stamp: stamp)
        var kept: [Int] = []
        for (index, measurement) in measurements.enumerated() {
            guard measurement.measuredAt == nil, last[Self.key(measurement)] != index else {
                kept.append(index)
                continue
            }
            file.earlier[Self.key(measurement), default: []].append(measurement)
        }
        if !file.earlier.isEmpty { files[path] = file }
        return kept
    }

    /// Whether `measurement` of an earlier version of `path` is one of the
    /// appended lines (`noteVersion` takes it; it is no session of its own).
    func holds(path: String, _ measurement: Records.Measurement) -> Bool {
        measurement.measuredAt == nil && files[path]?.earlier[Self.key(measurement)] != nil
    }

    /// What an earlier version of `path`, written at `time`, held of the
    /// file's appended benchmarks.
    mutating func noteVersion(path: String, _ measurements: [Records.Measurement], at time: Double) {
        guard var file = files[path] else { return }
        var lines: [String: [Records.Measurement]] = [:]
        for measurement in measurements where holds(path: path, measurement) {
            lines[Self.key(measurement), default: []].append(measurement)
        }
        for (key, held) in lines { file.versions[key, default: []].append((time, held)) }
        files[path] = file
    }

    /// Each line before a benchmark's last, dated by the earliest version
    /// holding it where it is now; lines no kept version holds (the file as
    /// first read) are dated just before the earliest time known of the
    /// file, in their order. All of them are history: read before.
    func earlierLines() -> [Line] {
        var lines: [Line] = []
        for path in files.keys.sorted() {
            guard let file = files[path] else { continue }
            for key in file.earlier.keys.sorted() {
                let earlier = file.earlier[key] ?? []
                let versions = file.versions[key] ?? []
                let known = min(versions.map(\.time).min() ?? file.stamp.modifiedAt, file.stamp.modifiedAt)
                for (position, measurement) in earlier.enumerated() {
                    let holding = versions.filter { $0.lines.count > position && $0.lines[position] == measurement }.map(\.time)
                    // A millisecond apart: in order, and no earlier than a night's second shows.
                    let undated = known - Double(earlier.count - position) / 1000
                    lines.append(
                        Line(measurement: measurement, path: path, measuredAt: holding.min() ?? undated, sequence: file.stamp.sequence))
                }
            }
        }
        return lines
    }
}
