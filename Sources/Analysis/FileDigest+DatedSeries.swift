import Records

extension FileDigest {
    /// A dated table's columns as its benchmarks' sessions: each column's
    /// values cut where the table's rows, all columns together, pause for
    /// longer than `gap` seconds (less the longer row's own time: nightly
    /// builds of 40 minutes back to back are one night, not a night a
    /// build; a time longer than the wait between the rows, an `uptime_s`
    /// or a build's CPU seconds on many cores, is no row's own), each
    /// stretch a `Measurement` dated by its last row.
    static func sessions(of dated: [DatedSeries], gap: Double) -> [Records.Measurement] {
        guard !dated.isEmpty else { return [] }
        // Each row's time, with the longest time measured at it.
        var lasting: [Double: Double] = [:]
        for series in dated {
            let scale = series.higherIsBetter ? 0 : BenchmarkSessions.secondsPer[series.unit] ?? 0
            for (time, value) in zip(series.times, series.values) {
                let seconds = value * scale
                lasting[time] = max(lasting[time] ?? 0, seconds.isFinite && seconds > 0 ? seconds : 0)
            }
        }
        let times = lasting.keys.sorted()
        var pauses: [Double] = []
        for index in times.indices.dropFirst() {
            let between = times[index] - times[index - 1]
            let own = [lasting[times[index]] ?? 0, lasting[times[index - 1]] ?? 0].filter { $0 <= between }.max() ?? 0
            if between - own > gap { pauses.append(times[index]) }
        }
        var measurements: [Records.Measurement] = []
        for series in dated {
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
                measurements.append(session)
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
        }
        return measurements
    }
}
