import Analysis
import Records

@testable import Narration

/// Facts made the way the daemon makes them: small extractions through the real `Analyzer`.
enum NarrationFixtures {
    static func runs(_ tokensPerSecond: [Double], ttft: [Double]) -> [LLMRun] {
        tokensPerSecond.indices.map { index in
            LLMRun(
                ordinal: index, promptKey: UInt64(index + 1), tokensPerSecond: tokensPerSecond[index],
                ttftSeconds: ttft[index], loadSeconds: 0.1, evalCount: 100)
        }
    }

    static func failed(_ count: Int, error: String) -> [LLMRun] {
        (0..<count).map { LLMRun(ordinal: 10 + $0, promptKey: UInt64(100 + $0), error: error) }
    }

    static func facts(_ files: [(String, Extraction)]) -> Facts {
        var analyzer = Analyzer(
            catalog: files.map { Analyzer.CatalogEntry(path: $0.0, shape: $0.1.shape, modelHint: $0.1.modelHint) })
        for (path, extraction) in files { analyzer.add(path: path, extraction: extraction) }
        let paths = files.map(\.0)
        let inputs = InputFacts(
            roots: ["/in"], filesSeen: files.count, filesAnalyzed: files.count, skipped: [], changed: paths, deleted: [],
            added: paths)
        return analyzer.finish(inputs: inputs, previous: nil, previousAt: nil)
    }

    static let gemmaFile = (
        "gemma3/gemma3_270m_runs.csv",
        Extraction(
            shape: .ollamaRuns,
            runSets: [
                RunSet(
                    model: "gemma3:270m", configuration: [],
                    runs: runs([66.1, 67.2, 68.43, 69.5, 70.2], ttft: [0.05, 0.06, 0.063, 0.07, 0.08]))
            ])
    )

    static let llamaFile = (
        "llama3/llama_quant_runs.csv",
        Extraction(
            shape: .ollamaRuns,
            runSets: [
                RunSet(
                    model: "llama3.1:8b-instruct-q4_0", configuration: [Parameter("num_ctx", "2048")],
                    runs: runs([30.1, 31.0, 32.58, 33.0, 34.2], ttft: [0.09, 0.092, 0.094, 0.1, 0.12])
                        + failed(2, error: "[WinError 10049] The requested address is not valid in its context"))
            ])
    )

    /// gemma3:270m: 5 runs, median 68.43 tok/s (p95 70.06), TTFT median 0.063 s.
    /// llama3.1:8b-instruct-q4_0 (num_ctx=2048): 5 ok and 2 failed runs, median
    /// 32.58 tok/s, TTFT median 0.094 s. 68.43 / 32.58 = 2.10; (68.43 − 32.58) /
    /// 32.58 = 110.0%; (68.43 − 32.58) / 68.43 = 52.4%.
    static func twoModels() -> Facts {
        facts([gemmaFile, llamaFile])
    }

    static func prompt() -> NarrativePrompt {
        NarrativePrompt(facts: twoModels())
    }

    static func grounding() -> Grounding {
        Grounding(prompt: prompt())
    }
}
