import Records

/// Tables of aggregates a tool computed itself: a sweep's `*_summary.csv`
/// (`mean_tokens_s`, `mean_ttft_s`, ...). Recognised by `mean_`/`median_` metric
/// columns without raw per-run throughput.
enum AggregateTableFormat {
    static func matches(_ table: some Tabular) -> Bool {
        RunTableFormat.throughputColumn(in: table) == nil
            && table.header.contains { name in
                let lower = name.lowercased()
                return namesSummary(lower) && (lower.contains("tok") || lower.contains("ttft"))
            }
    }

    /// Whether a lowercased column name is a tool's own summary of its runs
    /// (`mean_tokens_s`, `median_ttft_ms`, `avg_latency`), which per-run
    /// tables never carry.
    static func namesSummary(_ lowercasedName: String) -> Bool {
        lowercasedName.hasPrefix("mean_") || lowercasedName.hasPrefix("median_") || lowercasedName.hasPrefix("avg_")
    }

    /// Words of a column the tool computed per configuration: a figure, a count of runs.
    private static let statisticWords = [
        "tok", "ttft", "throughput", "latency", "eval", "load", "duration", "time", "rate", "speed", "runs", "count", "completed",
        "success", "fail", "error", "sample",
    ]
    private static let statisticPrefixes = [
        "mean_", "median_", "avg_", "average_", "std_", "stddev_", "min_", "max_", "p50_", "p90_", "p95_", "p99_",
    ]
    private static let statisticSuffixes = ["_mean", "_median", "_avg", "_std", "_stddev", "_min", "_max", "_p50", "_p90", "_p95", "_p99"]
    /// Words of a setting a sweep varies beyond the known ones (`concurrency`,
    /// `batch_size`, `num_parallel`, `max_concurrency`).
    private static let settingWords = ["concurrency", "batch", "parallel", "thread", "worker", "ctx", "context", "size", "layers"]
    private static let limitSettings: Set<String> = ["max_tokens", "max_new_tokens", "max_output_tokens", "num_predict", "max_model_len"]

    /// Whether a numeric column holds the tool's figures rather than a
    /// setting of the configuration: named like a figure or a count, or
    /// like a statistic of anything but a setting (`mean_accuracy`, not
    /// `max_concurrency`).
    static func isStatistic(_ name: String) -> Bool {
        // A request's limit names tokens but is a setting.
        if limitSettings.contains(name) { return false }
        if statisticWords.contains(where: name.contains) || RunTableFormat.isMeasurement(name) { return true }
        let affixed = statisticPrefixes.contains(where: name.hasPrefix) || statisticSuffixes.contains(where: name.hasSuffix)
        return affixed && !settingWords.contains(where: name.contains)
    }

    static func extract<Table: Tabular>(_ table: Table) throws(Table.Failure) -> Extraction {
        let modelColumn = table.index(of: "model")
        var candidates: [Int] = []
        for (index, name) in table.header.enumerated() where index != modelColumn {
            let lower = name.lowercased()
            if !(RunTableFormat.sweepParameters.contains(lower) || lower == "config_name") { candidates.append(index) }
        }
        let numeric = try table.numericColumns(candidates)
        var metricColumns: [Int] = []
        var parameterColumns: [Int] = []
        for index in table.header.indices where index != modelColumn {
            if numeric.contains(index) && AggregateTableFormat.isStatistic(table.columnNames[index]) {
                metricColumns.append(index)
            } else {
                parameterColumns.append(index)
            }
        }
        let hasRealParameters = parameterColumns.contains { table.header[$0].lowercased() != "config_name" }
        var rows: [AggregateRow] = []
        var budget = RecordBudget()
        try table.forEachRow { row in
            guard budget.admits(row.place) else { return false }
            var configuration: [Parameter] = []
            for column in parameterColumns where !row.isBlank(column) {
                let name = table.header[column]
                if hasRealParameters && name.lowercased() == "config_name" { continue }
                let text = row.double(column).map(ValueText.render) ?? row.string(column)
                configuration.append(Parameter(name, text))
            }
            var metrics: [String: Double] = [:]
            for column in metricColumns {
                if let value = row.double(column) { metrics[table.header[column]] = value }
            }
            let model = modelColumn.flatMap { row.isBlank($0) ? nil : row.string($0) }
            budget.spend(entries: 1)
            budget.spend(numbers: metrics.count)
            budget.spend(text: model)
            budget.spend(configuration)
            rows.append(AggregateRow(model: model, configuration: configuration, metrics: metrics))
            return true
        }
        return Extraction(shape: .sweepSummary, aggregates: rows, notes: budget.note.map { [$0] } ?? [])
    }
}
