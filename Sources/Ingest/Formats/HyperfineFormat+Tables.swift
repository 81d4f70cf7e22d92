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
        try StatisticsTable(
            tool: "hyperfine", shape: .hyperfine, nameColumn: "command", parameterPrefix: "parameter_", mean: "mean", median: "median",
            stddev: "stddev", min: "min", max: "max"
        ).extract(table)
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
        let measurements = table.rows.compactMap { row -> Measurement? in
            guard row.count == table.header.count else { return nil }
            // The command in a code span: `` `sleep 0.01` ``.
            var command = Substring(ConsoleLines.shown(row[0]).trimmingBlanks())
            while command.first == "`" && command.last == "`" && command.count >= 2 { command = command.dropFirst().dropLast() }
            guard !command.isEmpty else { return nil }
            // `11.0 ± 0.1`: the mean and one standard deviation.
            let parts = row[mean].split(separator: "±").map { NumberParsing.double(String($0)) }
            return Measurement(
                tool: "hyperfine", name: String(command), unit: unit, mean: parts.first ?? nil, stddev: parts.count > 1 ? parts[1] : nil,
                min: minimum.flatMap { NumberParsing.double(row[$0].trimmingBlanks()) },
                max: maximum.flatMap { NumberParsing.double(row[$0].trimmingBlanks()) })
        }
        // The Markdown export leaves out a scan's parameters (`-L n 1,2 -n work` writes two rows named `work`).
        return StatisticsTable.numberingRepeats(measurements, by: \.name)
    }
}
