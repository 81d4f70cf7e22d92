import Records

/// `go test -bench` output as people keep it (`go test -bench . -count 5 |
/// tee bench.txt`, the file `benchstat` reads):
///
///     goos: linux
///     pkg: example.com/parser
///     BenchmarkParse/small-32     2345678      512.3 ns/op    234.56 MB/s     64 B/op     2 allocs/op
///
/// Each benchmark (its name without the `-32` GOMAXPROCS suffix, which is
/// kept as the setting `procs`, with the package as `pkg`) and unit is a
/// benchmark of tool `go`, its lines (`-count`) the samples: `ns/op` tested
/// (lower is better), `MB/s` (higher), `B/op`, `allocs/op` and
/// `b.ReportMetric`'s own units listed. A `--- FAIL: BenchmarkX` is a failure.
enum GoBenchmarkFormat {
    /// One result line's figures.
    struct Row {
        var name: String
        var procs: String?
        var figures: [(value: Double, unit: String)]
        /// Figures that are no number (`NaN`, `+Inf`), left out.
        var leftOut = 0
    }

    /// A benchmark's settings: its GOMAXPROCS and package.
    private static func settings(procs: String?, package: String?) -> [Parameter] {
        (procs.map { [Parameter("procs", $0)] } ?? []) + (package.map { [Parameter("pkg", $0)] } ?? [])
    }

    static func extract(console text: ArraySlice<UInt8>) -> Extraction? {
        // Most text holds no Go benchmark: found without reading lines.
        guard ByteSearch.contains(text, "Benchmark"), ByteSearch.contains(text, "/op") || ByteSearch.contains(text, "--- FAIL: Benchmark")
        else { return nil }
        var pool = SamplePool()
        var package: String? = nil
        var figuresLeftOut = 0
        // A benchmark that prints to stdout has its figures on a line after its output:
        // its name waits for them.
        var pendingName: Substring? = nil
        var budget = RecordBudget()
        for line in ConsoleLines(text) {
            guard budget.admits("a line after \(pool.count) benchmarks") else { break }
            if line.hasPrefix("pkg: ") {
                package = TextCuts.text(String(line.dropFirst(5)).trimmingBlanks())
                continue
            }
            // `--- FAIL: BenchmarkZ-8` on a line of its own, or after the name of a
            // benchmark that failed past its first pass (`BenchmarkZ-8   --- FAIL: ...`).
            if let at = line.range(of: "--- FAIL: Benchmark") {
                let (name, procs) = split(String(line[line.index(at.lowerBound, offsetBy: 10)...].prefix { $0 != " " && $0 != "\t" }))
                pool.fail(Measurement(tool: "go", name: TextCuts.text(name), parameters: settings(procs: procs, package: package), unit: "ns/op"))
                continue
            }
            let found: Row?
            if line.hasPrefix("Benchmark") {
                found = row(line)
                pendingName = found == nil ? line.split { $0 == " " || $0 == "\t" }.first : nil
            } else if let name = pendingName {
                found = row(name + " " + line)
                if found != nil { pendingName = nil }
            } else {
                found = nil
            }
            guard let row = found else { continue }
            figuresLeftOut += row.leftOut
            let parameters = settings(procs: row.procs, package: package)
            let name = TextCuts.text(row.name)
            for figure in row.figures {
                // `ns/op` is the benchmark's time, tested; each other unit a benchmark of its own, listed.
                let timed = figure.unit == "ns/op"
                let benchmark = Measurement(
                    tool: "go", name: timed ? name : "\(name) \(figure.unit)", parameters: parameters, unit: figure.unit,
                    higherIsBetter: figure.unit.hasSuffix("/s"), isRegressionTested: timed)
                if pool.add(figure.value, to: benchmark) {
                    budget.spend(entries: 1)
                    budget.spend(text: name)
                }
                budget.spend(numbers: 1)
            }
        }
        guard !pool.isEmpty || pool.hasFailures else { return nil }
        // Timed before it failed: its times stand, and the failure is said with them.
        let (measurements, failing) = pool.measurements(failing: "the benchmark failed (--- FAIL)")
        var notes = budget.note.map { [$0] } ?? []
        if failing > 0 { notes.append("\(failing) benchmark(s) both timed and failed (--- FAIL): their times are kept") }
        if figuresLeftOut > 0 {
            notes.append("\(figuresLeftOut) figure(s) that are no number (NaN, an infinity, a time or size below zero) left out")
        }
        return Extraction(shape: .goBenchmarkText, measurements: measurements, notes: notes)
    }

    /// `BenchmarkParse/small-32  2345678  512.3 ns/op  234.56 MB/s`: the
    /// name, its iterations, then value and unit pairs; nil for any other line.
    static func row(_ line: String) -> Row? {
        let fields = line.split { $0 == " " || $0 == "\t" }
        guard fields.count >= 4, fields.count % 2 == 0, Int(fields[1]) != nil else { return nil }
        var figures: [(value: Double, unit: String)] = []
        var leftOut = 0
        for index in stride(from: 2, to: fields.count, by: 2) {
            // Decimal digits only (Swift's `Double` reads `0x1p3` too); any unit, as `b.ReportMetric` names it (`hit-ratio`, `%`).
            let text = fields[index]
            guard let value = Double(text) else { return nil }
            let unit = String(fields[index + 1])
            // go's own units are never below zero (a metric of `b.ReportMetric` may be).
            guard value.isFinite, text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }),
                value >= 0 || !standardUnits.contains(unit)
            else {
                leftOut += 1
                continue
            }
            figures.append((value, unit))
        }
        guard !figures.isEmpty else { return nil }
        let (name, procs) = split(String(fields[0]))
        return Row(name: name, procs: procs, figures: figures, leftOut: leftOut)
    }

    /// The units go itself writes.
    static let standardUnits: Set<String> = ["ns/op", "MB/s", "B/op", "allocs/op"]

    /// `BenchmarkParse/small-32`: the name and its GOMAXPROCS suffix, if any.
    private static func split(_ name: String) -> (name: String, procs: String?) {
        guard let dash = name.lastIndex(of: "-"), case let digits = name[name.index(after: dash)...], !digits.isEmpty,
            digits.allSatisfy(\.isASCIIDigit)
        else { return (ConsoleLines.shown(name), nil) }
        return (ConsoleLines.shown(String(name[..<dash])), String(digits))
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
