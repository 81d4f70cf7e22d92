import Records

#if canImport(Glibc)
import Glibc
#endif

/// fio's `--output-format=json` (and `json+`): a storage benchmark's jobs,
/// each with its `read`, `write` and `trim` figures.
///
///     {"fio version": "fio-3.33", "timestamp": 1796608801, "jobs": [
///       {"jobname": "randread", "error": 0, "job options": {"rw": "randread", "bs": "4k", "iodepth": "32"},
///        "read": {"iops": 128000.5, "bw": 512000, "total_ios": 7680030, "clat_ns": {"mean": 248.1, "percentile": {"99.000000": 301}}}}]}
///
/// Each job and direction that did I/O is a benchmark of tool `fio`, keyed
/// by the job's settings (`rw`, `bs`, `iodepth`, `numjobs`, `ioengine`,
/// `direct`, ...: from its options, else the global ones): its IOPS (higher
/// is better) and completion latency (lower is better) tested, its
/// bandwidth and latency percentiles listed. A job that failed (`error`
/// not 0) is a failure. Read as numbers by path, every job's IOPS were one
/// pool (a random read's 128,000 beside a write's 0) and nothing was tested.
enum FioFormat {
    static func matches(_ document: JSONValue) -> Bool {
        guard document["fio version"]?.string != nil, let jobs = document["jobs"]?.elements else { return false }
        return jobs.contains { $0["jobname"]?.string != nil }
    }

    /// Job options that make two runs different benchmarks.
    static let settingKeys = [
        "rw", "readwrite", "bs", "blocksize", "iodepth", "numjobs", "ioengine", "direct", "buffered", "rwmixread", "rwmixwrite",
        "fsync", "fdatasync", "sync",
    ]

    private static let directions = ["read", "write", "trim"]

    /// One job's figures in one direction, summed over the jobs of one name
    /// (`numjobs=4` without `group_reporting` writes four).
    private struct Direction {
        var jobs = 0
        var iops = 0.0
        var bandwidth = 0.0
        var ios = 0.0
        /// Completion latency in microseconds: weighted by each job's I/Os.
        var latencyTotal = 0.0
        var latencyMin = Double.infinity
        var latencyMax = -Double.infinity
        var hasLatency = false
        var percentiles: [(String, Double)] = []
        var iopsSpread: Double?
        var bandwidthSpread: Double?
    }

