/// A row of aggregates a benchmark tool wrote itself (a sweep's `*_summary.csv`,
/// an Ollama run summary). Kept apart from raw runs: never mixed into their statistics.
package struct AggregateRow: Sendable, Equatable {
    package var model: String?
    package var configuration: [Parameter]
    /// Metric name (as the file spells it) to value.
    package var metrics: [String: Double]

    package init(model: String?, configuration: [Parameter], metrics: [String: Double]) {
        self.model = model
        self.configuration = configuration.sorted()
        self.metrics = metrics
    }
}

/// One backend of a compilation benchmark (eager, jit, torch_compile, onnx, ...).
package struct CompilationResult: Sendable, Equatable {
    package var model: String
    package var backend: String
    package var succeeded: Bool
    package var error: String?
    package var compileSeconds: Double?
    package var meanMilliseconds: Double?
    package var stddevMilliseconds: Double?
    package var minMilliseconds: Double?
    package var maxMilliseconds: Double?
    /// Device, dtype, batch size and the like, as the file gives them.
    package var parameters: [Parameter]

    package init(
        model: String, backend: String, succeeded: Bool, error: String?, compileSeconds: Double?,
        meanMilliseconds: Double?, stddevMilliseconds: Double?, minMilliseconds: Double?,
        maxMilliseconds: Double?, parameters: [Parameter]
    ) {
        self.model = model
        self.backend = backend
        self.succeeded = succeeded
        self.error = error
        self.compileSeconds = compileSeconds
        self.meanMilliseconds = meanMilliseconds
        self.stddevMilliseconds = stddevMilliseconds
        self.minMilliseconds = minMilliseconds
        self.maxMilliseconds = maxMilliseconds
        self.parameters = parameters.sorted()
    }
}

/// One llama-bench test (`pp512`, `tg128`, `pp512+tg128`, `tg128 @ d4096`).
package struct LlamaBenchResult: Sendable, Equatable {
    package var model: String
    package var test: String
    /// Every column that is not a measurement: an unknown column splits groups,
    /// it is never averaged over.
    package var parameters: [Parameter]
    package var tokensPerSecond: Double
    package var stddevTokensPerSecond: Double?
    /// Per-repetition t/s when the file carries them (JSON `samples_ts`).
    package var samples: [Double]
    /// The build and machine this result was measured on, as its row says
    /// (`build_commit`, `build_number`, `cpu_info`, `gpu_info`, `backends`; the
    /// Markdown's `build: <commit> (<number>)` line): results of two builds are
    /// compared, never grouped together.
    package var environment: [Parameter]
    /// When llama-bench ran the test (`test_time`, ISO 8601 UTC), when the file says.
    package var testTime: String?

    package init(
        model: String, test: String, parameters: [Parameter], tokensPerSecond: Double,
        stddevTokensPerSecond: Double?, samples: [Double], environment: [Parameter] = [], testTime: String? = nil
    ) {
        self.model = model
        self.test = test
        self.parameters = parameters.sorted()
        self.tokensPerSecond = tokensPerSecond
        // A spread below zero (a sign lost in an export) or not finite is no
        // spread: drawn, it was a range from above the mean to below it.
        self.stddevTokensPerSecond = stddevTokensPerSecond.flatMap { $0.isFinite && $0 >= 0 ? $0 : nil }
        self.samples = samples
        self.environment = environment.sorted()
        self.testTime = testTime
    }

    /// Prefill (`pp`) or decode (`tg`): kept apart, a decode collapse hides in a combined figure.
    package var phase: String {
        if test.hasPrefix("pp") && test.contains("+tg") { return "prefill+decode" }
        if test.hasPrefix("pp") { return "prefill" }
        if test.hasPrefix("tg") { return "decode" }
        return "other"
    }
}

/// A message and how many runs failed with it.
package struct FailureCount: Sendable, Equatable {
    package var message: String
    package var count: Int

    package init(message: String, count: Int) {
        self.message = message
        self.count = count
    }
}

