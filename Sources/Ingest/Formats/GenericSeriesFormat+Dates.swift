import Records

/// A table of no known shape whose rows are dated (`timestamp,build_s`,
/// `date,latency_ms,throughput_rps`: a line or a few appended each night by a
/// script) holds a benchmark's nights, not one pool of numbers. Its columns
/// whose name says which way is better (an elapsed time with its unit, a
/// rate of work) become `DatedSeries`, which the file's digest cuts into
/// sessions at the session gap, each tested against the nights before it as
/// another benchmark's is; summarised as one series, a night 25% slower
/// moved the column's median by a fraction and was never seen. A column
/// whose name says neither (`cpu_percent`, `mem_mb`, `context_switches_per_s`:
/// which way is worse is not in the name) stays a series.
///
/// A benchmark is named by the file's path under its input with its numbers
/// left out (`runs/2026-12-01/builds.csv` and `runs/2026-12-02/builds.csv`
/// are `runs/*-*-*/builds.csv`), so one file a night or a run is one
/// benchmark, and two projects' `results.csv` are two.
///
///     date,compiler,build_s          ->  builds.csv › build_s (compiler=gcc), in s, lower is better
///     2026-12-01T02:00:00Z,gcc,312.4      builds.csv › build_s (compiler=clang), ...
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

    /// The table's dated benchmarks, or nil when no column dates its rows
    /// (all but one in ten) or no measured column says which way is better. Read over the first
    /// `rows` rows, as the first pass did; `numeric` tells the measured columns,
    /// `settings` the columns that split them, `clocks` the columns read from
    /// clock times (in seconds), `elapsed` those whose values below zero are
    /// left out.
    static func dating<Table: Tabular>(
        _ table: Table, rows: Int, profiles: [ColumnProfile], numeric: [Bool], settings: [Int], names: [String], clocks: [Bool],
        elapsed: Set<Int>, path: String, notes: inout [String]
    ) throws(Table.Failure) -> Dating? {
        guard rows > 0 else { return nil }
        guard let time = timeColumn(table, rows: rows, profiles: profiles, numeric: numeric) else {
            if let note = undatedNote(table, rows: rows, profiles: profiles, numeric: numeric, settings: settings) { notes.append(note) }
            return nil
        }
        // The code under test (`version`, `commit`) is what the nights compare:
        // an upgrade splits no benchmark (its slower night was a benchmark
        // of its own, with no history to be tested against).
        let settings = settings.filter { !CodeUnderTestKey.names(table.columnNames[$0]) }.map { (column: $0, name: names[$0]) }
        let benchmark = benchmarkName(path)
        let judged: [(column: Int, unit: String, higherIsBetter: Bool)] = table.header.indices.compactMap { column in
            guard column != time, numeric[column], !settings.contains(where: { $0.column == column }) else { return nil }
            if clocks[column] { return (column, "s", false) }
            guard let judgement = judgement(of: table.header[column]) else { return nil }
            return (column, judgement.unit, judgement.higherIsBetter)
        }
        guard !judged.isEmpty else { return nil }
        var order: [String] = []
        var groups: [String: (parameters: [Parameter], values: [[Double]], times: [[Double]])] = [:]
        var read = 0
        var undated = 0
        var leftOut = 0
        var negative = [Int](repeating: 0, count: judged.count)
        try table.forEachRow { row in
            guard read < rows else { return false }
            read += 1
            // A row without a time (a `date` that failed) is left out, said below.
            guard let when = row.timestamp(time) else {
                undated += 1
                return true
            }
            let parameters = settingsOf(row, settings)
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
                guard let cell = measuredValue(row, column.column), cell.isFinite else { continue }
                if cell < 0, elapsed.contains(column.column) {
                    negative[index] += 1
                    continue
                }
                groups[key]?.values[index].append(cell)
                groups[key]?.times[index].append(when)
            }
            return true
        }
        // More than a few undated rows, the table is no nights: one pool, as before.
        guard undated * 10 <= read else { return nil }
        if undated > 0 {
            notes.append(
                "\(undated) row(s) without a time in '\(TextCuts.text(table.header[time]))' left out: the table's other rows are dated nights")
        }
        notes += splitNotes(negative: negative, columns: judged.map(\.column), header: table.header, leftOut: leftOut, kept: order.count)
        var series: [DatedSeries] = []
        for key in order {
            guard let group = groups[key] else { continue }
            for (index, column) in judged.enumerated() where !group.values[index].isEmpty {
                series.append(
                    DatedSeries(
                        benchmark: TextCuts.text("\(benchmark) › \(names[column.column])"), parameters: group.parameters, unit: column.unit,
                        higherIsBetter: column.higherIsBetter, values: group.values[index], times: group.times[index]))
            }
        }
        return Dating(series: series, columns: judged.map(\.column) + (numeric[time] ? [time] : []))
    }

    /// The column that dates the rows: one named as a moment (`timestamp`,
    /// `date`, `started_at`, ...) whose cells are times or seconds since
    /// 1970, else the only column of text that holds times (all but one in
    /// ten of its cells, blanks among them).
    static func timeColumn<Table: Tabular>(_ table: Table, rows: Int, profiles: [ColumnProfile], numeric: [Bool]) -> Int? {
        // A few blanks (a `date` that failed) leave a column dating the rest.
        let complete = profiles.indices.filter { profiles[$0].cells * 10 >= rows * 9 }
        // Seconds since 1970 are past 1e9 (2001): a `time` column of durations is measured.
        // Times all but one in ten (a `N/A`, a `NaT`: left out, said).
        func holdsTimes(_ profile: ColumnProfile) -> Bool { profile.textCells > 0 && profile.timeCells * 10 >= profile.textCells * 9 }
        if let named = complete.first(where: { column in
            momentNames.contains(table.columnNames[column])
                && (numeric[column] ? profiles[column].numbers.allSatisfy { $0 >= 1e9 } : holdsTimes(profiles[column]))
        }) {
            return named
        }
        let times = complete.filter { !numeric[$0] && holdsTimes(profiles[$0]) }
        if times.count == 1 { return times.first }
        // A file with no header row (`echo "$(date +%s),$secs" >> builds.csv`):
        // its only column of seconds since 1970 (1e9 on: 2001) names no moment, but is one.
        let seconds = complete.filter { column in
            table.header[column].hasPrefix("column ") && numeric[column]
                && profiles[column].numbers.allSatisfy { $0 >= 1e9 && $0 <= TimestampParsing.latest }
        }
        return times.isEmpty && seconds.count == 1 ? seconds.first : nil
    }

    /// Why a table with a column of dates and a column to judge is read as
    /// series: its dates are not ones chimerad reads (`11/01/2026`), or too
    /// few of its rows have one. Unsaid, its nights went untested and nobody
    /// knew. Nil when no column looks like dates, or none would be judged.
    private static func undatedNote<Table: Tabular>(
        _ table: Table, rows: Int, profiles: [ColumnProfile], numeric: [Bool], settings: [Int]
    ) -> String? {
        guard
            let column = profiles.indices.first(where: { column in
                let profile = profiles[column]
                return !numeric[column] && profile.textCells > 0 && (profile.timeCells > 0 || profile.allTimes) && profile.timeCells * 10 < rows * 9
                    && (momentNames.contains(table.columnNames[column]) || profile.allTimes || profile.timeCells * 2 >= profile.textCells)
            }),
            table.header.indices.contains(where: { other in
                other != column && numeric[other] && !settings.contains(other) && judgement(of: table.header[other]) != nil
            })
        else { return nil }
        let undated = rows - profiles[column].timeCells
        let first = profiles[column].firstNonTime.map { "; the first is '\(TextCuts.text($0))'" } ?? ""
        return "'\(TextCuts.text(table.header[column]))' dates \(rows - undated) of \(rows) rows, fewer than nine in ten: "
            + "\(undated) have no time chimerad reads (ISO 8601, or seconds since 1970\(first)), "
            + "so the table is read as series and its nights are not tested"
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

    /// Units of work a rate counts (`tokens_s`, `req/s`, `mb_per_second`):
    /// more of them a second is better. A rate of anything else
    /// (`context_switches_per_s`, `allocations/s`, `gc_collections_per_sec`,
    /// `errors/s`) says nothing of which way is better, and is not judged.
    private static let workUnits: Set<String> = [
        "tokens", "tok", "token", "t", "req", "reqs", "requests", "request", "ops", "op", "operations", "items", "it", "mb", "gb",
        "kb", "mib", "gib", "kib", "bytes", "b", "frames", "samples", "images", "img", "queries", "q", "rows", "records", "msgs",
        "messages", "iterations", "iter", "transactions", "tx", "txn", "files", "pages", "lines", "documents", "docs", "tasks",
        "jobs", "builds", "tests",
        // A system benchmark's work (sysbench's `events_per_sec`, a network test's packets).
        "events", "calls", "packets", "reads", "writes",
    ]
    /// Names of rates by themselves (`rps`, `throughput`, `write_mbps`).
    private static let rateWords: Set<String> = [
        "throughput", "rps", "qps", "tps", "fps", "iops", "bandwidth", "goodput", "mbps", "gbps", "kbps", "mibps", "gibps",
    ]
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
            let counted = String(last[..<slash])
            guard per == "s" || per == "sec" || per == "second", counted.isEmpty || workUnits.contains(counted) else { return nil }
            return counted + "/s"
        }
        // `tokens_per_second`, `requests_per_sec`.
        if words.count >= 3, words[words.count - 2] == "per", ["s", "sec", "second", "seconds"].contains(last) {
            return workUnits.contains(words[words.count - 3]) ? words[words.count - 3] + "/s" : nil
        }
        // `tokens_s`, `req_sec`.
        if words.count >= 2, ["s", "sec"].contains(last), workUnits.contains(words[words.count - 2]) {
            return words[words.count - 2] + "/s"
        }
        // `throughput_rps` is in requests a second; `throughput` alone in its own unit a second.
        let rates = words.filter { rateWords.contains($0) }
        guard !rates.isEmpty else { return nil }
        return rates.first { !["throughput", "bandwidth", "goodput"].contains($0) } ?? "/s"
    }

    /// Times that are no run's cost (`uptime_s`, `timeout_ms`, `ttl_s`,
    /// `poll_interval_s`, `think_time_ms`), or a running total of one
    /// (`gc_pause_total_s`, `process_cpu_seconds_total`, which only grow):
    /// lower is no better.
    private static let notCosts: Set<String> = [
        "uptime", "ttl", "timeout", "timeouts", "idle", "interval", "sleep", "age", "deadline", "backoff", "since", "until",
        "expiry", "expires", "period", "window", "cooldown", "retention", "budget", "limit", "max", "target", "slo", "keepalive",
        "think", "ramp", "rampup", "linger", "grace", "heartbeat", "cumulative", "accumulated", "counter",
    ]

    /// The time unit an elapsed time's `name` (canonical) ends with, or names.
    static func timeUnit(_ name: String) -> String? {
        let words = name.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        // `total_seconds` is a run's; `gc_pause_total_s` a total since start.
        guard !words.contains(where: { notCosts.contains($0) }), !words.dropFirst().contains("total") else { return nil }
        switch words.last {
        case "s", "sec", "secs", "second", "seconds": return "s"
        case "ms", "msec", "millis", "milliseconds": return "ms"
        case "us", "usec", "µs", "μs", "microseconds": return "us"
        case "ns", "nsec", "nanoseconds": return "ns"
        case "min", "mins", "minutes": return "min"
        case "h", "hr", "hrs", "hour", "hours": return "h"
        default: return words.contains { $0 == "seconds" || $0 == "secs" } ? "s" : nil
        }
    }

    /// A dated table's benchmarks' name: its path under its input, each run
    /// of digits as `*` (`2026-12-01` and `20250827-051045` as `*-*-*` and
    /// `*-*`, a run's `runs/14/`, a CI build's `4711/`, `run_003`,
    /// `night-01.csv`): the runs, nights and builds of one benchmark are
    /// one, two projects' `results.csv` two.
    /// - Parameter keepingSizes: a run of digits a letter follows is kept:
    ///   a model's size (`8b` and `70b`, `qwen2-7b` and `qwen2-72b`,
    ///   `8x7b`), which names what was measured where a file's results name
    ///   no model (`Extraction.nameAfterPath`). A dated table's name keeps
    ///   the rule it was stored under.
    static func benchmarkName(_ path: String, keepingSizes: Bool = false) -> String {
        let characters = Array(path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/"))
        func isDigit(_ index: Int) -> Bool { characters[index].isASCII && characters[index].isNumber }
        var name = ""
        var index = 0
        while index < characters.count {
            guard isDigit(index) else {
                name.append(characters[index])
                index += 1
                continue
            }
            var end = index
            while end < characters.count, isDigit(end) { end += 1 }
            let size = keepingSizes && end < characters.count && characters[end].isLetter
            name += size ? String(characters[index..<end]) : "*"
            index = end
        }
        return name
    }
}
