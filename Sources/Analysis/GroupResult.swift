import Records

/// A run group's finished figures with the failures behind them: what a report
/// keeps of a group so the next report can reuse it while none of the group's
/// files changed (see `encoded()` below and the pipeline's `GroupCachePlan`).
package struct GroupResult: Sendable, Equatable {
    /// One failure message's share of the group: how many runs, from which files.
    package struct FailureShare: Sendable, Equatable {
        package var message: String
        package var count: Int
        package var sources: [String]
    }

    package var group: RunGroup
    package var failures: [FailureShare]

    /// Raised when a stored result is from another layout or damaged.
    /// 2: the samples the next report tests against. 3: the sessions.
    /// 4: the quartiles of tokens/s (the leaderboard's spread), last.
    /// 5: each session's store sequence (pinned baselines), and the change
    /// points of the session history, last. 6: prefill throughput, last.
    /// 7: the newest sessions' run values (the strip plots), after each
    /// session's figures.
    package static let binaryVersion = 7

    package var key: String { group.key }
}

extension GroupResult {
    package func encoded() -> [UInt8] {
        var w = BinaryWriter(capacity: 512)
        w.writeVarint(GroupResult.binaryVersion)
        let g = group
        w.write(g.model)
        w.write(g.modelSource)
        w.write(g.configuration)
        w.writeVarint(g.sources.count)
        for source in g.sources { w.write(source) }
        w.writeVarint(g.runsOK)
        w.writeVarint(g.runsFailed)
        w.writeVarint(g.duplicatesMerged)
        GroupResult.write(g.tokensPerSecond, &w)
        GroupResult.write(g.ttftSeconds, &w)
        w.write(g.coldStart != nil)
        if let cold = g.coldStart {
            w.writeVarint(cold.runs)
            GroupResult.write(cold.ttftSeconds, &w)
            GroupResult.write(cold.loadSeconds, &w)
        }
        w.write(g.isSweep)
        w.writeVarint(failures.count)
        for failure in failures {
            w.write(failure.message)
            w.writeVarint(failure.count)
            w.writeVarint(failure.sources.count)
            for source in failure.sources { w.write(source) }
        }
        GroupResult.write(g.tokensPerSecondSample, &w)
        GroupResult.write(g.ttftSample, &w)
        w.writeVarint(g.sessions.count)
        // A session's file and messages are the group's own (its sources, its
        // failures): kept as positions in those lists, a group of thousands of
        // sessions stays a few bytes a session.
        var sourceIndex: [String: Int] = [:]
        for (index, source) in g.sources.enumerated() where sourceIndex[source] == nil { sourceIndex[source] = index }
        var messageIndex: [String: Int] = [:]
        for (index, failure) in failures.enumerated() where messageIndex[failure.message] == nil {
            messageIndex[failure.message] = index
        }
        for session in g.sessions { GroupResult.write(session, sources: sourceIndex, messages: messageIndex, &w) }
        w.write(g.tokensPerSecondLowerQuartile)
        w.write(g.tokensPerSecondUpperQuartile)
        w.writeVarint(g.changePoints.count)
        for point in g.changePoints {
            w.writeVarint(TestedMetric.allCases.firstIndex(of: point.metric) ?? 0)
            w.writeVarint(point.session)
            w.write(point.before)
            w.write(point.after)
            w.write(point.pValue)
        }
        w.write(g.prefillTokens)
        w.write(g.prefillSeconds)
        return w.bytes
    }

    package init(decoding bytes: [UInt8]) throws {
        var r = BinaryReader(bytes)
        guard try r.readVarint() == GroupResult.binaryVersion else {
            throw BinaryReader.Failure.invalid("group result format")
        }
        let model = try r.readString()
        let modelSource = try r.readString()
        let configuration = try r.readParameters()
        var sources: [String] = []
        for _ in 0..<(try r.readCount()) { sources.append(try r.readString()) }
        let ok = try r.readVarint()
        let failed = try r.readVarint()
        let duplicates = try r.readVarint()
        let tokensPerSecond = try GroupResult.readSummary(&r)
        let ttft = try GroupResult.readSummary(&r)
        var cold: ColdStart? = nil
        if try r.readBool() {
            cold = ColdStart(runs: try r.readVarint(), ttftSeconds: try GroupResult.readSummary(&r), loadSeconds: try GroupResult.readSummary(&r))
        }
        let isSweep = try r.readBool()
        var failures: [FailureShare] = []
        for _ in 0..<(try r.readCount()) {
            let message = try r.readString()
            let count = try r.readVarint()
            var failureSources: [String] = []
            for _ in 0..<(try r.readCount()) { failureSources.append(try r.readString()) }
            failures.append(FailureShare(message: message, count: count, sources: failureSources))
        }
        let tokensPerSecondSample = try GroupResult.readSample(&r)
        let ttftSample = try GroupResult.readSample(&r)
        var sessions: [Session] = []
        for _ in 0..<(try r.readCount()) {
            sessions.append(try GroupResult.readSession(&r, sources: sources, messages: failures.map(\.message)))
        }
        let lowerQuartile = try r.readOptionalDouble()
        let upperQuartile = try r.readOptionalDouble()
        var changePoints: [GroupChangePoint] = []
        for _ in 0..<(try r.readCount()) {
            let metric = try r.readVarint()
            let session = try r.readVarint()
            guard metric < TestedMetric.allCases.count, session < sessions.count else {
                throw BinaryReader.Failure.invalid("group result change point")
            }
            changePoints.append(
                GroupChangePoint(
                    metric: TestedMetric.allCases[metric], session: session, before: try r.readDouble(), after: try r.readDouble(),
                    pValue: try r.readDouble()))
        }
        let prefillTokens = try r.readDouble()
        let prefillSeconds = try r.readDouble()
        guard prefillTokens >= 0, prefillSeconds >= 0, prefillTokens.isFinite, prefillSeconds.isFinite else {
            throw BinaryReader.Failure.invalid("group result prefill")
        }
        guard r.isAtEnd else { throw BinaryReader.Failure.invalid("trailing bytes at \(r.offset)") }
        self.init(
            group: RunGroup(
                model: model, modelSource: modelSource, configuration: configuration, sources: sources, runsOK: ok,
                runsFailed: failed, duplicatesMerged: duplicates, tokensPerSecond: tokensPerSecond, ttftSeconds: ttft,
                coldStart: cold, isSweep: isSweep, tokensPerSecondSample: tokensPerSecondSample, ttftSample: ttftSample,
                tokensPerSecondLowerQuartile: lowerQuartile, tokensPerSecondUpperQuartile: upperQuartile,
                prefillTokens: prefillTokens, prefillSeconds: prefillSeconds, sessions: sessions, changePoints: changePoints),
            failures: failures)
    }

