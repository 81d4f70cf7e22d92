/// A row of aggregates a benchmark tool wrote itself (a sweep's `*_summary.csv`,
/// an Ollama run summary). Kept apart from raw runs: never mixed into their statistics.
public struct AggregateRow: Sendable, Equatable {
    public var model: String?
    public var configuration: [Parameter]
    /// Metric name (as the file spells it) to value.
    public var metrics: [String: Double]

    public init(model: String?, configuration: [Parameter], metrics: [String: Double]) {
        self.model = model
        self.configuration = configuration.sorted()
        self.metrics = metrics
    }
}

/// One backend of a compilation benchmark (eager, jit, torch_compile, onnx, ...).
public struct CompilationResult: Sendable, Equatable {
    public var model: String
    public var backend: String
    public var succeeded: Bool
    public var error: String?
    public var compileSeconds: Double?
    public var meanMilliseconds: Double?
    public var stddevMilliseconds: Double?
    public var minMilliseconds: Double?
    public var maxMilliseconds: Double?
    /// Device, dtype, batch size and the like, as the file gives them.
    public var parameters: [Parameter]

    public init(
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
public struct LlamaBenchResult: Sendable, Equatable {
    public var model: String
    public var test: String
    /// Every column that is not a measurement: an unknown column splits groups,
    /// it is never averaged over.
    public var parameters: [Parameter]
    public var tokensPerSecond: Double
    public var stddevTokensPerSecond: Double?
    /// Per-repetition t/s when the file carries them (JSON `samples_ts`).
    public var samples: [Double]

    public init(
        model: String, test: String, parameters: [Parameter], tokensPerSecond: Double,
        stddevTokensPerSecond: Double?, samples: [Double]
    ) {
        self.model = model
        self.test = test
        self.parameters = parameters.sorted()
        self.tokensPerSecond = tokensPerSecond
        self.stddevTokensPerSecond = stddevTokensPerSecond
        self.samples = samples
    }

    /// Prefill (`pp`) or decode (`tg`): kept apart, a decode collapse hides in a combined figure.
    public var phase: String {
        if test.hasPrefix("pp") && test.contains("+tg") { return "prefill+decode" }
        if test.hasPrefix("pp") { return "prefill" }
        if test.hasPrefix("tg") { return "decode" }
        return "other"
    }
}

/// A named benchmark with summary statistics written by its tool (hyperfine,
/// pytest-benchmark, Google Benchmark, vLLM). Values are in `unit`.
public struct Measurement: Sendable, Equatable {
    public var tool: String
    public var name: String
    public var parameters: [Parameter]
    public var unit: String
    /// Whether a larger value is better (throughput) or worse (time).
    public var higherIsBetter: Bool
    public var mean: Double?
    public var median: Double?
    public var stddev: Double?
    public var min: Double?
    public var max: Double?
    /// Repetitions behind the statistics, when the tool says.
    public var count: Int?
    /// Raw samples when the file carries them (hyperfine `times`).
    public var samples: [Double]

    public init(
        tool: String, name: String, parameters: [Parameter] = [], unit: String, higherIsBetter: Bool = false,
        mean: Double? = nil, median: Double? = nil, stddev: Double? = nil, min: Double? = nil,
        max: Double? = nil, count: Int? = nil, samples: [Double] = []
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
    }
}

/// Numbers found in a file that matched no known shape: kept, not dropped.
public struct Series: Sendable, Equatable {
    /// Where the numbers sit: a CSV column, a JSON path (`metrics[].system.cpu_percent`),
    /// or a Markdown table column (`Baseline > Per-Prompt | TTFT (s)`).
    public var name: String
    public var values: [Double]

    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}
