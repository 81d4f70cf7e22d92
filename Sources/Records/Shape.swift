/// The kinds of file chimerad recognises, by their columns or keys (never by file name).
package enum Shape: String, Sendable, Codable, CaseIterable {
    case ollamaRuns = "ollama-runs-csv"
    case baselineCSV = "baseline-csv"
    case baselineJSON = "baseline-json"
    case parameterSweep = "parameter-sweep-csv"
    case sweepSummary = "sweep-summary-csv"
    case runSummaryJSON = "run-summary-json"
    case compilationBench = "compilation-bench-json"
    case llamaBenchJSON = "llama-bench-json"
    case llamaBenchCSV = "llama-bench-csv"
    case llamaBenchMarkdown = "llama-bench-md"
    case hyperfine = "hyperfine-json"
    case pytestBenchmark = "pytest-benchmark-json"
    case googleBenchmark = "google-benchmark-json"
    case vllmServe = "vllm-bench-serve-json"
    case genericCSV = "generic-csv"
    case genericJSON = "generic-json"
    case markdownTables = "markdown-tables"
    case llamaBenchSQL = "llama-bench-sql"
    case perfStat = "perf-stat"
    case ollamaVerbose = "ollama-verbose-text"
    case timeReport = "time-report"
    case vllmServeText = "vllm-bench-serve-text"
    case googleBenchmarkText = "google-benchmark-text"
    case llamaBatchedBench = "llama-batched-bench"
    case vllmOffline = "vllm-bench-offline-json"
    case sglangOneBatch = "sglang-bench-one-batch-json"
    case fio = "fio-json"
    case goBenchmarkText = "go-benchmark-text"
    case goTestJSON = "go-test-json"
    case genaiPerf = "genai-perf-json"
    case llmperfSummary = "llmperf-summary-json"
    case criterion = "criterion-estimates-json"
    case sysbenchText = "sysbench-text"
    case cargoBenchText = "cargo-bench-text"

    /// How the shape is named in reports.
    package var title: String {
        switch self {
        case .ollamaRuns: "Ollama run CSV"
        case .baselineCSV: "baseline CSV"
        case .baselineJSON: "baseline JSON"
        case .parameterSweep: "parameter sweep CSV"
        case .sweepSummary: "sweep summary CSV"
        case .runSummaryJSON: "run summary JSON"
        case .compilationBench: "compilation bench JSON"
        case .llamaBenchJSON: "llama-bench JSON"
        case .llamaBenchCSV: "llama-bench CSV"
        case .llamaBenchMarkdown: "llama-bench Markdown"
        case .hyperfine: "hyperfine JSON"
        case .pytestBenchmark: "pytest-benchmark JSON"
        case .googleBenchmark: "Google Benchmark JSON"
        case .vllmServe: "vLLM bench serve JSON"
        case .genericCSV: "numeric CSV"
        case .genericJSON: "numeric JSON"
        case .markdownTables: "Markdown tables"
        case .llamaBenchSQL: "llama-bench SQL"
        case .perfStat: "perf stat output"
        case .ollamaVerbose: "ollama run --verbose output"
        case .timeReport: "time's report"
        case .vllmServeText: "vLLM bench serve output"
        case .googleBenchmarkText: "Google Benchmark output"
        case .llamaBatchedBench: "llama-batched-bench output"
        case .vllmOffline: "vLLM bench latency or throughput JSON"
        case .sglangOneBatch: "SGLang bench_one_batch results"
        case .fio: "fio JSON"
        case .goBenchmarkText: "go test -bench output"
        case .goTestJSON: "go test -bench -json events"
        case .genaiPerf: "genai-perf JSON"
        case .llmperfSummary: "llmperf summary JSON"
        case .criterion: "criterion estimates JSON"
        case .sysbenchText: "sysbench output"
        case .cargoBenchText: "cargo bench output"
        }
    }
}

extension Shape {
    /// LLM run tables written as text a harness appends to (Ollama run
    /// CSVs, baseline CSVs, sweeps): their runs form sessions, and one
    /// rewritten with other content (not appended to) keeps its earlier
    /// version in the store. A JSON document is never appended to byte by
    /// byte (its closing bracket moves), so it cannot be told apart this way.
    package var carriesRuns: Bool {
        switch self {
        case .ollamaRuns, .baselineCSV, .parameterSweep, .ollamaVerbose: true
        default: false
        }
    }

    /// Files of benchmark tools other than LLM run tables (hyperfine,
    /// pytest-benchmark, Google Benchmark, vLLM, llama-bench): often
    /// rewritten in place by their next run (`llama-bench -o json >
    /// bench.json` each night), so the store keeps their earlier versions.
    package var carriesBenchmarks: Bool {
        switch self {
        case .hyperfine, .pytestBenchmark, .googleBenchmark, .googleBenchmarkText, .vllmServe, .vllmServeText, .perfStat, .timeReport,
            .goBenchmarkText, .goTestJSON, .sysbenchText, .genaiPerf, .llmperfSummary, .criterion, .cargoBenchText:
            true
        case .llamaBenchJSON, .llamaBenchCSV, .llamaBenchMarkdown, .llamaBenchSQL, .llamaBatchedBench, .vllmOffline, .sglangOneBatch, .fio: true
        default: false
        }
    }

    /// Files whose earlier versions the store keeps (a rewrite's, or a
    /// deleted file's last one) as history.
    package var keepsHistory: Bool { carriesRuns || carriesBenchmarks }

    /// Logs a command's runs may be appended to, undated (`/usr/bin/time
    /// -a -o`, `go test -bench >> bench.txt`, `sysbench | tee -a`): a night
    /// is the runs the versions of its hour added (`AppendedNights`), so a
    /// version the next one appends to within the hour is not kept: the
    /// next holds it. A daemon reporting each line as it landed made a
    /// dozen versions a night, and the 30 kept held two or three nights.
    /// (The same files rewritten each run, `time -o` or `| tee`, keep every
    /// version: each holds runs no other does.)
    package var appendsUndatedRuns: Bool {
        switch self {
        case .timeReport, .goBenchmarkText, .sysbenchText, .cargoBenchText: true
        default: false
        }
    }

    /// Files of measured sessions (runs, benchmarks, compile times): one
    /// with the same content as another can be its copy (a backup made
    /// with `cp -r`), counted once; measured numbers make the same bytes on
    /// two nights as good as impossible. A baseline JSON's runs were counted
    /// twice, the backup dated as a new night. Numeric tables are not: the
    /// same sizes or counts on a later night are that night's (as a night's
    /// `env.json` naming the same host is).
    package var holdsSessions: Bool {
        switch self {
        case .baselineJSON, .compilationBench: true
        default: keepsHistory
        }
    }
}
