import Foundation
import Records
import Testing

@testable import Ingest

/// The streaming parsers yield, byte for byte, the records that the parser
/// they replaced (which held a span for every field of a table before reading
/// one) made of the same files: the bundled examples and the shared
/// Chimeraforge corpus. Recorded with the old parser (commit 6d6f03e) as the
/// SHA-256 of `Extraction.encoded()`, or the skip reason; re-recorded when run
/// timestamps joined the records (extraction format 3), after checking that
/// the records without them still hashed as the old parser's did, and again
/// when llama-bench results kept their row's build and test time (format 4),
/// after checking that every file still hashed as before when written in
/// format 3, and when benchmarks kept their tool's failures (format 5), after
/// checking the same against format 4, and when a file kept the time its
/// tool wrote (format 6), after checking that every file still hashed as in
/// format 5 without it, and when a benchmark said whether it is tested for
/// regressions (format 7), after checking the same against format 6, and
/// when a benchmark kept the time its run started (format 8), after checking
/// the same against format 7.
@Suite struct StreamingParseTests {
    static let corpus = Paths.repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/chimeraforge")

    @Test func theBundledExamplesParseAsBefore() throws {
        try check("examples", under: Paths.examples)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: corpus.path), "needs ../shared/corpus beside the checkout, as in CI"))
    func theSharedCorpusParsesAsBefore() throws {
        try check("corpus", under: StreamingParseTests.corpus)
    }

    private func check(_ label: String, under root: URL) throws {
        let expected = StreamingParseTests.recorded.filter { $0.set == label }
        #expect(expected.count > 10)
        for (_, path, outcome) in expected {
            let bytes = [UInt8](try Data(contentsOf: root.appendingPathComponent(path)))
            let name = String(path.split(separator: "/").last ?? Substring(path))
            let parsed: String
            switch ContentParser.parse(bytes, fileName: name) {
            case .extracted(let extraction): parsed = "sha256:" + FileReader.hash(extraction.encoded())
            case .skipped(let reason): parsed = "skipped: " + reason.text
            }
            #expect(parsed == outcome, "\(label)/\(path)")
        }
    }

    /// (set, path, what the old parser made of it).
    static let recorded: [(set: String, path: String, outcome: String)] = [
        ("corpus", "README.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "compilation/compilation_benchmark_lessons_20251002.md", "skipped: no benchmark data (Markdown tables without numbers)"),
        ("corpus", "compilation/conv_bench_20251002-170837.json", "sha256:7ff4191b3eba4c1a772e213e10992659bfe7a6781b5963e72f63420e8c2e01ac"),
        ("corpus", "compilation/conv_bench_20251002-170837.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "compilation/mlp_bench_20251002-165750.json", "sha256:f205985177357b13b0e75567fcfbb70ac0c8f4a835091a1856d6b953bec1dd57"),
        ("corpus", "compilation/mlp_bench_20251002-165750.md", "skipped: no benchmark data (Markdown without tables)"),
        (
            "corpus", "compilation/transformer_cuda_bench_20251002-172126.json",
            "sha256:3bd3a01744aa23c827826dcf7eabbb52f141716495a2be9e0860312f07d3df05"
        ),
        ("corpus", "compilation/transformer_cuda_bench_20251002-172126.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "diagnostics/ascii_demo_20251004_143244.json", "sha256:83c02d1cd1906c03b0c2e482d082621687c003bd74b4414c4bb9c4ef29a14e38"),
        (
            "corpus", "diagnostics/self_healing_results_20251004_133717.json",
            "sha256:eac8beaa294a489b4d8b8a8577fb37ba10b01841f445c35f924dd8ce142808cf"
        ),
        ("corpus", "gemma3/Analysis_Summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/BENCHMARK_COMPLETION_SUMMARY.md", "skipped: no benchmark data (Markdown without tables)"),
        // Re-recorded when Markdown tables were read as CSV ones (`MarkdownRows`):
        // its configurations table splits by num_gpu and num_ctx (their figures
        // were pooled), its sizes in GB and MB are text (one median of both),
        // and a column of times carries its unit in its name (`TTFT (s)`).
        // Again when sampling settings split a table (format 15): its
        // configurations by temp too, and its tuning tables by GPU Layers,
        // Context and Temp (they were series of their own, their figures pooled).
        ("corpus", "gemma3/Gemma3_Benchmark_Report.md", "sha256:512ea0a6a6a55bda465bd350c1f3d362180390d0fc0ee8f0ea4a0e8d67c55e15"),
        ("corpus", "gemma3/SUMMARY.md", "skipped: no benchmark data (Markdown tables without numbers)"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.csv", "sha256:494663fd927531163109d5b1ec33dde9fbb112ed7b2ca9e75d4e7282d094b8ff"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.json", "sha256:5264e4e294222a2651379fbf7463f4cf78473e7705e71b69ca18ed964595206e"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning.csv", "sha256:acaf9680d538ae6a914d4faad9efbe48e83d475b0fd530e4438342c4422d5802"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning_summary.csv", "sha256:01dec9285e963b04cc7fdcc68c318caa445d845e09381d2fc66a6239261147dc"),
        ("corpus", "gemma3/gemma3_270m_baseline.csv", "sha256:1caa4ca795070ce6daeac0b4597c17fb2f67d906bf3b9421a63597bdba63d375"),
        ("corpus", "gemma3/gemma3_270m_baseline.json", "sha256:0eda6469176893be2c44ec4744848239ae270c70de90c6a92751d933c4489649"),
        ("corpus", "gemma3/gemma3_270m_param_tuning.csv", "sha256:a2d1b6ac9afc15928313079988befc78b98d48dd1c798a93197f5b471c9762ad"),
        ("corpus", "gemma3/gemma3_270m_param_tuning_summary.csv", "sha256:e383c3784b00145dee90fc9c92eb0cdd9ee8d3f423ddc97e37a8ea91b01680cf"),
        ("corpus", "gemma3/gemma3_baseline.csv", "sha256:8248ceabdea1157b8ded823daeea8b3d6e81619ebbbf8412193a29ac51cf33e0"),
        ("corpus", "gemma3/gemma3_baseline.json", "sha256:3fbd88f6502e500ba843d1dbf68767bb4dafd03639bad0604774655da5247879"),
        ("corpus", "gemma3/gemma3_param_tuning.csv", "sha256:69bbf0d69837c8e1fd3664b37cf6afeac6d569f147f9fb10f2ec5760cc40130d"),
        ("corpus", "gemma3/gemma3_param_tuning_summary.csv", "sha256:cb4c9b8f489f896d80437ba0d0981db095593ee3b6bf85dd282492eefa8ff21a"),
        ("corpus", "llama3/baseline_ml_metrics.json", "sha256:109fd84112760173218ca5f19851881be868a2be306c72bb12a17fab83592aaf"),
        // Skipped as an unsupported type before console output kept as text was read (format 11).
        (
            "corpus", "llama3/baseline_ml_report.txt",
            "skipped: no benchmark data (text without perf stat's report, hyperfine's output, ollama run --verbose timings, time's report, vllm bench serve's results, Google Benchmark's table or a table of results)"
        ),
        // Re-recorded when a file of no benchmark gave the machine it names
        // (its GPU's name), after checking it hashed as before without it.
        ("corpus", "llama3/baseline_system_metrics.json", "sha256:d15e993d7bb393392c133033ae0c02a40515819a6af0f018cdb7ea708a399ff6"),
        ("corpus", "llama3/baseline_system_report.txt", "skipped: not UTF-8 text (invalid byte 0xB0 at line 16, column 20)"),
        ("corpus", "llama3/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "llama3/ollama_param_tuning.csv", "sha256:081b93bd0263840b958e8e43498bcb2dc8de550a3e540090c97399fe84a32798"),
        ("corpus", "llama3/ollama_param_tuning_summary.csv", "sha256:af3d90076f577700c073ec68064f1bb05f7fca4a1100f46abebca9d28684b4b1"),
        ("corpus", "llama3/ollama_quant_bench.csv", "sha256:5545ca27041174cf5a8918e4341e165b84f300d8ffdd818a17fb52a4c591194b"),
        ("corpus", "ollama/20251002-151204/prompt_suite_runs.csv", "sha256:d3b11985408260be88e2b6ef0018c079559262131569d00031400d2cbeaad0d3"),
        ("corpus", "ollama/20251002-151204/prompt_suite_summary.json", "sha256:e57f46c73d3d2573b2e72b27465582d58519ef7dee4a68f9437616e6fe4f0e39"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_runs.csv", "sha256:33da87630fc77cbcf393da74e100ff5052c3d9f0d7285d639bd1f88a83a90b69"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_summary.json", "sha256:c42b1ee36c768e9045537a72c7569fcbe52ced2da4b4bdfdb2623151116899a9"),
        ("corpus", "ollama/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "README.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "broken/empty.csv", "skipped: empty file"),
        // Skipped as malformed before its whole results were kept (format 7).
        ("examples", "broken/truncated_run.json", "sha256:a69ad1f9e297c7b51ee6070c628be7cb3323e01d9cce15e43bc9e3ad8509f24c"),
        ("examples", "hyperfine/gzip_levels.json", "sha256:44ae21446414488a1762ac6fa760193c748ec9d9100aa2a480256ac3338a8e10"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.csv", "sha256:8feb04a9c4db0c6d8297ae580c0166617a382f4afc0a627992e7c8615e88df4a"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.json", "sha256:cb1cc56b0f17098504c39947cf869fb31aead53a23744ff50d608389847b5be6"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.md", "sha256:f96842824db22a39db917d2fc1d7ff28d6d69ea73c248684c14454eaf7338afa"),
        (
            "examples", "notes.txt",
            "skipped: no benchmark data (text without perf stat's report, hyperfine's output, ollama run --verbose timings, time's report, vllm bench serve's results, Google Benchmark's table or a table of results)"
        ),
        ("examples", "ollama-style/gemma3-270m_baseline.csv", "sha256:84837bc7a7557b3cbfeb118f2862c0b569ba2fc5d721740371033b48854714fc"),
        ("examples", "ollama-style/gemma3-270m_baseline.json", "sha256:04c02589e87be002f54fda699c98dcf3d97a485a01294ea403080b2f0c9c7f8b"),
        ("examples", "ollama-style/gemma3-270m_param_tuning.csv", "sha256:8ee70483e923d41b477333098d48be66d3c931c74d7ad0f8dbee43baf90da915"),
        ("examples", "ollama-style/gemma3-270m_param_tuning_summary.csv", "sha256:914cc24fe393d8f64af03b992a5f7ef912b0bbebe5612c2119120d81f1e882c7"),
        ("examples", "ollama-style/gemma3-270m_runs.csv", "sha256:6245990668d293293dd97346d6d56021ec2719df453edebc33d49fadb796b477"),
        ("examples", "pytest-benchmark/bench.json", "sha256:dd3675de4df69c712c137c0c6e5720ec1a0dddeea7617b0284c00c9863490601"),
    ]
}
