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
/// format 5 without it.
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
        ("corpus", "compilation/conv_bench_20251002-170837.json", "sha256:bb00676e06fe2e8de0338cd9a20400417bb3f7a0214ee3f2ff32155581be5c59"),
        ("corpus", "compilation/conv_bench_20251002-170837.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "compilation/mlp_bench_20251002-165750.json", "sha256:f189057cccdde541eb98018a02558b08729bc0bc86d49088207a6511d989dd58"),
        ("corpus", "compilation/mlp_bench_20251002-165750.md", "skipped: no benchmark data (Markdown without tables)"),
        (
            "corpus", "compilation/transformer_cuda_bench_20251002-172126.json",
            "sha256:f403a6821ff5da345e866aa90496a4eb106dfe3583c5d7e7873e9bfbbe8d71f1"
        ),
        ("corpus", "compilation/transformer_cuda_bench_20251002-172126.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "diagnostics/ascii_demo_20251004_143244.json", "sha256:fb2f61732417e67fccb37cccbd65d9785d153b434f66274fd97c73f3dae94d7c"),
        (
            "corpus", "diagnostics/self_healing_results_20251004_133717.json",
            "sha256:672ae882d6beb0f5b9860c3278aa450f8edefabf33c80cdef182d53f7eed067c"
        ),
        ("corpus", "gemma3/Analysis_Summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/BENCHMARK_COMPLETION_SUMMARY.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/Gemma3_Benchmark_Report.md", "sha256:b3659aecadd5d1e49874d4c06332a6ed22f909fc6a05a12e2ec98aeecf333f5d"),
        ("corpus", "gemma3/SUMMARY.md", "skipped: no benchmark data (Markdown tables without numbers)"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.csv", "sha256:c8ab901c987ed6bd95eb715d93e86d487b30a49168de31b1a1292539bde61b40"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.json", "sha256:bc7267a62a051cb7c0639bbcc5ad68ac354ce1a6c6a974b698b08434448df867"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning.csv", "sha256:64dc247c02c6a5aa64af04b4ff619bb97c050af3485a1f79e67fe373885c9084"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning_summary.csv", "sha256:b2f7f16585181dda35a677dabc0a5bd394eab37a8c7ebf2e0aff9fba4d37c4b0"),
        ("corpus", "gemma3/gemma3_270m_baseline.csv", "sha256:15502d0e8f2e50fe9da42c1b76e22d0462641dd3c8294ce86618641cdb73a36a"),
        ("corpus", "gemma3/gemma3_270m_baseline.json", "sha256:d0fee3147f4caffcfe9d025c87fcd7114a0db33c4162652e186f73165d8df7a1"),
        ("corpus", "gemma3/gemma3_270m_param_tuning.csv", "sha256:5a5d46957daf543cc4ba77745881e290e3aa85325e3e47e6b46a657799c968e1"),
        ("corpus", "gemma3/gemma3_270m_param_tuning_summary.csv", "sha256:bef6d8002573709c03f2e98aa2641ab4c3fd687848dc326d838b7bc93577d6d0"),
        ("corpus", "gemma3/gemma3_baseline.csv", "sha256:619097458ccfc4cbae57bc90974aacd4a564f17cbca98816831a02c1c66da0b4"),
        ("corpus", "gemma3/gemma3_baseline.json", "sha256:850bdc84ac7156bb5be59fe47127301406f966901f2f28f180550c24bb06162d"),
        ("corpus", "gemma3/gemma3_param_tuning.csv", "sha256:8bb6b549a5770e34b45aa060e88e8abf21ec4e700fd8947c750b60fb289a8a0e"),
        ("corpus", "gemma3/gemma3_param_tuning_summary.csv", "sha256:f3fb10f082358ecc72f52976850bac0646b3ba21bb4f6b7930db112e1238130a"),
        ("corpus", "llama3/baseline_ml_metrics.json", "sha256:7fdb7f99ae80548988e0327e6e961b0192123cd4d18f0342b77219f04ef781e4"),
        ("corpus", "llama3/baseline_ml_report.txt", "skipped: unsupported type (.txt)"),
        // Re-recorded when a file of no benchmark gave the machine it names
        // (its GPU's name), after checking it hashed as before without it.
        ("corpus", "llama3/baseline_system_metrics.json", "sha256:4eb2ca33a1f2c6ff6f6e75c9df67b74c5baa8522b72fc41ad672c9399a4e6138"),
        ("corpus", "llama3/baseline_system_report.txt", "skipped: unsupported type (.txt)"),
        ("corpus", "llama3/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "llama3/ollama_param_tuning.csv", "sha256:53f066b88910d7b2619bc96d9470ffc1033fe305fc445116671aeb734e982061"),
        ("corpus", "llama3/ollama_param_tuning_summary.csv", "sha256:694bdc26ae032e2cc3e4ba6df373cfba043bfe23c5dceda09060e026eda819ed"),
        ("corpus", "llama3/ollama_quant_bench.csv", "sha256:0b0f7028b005c033bb2e1086d34ffd67e44fe53808da44c1e252cc85879e11c7"),
        ("corpus", "ollama/20251002-151204/prompt_suite_runs.csv", "sha256:fcbc1f11f0506d903ac31a5cda06fa3a17bce88820365816ad81f23894588321"),
        ("corpus", "ollama/20251002-151204/prompt_suite_summary.json", "sha256:100fcb03f26d58151dd21c85776b6dab362a80e2f630d5fcf8e4d8600f76a466"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_runs.csv", "sha256:ae7021118cfeaefaf29260c64287da1b5969ae9c63fc113351e9c63527b55745"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_summary.json", "sha256:36ad07de9380efab47b55e179a5438679f2f6644695591071fcf4b4f662dbf6e"),
        ("corpus", "ollama/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "README.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "broken/empty.csv", "skipped: empty file"),
        (
            "examples", "broken/truncated_run.json",
            "skipped: malformed JSON at line 93, column 4: unexpected end of file inside an array (truncated JSON?)"
        ),
        ("examples", "hyperfine/gzip_levels.json", "sha256:80c998110e849b2045505f62f9eed3ab5a4f648ec9221231c6bd00e0224fa386"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.csv", "sha256:70645dbff75d8b5d4d0a177022ca9d975bda212b8c3140c52bc60c4f6a203ae1"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.json", "sha256:155ed750e3502f1ad62d4b1981d768e2f86a4fd515be6f58e08249d77753cca9"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.md", "sha256:d00b0295c0f83b7ffc7fa6d9f0b338d79692979b291a8abe78f3509778523e6f"),
        ("examples", "notes.txt", "skipped: unsupported type (.txt)"),
        ("examples", "ollama-style/gemma3-270m_baseline.csv", "sha256:d1d593d1a2a6ca0ea14f46541317bae7b463ed70d35f86427b085041bf0cbb9d"),
        ("examples", "ollama-style/gemma3-270m_baseline.json", "sha256:4c01fd07bcc3c5b38a5669f6ba37e212006e5552675e3d99f81280dd06fdd282"),
        ("examples", "ollama-style/gemma3-270m_param_tuning.csv", "sha256:f2e99cec8ed208c450ad1b291c12e95560e139de4d69c83c2fa446d4b4d40ba5"),
        ("examples", "ollama-style/gemma3-270m_param_tuning_summary.csv", "sha256:acd7376a9d5f55edc075445294a67580599cd5aff5a301bf6d161db2ad070d5c"),
        ("examples", "ollama-style/gemma3-270m_runs.csv", "sha256:283218bd866aa6feaff27f1f339d7d5a7106dd23e5855babb849b50a0fe3043a"),
        ("examples", "pytest-benchmark/bench.json", "sha256:9b9b21603d8e0a67c6d92157bb5db00d82b5e6dc52e349b75c3f5c32749f6543"),
    ]
}
