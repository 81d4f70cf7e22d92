import Foundation
import Records

/// Numbers from files that match no known shape, kept as named series so nothing
/// numeric is dropped: numeric CSV columns, JSON leaves by path (array indices
/// folded to `[]`), Markdown tables (`MarkdownRows`) read as CSV ones.
enum GenericSeriesFormat {
    static let maximumSeries = 200

    /// Every numeric column (each non-blank cell a number, at least one),
    /// read in one pass. Values are kept while a column stays numeric and
    /// dropped when it meets text; reading stops when the kept numbers reach
    /// `IngestLimits.maximumNumbers`, and the columns are judged on the rows read.
    /// A table measured under settings is read again, its numbers split by
    /// them (`GenericSeriesFormat+Groups`).
    static func extract<Table: Tabular>(_ table: Table, notes: inout [String]) throws(Table.Failure) -> [Series] {
        var dated: [DatedSeries] = []
        var quantities = false
        return try read(table, notes: &notes, splitOnly: false, datingAs: nil, dated: &dated, quantities: &quantities) ?? []
    }

    /// The same for a CSV file at `path` (under its input), whose rows may be
    /// dated: its time and rate columns are then the sessions of benchmarks
    /// (`GenericSeriesFormat+Dates`), the rest series. A table whose cells
    /// carry units (`12.3 ms`, `45%`, `"3,503"`) is read again at each
    /// column's scale (`QuantityRows`), as its Markdown twin is.
    static func extract<Table: Tabular>(
        _ table: Table, path: String, notes: inout [String]
    ) throws(Table.Failure) -> (series: [Series], dated: [DatedSeries]) {
        var dated: [DatedSeries] = []
        var found: [String] = []
        var quantities = false
        let series = try read(table, notes: &found, splitOnly: false, datingAs: path, dated: &dated, quantities: &quantities) ?? []
        if quantities {
            // Columns that name a setting or the benchmark hold labels (`model` = `7b`), whatever
            // they look like; one named as a time or a rate (`build_s`: a word of it a setting's) is measured.
            let measured = table.header.indices.filter { column in
                let header = table.header[column]
                return namesElapsedTime(header) || judgement(of: header) != nil || (!namesTextSetting(header) && !namesBenchmark(header))
            }
            let scaled = try QuantityRows(table, columns: Set(measured), unit: unitOf)
            if scaled.readsUnits {
                var again: [DatedSeries] = []
                found = scaled.notes
                let series = try read(scaled, notes: &found, splitOnly: false, datingAs: path, dated: &again, quantities: &quantities) ?? []
                notes += found + (series.isEmpty && again.isEmpty ? scaled.abbreviations : [])
                return (series, again)
            }
            // A table of `1.2k`s alone says why it holds no numbers.
            if series.isEmpty && dated.isEmpty { found += scaled.abbreviations }
        }
        notes += found
        return (series, dated)
    }

    /// The table's numbers split by its settings or benchmark names, or nil
    /// when it has none: an array of JSON objects labelled by a `backend` is
    /// read so, where its numbers by path (`[].seconds`) pooled every backend.
    static func extractSplit<Table: Tabular>(_ table: Table, notes: inout [String]) throws(Table.Failure) -> [Series]? {
        // Its notes only when it is read so (the path reading gives its own).
        var found: [String] = []
        var dated: [DatedSeries] = []
        var quantities = false
        guard let series = try read(table, notes: &found, splitOnly: true, datingAs: nil, dated: &dated, quantities: &quantities) else {
            return nil
        }
        notes += found
        return series
    }

