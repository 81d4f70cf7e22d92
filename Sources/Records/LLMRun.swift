/// One inference request of an LLM benchmark, as the benchmark recorded it.
///
/// Absent measurements are `nil`. Times are seconds; `tokensPerSecond` is decode
/// throughput (Ollama's `eval_count / eval_duration`), as the tools report it.
package struct LLMRun: Sendable, Equatable {
    /// Position of the run in its file (0-based), so cold starts can be told apart.
    package var ordinal: Int
    /// A hash of the prompt text (0 when the file has none): identifies the same
    /// run recorded in two files without keeping every prompt in memory.
    package var promptKey: UInt64
    package var tokensPerSecond: Double?
    package var ttftSeconds: Double?
    package var loadSeconds: Double?
    package var promptEvalSeconds: Double?
    package var evalSeconds: Double?
    package var promptEvalCount: Double?
    package var evalCount: Double?
    /// The benchmark's own error text; a run with one is a failed run.
    package var error: String?
    /// When the run was measured, in seconds since 1970 (UTC), if the file says.
    package var timestamp: Double?

    package init(
        ordinal: Int,
        promptKey: UInt64 = 0,
        tokensPerSecond: Double? = nil,
        ttftSeconds: Double? = nil,
        loadSeconds: Double? = nil,
        promptEvalSeconds: Double? = nil,
        evalSeconds: Double? = nil,
        promptEvalCount: Double? = nil,
        evalCount: Double? = nil,
        error: String? = nil,
        timestamp: Double? = nil
    ) {
        self.ordinal = ordinal
        self.promptKey = promptKey
        self.tokensPerSecond = tokensPerSecond
        self.ttftSeconds = ttftSeconds
        self.loadSeconds = loadSeconds
        self.promptEvalSeconds = promptEvalSeconds
        self.evalSeconds = evalSeconds
        self.promptEvalCount = promptEvalCount
        self.evalCount = evalCount
        self.error = error
        self.timestamp = timestamp
    }

    /// Why the run counts as failed, or `nil` when it succeeded.
    package var failureReason: String? {
        LLMRun.failureReason(
            error: error, tokensPerSecond: tokensPerSecond, ttftSeconds: ttftSeconds, evalCount: evalCount)
    }

    /// A rate no machine reaches: a thousand times a large cluster's whole
    /// serving throughput.
    package static let maximumTokensPerSecond = 1e9

    /// An error text fails a run; so does a run that produced no tokens (failed
    /// Ollama runs are written as rows of zeros, sometimes with no message).
    package static func failureReason(
        error: String?, tokensPerSecond: Double?, ttftSeconds: Double?, evalCount: Double?
    )
        -> String?
    {
        if let error, !error.isEmpty { return error }
        if let evalCount, evalCount <= 0 { return "no tokens generated" }
        if evalCount == nil, let tokensPerSecond, tokensPerSecond <= 0 { return "no tokens generated" }
        // Zero, negative, -0 or a subnormal (5e-324) throughput is no
        // measurement: counted as a success it would drag every median.
        if let tokensPerSecond, !(tokensPerSecond > 0 && tokensPerSecond.isNormal) {
            return "tokens/s is not a positive number"
        }
        // `1.5e308` is a harness's overflow or a placeholder, not a speed:
        // a median of them ranked first on the leaderboard, without a word.
        if let tokensPerSecond, tokensPerSecond > maximumTokensPerSecond {
            return "tokens/s above \(Int(maximumTokensPerSecond)) (\(tokensPerSecond)), which no machine reaches"
        }
        if tokensPerSecond == nil && ttftSeconds == nil { return "no measurements recorded" }
        return nil
    }
}

/// Runs of one model under one configuration, as one file recorded them.
package struct RunSet: Sendable, Equatable {
    /// The model named by the data itself; `nil` when the file does not say.
    package var model: String?
    /// Every parameter the runs were produced under, sorted by name.
    package var configuration: [Parameter]
    /// The runs, column by column (see `RunColumns`).
    package var columns: RunColumns

    package init(model: String?, configuration: [Parameter], runs: [LLMRun] = []) {
        self.model = model
        self.configuration = configuration.sorted()
        columns = RunColumns()
        for run in runs { columns.append(run) }
    }

    package init(model: String?, configuration: [Parameter], columns: RunColumns) {
        self.model = model
        self.configuration = configuration.sorted()
        self.columns = columns
    }

    /// The runs as values (built on demand; analysis reads `columns` directly).
    package var runs: [LLMRun] {
        (0..<columns.count).map { columns[$0] }
    }
}

