import Foundation
import Records
import Testing

@testable import Analysis

@Suite struct LeaderboardTests {
    private let noInputs = InputFacts(roots: [], filesSeen: 0, filesAnalyzed: 0, skipped: [], changed: [], deleted: [], added: [])

    private func runs(_ tokensPerSecond: [Double], ttft: Double = 0.1) -> [LLMRun] {
        tokensPerSecond.enumerated().map { index, tps in
            LLMRun(
                ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: tps, ttftSeconds: ttft, loadSeconds: 0.1,
                evalCount: 100)
        }
    }

    private func failed(_ count: Int) -> [LLMRun] {
        (0..<count).map { LLMRun(ordinal: $0, promptKey: UInt64(100 + $0), error: "connection refused") }
    }

    private func runFile(_ model: String, _ configuration: [Parameter], _ runs: [LLMRun], shape: Shape = .ollamaRuns) -> Extraction {
        Extraction(shape: shape, runSets: [RunSet(model: model, configuration: configuration, runs: runs)])
    }

    private func analyse(_ files: [(String, Extraction)]) -> (Facts, [GroupResult]) {
        var analyzer = Analyzer(catalog: files.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        let facts = analyzer.finish(inputs: noInputs, previous: nil, previousAt: nil)
        return (facts, analyzer.results)
    }

    static let q4 = "llama3.1:8b-instruct-q4_0"
    static let q8 = "llama3.1:8b-instruct-q8_0"

    /// q4_0 under three configurations (one whose only session failed whole)
    /// and a sweep point, q8_0 once, and a model a configuration says ran on vLLM.
    private func fixture() -> (Facts, [GroupResult]) {
        analyse([
            ("a/q4.csv", runFile(Self.q4, [Parameter("tag", "q4_0")], runs([70, 80, 90, 100], ttft: 0.2))),
            ("b/q4.csv", runFile(Self.q4, [Parameter("num_ctx", "2048")], runs([50, 60], ttft: 0.4))),
            ("c/q4.csv", runFile(Self.q4, [Parameter("num_ctx", "4096")], failed(3))),
            (
                "d/llama_param_tuning.csv",
                runFile(Self.q4, [Parameter("num_ctx", "1024"), Parameter("temperature", "0.2")], runs([500]), shape: .parameterSweep)
            ),
            ("e/q8.csv", runFile(Self.q8, [], runs([40, 44, 48], ttft: 0.3))),
            ("f/qwen.csv", runFile("qwen2.5:7b", [Parameter("backend", "vllm")], runs([120]))),
        ])
    }

    /// Prefill throughput: prompt tokens over prompt seconds, summed over the
    /// good runs that record both, pooled over a row's groups as totals, and
    /// kept through the group cache.
    @Test func prefillIsPromptTokensOverPromptSeconds() throws {
        func run(_ index: Int, tokens: Double?, seconds: Double?, error: String? = nil) -> LLMRun {
            LLMRun(
                ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: error == nil ? 50 : nil,
                ttftSeconds: error == nil ? 0.1 : nil, loadSeconds: 0.1, promptEvalSeconds: seconds, promptEvalCount: tokens,
                evalCount: error == nil ? 100 : nil, error: error)
        }
        let (facts, results) = analyse([
            (
                "a.csv",
                runFile(
                    "m", [Parameter("num_ctx", "2048")],
                    [
                        run(0, tokens: 100, seconds: 0.5), run(1, tokens: 300, seconds: 0.5), run(2, tokens: nil, seconds: nil),
                        run(3, tokens: 900, seconds: 0.1, error: "connection refused"),
                    ])
            ),
            ("b.csv", runFile("m", [Parameter("num_ctx", "4096")], [run(0, tokens: 600, seconds: 1.0)])),
            ("c.csv", runFile("n", [], runs([40, 41]))),
        ])
        let groups = facts.runGroups.filter { $0.model == "m" }
        #expect(groups.map(\.prefillTokensPerSecond) == [400, 600], "failed runs and runs without prompts left out")
        let row = try #require(facts.leaderboard.rows.first { $0.model == "m" })
        #expect(row.prefillTokensPerSecond == 1000.0 / 2.0, "totals pooled, not rates averaged")
        #expect(facts.leaderboard.rows.first { $0.model == "n" }?.prefillTokensPerSecond == nil)
        for result in results {
            #expect(try GroupResult(decoding: result.encoded()) == result)
        }
    }

    @Test(
        "quantisation from the model name's last component, any case, spelled one way",
        arguments: [
            ("llama3.1:8b-instruct-q4_0", "llama3.1:8b-instruct", "q4_0"),
            ("llama3.1:8b-instruct-q5_K_M", "llama3.1:8b-instruct", "q5_K_M"),
            ("llama3.1:8b-instruct-Q4_K_M", "llama3.1:8b-instruct", "q4_K_M"),
            ("llama3.1:8b-instruct-q4_k_s", "llama3.1:8b-instruct", "q4_K_S"),
            ("mistral:7b-instruct-v0.3-q2_K", "mistral:7b-instruct-v0.3", "q2_K"),
            ("qwen2.5:7b-instruct-q6_K", "qwen2.5:7b-instruct", "q6_K"),
            ("gemma3:1b-it-qat", "gemma3:1b-it", "qat"),
            ("llama3:70b-instruct-fp16", "llama3:70b-instruct", "fp16"),
            ("phi3:3.8b-mini-4k-instruct-F16", "phi3:3.8b-mini-4k-instruct", "f16"),
            ("gemma2:2b-instruct-bf16", "gemma2:2b-instruct", "bf16"),
            ("tinyllama:1.1b-chat-f32", "tinyllama:1.1b-chat", "f32"),
            ("hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF", "q4_K_M"),
            ("Llama-3.2-1B-Instruct-IQ2_XXS.gguf", "Llama-3.2-1B-Instruct", "iq2_XXS"),
            ("Meta-Llama-3-8B.iq4_nl", "Meta-Llama-3-8B", "iq4_NL"),
            ("Llama-3.2-1B.Q8_0.gguf", "Llama-3.2-1B", "q8_0"),
            ("bitnet:2b-tq1_0", "bitnet:2b", "tq1_0"),
            ("phi:2.7b-q4_0_4_4", "phi:2.7b", "q4_0_4_4"),
            ("model_q8_0", "model", "q8_0"),
            ("qwen3:q3_K_L", "qwen3", "q3_K_L"),
            ("q4_0", "q4_0", "q4_0"),
        ])
    func quantFromName(_ model: String, _ family: String, _ quant: String) {
        #expect(ModelQuantisation(model: model) == ModelQuantisation(family: family, quant: quant))
    }

    @Test(
        "names without a quantisation keep their whole name as the family",
        arguments: [
            "gemma3:270m", "gemma3:latest", "qwen2.5:7b", "llama3.1:8b-instruct-q9_0", "model-q4_x", "qwen", "q", "gemma3:1b-it-q1",
            "deepseek-r1:1.5b", "mixtral:8x7b", "x-q4_0_", "m:k_m",
        ])
    func noQuant(_ model: String) {
        #expect(ModelQuantisation(model: model) == ModelQuantisation(family: model, quant: nil))
    }

    @Test("the configuration's quantisation wins over the name's; a tag counts only when it names one")
    func quantFromConfiguration() {
        func quant(_ model: String, _ parameters: [(String, String)]) -> ModelQuantisation {
            ModelQuantisation(model: model, configuration: parameters.map { Parameter($0.0, $0.1) })
        }
        #expect(quant("llama3:8b", [("quant", "Q8_0")]) == ModelQuantisation(family: "llama3:8b", quant: "q8_0"))
        #expect(quant("llama3:8b", [("Quantization", "nf4")]) == ModelQuantisation(family: "llama3:8b", quant: "nf4"))
        #expect(quant("llama3:8b", [("quantization_level", "Q4_K_M")]).quant == "q4_K_M")
        #expect(quant("llama3:8b", [("tag", "8b-instruct-q5_K_M")]).quant == "q5_K_M")
        #expect(quant("gemma3:1b-it-qat", [("tag", "latest")]) == ModelQuantisation(family: "gemma3:1b-it", quant: "qat"))
        #expect(quant("llama3.1:8b-instruct-q4_0", [("tag", "q4_0")]) == ModelQuantisation(family: "llama3.1:8b-instruct", quant: "q4_0"))
        #expect(quant("llama3.1:8b-instruct-q4_0", [("quant", "q8_0")]).quant == "q8_0")
        #expect(quant("llama3:8b", [("quant", " ")]).quant == nil)
    }

    @Test("one row per model, quantisation and backend, fastest first, sweeps left out, configurations pooled")
    func rowsThroughTheAnalyzer() throws {
        let (facts, _) = fixture()
        let rows = facts.leaderboard.rows
        #expect(rows.map(\.model) == ["qwen2.5:7b", Self.q4, Self.q8])
        #expect(rows.map(\.backend) == ["vllm", "ollama", "ollama"])
        #expect(rows.map(\.quant) == [nil, "q4_0", "q8_0"])
        let q4 = rows[1]
        #expect(q4.family == "llama3.1:8b-instruct")
        #expect(q4.configurations == 3, "tag=q4_0, num_ctx=2048 and num_ctx=4096; the sweep point is not pooled")
        #expect(q4.runsOK == 6 && q4.runsFailed == 3)
        #expect(q4.sessions == 3 && q4.failedSessions == 1)
        // c/q4.csv ran nothing at all: a harness failure, counted apart.
        #expect(q4.runsFailedHarness == 3 && q4.failedSessionsHarness == 1)
        // Pooled over 50, 60, 70, 80, 90, 100 (type 7).
        #expect(q4.tokensPerSecondMedian == 75)
        #expect(q4.tokensPerSecondLowerQuartile == 62.5)
        #expect(q4.tokensPerSecondUpperQuartile == 87.5)
        // Warm TTFT over 0.2 ×4 and 0.4 ×2: sample values are single precision.
        let ttftMedian = try #require(q4.ttftMedian)
        #expect(abs(ttftMedian - 0.2) < 1e-6)
        let ttftP95 = try #require(q4.ttftP95)
        #expect(abs(ttftP95 - 0.4) < 1e-6)
        #expect(q4.prefillTokensPerSecond == nil, "no run records its prompt")
        // One measured group: its own exact figures.
        let q8 = rows[2]
        #expect(q8.configurations == 1 && q8.sessions == 1 && q8.failedSessions == 0 && q8.runsFailedHarness == 0)
        #expect(q8.tokensPerSecondMedian == 44 && q8.tokensPerSecondLowerQuartile == 42 && q8.tokensPerSecondUpperQuartile == 46)
        #expect(q8.ttftMedian == 0.3 && q8.ttftP95 == 0.3)
    }

    @Test("a group's quartiles are exact and survive the group cache")
    func quartilesAreCached() throws {
        let (facts, results) = fixture()
        let group = try #require(facts.runGroups.first { $0.model == Self.q4 && $0.configuration == [Parameter("tag", "q4_0")] })
        // 70, 80, 90, 100: positions 0.75 and 2.25.
        #expect(group.tokensPerSecondLowerQuartile == 77.5 && group.tokensPerSecondUpperQuartile == 92.5)
        for result in results { #expect(try GroupResult(decoding: result.encoded()) == result) }
        // A report that adopts every group from the cache ranks alike.
        var adopting = Analyzer(catalog: [])
        for result in try results.map({ try GroupResult(decoding: $0.encoded()) }) { adopting.adopt(result) }
        #expect(adopting.finish(inputs: noInputs, previous: nil, previousAt: nil).leaderboard == facts.leaderboard)
    }

    @Test("a family's quantisations compared to the fastest, every number cited")
    func quantisationFinding() throws {
        let (facts, _) = fixture()
        let comparison = try #require(facts.leaderboard.quantisation.first)
        #expect(facts.leaderboard.quantisation.count == 1)
        #expect(comparison.family == "llama3.1:8b-instruct" && comparison.backend == "ollama")
        #expect(comparison.entries.map(\.quant) == ["q4_0", "q8_0"])
        #expect(comparison.entries.map(\.ratio) == [1, 44.0 / 75.0])
        let finding = try #require(facts.leaderboard.quantisationFindings().first)
        #expect(finding.id == "quantisation")
        #expect(
            finding.text
                == "llama3.1:8b-instruct on ollama, median decode by quantisation: q4_0 75.00 tok/s, q8_0 44.00 (0.59×), each against the fastest.")
        #expect(finding.figures == ["75.00", "44.00", "0.59×"])
        for figure in finding.figures { #expect(finding.text.contains(figure)) }
        // Every number left once the family and the quantisations are taken out is a figure.
        var text = finding.text.replacingOccurrences(of: comparison.family, with: " ")
        for entry in comparison.entries { text = text.replacingOccurrences(of: entry.quant, with: " ") }
        let cited = Set(finding.figures.flatMap { $0.matches(of: #/\d+(?:\.\d+)?/#).map { String($0.output) } })
        for match in text.matches(of: #/\d+(?:\.\d+)?/#) { #expect(cited.contains(String(match.output)), "\(match.output) not cited") }
    }

    @Test("the corpus's llama3.1:8b-instruct quantisations, as ollama_quant_bench.csv has them")
    func corpusQuantisations() throws {
        func bench(_ quant: String, _ values: [Double]) -> (String, Extraction) {
            ("llama3/ollama_quant_bench.csv", runFile("llama3.1:8b-instruct-\(quant)", [Parameter("tag", quant)], runs(values)))
        }
        let file = Extraction(
            shape: .ollamaRuns,
            runSets: [
                bench("q4_0", [74.11, 76.96, 76.72, 78.26, 76.88]), bench("q5_K_M", [64.85, 65.03, 65.14, 65.89, 65.01]),
                bench("q8_0", [46.04, 46.79, 46.54, 46.85, 46.64]),
            ].flatMap(\.1.runSets))
        let (facts, _) = analyse([("llama3/ollama_quant_bench.csv", file)])
        let finding = try #require(facts.leaderboard.quantisationFindings().first)
        #expect(finding.text.contains("q4_0 76.88 tok/s, q5_K_M 65.03 (0.85×), q8_0 46.64 (0.61×)"))
    }

    @Test("pooled quantiles weigh each sampled value by the runs it stands for")
    func pooledQuantiles() throws {
        #expect(Sample.pooledQuantile([], 0.5) == nil)
        let complete = [Sample(drawingFrom: [10, 20, 30, 40]), Sample(drawingFrom: [50, 60, 70, 80])]
        #expect(Sample.pooledQuantile(complete, 0.5) == 45)
        #expect(Sample.pooledQuantile(complete, 0.25) == 27.5)
        // 8 runs sampled as 4 (weight 2 each) and one run of its own: the
        // median is the third sampled value, the one from 5 or 6.
        let large = Sample(drawingFrom: [1, 2, 3, 4, 5, 6, 7, 8], capacity: 4)
        #expect(large.count == 4 && large.population == 8)
        let median = try #require(Sample.pooledQuantile([large, Sample(drawingFrom: [100])], 0.5))
        #expect((5...6).contains(median))
        // Figures of single-precision values read as their shortest decimal, as numpy gives them.
        let runs = [Sample(drawingFrom: [18.2011, 18.4299]), Sample(drawingFrom: [0.05475])]
        #expect(Sample.pooledQuantile([runs[0]], 0.5) == 18.3155)
        #expect(Sample.pooledQuantile([runs[1]], 0.5) == 0.05475)
        // A value a Float holds exactly keeps every digit (12,345,678 ns is not 12,345,680).
        #expect(Sample.pooledQuantile([Sample(drawingFrom: [12_345_678])], 0.5) == 12_345_678)
    }
}
