import Records

/// `perf stat`'s machine-readable output: `-x,` or `-x';'` (a line an event:
/// `1234.56,msec,task-clock,1234560123,100.00,0.999,CPUs utilized`, with
/// `-r N` a variance field after the event) and `-j` (a JSON object an
/// event, its `counter-value` a string), each after the `# started on ...`
/// line `-o FILE` writes first.
///
/// Each event is a benchmark of the file (`task-clock` in ms is a time,
/// and tested night to night; counts are listed). An event the machine
/// could not count (`<not supported>`, `<not counted>`: no access to the
/// CPU's counters in a VM or container) is noted, never a zero.
///
/// Per-CPU, per-core and per-socket counts (`-A`, `--per-core`,
/// `--per-socket`) are benchmarks keyed by their CPU, core or socket;
/// interval counts (`-I`) are one benchmark an event, its intervals its
/// samples, listed (an interval is no run). Runs appended to one file
/// (`-o FILE --append`, each after its `# started on` line) are each
/// measured then: a night's run is a session of its own, tested against
/// the nights before it. Undated runs appended to one file (`2>> log`)
/// are one benchmark an event, each run a sample.
///
///     PerfStatFormat.extract(csv: text)   // nil: not perf stat's output
///     PerfStatFormat.matches(rows)        // a JSON array of -j's objects
enum PerfStatFormat {
    /// One event as perf printed it; `scope` names the CPU, core or
    /// socket it counted on (`-A`, `--per-core`, `--per-socket`), `interval`
    /// is set for `-I`'s counts.
    struct Event {
        var name: String
        var value: String
        var unit: String
        var scope: Parameter? = nil
        var interval = false
        /// The command perf ran, as its report names it (`-x` and `-j` do not).
        var command: String? = nil
        /// With `-r N`: N, and the standard error of the mean as a share of
        /// it (perf's `( +- 0.52% )`), from which the runs' spread is had.
        var runs: Int? = nil
        var relativeStandardError: Double? = nil
        /// A mean of `-r N`'s runs whose N the file does not give (`-x`
        /// writes the variance, never the count): n unknown, not 1.
        var runsUncounted = false
        /// A time that is listed, not tested (`seconds user`, `seconds sys`:
        /// the task clock is the CPU time tested).
        var listedOnly = false
        /// When its run started, from the `# started on` line `-o FILE` writes before it.
        var startedAt: Double? = nil
        /// Which of the file's reports (runs of perf) it is of, counted from 0.
        var report = 0
    }

    /// The time on perf's `# started on Thu Dec  3 02:00:01 2026` line, or
    /// nil when the line is none.
    static func startedOn(_ line: some StringProtocol) -> Double? {
        let marker = "# started on "
        guard line.hasPrefix(marker) else { return nil }
        return TimestampParsing.ctime(String(line.dropFirst(marker.count)).trimmingBlanks())
    }

    /// What comes before the count on a line: nothing, a CPU (`CPU0`), a
    /// core or socket with its CPU count (`S0-D0-C0,1`, `S0,2`), or `-I`'s
    /// time (`0.100139289`). Nil when the line is none of perf's.
    ///
    /// A line whose count is empty (before or after that prefix) holds no
    /// event, and its caller passes over it: a metric on a line of its own
    /// (`,,,,,30.6,%  tma_backend_bound`, with a run time of its own on a
    /// hybrid CPU's `cpu_atom`, or no value at all) and a metric group's
    /// line (`,16067501860,100.00,,,,TopdownL1 (cpu_core)`), which perf 6.5
    /// on writes by default on Intel. Read as events, they made the whole
    /// file a CSV of numbers headed by its first event.
    private static func prefix(_ fields: [String]) -> (skip: Int, scope: Parameter?, interval: Bool)? {
        guard let first = fields.first else { return nil }
        // A count names its event after its unit; `-I`'s time before a metric's line has none.
        let namesAnEvent = fields.count > 2 && !fields[2].isEmpty
        if NumberParsing.double(first) != nil || isUncounted(first), units.contains(fields.count > 1 ? fields[1] : "-"), namesAnEvent {
            return (0, nil, false)
        }
        if first.hasPrefix("CPU"), first.dropFirst(3).allSatisfy(\.isNumber), !first.dropFirst(3).isEmpty {
            return (1, Parameter("cpu", first), false)
        }
        let parts = first.split(separator: "-")
        let isTopology =
            first.first == "S" && parts.allSatisfy { $0.count > 1 && "SDCN".contains($0.first ?? " ") && $0.dropFirst().allSatisfy(\.isNumber) }
        if isTopology, fields.count > 1, fields[1].allSatisfy(\.isNumber) {
            return (2, Parameter(parts.count > 1 ? "core" : "socket", first), false)
        }
        if first.contains("."), NumberParsing.double(first) != nil { return (1, nil, true) }
        return nil
    }

