extension Extraction {
    /// Bumped whenever the layout below changes; the store re-ingests older blobs.
    package static let binaryVersion = 10
    /// The versions still read: 7 differs from 8 only by the measurements'
    /// dates, 8 from 9 by their failures by message, and 9 from 10 by
    /// whether their samples are appended runs, so the stored earlier
    /// versions of rewritten files (history no re-read can bring back) stay
    /// readable across the upgrade.
    static let readableVersions = 7...10

    package func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: 256 + runSets.reduce(0) { $0 + $1.columns.count * 72 })
        w.writeVarint(Extraction.binaryVersion)
        w.write(shape.rawValue)
        w.write(modelHint)
        w.write(environment)
        w.writeVarint(runSets.count)
        for set in runSets {
            w.write(set.model)
            w.write(set.configuration)
            let c = set.columns
            w.writeRaw(c.promptKey)
            for column in [
                c.tokensPerSecond, c.ttftSeconds, c.loadSeconds, c.promptEvalSeconds, c.evalSeconds, c.promptEvalCount, c.evalCount, c.timestamps,
            ] {
                w.writeRaw(column)
            }
            w.writeVarint(c.errors.count)
            for (index, error) in c.errors.sorted(by: { $0.key < $1.key }) {
                w.writeVarint(index)
                w.write(error)
            }
        }
        w.writeVarint(aggregates.count)
        for row in aggregates {
            w.write(row.model)
            w.write(row.configuration)
            w.writeVarint(row.metrics.count)
            for (name, value) in row.metrics.sorted(by: { $0.key < $1.key }) {
                w.write(name)
                w.write(value)
            }
        }
        w.writeVarint(compilation.count)
        for c in compilation {
            w.write(c.model)
            w.write(c.backend)
            w.write(c.succeeded)
            w.write(c.error)
            w.write(c.compileSeconds)
            w.write(c.meanMilliseconds)
            w.write(c.stddevMilliseconds)
            w.write(c.minMilliseconds)
            w.write(c.maxMilliseconds)
            w.write(c.parameters)
        }
        w.writeVarint(llamaBench.count)
        for r in llamaBench {
            w.write(r.model)
            w.write(r.test)
            w.write(r.parameters)
            w.write(r.tokensPerSecond)
            w.write(r.stddevTokensPerSecond)
            w.writeRaw(r.samples)
            w.write(r.environment)
            w.write(r.testTime)
        }
        w.writeVarint(measurements.count)
        for m in measurements {
            w.write(m.tool)
            w.write(m.name)
            w.write(m.parameters)
            w.write(m.unit)
            w.write(m.higherIsBetter)
            w.write(m.mean)
            w.write(m.median)
            w.write(m.stddev)
            w.write(m.min)
            w.write(m.max)
            w.write(m.count.map(Double.init))
            w.writeRaw(m.samples)
            w.write(m.failure)
            w.writeVarint(m.failedRuns)
            w.write(m.isRegressionTested)
            w.write(m.measuredAt)
            w.writeVarint(m.failuresByMessage.count)
            for failure in m.failuresByMessage {
                w.write(failure.message)
                w.writeVarint(failure.count)
            }
            w.writeVarint(Int(m.appendedRuns?.rawValue ?? 0))
        }
        w.writeVarint(series.count)
        for s in series {
            w.write(s.name)
            w.writeRaw(s.values)
        }
        w.writeVarint(notes.count)
        for note in notes { w.write(note) }
        w.write(measuredAt)
        return w.bytes
    }

    package init(decoding bytes: [UInt8]) throws {
        var r = BinaryReader(bytes)
        let version = try r.readVarint()
        guard Extraction.readableVersions.contains(version) else {
            throw BinaryReader.Failure.invalid("extraction format \(version), expected \(Extraction.binaryVersion)")
        }
        let shapeName = try r.readString()
        guard let shape = Shape(rawValue: shapeName) else {
            throw BinaryReader.Failure.invalid("unknown shape \(shapeName)")
        }
        let modelHint = try r.readOptionalString()
        let environment = try r.readParameters()
        var runSets: [RunSet] = []
        for _ in 0..<(try r.readCount()) {
            let model = try r.readOptionalString()
            let configuration = try r.readParameters()
            var columns = RunColumns()
            columns.promptKey = try r.readRawUInt64()
            columns.tokensPerSecond = try r.readRawDoubles()
            columns.ttftSeconds = try r.readRawDoubles()
            columns.loadSeconds = try r.readRawDoubles()
            columns.promptEvalSeconds = try r.readRawDoubles()
            columns.evalSeconds = try r.readRawDoubles()
            columns.promptEvalCount = try r.readRawDoubles()
            columns.evalCount = try r.readRawDoubles()
            columns.timestamps = try r.readRawDoubles()
            let count = columns.promptKey.count
            for column in [
                columns.tokensPerSecond, columns.ttftSeconds, columns.loadSeconds, columns.promptEvalSeconds,
                columns.evalSeconds, columns.promptEvalCount, columns.evalCount, columns.timestamps,
            ] where column.count != count {
                throw BinaryReader.Failure.invalid("run columns of different lengths")
            }
            for _ in 0..<(try r.readCount()) {
                let index = try r.readVarint()
                guard index < count else { throw BinaryReader.Failure.invalid("error for run \(index) of \(count)") }
                columns.errors[index] = try r.readString()
            }
            runSets.append(RunSet(model: model, configuration: configuration, columns: columns))
        }
        var aggregates: [AggregateRow] = []
        for _ in 0..<(try r.readCount()) {
            let model = try r.readOptionalString()
            let configuration = try r.readParameters()
            var metrics: [String: Double] = [:]
            for _ in 0..<(try r.readCount()) {
                let name = try r.readString()
                metrics[name] = try r.readDouble()
            }
            aggregates.append(AggregateRow(model: model, configuration: configuration, metrics: metrics))
        }
        var compilation: [CompilationResult] = []
        for _ in 0..<(try r.readCount()) {
            compilation.append(
                CompilationResult(
                    model: try r.readString(), backend: try r.readString(), succeeded: try r.readBool(),
                    error: try r.readOptionalString(), compileSeconds: try r.readOptionalDouble(),
                    meanMilliseconds: try r.readOptionalDouble(), stddevMilliseconds: try r.readOptionalDouble(),
                    minMilliseconds: try r.readOptionalDouble(), maxMilliseconds: try r.readOptionalDouble(),
                    parameters: try r.readParameters()))
        }
        var llamaBench: [LlamaBenchResult] = []
        for _ in 0..<(try r.readCount()) {
            llamaBench.append(
                LlamaBenchResult(
                    model: try r.readString(), test: try r.readString(), parameters: try r.readParameters(),
                    tokensPerSecond: try r.readDouble(), stddevTokensPerSecond: try r.readOptionalDouble(),
                    samples: try r.readRawDoubles(), environment: try r.readParameters(), testTime: try r.readOptionalString()))
        }
        var measurements: [Measurement] = []
        for _ in 0..<(try r.readCount()) {
            var measurement = Measurement(
                tool: try r.readString(), name: try r.readString(), parameters: try r.readParameters(),
                unit: try r.readString(), higherIsBetter: try r.readBool(), mean: try r.readOptionalDouble(),
                median: try r.readOptionalDouble(), stddev: try r.readOptionalDouble(),
                min: try r.readOptionalDouble(), max: try r.readOptionalDouble(),
                count: try r.readOptionalDouble().flatMap { Int(exactly: $0) }, samples: try r.readRawDoubles(),
                failure: try r.readOptionalString(), failedRuns: try r.readVarint(), isRegressionTested: try r.readBool())
            if version >= 8 { measurement.measuredAt = try r.readOptionalDouble() }
            if version >= 9 {
                for _ in 0..<(try r.readCount()) {
                    measurement.failuresByMessage.append(FailureCount(message: try r.readString(), count: try r.readVarint()))
                }
            }
            if version >= 10, case let code = try r.readVarint(), code != 0 {
                guard let kind = UInt8(exactly: code).flatMap(Measurement.AppendedRuns.init(rawValue:)) else {
                    throw BinaryReader.Failure.invalid("unknown kind of appended runs \(code)")
                }
                measurement.appendedRuns = kind
            }
            measurements.append(measurement)
        }
        var series: [Series] = []
        for _ in 0..<(try r.readCount()) {
            series.append(Series(name: try r.readString(), values: try r.readRawDoubles()))
        }
        var notes: [String] = []
        for _ in 0..<(try r.readCount()) { notes.append(try r.readString()) }
        let measuredAt = try r.readOptionalDouble()
        guard r.isAtEnd else { throw BinaryReader.Failure.invalid("trailing bytes at \(r.offset)") }
        self.init(
            shape: shape, modelHint: modelHint, environment: environment, runSets: runSets,
            aggregates: aggregates, compilation: compilation, llamaBench: llamaBench,
            measurements: measurements, series: series, notes: notes)
        self.measuredAt = measuredAt
    }
}
