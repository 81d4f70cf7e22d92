import Records

/// hyperfine's `--export-csv` (`command,mean,stddev,median,user,system,min,max`
/// and a `parameter_<name>` column per scanned parameter, seconds) and
/// `--export-markdown` (`| Command | Mean [ms] | Min [ms] | Max [ms] | Relative |`,
/// the mean written `11.0 ± 0.1`): a benchmark a row, never pooled over
/// commands or parameter values.
extension HyperfineFormat {
    static let csvColumns = ["command", "mean", "stddev", "median", "user", "system", "min", "max"]

    static func matches(_ table: some Tabular) -> Bool {
        csvColumns.allSatisfy { table.index(of: $0) != nil }
    }

    static func extract<Table: Tabular>(_ table: Table) throws(Table.Failure) -> Extraction {
        let lower = table.header.map { $0.lowercased() }
        let columns = csvColumns.map { table.index(of: $0) }
        let parameterColumns = lower.indices.filter { lower[$0].hasPrefix("parameter_") && lower[$0].count > "parameter_".count }
        var measurements: [Measurement] = []
        var budget = RecordBudget()
        try table.forEachRow { row in
            guard budget.admits(row.place) else { return false }
            guard let commandColumn = columns[0], !row.isBlank(commandColumn) else { return true }
            func number(_ index: Int) -> Double? { columns[index].flatMap { row.double($0) } }
            let command = row.string(commandColumn)
            let parameters = parameterColumns.filter { !row.isBlank($0) }.map { column in
                Parameter(String(table.header[column].dropFirst("parameter_".count)), row.string(column).trimmingBlanks())
            }
            measurements.append(
                Measurement(
                    tool: "hyperfine", name: command, parameters: parameters, unit: "s", mean: number(1), median: number(3),
                    stddev: number(2), min: number(6), max: number(7)))
            budget.spend(entries: 1)
            budget.spend(numbers: 5)
            budget.spend(text: command)
            budget.spend(parameters)
            return true
        }
        var notes: [String] = []
        if let note = budget.note { notes.append(note) }
        return Extraction(shape: .hyperfine, measurements: measurements, notes: notes)
    }

    /// A Markdown table with a `Command` column and a `Mean [unit]` one.
    static func matches(_ table: MarkdownDocument.Table) -> Bool {
        table.header.first?.lowercased() == "command" && table.header.contains { $0.lowercased().hasPrefix("mean [") }
    }

    static func extract(_ table: MarkdownDocument.Table) -> [Measurement] {
        let lower = table.header.map { $0.lowercased() }
        func column(_ name: String) -> Int? { lower.firstIndex { $0.hasPrefix(name + " [") } }
        guard let mean = column("mean") else { return [] }
        // The unit between the brackets: `Mean [ms]`, `Mean [µs]`.
        let bracketed = String(table.header[mean].drop { $0 != "[" }.dropFirst().prefix { $0 != "]" })
        let unit = bracketed.isEmpty ? "s" : bracketed
        let minimum = column("min")
        let maximum = column("max")
        return table.rows.compactMap { row -> Measurement? in
            guard row.count == table.header.count else { return nil }
            // The command in a code span: `` `sleep 0.01` ``.
            var command = Substring(row[0].trimmingBlanks())
            while command.first == "`" && command.last == "`" && command.count >= 2 { command = command.dropFirst().dropLast() }
            guard !command.isEmpty else { return nil }
            // `11.0 ± 0.1`: the mean and one standard deviation.
            let parts = row[mean].split(separator: "±").map { NumberParsing.double(String($0)) }
            return Measurement(
                tool: "hyperfine", name: String(command), unit: unit, mean: parts.first ?? nil, stddev: parts.count > 1 ? parts[1] : nil,
                min: minimum.flatMap { NumberParsing.double(row[$0].trimmingBlanks()) },
                max: maximum.flatMap { NumberParsing.double(row[$0].trimmingBlanks()) })
        }
    }
}
