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

    static func extract(_ table: some Tabular) -> Extraction {
        let modelColumn = table.index(of: "model")
        var metricColumns: [Int] = []
        var parameterColumns: [Int] = []
        for (index, name) in table.header.enumerated() where index != modelColumn {
            let lower = name.lowercased()
            let isParameter = RunTableFormat.sweepParameters.contains(lower) || lower == "config_name"
            if !isParameter && table.isNumericColumn(index) {
                metricColumns.append(index)
            } else {
                parameterColumns.append(index)
            }
        }
        let hasRealParameters = parameterColumns.contains { table.header[$0].lowercased() != "config_name" }
        var rows: [AggregateRow] = []
        for row in 0..<table.rowCount {
            var configuration: [Parameter] = []
            for column in parameterColumns where !table.isBlank(row, column) {
                let name = table.header[column]
                if hasRealParameters && name.lowercased() == "config_name" { continue }
                let text = table.double(row, column).map(ValueText.render) ?? table.string(row, column)
                configuration.append(Parameter(name, text))
            }
            var metrics: [String: Double] = [:]
            for column in metricColumns {
                if let value = table.double(row, column) { metrics[table.header[column]] = value }
            }
            let model = modelColumn.flatMap { table.isBlank(row, $0) ? nil : table.string(row, $0) }
            rows.append(AggregateRow(model: model, configuration: configuration, metrics: metrics))
        }
        return Extraction(shape: .sweepSummary, aggregates: rows)
    }
}
