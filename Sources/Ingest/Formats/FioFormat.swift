import Records

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

    /// What a benchmark is: a job's name, a direction, the job's settings.
    private struct Key: Hashable {
        var job: String
        var direction: String
        var settings: [String]
    }

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
        var order: [Key] = []
        var figures: [Key: Direction] = [:]
        var settings: [Key: [Parameter]] = [:]
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
                failures.append((name, parameters, "fio job error " + errorText(code)))
                continue
            }
            for direction in directions {
                guard let section = job[direction], let iops = section["iops"]?.double, iops.isFinite, iops >= 0,
                    (section["total_ios"]?.double ?? section["io_bytes"]?.double ?? 0) > 0
                else { continue }
                let key = Key(job: name, direction: direction, settings: parameters.map { "\($0.name)=\($0.value)" })
                if figures[key] == nil {
                    order.append(key)
                    settings[key] = parameters
                    budget.spend(entries: 1)
                    budget.spend(text: name)
                }
                var figure = figures[key] ?? Direction()
                figure.jobs += 1
                figure.iops += iops
                figure.bandwidth += figureOrZero(section["bw"])
                figure.iopsSpread = section["iops_stddev"]?.double.flatMap(figureOrNil)
                figure.bandwidthSpread = section["bw_dev"]?.double.flatMap(figureOrNil)
                let ios = figureOrZero(section["total_ios"])
                figure.ios += ios
                // fio 3 writes nanoseconds (`clat_ns`), fio 2 microseconds (`clat`).
                let (latency, scale) = section["clat_ns"].map { ($0, 1e-3) } ?? (section["clat"] ?? .null, 1)
                if let mean = latency["mean"]?.double.flatMap(figureOrNil) {
                    figure.latencyTotal += mean * scale * Swift.max(ios, 1)
                    if let low = latency["min"]?.double.flatMap(figureOrNil) { figure.latencyMin = Swift.min(figure.latencyMin, low * scale) }
                    if let high = latency["max"]?.double.flatMap(figureOrNil) { figure.latencyMax = Swift.max(figure.latencyMax, high * scale) }
                    figure.hasLatency = true
                    // The tail, for one job alone: percentiles of several jobs do not add up.
                    figure.percentiles =
                        figure.jobs > 1
                        ? []
                        : [("99", "99.000000"), ("99.9", "99.900000")].compactMap { label, key in
                            latency["percentile"]?[key]?.double.flatMap(figureOrNil).map { (label, $0 * scale) }
                        }
                }
                budget.spend(numbers: 8)
                figures[key] = figure
            }
        }
        var measurements: [Measurement] = []
        var merged = 0
        for key in order {
            // Sums of figures near the largest double are no figures.
            guard let figure = figures[key], let parameters = settings[key], figure.iops.isFinite, figure.bandwidth.isFinite,
                figure.latencyTotal.isFinite
            else { continue }
            let base = "\(key.job) \(key.direction)"
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

    /// A figure fio wrote: a finite number, not below zero.
    private static func figureOrNil(_ value: Double) -> Double? { value.isFinite && value >= 0 ? value : nil }

    private static func figureOrZero(_ value: JSONValue?) -> Double { value?.double.flatMap(figureOrNil) ?? 0 }

    /// The code fio reports (an errno), with the name of the common ones: `5 (EIO)`.
    /// (Not `strerror`: not thread-safe for codes it does not know.)
    static func errorText(_ code: Double) -> String {
        guard let number = Int(exactly: code) else { return ValueText.render(code) }
        let names = [
            1: "EPERM", 2: "ENOENT", 5: "EIO", 6: "ENXIO", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES", 16: "EBUSY", 19: "ENODEV",
            22: "EINVAL", 27: "EFBIG", 28: "ENOSPC", 30: "EROFS", 95: "EOPNOTSUPP", 110: "ETIMEDOUT", 121: "EREMOTEIO",
        ]
        return names[number].map { "\(number) (\($0))" } ?? "\(number)"
    }
}
