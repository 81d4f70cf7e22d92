import Records

/// A table a tool writes a row a benchmark, with the statistics it computed
/// (hyperfine's and pytest-benchmark's CSV exports): each row a measurement,
/// its settings from the columns named with `parameterPrefix`, never pooled
/// over the rows.
struct StatisticsTable {
    var tool: String
    var shape: Shape
    var nameColumn: String
    var parameterPrefix: String
    /// Column names of the statistics, in seconds.
    var mean: String, median: String, stddev: String, min: String, max: String
    /// The column counting the runs behind a row, if the tool writes one.
    var count: String?
    /// Rows of one benchmark are listed, not tested, when the file's order
    /// of them says nothing (`pytest-benchmark compare` sorts each
    /// benchmark's saves by their time): numbered, they would swap
    /// histories whenever two saves' speeds crossed.
    var repeatsAreUnordered = false

    func extract<Table: Tabular>(_ table: Table) throws(Table.Failure) -> Extraction {
        let lower = table.header.map { $0.lowercased() }
        let name = table.index(of: nameColumn)
        let statistics = [mean, median, stddev, min, max].map { table.index(of: $0) }
        let countColumn = count.flatMap { table.index(of: $0) }
        let prefix = parameterPrefix
        let parameterColumns = lower.indices.filter { lower[$0].hasPrefix(prefix) && lower[$0].count > prefix.count }
        var measurements: [Measurement] = []
        var budget = RecordBudget()
        try table.forEachRow { row in
            guard budget.admits(row.place) else { return false }
            guard let name, !row.isBlank(name) else { return true }
            let values = statistics.map { $0.flatMap { row.double($0) } }
            // Named as a terminal shows it, as the tool's JSON and console output are.
            let benchmark = ConsoleLines.shown(row.string(name))
            let parameters = parameterColumns.filter { !row.isBlank($0) }.map { column in
                Parameter(String(table.header[column].dropFirst(prefix.count)), row.string(column).trimmingBlanks())
            }
            measurements.append(
                Measurement(
                    tool: tool, name: benchmark, parameters: parameters, unit: "s", mean: values[0], median: values[1],
                    stddev: values[2], min: values[3], max: values[4],
                    count: countColumn.flatMap { row.double($0) }.flatMap { Int(exactly: $0) }))
            budget.spend(entries: 1)
            budget.spend(numbers: 6)
            budget.spend(text: benchmark)
            budget.spend(parameters)
            return true
        }
        var notes: [String] = []
        let repeated = Set(StatisticsTable.repeatedKeys(measurements))
        if repeatsAreUnordered, !repeated.isEmpty {
            for index in measurements.indices where repeated.contains(StatisticsTable.key(measurements[index])) {
                measurements[index].isRegressionTested = false
            }
            notes.append(
                "\(repeated.count) benchmark\(repeated.count == 1 ? "" : "s") with several rows (saves compared, as `pytest-benchmark compare` writes them, sorted by their time): told apart as `row=1`, `row=2`, ... and listed, not tested, since the file names no save"
            )
        }
        if let note = budget.note { notes.append(note) }
        measurements = StatisticsTable.numberingRepeats(measurements, by: StatisticsTable.key)
        return Extraction(shape: shape, measurements: measurements, notes: notes)
    }

    /// Rows of one benchmark (`key`: its name, or its name and settings)
    /// told apart by their order (`row=1`, `row=2`), which a tool keeps from
    /// run to run, instead of pooling two benchmarks into one history.
    static func numberingRepeats(_ measurements: [Measurement], by key: (Measurement) -> String) -> [Measurement] {
        let repeated = Set(repeatedKeys(measurements, by: key))
        var seen: [String: Int] = [:]
        return measurements.map { measurement in
            let name = key(measurement)
            guard repeated.contains(name) else { return measurement }
            var distinguished = measurement
            seen[name, default: 0] += 1
            distinguished.parameters.append(Parameter("row", String(seen[name, default: 0])))
            return distinguished
        }
    }

    /// A row's benchmark: its name and settings.
    static func key(_ measurement: Measurement) -> String {
        ([measurement.name] + measurement.parameters.map { $0.name + "=" + $0.value }).joined(separator: "\u{1}")
    }

    /// The benchmarks (by `key`) with several rows.
    static func repeatedKeys(_ measurements: [Measurement], by key: (Measurement) -> String = key) -> [String] {
        var counts: [String: Int] = [:]
        for measurement in measurements { counts[key(measurement), default: 0] += 1 }
        return counts.filter { $0.value > 1 }.map(\.key)
    }
}