    /// The units perf prints beside a count (none for most).
    static let units: Set<String> = ["", "msec", "ns", "us", "ms", "Joules", "MiB", "GHz", "W"]

    /// Values perf writes for an event it did not count.
    static func isUncounted(_ value: String) -> Bool { value.hasPrefix("<") && value.hasSuffix(">") }

    /// The `-x,` output's events, or nil when a line is not one (every
    /// non-comment line must be, and one at least).
    static func extract(csv text: ArraySlice<UInt8>) -> Extraction? {
        // `-x,` mostly; `-x';'` where the locale's decimal comma would clash.
        extract(csv: text, separator: ",") ?? extract(csv: text, separator: ";")
    }

    private static func extract(csv text: ArraySlice<UInt8>, separator: Character) -> Extraction? {
        var events: [Event] = []
        var startedAt: Double?
        // A report starts at its `# started on` line, or (undated) where an event comes again.
        var report = 0
        var inReport: Set<String> = []
        // Line by line, stopping at the first that is not perf's: every CSV
        // passes here, and a run table is told apart by its first line.
        var start = text.startIndex
        var lineNumber = 0
        var cutLine: Int?
        while start < text.endIndex {
            let end = text[start...].firstIndex(of: 0x0A) ?? text.endIndex
            let line = text[start..<end]
            start = end < text.endIndex ? text.index(after: end) : end
            lineNumber += 1
            let string = String(decoding: line, as: UTF8.self).trimmingBlanks()
            if string.isEmpty { continue }
            if string.hasPrefix("#") {
                if string.hasPrefix("# started on ") {
                    if !events.isEmpty { report += 1 }
                    startedAt = startedOn(string)
                    inReport = []
                }
                continue
            }
            var event: Event
            switch csvLine(string, separator: separator) {
            case .event(let read):
                guard events.count < IngestLimits.maximumNumbers else { return nil }
                event = read
            case .blank: continue
            case .foreign:
                // A last line with no line end that is no line of perf's: cut
                // as perf wrote it (`0,,cpu-m`), where every event before it was lost.
                guard end == text.endIndex, !events.isEmpty else { return nil }
                cutLine = lineNumber
                continue
            }
            let counted = event.name + "\u{1}" + (event.scope.map { "\($0.name)=\($0.value)" } ?? "")
            if !event.interval, !inReport.insert(counted).inserted {
                // The same event again with no date line between: another run, appended undated.
                report += 1
                startedAt = nil
                inReport = [counted]
            }
            event.startedAt = startedAt
            event.report = report
            events.append(event)
        }
        guard !events.isEmpty else { return nil }
        var extraction = extraction(events)
        if let cutLine { extraction.notes.insert(ConsoleLines.cutNote(line: cutLine), at: 0) }
        return extraction
    }

    /// What one `-x` line is.
    private enum CSVLine {
        /// An event.
        case event(Event)
        /// Nothing to read (an empty first field).
        case blank
        /// No line of perf's.
        case foreign
    }

    /// One `-x` line (not a comment) read: fields split by `separator`.
    private static func csvLine(_ string: String, separator: Character) -> CSVLine {
        var fields = string.split(separator: separator, omittingEmptySubsequences: false).map { String($0).trimmingBlanks() }
        // `-x';'` is for a locale whose decimal mark is a comma (`1234,56;msec;task-clock;...`).
        if separator == ";" {
            // Its variance too: `3,28%`.
            fields = fields.map { field in
                field.contains(",") && field.allSatisfy({ $0.isNumber || $0 == "," || $0 == "-" || $0 == "%" })
                    ? field.replacingOccurrences(of: ",", with: ".") : field
            }
        }
        if fields.first?.isEmpty == true { return .blank }
        guard let (skip, scope, interval) = prefix(fields) else { return .foreign }
        fields.removeFirst(skip)
        if fields.first?.isEmpty == true { return .blank }
        // A raw event's own commas (`cpu/event=0x3c,umask=0x0/`) are its name's.
        if fields.count > 3, fields[2].contains("/"), !fields[2].hasSuffix("/"),
            let closing = fields[3...].firstIndex(where: { $0.hasSuffix("/") })
        {
            fields[2] = fields[2...closing].joined(separator: String(separator))
            fields.removeSubrange(3...closing)
        }
        guard fields.count >= 5 else { return .foreign }
        let (value, unit, name) = (fields[0], fields[1], fields[2])
        // A number or perf's own word for none, one of its units, an
        // event name (`task-clock`, `cpu/event=0x3c/`), then the time it
        // ran (ns; with `-r`, the variance first: `0.52%`) and the share
        // of it counted.
        let ran = fields[3].hasSuffix("%") ? fields[4] : fields[3]
        guard NumberParsing.double(value) != nil || isUncounted(value), units.contains(unit), name.first?.isLetter == true,
            !ran.isEmpty, ran.allSatisfy(\.isNumber)
        else { return .foreign }
        var event = Event(name: TextCuts.text(name), value: value, unit: unit, scope: scope, interval: interval)
        if fields[3].hasSuffix("%") {
            event.relativeStandardError = NumberParsing.double(fields[3].dropLast())
            event.runsUncounted = true
        }
        return .event(event)
    }

