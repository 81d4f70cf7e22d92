import Records
import Testing

@testable import Ingest

/// Each llama-bench result keeps the build and machine its row names, and
/// when it ran: results of several builds in one file (what
/// compare-llama-bench.py reads) stay apart.
@Suite struct LlamaBenchBuildParsingTests {
    static let header =
        "build_commit,build_number,cpu_info,gpu_info,backends,model_filename,model_type,model_size,model_n_params,n_batch,n_ubatch,n_threads,cpu_mask,cpu_strict,poll,type_k,type_v,n_gpu_layers,n_cpu_moe,split_mode,main_gpu,no_kv_offload,flash_attn,devices,tensor_split,tensor_buft_overrides,load_mode,lazy_mode,embeddings,no_op_offload,no_host,repack,fit_target,fit_min_ctx,n_prompt,n_gen,n_depth,test_time,avg_ns,stddev_ns,avg_ts,stddev_ts"

    static func csvRow(_ commit: String, _ number: Int, _ time: String, gen: Int, rate: Double) -> String {
        "\"\(commit)\",\"\(number)\",\"AMD EPYC\",\"\",\"CPU\",\"/models/SmolLM2-135M-Instruct.Q4_1.gguf\",\"llama 256M Q4_1\",\"96576768\",\"134515008\",\"2048\",\"512\",\"1\",\"0x0\",\"0\",\"50\",\"f16\",\"f16\",\"-1\",\"0\",\"layer\",\"0\",\"0\",\"-1\",\"auto\",\"0.00\",\"none\",\"auto\",\"auto\",\"0\",\"0\",\"0\",\"1\",\"0\",\"0\",\"0\",\"\(gen)\",\"0\",\"\(time)\",\"105031836\",\"2421624\",\"\(rate)\",\"1.774694\""
    }

    static func parse(_ text: String, _ name: String) throws -> Extraction {
        guard case .extracted(let extraction) = ContentParser.parse(Array(text.utf8), fileName: name) else {
            Issue.record("\(name) did not parse")
            throw CancellationError()
        }
        return extraction
    }

    @Test("a CSV of two builds: each result keeps its own build, machine and test time")
    func csvRowsKeepTheirBuild() throws {
        let text = [
            Self.header, Self.csvRow("9f8e7d6c", 5102, "2026-11-21T10:00:00Z", gen: 8, rate: 68.7),
            Self.csvRow("1a2b3c4d", 5090, "2026-11-20T10:00:00Z", gen: 8, rate: 76.2),
        ].joined(separator: "\n")
        let extraction = try Self.parse(text, "runs.csv")
        #expect(extraction.shape == .llamaBenchCSV)
        let results = extraction.llamaBench
        #expect(results.count == 2)
        #expect(results[0].environment[name: "build_commit"] == "9f8e7d6c" && results[0].environment[name: "build_number"] == "5102")
        #expect(results[1].environment[name: "build_commit"] == "1a2b3c4d" && results[1].environment[name: "build_number"] == "5090")
        #expect(results.allSatisfy { $0.environment[name: "cpu_info"] == "AMD EPYC" && $0.environment[name: "backends"] == "CPU" })
        // An empty column (no GPU) says nothing.
        #expect(results.allSatisfy { $0.environment[name: "gpu_info"] == nil })
        #expect(results.map(\.testTime) == ["2026-11-21T10:00:00Z", "2026-11-20T10:00:00Z"])
        // The build is no parameter: the two results have one key.
        #expect(results[0].parameters == results[1].parameters)
        #expect(!results[0].parameters.contains { ["build_commit", "build_number", "test_time"].contains($0.name) })
    }

    /// `-o csv` writes a float setting as `-1.000000` and a flag as `0`,
    /// `-o json` as `-1` and `false`: a build saved in one format was never
    /// compared with one saved in the other (campaign s33).
    @Test("the same settings key the same results in CSV and in JSON")
    func csvAndJSONSettingsAgree() throws {
        let csv = """
            model_type,n_threads,defrag_thold,embeddings,tensor_split,n_prompt,n_gen,n_depth,test_time,avg_ts,stddev_ts
            "llama 8B Q4_K_M","8","-1.000000","0","0x0","0","128","0","2026-11-20T10:00:00Z","163.36","0.5"
            """
        let json = """
            [ { "model_type": "llama 8B Q4_K_M", "n_threads": 8, "defrag_thold": -1.000000, "embeddings": false, "tensor_split": "0x0",
                "n_prompt": 0, "n_gen": 128, "n_depth": 0, "test_time": "2026-11-21T10:00:00Z", "avg_ts": 148.51, "stddev_ts": 0.5 } ]
            """
        let fromCSV = try #require(try Self.parse(csv, "old.csv").llamaBench.first)
        let fromJSON = try #require(try Self.parse(json, "new.json").llamaBench.first)
        #expect(fromCSV.parameters == fromJSON.parameters, "\(fromCSV.parameters) \(fromJSON.parameters)")
        #expect(fromCSV.parameters[name: "defrag_thold"] == "-1")
    }

