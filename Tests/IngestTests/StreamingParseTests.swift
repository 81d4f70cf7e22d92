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
/// the same against format 7, and when a benchmark kept its failures by
/// message (format 9), after checking the same against format 8.
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
        ("corpus", "compilation/conv_bench_20251002-170837.json", "sha256:010cf5fbeee84bcd4f62aa0a3e7047892c519ecd961686595244f285ff81eda4"),
        ("corpus", "compilation/conv_bench_20251002-170837.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "compilation/mlp_bench_20251002-165750.json", "sha256:31cc3d51ee3460e8510f42497fd58f2a4f4dd69c618c4b2ccfc64d79b671d8a5"),
        ("corpus", "compilation/mlp_bench_20251002-165750.md", "skipped: no benchmark data (Markdown without tables)"),
        (
            "corpus", "compilation/transformer_cuda_bench_20251002-172126.json",
            "sha256:6f5d27fd332222f2ba80d4736c070043e77aef805fe993af49c1469da09c23a9"
        ),
        ("corpus", "compilation/transformer_cuda_bench_20251002-172126.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "diagnostics/ascii_demo_20251004_143244.json", "sha256:cce100354d2885cf51040750cabb41bf0a7e28263cd9e40186511391d4b2cbb0"),
        (
            "corpus", "diagnostics/self_healing_results_20251004_133717.json",
            "sha256:82314200febd7c4caa3759141c61576c43d99bb950c3a3736e6f2ed88d8aa1a6"
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
        // And when a summary naming each model once was split by model
        // (its Performance Summary pooled three models' peak throughputs).
        ("corpus", "gemma3/Gemma3_Benchmark_Report.md", "sha256:4dd37f913c8d6ae8d6f93286d3d9647f4e7cd75a6f9a5468c18bc5ab6039f4b6"),
        ("corpus", "gemma3/SUMMARY.md", "skipped: no benchmark data (Markdown tables without numbers)"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.csv", "sha256:6247d0230fc3a684ffbb9d254d3ffa44fe887dfdd3a276130adadc9abd6f5485"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.json", "sha256:3c31ae27b2834467ab721a065c46efdd085392549abfc4019ee13f6e2d5e9c8a"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning.csv", "sha256:c68bc9979d15f72fdb001fa723376eeda62a58c728c3f74b5a3328e8a7d25492"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning_summary.csv", "sha256:d26a5aaeb89adeba6007a593c0cf2c820675fda4fa55ee4cfeef3758c553ecfd"),
        ("corpus", "gemma3/gemma3_270m_baseline.csv", "sha256:2ed49dddddac4627dcbe62fe81a44661626a7844ff9ac3f0108b81898b88da21"),
        ("corpus", "gemma3/gemma3_270m_baseline.json", "sha256:297385ba52d43693356bb131d8b386f7ca123e3ab1d3afe96a4076d7cbb9db83"),
        ("corpus", "gemma3/gemma3_270m_param_tuning.csv", "sha256:aa1fde1d400b2a36463293875879c35e3439cd8eb963f0c6342b14d8d8627c95"),
        ("corpus", "gemma3/gemma3_270m_param_tuning_summary.csv", "sha256:e6414e7222c2ee151855b185e235e74b58a231857437bfc09bd3e7931c3cd4dc"),
        ("corpus", "gemma3/gemma3_baseline.csv", "sha256:22fdc7424c03f1c3ef2a62428604f30a39f8f3ab455e32507cb15e8a320da5c8"),
        ("corpus", "gemma3/gemma3_baseline.json", "sha256:a0de87dc3ad8115052ba0eaf570f7b48623b02fe3fc28865ec294f2b2d6b92f8"),
        ("corpus", "gemma3/gemma3_param_tuning.csv", "sha256:6a36174122574fe42dba9347a83f6ff2bd00bb7092bd7479b3f08e18c0dab098"),
        ("corpus", "gemma3/gemma3_param_tuning_summary.csv", "sha256:620a395276ee8c841bcccaf65d2346f717ffb88a4a461b318184db3c93661bcc"),
        ("corpus", "llama3/baseline_ml_metrics.json", "sha256:430f50596efe69ca68a5c64b67f5949682f276f8a4730b051a512f3a10941b85"),
        // Skipped as an unsupported type before console output kept as text was read (format 11).
        (
            "corpus", "llama3/baseline_ml_report.txt",
            "skipped: no benchmark data (text without perf stat's report, hyperfine's output, ollama run --verbose timings, time's report, vllm bench serve's results, Google Benchmark's table, go test -bench's or sysbench's results or a table of results)"
        ),
        // Re-recorded when a file of no benchmark gave the machine it names
        // (its GPU's name), after checking it hashed as before without it.
        ("corpus", "llama3/baseline_system_metrics.json", "sha256:f502e766a3dbf575f2cbe302bdce97f2bd23217e712da03e1e9e2e742b287a39"),
        ("corpus", "llama3/baseline_system_report.txt", "skipped: not UTF-8 text (invalid byte 0xB0 at line 16, column 20)"),
        ("corpus", "llama3/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "llama3/ollama_param_tuning.csv", "sha256:bf4cafdb739414350f25f01e9b1bc200366b64ac3431e04861cc7a6087fe1ba3"),
        ("corpus", "llama3/ollama_param_tuning_summary.csv", "sha256:fd8e8e535cc6423b5071e60d76a7ebf6cecb0b74231b7e30800704f5ef3530d4"),
        ("corpus", "llama3/ollama_quant_bench.csv", "sha256:95ca393eba843426d7de0f3c2f7e3da7fd6c26cce77fe0165fcd04761861e216"),
        ("corpus", "ollama/20251002-151204/prompt_suite_runs.csv", "sha256:c0f25e11701a2e51a659b96394395a404fa35af18017d4c16bf02381bd3513b5"),
        ("corpus", "ollama/20251002-151204/prompt_suite_summary.json", "sha256:bf2b85d9fedda7c201b02f024471458d8d9c88db8c9b4a6fe61f8f50b936b18b"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_runs.csv", "sha256:8613c8f0124165ccb115a9dca117e4d0527cf1bde96ce118178d724cb8f29d2b"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_summary.json", "sha256:ed5ac44d7d3bed7981269b121df1fd04a5961dbb1ab7f96743c05a7d0ea3d88c"),
        ("corpus", "ollama/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "README.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "broken/empty.csv", "skipped: empty file"),
        // Skipped as malformed before its whole results were kept (format 7).
        ("examples", "broken/truncated_run.json", "sha256:9f8a003e3b4570dae30afc8de9c39660562033cc8aa2d023d131bd01516b822b"),
        ("examples", "hyperfine/gzip_levels.json", "sha256:9f37ab6d413c4d36e6ee14585ecd45c3741acc2c528742054a507f095f696390"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.csv", "sha256:0cb9f9a6022cb0ab6a225f52aa57b8fd445365c76e9a3463c86d00e83b7f6124"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.json", "sha256:67ff2cc54a60587986326416d168b3675e38eefd6ee3358c9baae9dc0123e95f"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.md", "sha256:2ae241344879e79c151fc4cd992f8282d0bf77dd5ef3d7ea837189112b21a0d9"),
        (
            "examples", "notes.txt",
            "skipped: no benchmark data (text without perf stat's report, hyperfine's output, ollama run --verbose timings, time's report, vllm bench serve's results, Google Benchmark's table, go test -bench's or sysbench's results or a table of results)"
        ),
        ("examples", "ollama-style/gemma3-270m_baseline.csv", "sha256:9773000ba6c81ca9ce34f49c3b213c4f23e0e52a9f43942b8e36d99371f79e4d"),
        ("examples", "ollama-style/gemma3-270m_baseline.json", "sha256:b38f1a67137be2be0db96de31a4877c3b8fcfaec1c2548b9462a7b819066a2b2"),
        ("examples", "ollama-style/gemma3-270m_param_tuning.csv", "sha256:f44f70929c3d90bf017e616e75f47160c79978f559d44fd668edfad0d7d1a71c"),
        ("examples", "ollama-style/gemma3-270m_param_tuning_summary.csv", "sha256:9301c84401ef173a75c64b5080565f65aff7bcb1ad83b4fa502e04a755d32b31"),
        ("examples", "ollama-style/gemma3-270m_runs.csv", "sha256:99f61d7a3d731948a641f4556e508e1b770f1856daa34c15ad9a6cd4b11c45d4"),
        ("examples", "pytest-benchmark/bench.json", "sha256:197cceefec123a3de8e6cb52c23f66d7f6540c543bb69abdad3904bf423b6a18"),
    ]
}
