import Records

extension FileDigest {
    /// A dated table's columns as its benchmarks' sessions: each column's
    /// values cut where the table's rows, all columns together, pause for
    /// longer than `gap` seconds (less the longer row's own time: nightly
    /// builds of 40 minutes back to back are one night, not a night a
    /// build; a time longer than the wait between the rows, an `uptime_s`
    /// or a build's CPU seconds on many cores, is no row's own), each
    /// stretch a `Measurement` dated by its last row. The last, while it
    /// has fewer rows than the nights before it, is listed but not tested.
    static func sessions(of dated: [DatedSeries], gap: Double) -> [Records.Measurement] {
        guard !dated.isEmpty else { return [] }
        // Each row's time, with the times measured at it (a build's wall
        // time beside its CPU seconds: the longest that fits the wait is its own).
        var lasting: [Double: [Double]] = [:]
        for series in dated {
            let scale = series.higherIsBetter ? 0 : BenchmarkSessions.secondsPer[series.unit] ?? 0
            for (time, value) in zip(series.times, series.values) {
                let seconds = value * scale
                lasting[time, default: []].append(seconds.isFinite && seconds > 0 ? seconds : 0)
            }
        }
        let times = lasting.keys.sorted()
        var pauses: [Double] = []
        for index in times.indices.dropFirst() {
            let between = times[index] - times[index - 1]
            let durations = (lasting[times[index]] ?? []) + (lasting[times[index - 1]] ?? [])
            let own = durations.filter { $0 <= between }.max() ?? 0
            if between - own > gap { pauses.append(times[index]) }
        }
        var measurements: [Records.Measurement] = []
        for series in dated {
            var sessions: [Records.Measurement] = []
            // In time order; rows of one time in file order.
            let order = series.times.indices.sorted { (series.times[$0], $0) < (series.times[$1], $1) }
            var values: [Double] = []
            var end: Double? = nil
            var current: Int? = nil
            func close() {
                guard let end, !values.isEmpty else { return }
                var session = Records.Measurement(
                    tool: DatedSeries.tool, name: series.benchmark, parameters: series.parameters, unit: series.unit,
                    higherIsBetter: series.higherIsBetter, count: values.count, samples: values)
                // Dated by its last row: a night still being appended to is
                // measured later with each row, so it is tested again as it
                // grows (read up to its first row, it never was).
                session.measuredAt = end
                session.fillFromSamples()
                sessions.append(session)
            }
            for index in order {
                let time = series.times[index]
                let here = FileDigest.stretch(of: time, pauses: pauses)
                if let current, here != current {
                    close()
                    values = []
                }
                current = here
                end = time
                values.append(series.values[index])
            }
            close()
            // A last night with fewer rows than the nights before it is one
            // still being written (a row a run, a report after each): tested
            // once it has as many, not on its first row alone (a cold first
            // build, slower every night, opened a regression every night).
            let earlier = sessions.dropLast().map { $0.count ?? 0 }.sorted()
            if let last = sessions.indices.last, !earlier.isEmpty, (sessions[last].count ?? 0) < earlier[earlier.count / 2] {
                sessions[last].isRegressionTested = false
            }
            measurements += sessions
        }
        return measurements
    }
}
