import Records

/// `cargo bench` output as people keep it (`cargo bench | tee bench.txt`, or
/// `>> bench.log` each night): criterion.rs's report of each benchmark,
///
///     fib 20                  time:   [22.382 µs 22.398 µs 22.416 µs]
///                             thrpt:  [1.0412 GiB/s 1.0421 GiB/s 1.0430 GiB/s]
///                             change: [-0.4167% -0.2012% +0.0090%] (p = 0.07 > 0.05)
///
/// (a name longer than criterion's column stands on the line above its
/// `time:`), and libtest's lines, which criterion writes too with
/// `--output-format bencher`:
///
///     test fib_20 ... bench:      22,398 ns/iter (+/- 123)
///
/// Each benchmark is one of tool `cargo bench`, each report of it (a run) a
/// sample: its time per iteration in ns tested, lower is better
/// (criterion's estimate, the middle of its three figures; libtest's
/// median); criterion's throughput listed beside it, higher is better.
/// Criterion's `change:` (its own comparison with the run before) is not
/// read: chimerad tests the runs itself. The `estimates.json` criterion
/// keeps under `target/criterion/` is its median, a benchmark of tool
/// `criterion`: the two figures are not pooled. `test x ... FAILED` is a
/// failed run of `x`.
enum CargoBenchFormat {
    static func extract(console text: ArraySlice<UInt8>) -> Extraction? {
        // Most text holds no cargo bench output: found without reading lines.
        guard ByteSearch.contains(text, "time:   [") || ByteSearch.contains(text, " ns/iter") else { return nil }
        var pool = SamplePool()
        var budget = RecordBudget()
        // The last line that may name a benchmark whose `time:` comes on the next.
        var named: String? = nil
        // The benchmark whose time was just read: a `thrpt:` after it is its.
        var timed: String? = nil
        var leftOut = 0
        for line in ConsoleLines(text) {
            guard budget.admits("a line after \(pool.count) benchmarks") else { break }
            if let bench = benchLine(line) {
                guard let nanoseconds = bench.nanoseconds else {
                    leftOut += 1
                    continue
                }
                add(nanoseconds, name: bench.name, to: &pool, &budget)
                continue
            }
            if line.hasPrefix("test "), line.hasSuffix(" ... FAILED") {
                let name = TextCuts.text(ConsoleLines.shown(String(line.dropFirst(5).dropLast(11)).trimmingBlanks()))
                pool.fail(Measurement(tool: tool, name: name, unit: "ns"))
                continue
            }
            if let time = figures(after: "time:", in: line) {
                // `time:` alone: its name is the line above (`named`); a
                // `change:` block's `time: [-1.2% ...]` holds no time and is passed over.
                guard let unit = time.unit, let scale = timeScale[unit] else { continue }
                let given = time.label.isEmpty ? named : time.label
                named = nil
                guard let given else { continue }
                guard time.middle.isFinite, time.middle >= 0 else {
                    leftOut += 1
                    continue
                }
                let name = TextCuts.text(ConsoleLines.shown(given))
                add(time.middle * scale, name: name, to: &pool, &budget)
                timed = name
                continue
            }
            if let throughput = figures(after: "thrpt:", in: line) {
                // After its time; a `change:` block's `thrpt: [+1.2% ...]` is passed over.
                if let name = timed, let unit = throughput.unit, let (base, scale) = throughputScale(unit), throughput.middle.isFinite {
                    let benchmark = Measurement(
                        tool: tool, name: "\(name) thrpt", unit: base, higherIsBetter: true, isRegressionTested: false)
                    if pool.add(throughput.middle * scale, to: benchmark) { budget.spend(entries: 1) }
                    budget.spend(numbers: 1)
                }
                timed = nil
                continue
            }
            if !line.isEmpty, !line.hasPrefix("change:"), !notNames.contains(where: line.hasPrefix) { named = line }
            timed = nil
        }
        // Failures alone (`cargo test`'s `test x ... FAILED`) are no benchmark output.
        guard !pool.isEmpty else { return nil }
        let measurements = pool.measurements(failing: "the benchmark failed (test ... FAILED)").measurements
        var notes = budget.note.map { [$0] } ?? []
        if leftOut > 0 { notes.append("\(leftOut) time(s) that are no number (NaN, an infinity, below zero) left out") }
        return Extraction(shape: .cargoBenchText, measurements: measurements, notes: notes)
    }

