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
/// regressions (format 7), after checking the same against format 6.
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
        ("corpus", "compilation/conv_bench_20251002-170837.json", "sha256:ce246fe391856e5b02015446d7edb007a10c773621ce490d7961c403d06ad1bd"),
        ("corpus", "compilation/conv_bench_20251002-170837.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "compilation/mlp_bench_20251002-165750.json", "sha256:38649df67f5840883c1c182a80336f4a21baf3b78c16eb9e2246871ea579dfb2"),
        ("corpus", "compilation/mlp_bench_20251002-165750.md", "skipped: no benchmark data (Markdown without tables)"),
        (
            "corpus", "compilation/transformer_cuda_bench_20251002-172126.json",
            "sha256:854913d622232bb349e26f06f9122903e39b7f24387a7e4ff758cfec9c34def5"
        ),
        ("corpus", "compilation/transformer_cuda_bench_20251002-172126.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "diagnostics/ascii_demo_20251004_143244.json", "sha256:90fd0d420920b1b9e47f816ab664ad7ab30bb8006d5031c93ed939742eff23d2"),
        (
            "corpus", "diagnostics/self_healing_results_20251004_133717.json",
            "sha256:3590232e3c9145af91150be9c3f928bcd33d64ee5a1cbc838016f6dcc64ca6d2"
        ),
        ("corpus", "gemma3/Analysis_Summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/BENCHMARK_COMPLETION_SUMMARY.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/Gemma3_Benchmark_Report.md", "sha256:2bebc14e15305e27dece4537fceaa4e1efe57184657d01bcc43dc041b7806ef0"),
        ("corpus", "gemma3/SUMMARY.md", "skipped: no benchmark data (Markdown tables without numbers)"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.csv", "sha256:5637ca6b4036bb3abf03443ecdcf59559e9519e552a64997d22c9c1750a3dc43"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.json", "sha256:5aba7ee9b4b4dd616cf22d4f6cccf49b411c8b8cdf8d512e9e93d5bd914df13e"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning.csv", "sha256:1a374031ab710afeda5a1ffdc72a332e57a2954a4a9a231d7b661f164a11438d"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning_summary.csv", "sha256:e625743eaf6b0cb0a03cf25f866ca725c84373621892dc63dc6b0e3f01552ec1"),
        ("corpus", "gemma3/gemma3_270m_baseline.csv", "sha256:2900bc98870e85355c0fcd23d88994361b201d2e59b897472a1056ea696f325e"),
        ("corpus", "gemma3/gemma3_270m_baseline.json", "sha256:a156424ad6f67eaff2d13be5db5c862900aa8eb762fe6acaeac64c7f306653f2"),
        ("corpus", "gemma3/gemma3_270m_param_tuning.csv", "sha256:00151079959e3115752fa297467bb620db34fe5e54e2413fd2c4da3f350072ff"),
        ("corpus", "gemma3/gemma3_270m_param_tuning_summary.csv", "sha256:d830d2ecfafbb3ded86b3ac92da4ac4ac89489c640cfa0cbc1628e9110f208c9"),
        ("corpus", "gemma3/gemma3_baseline.csv", "sha256:3fca55ceb4e97a294aa9d521c1a8e948d4cefce26a6b25fbd3508b693678eb21"),
        ("corpus", "gemma3/gemma3_baseline.json", "sha256:091d7530e90099b775b1c212ced139905dd70285979da6bb0719b42e1245dc7a"),
        ("corpus", "gemma3/gemma3_param_tuning.csv", "sha256:5b19bf646c533d88e740a4d4d4a5922d1f2f963073719be0dcdb7187c6941652"),
        ("corpus", "gemma3/gemma3_param_tuning_summary.csv", "sha256:68032d8b6786e2c07d2fd59cb7ca6d167b596dad052ab81d63af99e0d8932a4f"),
        ("corpus", "llama3/baseline_ml_metrics.json", "sha256:2c5682819cee3f064a12175265afe4fb4ec0c79d41f801b44b3a23bf8bd6773d"),
        // Skipped as an unsupported type before console output kept as text was read (format 11).
        (
            "corpus", "llama3/baseline_ml_report.txt",
            "skipped: no benchmark data (text without perf stat's report, hyperfine's output or a table of results)"
        ),
        // Re-recorded when a file of no benchmark gave the machine it names
        // (its GPU's name), after checking it hashed as before without it.
        ("corpus", "llama3/baseline_system_metrics.json", "sha256:0cec5b0ce072d819a54c7dba06c87786bb2b22eaa7e82f184e5dec9743859d14"),
        ("corpus", "llama3/baseline_system_report.txt", "skipped: not UTF-8 text (invalid byte 0xB0 at line 16, column 20)"),
        ("corpus", "llama3/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "llama3/ollama_param_tuning.csv", "sha256:b5dbc77e4526454aa69c370c03ae3e7f0709df99cf1a6e1d58623e5449c09e2e"),
        ("corpus", "llama3/ollama_param_tuning_summary.csv", "sha256:6ecea9bf18d7fac3f0eab6c122479db1b5101057de51b5a09a8666a4db278404"),
        ("corpus", "llama3/ollama_quant_bench.csv", "sha256:1d6ddf339db5e47c0075a675b3f561b2699c6ae100e403f99c3b2ac20ce5b446"),
        ("corpus", "ollama/20251002-151204/prompt_suite_runs.csv", "sha256:b2ad956fb0993adbff75ee2a3c801a34869973d6da27910b7220a5b85b4ce95e"),
        ("corpus", "ollama/20251002-151204/prompt_suite_summary.json", "sha256:72d1847bc6d0de3dab903522e008e3f56960fcb37a44e4c6b458d5d3df537669"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_runs.csv", "sha256:f2cde25be5217c6860c70ae1bd0cedd13a38341fc76ae64583544c7bf12b91c6"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_summary.json", "sha256:b4236f5db3c189f998ef2afba67ddbafdf4f0b475611573743bc500fa29ed15c"),
        ("corpus", "ollama/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "README.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "broken/empty.csv", "skipped: empty file"),
        // Skipped as malformed before its whole results were kept (format 7).
        ("examples", "broken/truncated_run.json", "sha256:540d0fd67241db06a08172baec7f24eeda80fb17567c4b5321c23c594f8981b0"),
        ("examples", "hyperfine/gzip_levels.json", "sha256:c735e0c3899c319edc004804f92e358177d459b8532e443e55f0b7db5ba190a8"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.csv", "sha256:a3096147571f1927ed882be98544beff871ec38e9eb7314fbb3a1a4711a3d628"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.json", "sha256:dcdccd04f333408ac3ba59053f579937d1dd4c2c7cf91e25f6e3f271a07a93f1"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.md", "sha256:437083cd2368bbf0ec92ebefb08f85df5ad77b9bdac8a071a53d06528e2617ba"),
        (
            "examples", "notes.txt",
            "skipped: no benchmark data (text without perf stat's report, hyperfine's output or a table of results)"
        ),
        ("examples", "ollama-style/gemma3-270m_baseline.csv", "sha256:05603d6455013856f43af0eea3aa8a100ded42b1311d4fea308f776f1d8edd6b"),
        ("examples", "ollama-style/gemma3-270m_baseline.json", "sha256:e0198f284f19a59a553d78846e36532ad036ddd08487908978292fbe6135bb4e"),
        ("examples", "ollama-style/gemma3-270m_param_tuning.csv", "sha256:362dc8122a3815fa79bce5b10db939296135e57b102a9cde938c6c32d98ee300"),
        ("examples", "ollama-style/gemma3-270m_param_tuning_summary.csv", "sha256:c2b8bf9e2b590a5ff1ecf891b7ba1f34944596b884b12d5943abdc7c0ec93431"),
        ("examples", "ollama-style/gemma3-270m_runs.csv", "sha256:13f04e41ccd4a4a8f980ca438d335c14231c738f022c488abc7221f1a56d74ef"),
        ("examples", "pytest-benchmark/bench.json", "sha256:0b2e559a4066aebc957815624ecf1cd5ddc7e3f710a4eea31622c22f25ed29e4"),
    ]
}
