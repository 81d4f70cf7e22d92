import Records

/// A table of no known shape whose rows are dated (`timestamp,build_s`,
/// `date,latency_ms,throughput_rps`: a line or a few appended each night by a
/// script) holds a benchmark's nights, not one pool of numbers. Its columns
/// whose name says which way is better (an elapsed time with its unit, a
/// rate) become `DatedSeries`, which the file's digest cuts into sessions at
/// the session gap, each tested against the nights before it as another
/// benchmark's is; summarised as one series, a night 25% slower moved the
/// column's median by a fraction and was never seen. A column whose name
/// says neither (`cpu_percent`, `mem_mb`: which way is worse is not in the
/// name) stays a series.
///
///     date,compiler,build_s          ->  build_times.csv › build_s (compiler=gcc), in s, lower is better
///     2026-12-01T02:00:00Z,gcc,312.4      build_times.csv › build_s (compiler=clang), ...
extension GenericSeriesFormat {
    /// Names of a column that dates its row (compared as `ColumnName.canonical` spells them).
    private static let momentNames: Set<String> = [
        "timestamp", "time", "date", "datetime", "date_time", "ts", "started_at", "start_time", "started", "start", "created_at",
        "created", "run_at", "run_date", "run_time", "measured_at", "when", "time_utc", "timestamp_utc", "date_utc", "epoch",
    ]

    /// What `dating` found: the benchmarks' columns, and the columns that are
    /// no series any more (those, and a time column of numbers).
    struct Dating {
        var series: [DatedSeries]
        var columns: [Int]
    }

    /// The table's dated benchmarks, or nil when no column dates every row
    /// or no measured column says which way is better. Read over the first
    /// `rows` rows, as the first pass did; `numeric` tells the measured columns,
    /// `settings` the columns that split them, `clocks` the columns read from
    /// clock times (in seconds), `elapsed` those whose values below zero are
    /// left out.
    static func dating<Table: Tabular>(
        _ table: Table, rows: Int, profiles: [ColumnProfile], numeric: [Bool], settings: [Int], names: [String], clocks: [Bool],
        elapsed: Set<Int>, fileName: String, notes: inout [String]
    ) throws(Table.Failure) -> Dating? {
        guard rows > 0, let time = timeColumn(table, rows: rows, profiles: profiles, numeric: numeric) else { return nil }
        let judged: [(column: Int, unit: String, higherIsBetter: Bool)] = table.header.indices.compactMap { column in
            guard column != time, numeric[column], !settings.contains(column) else { return nil }
            if clocks[column] { return (column, "s", false) }
            guard let judgement = judgement(of: table.header[column]) else { return nil }
            return (column, judgement.unit, judgement.higherIsBetter)
        }
        guard !judged.isEmpty else { return nil }
        var order: [String] = []
        var groups: [String: (parameters: [Parameter], values: [[Double]], times: [[Double]])] = [:]
        var read = 0
        var undated = false
        var leftOut = 0
        var negative = [Int](repeating: 0, count: judged.count)
        try table.forEachRow { row in
            guard read < rows else { return false }
            read += 1
            guard let when = row.timestamp(time) else {
                undated = true
                return false
            }
            let parameters = settings.map { Parameter(names[$0], TextCuts.text(row.string($0).trimmingBlanks())) }
            let key = parameters.rendered
            if groups[key] == nil {
                guard order.count * judged.count < maximumSeries else {
                    leftOut += 1
                    return true
                }
                order.append(key)
                groups[key] = (parameters, Array(repeating: [], count: judged.count), Array(repeating: [], count: judged.count))
            }
            for (index, column) in judged.enumerated() where !row.isBlank(column.column) {
                guard let cell = row.double(column.column) ?? ClockDuration(row.string(column.column))?.seconds, cell.isFinite else { continue }
                if cell < 0, elapsed.contains(column.column) {
                    negative[index] += 1
                    continue
                }
                groups[key]?.values[index].append(cell)
                groups[key]?.times[index].append(when)
            }
            return true
        }
        // A row without a time (a blank, a note) leaves the table one pool, as before.
        guard !undated else { return nil }
        for (index, column) in judged.enumerated() where negative[index] > 0 {
            notes.append(negativeTimesNote(negative[index], column: table.header[column.column]))
        }
        if leftOut > 0 {
            notes.append("\(leftOut) row(s) of settings past the first \(order.count) combinations left out (at most \(maximumSeries) series)")
        }
        var series: [DatedSeries] = []
        for key in order {
            guard let group = groups[key] else { continue }
            for (index, column) in judged.enumerated() where !group.values[index].isEmpty {
                series.append(
                    DatedSeries(
                        benchmark: TextCuts.text("\(fileName) › \(names[column.column])"), parameters: group.parameters, unit: column.unit,
                        higherIsBetter: column.higherIsBetter, values: group.values[index], times: group.times[index]))
            }
        }
        return Dating(series: series, columns: judged.map(\.column) + (numeric[time] ? [time] : []))
    }

