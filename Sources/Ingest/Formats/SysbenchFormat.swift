import Records

/// sysbench's report as it prints it (`sysbench cpu run | tee cpu.txt`):
///
///     sysbench 1.0.20 (using system LuaJIT 2.1.0-beta3)
///     Number of threads: 8
///     CPU speed:
///         events per second: 10234.56
///     General statistics:
///         total time:                          10.0005s
///         total number of events:              102366
///     Latency (ms):
///              avg:                                    0.78
///              95th percentile:                        0.83
///
/// Each run (from its `sysbench` line) is a run of its test (`cpu`,
/// `memory`, `fileio`, `oltp`, `threads` or `mutex`, told by its report's
/// sections) under its settings (`threads`; the memory test's block size,
/// operation and scope; the file test's mode): its rate tested (events,
/// operations, transactions a second; file reads and writes a second),
/// higher is better, and its bandwidth and latency (mean, 95th percentile,
/// in ms) listed. Runs appended to one file are its samples.
enum SysbenchFormat {
    /// One run's figures, by name, and its settings.
    private struct Run {
        var test = "run"
        var settings: [Parameter] = []
        var figures: [(name: String, unit: String, value: Double, higherIsBetter: Bool, tested: Bool)] = []
        var events: Double?
        var seconds: Double?
        /// An OLTP run's reads and writes (`queries performed:`): which script ran.
        var reads: Double?
        var writes: Double?
        /// Its threads started (a `prepare` or `cleanup` step starts none).
        var started = false
        /// Why it stopped, as sysbench said (`FATAL: error 2002: Can't connect to ...`).
        var fatal: String?
    }

    static func extract(console text: ArraySlice<UInt8>) -> Extraction? {
        // A run prints all three; a log that names sysbench (its install) does not.
        guard ByteSearch.contains(text, "sysbench "), ByteSearch.contains(text, "Threads started!"),
            ByteSearch.contains(text, "General statistics:")
        else { return nil }
        var runs: [Run] = []
        var current: Run? = nil
        var budget = RecordBudget()
        var section = ""
        for line in ConsoleLines(text) {
            guard budget.admits("a line after \(runs.count) runs") else { break }
            let trimmed = line.trimmingBlanks()
            if line.hasPrefix("sysbench "), line.contains("(using") {
                if let run = current { runs.append(run) }
                current = Run()
                section = ""
                continue
            }
            guard current != nil else { continue }
            if trimmed == "Threads started!" {
                current?.started = true
                continue
            }
            if trimmed.hasPrefix("FATAL: "), current?.fatal == nil {
                current?.fatal = TextCuts.text(String(trimmed.dropFirst("FATAL: ".count)))
                continue
            }
            // The report's sections, by their headings (lines come without their indent).
            if trimmed.hasSuffix(":"), sections.contains(String(trimmed.dropLast())) {
                section = String(trimmed.dropLast())
                switch section {
                case "CPU speed": current?.test = "cpu"
                case "File operations": current?.test = "fileio"
                case "SQL statistics": current?.test = "oltp"
                default: break
                }
                continue
            }
            read(trimmed, section: section, into: &current)
            budget.spend(numbers: 1)
        }
        if let run = current { runs.append(run) }
        // A run without its statistics stopped early (cut off, a FATAL error): no figures of a whole
        // run. A `prepare` or `cleanup` step, which starts no threads, is no run at all.
        // One that said why (`FATAL: ...`: the database down) is a failed run of its test.
        let whole = runs.filter { $0.seconds != nil }
        let failed = runs.filter { $0.seconds == nil && $0.fatal != nil }
        let stopped = runs.count { $0.started && $0.seconds == nil && $0.fatal == nil }
        var extraction = extraction(of: whole) ?? Extraction(shape: .sysbenchText, measurements: [], notes: [])
        for run in failed {
            extraction.measurements.append(
                Measurement(
                    tool: "sysbench", name: "sysbench \(run.test)", parameters: run.settings, unit: "events/s", higherIsBetter: true,
                    failure: run.fatal, failedRuns: 1))
        }
        guard !extraction.measurements.isEmpty else { return nil }
        if stopped > 0 {
            extraction.notes.append("\(stopped) sysbench run(s) without their General statistics (cut off) left out")
        }
        return extraction
    }

    private static let sections: Set<String> = [
        "CPU speed", "General statistics", "Latency (ms)", "File operations", "Throughput", "SQL statistics", "Threads fairness",
    ]

