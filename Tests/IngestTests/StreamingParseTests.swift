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
/// message (format 9), after checking the same against format 8, and
/// when a benchmark said whether its samples are appended runs (format 10),
/// after checking the same against format 9.
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
        ("corpus", "compilation/conv_bench_20251002-170837.json", "sha256:8b3e27c7d07674272dfee9adde5bba1c4c26df50b424ae0bf630d194722e2baf"),
        ("corpus", "compilation/conv_bench_20251002-170837.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "compilation/mlp_bench_20251002-165750.json", "sha256:7a0019294d3ba81fec51e0eef41021f8dfa1581f700ab98f7f88a6978e5676cf"),
        ("corpus", "compilation/mlp_bench_20251002-165750.md", "skipped: no benchmark data (Markdown without tables)"),
        (
            "corpus", "compilation/transformer_cuda_bench_20251002-172126.json",
            "sha256:a98eab46b26c956541b296c3e11d0182e612f1916e442fc67480050815dd8818"
        ),
        ("corpus", "compilation/transformer_cuda_bench_20251002-172126.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "diagnostics/ascii_demo_20251004_143244.json", "sha256:d6446b4a3f7ad4b5115e688292c51804705c5c8cf17d5fd7e008f2777374cdb9"),
        (
            "corpus", "diagnostics/self_healing_results_20251004_133717.json",
            "sha256:911a71a24a0be9baa5182e93c491d2a1fa3b011c2df32d046d2627b424fbd45f"
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
        ("corpus", "gemma3/Gemma3_Benchmark_Report.md", "sha256:ae9e4926e8a686467f2eed79cfba4a5e01157e634c4cbaf3644c1cb02151ef17"),
        ("corpus", "gemma3/SUMMARY.md", "skipped: no benchmark data (Markdown tables without numbers)"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.csv", "sha256:63923eddaf5810562ad65b39c98cde66d8dfc6bb3aad10e808ad03f2d2782091"),
        ("corpus", "gemma3/gemma3_1b-it-qat_baseline.json", "sha256:440bb0cdf64202a8a0aedefb388ffac67e97bc3138bdcc3800394b8b4d9b056d"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning.csv", "sha256:a67d428fd7f36369427670ee665d9ac4138c93f9691f56ea47376a8510d13dcd"),
        ("corpus", "gemma3/gemma3_1b-it-qat_param_tuning_summary.csv", "sha256:0e3be5ff2c5e55cf323d71df2472bcf3363773baddfd5b6a988dee06449ae952"),
        ("corpus", "gemma3/gemma3_270m_baseline.csv", "sha256:935064c5dac0dd11ba7d40ceedb99a20603dbc6792d1a4f0a0e5e4742b64e1d3"),
        ("corpus", "gemma3/gemma3_270m_baseline.json", "sha256:42634dc907a574b77598d578c919cd4c85aae20c7ad5465b3d745eaf091df45f"),
        ("corpus", "gemma3/gemma3_270m_param_tuning.csv", "sha256:d8576fb67fc2d4bd849be03f68c6818f1ab6ce6d2196349957f44cf7b9c2817f"),
        ("corpus", "gemma3/gemma3_270m_param_tuning_summary.csv", "sha256:805fc8d6f6020f3d423cf5db3805197226b95f35ca0345cc35ccde7c89634d8a"),
        ("corpus", "gemma3/gemma3_baseline.csv", "sha256:4be4bf5237778406cc01a3830a65fdb59c7b1b2dcdd2e228f4f772f19f44fd7f"),
        ("corpus", "gemma3/gemma3_baseline.json", "sha256:207d535e4d89eddbc6d0188e821acb405262766d4a74688de2b8fb0b75b93d4c"),
        ("corpus", "gemma3/gemma3_param_tuning.csv", "sha256:eacd1fa28cc806f3d45ffd5f967afc2b53b7d6fdff35279229c8aeb1b1a5c696"),
        ("corpus", "gemma3/gemma3_param_tuning_summary.csv", "sha256:c7f7b27af0811677ad0f5f3e5d3a7c8816486034b535dff7f73b4586562528b8"),
        ("corpus", "llama3/baseline_ml_metrics.json", "sha256:0042a71906008b0ce6379dc48a25ecbe9d9b3bac8220afc8b1ad3e11fef056ae"),
        // Skipped as an unsupported type before console output kept as text was read (format 11).
        (
            "corpus", "llama3/baseline_ml_report.txt",
            "skipped: no benchmark data (text without perf stat's report, hyperfine's output, ollama run --verbose timings, time's report, vllm bench serve's results, Google Benchmark's table, go test -bench's or sysbench's results or a table of results)"
        ),
        // Re-recorded when a file of no benchmark gave the machine it names
        // (its GPU's name), after checking it hashed as before without it.
        ("corpus", "llama3/baseline_system_metrics.json", "sha256:d946a52e171222e39a04df9e6d132eaba38cb8f29712c1de8ea936f2c1ca58ab"),
        ("corpus", "llama3/baseline_system_report.txt", "skipped: not UTF-8 text (invalid byte 0xB0 at line 16, column 20)"),
        ("corpus", "llama3/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("corpus", "llama3/ollama_param_tuning.csv", "sha256:dc3d65a4d07463da598fd850a179bd23161fd0f166b49ee224eb1e77f21d2bfb"),
        ("corpus", "llama3/ollama_param_tuning_summary.csv", "sha256:dd266d7d551f378ac7a974c2a1ea8dfcf9708aba8b251eb8c08f2f030325f9e2"),
        ("corpus", "llama3/ollama_quant_bench.csv", "sha256:f5ad900575b0c8251f2f83614e0268f2fcc00e8c56fad3df88d23ce9b146c8c4"),
        ("corpus", "ollama/20251002-151204/prompt_suite_runs.csv", "sha256:68e598d35ba19da5a8dcb22ce508a160907258e4eb13de11cf8ea1f1b5b04699"),
        ("corpus", "ollama/20251002-151204/prompt_suite_summary.json", "sha256:8133d704dfa19a1fdd468956b16c17d82e037ed878b17fe1242b5f8b83aaacca"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_runs.csv", "sha256:9dca609d387598ee4d6bcf348580f08f0f04d877ec90773e7fd37348ea819414"),
        ("corpus", "ollama/20251008-122701/gemma3_benchmark_summary.json", "sha256:475e1bd4ac7f1058f168a1580e19cfd78a9bef6dd06cf6ab1cd33c863d413deb"),
        ("corpus", "ollama/ollama_benchmark_summary.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "README.md", "skipped: no benchmark data (Markdown without tables)"),
        ("examples", "broken/empty.csv", "skipped: empty file"),
        // Skipped as malformed before its whole results were kept (format 7).
        ("examples", "broken/truncated_run.json", "sha256:d262adf72097168ddd7b3e83426ac655064bc02d2606f18b2e3558fb43ba74e4"),
        ("examples", "hyperfine/gzip_levels.json", "sha256:5725c3fd078e41f9296720874219a2f039575be61c64b4ac99adc2d22d7fcabb"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.csv", "sha256:7269c37b746f182830a2b51f25c46fa8a1075844b5d97d48cda83b0ce0ea620b"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.json", "sha256:631a333e2d30241447ec8f54a3bfa323de369630318339bc4ecdea48588a3e4e"),
        ("examples", "llama-bench/gemma3-270m-q4_k_m.md", "sha256:8cd5bafeec9ca7e00e68f47a69065df50c66b4e48796429751c75baec9a2aa33"),
        (
            "examples", "notes.txt",
            "skipped: no benchmark data (text without perf stat's report, hyperfine's output, ollama run --verbose timings, time's report, vllm bench serve's results, Google Benchmark's table, go test -bench's or sysbench's results or a table of results)"
        ),
        ("examples", "ollama-style/gemma3-270m_baseline.csv", "sha256:125af402e30c04c00b2a006694d77949860844d6d3bdfee86e22555add7dfd12"),
        ("examples", "ollama-style/gemma3-270m_baseline.json", "sha256:40609ecbae6c01fd0cd98422f9d9083298064d9255ece3e3310ae07371b8ab58"),
        ("examples", "ollama-style/gemma3-270m_param_tuning.csv", "sha256:edf960baf76e600b665b939ea5ec39933c5992e7085792e295c76b0759064e1c"),
        ("examples", "ollama-style/gemma3-270m_param_tuning_summary.csv", "sha256:c82e272e969d7bafa0a692b52c4b070ddf5d314829bc2853a356986ddcb01392"),
        ("examples", "ollama-style/gemma3-270m_runs.csv", "sha256:b813adcaded46340d054dc2efe771f7f16b3f40163a9660c50569a188655d110"),
        ("examples", "pytest-benchmark/bench.json", "sha256:f75d0f53def6c2e8fea8952fc214cd758726e0604d7612b337e662182cfebe7e"),
    ]
}
