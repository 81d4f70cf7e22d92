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
    }

    static func extract(console text: ArraySlice<UInt8>) -> Extraction? {
        // Most text holds no Go benchmark: found without reading lines.
        guard ByteSearch.contains(text, "Benchmark"), ByteSearch.contains(text, "/op") else { return nil }
        var keys: [String] = []
        var samples: [String: (name: String, unit: String, parameters: [Parameter], values: [Double])] = [:]
        var failed: [String] = []
        var package: String? = nil
        var budget = RecordBudget()
        for line in ConsoleLines(text) {
            guard budget.admits("a line after \(keys.count) benchmarks") else { break }
            if line.hasPrefix("pkg: ") {
                package = TextCuts.text(String(line.dropFirst(5)).trimmingBlanks())
                continue
            }
            if line.hasPrefix("--- FAIL: Benchmark") {
                let name = split(String(line.dropFirst("--- FAIL: ".count).prefix { $0 != " " })).name
                if !failed.contains(name) { failed.append(TextCuts.text(name)) }
                continue
            }
            guard line.hasPrefix("Benchmark"), let row = row(line) else { continue }
            var parameters = row.procs.map { [Parameter("procs", $0)] } ?? []
            if let package { parameters.append(Parameter("pkg", package)) }
            for figure in row.figures {
                let key = ([row.name, figure.unit] + parameters.map { "\($0.name)=\($0.value)" }).joined(separator: "\u{1}")
                if samples[key] == nil {
                    keys.append(key)
                    budget.spend(entries: 1)
                    budget.spend(text: row.name)
                    samples[key] = (TextCuts.text(row.name), figure.unit, parameters, [])
                }
                samples[key]?.values.append(figure.value)
                budget.spend(numbers: 1)
            }
        }
        guard !keys.isEmpty || !failed.isEmpty else { return nil }
        var measurements: [Measurement] = keys.compactMap { key in
            guard let figure = samples[key] else { return nil }
            let timed = figure.unit == "ns/op"
            var measurement = Measurement(
                tool: "go", name: timed ? figure.name : "\(figure.name) \(figure.unit)", parameters: figure.parameters,
                unit: figure.unit, higherIsBetter: figure.unit.hasSuffix("/s"), count: figure.values.count, samples: figure.values,
                isRegressionTested: timed)
            measurement.fillFromSamples()
            return measurement
        }
        for name in failed where !measurements.contains(where: { $0.name == name }) {
            measurements.append(
                Measurement(tool: "go", name: name, unit: "ns/op", failure: "the benchmark failed (--- FAIL)", failedRuns: 1))
        }
        var notes = budget.note.map { [$0] } ?? []
        let failing = failed.filter { name in measurements.contains { $0.name == name && !$0.isWhollyFailed } }
        if !failing.isEmpty { notes.append("\(failing.count) benchmark(s) both timed and failed (--- FAIL): their times are kept") }
        return Extraction(shape: .goBenchmarkText, measurements: measurements, notes: notes)
    }

    /// `BenchmarkParse/small-32  2345678  512.3 ns/op  234.56 MB/s`: the
    /// name, its iterations, then value and unit pairs; nil for any other line.
    static func row(_ line: String) -> Row? {
        let fields = line.split { $0 == " " || $0 == "\t" }
        guard fields.count >= 4, fields.count % 2 == 0, Int(fields[1]) != nil else { return nil }
        var figures: [(value: Double, unit: String)] = []
        for index in stride(from: 2, to: fields.count, by: 2) {
            guard let value = Double(fields[index]), value.isFinite, value >= 0, fields[index + 1].contains("/") else { return nil }
            figures.append((value, String(fields[index + 1])))
        }
        let (name, procs) = split(String(fields[0]))
        return Row(name: name, procs: procs, figures: figures)
    }

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
