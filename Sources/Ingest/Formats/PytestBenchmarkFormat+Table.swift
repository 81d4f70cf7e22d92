import Records

/// `pytest-benchmark compare --csv`: a row a benchmark of each run compared
/// (`name`, a `param:<name>` column per parameter, `min`, `max`, `mean`,
/// `stddev`, `median`, `iqr`, `outliers`, `ops`, `rounds`, `iterations`),
/// seconds; never pooled over the benchmarks.
extension PytestBenchmarkFormat {
    static let csvColumns = ["name", "min", "max", "mean", "stddev", "median", "rounds"]

    static func matches(_ table: some Tabular) -> Bool {
        csvColumns.allSatisfy { table.index(of: $0) != nil }
    }

    static func extract<Table: Tabular>(_ table: Table) throws(Table.Failure) -> Extraction {
        let lower = table.header.map { $0.lowercased() }
        let columns = csvColumns.map { table.index(of: $0) }
        let parameterColumns = lower.indices.filter { lower[$0].hasPrefix("param:") && lower[$0].count > "param:".count }
        var measurements: [Measurement] = []
        var budget = RecordBudget()
        try table.forEachRow { row in
            guard budget.admits(row.place) else { return false }
            guard let nameColumn = columns[0], !row.isBlank(nameColumn) else { return true }
            func number(_ index: Int) -> Double? { columns[index].flatMap { row.double($0) } }
            let name = row.string(nameColumn)
            let parameters = parameterColumns.filter { !row.isBlank($0) }.map { column in
                Parameter(String(table.header[column].dropFirst("param:".count)), row.string(column).trimmingBlanks())
            }
            measurements.append(
                Measurement(
                    tool: "pytest-benchmark", name: name, parameters: parameters, unit: "s", mean: number(3), median: number(5),
                    stddev: number(4), min: number(1), max: number(2), count: number(6).flatMap { Int(exactly: $0) }))
            budget.spend(entries: 1)
            budget.spend(numbers: 6)
            budget.spend(text: name)
            budget.spend(parameters)
            return true
        }
        var notes: [String] = []
        if let note = budget.note { notes.append(note) }
        return Extraction(shape: .pytestBenchmark, measurements: measurements, notes: notes)
    }
}
