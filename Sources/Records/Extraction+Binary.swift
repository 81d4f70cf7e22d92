extension Extraction {
    /// Bumped whenever the layout below changes; the store re-ingests older blobs.
    public static let binaryVersion = 1

    public func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: 64 + runSets.reduce(0) { $0 + $1.runs.count * 80 })
        w.writeVarint(Extraction.binaryVersion)
        w.write(shape.rawValue)
        w.write(modelHint)
        w.write(environment)
        w.writeVarint(runSets.count)
        for set in runSets {
            w.write(set.model)
            w.write(set.configuration)
            w.writeVarint(set.runs.count)
            for run in set.runs {
                w.writeVarint(run.ordinal)
                w.write(run.promptKey)
                w.write(run.tokensPerSecond)
                w.write(run.ttftSeconds)
                w.write(run.loadSeconds)
                w.write(run.promptEvalSeconds)
                w.write(run.evalSeconds)
                w.write(run.promptEvalCount)
                w.write(run.evalCount)
                w.write(run.error)
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
            w.write(r.samples)
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
            w.write(m.samples)
        }
        w.writeVarint(series.count)
        for s in series {
            w.write(s.name)
            w.write(s.values)
        }
        w.writeVarint(notes.count)
        for note in notes { w.write(note) }
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws {
        var r = BinaryReader(bytes)
        let version = try r.readVarint()
        guard version == Extraction.binaryVersion else {
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
            let runCount = try r.readCount(elementSize: 66)
            var runs = [LLMRun]()
            runs.reserveCapacity(runCount)
            for _ in 0..<runCount {
                runs.append(
                    LLMRun(
                        ordinal: try r.readVarint(),
                        promptKey: try r.readUInt64(),
                        tokensPerSecond: try r.readOptionalDouble(),
                        ttftSeconds: try r.readOptionalDouble(),
                        loadSeconds: try r.readOptionalDouble(),
                        promptEvalSeconds: try r.readOptionalDouble(),
                        evalSeconds: try r.readOptionalDouble(),
                        promptEvalCount: try r.readOptionalDouble(),
                        evalCount: try r.readOptionalDouble(),
                        error: try r.readOptionalString()
                    ))
            }
            runSets.append(RunSet(model: model, configuration: configuration, runs: runs))
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
                    samples: try r.readDoubles()))
        }
        var measurements: [Measurement] = []
        for _ in 0..<(try r.readCount()) {
            measurements.append(
                Measurement(
                    tool: try r.readString(), name: try r.readString(), parameters: try r.readParameters(),
                    unit: try r.readString(), higherIsBetter: try r.readBool(), mean: try r.readOptionalDouble(),
                    median: try r.readOptionalDouble(), stddev: try r.readOptionalDouble(),
                    min: try r.readOptionalDouble(), max: try r.readOptionalDouble(),
                    count: try r.readOptionalDouble().flatMap { Int(exactly: $0) }, samples: try r.readDoubles()))
        }
        var series: [Series] = []
        for _ in 0..<(try r.readCount()) {
            series.append(Series(name: try r.readString(), values: try r.readDoubles()))
        }
        var notes: [String] = []
        for _ in 0..<(try r.readCount()) { notes.append(try r.readString()) }
        guard r.isAtEnd else { throw BinaryReader.Failure.invalid("trailing bytes at \(r.offset)") }
        self.init(
            shape: shape, modelHint: modelHint, environment: environment, runSets: runSets,
            aggregates: aggregates, compilation: compilation, llamaBench: llamaBench,
            measurements: measurements, series: series, notes: notes)
    }
}