    static func extract(_ document: JSONValue) -> Extraction {
        let global = document["global options"]
        var order: [String] = []
        var figures: [String: Direction] = [:]
        var settings: [String: [Parameter]] = [:]
        var failures: [(name: String, parameters: [Parameter], error: String)] = []
        var notes: [String] = []
        var budget = RecordBudget()
        for job in document["jobs"]?.elements ?? [] {
            guard budget.admits("job \(order.count + failures.count + 1)") else { break }
            guard let jobName = job["jobname"]?.string else { continue }
            let name = TextCuts.text(ConsoleLines.shown(jobName))
            let parameters = settingKeys.compactMap { key -> Parameter? in
                guard let value = (job["job options"]?[key] ?? global?[key])?.scalarText else { return nil }
                return Parameter(key, TextCuts.text(value))
            }
            if let code = job["error"]?.double, code != 0 {
                failures.append((name, parameters, "fio job error \(Int(code))\(errorName(code))"))
                continue
            }
            for direction in directions {
                guard let section = job[direction], let iops = section["iops"]?.double, iops.isFinite, iops >= 0,
                    (section["total_ios"]?.double ?? section["io_bytes"]?.double ?? 0) > 0
                else { continue }
                let key = name + "\u{1}" + direction + "\u{1}" + parameters.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{1}")
                if figures[key] == nil {
                    order.append(key)
                    settings[key] = parameters
                    budget.spend(entries: 1)
                    budget.spend(text: name)
                }
                var figure = figures[key] ?? Direction()
                figure.jobs += 1
                figure.iops += iops
                figure.bandwidth += section["bw"]?.double ?? 0
                figure.iopsSpread = section["iops_stddev"]?.double
                figure.bandwidthSpread = section["bw_dev"]?.double
                let ios = section["total_ios"]?.double ?? 0
                figure.ios += ios
                // fio 3 writes nanoseconds (`clat_ns`), fio 2 microseconds (`clat`).
                let (latency, scale) = section["clat_ns"].map { ($0, 1e-3) } ?? (section["clat"] ?? .null, 1)
                if let mean = latency["mean"]?.double, mean.isFinite, mean >= 0 {
                    figure.latencyTotal += mean * scale * Swift.max(ios, 1)
                    if let low = latency["min"]?.double { figure.latencyMin = Swift.min(figure.latencyMin, low * scale) }
                    if let high = latency["max"]?.double { figure.latencyMax = Swift.max(figure.latencyMax, high * scale) }
                    figure.hasLatency = true
                    // The tail, for one job alone: percentiles of several jobs do not add up.
                    figure.percentiles =
                        figure.jobs > 1
                        ? []
                        : [("99", "99.000000"), ("99.9", "99.900000")].compactMap { label, key in
                            latency["percentile"]?[key]?.double.map { (label, $0 * scale) }
                        }
                }
                budget.spend(numbers: 8)
                figures[key] = figure
            }
        }
        var measurements: [Measurement] = []
        var merged = 0
        for key in order {
            guard let figure = figures[key], let parameters = settings[key] else { continue }
            let parts = key.split(separator: "\u{1}", omittingEmptySubsequences: false)
            let base = "\(parts[0]) \(parts[1])"
            let single = figure.jobs == 1
            if !single { merged += 1 }
            measurements.append(
                Measurement(
                    tool: "fio", name: "\(base) IOPS", parameters: parameters, unit: "IOPS", higherIsBetter: true, mean: figure.iops,
                    stddev: single ? figure.iopsSpread : nil))
            measurements.append(
                Measurement(
                    tool: "fio", name: "\(base) bandwidth", parameters: parameters, unit: "KiB/s", higherIsBetter: true,
                    mean: figure.bandwidth, stddev: single ? figure.bandwidthSpread : nil, isRegressionTested: false))
            if figure.hasLatency {
                measurements.append(
                    Measurement(
                        tool: "fio", name: "\(base) completion latency", parameters: parameters, unit: "µs",
                        mean: figure.latencyTotal / Swift.max(figure.ios, Double(figure.jobs)),
                        min: figure.latencyMin.isFinite ? figure.latencyMin : nil, max: figure.latencyMax.isFinite ? figure.latencyMax : nil))
                for (percentile, value) in figure.percentiles {
                    measurements.append(
                        Measurement(
                            tool: "fio", name: "\(base) completion latency p\(percentile)", parameters: parameters, unit: "µs", mean: value,
                            isRegressionTested: false))
                }
            }
        }
        for failure in failures {
            measurements.append(
                Measurement(
                    tool: "fio", name: failure.name, parameters: failure.parameters, unit: "IOPS", higherIsBetter: true, failure: failure.error,
                    failedRuns: 1))
        }
        if merged > 0 {
            notes.append(
                "\(merged) job name\(merged == 1 ? "" : "s") written by several jobs (numjobs without group_reporting): their IOPS and bandwidth summed, their latency averaged over their I/Os"
            )
        }
        if let note = budget.note { notes.append(note) }
        var extraction = Extraction(shape: .fio, measurements: measurements, notes: notes)
        extraction.measuredAt = document["timestamp"]?.double.flatMap(TimestampParsing.epochNumber)
        return extraction
    }

    /// ` (EIO)`-style: the errno's text, as fio's own text output names it.
    private static func errorName(_ code: Double) -> String {
        guard let number = Int32(exactly: code), number > 0, number < 4096, let text = strerror(number) else { return "" }
        return ": " + String(cString: text)
    }
}
