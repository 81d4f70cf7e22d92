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
/// checking the same against format 4.
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
        ("corpus", "compilation/conv_bench_20251002-170837.json", "sha256:9268fed5afd65636dd0c55bffbbad3481d83de602c043533f83c45379f0266e2"),
        ("corpus", "compilation/conv_bench_20251002-170837.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "compilation/mlp_bench_20251002-165750.json", "sha256:b6231d1db08c44bd93a8c8546e78339b4e3fcb3ad8b5da148fc1c2f251e45d2b"),
        ("corpus", "compilation/mlp_bench_20251002-165750.md", "skipped: no benchmark data (Markdown without tables)"),
        (
            "corpus", "compilation/transformer_cuda_bench_20251002-172126.json",
            "sha256:968d2290cfa06e66137a160f24c091335ae6e45a1d6defc19a7bba3bb960a405"
        ),
        ("corpus", "compilation/transformer_cuda_bench_20251002-172126.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "diagnostics/ascii_demo_20251004_143244.json", "sha256:0e33c0dc57df2696f0f792d5140a960fb6efe1e58fa9e1553c4ba6443b36fe25"),
        (
            "corpus", "diagnostics/self_healing_results_20251004_133717.json",
            "sha256:1f3b683c76785286cb4ca359bd36b105fcb351236d4e579abb8ac68851ccfbb1"
        ),
        ("corpus", "gemma3/Analysis_Summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/BENCHMARK_COMPLETION_SUMMARY.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "gemma3/Gemma3_Benchmark_Report.md", "sha256:59b120ca9523eb473975b319eea94dc9ad72bef52655eb3151f18d20e68af5f6"),
        ("corpus", "gemma3/SUMMARY.md", "skipped: no benchmark data (Markdown tables without numbers)"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.csv", "sha256:9db985f50801e863462475833f45fab22dc04bf1ab6f0cb52f2f2f09958bb3ce"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.json", "sha256:3794fcf7c11d0b0e3a92f300ff965aa79fe8ad125b5f543efa3f3c52e3424edb"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning.csv", "sha256:f19119d8027e02b4a3ed00a88f29a4d79ffef96a632fcc0ad9dfc4d01e661a3d"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning_summary.csv", "sha256:b3a70fb9bf60932a53eed353b7e23cec4a38532b9d7b9eea55b437db0592da28"),
        ("corpus", "gemma3/gemma3_270m_baseline.csv", "sha256:6d003c3027ca19c33543019554ba779dac00ea03986c96e3a1c59851c41c2c2a"),
        ("corpus", "gemma3/gemma3_270m_baseline.json", "sha256:ce2a441b2ac13a780e6a839ad448242178a5a95955ec3cbce887f123868a03d5"),
        ("corpus", "gemma3/gemma3_270m_param_tuning.csv", "sha256:1567b98f4fc9b17849da8899f1fb16c65d8454e12a0e9b20e7689392645588af"),
        ("corpus", "gemma3/gemma3_270m_param_tuning_summary.csv", "sha256:21c3109318763e4e99c5933f5e8425582edcb4f956b1233bd41d13719dfd5fbd"),
        ("corpus", "gemma3/gemma3_baseline.csv", "sha256:9bcdc76282cfc2da45a782d6854fee9ea3c50e664dec4baf02dce2c2c0fb56be"),
        ("corpus", "gemma3/gemma3_baseline.json", "sha256:f412f901bbb3310e18d054213e6d0548db5be16c5c36f72402d22bf690cc053f"),
        ("corpus", "gemma3/gemma3_param_tuning.csv", "sha256:bb3626d8fca1eb292950a9bfa0340af44d817d9ca9a1b57e5a3187ac95c45380"),
        ("corpus", "gemma3/gemma3_param_tuning_summary.csv", "sha256:98c4eb453c46bcac27a5c59be7e90f5e37e6ae1a1ea6a5dfd03d098954cd47cc"),
        ("corpus", "llama3/baseline_ml_metrics.json", "sha256:ec35c20884afaeb068d504ec20687bda86ee101c22b1e0fe42cfbbfef46b2584"),
        ("corpus", "llama3/baseline_ml_report.txt", "skipped: unsupported type (.txt)"),
        ("corpus", "llama3/baseline_system_metrics.json", "sha256:56b6ab7d6671b0e24f95522f0d8b16b55c7b70e62b57d65adec034f809440833"),
        ("corpus", "llama3/baseline_system_report.txt", "skipped: unsupported type (.txt)"),
        ("corpus", "llama3/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "llama3/ollama_param_tuning.csv", "sha256:adf145ba91067831f87780be04809e806791a15cef2b7d6dfb489ba4b00d276c"),
        ("corpus", "llama3/ollama_param_tuning_summary.csv", "sha256:94adf7c2be77144ef7757cac6f96534d1514f04e53ba3b2dc6a9a4a3774d6d53"),
        ("corpus", "llama3/ollama_quant_bench.csv", "sha256:73d6db339d5e1ebcf56695279adfb08f3b795077d4c316a27943f6dd66b68ce8"),
        ("corpus", "ollama/20251002-151204/prompt_suite_runs.csv", "sha256:95179434ec1c3a736ea070a135f136d78c3e4f5cf9d5bb062705538bb02fc660"),
        ("corpus", "ollama/20251002-151204/prompt_suite_summary.json", "sha256:01b97f31702036988262369f5694f58d4729d50e3efa590737be3ee3df4ecc6d"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_runs.csv", "sha256:5e45fa083b777901c065dac027bb65f6acc9153c1f518b51d8869416e548cabc"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_summary.json", "sha256:6039fe0c22ed9878fc0910e19e83bdffbb7b865a3008469c860a3aeb545608a5"),
        ("corpus", "ollama/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "README.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "broken/empty.csv", "skipped: empty file"),
        (
            "examples", "broken/truncated_run.json",
            "skipped: malformed JSON at line 93, column 4: unexpected end of file inside an array (truncated JSON?)"
        ),
        ("examples", "hyperfine/gzip_levels.json", "sha256:5a0d14c3ca5088784a03026dc59fa2874bfaf8ed58b76271af830b7f5c54b7c4"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.csv", "sha256:f155b2713a23b16dbf57b7de50c5442a1f380c33a02d9410e58bfd1e83b08bfe"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.json", "sha256:dc16b260f235cc4b088fe7a23de0986ebc48a3c611819b77068f08f8a23f1ec3"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.md", "sha256:2db8a30935266c5bfe46d5f3d6fb6ab1b6d0a464344884ea481cf8587618eb69"),
        ("examples", "notes.txt", "skipped: unsupported type (.txt)"),
        ("examples", "ollama-style/gemma3-270m_baseline.csv", "sha256:66d7b076b8dd986e5f4495fd8e1acf2114468b4585cbed9310cbc9e52d648375"),
        ("examples", "ollama-style/gemma3-270m_baseline.json", "sha256:81acac2e26717bc35a6813c1a074e2fda485f83f0a7fa47f5688467635a83975"),
        ("examples", "ollama-style/gemma3-270m_param_tuning.csv", "sha256:861f3199ead6f4b1269916d3297ad8df9c7c627c5d35c9f44d12ae1c1ed8f3c7"),
        ("examples", "ollama-style/gemma3-270m_param_tuning_summary.csv", "sha256:f0f150f514af82a427402cfa396fb0d61832585af247abee028c6a3f579adeb8"),
        ("examples", "ollama-style/gemma3-270m_runs.csv", "sha256:f425ecf351e2722e95231597c49334bd366dd89900c8a5268b596c0434f86061"),
        ("examples", "pytest-benchmark/bench.json", "sha256:93ad7b968a75019d1ce25c96a2e2c6f81a50e6be117c92e18bbc0d61152dab22"),
    ]
}
