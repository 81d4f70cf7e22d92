import Records

/// Google Benchmark's console output, what a benchmark binary prints by
/// default (`./bench | tee bench.txt`, a CI log):
///
///     2026-11-16T02:00:00+00:00
///     Running ./bench
///     Run on (2 X 2400 MHz CPU s)
///     ---------------------------------------------------------------------
///     Benchmark                          Time             CPU   Iterations
///     ---------------------------------------------------------------------
///     BM_memcpy/64                    2.66 ns         2.66 ns    263014087 bytes_per_second=22.4Gi/s
///     BM_StringCopy_mean              13.1 ns         13.1 ns            3
///     BM_Fails                 ERROR OCCURRED: 'no device'
///
/// Each row is read as the JSON format's entry would be (as the CSV's are):
/// its time, CPU time and iterations, its counters (`name=value`, or columns
/// of their own under `--benchmark_counters_tabular`, in the console's
/// `k`/`M`/`G` or `Ki`/`Mi`/`Gi` multiples), an `ERROR OCCURRED` a failed
/// run, a `SKIPPED` one noted; aggregates and complexity fits are told by
/// their names. The console rounds to three digits; the date line above the
/// table dates the run.
extension GoogleBenchmarkFormat {
    /// The benchmarks, or nil when the text holds no `Benchmark Time CPU Iterations` table.
    static func extract(console text: ArraySlice<UInt8>) -> Extraction? {
        guard ByteSearch.contains(text, "Iterations") else { return nil }
        var entries: [JSONValue] = []
        // The counters' columns of the table being read (nil: outside one).
        var columns: [String]? = nil
        var tables = 0
        var date: Double? = nil
        var budget = RecordBudget()
        for line in ConsoleLines(text) {
            if let counters = tableHeader(line) {
                columns = counters
                tables += 1
                continue
            }
            guard let counters = columns else {
                // `2026-11-16T02:00:00+00:00`, the first line of a run's context.
                if line.first?.isNumber == true, !line.contains(" "), let stamp = TimestampParsing.toolDate(line) { date = stamp }
                continue
            }
            if !line.isEmpty, line.allSatisfy({ $0 == "-" }) { continue }
            guard let entry = row(line, counters: counters) else {
                columns = nil
                continue
            }
            guard budget.admits("benchmark \(entries.count + 1)") else { break }
            budget.spend(entries: 1)
            budget.spend(numbers: entry.members?.count ?? 0)
            entries.append(entry)
        }
        guard tables > 0, !entries.isEmpty else { return nil }
        var extraction = extract(.object([("benchmarks", .array(entries))]))
        extraction.shape = .googleBenchmarkText
        extraction.measuredAt = date
        if tables > 1 {
            extraction.notes.insert("\(tables) runs' tables in one file: a benchmark's rows in them are read as its repetitions", at: 0)
        }
        if let note = budget.note { extraction.notes.append(note) }
        return extraction
    }

    /// `Benchmark  Time  CPU  Iterations [UserCounters...]`: the table's
    /// counter columns (none unless `--benchmark_counters_tabular`); nil
    /// for any other line.
    static func tableHeader(_ line: String) -> [String]? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 4, words[0] == "Benchmark", words[1] == "Time", words[2] == "CPU", words[3] == "Iterations" else { return nil }
        let counters = words.dropFirst(4).map(String.init)
        return counters == ["UserCounters..."] ? [] : counters
    }

    private static let timeUnits: Set<Substring> = ["ns", "us", "ms", "s"]
    private static let errorMarker = "ERROR OCCURRED:"
    private static let skipMarker = "SKIPPED:"

    /// A row of the table as the JSON entry it stands for; nil for a line
    /// that is no row (the table has ended).
    static func row(_ line: String, counters: [String]) -> JSONValue? {
        for (marker, flag, message) in [(errorMarker, "error_occurred", "error_message"), (skipMarker, "skipped", "skip_message")] {
            guard let found = line.range(of: marker) else { continue }
            let name = String(line[..<found.lowerBound]).trimmingBlanks()
            guard !name.isEmpty, !name.contains(" ") else { return nil }
            var said = String(line[found.upperBound...]).trimmingBlanks()
            if said.count >= 2, said.first == "'", said.last == "'" { said = String(said.dropFirst().dropLast()) }
            return .object([("name", .string(TextCuts.text(name))), (flag, .bool(true)), (message, .string(TextCuts.text(said)))])
        }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let name = words.first.map(String.init) else { return nil }
        // A complexity fit (`BM_x_BigO  1.02 N`, `BM_x_RMS  2 %`): noted by its name, no timing.
        if words.count <= 5, name.hasSuffix("_BigO") || name.hasSuffix("_RMS") { return .object([("name", .string(TextCuts.text(name)))]) }
        // The spread as a percentage: the JSON's `cv`, which no figure is taken from.
        if name.hasSuffix("_cv"), words.count >= 5, words[2] == "%" { return .object([("name", .string(TextCuts.text(name)))]) }
        guard words.count >= 6, let time = NumberParsing.double(words[1]), timeUnits.contains(words[2]),
            let cpu = NumberParsing.double(words[3]), words[4] == words[2], let iterations = NumberParsing.double(words[5])
        else { return nil }
        var entry: [(key: String, value: JSONValue)] = [
            ("name", .string(TextCuts.text(name))), ("iterations", .number(iterations)), ("real_time", .number(time)),
            ("cpu_time", .number(cpu)), ("time_unit", .string(String(words[2]))),
        ]
        // An aggregate's iterations are the repetitions it summarises.
        if ["_mean", "_median", "_stddev"].contains(where: name.hasSuffix) { entry.append(("repetitions", .number(iterations))) }
        let rest = words.dropFirst(6)
        if counters.isEmpty {
            for word in rest {
                guard let equals = word.firstIndex(of: "="), let value = counterValue(word[word.index(after: equals)...]) else { continue }
                let key = String(word[..<equals])
                if !key.isEmpty, !standardKeys.contains(key) { entry.append((TextCuts.text(key), .number(value))) }
            }
        } else {
            for (key, word) in zip(counters, rest) where !standardKeys.contains(key) {
                if let value = counterValue(word) { entry.append((TextCuts.text(key), .number(value))) }
            }
        }
        return .object(entry)
    }

    /// A counter as the console prints it: `22.4Gi/s`, `35.6k/s`, `1.5M`,
    /// `512m` (thousandths), `7`.
    static func counterValue(_ word: Substring) -> Double? {
        var text = word.hasSuffix("/s") ? word.dropLast(2) : word
        var scale = 1.0
        let binary: [Character: Int] = ["K": 1, "M": 2, "G": 3, "T": 4, "P": 5, "E": 6]
        let decimal: [Character: Int] = [
            "k": 1, "M": 2, "G": 3, "T": 4, "P": 5, "E": 6, "m": -1, "u": -2, "n": -3, "p": -4,
        ]
        if text.hasSuffix("i"), text.count >= 3, let power = binary[text[text.index(text.endIndex, offsetBy: -2)]] {
            scale = multiple(1024, power)
            text = text.dropLast(2)
        } else if let last = text.last, let power = decimal[last] {
            scale = multiple(1000, power)
            text = text.dropLast()
        }
        guard let number = NumberParsing.double(text), number.isFinite else { return nil }
        return number * scale
    }

    /// `base` to the power `exponent` (negative: its reciprocal's).
    private static func multiple(_ base: Double, _ exponent: Int) -> Double {
        let whole = (0..<abs(exponent)).reduce(1.0) { product, _ in product * base }
        return exponent < 0 ? 1 / whole : whole
    }
}