    private static func write(_ sample: Sample, _ w: inout BinaryWriter) {
        w.writeVarint(sample.population)
        w.writeRaw(sample.values)
    }

    private static func readSample(_ r: inout BinaryReader) throws -> Sample {
        let population = try r.readVarint()
        let values = try r.readRawDoubles()
        guard population >= values.count, !values.contains(where: \.isNaN), Sample.isAscending(values) else {
            throw BinaryReader.Failure.invalid("group result sample")
        }
        return Sample(sorted: values, population: population)
    }

    // A cached group's sessions were all tested (or not) by the report that
    // computed it: read back, none is new.
    private static func write(
        _ session: Session, sources: [String: Int], messages: [String: Int], _ w: inout BinaryWriter
    ) {
        write(session.source, at: sources[session.source], &w)
        // Most sessions are measured when they started: one time, and a flag.
        w.write(session.startedAt == session.measuredAt)
        if session.startedAt != session.measuredAt { w.write(session.startedAt) }
        w.write(session.measuredAt)
        w.writeVarint(Int(session.sequence))
        w.writeVarint(session.runsOK)
        w.writeVarint(session.runsFailed)
        w.writeVarint(session.failureMessages.count)
        for message in session.failureMessages { write(message, at: messages[message], &w) }
        for figures in [session.tokensPerSecond, session.ttftSeconds] {
            w.writeVarint(figures.n)
            for value in [figures.median, figures.lowerQuartile, figures.upperQuartile] { w.write(value) }
            w.writeRaw(figures.runs)
        }
    }

    /// A text as its position in a list the reader has (plus one), or 0 and the text.
    private static func write(_ text: String, at index: Int?, _ w: inout BinaryWriter) {
        if let index {
            w.writeVarint(index + 1)
        } else {
            w.writeVarint(0)
            w.write(text)
        }
    }

    private static func readText(_ r: inout BinaryReader, from list: [String]) throws -> String {
        let position = try r.readVarint()
        guard position > 0 else { return try r.readString() }
        guard position <= list.count else { throw BinaryReader.Failure.invalid("group result session reference") }
        return list[position - 1]
    }

    private static func readSession(_ r: inout BinaryReader, sources: [String], messages list: [String]) throws -> Session {
        let source = try readText(&r, from: sources)
        let startedWhenMeasured = try r.readBool()
        let started = startedWhenMeasured ? nil : try r.readOptionalDouble()
        let measuredAt = try r.readDouble()
        let startedAt = startedWhenMeasured ? measuredAt : started
        let sequence = Int64(try r.readVarint())
        let ok = try r.readVarint()
        let failed = try r.readVarint()
        var messages: [String] = []
        for _ in 0..<(try r.readCount()) { messages.append(try readText(&r, from: list)) }
        func figures() throws -> SessionFigures {
            let figures = SessionFigures(
                n: try r.readVarint(), median: try r.readOptionalDouble(), lowerQuartile: try r.readOptionalDouble(),
                upperQuartile: try r.readOptionalDouble(), runs: try r.readRawDoubles())
            guard figures.runs.count <= min(figures.n, SessionFigures.runLimit), figures.runs.allSatisfy(\.isFinite) else {
                throw BinaryReader.Failure.invalid("group result session runs")
            }
            return figures
        }
        return Session(
            source: source, startedAt: startedAt, measuredAt: measuredAt, sequence: sequence, runsOK: ok, runsFailed: failed,
            failureMessages: messages,
            tokensPerSecond: try figures(), ttftSeconds: try figures(), isNew: false)
    }

    private static func write(_ s: Summary, _ w: inout BinaryWriter) {
        w.writeVarint(s.n)
        for value in [s.mean, s.median, s.p95, s.min, s.max, s.stddev] { w.write(value) }
    }

    private static func readSummary(_ r: inout BinaryReader) throws -> Summary {
        Summary(
            n: try r.readVarint(), mean: try r.readOptionalDouble(), median: try r.readOptionalDouble(),
            p95: try r.readOptionalDouble(), min: try r.readOptionalDouble(), max: try r.readOptionalDouble(),
            stddev: try r.readOptionalDouble())
    }
}