    /// `datingAs`: the file's path, when a time column may date the rows;
    /// the columns it makes benchmarks go to `dated`, not to the series.
    /// `quantities` is set when a column was read as text from a cell that
    /// holds a number with its unit (`12.3 ms`).
    private static func read<Table: Tabular>(
        _ table: Table, notes: inout [String], splitOnly: Bool, datingAs: String?, dated: inout [DatedSeries], quantities: inout Bool
    ) throws(Table.Failure) -> [Series]? {
        let width = table.header.count
        var values = [[Double]](repeating: [], count: width)
        var sawText = [Bool](repeating: false, count: width)
        // Columns with clock-written times (`1:02.50`), and whether one of
        // them has a fraction of a second (no time of day has).
        var sawClock = [Bool](repeating: false, count: width)
        var sawFraction = [Bool](repeating: false, count: width)
        var sawHours = [Bool](repeating: false, count: width)
        var profiles = [ColumnProfile](repeating: ColumnProfile(), count: width)
        // Cells that hold no number (`NaN`, `N/A`): left out of a column of numbers, said.
        var missing = [(count: Int, written: Set<String>)](repeating: (0, []), count: width)
        var rows = 0
        var budget = RecordBudget()
        try table.forEachRow { row in
            guard budget.admits(row.place) else { return false }
            rows += 1
            // Each cell read once, for the column's profile (while it may be a
            // setting) and for its values (while it is numbers).
            for column in 0..<width where !row.isBlank(column) {
                let profiling = !profiles[column].isSettled
                // Past its values, a column still counts its cells: a column
                // naming the benchmark splits only when no row lacks a name;
                // and a column of times its times, which date the rows only
                // when nine in ten are (ISO times settle a profile in 20 rows).
                if !profiling {
                    profiles[column].cells += 1
                    if profiles[column].timeCells > 0, row.double(column) == nil {
                        profiles[column].countText(isTime: row.timestamp(column) != nil, text: { row.string(column).trimmingBlanks() })
                    }
                }
                guard profiling || !sawText[column] else { continue }
                let number = row.double(column)
                let clock =
                    number == nil && row.byteCount(column) <= ClockDuration.maximumBytes ? ClockDuration(row.string(column)) : nil
                if profiling {
                    if let number {
                        profiles[column].add(number: number)
                    } else {
                        let isTime = row.timestamp(column) != nil || clock != nil
                        profiles[column].add(text: row.string(column).trimmingBlanks(), isTime: isTime)
                    }
                }
                guard !sawText[column] else { continue }
                if let number {
                    values[column].append(number)
                    budget.spend(numbers: 1)
                } else if let clock {
                    values[column].append(clock.seconds)
                    sawClock[column] = true
                    sawFraction[column] = sawFraction[column] || clock.hasFraction
                    sawHours[column] = sawHours[column] || clock.hasHours
                    budget.spend(numbers: 1)
                } else if MissingValue.isMarker(row.string(column)) {
                    missing[column].count += 1
                    if missing[column].written.count < 3 { missing[column].written.insert(row.string(column).trimmingBlanks()) }
                } else {
                    sawText[column] = true
                    if !quantities, ColumnScale.quantity(row.string(column), decimalComma: row.writesDecimalComma) != nil { quantities = true }
                    budget.spend(numbers: -values[column].count)
                    values[column] = []
                }
            }
            return true
        }
        if let note = budget.note { notes.append(note) }
        var series: [Series] = []
        var numeric = 0
        var names = columnNames(table.header)
        for column in 0..<width where sawClock[column] {
            // `12:30` alone may be a time of day: a column of them is read as
            // elapsed times only when its name says so, or its cells are
            // `m:ss.ff` (a time of day has hours) in a column not named as
            // moments (`start_time`).
            let header = table.header[column]
            let minutesWithFraction = sawFraction[column] && !sawHours[column]
            if ClockDuration.namesDuration(header) || (minutesWithFraction && !ClockDuration.namesMoment(header)) {
                names[column] += " (s)"
            } else {
                sawText[column] = true
                values[column] = []
            }
        }
        var numericColumns = (0..<width).map { !sawText[$0] && !values[$0].isEmpty }
        let settings = settingColumns(profiles, numeric: numericColumns, header: table.header, rows: rows)
        // A run counter is no measurement: said, and read as none.
        let counters = (0..<width).filter { column in
            numericColumns[column] && !settings.contains(column) && namesCounter(table.header[column]) && isRunningCount(values[column])
        }
        // A setting with one value in every row is no measurement either.
        let constants = (0..<width).filter { column in
            let header = table.header[column]
            return numericColumns[column] && !settings.contains(column) && profiles[column].distinct == 1
                && ((profiles[column].allWhole && namesSetting(header)) || isSamplingSetting(header, profiles[column]))
        }
        for column in counters + constants { numericColumns[column] = false }
        var found: [String] = []
        // A setting's `N/A` is a value of its own (its rows a group), never left out.
        for column in 0..<width where numericColumns[column] && !settings.contains(column) && missing[column].count > 0 {
            found.append(
                missingNote(
                    missing[column].count, of: missing[column].count + values[column].count, written: missing[column].written,
                    column: table.header[column]))
        }
        if !counters.isEmpty { found.append(countersNote(counters.map { table.header[$0] })) }
        for column in constants {
            let value = values[column].first.map { $0 == $0.rounded() && abs($0) < 1e15 ? "\(Int($0))" : "\($0)" } ?? ""
            found.append("'\(TextCuts.text(table.header[column]))' is \(value) in every row: a setting, not a series")
        }
        let elapsed = Set((0..<width).filter { numericColumns[$0] && !settings.contains($0) && namesElapsedTime(table.header[$0]) })
        if let datingAs, !splitOnly {
            if let reading = try dating(
                table, rows: rows, profiles: profiles, numeric: numericColumns, settings: settings, names: names, clocks: sawClock,
                elapsed: elapsed, path: datingAs, notes: &found)
            {
                dated = reading.series
                // Its settings are the benchmarks' parameters, no series of their own.
                for column in reading.columns + settings { numericColumns[column] = false }
            } else if let time = timeColumn(table, rows: rows, profiles: profiles, numeric: numericColumns), numericColumns[time],
                table.header[time].hasPrefix("column "), numericColumns.indices.contains(where: { $0 != time && numericColumns[$0] })
            {
                // A header-less night's line (`$(date +%s),$secs`): its seconds since 1970 date
                // the rows, no series of numbers near 1.76e9. A named column keeps what it was
                // (a `time` of whole nanoseconds looks alike), and so does a file of one column.
                numericColumns[time] = false
            }
        }
        if !settings.isEmpty {
            let measured = (0..<width).filter { numericColumns[$0] && !settings.contains($0) }.map { (column: $0, name: names[$0]) }
            if !measured.isEmpty {
                let named = settings.map { (column: $0, name: names[$0]) }
                notes += found
                return try grouped(table, rows: rows, settings: named, measured: measured, elapsed: elapsed, notes: &notes)
            }
        }
        if splitOnly { return nil }
        notes += found
        for column in elapsed.sorted() where numericColumns[column] {
            let kept = values[column].filter { $0 >= 0 }
            guard kept.count < values[column].count else { continue }
            notes.append(negativeTimesNote(values[column].count - kept.count, column: table.header[column]))
            values[column] = kept
            numericColumns[column] = !kept.isEmpty
        }
        for column in 0..<width where numericColumns[column] {
            numeric += 1
            if series.count < maximumSeries { series.append(Series(name: names[column], values: values[column])) }
        }
        if numeric > maximumSeries {
            notes.append("\(numeric) numeric columns: the first \(maximumSeries) are kept as series, \(numeric - maximumSeries) left out")
        }
        return series
    }

