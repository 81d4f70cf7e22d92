import Records

/// Tables of aggregates a tool computed itself: a sweep's `*_summary.csv`
/// (`mean_tokens_s`, `mean_ttft_s`, ...). Recognised by `mean_`/`median_` metric
/// columns without raw per-run throughput.
enum AggregateTableFormat {
    static func matches(_ table: some Tabular) -> Bool {
        table.index(ofAny: RunTableFormat.throughputColumns) == nil
            && table.header.contains { name in
                let lower = name.lowercased()
                return (lower.hasPrefix("mean_") || lower.hasPrefix("median_") || lower.hasPrefix("avg_"))
                    && (lower.contains("tokens") || lower.contains("ttft") || lower.contains("tok"))
            }
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
            if numeric.contains(index) {
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
