extension Extraction {
    /// About how many bytes the records take in memory (an overestimate:
    /// shared strings are counted for each use). Their encoded form takes
    /// about as much again. Used to keep finished files waiting for the
    /// store within a bound.
    package var approximateBytes: Int {
        func text(_ value: String?) -> Int { (value?.utf8.count ?? 0) + 16 }
        func parameters(_ values: [Parameter]) -> Int { values.reduce(32) { $0 + text($1.name) + text($1.value) } }
        var total = 256 + parameters(environment) + notes.reduce(0) { $0 + text($1) }
        for set in runSets {
            total += 128 + text(set.model) + parameters(set.configuration) + set.columns.count * 72
            total += set.columns.errors.values.reduce(0) { $0 + 24 + text($1) }
        }
        for row in aggregates {
            total += 64 + text(row.model) + parameters(row.configuration) + row.metrics.keys.reduce(0) { $0 + text($1) + 8 }
        }
        for result in compilation {
            total += 128 + text(result.model) + text(result.backend) + text(result.error) + parameters(result.parameters)
        }
        for result in llamaBench {
            total +=
                64 + text(result.model) + text(result.test) + parameters(result.parameters) + result.samples.count * 8
                + parameters(result.environment) + text(result.testTime)
        }
        for measurement in measurements {
            total +=
                128 + text(measurement.tool) + text(measurement.name) + text(measurement.unit)
                + parameters(measurement.parameters) + measurement.samples.count * 8 + text(measurement.failure ?? "")
        }
        for series in series { total += 32 + text(series.name) + series.values.count * 8 }
        return total
    }
}
