import Records
import Testing

@testable import Analysis

/// Findings read in a minute: each compilation finding says which bench it
/// is about, none says the same thing twice, and comparisons set like
/// against like.
@Suite struct ReadableFindingsTests {
    private let noInputs = InputFacts(roots: [], filesSeen: 0, filesAnalyzed: 0, skipped: [], changed: [], deleted: [], added: [])

    private func analyse(_ files: [(String, Extraction)]) -> Facts {
        var analyzer = Analyzer(catalog: files.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        return analyzer.finish(inputs: noInputs, previous: nil, previousAt: nil)
    }

    /// One compilation bench: `means` per backend (nil: failed with `error`).
    private func bench(
        _ model: String, _ parameters: [Parameter], _ means: KeyValuePairs<String, Double?>, error: String = "no triton"
    )
        -> Extraction
    {
        Extraction(
            shape: .compilationBench,
            compilation: means.map { backend, mean in
                CompilationResult(
                    model: model, backend: backend, succeeded: mean != nil, error: mean == nil ? error : nil,
                    compileSeconds: backend == "eager" ? nil : 2, meanMilliseconds: mean, stddevMilliseconds: nil, minMilliseconds: nil,
                    maxMilliseconds: nil, parameters: parameters)
            })
    }

    private func runs(_ tokensPerSecond: [Double]) -> [LLMRun] {
        tokensPerSecond.enumerated().map { index, tps in
            LLMRun(ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: tps, ttftSeconds: 0.1, loadSeconds: 0.1, evalCount: 100)
        }
    }

    private func runFile(_ model: String, _ tokensPerSecond: [Double], configuration: [Parameter] = []) -> Extraction {
        Extraction(shape: .ollamaRuns, runSets: [RunSet(model: model, configuration: configuration, runs: runs(tokensPerSecond))])
    }

    private static let compileKinds: Set<String> = ["compile-fastest", "compile-failed", "compile-slower", "compile-backend"]

    /// mlp at two batch sizes (the second twice, in two files, alike), and a
    /// transformer whose torch_compile failed in both of its files.
    private func compilationFixture() -> Facts {
        let small = [Parameter("batch_size", "4"), Parameter("device", "cpu"), Parameter("hidden_dim", "512"), Parameter("runs", "10")]
        let large = [Parameter("batch_size", "16"), Parameter("device", "cpu"), Parameter("hidden_dim", "512"), Parameter("runs", "10")]
        let transformer = [Parameter("batch_size", "2"), Parameter("seq_len", "128"), Parameter("device", "cuda"), Parameter("runs", "10")]
        return analyse([
            ("compilation/mlp_b4.json", bench("mlp", small, ["eager": 0.5, "jit": 0.6, "torch_compile": 0.8, "onnx": 0.05])),
            ("compilation/mlp_b16.json", bench("mlp", large, ["eager": 2, "jit": 2.5, "torch_compile": 4, "onnx": 0.2])),
            ("compilation/again/mlp_b16.json", bench("mlp", large, ["eager": 2, "jit": 2.5, "torch_compile": 4, "onnx": 0.2])),
            ("compilation/tf_1.json", bench("transformer", transformer, ["eager": 0.8, "torch_compile": nil, "tensorrt": nil])),
            ("compilation/tf_2.json", bench("transformer", transformer, ["eager": 0.9, "torch_compile": nil, "tensorrt": nil])),
        ])
    }

    @Test func eachCompilationFindingNamesItsBenchFileAndBackend() throws {
        let facts = compilationFixture()
        let compile = (facts.findings + facts.recommendations).filter { Self.compileKinds.contains($0.id) }
        #expect(!compile.isEmpty)
        let contexts = FindingRules.compilationContexts(facts.compilation)
        for finding in compile {
            let index = try #require(contexts.indices.first { finding.text.contains(contexts[$0] + " ") }, "no context: \(finding.text)")
            let bench = facts.compilation[index]
            // The parameters that tell benches apart, and where it ran; never how it was timed.
            for name in ["batch_size", "device"] {
                let value = try #require(bench.parameters[name: name])
                #expect(finding.text.contains("\(name)=\(value)"), "\(finding.text)")
            }
            if bench.model == "transformer" { #expect(finding.text.contains("seq_len=128")) }
            #expect(!finding.text.contains("runs=10") && !finding.text.contains("hidden_dim"), "\(finding.text)")
            // A file it holds in, cited as the report cites paths.
            #expect(facts.compilation.contains { finding.text.contains(" in \($0.source)") || finding.text.contains($0.source + ",") })
            #expect(facts.compilation.contains { finding.figures.contains($0.source) })
            // And a backend.
            #expect(["eager", "jit", "torch_compile", "onnx", "tensorrt"].contains { finding.text.contains($0) })
        }
        let fastest = compile.filter { $0.id == "compile-fastest" }.map(\.text)
        #expect(fastest.contains { $0.hasPrefix("onnx is the fastest backend for mlp (batch_size=4, device=cpu) in compilation/mlp_b4.json: ") })
        #expect(fastest.contains { $0.hasPrefix("onnx is the fastest backend for mlp (batch_size=16, device=cpu) in 2 files") })
    }

    @Test func findingsThatSayTheSameAboutOneContextAreMerged() throws {
        let facts = compilationFixture()
        let compile = (facts.findings + facts.recommendations).filter { Self.compileKinds.contains($0.id) }
        // No two read alike.
        #expect(Set(compile.map(\.text)).count == compile.count, "\(compile.map(\.text))")
        // The twice-measured batch of 16 is said once, with both files and the count.
        let large = compile.filter { $0.id == "compile-fastest" && $0.text.contains("batch_size=16") }
        #expect(large.count == 1)
        let merged = try #require(large.first)
        #expect(merged.text.contains("in 2 files (compilation/mlp_b16.json, compilation/again/mlp_b16.json): 0.200 ms mean"))
        #expect(merged.figures.contains("2"))
        // Two backends failing with one message in the same two files: one finding naming both.
        let failed = compile.filter { $0.id == "compile-failed" }
        #expect(failed.count == 1)
        #expect(
            failed.first?.text
                == "torch_compile and tensorrt failed for transformer (batch_size=2, device=cuda, seq_len=128) in 2 files (compilation/tf_1.json, compilation/tf_2.json): \"no triton\"."
        )
        // The backends slower than eager in one bench: one finding listing each.
        let slower = compile.filter { $0.id == "compile-slower" && $0.text.contains("batch_size=4") }
        #expect(slower.count == 1)
        #expect(slower.first?.text.hasPrefix("jit and torch_compile are slower than eager for mlp (batch_size=4, device=cpu)") == true)
        #expect(slower.first?.text.contains("jit 0.83× of eager speed after 2.000 s of compilation, torch_compile 0.62× after 2.000 s") == true)
        // Every number shown is cited, the count and each path included.
        for finding in compile {
            for figure in finding.figures { #expect(finding.text.contains(figure), "\(figure) not in \(finding.text)") }
        }
    }

    @Test func differentFiguresForOneContextAreListedPerFile() {
        let parameters = [Parameter("batch_size", "8"), Parameter("device", "cpu")]
        let facts = analyse([
            ("a.json", bench("conv", parameters, ["eager": 4, "onnx": 1])),
            ("b.json", bench("conv", parameters, ["eager": 4, "onnx": 2])),
        ])
        let fastest = facts.findings.filter { $0.id == "compile-fastest" }
        #expect(
            fastest.map(\.text) == [
                "onnx is the fastest backend for conv (batch_size=8, device=cpu) in 2 files: 1.000 ms mean, 4.00× faster than eager (4.000 ms) in a.json; 2.000 ms mean, 2.00× faster than eager (4.000 ms) in b.json."
            ])
    }

    @Test func aBenchWithoutSizeOrDeviceShowsItsOwnParameters() {
        let facts = analyse([("m.json", bench("mlp", [Parameter("hidden_dim", "512"), Parameter("runs", "10")], ["eager": 1, "onnx": 0.5]))])
        #expect(FindingRules.compilationContexts(facts.compilation) == ["mlp (hidden_dim=512)"])
    }

    @Test(arguments: [
        ("gemma3:270m", "270m"), ("gemma3:1b-it-qat", "1b"), ("llama3.1:8b-instruct-q4_0", "8b"), ("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "1b"),
        ("qwen2.5:1.5b", "1.5b"), ("mixtral:8x7b", "8x7b"), ("qwen3:30b-a3b", "30b"),
    ])
    func modelSizeComesFromTheName(model: String, size: String) {
        #expect(ModelSize.of(model) == size)
    }

    @Test(arguments: ["gemma3:latest", "phi3:mini", "llama3.1", "gpt2", "model-v1.5", "b", "1.5.5b"])
    func aNameWithoutASizeHasNone(model: String) {
        #expect(ModelSize.of(model) == nil)
    }

    /// The model names a finding mentions, longest first so that a name inside another is not counted twice.
    private func models(in text: String, of facts: Facts) -> [String] {
        var rest = text
        var found: [String] = []
        for model in Set(facts.runGroups.map(\.model)).sorted(by: { $0.count > $1.count }) where rest.contains(model) {
            found.append(model)
            rest = rest.replacingOccurrences(of: model, with: " ")
        }
        return found
    }

    @Test func theFastestModelIsNeverSetAgainstAModelOfAnotherSize() throws {
        let facts = analyse([
            ("a.csv", runFile("gemma3:270m", [290, 295, 300])),
            ("b.csv", runFile("gemma3:1b-it-qat", [180, 182, 184])),
            ("c.csv", runFile("gemma3:latest", [100, 102, 104])),
            ("d.csv", runFile("llama3.1:8b-instruct-q4_0", [76, 77, 78])),
            ("e.csv", runFile("llama3.1:8b-instruct-q8_0", [46, 47, 48])),
        ])
        let fastest = try #require(facts.findings.first { $0.id == "fastest-model" })
        #expect(models(in: fastest.text, of: facts) == ["gemma3:270m"])
        #expect(
            fastest.text
                == "gemma3:270m decodes fastest of the 5 models measured, at a median 295.00 tok/s; no other model measured has its parameter count, so it is compared with none."
        )
        #expect(fastest.figures == ["295.00", "5"])
        // Every comparison names models of one size only.
        for finding in facts.findings where ["fastest-model", "quantisation", "backend-comparison"].contains(finding.id) {
            let sizes = Set(models(in: finding.text, of: facts).map { ModelSize.of($0) ?? $0 })
            #expect(sizes.count <= 1, "\(finding.text)")
        }
        #expect(facts.findings.contains { $0.id == "quantisation" && $0.text.hasPrefix("llama3.1:8b-instruct on ollama") })
    }

    @Test func modelsOfOneSizeAreCompared() throws {
        let facts = analyse([
            ("a.csv", runFile("gemma3:1b", [180, 182, 184])),
            ("b.csv", runFile("llama3.1:8b", [70, 71, 72])),
            ("c.csv", runFile("llama3.2:1b", [150, 151, 152])),
        ])
        let fastest = try #require(facts.findings.first { $0.id == "fastest-model" })
        #expect(
            fastest.text
                == "gemma3:1b is the fastest model measured: 182.00 tok/s against 151.00 tok/s for the next model of its size, llama3.2:1b (20.5% ahead)."
        )
    }

    @Test func aModelWithoutASizeIsComparedWithNone() throws {
        let facts = analyse([("a.csv", runFile("gemma3:latest", [100])), ("b.csv", runFile("gemma3:1b", [90]))])
        let fastest = try #require(facts.findings.first { $0.id == "fastest-model" })
        #expect(fastest.text.hasSuffix("its name states no parameter count, so it is compared with none."))
        #expect(models(in: fastest.text, of: facts) == ["gemma3:latest"])
    }

    @Test func oneModelOnTwoBackendsIsCompared() throws {
        let facts = analyse([
            ("a.csv", runFile("qwen2.5:7b", [100, 101, 102], configuration: [Parameter("backend", "vllm")])),
            ("b.csv", runFile("qwen2.5:7b", [50, 51, 52])),
        ])
        let comparison = try #require(facts.findings.first { $0.id == "backend-comparison" })
        #expect(comparison.text == "qwen2.5:7b, median decode by backend: vllm 101.00 tok/s, ollama 51.00 (0.50×), each against the fastest.")
        #expect(comparison.figures == ["101.00", "51.00", "0.50×"])
    }
}