/// Runs stored as one array per measurement.
///
/// A large tree holds hundreds of thousands of runs, re-read from the store for
/// every report: arrays of plain numbers are stored and loaded as raw bytes, and
/// analysis walks them without building a value per run. An absent measurement
/// is NaN (parsers never produce NaN from data: they reject non-finite numbers).
package struct RunColumns: Sendable, Equatable {
    package internal(set) var promptKey: [UInt64] = []
    package internal(set) var tokensPerSecond: [Double] = []
    package internal(set) var ttftSeconds: [Double] = []
    package internal(set) var loadSeconds: [Double] = []
    package internal(set) var promptEvalSeconds: [Double] = []
    package internal(set) var evalSeconds: [Double] = []
    package internal(set) var promptEvalCount: [Double] = []
    package internal(set) var evalCount: [Double] = []
    /// Seconds since 1970 (UTC); NaN where the file gives no time.
    package internal(set) var timestamps: [Double] = []
    /// Error texts by run index; most runs have none.
    package internal(set) var errors: [Int: String] = [:]

    package init() {}

    package var count: Int { promptKey.count }

    package static func == (lhs: RunColumns, rhs: RunColumns) -> Bool {
        // NaN marks absence, so compare bit patterns rather than values.
        func same(_ a: [Double], _ b: [Double]) -> Bool { a.map(\.bitPattern) == b.map(\.bitPattern) }
        return lhs.promptKey == rhs.promptKey && same(lhs.tokensPerSecond, rhs.tokensPerSecond)
            && same(lhs.ttftSeconds, rhs.ttftSeconds) && same(lhs.loadSeconds, rhs.loadSeconds)
            && same(lhs.promptEvalSeconds, rhs.promptEvalSeconds) && same(lhs.evalSeconds, rhs.evalSeconds)
            && same(lhs.promptEvalCount, rhs.promptEvalCount) && same(lhs.evalCount, rhs.evalCount)
            && same(lhs.timestamps, rhs.timestamps)
            && lhs.errors == rhs.errors
    }

    package mutating func append(_ run: LLMRun) {
        if let error = run.error { errors[count] = error }
        promptKey.append(run.promptKey)
        tokensPerSecond.append(run.tokensPerSecond ?? .nan)
        ttftSeconds.append(run.ttftSeconds ?? .nan)
        loadSeconds.append(run.loadSeconds ?? .nan)
        promptEvalSeconds.append(run.promptEvalSeconds ?? .nan)
        evalSeconds.append(run.evalSeconds ?? .nan)
        promptEvalCount.append(run.promptEvalCount ?? .nan)
        evalCount.append(run.evalCount ?? .nan)
        timestamps.append(run.timestamp ?? .nan)
    }

    package subscript(index: Int) -> LLMRun {
        LLMRun(
            ordinal: index, promptKey: promptKey[index], tokensPerSecond: RunColumns.value(tokensPerSecond[index]),
            ttftSeconds: RunColumns.value(ttftSeconds[index]), loadSeconds: RunColumns.value(loadSeconds[index]),
            promptEvalSeconds: RunColumns.value(promptEvalSeconds[index]), evalSeconds: RunColumns.value(evalSeconds[index]),
            promptEvalCount: RunColumns.value(promptEvalCount[index]), evalCount: RunColumns.value(evalCount[index]),
            error: errors[index], timestamp: RunColumns.value(timestamps[index]))
    }

    /// Why run `index` failed, or `nil` (the rule of `LLMRun.failureReason`).
    package func failureReason(at index: Int) -> String? {
        // The common case, a clean run with tokens, without touching the error map.
        let tokens = evalCount[index]
        if errors.isEmpty, tokens > 0, !ttftSeconds[index].isNaN || !tokensPerSecond[index].isNaN { return nil }
        return LLMRun.failureReason(
            error: errors[index], tokensPerSecond: RunColumns.value(tokensPerSecond[index]),
            ttftSeconds: RunColumns.value(ttftSeconds[index]), evalCount: RunColumns.value(evalCount[index]))
    }

    @inline(__always)
    package static func value(_ stored: Double) -> Double? {
        stored.isNaN ? nil : stored
    }
}
