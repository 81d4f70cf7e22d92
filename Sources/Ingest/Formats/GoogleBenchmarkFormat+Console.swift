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
/// their names; a name may hold blanks (a template's), and a benchmark's own
/// output between rows does not end the table. The console rounds to three
/// digits; the date line above the table dates the run, and runs appended
/// to one log (`./bench >> bench.log`), each dated, are each a session.
extension GoogleBenchmarkFormat {
    /// One table and the date line above it.
    private struct Table {
        var date: Double?
        var entries: [JSONValue] = []
    }

    /// The longest line read as a header or a row: a row is a name, four
    /// figures and its counters (a line of megabytes is some program's output).
    static let maximumRowBytes = 64 * 1024

    /// The benchmarks, or nil when the text holds no `Benchmark Time CPU Iterations` table.
    static func extract(console text: ArraySlice<UInt8>) -> Extraction? {
        guard ByteSearch.contains(text, "Iterations") else { return nil }
        var tables: [Table] = []
        // The counters' columns of the table being read (nil: before the first).
        var columns: [String]? = nil
        // The date line of the run whose table comes next.
        var date: Double? = nil
        var budget = RecordBudget()
        var rows = 0
        // Lines between rows that have a time but do not read as a row (a
        // line after the last row is some other program's output).
        var unreadable = 0
        var firstUnreadable: String? = nil
        var sinceLastRow: [String] = []
        // Counters the console printed per second (`hits=6.5M/s`): rates, as
        // `Counter::kIsRate` made them, whatever their names.
        var rates: Set<String> = []
        for line in ConsoleLines(text) {
            guard line.utf8.count <= maximumRowBytes else { continue }
            if let counters = tableHeader(line) {
                sinceLastRow = []
                columns = counters
                tables.append(Table(date: date))
                date = nil
                continue
            }
            // `2026-11-16T02:00:00+00:00`, the first line of a run's context.
            if line.first?.isNumber == true, !line.contains(" "), let stamp = TimestampParsing.toolDate(line) {
                date = stamp
                continue
            }
            // A benchmark's own output between rows does not end the table.
            guard let counters = columns, !line.isEmpty, !line.allSatisfy({ $0 == "-" }) else { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            // The spread as a percentage (`BM_x_cv  9.09 %`): the JSON's `cv`, which no figure is taken from.
            if words.count >= 3, words[0].hasSuffix("_cv"), words[2] == "%" { continue }
            guard let entry = row(line, words: words, counters: counters, rates: &rates) else {
                if words.dropFirst().contains(where: { timeUnits.contains($0) }), sinceLastRow.count < 100 {
                    sinceLastRow.append(line)
                }
                continue
            }
            unreadable += sinceLastRow.count
            if firstUnreadable == nil, let first = sinceLastRow.first { firstUnreadable = TextCuts.text(first) }
            sinceLastRow = []
            guard budget.admits("benchmark \(rows + 1)") else { break }
            budget.spend(entries: 1)
            budget.spend(numbers: entry.members?.count ?? 0)
            rows += 1
            tables[tables.count - 1].entries.append(entry)
        }
        let read = tables.filter { !$0.entries.isEmpty }
        guard !read.isEmpty else { return nil }
        var extraction: Extraction
        if read.count > 1, read.allSatisfy({ $0.date != nil }) {
            // Runs appended to one log, each dated: a session of each benchmark each.
            extraction = Extraction(shape: .googleBenchmarkText)
            for (index, table) in read.enumerated() {
                var run = extract(.object([("benchmarks", .array(table.entries))]), rates: rates)
                for measurement in run.measurements.indices { run.measurements[measurement].measuredAt = table.date }
                extraction.measurements += run.measurements
                extraction.notes += run.notes.map { "run \(index + 1): \($0)" }
            }
            extraction.measuredAt = read.last?.date
        } else {
            extraction = extract(.object([("benchmarks", .array(read.flatMap(\.entries)))]), rates: rates)
            extraction.measuredAt = read.last?.date
            if read.count > 1 {
                extraction.notes.insert(
                    "\(read.count) runs' tables in one file, not each dated: a benchmark's rows in them are read as its repetitions", at: 0)
            }
        }
        extraction.shape = .googleBenchmarkText
        if unreadable > 0 {
            extraction.notes.append(
                "\(unreadable) line\(unreadable == 1 ? "" : "s") in the table with a time but not a row's layout left out (the first: '\(firstUnreadable ?? "")')"
            )
        }
        if let note = budget.note, !extraction.notes.contains(where: { $0.hasPrefix("reading stopped") }) { extraction.notes.append(note) }
        return extraction
    }

    /// `Benchmark  Time  CPU  Iterations [UserCounters...]`: the table's
    /// counter columns (none unless `--benchmark_counters_tabular`); nil
    /// for any other line.
    static func tableHeader(_ line: String) -> [String]? {
        guard line.hasPrefix("Benchmark"), line.contains("Iterations") else { return nil }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 4, words[0] == "Benchmark", words[1] == "Time", words[2] == "CPU", words[3] == "Iterations" else { return nil }
        let counters = words.dropFirst(4).map(String.init)
        return counters == ["UserCounters..."] ? [] : counters
    }

    private static let timeUnits: Set<Substring> = ["ns", "us", "ms", "s"]
    private static let errorMarker = "ERROR OCCURRED:"
    private static let skipMarker = "SKIPPED:"

    /// A row of the table as the JSON entry it stands for; nil for a line
    /// that is no row. A name may hold blanks (`BM_Template<int, 5>`): the
    /// figures are the first time, CPU time and iterations in a row after it.
    /// The counters printed per second are added to `rates`.
    static func row(_ line: String, words: [Substring], counters: [String], rates: inout Set<String>) -> JSONValue? {
        for (marker, flag, message) in [(errorMarker, "error_occurred", "error_message"), (skipMarker, "skipped", "skip_message")] {
            guard let found = line.range(of: marker) else { continue }
            let name = String(line[..<found.lowerBound]).trimmingBlanks()
            guard !name.isEmpty else { return nil }
            var said = String(line[found.upperBound...]).trimmingBlanks()
            if said.count >= 2, said.first == "'", said.last == "'" { said = String(said.dropFirst().dropLast()) }
            return .object([("name", .string(TextCuts.text(name))), (flag, .bool(true)), (message, .string(TextCuts.text(said)))])
        }
        guard let first = words.first else { return nil }
        // A complexity fit (`BM_x_BigO  1.02 N`, `BM_x_RMS  2 %`): noted by its name, no timing.
        if words.count <= 5, first.hasSuffix("_BigO") || first.hasSuffix("_RMS") { return .object([("name", .string(TextCuts.text(String(first))))]) }
        guard
            let start = words.indices.dropFirst().first(where: { index in
                index + 4 < words.count && timeUnits.contains(words[index + 1]) && words[index + 3] == words[index + 1]
                    && NumberParsing.double(words[index]) != nil && NumberParsing.double(words[index + 2]) != nil
                    && NumberParsing.double(words[index + 4]) != nil
            }),
            let time = NumberParsing.double(words[start]), let cpu = NumberParsing.double(words[start + 2]),
            let iterations = NumberParsing.double(words[start + 4])
        else { return nil }
        let name = words[..<start].joined(separator: " ")
        var entry: [(key: String, value: JSONValue)] = [
            ("name", .string(TextCuts.text(name))), ("iterations", .number(iterations)), ("real_time", .number(time)),
            ("cpu_time", .number(cpu)), ("time_unit", .string(String(words[start + 1]))),
        ]
        // An aggregate's iterations are the repetitions it summarises.
        if ["_mean", "_median", "_stddev"].contains(where: name.hasSuffix) { entry.append(("repetitions", .number(iterations))) }
        let rest = words.dropFirst(start + 5)
        if counters.isEmpty {
            for word in rest {
                guard let equals = word.firstIndex(of: "="), let value = counterValue(word[word.index(after: equals)...]) else { continue }
                let key = TextCuts.text(String(word[..<equals]))
                if !key.isEmpty, !standardKeys.contains(key) {
                    entry.append((key, .number(value)))
                    if word.hasSuffix("/s") { rates.insert(key) }
                }
            }
        } else {
            for (key, word) in zip(counters, rest) where !standardKeys.contains(key) {
                guard let value = counterValue(word) else { continue }
                let key = TextCuts.text(key)
                entry.append((key, .number(value)))
                if word.hasSuffix("/s") { rates.insert(key) }
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