    /// One line of a run's report.
    private static func read(_ line: String, section: String, into run: inout Run?) {
        guard run != nil else { return }
        func number(_ text: Substring) -> Double? {
            Double(String(text).trimmingBlanks().prefix { $0.isASCII && ($0.isNumber || ".eE+-".contains($0)) })
                .flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        }
        func value(after label: String) -> Double? {
            guard line.hasPrefix(label) else { return nil }
            return number(line.dropFirst(label.count))
        }
        if let threads = value(after: "Number of threads:") { run?.settings.append(Parameter("threads", ValueText.render(threads))) }
        if let limit = value(after: "Prime numbers limit:") { run?.settings.append(Parameter("cpu_max_prime", ValueText.render(limit))) }
        for (label, name) in [("block size:", "block_size"), ("operation:", "operation"), ("scope:", "scope")] where line.hasPrefix(label) {
            run?.test = "memory"
            run?.settings.append(Parameter(name, TextCuts.text(String(line.dropFirst(label.count)).trimmingBlanks())))
        }
        // The file test's `Block size 16KiB` and `Using synchronous I/O mode`.
        if line.hasPrefix("Block size "), !line.contains(":") {
            run?.settings.append(Parameter("block_size", TextCuts.text(String(line.dropFirst("Block size ".count)).trimmingBlanks())))
        }
        if line.hasPrefix("Using "), line.hasSuffix(" I/O mode") {
            run?.settings.append(Parameter("io_mode", TextCuts.text(String(line.dropFirst(6).dropLast(9)))))
        }
        if line.hasPrefix("Doing "), line.hasSuffix(" test") {
            run?.test = "fileio"
            run?.settings.append(Parameter("mode", TextCuts.text(String(line.dropFirst(6).dropLast(5)))))
        }
        switch section {
        case "CPU speed":
            if let rate = value(after: "events per second:") { run?.figures.append(("events/s", "events/s", rate, true, true)) }
        case "General statistics":
            if let seconds = value(after: "total time:") { run?.seconds = seconds }
            if let events = value(after: "total number of events:") { run?.events = events }
        case "Latency (ms)":
            if let mean = value(after: "avg:") { run?.figures.append(("latency", "ms", mean, false, false)) }
            if let tail = value(after: "95th percentile:") { run?.figures.append(("latency p95", "ms", tail, false, false)) }
        case "File operations":
            for (label, name) in [("reads/s:", "reads/s"), ("writes/s:", "writes/s")] {
                if let rate = value(after: label), rate > 0 { run?.figures.append((name, name, rate, true, true)) }
            }
        case "Throughput":
            for (label, name) in [("read, MiB/s:", "read MiB/s"), ("written, MiB/s:", "written MiB/s")] {
                if let rate = value(after: label), rate > 0 { run?.figures.append((name, "MiB/s", rate, true, false)) }
            }
        case "SQL statistics":
            if let count = value(after: "read:") { run?.reads = count }
            if let count = value(after: "write:") { run?.writes = count }
            // `transactions:  1234   (123.40 per sec.)`: the rate in brackets.
            for (label, name) in [("transactions:", "transactions/s"), ("queries:", "queries/s")] where line.hasPrefix(label) {
                if let open = line.firstIndex(of: "("), let rate = number(line[line.index(after: open)...]) {
                    run?.figures.append((name, name, rate, true, name == "transactions/s"))
                }
            }
        default:
            // The memory test: `Total operations: 104857600 (10485123.45 per second)`, `102400.00 MiB transferred (10239.38 MiB/sec)`.
            if line.hasPrefix("Total operations:"), let open = line.firstIndex(of: "("), let rate = number(line[line.index(after: open)...]) {
                run?.figures.append(("operations/s", "operations/s", rate, true, true))
            } else if line.contains("MiB transferred ("), let open = line.firstIndex(of: "("), let rate = number(line[line.index(after: open)...]) {
                run?.figures.append(("MiB/s", "MiB/s", rate, true, false))
            }
        }
    }

    /// The runs as benchmarks: a figure of a test under its settings, its runs the samples.
    private static func extraction(of runs: [Run]) -> Extraction? {
        guard !runs.isEmpty else { return nil }
        var pool = SamplePool()
        for var run in runs {
            // A test without a rate of its own (threads, mutex): its events over its time.
            if !run.figures.contains(where: \.tested), let events = run.events, let seconds = run.seconds, seconds > 0 {
                run.figures.insert(("events/s", "events/s", events / seconds, true, true), at: 0)
            }
            // `oltp_read_only`, `oltp_write_only` and `oltp_read_write` print no name: their queries tell them apart.
            if run.test == "oltp", let reads = run.reads, let writes = run.writes {
                let kind = reads > 0 && writes > 0 ? "read/write" : writes > 0 ? "write only" : "read only"
                run.settings.append(Parameter("queries", kind))
            }
            for figure in run.figures {
                pool.add(
                    figure.value,
                    to: Measurement(
                        tool: "sysbench", name: "sysbench \(run.test) \(figure.name)", parameters: run.settings, unit: figure.unit,
                        higherIsBetter: figure.higherIsBetter, isRegressionTested: figure.tested))
            }
        }
        guard !pool.isEmpty else { return nil }
        return Extraction(shape: .sysbenchText, measurements: pool.measurements, notes: [])
    }
}