    static let tool = "cargo bench"

    /// Lines that name no benchmark: criterion's progress and warnings, cargo's own.
    private static let notNames = [
        "Benchmarking ", "Warning:", "WARNING:", "Found ", "Gnuplot", "Running ", "Compiling ", "Finished ", "running ", "test result:",
        "No change", "Performance has", "Change within",
    ]

    private static func add(_ nanoseconds: Double, name: String, to pool: inout SamplePool, _ budget: inout RecordBudget) {
        let benchmark = Measurement(tool: tool, name: name, unit: "ns", higherIsBetter: false)
        if pool.add(nanoseconds, to: benchmark) {
            budget.spend(entries: 1)
            budget.spend(text: name)
        }
        budget.spend(numbers: 1)
    }

    /// Nanoseconds in one of criterion's time units (it writes µ as U+00B5; μ and `us` are taken too).
    static let timeScale: [String: Double] = ["ps": 0.001, "ns": 1, "µs": 1e3, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9]

    /// Criterion's throughput unit as a base unit and its factor: bytes in
    /// binary multiples as MiB/s, in decimal ones as MB/s, elements as elem/s.
    static func throughputScale(_ unit: String) -> (unit: String, scale: Double)? {
        let binary: [String: Double] = ["B/s": 1, "KiB/s": 1024, "MiB/s": 1_048_576, "GiB/s": 1_073_741_824, "TiB/s": 1_099_511_627_776]
        if let factor = binary[unit] { return ("MiB/s", factor / 1_048_576) }
        let decimal: [String: Double] = ["KB/s": 1e3, "MB/s": 1e6, "GB/s": 1e9, "TB/s": 1e12]
        if let factor = decimal[unit] { return ("MB/s", factor / 1e6) }
        let elements: [String: Double] = ["elem/s": 1, "Kelem/s": 1e3, "Melem/s": 1e6, "Gelem/s": 1e9]
        if let factor = elements[unit] { return ("elem/s", factor) }
        return nil
    }

    /// `label   time:   [22.382 µs 22.398 µs 22.416 µs]`: the label before
    /// the key (empty when the line starts with it), the middle figure and
    /// its unit (nil when the three are not figures with units).
    static func figures(after key: String, in line: String) -> (label: String, middle: Double, unit: String?)? {
        guard let at = line.range(of: key) else { return nil }
        let label = String(line[..<at.lowerBound]).trimmingBlanks()
        let rest = String(line[at.upperBound...]).trimmingBlanks()
        guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]") else { return nil }
        let fields = rest[rest.index(after: rest.startIndex)..<close].split(separator: " ")
        // `[-0.4167% -0.2012% +0.0090%]`: no units.
        guard fields.count == 6 else { return fields.count == 3 ? (label, .nan, nil) : nil }
        // A figure that is no number is NaN here, and left out (and said) by the caller.
        let middle = number(fields[2]) ?? .nan
        let unit = String(fields[3])
        // All three in units of one kind (criterion may scale each its own way: `999.1 ns 1.0012 µs`).
        guard [fields[1], fields[3], fields[5]].allSatisfy({ timeScale[String($0)] != nil || throughputScale(String($0)) != nil })
        else { return (label, middle, nil) }
        return (label, middle, unit)
    }

    /// `test fib_20 ... bench:      22,398 ns/iter (+/- 123)`: the name and
    /// its time (nil when it is no number).
    static func benchLine(_ line: String) -> (name: String, nanoseconds: Double?)? {
        guard line.hasPrefix("test "), let marker = line.range(of: " ... bench:") else { return nil }
        let rest = String(line[marker.upperBound...]).trimmingBlanks()
        guard let unit = rest.range(of: " ns/iter") else { return nil }
        let name = TextCuts.text(ConsoleLines.shown(String(line[line.index(line.startIndex, offsetBy: 5)..<marker.lowerBound]).trimmingBlanks()))
        return (name, number(rest[..<unit.lowerBound]).flatMap { $0 >= 0 ? $0 : nil })
    }

    /// A decimal number as written (`22.398`, `1,234`: thousands grouped).
    private static func number(_ text: Substring) -> Double? {
        NumberParsing.double(String(text.filter { $0 != "," }))
    }
}
