import Records

/// Google Benchmark `--benchmark_format=csv` (and `--benchmark_out_format=csv`):
/// `name,iterations,real_time,cpu_time,time_unit,bytes_per_second,items_per_second,label,error_occurred,error_message`
/// and a column per user counter. Each row is read as the JSON format's entry
/// would be, so both formats give the same benchmarks: the CSV has no
/// `run_type`, so its aggregates and complexity fits are told by their
/// names (`GoogleBenchmarkFormat.inferredRole`); a row that ended in an
/// error (written shorter than the header when there are counters) is a
/// failed run, one skipped with a message is noted.
extension GoogleBenchmarkFormat {
    static let csvColumns = ["name", "iterations", "real_time", "cpu_time", "time_unit"]
    /// The columns every row has; any other is a user counter.
    private static let csvStandardColumns: Set<String> = [
        "name", "iterations", "real_time", "cpu_time", "time_unit", "label", "error_occurred", "error_message",
    ]

    static func matches(_ table: some Tabular) -> Bool {
        csvColumns.allSatisfy { table.index(of: $0) != nil }
    }

    /// `--benchmark_out=... --benchmark_out_format=csv` writes the run's
    /// context above the header (its date, `Running ./b`, the CPU, its
    /// caches, the load average): where the header starts, and the date the
    /// first line gives. Nil for any other text (its first line is a header
    /// or a row: it has a comma).
    static func csvContext(_ text: ArraySlice<UInt8>) -> (header: Int, date: Double?)? {
        let window = text.prefix(64 * 1024)
        guard let firstEnd = window.firstIndex(of: UInt8(ascii: "\n")),
            !window[..<firstEnd].contains(UInt8(ascii: ",")),
            let marker = ByteSearch.firstIndex(of: "\nname,iterations,", in: window)
        else { return nil }
        let firstLine = String(decoding: window[..<firstEnd], as: UTF8.self).trimmingBlanks()
        return (marker + 1, TimestampParsing.toolDate(firstLine))
    }

    static func extract<Table: Tabular>(_ table: Table) throws(Table.Failure) -> Extraction {
        guard let nameColumn = table.index(of: "name") else { return Extraction(shape: .googleBenchmark) }
        let errorColumn = table.index(of: "error_occurred")
        let messageColumn = table.index(of: "error_message")
        let realTimeColumn = table.index(of: "real_time")
        let counterColumns = table.header.indices.filter { !csvStandardColumns.contains(table.header[$0].lowercased()) }
        var entries: [[(key: String, value: JSONValue)]] = []
        var budget = RecordBudget()
        try table.forEachRow { row in
            guard budget.admits(row.place) else { return false }
            let name = row.string(nameColumn)
            var entry: [(key: String, value: JSONValue)] = [("name", .string(name))]
            let failed = errorColumn.map { row.string($0).trimmingBlanks().lowercased() == "true" } ?? false
            let message = messageColumn.flatMap { row.isBlank($0) ? nil : row.string($0) }
            if failed {
                entry.append(("error_occurred", .bool(true)))
                entry.append(("error_message", .string(message ?? "error occurred")))
            } else if let message, realTimeColumn.map({ row.isBlank($0) }) ?? true {
                entry.append(("skipped", .bool(true)))
                entry.append(("skip_message", .string(message)))
            }
            for column in [table.index(of: "iterations"), realTimeColumn, table.index(of: "cpu_time")].compactMap({ $0 }) {
                if let value = row.double(column) { entry.append((table.header[column].lowercased(), .number(value))) }
            }
            if let unitColumn = table.index(of: "time_unit"), !row.isBlank(unitColumn) {
                entry.append(("time_unit", .string(row.string(unitColumn).trimmingBlanks())))
            }
            for column in counterColumns {
                if let value = row.double(column) { entry.append((table.header[column], .number(value))) }
            }
            budget.spend(entries: 1)
            budget.spend(numbers: entry.count)
            budget.spend(text: name)
            entries.append(entry)
            return true
        }
        // Without `run_type`, as old JSON is: `extract` tells aggregates and complexity fits by their names.
        var extraction = extract(.object([("benchmarks", .array(entries.map { .object($0) }))]))
        if let note = budget.note { extraction.notes.append(note) }
        return extraction
    }
}
