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
/// the records without them still hashed as the old parser's did.
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
        ("corpus", "compilation/conv_bench_20251002-170837.json", "sha256:8ac1f61b7688bb3667b879978d3db248964fda7c4b1974a7911cf22cb7f3176c"),
        ("corpus", "compilation/conv_bench_20251002-170837.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "compilation/mlp_bench_20251002-165750.json", "sha256:3deac9d9f4a94248df5920344a70da036860dc5b7b7190530c86bacfe46f2489"),
        ("corpus", "compilation/mlp_bench_20251002-165750.md", "skipped: no benchmark data (Markdown without tables)"),
        (
            "corpus", "compilation/transformer_cuda_bench_20251002-172126.json",
            "sha256:6b567503bb0b0f8db5e21b77bdea1243f35e26721864ea45b77e9a016e110152"
        ),
        ("corpus", "compilation/transformer_cuda_bench_20251002-172126.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "diagnostics/ascii_demo_20251004_143244.json", "sha256:2d3dcb0974674642a21de9a7d92f71fc33b56cb40a7719c382a971047d09e791"),
        (
            "corpus", "diagnostics/self_healing_results_20251004_133717.json",
            "sha256:7e52042d9156c16ccbf781465fbe57bd32744ea0cc10375fbc3f510e8ed6bfa9"
        ),
        ("corpus", "gemma3/Analysis_Summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/BENCHMARK_COMPLETION_SUMMARY.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/Gemma3_Benchmark_Report.md", "sha256:37ea7d49421623b0498005d812bb5d59e4f59da6499720ebfccaeff8810e7b88"),
        ("corpus", "gemma3/SUMMARY.md", "skipped: no benchmark data (Markdown tables without numbers)"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.csv", "sha256:894b236fdaafcc20c64aea60023440386b31d0db276b011142d1e6c8ecc95624"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.json", "sha256:8f55cb34f4dcded86f9e5cff1f74729fd4a6bb6501b20a1d2eee9b5cab0e4e69"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning.csv", "sha256:61dab6d61d3a67fbe19077855b01bb0ab56a21cb52796e21c08e2cc52be0dc64"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning_summary.csv", "sha256:9726709a2f492b087ba72a904dd1e3a3f7f25f8c755b5ebc83893179dc81e317"),
        ("corpus", "gemma3/gemma3_270m_baseline.csv", "sha256:b7b81e8c68e47f226ccc20ab397c5e7e30bf6830abed616e6f25fbf3c59cebad"),
        ("corpus", "gemma3/gemma3_270m_baseline.json", "sha256:316c7901a26458b8534aa1d68b5dc60ac7631f46596c332eb6645d75b85b057d"),
        ("corpus", "gemma3/gemma3_270m_param_tuning.csv", "sha256:5f2d5851466f14759682626dc2c8448b112e5498943d7f1d7d44128073671a95"),
        ("corpus", "gemma3/gemma3_270m_param_tuning_summary.csv", "sha256:caad03f5637467f10ae8069bb40778e8142fc336019efe9b20ee7e4d64036cf0"),
        ("corpus", "gemma3/gemma3_baseline.csv", "sha256:431ef44549686816ff6824c7854dbeed3fffd69703431c836886625ab21a9aaf"),
        ("corpus", "gemma3/gemma3_baseline.json", "sha256:aafbd0c9f7b3d57541f8e94b76dde0738f93eed3409c09419cfd98494f0a06f6"),
        ("corpus", "gemma3/gemma3_param_tuning.csv", "sha256:4a5db291c8868c4c08741f034492c52659aa01594511f08ea76a89517573cb6c"),
        ("corpus", "gemma3/gemma3_param_tuning_summary.csv", "sha256:b47c861200a9c054222478754eacda9320bee20b6322be3b4c7772723e7162aa"),
        ("corpus", "llama3/baseline_ml_metrics.json", "sha256:85a8a16e147ee45e0407b9d8d6056a8c1d11740433e6c3fe8fe3032204e383b9"),
        ("corpus", "llama3/baseline_ml_report.txt", "skipped: unsupported type (.txt)"),
        ("corpus", "llama3/baseline_system_metrics.json", "sha256:05e1a458f093cd54a8e9c3f348d169467d4f7b12810fd4edaeb6e7acfea8fa82"),
        ("corpus", "llama3/baseline_system_report.txt", "skipped: unsupported type (.txt)"),
        ("corpus", "llama3/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "llama3/ollama_param_tuning.csv", "sha256:62c860d5cfcc3f85ef2e660f0ccc747b3add3f47061c3534c5cf978aeb652651"),
        ("corpus", "llama3/ollama_param_tuning_summary.csv", "sha256:cef321e48a62fee757dffe2a0a5ac82053d6b5ef93e385dac108c724c2de034a"),
        ("corpus", "llama3/ollama_quant_bench.csv", "sha256:368e2fa57876aa69f981a52dcd50b8ae512dd42aa2fff0b327b987cf5246987f"),
        ("corpus", "ollama/20251002-151204/prompt_suite_runs.csv", "sha256:2d85f4a932ca23dc1f851751875d2ef85171b9e8c48740808c060a03e5921a9c"),
        ("corpus", "ollama/20251002-151204/prompt_suite_summary.json", "sha256:5138f995ecc973a595192899f42fed9aefed66a2e45a87211cc593996c003358"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_runs.csv", "sha256:eeb629b728714bd2f8079c4740319b8c20e3c0376d6ee44dcf0c920049e64e19"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_summary.json", "sha256:40aba7248606210e5d1e5bae8e723f8577d3d5542e1e868aebbc49a7cb41b73c"),
        ("corpus", "ollama/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "README.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "broken/empty.csv", "skipped: empty file"),
        (
            "examples", "broken/truncated_run.json",
            "skipped: malformed JSON at line 93, column 4: unexpected end of file inside an array (truncated JSON?)"
        ),
        ("examples", "hyperfine/gzip_levels.json", "sha256:b80c20361f758ee827aba7c6395082f66b074b1a1862025aea6b095366e9dd57"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.csv", "sha256:44fc2ad7fbf35ea1a8f7b9d8499f8c8115197e7738e4515e63da4cc9c8c3a492"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.json", "sha256:e14600197996656612fd2f24fccecbf677e0d906713dbc2dd2c43bd1afa315fd"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.md", "sha256:40f104fd65eaf5ad618c7c98bcddced73884d05f7eebe7da344c43577a3dee57"),
        ("examples", "notes.txt", "skipped: unsupported type (.txt)"),
        ("examples", "ollama-style/gemma3-270m_baseline.csv", "sha256:837d610b7bc84632030d118e342aca4a865cf3e772b6dd1197a40cbc1a38590f"),
        ("examples", "ollama-style/gemma3-270m_baseline.json", "sha256:a8ef6f2e97c0aa2bb5126932854e3611aaa0ec6f01d7cd0c7318bc3e6a51c2f7"),
        ("examples", "ollama-style/gemma3-270m_param_tuning.csv", "sha256:a1fd1a1979048e98710dedf94753c309ea7037bdfc5c17dbe478c3a09fa99a59"),
        ("examples", "ollama-style/gemma3-270m_param_tuning_summary.csv", "sha256:2bdb30a705546c6ceceacb52ffaf3d1744194be52fb7b189b962c47c24244b9a"),
        ("examples", "ollama-style/gemma3-270m_runs.csv", "sha256:0a7c869e53494489cb624fd68c40fa934e6339207bbd70d4cfe90e6a3bdb5bc6"),
        ("examples", "pytest-benchmark/bench.json", "sha256:0967c87f3a78a4a7fdd7ac4b8575ba6a4dcd7f534023eaed0d88d36bd7fe6eb3"),
    ]
}