    /// The unit of time a column's header gives its cells: `Latency (ms)`, or
    /// an elapsed time's name (`build_s`, `p50_ms`; not a rate's `tokens_s`).
    static func unitOf(_ header: String) -> String? {
        ColumnScale.headerUnit(header) ?? (namesElapsedTime(header) ? timeUnit(ColumnName.canonical(header)) : nil)
    }

    /// Each column's series name: its header, with its position where the
    /// header leaves it unnamed or names it as an earlier column (`time,time`
    /// gives `time` and `time (column 2)`): two series of one name would read
    /// as one figure listed twice.
    static func columnNames(_ header: [String]) -> [String] {
        var seen: Set<String> = []
        return header.enumerated().map { column, name in
            if name.isEmpty { return "column \(column + 1)" }
            return seen.insert(name.lowercased()).inserted ? name : "\(name) (column \(column + 1))"
        }
    }

    /// Numeric leaves by path, up to `IngestLimits.maximumNumbers` of them.
    static func extract(_ document: JSONValue, notes: inout [String]) -> [Series] {
        var order: [String] = []
        var values: [String: [Double]] = [:]
        var budget = RecordBudget()
        var seen = 0
        // Numbers under paths past the series limit: counted for the note
        // (their paths are not kept: a document may have a million).
        var leftOut = 0
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .number(let number):
                seen += 1
                guard budget.admits("number \(seen) of the document") else { return }
                if values[path] == nil {
                    guard order.count < maximumSeries else {
                        leftOut += 1
                        return
                    }
                    order.append(path)
                }
                values[path, default: []].append(number)
                budget.spend(numbers: 1)
            case .object(let members):
                for (key, child) in members { walk(child, childPath(path, key, separator: ".")) }
            case .array(let elements):
                let inner = childPath(path, "[]", separator: "")
                for element in elements { walk(element, inner) }
            default:
                break
            }
        }
        walk(document, "")
        if let note = budget.note { notes.append(note) }
        if leftOut > 0 {
            notes.append(
                "numbers under more than \(maximumSeries) paths: the first \(maximumSeries) paths are kept as series, \(leftOut) numbers under further paths left out"
            )
        }
        return order.map { Series(name: TextCuts.text($0), values: values[$0] ?? []) }
    }

    /// A child's path; one already past the text limit grows no more (a
    /// document of long keys nested 500 deep would build gigabytes of paths).
    private static func childPath(_ path: String, _ key: String, separator: String) -> String {
        if TextCuts.isTooLong(path.utf8.count) { return path }
        return path.isEmpty && !separator.isEmpty ? key : path + separator + key
    }
}