    /// The column that dates every row: one named as a moment (`timestamp`,
    /// `date`, `started_at`, ...) whose cells are times or seconds since
    /// 1970, else the only column of text that holds times alone.
    private static func timeColumn<Table: Tabular>(_ table: Table, rows: Int, profiles: [ColumnProfile], numeric: [Bool]) -> Int? {
        let complete = profiles.indices.filter { profiles[$0].cells == rows }
        // Seconds since 1970 are past 1e9 (2001): a `time` column of durations is measured.
        if let named = complete.first(where: { column in
            momentNames.contains(table.columnNames[column])
                && (numeric[column] ? profiles[column].numbers.allSatisfy { $0 >= 1e9 } : profiles[column].allTimes)
        }) {
            return named
        }
        let times = complete.filter { !numeric[$0] && profiles[$0].allTimes }
        return times.count == 1 ? times.first : nil
    }

    /// Which way a column named `header` is better, by its name: a rate
    /// (`throughput_rps`, `tokens_per_second`, `eval rate (tok/s)`) higher,
    /// an elapsed time with its unit (`build_s`, `p50_ms`, `Latency (ms)`)
    /// lower; nil when the name says neither.
    static func judgement(of header: String) -> (unit: String, higherIsBetter: Bool)? {
        let name = ColumnName.canonical(header)
        if let unit = rateUnit(name) { return (unit, true) }
        if namesElapsedTime(header), let unit = timeUnit(name) { return (unit, false) }
        return nil
    }

    /// Words that count what a rate counts (`tokens_s`, `req_s`, `mb_s`).
    private static let countedWords: Set<String> = [
        "tokens", "tok", "token", "t", "req", "reqs", "requests", "request", "ops", "op", "items", "it", "mb", "gb", "kb", "mib", "gib",
        "kib", "bytes", "frames", "samples", "images", "img", "queries", "rows", "records", "msgs", "messages", "events",
        "iterations", "iter", "transactions", "tx", "calls", "files", "pages", "lines",
    ]
    /// Names of rates by themselves (`rps`, `throughput`).
    private static let rateWords: Set<String> = ["throughput", "rps", "qps", "tps", "fps", "iops", "bandwidth", "goodput"]
    /// Words that make a rate one that is better lower (`errors_per_second`,
    /// `drops/s`) or no rate of work (`bandwidth_util_pct`): not judged.
    private static let notBetterHigher: Set<String> = [
        "error", "errors", "err", "errs", "fail", "failed", "failures", "failure", "drop", "drops", "dropped", "miss", "misses",
        "retry", "retries", "timeout", "timeouts", "reject", "rejected", "rejects", "loss", "lost", "cost", "wait", "waits",
        "stall", "stalls", "fault", "faults", "pct", "percent", "util", "utilization", "ratio", "evictions", "spills",
    ]

    /// The unit of a rate `name` (canonical) names, if it names one.
    private static func rateUnit(_ name: String) -> String? {
        let words = name.split { $0 == "_" || $0 == " " }.map(String.init)
        let parts = name.split { $0 == "_" || $0 == " " || $0 == "/" }.map(String.init)
        guard let last = words.last, !parts.contains(where: { notBetterHigher.contains($0) }) else { return nil }
        // `tok/s`, `req/s`, `mb/sec`: the unit as written.
        if let slash = last.firstIndex(of: "/") {
            let per = last[last.index(after: slash)...]
            guard per == "s" || per == "sec" || per == "second" else { return nil }
            return last.hasPrefix("/") ? "/s" : String(last[..<slash]) + "/s"
        }
        // `tokens_per_second`, `requests_per_sec`.
        if words.count >= 2, words[words.count - 2] == "per", ["s", "sec", "second", "seconds"].contains(last) {
            return words.count >= 3 ? words[words.count - 3] + "/s" : "/s"
        }
        // `tokens_s`, `req_sec`.
        if words.count >= 2, ["s", "sec"].contains(last), countedWords.contains(words[words.count - 2]) {
            return words[words.count - 2] + "/s"
        }
        // `throughput_rps` is in requests a second; `throughput` alone in its own unit a second.
        let rates = words.filter { rateWords.contains($0) }
        guard !rates.isEmpty else { return nil }
        return rates.first { !["throughput", "bandwidth", "goodput"].contains($0) } ?? "/s"
    }

    /// The time unit an elapsed time's `name` (canonical) ends with, or names.
    private static func timeUnit(_ name: String) -> String? {
        let words = name.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        switch words.last {
        case "s", "sec", "secs", "second", "seconds": return "s"
        case "ms", "msec", "millis", "milliseconds": return "ms"
        case "us", "usec", "µs", "μs", "microseconds": return "us"
        case "ns", "nsec", "nanoseconds": return "ns"
        case "min", "mins", "minutes": return "min"
        default: return words.contains { $0 == "seconds" || $0 == "secs" } ? "s" : nil
        }
    }
}