/// A named benchmark with summary statistics written by its tool (hyperfine,
/// pytest-benchmark, Google Benchmark, vLLM). Values are in `unit`.
package struct Measurement: Sendable, Equatable {
    package var tool: String
    package var name: String
    package var parameters: [Parameter]
    package var unit: String
    /// Whether a larger value is better (throughput) or worse (time).
    package var higherIsBetter: Bool
    package var mean: Double?
    package var median: Double?
    package var stddev: Double?
    package var min: Double?
    package var max: Double?
    /// Repetitions behind the statistics, when the tool says.
    package var count: Int?
    /// Raw samples when the file carries them (hyperfine `times`).
    package var samples: [Double]
    /// What the tool says went wrong (a non-zero exit, Google Benchmark's
    /// `error_message`, vLLM's failed requests), and in how many runs.
    package var failure: String?
    package var failedRuns: Int
    /// Each message with the runs it failed, when the runs failed for more
    /// than one reason (vLLM's `errors`: a connection reset beside 39
    /// prompts over the context); `failure` is then the commonest and
    /// `failedRuns` their total. Empty when one message says it all.
    package var failuresByMessage: [FailureCount] = []
    /// Whether its sessions are tested for regressions. A figure its tool
    /// derives from others that are (vLLM's inter-token latency beside its
    /// time per output token, its request and total token rates beside its
    /// output rate, its percentiles) is listed but not tested: one slowdown
    /// would open a regression per figure that moves with it.
    package var isRegressionTested: Bool
    /// When this measurement was taken, where its file dates each one
    /// (perf stat's `# started on` line before each report), seconds since
    /// 1970: a file of several of one benchmark (`--append`) holds a
    /// session of it each. Nil: the file's time (`Extraction.measuredAt`,
    /// else its modification time) dates it.
    package var measuredAt: Double? = nil
    /// Set when its samples are runs a log gathered one invocation after
    /// another, undated (`/usr/bin/time -a -o time.log make`, `go test
    /// -bench >> bench.txt`, `sysbench ... | tee -a`): the runs each version
    /// of the file added are a night's (`AppendedNights`), never one pool
    /// of every night.
    package var appendedRuns: AppendedRuns? = nil

    /// What an appended run's sample is: its wall time (the run took it,
    /// just before the file was written) or another figure of it.
    package enum AppendedRuns: UInt8, Sendable, Equatable {
        case figures = 1
        case durations = 2

        /// The least pause (seconds) between two nights of such a log: its
        /// runs are dated by when the file was written, and a night's runs
        /// are often spaced by steps not timed. Analysis groups by it, and
        /// the store keeps no version appended to again within it.
        package static let nightGap = 3_600.0
    }

    /// Nothing was measured: every run failed, and the tool wrote no figure.
    package var isWhollyFailed: Bool { failure != nil && mean == nil && median == nil && min == nil && max == nil }

    package init(
        tool: String, name: String, parameters: [Parameter] = [], unit: String, higherIsBetter: Bool = false,
        mean: Double? = nil, median: Double? = nil, stddev: Double? = nil, min: Double? = nil,
        max: Double? = nil, count: Int? = nil, samples: [Double] = [], failure: String? = nil, failedRuns: Int = 0,
        isRegressionTested: Bool = true
    ) {
        self.tool = tool
        self.name = name
        self.parameters = parameters.sorted()
        self.unit = unit
        self.higherIsBetter = higherIsBetter
        self.mean = mean
        self.median = median
        self.stddev = stddev
        self.min = min
        self.max = max
        self.count = count
        self.samples = samples
        self.failure = failure
        self.failedRuns = failedRuns
        self.isRegressionTested = isRegressionTested
    }
}

extension Measurement {
    /// The figures its tool did not write, from the runs the file holds
    /// (hyperfine before 1.10 wrote no `median`; Google Benchmark without
    /// `--benchmark_repetitions` aggregates writes none): the median (the
    /// middle run, or the mean of the middle two), the sample standard
    /// deviation (n - 1), the mean, the extremes. A figure the tool wrote is kept.
    package mutating func fillFromSamples() {
        let values = samples.filter(\.isFinite)
        guard !values.isEmpty else { return }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if median == nil { median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2 }
        let average = values.reduce(0, +) / Double(values.count)
        if mean == nil { mean = average }
        if stddev == nil, values.count >= 2 {
            stddev = (values.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(values.count - 1)).squareRoot()
        }
        if min == nil { min = sorted.first }
        if max == nil { max = sorted.last }
    }
}

/// Numbers found in a file that matched no known shape: kept, not dropped.
package struct Series: Sendable, Equatable {
    /// Where the numbers sit: a CSV column, a JSON path (`metrics[].system.cpu_percent`),
    /// or a Markdown table column (`Baseline > Per-Prompt | TTFT (s)`).
    package var name: String
    package var values: [Double]

    package init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}