    /// Each report's date, where the file dates its reports (`-o FILE
    /// --append`): its `# started on` line's, made a second later than the
    /// latest before it when an earlier report has that second; a report
    /// without a readable one (cut, or written by a board without a clock) a
    /// second after the report before it (before the first dated one, a
    /// second before it per report between), so it is a night of its own,
    /// in its place, in every version of the file. Undated files are left
    /// as they are, and so is `-x` output whose runs come less than an hour
    /// apart: it names no command, so its runs of one night may be of
    /// several commands, and are pooled as before. Says how many reports had
    /// no date of their own, and whether `-x` runs were pooled so.
    static func date(_ events: inout [Event]) -> (undated: Int, pooled: Bool) {
        guard events.contains(where: { $0.startedAt != nil }) else { return (0, false) }
        // Reports in file order, each with its own line's date.
        var reports: [(report: Int, date: Double?)] = []
        for event in events where reports.last?.report != event.report {
            reports.append((event.report, event.startedAt))
        }
        let own = reports.compactMap(\.date)
        if !events.contains(where: { $0.command != nil }), zip(own, own.dropFirst()).contains(where: { abs($1 - $0) < 3_600 }) {
            for index in events.indices { events[index].startedAt = nil }
            return (0, true)
        }
        var dates: [Int: Double] = [:]
        var used: Set<Double> = []
        var last: Double?
        var leading: [Int] = []
        var undated = 0
        for (report, own) in reports {
            if own == nil { undated += 1 }
            guard var date = own ?? last.map({ $0 + 1 }) else {
                leading.append(report)
                continue
            }
            if used.contains(date), let last { date = max(date, last) + 1 }
            if !leading.isEmpty {
                for (offset, early) in leading.enumerated() { dates[early] = date - Double(leading.count - offset) }
                used.formUnion(leading.compactMap { dates[$0] })
                leading = []
            }
            dates[report] = date
            used.insert(date)
            last = date
        }
        for index in events.indices { events[index].startedAt = dates[events[index].report] }
        return (undated, false)
    }

    /// Whether JSON rows are `perf stat -j`'s events.
    static func matches(_ rows: some Tabular) -> Bool {
        rows.index(of: "counter-value") != nil && rows.index(of: "event") != nil
    }

    static func extract<Table: Tabular>(_ rows: Table) throws(Table.Failure) -> Extraction {
        var events: [Event] = []
        let value = rows.index(of: "counter-value")
        let event = rows.index(of: "event")
        let unit = rows.index(of: "unit")
        let scopes = ["cpu", "core", "socket", "die", "node"].compactMap { key in rows.index(of: key).map { (key, $0) } }
        let interval = rows.index(of: "interval")
        try rows.forEachRow { row in
            guard let value, let event, events.count < IngestLimits.maximumNumbers else { return false }
            let name = row.string(event).trimmingBlanks()
            if !name.isEmpty {
                let scope = scopes.first { !row.isBlank($0.1) }.map { Parameter($0.0, row.string($0.1).trimmingBlanks()) }
                events.append(
                    Event(
                        name: TextCuts.text(name), value: row.string(value).trimmingBlanks(),
                        unit: unit.map { row.string($0).trimmingBlanks() } ?? "", scope: scope,
                        interval: interval.map { !row.isBlank($0) } ?? false))
            }
            return true
        }
        return extraction(events)
    }

