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
            let benchmark = row.string(name)
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
        let repeated = StatisticsTable.numberRepeats(&measurements)
        if repeated > 0 {
            notes.append(
                "\(repeated) benchmark\(repeated == 1 ? "" : "s") with several rows (a comparison of saved runs, `pytest-benchmark compare`?): told apart by their order, `run=1`, `run=2`, ..., since the file names no run"
            )
        }
        if let note = budget.note { notes.append(note) }
        return Extraction(shape: shape, measurements: measurements, notes: notes)
    }

    /// Numbers the rows of a benchmark (its name and settings) that has
    /// several with a `run` parameter, in their order, and returns how many
    /// benchmarks had: two rows under one label were two figures of one
    /// benchmark no reader could tell apart, pooled into nothing.
    static func numberRepeats(_ measurements: inout [Measurement]) -> Int {
        func key(_ measurement: Measurement) -> String {
            ([measurement.name] + measurement.parameters.map { $0.name + "=" + $0.value }).joined(separator: "\u{1}")
        }
        var counts: [String: Int] = [:]
        for measurement in measurements { counts[key(measurement), default: 0] += 1 }
        guard counts.values.contains(where: { $0 > 1 }) else { return 0 }
        var seen: [String: Int] = [:]
        for index in measurements.indices {
            let name = key(measurements[index])
            guard counts[name, default: 0] > 1 else { continue }
            seen[name, default: 0] += 1
            measurements[index].parameters.append(Parameter("run", "\(seen[name, default: 0])"))
        }
        return counts.values.count { $0 > 1 }
    }
}
