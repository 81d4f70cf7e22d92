import Foundation
import Records
import Testing

@testable import Ingest

/// The streaming parsers yield, byte for byte, the records that the parser
/// they replaced (which held a span for every field of a table before reading
/// one) made of the same files: the bundled examples and the shared
/// Chimeraforge corpus. Recorded with the old parser (commit 6d6f03e) as the
/// SHA-256 of `Extraction.encoded()`, or the skip reason.
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
        ("corpus", "compilation/conv_bench_20251002-170837.json", "sha256:f7215382f9cf9ca8a0c1bd68b5c86b621971f0042357db105e902c9ad01a834b"),
        ("corpus", "compilation/conv_bench_20251002-170837.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "compilation/mlp_bench_20251002-165750.json", "sha256:021e1b989b6ab9a75a37f2d82018d51be6e52592005325becac88156f7153c2f"),
        ("corpus", "compilation/mlp_bench_20251002-165750.md", "skipped: no benchmark data (Markdown without tables)"),
        (
            "corpus", "compilation/transformer_cuda_bench_20251002-172126.json",
            "sha256:67cf42efaf36e86713ae5df7c05afae321062d558f90f619127b33feb85ceab9"
        ),
        ("corpus", "compilation/transformer_cuda_bench_20251002-172126.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "diagnostics/ascii_demo_20251004_143244.json", "sha256:2031bd1f9fa6552a058630ecf8997c7984f5b60e1457af505243be6125b41433"),
        (
            "corpus", "diagnostics/self_healing_results_20251004_133717.json",
            "sha256:24efa7b3ce0af2031d624634b97a04e1c49cef3605af3a8ab5b71b334fcbc170"
        ),
        ("corpus", "gemma3/Analysis_Summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/BENCHMARK_COMPLETION_SUMMARY.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/Gemma3_Benchmark_Report.md", "sha256:65d20e51f7a5a0177eb0d99af497c8c985a7bb0cdfd8145c04a854500f208158"),
        ("corpus", "gemma3/SUMMARY.md", "skipped: no benchmark data (Markdown tables without numbers)"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.csv", "sha256:92af7daa8534a53b87d9242ca906d86025b73610adcb5ebb4622b5d45e2c58df"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.json", "sha256:28c834b12e4bf4090d2ba329eded6fcdcad3ccd98c240e193520aaaf5393dae6"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning.csv", "sha256:50397b7d775c13b58c28d4032678b823468f0658be84d52c4aaee1beaba29b1f"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning_summary.csv", "sha256:5f099ca35d74ae2818865633ace8635d1b0b72162a8ee2071e0c65a6cacd6140"),
        ("corpus", "gemma3/gemma3_270m_baseline.csv", "sha256:4563d2b998c9db2105dc0045d64ce8290aa3b4426c0cf4f1b717db428d97e84a"),
        ("corpus", "gemma3/gemma3_270m_baseline.json", "sha256:9abe5c6bd45106057566488374859f583a844b67559840188d1b8ab807faaa04"),
        ("corpus", "gemma3/gemma3_270m_param_tuning.csv", "sha256:fe99c592223489a188f774984837d4dd0e245e01784062930849b3b8045d5a48"),
        ("corpus", "gemma3/gemma3_270m_param_tuning_summary.csv", "sha256:89ae232e59420935e8c76368f7dcc25ee93278c4d166e44a2c96b08196c59ac8"),
        ("corpus", "gemma3/gemma3_baseline.csv", "sha256:749ec39b7fee066a11f458d16045032b37122f8e05e4df14e7fce454bedcf919"),
        ("corpus", "gemma3/gemma3_baseline.json", "sha256:14b08fee6416356605b24eed2d13c30147279a6e5a0a0f0bea0c0c9fb6828d09"),
        ("corpus", "gemma3/gemma3_param_tuning.csv", "sha256:0b1b1e53ebe035471dce9b36b1e9bf6394e29bacff3c3000eefff6c41c49b34c"),
        ("corpus", "gemma3/gemma3_param_tuning_summary.csv", "sha256:9413e27969e713028f028a26a866edcd3943abedec8cd4a4e061280dd53b8e97"),
        ("corpus", "llama3/baseline_ml_metrics.json", "sha256:243cf21a7ef4807fa1edef13dfc49e5fd7d5c0922bdbea854d3ed100820f0033"),
        ("corpus", "llama3/baseline_ml_report.txt", "skipped: unsupported type (.txt)"),
        ("corpus", "llama3/baseline_system_metrics.json", "sha256:f108e6464c88032f2794c42e9743015c771faa18072516840604a163e2cbfb09"),
        ("corpus", "llama3/baseline_system_report.txt", "skipped: unsupported type (.txt)"),
        ("corpus", "llama3/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "llama3/ollama_param_tuning.csv", "sha256:4b35fc7b944c069280042fecc86ba5ab5eef3356737758e0612cf2c987048ed0"),
        ("corpus", "llama3/ollama_param_tuning_summary.csv", "sha256:7987460f995b6f01ac209be476154e0f17499b8711e353a7f96b3d3ad0d1888e"),
        ("corpus", "llama3/ollama_quant_bench.csv", "sha256:6fc266d9560b1f1e69d975f851e5b5bfeec80950fd37c50075d871b5dd126cb5"),
        ("corpus", "ollama/20251002-151204/prompt_suite_runs.csv", "sha256:8bd038500567149fbdf93ab7e3a7d1629c1006b26766244cf28728736012eecb"),
        ("corpus", "ollama/20251002-151204/prompt_suite_summary.json", "sha256:ef16ab0ba7077932203da11eb3385354821732e048dca93a10ebaa81152728a8"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_runs.csv", "sha256:1d071bb3960c38f407c2ac4141b9826ec9b3aa24be711fdb16f21cf56c38e523"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_summary.json", "sha256:e950c3be2a01a372662a1e573d08803b515c8df3f0fb9427a1c5fa797d75e660"),
        ("corpus", "ollama/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "README.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "broken/empty.csv", "skipped: empty file"),
        (
            "examples", "broken/truncated_run.json",
            "skipped: malformed JSON at line 93, column 4: unexpected end of file inside an array (truncated JSON?)"
        ),
        ("examples", "hyperfine/gzip_levels.json", "sha256:431197536715174f03d99573fac169570fcd04f78147cb5ecc5b3c47f3555fb3"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.csv", "sha256:f52fd0d8fdab1ecd7c1d4e06386bc17184a64a0a133549dbe6a8ed9dd556fc58"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.json", "sha256:cb5b65eb7c4ebfc0fcbd921263faf0af7304f2b4961c93f703d27f4d6ba0206e"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.md", "sha256:3f6a2e55863cf7a32717a9cc2aa8092122980032338feebfb4d25bf89c9f4942"),
        ("examples", "notes.txt", "skipped: unsupported type (.txt)"),
        ("examples", "ollama-style/gemma3-270m_baseline.csv", "sha256:344d505bc4e0a801ec1ad20bee500d5c8f1044ed907996d57fed90b0b54cf4d7"),
        ("examples", "ollama-style/gemma3-270m_baseline.json", "sha256:f11e4d199d89376ac84f2767f0b8d120691bd32b7e506a9f44b803636eef878d"),
        ("examples", "ollama-style/gemma3-270m_param_tuning.csv", "sha256:4befcd11f5e7fc0c43a2873432cf12329d3b0bddcf5572a1f2359e34a64eadf5"),
        ("examples", "ollama-style/gemma3-270m_param_tuning_summary.csv", "sha256:c05fbf66d582ba24355758c29e690736f583a8b609cd731797a53382a9570d3f"),
        ("examples", "ollama-style/gemma3-270m_runs.csv", "sha256:452021d93deffdbfacdccbc7cde1a8657fa05a6df37e8fbcff8d9bdbd298cd69"),
        ("examples", "pytest-benchmark/bench.json", "sha256:285f941a80c2ef9e4e5fa4a384c433f65e8171123a4b7f3bf3af56bbf7670e7f"),
    ]
}
