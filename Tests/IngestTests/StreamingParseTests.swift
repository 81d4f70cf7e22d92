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
/// format 3.
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
        ("corpus", "compilation/conv_bench_20251002-170837.json", "sha256:babc2cd2a0ee0272dd2adf91e477a04088dc411eaf5fe4eac2fe7793d73addd8"),
        ("corpus", "compilation/conv_bench_20251002-170837.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "compilation/mlp_bench_20251002-165750.json", "sha256:890bc7b5a5995ace21605bd43ae0dff5f075e3ecf97b9e2e31016420f207804d"),
        ("corpus", "compilation/mlp_bench_20251002-165750.md", "skipped: no benchmark data (Markdown without tables)"),
        (
            "corpus", "compilation/transformer_cuda_bench_20251002-172126.json",
            "sha256:d9ac0f89f57174445eb44104214ac43f2d55ba4b9961817891d1a5be79dcb0b7"
        ),
        ("corpus", "compilation/transformer_cuda_bench_20251002-172126.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "diagnostics/ascii_demo_20251004_143244.json", "sha256:c289f0b72ab5a676b17fdfec84f704a92291578afbf0d114eda9478ed6305358"),
        (
            "corpus", "diagnostics/self_healing_results_20251004_133717.json",
            "sha256:3b475d33887ec0d0509c01b70ee3061f230b468b38158afbfb31ca59f4eed05e"
        ),
        ("corpus", "gemma3/Analysis_Summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/BENCHMARK_COMPLETION_SUMMARY.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/Gemma3_Benchmark_Report.md", "sha256:1456ea6558ea69913bbe6dc1e47c0b9f1b98a2c53110ab6e82197e5c6298231f"),
        ("corpus", "gemma3/SUMMARY.md", "skipped: no benchmark data (Markdown tables without numbers)"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.csv", "sha256:08b2b81a73fa0bc5148084970bf05c57ec8f061c853e8712691b166eb99ff80f"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.json", "sha256:e2072c483e554719c58c9f5b91783aa7892264ca885f29616b49291296152773"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning.csv", "sha256:3d34a53d25be21a9c7a90b00eea671f07420c1bb4f7f0aeff0765b1735c9ef4a"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning_summary.csv", "sha256:b22147ab5077b996d86dee22487485bd2ae9d2a63cb40b7a9e5a96ac6e0b8ae5"),
        ("corpus", "gemma3/gemma3_270m_baseline.csv", "sha256:234d154a9c33e249b9d084747d91113454f74fce2f211abc6bcce053ccedfcce"),
        ("corpus", "gemma3/gemma3_270m_baseline.json", "sha256:83ecc3e59a1953032c18c13dee3a38dcc2bdee1ee2f8388e336515a807a8e57f"),
        ("corpus", "gemma3/gemma3_270m_param_tuning.csv", "sha256:1f1662e5c0d5a11d19df06da1b44a298b22fb92df1e434478bbf9c317af78b50"),
        ("corpus", "gemma3/gemma3_270m_param_tuning_summary.csv", "sha256:05b1070570978b2cdcc0d1fab83808a3ff18276e60ef6fa8ef31d0f488830e57"),
        ("corpus", "gemma3/gemma3_baseline.csv", "sha256:b660e10b79cb20506e3892478ad5dff72061412412632d463def3322d7e601fe"),
        ("corpus", "gemma3/gemma3_baseline.json", "sha256:be19f624ec168f45a4b565f23860b6baf713d5297363b3fdb65777994272ade0"),
        ("corpus", "gemma3/gemma3_param_tuning.csv", "sha256:55fb1b81544b47e2ae2279d9090966415b224ddfee7529ad862114cf6c1d98dc"),
        ("corpus", "gemma3/gemma3_param_tuning_summary.csv", "sha256:9ae8fd429acee5e1e890d40f0e114b2a8e1bbe2b4c797e7476ab693ce3481176"),
        ("corpus", "llama3/baseline_ml_metrics.json", "sha256:44ea5f79faab415ad4d2aed4afbea0333917ef12533b216908689c68bb4c3f87"),
        ("corpus", "llama3/baseline_ml_report.txt", "skipped: unsupported type (.txt)"),
        ("corpus", "llama3/baseline_system_metrics.json", "sha256:ff0f755989343470f33d682bac54f7d3dc543a56064d5696764623f428b0563a"),
        ("corpus", "llama3/baseline_system_report.txt", "skipped: unsupported type (.txt)"),
        ("corpus", "llama3/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "llama3/ollama_param_tuning.csv", "sha256:1088eea5cbf8d4d86dfc9630268cc7108e06b3babdc18c468554b0f1f9dc2933"),
        ("corpus", "llama3/ollama_param_tuning_summary.csv", "sha256:e5e64b7239b0f1e9b4c80e5b7502d887e379f5200e0fa863f5aa128c22f10c3c"),
        ("corpus", "llama3/ollama_quant_bench.csv", "sha256:7959a4f73dc0a83136942e3a3695ebf351ef2bb506d5196058dab390bd408faf"),
        ("corpus", "ollama/20251002-151204/prompt_suite_runs.csv", "sha256:09960e744f13fc94e2dc8a5f0d6c304282d7c46e28a24f5a46d4b98f76d4214a"),
        ("corpus", "ollama/20251002-151204/prompt_suite_summary.json", "sha256:f51c9a0ffe67d449a9467ad6cf4da39ac732740e726963a8fb64a2e4408d0445"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_runs.csv", "sha256:57c548bb1e670ef722d8b2def904bbacc3ee256ce949866b171cb17bf3529110"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_summary.json", "sha256:9434fa004b80bcdbc170bddceecbfb88d689887f775094911a21978382bd158e"),
        ("corpus", "ollama/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "README.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "broken/empty.csv", "skipped: empty file"),
        (
            "examples", "broken/truncated_run.json",
            "skipped: malformed JSON at line 93, column 4: unexpected end of file inside an array (truncated JSON?)"
        ),
        ("examples", "hyperfine/gzip_levels.json", "sha256:9ed7806f38a9a333c2c4042274b9ee699155bc05f91906de75851042c99c31fd"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.csv", "sha256:9e34cddb72ddf4aa2650478986cead5f810475ffa46def670e5787a9d6b089c3"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.json", "sha256:cdfefe114d6d3a53a580ac6b649fc79e091c46ccea114927451250a7774417e6"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.md", "sha256:a7b1fc2318fa12ea4f16ef101152c6df7779ebb6b64fda6147c3d292248155dc"),
        ("examples", "notes.txt", "skipped: unsupported type (.txt)"),
        ("examples", "ollama-style/gemma3-270m_baseline.csv", "sha256:698ffc1873942c2c50f27e1ef7ca6a5cdb9755fc6db05ef16308da2c465bed1d"),
        ("examples", "ollama-style/gemma3-270m_baseline.json", "sha256:83dfcd98cc576a758d91ffe31fdb050aaa9a6f655b8c8f4cd337d31c4c8e4a31"),
        ("examples", "ollama-style/gemma3-270m_param_tuning.csv", "sha256:bb3f85775eebdaa3eb67eb49a782c3147538ed66af005c539ca6384495a1f820"),
        ("examples", "ollama-style/gemma3-270m_param_tuning_summary.csv", "sha256:5ff0ce7d3b52fe0d6773074d878dae31a7a9776d8c27c4980d9edb939c81cae1"),
        ("examples", "ollama-style/gemma3-270m_runs.csv", "sha256:33d2ef3a0294030cf07d9da94a93b1f0edc725a52b7b534b90ae603dc96c4d99"),
        ("examples", "pytest-benchmark/bench.json", "sha256:5f5d5f367d028c4de271b0cd50a1d08e6bad050b01f7d34bebe7111e601480a7"),
    ]
}
