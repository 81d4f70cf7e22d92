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
        try StatisticsTable(
            tool: "pytest-benchmark", shape: .pytestBenchmark, nameColumn: "name", parameterPrefix: "param:", mean: "mean",
            median: "median", stddev: "stddev", min: "min", max: "max", count: "rounds", repeatsAreUnordered: true
        ).extract(table)
    }
}