    @Test("JSON: the numeric build_number is read as the text llama-bench prints")
    func jsonBuildNumber() throws {
        let text = """
            [ { "build_commit": "9f8e7d6c", "build_number": 5102, "cpu_info": "AMD EPYC", "gpu_info": "", "backends": "CPU",
                "model_type": "llama 256M Q4_1", "n_threads": 1, "n_prompt": 0, "n_gen": 8, "n_depth": 0,
                "test_time": "2026-11-21T10:00:00Z", "avg_ts": 68.7, "stddev_ts": 0.5, "samples_ts": [ 68.5, 69, 68, 68.8, 69.2 ] } ]
            """
        let result = try #require(try Self.parse(text, "new.json").llamaBench.first)
        #expect(
            result.environment == [
                Parameter("backends", "CPU"), Parameter("build_commit", "9f8e7d6c"), Parameter("build_number", "5102"),
                Parameter("cpu_info", "AMD EPYC"),
            ])
        #expect(result.testTime == "2026-11-21T10:00:00Z")
        #expect(result.samples.count == 5)
    }

    @Test("Markdown: the build line under the table names the build of its rows")
    func markdownBuildLine() throws {
        let table = """
            | model                          |       size |     params | backend    | threads |            test |                  t/s |
            | ------------------------------ | ---------: | ---------: | ---------- | ------: | --------------: | -------------------: |
            | llama 256M Q4_1                |  92.10 MiB |   134.52 M | CPU        |       1 |            pp16 |       123.72 ± 10.81 |
            | llama 256M Q4_1                |  92.10 MiB |   134.52 M | CPU        |       1 |             tg8 |         72.69 ± 3.94 |

            """
        let built = try Self.parse(table + "build: 9f8e7d6c (5102)\n", "new.md").llamaBench
        #expect(built.count == 2)
        #expect(built.allSatisfy { $0.environment == [Parameter("build_commit", "9f8e7d6c"), Parameter("build_number", "5102")] })
        #expect(built.allSatisfy { $0.testTime == nil })
        // Without the line, or with other text there, no build.
        #expect(try Self.parse(table, "plain.md").llamaBench.allSatisfy(\.environment.isEmpty))
        #expect(try Self.parse(table + "Built on Tuesday (5102)\n", "note.md").llamaBench.allSatisfy(\.environment.isEmpty))
    }

    @Test(
        "the build line's forms",
        arguments: [
            ("build: 9f8e7d6c (5102)", [Parameter("build_commit", "9f8e7d6c"), Parameter("build_number", "5102")]),
            ("build: unknown (0)", [Parameter("build_commit", "unknown"), Parameter("build_number", "0")]),
            ("build:   b1c2d3e  ", [Parameter("build_commit", "b1c2d3e")]),
            ("build: a b (12)", []),
            ("build: abc (twelve)", []),
            ("build: (12)", []),
            ("build:", []),
            ("builder: abc (1)", []),
        ])
    func buildLineForms(line: String, expected: [Parameter]) {
        #expect(LlamaBenchFormat.build(trailer: line) == expected)
    }

    @Test("a table's trailer is the short line of text right after it, and nothing else")
    func tableTrailer() {
        let table = "| a | b |\n| - | - |\n| 1 | 2 |\n"
        #expect(MarkdownDocument(text: Array((table + "\nbuild: x (1)\n").utf8)).tables.first?.trailer == "build: x (1)")
        #expect(MarkdownDocument(text: Array((table + "## Next\nbuild: x (1)\n").utf8)).tables.first?.trailer == nil)
        // A paragraph is prose: not kept, and nothing is noted as cut.
        let long = MarkdownDocument(text: Array((table + String(repeating: "word ", count: 2000) + "\n").utf8))
        #expect(long.tables.first?.trailer == nil && long.notes.isEmpty)
        // The line after the first table belongs to it; the second table has none.
        let two = MarkdownDocument(text: Array((table + "first\n\n" + table).utf8))
        #expect(two.tables.map(\.trailer) == ["first", nil])
    }

    @Test("a table in an HTML comment or a fenced code block renders as none and is no data")
    func commentedAndFencedTablesAreNoData() {
        let table = "| a | b |\n| - | - |\n| 1 | 2 |\n"
        let text =
            "# Notes\n<!--\n" + table + "-->\n```\n" + table + "```\n~~~~ text\n" + table + "~~~\n~~~~\n<!-- one line --> \n"
            + "| x | y |\n| - | - |\n| 3 | 4 |\n"
        let document = MarkdownDocument(text: Array(text.utf8))
        #expect(document.tables.map(\.header) == [["x", "y"]], "\(document.tables)")
        #expect(document.tables.first?.heading == "Notes")
        // Three backticks with more after them on the line are code in a line, no fence.
        #expect(MarkdownDocument(text: Array(("```x``` is inline\n" + table).utf8)).tables.count == 1)
        // A comment left open hides the rest, as a renderer would.
        #expect(MarkdownDocument(text: Array(("<!-- open\n" + table).utf8)).tables.isEmpty)
    }

    @Test("a result's build and test time survive the store's encoding; an older encoding is refused")
    func binaryRoundTrip() throws {
        let extraction = Extraction(
            shape: .llamaBenchJSON,
            llamaBench: [
                LlamaBenchResult(
                    model: "llama 256M Q4_1", test: "tg8", parameters: [Parameter("n_threads", "1")], tokensPerSecond: 68.7,
                    stddevTokensPerSecond: 0.45, samples: [68.5, 69], environment: [Parameter("build_commit", "9f8e7d6c")],
                    testTime: "2026-11-21T10:00:00Z"),
                LlamaBenchResult(
                    model: "llama 256M Q4_1", test: "pp16", parameters: [], tokensPerSecond: 120, stddevTokensPerSecond: nil,
                    samples: []),
            ])
        let bytes = extraction.encoded()
        #expect(try Extraction(decoding: bytes) == extraction)
        var older = bytes
        older[0] = 3
        #expect(throws: BinaryReader.Failure.self) { try Extraction(decoding: older) }
    }
}