    static func extraction(_ events: consuming [Event]) -> Extraction {
        var events = events
        let (undated, pooled) = date(&events)
        // Nights appended to one file are read newest first, so a file's
        // bound leaves out its oldest, never the night just appended.
        let newestFirst = events.contains { $0.startedAt != nil }
        var measurements: [Measurement] = []
        var uncounted: [String] = []
        // `-I`'s counts of one event over its intervals are one benchmark's
        // samples; so are one event's counts in undated runs appended to one
        // file (`2>> log`), each a run. Runs dated apart (`-o FILE --append`)
        // are each a measurement of their own, measured when they started.
        var repeated: [String: Int] = [:]
        var first: [String: Int] = [:]
        var uncountedNames: Set<String> = []
        // An event of `-x -r N` output (its n unknown), for the note.
        var uncountedRuns: (example: String, isTime: Bool)?
        // Thousands of events of distinct names (a program's output read as perf's) stop at a file's entries.
        var budget = RecordBudget()
        for event in newestFirst ? events.reversed() : events {
            guard let value = NumberParsing.double(event.value), value.isFinite else {
                if uncountedNames.insert(event.name).inserted { uncounted.append("\(event.name) (\(event.value))") }
                continue
            }
            // perf writes `msec` for its clocks (and its report `seconds`
            // for the time elapsed): a time, tested as such; counts are
            // listed, not tested.
            let isTime = event.unit == "msec" || event.unit == "s"
            let unit = event.unit == "msec" ? "ms" : event.unit.isEmpty ? "count" : event.unit
            let parameters = [event.scope, event.command.map { Parameter("command", $0) }].compactMap { $0 }
            let key =
                event.name + "\u{1}" + parameters.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{1}")
                + (event.startedAt.map { "\u{2}\($0)" } ?? "")
            if let index = first[key] {
                if repeated[key] == nil { measurements[index].samples = [measurements[index].mean ?? value] }
                repeated[key] = index
                measurements[index].samples.append(value)
                continue
            }
            guard
                budget.admits(
                    newestFirst ? "event \(measurements.count + 1) from the newest run (older runs left out)" : "event \(measurements.count + 1)")
            else { break }
            budget.spend(entries: 1)
            budget.spend(text: event.name)
            first[key] = measurements.count
            // `-r N`'s mean, and its runs' spread: the standard error times the root of N.
            let runs = event.runs ?? (event.runsUncounted ? nil : 1)
            let stddev = event.relativeStandardError.flatMap { share in
                runs.map { $0 > 1 ? abs(value) * share / 100 * Double($0).squareRoot() : nil } ?? nil
            }
            // The note's example: the clock tested, else the first event.
            if event.runsUncounted, uncountedRuns == nil || (isTime && uncountedRuns?.isTime == false) {
                uncountedRuns = ("\(event.name) ±\(event.relativeStandardError.map { "\($0)" } ?? "?")%", isTime)
            }
            var measurement = Measurement(
                tool: "perf stat", name: event.name, parameters: parameters, unit: unit, mean: value, stddev: stddev, count: runs,
                isRegressionTested: isTime && !event.interval && !event.listedOnly)
            measurement.measuredAt = event.startedAt
            measurements.append(measurement)
        }
        // A repeated event's figures are its counts' (each a run, or a mean of `-r`'s).
        for index in repeated.values {
            let samples = measurements[index].samples
            measurements[index].mean = samples.reduce(0, +) / Double(samples.count)
            measurements[index].stddev = nil
            measurements[index].count = samples.count
            measurements[index].min = samples.min()
            measurements[index].max = samples.max()
        }
        if newestFirst {
            measurements.reverse()
            uncounted.reverse()
            for index in measurements.indices { measurements[index].samples.reverse() }
        }
        var notes: [String] = budget.note.map { [$0] } ?? []
        if let example = uncountedRuns?.example {
            notes.append(
                "figures are means of `perf stat -r` runs whose number `-x` output does not give: n unknown and no spread (perf's standard error, \(example), kept here)"
            )
        }
        if pooled {
            notes.append(
                "runs less than an hour apart in `perf stat -x` output, which names no command: read as one benchmark's runs, not as nights of their own"
            )
        }
        if undated > 0 {
            notes.append(
                "\(undated) run\(undated == 1 ? "" : "s") without a readable `# started on` line among dated ones: each dated a second after the run before it"
            )
        }
        if !uncounted.isEmpty {
            notes.append(
                "not counted: \(uncounted.prefix(8).joined(separator: ", "))\(uncounted.count > 8 ? ", ..." : "") (perf could not count them: no access to the CPU's counters in a VM or a container, or the event never ran)"
            )
        }
        return Extraction(shape: .perfStat, measurements: measurements, notes: notes)
    }
}
