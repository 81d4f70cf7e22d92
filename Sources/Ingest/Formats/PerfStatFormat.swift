import Records

/// `perf stat`'s machine-readable output: `-x,` (a line an event:
/// `1234.56,msec,task-clock,1234560123,100.00,0.999,CPUs utilized`, with
/// `-r N` a variance field after the event) and `-j` (a JSON object an
/// event, its `counter-value` a string), each after the `# started on ...`
/// line `-o FILE` writes first.
///
/// Each event is a benchmark of the file (`task-clock` in ms is a time,
/// and tested night to night; counts are listed). An event the machine
/// could not count (`<not supported>`, `<not counted>`: no access to the
/// CPU's counters in a VM or container) is noted, never a zero.
///
///     PerfStatFormat.extract(csv: text)   // nil: not perf stat's output
///     PerfStatFormat.matches(rows)        // a JSON array of -j's objects
enum PerfStatFormat {
    /// One event as perf printed it.
    private struct Event {
        var name: String
        var value: String
        var unit: String
    }

    /// The units perf prints beside a count (none for most).
    private static let units: Set<String> = ["", "msec", "ns", "us", "ms", "Joules", "MiB", "GHz", "W"]

    /// Values perf writes for an event it did not count.
    private static func isUncounted(_ value: String) -> Bool { value.hasPrefix("<") && value.hasSuffix(">") }

    /// The `-x,` output's events, or nil when a line is not one (every
    /// non-comment line must be, and one at least).
    static func extract(csv text: ArraySlice<UInt8>) -> Extraction? {
        var events: [Event] = []
        // Line by line, stopping at the first that is not perf's: every CSV
        // passes here, and a run table is told apart by its first line.
        var start = text.startIndex
        while start < text.endIndex {
            let end = text[start...].firstIndex(of: 0x0A) ?? text.endIndex
            let line = text[start..<end]
            start = end < text.endIndex ? text.index(after: end) : end
            let string = String(decoding: line, as: UTF8.self).trimmingBlanks()
            if string.isEmpty || string.hasPrefix("#") { continue }
            var fields = string.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingBlanks() }
            // A raw event's own commas (`cpu/event=0x3c,umask=0x0/`) are its name's.
            if fields.count > 3, fields[2].contains("/"), !fields[2].hasSuffix("/"),
                let closing = fields[3...].firstIndex(where: { $0.hasSuffix("/") })
            {
                fields[2] = fields[2...closing].joined(separator: ",")
                fields.removeSubrange(3...closing)
            }
            guard fields.count >= 5, events.count < IngestLimits.maximumNumbers else { return nil }
            let (value, unit, name) = (fields[0], fields[1], fields[2])
            // A number or perf's own word for none, one of its units, an
            // event name (`task-clock`, `cpu/event=0x3c/`), then the time it
            // ran (ns; with `-r`, the variance first: `0.52%`) and the share
            // of it counted.
            let ran = fields[3].hasSuffix("%") ? fields[4] : fields[3]
            guard NumberParsing.double(value) != nil || isUncounted(value), units.contains(unit), name.first?.isLetter == true,
                !ran.isEmpty, ran.allSatisfy(\.isNumber)
            else { return nil }
            events.append(Event(name: TextCuts.text(name), value: value, unit: unit))
        }
        return events.isEmpty ? nil : extraction(events)
    }

    /// Whether JSON rows are `perf stat -j`'s events.
    static func matches(_ rows: some Tabular) -> Bool {
        rows.index(of: "counter-value") != nil && rows.index(of: "event") != nil
    }

    static func extract<Table: Tabular>(_ rows: Table) throws(Table.Failure) -> Extraction {
        var events: [Event] = []
        let value = rows.index(of: "counter-value")
        let event = rows.index(of: "event")
        let unit = rows.index(of: "unit")
        try rows.forEachRow { row in
            guard let value, let event, events.count < IngestLimits.maximumNumbers else { return false }
            let name = row.string(event).trimmingBlanks()
            if !name.isEmpty {
                events.append(
                    Event(
                        name: TextCuts.text(name), value: row.string(value).trimmingBlanks(),
                        unit: unit.map { row.string($0).trimmingBlanks() } ?? ""))
            }
            return true
        }
        return extraction(events)
    }

    private static func extraction(_ events: [Event]) -> Extraction {
        var measurements: [Measurement] = []
        var uncounted: [String] = []
        for event in events {
            guard let value = NumberParsing.double(event.value), value.isFinite else {
                uncounted.append("\(event.name) (\(event.value))")
                continue
            }
            // perf writes `msec` for its clocks: a time, tested as such;
            // counts are listed, not tested.
            let isTime = event.unit == "msec"
            let unit = isTime ? "ms" : event.unit.isEmpty ? "count" : event.unit
            measurements.append(
                Measurement(tool: "perf stat", name: event.name, unit: unit, mean: value, count: 1, isRegressionTested: isTime))
        }
        var notes: [String] = []
        if !uncounted.isEmpty {
            notes.append(
                "not counted: \(uncounted.prefix(8).joined(separator: ", "))\(uncounted.count > 8 ? ", ..." : "") (perf could not count them: no access to the CPU's counters in a VM or a container, or the event never ran)"
            )
        }
        return Extraction(shape: .perfStat, measurements: measurements, notes: notes)
    }
}
